"""Facilities the plans promise unit by unit (县/乡/村 networks): one place per unit, with a few gaps.

Each recipe puts one facility in most units of a level and leaves a few without, so that every
presence target of TARGETS.md's second list answers on the demo city and some fail.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from ..placement import EXISTING, PLANNED, Points, facility_frame
from .recipe_kit import Ctx, pick

__all__ = ["community_school", "culture_centre", "farm_library", "fitness_centre", "funeral_facility",
           "mental_health_welfare", "quake_command_centre", "quake_science_school", "social_work_centre",
           "social_work_point"]

#: Share of the units of a level left without the facility (at least one unit when the share is > 0).
CULTURE_CENTRE_GAPS = {"street": 0.05, "community": 0.12}
FARM_LIBRARY_VILLAGE_GAP = 0.06
SOCIAL_WORK_POINT_GAP = 0.25
COMMUNITY_SCHOOL_GAPS = {"street": 0.08, "community": 0.3}
FUNERAL_TOWNSHIP_GAP = 0.3
#: Provincial earthquake-science demonstration schools by 2025 at full scale (the plan wants 30).
QUAKE_SCIENCE_SCHOOLS_FULL_SCALE = 26


def _concat(parts: list[Points]) -> Points:
    pts = parts[0]
    for p in parts[1:]:
        pts = pts.concat(p)
    return pts


def _years(ctx: Ctx, n: int, *, new_share: float = 0.5) -> np.ndarray:
    """Opening years: about ``new_share`` opened 2021-2025, the rest long-standing (0)."""
    rng = ctx.rng
    return np.where(rng.random(n) < new_share, rng.integers(2021, 2026, n), 0).astype(np.int64)


def _most(ctx: Ctx, units: np.ndarray, gap_share: float, *, keep: int = -1) -> list[int]:
    """The units of ``units`` that get the facility: all but a ``gap_share`` (never ``keep``)."""
    if units.size == 0:
        return []
    k = max(1, round(gap_share * units.size)) if gap_share > 0 else 0
    gap = pick(ctx.rng, [int(u) for u in units if int(u) != keep], k)
    return [int(u) for u in units if int(u) not in gap]


def _per_unit(ctx: Ctx, role: str, level: str, units: list[int], suffix: str) -> gpd.GeoDataFrame:
    """One facility in each of ``units`` (of ``level``), named after the unit."""
    return _levels(ctx, role, [(level, units, suffix, "")], with_level=False)


def _levels(ctx: Ctx, role: str, parts: list[tuple[str, list[int], str, str]], *,
            with_level: bool = True) -> gpd.GeoDataFrame:
    """One layer from (unit level, units, name suffix, ``level`` value) parts, one facility per unit."""
    pl = ctx.placer
    pts_parts: list[Points] = []
    names: list[str] = []
    levels: list[str] = []
    for lvl, units, suffix, value in parts:
        unit_names = pl.unit_names(lvl)
        pts_parts += [pl.sample_in(lvl, u) for u in units]
        names += [f"{unit_names[u]}{suffix}" for u in units]
        levels += [value] * len(units)
    pts = _concat(pts_parts) if pts_parts else pl.locate(np.zeros(0), np.zeros(0))
    n = len(pts)
    attrs = {"level": np.array(levels, dtype=object)} if with_level else {}
    return facility_frame(role, pts, names, _years(ctx, n), np.full(n, EXISTING, dtype=object), **attrs)


def fitness_centre(ctx: Ctx) -> gpd.GeoDataFrame:
    """A 全民健身活动中心 in every district but one (not the core)."""
    districts = _most(ctx, np.arange(ctx.n("district")), 0.0)
    gap = pick(ctx.rng, [d for d in districts if d != ctx.core_district], 1)
    return _per_unit(ctx, "fitness_centre", "district", [d for d in districts if d not in gap], "全民健身活动中心")


def culture_centre(ctx: Ctx) -> gpd.GeoDataFrame:
    """基层综合文化服务中心 in ~95 % of streets/townships (``level`` street) and ~88 % of
    communities/villages (``level`` community)."""
    streets = _most(ctx, np.arange(ctx.n("street")), CULTURE_CENTRE_GAPS["street"])
    comms = _most(ctx, np.arange(ctx.n("community")), CULTURE_CENTRE_GAPS["community"])
    return _levels(ctx, "culture_centre", [("street", streets, "综合文化站", "street"),
                                           ("community", comms, "综合文化服务中心", "community")])


def farm_library(ctx: Ctx) -> gpd.GeoDataFrame:
    """农家书屋 in ~94 % of villages."""
    villages = np.flatnonzero(ctx.c_class == "village")
    return _per_unit(ctx, "farm_library", "community", _most(ctx, villages, FARM_LIBRARY_VILLAGE_GAP), "农家书屋")


def social_work_centre(ctx: Ctx) -> gpd.GeoDataFrame:
    """A district social-work centre (一县(区)一中心) in every district."""
    return _per_unit(ctx, "social_work_centre", "district", list(range(ctx.n("district"))), "社会工作服务中心")


def social_work_point(ctx: Ctx) -> gpd.GeoDataFrame:
    """A social-work service point (社工服务点) in ~75 % of communities and villages."""
    comms = _most(ctx, np.arange(ctx.n("community")), SOCIAL_WORK_POINT_GAP)
    return _per_unit(ctx, "social_work_point", "community", comms, "社工服务点")


def community_school(ctx: Ctx) -> gpd.GeoDataFrame:
    """Community education: a 社区学院 per district (``level`` county), a 社区学校 in ~92 % of
    streets/townships (``street``) and a learning point in ~70 % of communities/villages (``village``)."""
    districts = list(range(ctx.n("district")))
    streets = _most(ctx, np.arange(ctx.n("street")), COMMUNITY_SCHOOL_GAPS["street"])
    comms = _most(ctx, np.arange(ctx.n("community")), COMMUNITY_SCHOOL_GAPS["community"])
    return _levels(ctx, "community_school", [("district", districts, "社区学院", "county"),
                                             ("street", streets, "社区学校", "street"),
                                             ("community", comms, "社区教育居民学习点", "village")])


def funeral_facility(ctx: Ctx) -> gpd.GeoDataFrame:
    """Funeral facilities: a city funeral home (``level`` city), one per district but one (``county``),
    one in ~70 % of townships (``township``)."""
    nd = ctx.n("district")
    gap = pick(ctx.rng, [d for d in range(nd) if d != ctx.core_district], 1)
    towns = _most(ctx, np.flatnonzero(ctx.s_class == "township"), FUNERAL_TOWNSHIP_GAP)
    return _levels(ctx, "funeral_facility", [("district", [ctx.core_district], "市殡仪馆", "city"),
                                             ("district", [d for d in range(nd) if d not in gap], "殡仪馆", "county"),
                                             ("street", towns, "公益性骨灰堂", "township")])


def mental_health_welfare(ctx: Ctx) -> gpd.GeoDataFrame:
    """The city's 民政精神卫生福利机构 (``level`` city), opened 2024."""
    pts = ctx.placer.sample_in("district", ctx.core_district, power=0.5)
    return facility_frame("mental_health_welfare", pts, ["市民政精神卫生福利院"], np.array([2024]),
                          np.array([EXISTING], dtype=object), level=np.array(["city"], dtype=object))


def quake_science_school(ctx: Ctx) -> gpd.GeoDataFrame:
    """Provincial earthquake-science demonstration schools: ~26 by 2025 at full scale (the plan wants 30)."""
    rng, pl = ctx.rng, ctx.placer
    n = ctx.scaled(QUAKE_SCIENCE_SCHOOLS_FULL_SCALE, 3)
    pts = pl.sample(n + 1, pl.people)
    year = np.append(rng.integers(2021, 2026, n), 2026).astype(np.int64)
    status = np.append(np.full(n, EXISTING, dtype=object), PLANNED)
    stems = pl.community_stems()[pts.community]
    return facility_frame("quake_science_school", pts, [f"{s}地震科普示范学校" for s in stems], year, status)


def quake_command_centre(ctx: Ctx) -> gpd.GeoDataFrame:
    """Earthquake emergency command centres: the city's (``level`` city) and one per district but one."""
    nd = ctx.n("district")
    gap = pick(ctx.rng, [d for d in range(nd) if d != ctx.core_district], 1)
    return _levels(ctx, "quake_command_centre", [("district", [ctx.core_district], "市地震应急指挥中心", "city"),
                                                 ("district", [d for d in range(nd) if d not in gap],
                                                  "地震应急指挥中心", "county")])
