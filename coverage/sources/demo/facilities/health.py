"""Hospitals, primary care, maternal and child health, elderly health centres of the demo city."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from ..placement import EXISTING, assign_years, counted, facility_frame
from .recipe_kit import Ctx, pick, rescale_stages, rescale_total

__all__ = ["elderly_health_centre", "hospital", "maternal_child_health", "primary_care"]

HOSPITAL_PEOPLE_PER = 40_000.0
#: Per 1000 residents in 2020 and 2025 (plan: 2020 baselines 8.31 beds, 4.02 physicians, 5.13 nurses;
#: 2025 targets 8.5, 4.2, 5.2).
BEDS_PER_1000 = (8.33, 8.46)
PHYSICIANS_PER_1000 = (4.05, 4.26)
NURSES_PER_1000 = (5.15, 5.18)
#: Shares of those beds and staff held by hospitals, primary care and maternal and child health
#: institutions (医疗卫生机构 = all three: the targets sum them).
HEALTH_SHARES = {"hospital": 0.86, "primary_care": 0.09, "maternal_child_health": 0.05}
#: Primary care per 1000 residents (plan: 4 staff per 1000, 3 GPs per 10 000).
PRIMARY_STAFF_PER_1000 = 4.3
PRIMARY_GPS_PER_10000 = 2.8
PRIMARY_STATION_SHARE = 0.55
HOSPITAL_KINDS = ("人民医院", "中医院", "第二人民医院", "中心医院", "骨科医院", "儿童医院")


def _stages(ctx: Ctx, role: str):
    """Stage totals (2020, 2025) of one institution type's share of the city's beds or staff."""
    share = HEALTH_SHARES[role]

    def stages(per_1000: tuple[float, float]) -> list[tuple[int, float]]:
        return [(2020, share * per_1000[0] * ctx.people / 1000), (2025, share * per_1000[1] * ctx.people / 1000)]
    return stages


def _beds_and_staff(ctx: Ctx, role: str, size: np.ndarray, year: np.ndarray, status: np.ndarray
                    ) -> dict[str, np.ndarray]:
    """Beds, physicians and nurses of a role's institutions, scaled to its share of the city totals."""
    rng = ctx.rng
    stages = _stages(ctx, role)
    n = size.size
    beds = rescale_stages(size, year, status, stages(BEDS_PER_1000))
    return {"beds": beds,
            "physicians": rescale_stages(size * rng.uniform(0.8, 1.2, n), year, status, stages(PHYSICIANS_PER_1000)),
            "nurses": rescale_stages(size * rng.uniform(0.85, 1.15, n), year, status, stages(NURSES_PER_1000))}


def hospital(ctx: Ctx) -> gpd.GeoDataFrame:
    """Hospitals with ``beds``, ``physicians``, ``nurses`` per 1000 residents: at or just above the
    plan's 2020 baselines in 2020; in 2025 8.46 beds (fails 8.5), 4.26 physicians (passes 4.2) and
    5.18 nurses (fails 5.2)."""
    rng, pl = ctx.rng, ctx.placer
    n = ctx.per_people(HOSPITAL_PEOPLE_PER, 4)
    pts = pl.sample(n, pl.people**1.3)
    year, status = assign_years(n, rng, recent=0.12, since=2008, building=0.02, planned=0.02, closed=0.01)
    beds_drawn = np.clip(rng.lognormal(np.log(250), 0.9, n), 20, 3_500)

    stages = _stages(ctx, "hospital")

    beds = rescale_stages(beds_drawn, year, status, stages(BEDS_PER_1000))
    phys = rescale_stages(beds * rng.uniform(0.8, 1.2, n), year, status, stages(PHYSICIANS_PER_1000))
    nurses = rescale_stages(beds * rng.uniform(0.85, 1.15, n), year, status, stages(NURSES_PER_1000))
    order = np.argsort(-beds, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    seen: dict[int, int] = {}
    for i in order:
        d = int(pts.district[i])
        rank[i] = seen.get(d, 0)
        seen[d] = rank[i] + 1
    d_names = pl.unit_names("district")[pts.district]
    stems = pl.community_stems()[pts.community]
    names = [f"{dn}{HOSPITAL_KINDS[r]}" if r < len(HOSPITAL_KINDS) else f"{s}医院"
             for dn, s, r in zip(d_names, stems, rank, strict=True)]
    return facility_frame("hospital", pts, names, year, status, beds=beds, physicians=phys, nurses=nurses)


def primary_care(ctx: Ctx) -> gpd.GeoDataFrame:
    """A centre (社区卫生服务中心 / 乡镇卫生院) in every street and township and stations in about half
    the communities, with ``staff`` (4.3 per 1000: passes), ``gps`` (2.8 per 10 000: fails 3) and, in the
    centres, ``beds`` with ~25 % ``nursing_beds`` (the plan wants 30 %)."""
    rng, pl = ctx.rng, ctx.placer
    ns = ctx.n("street")
    centres = [pl.sample_in("street", s) for s in range(ns)]
    comms = np.flatnonzero(rng.random(ctx.n("community")) < PRIMARY_STATION_SHARE)
    stations = [pl.sample_in("community", int(c)) for c in comms]
    pts = centres[0]
    for p in centres[1:] + stations:
        pts = pts.concat(p)
    n = len(pts)
    is_centre = np.arange(n) < ns
    year, status = assign_years(n, rng, recent=0.1, building=0.02, planned=0.02, closed=0.0)
    year[is_centre & (status != EXISTING)] = 0
    status[is_centre] = EXISTING
    staff = np.where(is_centre, rng.integers(40, 121, n), rng.integers(4, 13, n)).astype(float)
    gps = np.where(is_centre, rng.integers(4, 15, n), rng.integers(0, 3, n)).astype(float)
    cnt = counted(year, status)
    staff = rescale_total(staff, cnt, PRIMARY_STAFF_PER_1000 * ctx.people / 1000)
    gps = np.round(gps * PRIMARY_GPS_PER_10000 * ctx.people / 10_000 / gps[cnt].sum()).astype(np.int64)
    s_names = pl.unit_names("street")
    c_names = pl.unit_names("community")
    names = []
    for i in range(n):
        if is_centre[i]:
            sn = s_names[pts.street[i]]
            names.append(f"{sn}社区卫生服务中心" if sn.endswith("街道") else f"{sn}卫生院")
        else:
            cn = c_names[pts.community[i]]
            names.append(f"{cn}卫生服务站" if cn.endswith("社区") else f"{cn}卫生室")
    size = np.where(is_centre, rng.integers(10, 61, n), 0.01).astype(float)
    hs = _beds_and_staff(ctx, "primary_care", size, year, status)
    beds = np.where(is_centre, hs["beds"], 0).astype(np.int64)
    nursing = np.round(beds * rng.uniform(0.1, 0.4, n)).astype(np.int64)
    return facility_frame("primary_care", pts, names, year, status, staff=staff, gps=gps, beds=beds,
                          nursing_beds=nursing, physicians=np.where(is_centre, hs["physicians"], 0).astype(np.int64),
                          nurses=np.where(is_centre, hs["nurses"], 0).astype(np.int64))


def maternal_child_health(ctx: Ctx) -> gpd.GeoDataFrame:
    """One maternal and child health institution per district plus a city one; in one district
    it is not government-run (the presence target fails there)."""
    rng, pl = ctx.rng, ctx.placer
    nd = ctx.n("district")
    others = [d for d in range(nd) if d != ctx.core_district]
    fail = pick(rng, others, 1)
    pts = pl.best("district", ctx.core_district)
    for d in range(nd):
        pts = pts.concat(pl.sample_in("district", d, power=1.5))
    names = ["市妇幼保健院"]
    gov = [True]
    d_names = pl.unit_names("district")
    for d in range(nd):
        names.append(f"{d_names[d]}妇产医院" if d in fail else f"{d_names[d]}妇幼保健院")
        gov.append(d not in fail)
    year, status = assign_years(len(pts), rng, recent=0.1, building=0.0, planned=0.0, closed=0.0)
    hs = _beds_and_staff(ctx, "maternal_child_health", rng.uniform(50, 300, len(pts)), year, status)
    return facility_frame("maternal_child_health", pts, names, year, status, government=np.array(gov), **hs)


def elderly_health_centre(ctx: Ctx) -> gpd.GeoDataFrame:
    """A city elderly health guidance centre and a county-level one per district except one."""
    rng, pl = ctx.rng, ctx.placer
    nd = ctx.n("district")
    fail = pick(rng, [d for d in range(nd) if d != ctx.core_district], 1)
    pts = pl.best("district", ctx.core_district)
    names, level = ["市老年健康指导中心"], ["city"]
    d_names = pl.unit_names("district")
    for d in range(nd):
        if d in fail:
            continue
        pts = pts.concat(pl.sample_in("district", d, power=1.5))
        names.append(f"{d_names[d]}老年健康管理中心")
        level.append("county")
    n = len(pts)
    year = np.where(rng.random(n) < 0.6, rng.integers(2021, 2026, n), 0).astype(np.int64)
    status = np.full(n, EXISTING, dtype=object)
    return facility_frame("elderly_health_centre", pts, names, year, status, level=np.array(level, dtype=object))
