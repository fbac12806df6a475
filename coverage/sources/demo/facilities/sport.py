"""Fitness, sports venues, football pitches, sports parks, culture facilities and city study rooms."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from ..placement import EXISTING, PLANNED, UNDER_CONSTRUCTION, assign_years, counted, facility_frame
from .recipe_kit import Ctx, rescale_total

__all__ = ["city_study_room", "culture_facility", "fitness", "football_pitch", "sports_park", "sports_venue"]

FITNESS_PEOPLE_PER = 2_600.0
FITNESS_KINDS = ("outdoor_fitness", "multi_sport", "gym", "sports_centre")
FITNESS_KIND_SHARES = (0.70, 0.15, 0.10, 0.05)
#: Neighbourhoods left without fitness facilities (so the 15-minute circle is not complete).
FITNESS_GAPS_FULL_SCALE = 7
FITNESS_GAP_MIN_DENSITY_KM2 = 5_000.0
SPORTS_VENUE_PEOPLE_PER = 5_000.0
SPORTS_AREA_M2_PER_PERSON = 2.45
FOOTBALL_SITE_PEOPLE_PER = 18_000.0
SPORTS_PARKS_FULL_SCALE = (6, 17, 2)  # long-standing, built or extended 2021-2025, planned 2026
CULTURE_PEOPLE_PER = 20_000.0
CULTURE_M2_PER_10000 = (2_050.0, 2_500.0)
STUDY_ROOMS_FULL_SCALE = (104, 10)  # by 2025, planned 2026


def _gap_weight(ctx: Ctx) -> np.ndarray:
    """Population weights with a few urban neighbourhoods (discs) blanked out."""
    pl = ctx.placer
    n_gaps = ctx.scaled(FITNESS_GAPS_FULL_SCALE, 1)
    urban = np.flatnonzero(pl.density >= FITNESS_GAP_MIN_DENSITY_KM2)
    w = pl.people.copy()
    if urban.size == 0:
        return w
    radius = 700.0 + 700.0 * ctx.geo.linear
    for c in ctx.rng.choice(urban, size=n_gaps, replace=False):
        w[np.hypot(pl.cx - pl.cx[c], pl.cy - pl.cy[c]) < radius] = 0.0
    return w


def fitness(ctx: Ctx) -> gpd.GeoDataFrame:
    """Fitness facilities (``kind``) following people, with a few urban neighbourhoods left out."""
    rng, pl = ctx.rng, ctx.placer
    n = ctx.per_people(FITNESS_PEOPLE_PER, 8)
    pts = pl.sample(n, _gap_weight(ctx))
    kind = np.array(FITNESS_KINDS, dtype=object)[rng.choice(len(FITNESS_KINDS), size=n, p=FITNESS_KIND_SHARES)]
    year, status = assign_years(n, rng, recent=0.35, building=0.03, planned=0.03, closed=0.02)
    stems = pl.community_stems()[pts.community]
    label = {"outdoor_fitness": "全民健身路径", "multi_sport": "多功能运动场", "gym": "健身馆", "sports_centre": "全民健身中心"}
    return facility_frame("fitness", pts, [f"{s}{label[k]}" for s, k in zip(stems, kind, strict=True)], year, status,
                          kind=kind)


def sports_venue(ctx: Ctx) -> gpd.GeoDataFrame:
    """Sports venues with ``area_m2`` (playing surface): 2.45 m² per person in 2025 (fails 2.6)."""
    rng, pl = ctx.rng, ctx.placer
    n = ctx.per_people(SPORTS_VENUE_PEOPLE_PER, 5)
    pts = pl.sample(n, pl.people**0.8)
    year, status = assign_years(n, rng, recent=0.3)
    area = rescale_total(np.clip(rng.lognormal(np.log(6_000), 1.0, n), 300, 80_000), counted(year, status),
                         SPORTS_AREA_M2_PER_PERSON * ctx.people)
    stems = pl.community_stems()[pts.community]
    kinds = np.array(["体育场", "体育馆", "游泳馆", "篮球场", "网球场", "运动中心"], dtype=object)[rng.integers(6, size=n)]
    return facility_frame("sports_venue", pts, [f"{s}{k}" for s, k in zip(stems, kinds, strict=True)], year, status,
                          area_m2=area)


def football_pitch(ctx: Ctx) -> gpd.GeoDataFrame:
    """Football sites with ``pitches`` (1-3): about 0.83 pitches per 10 000 residents (fails 0.9)."""
    rng, pl = ctx.rng, ctx.placer
    n = ctx.per_people(FOOTBALL_SITE_PEOPLE_PER, 3)
    pts = pl.sample(n, pl.people)
    pitches = rng.choice([1, 2, 3], size=n, p=[0.6, 0.3, 0.1]).astype(np.int64)
    year, status = assign_years(n, rng, recent=0.4, since=2017, building=0.04, planned=0.04)
    stems = pl.community_stems()[pts.community]
    return facility_frame("football_pitch", pts, [f"{s}足球场" for s in stems], year, status, pitches=pitches)


def sports_park(ctx: Ctx) -> gpd.GeoDataFrame:
    """Sports parks: 17 built or extended in 2021-2025 at full scale (the plan wants 16), 2 more planned."""
    rng, pl = ctx.rng, ctx.placer
    n_old, n_new, n_plan = (ctx.scaled(v, 1) for v in SPORTS_PARKS_FULL_SCALE)
    n = n_old + n_new + n_plan
    pts = pl.sample(n, pl.people**0.5 * (pl.density > 1_000))
    year = np.concatenate([np.where(rng.random(n_old) < 0.5, rng.integers(2016, 2021, n_old), 0),
                           rng.integers(2021, 2026, n_new), np.full(n_plan, 2026)]).astype(np.int64)
    status = np.full(n, EXISTING, dtype=object)
    status[n_old:n_old + n_new][year[n_old:n_old + n_new] == 2025] = UNDER_CONSTRUCTION
    status[n_old + n_new:] = PLANNED
    stems = pl.community_stems()[pts.community]
    return facility_frame("sports_park", pts, [f"{s}体育公园" for s in stems], year, status)


def culture_facility(ctx: Ctx) -> gpd.GeoDataFrame:
    """Culture facilities with ``floor_area_m2``: 2050-2500 m² per 10 000 residents in every
    district (passes 2000)."""
    rng, pl = ctx.rng, ctx.placer
    d_pop = ctx.units.district["population"].to_numpy(dtype=float)
    parts, areas, years, statuses = [], [], [], []
    for d in range(ctx.n("district")):
        n = max(2, round(d_pop[d] / CULTURE_PEOPLE_PER))
        pts = pl.sample_in("district", d, n, power=1.1)
        year, status = assign_years(n, rng, recent=0.25)
        year[0], status[0] = 0, EXISTING  # the district's own culture centre
        rate = rng.uniform(*CULTURE_M2_PER_10000)
        area = rescale_total(np.clip(rng.lognormal(np.log(3_000), 0.9, n), 200, 60_000), counted(year, status),
                             rate * d_pop[d] / 10_000)
        parts.append(pts)
        areas.append(area)
        years.append(year)
        statuses.append(status)
    pts = parts[0]
    for p in parts[1:]:
        pts = pts.concat(p)
    n = len(pts)
    s_names = pl.unit_names("street")[pts.street]
    kinds = np.array(["综合文化站", "文化馆", "图书馆", "文化活动中心", "美术馆", "博物馆"], dtype=object)[rng.integers(6, size=n)]
    return facility_frame("culture_facility", pts, [f"{s}{k}" for s, k in zip(s_names, kinds, strict=True)],
                          np.concatenate(years), np.concatenate(statuses), floor_area_m2=np.concatenate(areas))


def city_study_room(ctx: Ctx) -> gpd.GeoDataFrame:
    """City study rooms (城市书房): 104 by 2025 at full scale (the plan wants 100), 10 planned."""
    rng, pl = ctx.rng, ctx.placer
    n_by, n_plan = (ctx.scaled(v, 2) for v in STUDY_ROOMS_FULL_SCALE)
    n = n_by + n_plan
    pts = pl.sample(n, pl.people**1.3)
    year = np.concatenate([rng.integers(2018, 2026, n_by), np.full(n_plan, 2026)]).astype(np.int64)
    status = np.where(year >= 2026, PLANNED, np.where(year == 2025, UNDER_CONSTRUCTION, EXISTING)).astype(object)
    stems = pl.community_stems()[pts.community]
    return facility_frame("city_study_room", pts, [f"{s}城市书房" for s in stems], year, status)
