"""Shelters, seismic stations, early-warning and broadcast terminals, earthquake culture sites."""

from __future__ import annotations

import logging
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray
from rasterio import features
from scipy.spatial import cKDTree

from ..placement import EXISTING, PLANNED, UNDER_CONSTRUCTION, Points, assign_years, facility_frame
from .recipe_kit import Ctx, lattice_points, pick, rescale_stages, round_to

__all__ = ["broadcast_terminal", "eew_terminal", "quake_science_base", "quake_theme_park", "radius_coverage",
           "seismic_station", "shelter"]

logger = logging.getLogger(__name__)

#: Effective shelter area per built-up-area resident in 2025 (the plan keeps 1.5).
SHELTER_M2_PER_PERSON = 1.55
SHELTER_M2_PER_PERSON_2020 = 1.52
#: Share of the area in central shelters (two at full scale), fixed shelters; the rest is emergency shelters.
SHELTER_CENTRAL_SHARE = 0.16
SHELTER_FIXED_SHARE = 0.44
SHELTER_FIXED_M2 = (15_000.0, 60_000.0)
SHELTER_EMERGENCY_M2 = (1_000.0, 8_000.0)
SEISMIC_STATIONS_FULL_SCALE = 34
SEISMIC_CORE_SHARE = 0.25
SEISMIC_CORE_MIN_DENSITY_KM2 = 9_000.0
SEISMIC_CORE_RADIUS_DECAYS = 1.5
#: Displacement noise (μm) by setting: busy core, towns, quiet country.
NOISE_UM = {"core": (0.035, 0.05), "town": (0.02, 0.035), "country": (0.01, 0.02)}
EEW_KEY_SPACING_M = 480.0
EEW_OTHER_SPACING_M = 1_000.0
EEW_VILLAGE_SHARE = 0.5
EEW_RADII_M = np.arange(200, 501, 50)
BROADCAST_URBAN_SPACING_M = 600.0
BROADCAST_VILLAGE_SHARE = 0.85
BROADCAST_RADII_M = np.arange(300, 801, 50)


def _concat(parts: list[Points]) -> Points:
    pts = parts[0]
    for p in parts[1:]:
        pts = pts.concat(p)
    return pts


def radius_coverage(ctx: Ctx, pts: Points, radius_m: NDArray[np.floating[Any] | np.integer[Any]], *,
                    within: NDArray[np.bool_] | None = None) -> float:
    """Share of people (in ``within`` cells) whose cell centre lies within a facility's radius."""
    pl = ctx.placer
    cells = np.flatnonzero(pl.people > 0) if within is None else np.flatnonzero((pl.people > 0) & within)
    if cells.size == 0 or len(pts) == 0:
        return 0.0
    tree = cKDTree(np.column_stack([pl.cx[cells], pl.cy[cells]]))
    hit = np.zeros(cells.size, dtype=bool)
    for idx in tree.query_ball_point(np.column_stack([pts.x, pts.y]), r=np.asarray(radius_m, dtype=float)):
        hit[idx] = True
    return float(pl.people[cells][hit].sum() / pl.people[cells].sum())


def shelter(ctx: Ctx) -> gpd.GeoDataFrame:
    """Shelters with ``effective_area_m2`` and ``shelter_class``: 1.52 m² per built-up resident in 2020
    (the plan's baseline is 1.5), 1.55 m² in 2025."""
    rng, pl = ctx.rng, ctx.placer
    bu = ctx.built_up_cells & (pl.people > 0)
    total = SHELTER_M2_PER_PERSON * float(pl.people[bu].sum())
    n_c = ctx.scaled(2, 1)
    fixed_total = SHELTER_FIXED_SHARE * total
    n_f = max(2, round(fixed_total / np.mean(SHELTER_FIXED_M2)))
    em_total = total - fixed_total - SHELTER_CENTRAL_SHARE * total
    n_e = max(5, round(em_total / np.mean(SHELTER_EMERGENCY_M2)))
    edge = bu & (pl.density >= 3_000) & (pl.density <= 12_000)
    pts = _concat([pl.sample(n_c, edge if edge.any() else bu), pl.sample(n_f, bu * pl.people**0.6),
                   pl.sample(n_e, bu * pl.people**0.8)])
    cls = np.array(["central"] * n_c + ["fixed"] * n_f + ["emergency"] * n_e, dtype=object)
    area = np.concatenate([np.full(n_c, SHELTER_CENTRAL_SHARE * total / n_c), rng.uniform(*SHELTER_FIXED_M2, n_f),
                           rng.uniform(*SHELTER_EMERGENCY_M2, n_e)])
    year, status = assign_years(len(pts), rng, recent=0.25, building=0.03, planned=0.03, closed=0.01)
    year[:n_c], status[:n_c] = 0, EXISTING
    inside = shapely.contains_xy(shapely.union_all(ctx.areas.built_up.geometry.values), pts.x, pts.y)
    minor = cls != "central"
    central = float(area[~minor].sum())
    # 2020 already at the plan's baseline (1.5 m²), a little more by 2025
    year_in = np.where(inside & minor, year, 9999)
    area[minor] = rescale_stages(area[minor], year_in[minor], status[minor],
                                 [(2020, SHELTER_M2_PER_PERSON_2020 / SHELTER_M2_PER_PERSON * total - central),
                                  (2025, total - central)])
    area = round_to(area, 10)
    stems = pl.community_stems()[pts.community]
    d_names = pl.unit_names("district")[pts.district]
    names = [f"{d}中心避难场所" if c == "central" else (f"{s}公园固定避难场所" if c == "fixed" else f"{s}紧急避难场所")
             for s, d, c in zip(stems, d_names, cls, strict=True)]
    return facility_frame("shelter", pts, names, year, status, effective_area_m2=area, shelter_class=cls)


def _farthest(xy: NDArray[np.float64], k: int, rng: np.random.Generator, *,
              first: NDArray[np.int64] | None = None) -> NDArray[np.int64]:
    """``k`` well-spread points of ``xy`` (greedy farthest-point order from ``first`` or a random start)."""
    k = min(k, len(xy))
    chosen = [int(i) for i in first] if first is not None and len(first) else [int(rng.integers(len(xy)))]
    d = cKDTree(xy[chosen]).query(xy)[0]
    for _ in range(k - len(chosen)):
        i = int(np.argmax(d))
        chosen.append(i)
        d = np.minimum(d, np.hypot(*(xy - xy[i]).T))
    return np.array(chosen, dtype=np.int64)


def _push_out(ctx: Ctx, pts: Points, district: int, *, beyond_m: float = 1_500.0) -> Points:
    """Move the points inside ``district`` to just outside its nearest boundary (dropped if that leaves the city)."""
    inside = pts.district == district
    if not inside.any():
        return pts
    boundary = ctx.units.district.geometry.iloc[district].boundary
    ends = shapely.get_coordinates(shapely.shortest_line(shapely.points(pts.x[inside], pts.y[inside]), boundary))[1::2]
    dx, dy = ends[:, 0] - pts.x[inside], ends[:, 1] - pts.y[inside]
    norm = np.maximum(np.hypot(dx, dy), 1e-9)
    x, y = pts.x.copy(), pts.y.copy()
    x[inside], y[inside] = ends[:, 0] + beyond_m * dx / norm, ends[:, 1] + beyond_m * dy / norm
    moved = ctx.placer.locate(x, y)
    ok = shapely.contains_xy(ctx.geo.territory, x, y) & (moved.district != district)
    return moved.take(np.flatnonzero(ok))


def seismic_station(ctx: Ctx) -> gpd.GeoDataFrame:
    """25-40 seismic stations at full scale (``noise_um``, ``kind``): dense in the core, sparse in the
    hills, none in one county (a station there is only planned for 2026)."""
    rng, pl = ctx.rng, ctx.placer
    n_target = ctx.scaled(SEISMIC_STATIONS_FULL_SCALE, 6)
    counties = np.flatnonzero(ctx.d_class == "county")
    none = pick(rng, counties, 1)
    none_d = next(iter(none)) if none else -1
    allowed = (pl.people >= 0) & (ctx.units.district_cell.ravel() >= 0) & (ctx.units.district_cell.ravel() != none_d)
    n_core = max(2, round(SEISMIC_CORE_SHARE * n_target))
    near = np.hypot(pl.cx - ctx.geo.core.x_m, pl.cy - ctx.geo.core.y_m) < SEISMIC_CORE_RADIUS_DECAYS * ctx.geo.core.decay_m
    core_cells = np.flatnonzero((pl.density >= SEISMIC_CORE_MIN_DENSITY_KM2) & allowed & near)
    if core_cells.size < n_core:
        core_cells = np.flatnonzero(near & allowed)
    core_xy = np.column_stack([pl.cx[core_cells], pl.cy[core_cells]])
    core_xy = core_xy[_farthest(core_xy, n_core, rng)]
    core = pl.locate(core_xy[:, 0], core_xy[:, 1])
    area_m2 = float(allowed.sum()) * 1e4
    spacing = np.sqrt(area_m2 / max(n_target - n_core, 1))
    rest = lattice_points(ctx, ctx.units.district_cell.ravel() >= 0, spacing, jitter=0.2)
    if none_d >= 0:  # sites that would fall in the county without a station move just outside it
        rest = _push_out(ctx, rest, none_d)
    near_core = cKDTree(np.column_stack([core.x, core.y])).query(np.column_stack([rest.x, rest.y]))[0] < 0.5 * spacing
    hills = ctx.geo.hilliness(rest.x, rest.y)
    keep = ~near_core & (rng.random(len(rest)) > 0.6 * hills)
    pts = core.concat(rest.take(np.flatnonzero(keep)))
    if len(pts) < n_target:  # small cities: top up with well-spread extra sites
        cand = np.flatnonzero(allowed & (pl.people > 0))
        xy = np.column_stack([np.concatenate([pts.x, pl.cx[cand]]), np.concatenate([pts.y, pl.cy[cand]])])
        order = _farthest(xy, len(pts) + n_target, rng, first=np.arange(len(pts)))
        extra = order[len(pts):][order[len(pts):] >= len(pts)][: n_target - len(pts)] - len(pts)
        pts = pts.concat(pl.locate(pl.cx[cand[extra]], pl.cy[cand[extra]]))
    n = len(pts)
    dens = ctx.pop.density_at(pts.x, pts.y)
    setting = np.where(np.arange(n) < n_core, "core", np.where(dens >= 1_000, "town", "country"))
    lo = np.array([NOISE_UM[s][0] for s in setting])
    hi = np.array([NOISE_UM[s][1] for s in setting])
    noise = np.round(rng.uniform(lo, hi), 3)
    kind = np.where(setting == "core", rng.choice(["strong_motion", "short_period"], size=n),
                    rng.choice(["broadband", "short_period", "strong_motion"], size=n, p=[0.35, 0.5, 0.15]))
    year = np.where(rng.random(n) < 0.3, rng.integers(2010, 2024, n), 0).astype(np.int64)
    status = np.full(n, EXISTING, dtype=object)
    rural = np.flatnonzero(setting == "country")
    new = rng.choice(rural, size=min(2, rural.size), replace=False) if rural.size else np.zeros(0, dtype=np.int64)
    year[new], status[new] = 2025, UNDER_CONSTRUCTION
    if none_d >= 0:  # the county without a station gets one only in 2026
        pts = pts.concat(pl.sample_in("district", none_d, power=0.0, mask=pl.density < 1_000))
        noise = np.append(noise, 0.015)
        kind = np.append(kind, "broadband")
        year, status = np.append(year, 2026), np.append(status, PLANNED)
    stems = pl.community_stems()[pts.community]
    return facility_frame("seismic_station", pts, [f"{s}地震台" for s in stems], year, status, noise_um=noise,
                          kind=kind.astype(object))


def _key_cells(ctx: Ctx) -> NDArray[np.bool_]:
    return features.rasterize(((g, 1) for g in ctx.areas.key_areas.geometry), out_shape=ctx.pop.shape,
                              transform=ctx.pop.transform, fill=0, dtype="uint8").astype(bool).ravel()


def _villages(ctx: Ctx, share: float) -> Points:
    geo = ctx.geo
    take = ctx.rng.random(geo.village_x_m.size) < share
    return ctx.placer.locate(geo.village_x_m[take], geo.village_y_m[take])


def eew_terminal(ctx: Ctx) -> gpd.GeoDataFrame:
    """Earthquake early-warning receiving terminals (``radius_m``): dense in the key areas (~80 %+
    of people covered), sparse elsewhere (below 60 %)."""
    rng, pl = ctx.rng, ctx.placer
    key = _key_cells(ctx)
    lived = pl.people > 0
    pts = _concat([lattice_points(ctx, key & lived, EEW_KEY_SPACING_M),
                   lattice_points(ctx, ctx.built_up_cells & ~key & lived, EEW_OTHER_SPACING_M),
                   _villages(ctx, EEW_VILLAGE_SHARE)])
    n = len(pts)
    radius = rng.choice(EEW_RADII_M, size=n).astype(np.int64)
    year = rng.integers(2021, 2026, n).astype(np.int64)
    status = np.where(year == 2025, UNDER_CONSTRUCTION, EXISTING).astype(object)
    logger.info("demo eew terminals: %d, covering %.0f %% of people in key areas and %.0f %% elsewhere", n,
                100 * radius_coverage(ctx, pts, radius, within=key),
                100 * radius_coverage(ctx, pts, radius, within=~key))
    stems = pl.community_stems()[pts.community]
    return facility_frame("eew_terminal", pts, [f"{s}地震预警终端" for s in stems], year, status, radius_m=radius)


def broadcast_terminal(ctx: Ctx) -> gpd.GeoDataFrame:
    """Emergency-broadcast terminals (``radius_m`` 300-800 m) over the built-up area and in about
    two thirds of the villages and every township seat."""
    rng, pl = ctx.rng, ctx.placer
    lived = pl.people > 0
    towns = pl.locate(np.array([t.x_m for t in ctx.geo.townships]), np.array([t.y_m for t in ctx.geo.townships]))
    pts = _concat([lattice_points(ctx, ctx.built_up_cells & lived, BROADCAST_URBAN_SPACING_M),
                   _villages(ctx, BROADCAST_VILLAGE_SHARE), towns])
    n = len(pts)
    radius = rng.choice(BROADCAST_RADII_M, size=n).astype(np.int64)
    year, status = assign_years(n, rng, recent=0.4, since=2019, building=0.03, planned=0.03, closed=0.01)
    logger.info("demo broadcast terminals: %d, covering %.1f %% of people", n, 100 * radius_coverage(ctx, pts, radius))
    stems = pl.community_stems()[pts.community]
    return facility_frame("broadcast_terminal", pts, [f"{s}应急广播终端" for s in stems], year, status,
                          radius_m=radius)


def quake_theme_park(ctx: Ctx) -> gpd.GeoDataFrame:
    """Two earthquake-culture theme parks (one opened 2020, one opening 2025)."""
    pl = ctx.placer
    pts = pl.sample(2, pl.people**0.5 * (pl.density > 2_000))
    d_names = pl.unit_names("district")[pts.district]
    return facility_frame("quake_theme_park", pts, [f"{d}防震减灾主题公园" for d in d_names],
                          np.array([2020, 2025]), np.array([EXISTING, UNDER_CONSTRUCTION], dtype=object))


def quake_science_base(ctx: Ctx) -> gpd.GeoDataFrame:
    """Earthquake science education bases: every district but about one in six."""
    rng, pl = ctx.rng, ctx.placer
    nd = ctx.n("district")
    fail = pick(rng, [d for d in range(nd) if d != ctx.core_district], max(1, round(nd / 6)))
    own = [d for d in range(nd) if d not in fail]
    pts = _concat([pl.sample_in("district", d, power=1.2) for d in own])
    d_names = pl.unit_names("district")
    n = len(pts)
    year = np.where(rng.random(n) < 0.5, rng.integers(2019, 2026, n), 0).astype(np.int64)
    return facility_frame("quake_science_base", pts, [f"{d_names[d]}防震减灾科普教育基地" for d in own], year,
                          np.full(n, EXISTING, dtype=object))
