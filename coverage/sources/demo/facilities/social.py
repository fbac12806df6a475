"""Elderly care, senior education, social work, emergency depots and cemeteries of the demo city."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from ..placement import EXISTING, PLANNED, Points, assign_years, counted, facility_frame
from .recipe_kit import Ctx, pick, rescale_total

__all__ = ["cemetery", "elderly_centre", "elderly_institution", "emergency_depot", "senior_education",
           "social_work_station"]

#: Streets without a comprehensive elderly-care centre; townships with one.
ELDERLY_CENTRE_STREET_GAP_SHARE = 0.08
ELDERLY_CENTRE_TOWNSHIP_SHARE = 0.6
DAY_CARE_COMMUNITY_SHARE = 0.75
DAY_CARE_PEOPLE_PER = 9_000
STATION_VILLAGE_SHARE = 0.40
ELDERLY_INSTITUTION_PEOPLE_PER = 45_000.0
BEDS_PER_1000_ELDERLY = 35.0
NURSING_BED_SHARE = 0.52
SOCIAL_WORK_GAP_SHARE = 0.04
CEMETERY_TOWNSHIP_SHARE = 0.85
#: Density (people/km²) below which land counts as open country (depots, cemeteries).
OPEN_COUNTRY_MAX_DENSITY_KM2 = 500.0


def _concat(parts: list[Points]) -> Points:
    pts = parts[0]
    for p in parts[1:]:
        pts = pts.concat(p)
    return pts


def elderly_centre(ctx: Ctx) -> gpd.GeoDataFrame:
    """Comprehensive centres in ~92 % of streets (and 60 % of townships), day care in ~75 % of
    urban communities (one per 9,000 residents), stations in ~40 % of villages; ``comprehensive``
    and ``kind``."""
    rng, pl = ctx.rng, ctx.placer
    streets = np.flatnonzero(ctx.s_class == "street")
    gap = pick(rng, streets, max(1, round(ELDERLY_CENTRE_STREET_GAP_SHARE * streets.size)))
    with_centre = [int(s) for s in range(ctx.n("street"))
                   if (ctx.s_class[s] == "street" and s not in gap)
                   or (ctx.s_class[s] == "township" and rng.random() < ELDERLY_CENTRE_TOWNSHIP_SHARE)]
    u = rng.random(ctx.n("community"))
    people = ctx.units.community["population"].to_numpy()
    day = np.flatnonzero((ctx.c_class == "community") & (u < DAY_CARE_COMMUNITY_SHARE))
    n_day = 1 + people[day] // DAY_CARE_PEOPLE_PER  # large communities get more than one
    station = np.flatnonzero((ctx.c_class == "village") & (u < STATION_VILLAGE_SHARE))
    parts = ([pl.sample_in("street", s) for s in with_centre]
             + [pl.sample_in("community", int(c), int(k)) for c, k in zip(day, n_day, strict=True)]
             + [pl.sample_in("community", int(c)) for c in station])
    pts = _concat(parts)
    kind = np.array(["centre"] * len(with_centre) + ["day_care"] * int(n_day.sum()) + ["station"] * station.size,
                    dtype=object)
    n = len(pts)
    year = np.where(rng.random(n) < 0.5, rng.integers(2019, 2026, n), 0).astype(np.int64)
    status = np.full(n, EXISTING, dtype=object)
    late = rng.random(n) < 0.04
    year[late], status[late] = 2026, PLANNED
    s_names, c_names = pl.unit_names("street"), pl.unit_names("community")
    names = [f"{s_names[pts.street[i]]}综合养老服务中心" if kind[i] == "centre"
             else (f"{c_names[pts.community[i]]}日间照料中心" if kind[i] == "day_care"
                   else f"{c_names[pts.community[i]]}养老服务站") for i in range(n)]
    return facility_frame("elderly_centre", pts, names, year, status, comprehensive=kind == "centre", kind=kind)


def elderly_institution(ctx: Ctx) -> gpd.GeoDataFrame:
    """Care homes with ``beds``, ``nursing_beds`` (~52 % of beds: fails 55 %), ``medical_care`` and
    ``county_level`` (one 医养结合 county institution per district)."""
    rng, pl = ctx.rng, ctx.placer
    nd = ctx.n("district")
    n_other = ctx.per_people(ELDERLY_INSTITUTION_PEOPLE_PER, 4)
    pts = _concat([pl.sample_in("district", d) for d in range(nd)] + [pl.sample(n_other, pl.people**0.8)])
    n = len(pts)
    county = np.arange(n) < nd
    year, status = assign_years(n, rng, recent=0.25, building=0.04, planned=0.03, closed=0.02)
    year[county], status[county] = 0, EXISTING
    cnt = counted(year, status)
    elderly = float(ctx.pop.age_60_plus.sum())
    beds = rescale_total(np.clip(rng.lognormal(np.log(200), 0.7, n), 20, 1_200), cnt,
                         BEDS_PER_1000_ELDERLY * elderly / 1000)
    share = rng.beta(5.0, 4.5, n)
    total_nursing = (beds * share)[cnt].sum()
    nursing = np.minimum(beds, np.round(beds * share * NURSING_BED_SHARE * beds[cnt].sum() / total_nursing))
    medical = county | (rng.random(n) < 0.4)
    d_names, stems = pl.unit_names("district"), pl.community_stems()
    kinds = np.array(["养老院", "颐养院", "老年公寓", "康养中心", "敬老院"], dtype=object)[rng.integers(5, size=n)]
    names = [f"{d_names[pts.district[i]]}特困人员供养服务中心" if county[i] else f"{stems[pts.community[i]]}{kinds[i]}"
             for i in range(n)]
    return facility_frame("elderly_institution", pts, names, year, status, beds=beds,
                          nursing_beds=nursing.astype(np.int64), medical_care=medical, county_level=county)


def senior_education(ctx: Ctx) -> gpd.GeoDataFrame:
    """A senior university (老年大学) in every district except one, plus a few street schools."""
    rng, pl = ctx.rng, ctx.placer
    nd = ctx.n("district")
    fail = pick(rng, [d for d in range(nd) if d != ctx.core_district], 1)
    own = [d for d in range(nd) if d not in fail]
    extra = rng.choice(np.flatnonzero(ctx.s_class == "street"), size=max(1, nd // 2))
    pts = _concat([pl.sample_in("district", d, power=1.5) for d in own]
                  + [pl.sample_in("street", int(s)) for s in extra])
    d_names, s_names = pl.unit_names("district"), pl.unit_names("street")
    names = [f"{d_names[d]}老年大学" for d in own] + [f"{s_names[s]}老年学校" for s in extra]
    n = len(pts)
    year = np.where(rng.random(n) < 0.4, rng.integers(2018, 2026, n), 0).astype(np.int64)
    return facility_frame("senior_education", pts, names, year, np.full(n, EXISTING, dtype=object))


def social_work_station(ctx: Ctx) -> gpd.GeoDataFrame:
    """A social work station (社工站) in ~96 % of streets and townships."""
    rng, pl = ctx.rng, ctx.placer
    ns = ctx.n("street")
    gap = pick(rng, np.arange(ns), max(1, round(SOCIAL_WORK_GAP_SHARE * ns)))
    own = [s for s in range(ns) if s not in gap]
    pts = _concat([pl.sample_in("street", s) for s in own])
    s_names = pl.unit_names("street")
    n = len(pts)
    year = rng.integers(2020, 2026, n).astype(np.int64)
    return facility_frame("social_work_station", pts, [f"{s_names[s]}社工站" for s in own], year,
                          np.full(n, EXISTING, dtype=object))


def _open_country(ctx: Ctx) -> np.ndarray:
    return ctx.placer.density < OPEN_COUNTRY_MAX_DENSITY_KM2


def emergency_depot(ctx: Ctx) -> gpd.GeoDataFrame:
    """A city emergency-supplies depot and one per district (all districts pass)."""
    rng, pl = ctx.rng, ctx.placer
    nd = ctx.n("district")
    edge = ctx.placer.density < 3_000
    pts = _concat([pl.sample_in("district", ctx.core_district, power=0.0, mask=edge)]
                  + [pl.sample_in("district", d, power=0.0, mask=edge) for d in range(nd)])
    d_names = pl.unit_names("district")
    names = ["市应急物资储备库"] + [f"{d_names[d]}应急物资储备库" for d in range(nd)]
    level = np.array(["city"] + ["county"] * nd, dtype=object)
    n = len(pts)
    year = np.where(rng.random(n) < 0.5, rng.integers(2020, 2026, n), 0).astype(np.int64)
    return facility_frame("emergency_depot", pts, names, year, np.full(n, EXISTING, dtype=object), level=level)


def cemetery(ctx: Ctx) -> gpd.GeoDataFrame:
    """An urban public cemetery in every county and in the units with 上街区's and 郑州航空港区's roles
    (the plan's list), and rural demonstration cemeteries in ~85 % of townships."""
    rng, pl = ctx.rng, ctx.placer
    country = _open_country(ctx)
    roles = ctx.units.district["role"].to_numpy(dtype=object)
    urban = [int(d) for d in np.flatnonzero((ctx.d_class == "county") | np.isin(roles, ["shangjie", "airport"]))]
    towns = [int(s) for s in np.flatnonzero(ctx.s_class == "township") if rng.random() < CEMETERY_TOWNSHIP_SHARE]
    parts = ([pl.sample_in("district", d, power=0.0, mask=country) for d in urban]
             + [pl.sample_in("street", s, power=0.0, mask=country) for s in towns])
    pts = _concat(parts)
    d_names, c_names = pl.unit_names("district"), pl.unit_names("community")
    names = ([f"{d_names[d]}城市公益性公墓" for d in urban]
             + [f"{c_names[pts.community[len(urban) + i]]}公益性公墓" for i in range(len(towns))])
    kind = np.array(["urban_public"] * len(urban) + ["rural_demonstration"] * len(towns), dtype=object)
    n = len(pts)
    year = np.where(rng.random(n) < 0.5, rng.integers(2019, 2026, n), 0).astype(np.int64)
    return facility_frame("cemetery", pts, names, year, np.full(n, EXISTING, dtype=object), kind=kind)
