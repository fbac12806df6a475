"""Unit roles: the plan's groups of county-level units, selected by role and never by name.

Zhengzhou is run as 16 county-level units. The plans treat them in groups: 市内各区 (inner urban
districts), the three development zones that count as districts (郑东新区, 郑州经开区, 郑州高新区),
上街区 and 郑州航空港区 (treated like counties for childcare and cemeteries), the five county-level
cities and 中牟县. A scenario selects units with ``roles: [group or role, ...]`` and sets counts with
``min_count_by_role:``, so that the same scenario serves the demo city (invented names, a ``role``
column) and the real layer set (real names, mapped by :data:`ROLE_BY_NAME`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import geopandas as gpd
import numpy as np
from numpy.typing import NDArray

__all__ = ["GROUPS", "ROLES", "ROLE_BY_NAME", "expand_roles", "missing_roles", "role_label", "unit_roles"]

#: The 16 roles, in the plan's order: role -> (Chinese name of the unit in Zhengzhou, English label).
ROLES: dict[str, tuple[str, str]] = {
    "zhongyuan": ("中原区", "Zhongyuan District"),
    "erqi": ("二七区", "Erqi District"),
    "guancheng": ("管城回族区", "Guancheng Hui District"),
    "jinshui": ("金水区", "Jinshui District"),
    "huiji": ("惠济区", "Huiji District"),
    "shangjie": ("上街区", "Shangjie District"),
    "zhengdong": ("郑东新区", "Zhengdong New District"),
    "jingkai": ("郑州经开区", "Zhengzhou Economic Development Zone"),
    "gaoxin": ("郑州高新区", "Zhengzhou High-tech Zone"),
    "airport": ("郑州航空港区", "Zhengzhou Airport Economy Zone"),
    "gongyi": ("巩义市", "Gongyi (county-level city)"),
    "xingyang": ("荥阳市", "Xingyang (county-level city)"),
    "xinmi": ("新密市", "Xinmi (county-level city)"),
    "xinzheng": ("新郑市", "Xinzheng (county-level city)"),
    "dengfeng": ("登封市", "Dengfeng (county-level city)"),
    "zhongmou": ("中牟县", "Zhongmou County"),
}

#: The plan's groups: group -> (roles, zh label, en label).
GROUPS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "inner_district": (("zhongyuan", "erqi", "guancheng", "jinshui", "huiji"), "市内各区", "inner urban districts"),
    "district_zone": (("zhengdong", "jingkai", "gaoxin"), "郑东新区、郑州经开区、郑州高新区",
                      "development zones counted as districts"),
    "county_like_district": (("shangjie", "airport"), "上街区、郑州航空港区",
                             "districts treated like counties (上街区, 郑州航空港区)"),
    "county_city": (("gongyi", "xingyang", "xinmi", "xinzheng", "dengfeng"), "县级市", "county-level cities"),
    "rural_county": (("zhongmou",), "县", "county (中牟县)"),
    "counties": (("gongyi", "xingyang", "xinmi", "xinzheng", "dengfeng", "zhongmou"), "各县(市)",
                 "counties and county-level cities"),
    "development_zones": (("zhengdong", "jingkai", "gaoxin", "airport"), "开发区", "development zones"),
}

#: Real unit names (and their common long forms) -> role. Used when a district layer has no ``role`` column.
ROLE_BY_NAME: dict[str, str] = {
    **{zh: role for role, (zh, _) in ROLES.items()},
    "管城区": "guancheng",
    "郑州经济技术开发区": "jingkai",
    "经开区": "jingkai",
    "郑州高新技术产业开发区": "gaoxin",
    "高新区": "gaoxin",
    "郑州航空港经济综合实验区": "airport",
    "航空港区": "airport",
    "航空港综合实验区": "airport",
}


def expand_roles(names: Iterable[str]) -> set[str]:
    """Roles named by a list of groups and roles (``[counties, airport]`` -> six + one roles).

    Raises
    ------
    KeyError
        For a name that is neither a group nor a role (scenario validation reports it first).
    """
    out: set[str] = set()
    for name in names:
        if name in GROUPS:
            out.update(GROUPS[name][0])
        elif name in ROLES:
            out.add(name)
        else:
            raise KeyError(name)
    return out


def unit_roles(units: gpd.GeoDataFrame) -> NDArray[np.object_]:
    """The role of every district unit: its ``role`` column, else its name mapped by :data:`ROLE_BY_NAME`.

    Units with neither give ``""`` (no role: never selected by a ``roles:`` filter).
    """
    if "role" in units.columns:
        roles = units["role"].astype(str).str.strip().to_numpy(dtype=object)
        return np.array([r if r in ROLES else "" for r in roles], dtype=object)
    return np.array([ROLE_BY_NAME.get(str(n).strip(), "") for n in units["name"]], dtype=object)


def missing_roles(units: gpd.GeoDataFrame, wanted: Iterable[str]) -> list[str]:
    """Roles of ``wanted`` (already expanded) that no unit of the layer carries, in the plan's order."""
    have = set(unit_roles(units))
    want = set(wanted)
    return [r for r in ROLES if r in want and r not in have]


def role_label(role: str) -> tuple[str, str]:
    """(zh, en) name of a role or group."""
    if role in ROLES:
        return ROLES[role]
    if role in GROUPS:
        return GROUPS[role][1], GROUPS[role][2]
    return role, role


def count_for_role(role: str, by_role: Mapping[str, float], default: int) -> int:
    """Facilities a unit of ``role`` needs: a role entry wins over a group entry, else ``default``."""
    if role in by_role:
        return int(by_role[role])
    for group, value in by_role.items():
        if group in GROUPS and role in GROUPS[group][0]:
            return int(value)
    return default


def judged_without(units: gpd.GeoDataFrame, wanted: Iterable[str] | None) -> tuple[str, str] | None:
    """(en, zh) note when roles the target needs have no polygon in the district layer, else None.

    ``wanted`` is the expanded ``roles:`` of the target, or None for a target over every district:
    then only a layer that carries some roles (a real layer set) but not all 16 gets the note.
    """
    roles = unit_roles(units)
    if wanted is None:
        if not any(roles):
            return None
        wanted = ROLES
    gone = missing_roles(units, wanted)
    if not gone:
        return None
    zh_names = "、".join(ROLES[r][0] for r in gone)
    en = (f"Cannot be judged for {zh_names}: the district layer has no polygon for "
          f"{'it' if len(gone) == 1 else 'them'} (the development zones are not statutory units, so their area is "
          "counted inside the districts they overlap). Add their boundaries to the district layer of the layer set "
          "(units.gpkg, layer district) with a `role` column (zhengdong, jingkai, gaoxin, airport) to judge them.")
    zh = (f"无法判断{zh_names}:区县图层中没有其边界(开发区不是法定行政区,其范围计入所在行政区)。"
          "在图层集的区县图层(`units.gpkg` 的 `district` 图层)中加入其边界并填写 `role` 列即可判断。")
    return en, zh


def spec_roles(spec: object) -> set[str] | None:
    """The expanded ``roles:`` of a target spec (None when it has none); unknown names are a scenario error."""
    from ..errors import ScenarioError, message

    names = spec.param("roles")  # type: ignore[attr-defined]
    if not names:
        return None
    try:
        return expand_roles(names)
    except KeyError as exc:
        raise ScenarioError(message("err.unknown_role", source=spec.source, tid=spec.id,  # type: ignore[attr-defined]
                                    role=exc.args[0], groups=", ".join(GROUPS), roles=", ".join(ROLES))) from exc
