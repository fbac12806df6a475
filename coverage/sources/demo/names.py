"""Plausible Chinese place and facility names for the demo city (all invented).

Names are built from two-character stems (``金川``, ``柳园`` ...) drawn without replacement, so every
name is unique within its pool; callers keep one :class:`NamePool` per unit level or layer.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CN_NUMERALS", "NamePool", "ordinal_zh"]

_FIRST = (
    "金银东西南北中柳桐松梅兰竹菊青白红黄紫绿清云龙凤安福康宁平和新古明华文光兴盛丰嘉瑞祥泰永长春秋阳"
    "月星石玉荷杏桃枫槐榆杨林泉溪湖江山峰岭德仁义信锦绣振启晨曙朝汇鑫豫嵩邙圃樱梧"
)
_SECOND = "川湖园山河桥林庄店集岗寨坡塘湾苑庙营台门亭楼阁溪泉沟峪坊里埠洲屯堡铺岭坪原田庵寺港口渡滩垣城院府"
_SURNAMES = "李王张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
_VILLAGE_SUFFIX = "庄营寨店集屯湾岗坡沟庙楼堡铺河桥"

CN_NUMERALS = "一二三四五六七八九十"


def ordinal_zh(n: int) -> str:
    """Chinese numeral for 1..99 (``3`` -> ``三``, ``12`` -> ``十二``); larger numbers stay digits."""
    if 1 <= n <= 10:
        return CN_NUMERALS[n - 1]
    if 11 <= n <= 19:
        return "十" + CN_NUMERALS[n - 11]
    if 20 <= n <= 99:
        tens, ones = divmod(n, 10)
        return CN_NUMERALS[tens - 1] + "十" + (CN_NUMERALS[ones - 1] if ones else "")
    return str(n)


def _stems(first: str, second: str) -> list[str]:
    return [a + b for a in first for b in second if a != b]


class NamePool:
    """Unique two-character stems in a seeded random order.

    Parameters
    ----------
    rng
        Random generator (its state advances once, at construction).
    style
        ``"place"`` for towns, streets, communities and roads; ``"village"`` for
        surname-based village stems (``李庄``), falling back to place stems when used up.
    """

    def __init__(self, rng: np.random.Generator, *, style: str = "place") -> None:
        place = _stems(_FIRST, _SECOND)
        if style == "village":
            village = _stems(_SURNAMES, _VILLAGE_SUFFIX)
            pools = [village[i] for i in rng.permutation(len(village))]
            pools += [place[i] for i in rng.permutation(len(place))]
        else:
            pools = [place[i] for i in rng.permutation(len(place))]
        self._stems = list(dict.fromkeys(pools))
        self._next = 0

    def take(self, n: int = 1) -> list[str]:
        """The next ``n`` unused stems (numbered suffixes once the pool runs out)."""
        out = []
        for _ in range(n):
            k = self._next
            self._next += 1
            if k < len(self._stems):
                out.append(self._stems[k])
            else:
                base = self._stems[k % len(self._stems)]
                out.append(f"{base}{k // len(self._stems) + 1}")
        return out

    def one(self) -> str:
        """The next unused stem."""
        return self.take(1)[0]
