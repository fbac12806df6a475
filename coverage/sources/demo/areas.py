"""Named areas of the demo city: built-up areas, earthquake key areas, new residential estates."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from rasterio import features

from .geography import WORK_CRS, Geography
from .names import NamePool, ordinal_zh
from .population_grid import DemoPopulation
from .units import DemoUnits

__all__ = ["DemoAreas", "build_areas"]

logger = logging.getLogger(__name__)

#: Smoothed density (people/km²) that counts as built up, and the smallest built-up patch kept.
BUILT_UP_MIN_DENSITY_KM2 = 1_500.0
BUILT_UP_MIN_AREA_M2 = 1_000_000.0
BUILT_UP_SMOOTHING_M = 150.0
KEY_AREA_RADII_KM = (12.0, 6.0, 5.0)
#: The high-intensity zone (地震高烈度地区, intensity VIII): a band along a fault from the hills to the
#: north-east, as (x km, y km) ends relative to the core and half-width (km) at full scale.
HIGH_INTENSITY_FAULT_KM = ((-40.0, -30.0), (20.0, 14.0))
HIGH_INTENSITY_HALF_WIDTH_KM = 5.0
NEW_ESTATES_FULL_SCALE = 40
MIN_NEW_ESTATES = 6
#: Share of new estates that fall short of 6 childcare slots per 1000 residents.
ESTATES_BELOW_NORM_SHARE = 0.35
ESTATE_SUFFIXES = ("花园", "家园", "苑", "府", "名都", "新城", "雅居", "公馆", "华庭", "御景")


@dataclass(frozen=True, eq=False)
class DemoAreas:
    """Area layers in EPSG:32649."""

    built_up: gpd.GeoDataFrame
    key_areas: gpd.GeoDataFrame
    new_estates: gpd.GeoDataFrame
    high_intensity: gpd.GeoDataFrame


def _built_up(pop: DemoPopulation, units: DemoUnits, geo: Geography) -> gpd.GeoDataFrame:
    mask = (pop.density_per_km2 >= BUILT_UP_MIN_DENSITY_KM2) & pop.territory
    polys = [shapely.geometry.shape(g) for g, _ in
             features.shapes(mask.astype(np.uint8), mask=mask, transform=pop.transform, connectivity=4)]
    polys = [p for p in polys if p.area >= BUILT_UP_MIN_AREA_M2]
    if not polys:  # pragma: no cover - a city always has a core
        polys = [shapely.Point(geo.centre_x_m, geo.centre_y_m).buffer(1_000.0)]
    geoms = shapely.buffer(shapely.buffer(np.array(polys, dtype=object), BUILT_UP_SMOOTHING_M),
                           -BUILT_UP_SMOOTHING_M)
    geoms = shapely.intersection(shapely.simplify(geoms, 25.0), geo.territory)
    geoms = shapely.get_parts(shapely.union_all(geoms))
    geoms = [shapely.Polygon(g.exterior, [h for h in g.interiors if shapely.Polygon(h).area > 250_000])
             for g in geoms if g.area >= BUILT_UP_MIN_AREA_M2]
    rep = shapely.point_on_surface(geoms)
    tree = shapely.STRtree(units.district.geometry.values)
    owner = tree.query(rep, predicate="within")
    district_of = dict(zip(owner[0], owner[1], strict=True))
    order = np.argsort([-g.area for g in geoms], kind="stable")
    seen: dict[int, int] = {}
    names = []
    for i in order:
        d = district_of.get(int(i), 0)
        seen[d] = seen.get(d, 0) + 1
        base = "中心城区" if geoms[i].contains(shapely.Point(geo.centre_x_m, geo.centre_y_m)) else (
            units.district.name.iloc[d] + "城区")
        names.append(base if seen[d] == 1 else f"{base}（{ordinal_zh(seen[d])}）")
    return gpd.GeoDataFrame({"name": names}, geometry=[geoms[i] for i in order], crs=WORK_CRS)


def _key_areas(geo: Geography, units: DemoUnits) -> gpd.GeoDataFrame:
    centres = [(geo.centre_x_m, geo.centre_y_m, "中心城区")]
    if geo.dev_zones:
        centres.append((geo.dev_zones[0].x_m, geo.dev_zones[0].y_m, ""))
    third = geo.dev_zones[3] if len(geo.dev_zones) > 3 else geo.county_seats[0]
    centres.append((third.x_m, third.y_m, ""))
    tree = shapely.STRtree(units.district.geometry.values)
    names, geoms = [], []
    for (x, y, label), r_km in zip(centres, KEY_AREA_RADII_KM, strict=False):
        pt = shapely.Point(x, y)
        if not label:
            hit = tree.query(pt, predicate="within")
            label = units.district.name.iloc[int(hit[0])] if hit.size else "重点"
        names.append(f"{label}地震重点监视防御区")
        geoms.append(shapely.intersection(pt.buffer(r_km * 1000.0 * geo.linear, quad_segs=32), geo.territory))
    return gpd.GeoDataFrame({"name": names}, geometry=geoms, crs=WORK_CRS)


def _high_intensity(geo: Geography) -> gpd.GeoDataFrame:
    """The intensity-VIII band along the demo fault, clipped to the territory."""
    fault = shapely.LineString([geo.km(x, y) for x, y in HIGH_INTENSITY_FAULT_KM])
    band = shapely.intersection(fault.buffer(HIGH_INTENSITY_HALF_WIDTH_KM * 1000.0 * geo.linear), geo.territory)
    return gpd.GeoDataFrame({"name": ["地震烈度Ⅷ度区"]}, geometry=[band], crs=WORK_CRS)


def _new_estates(geo: Geography, pop: DemoPopulation, units: DemoUnits, rng: np.random.Generator
                 ) -> gpd.GeoDataFrame:
    n = max(MIN_NEW_ESTATES, round(NEW_ESTATES_FULL_SCALE * geo.scale))
    cx, cy = pop.centres()
    dens = pop.density_per_km2
    d_class = units.district["class"].to_numpy()
    cls = np.where(units.district_cell >= 0, d_class[np.clip(units.district_cell, 0, None)], "")
    ok = (dens >= 3_000) & (dens <= 15_000) & pop.territory
    weight = np.where(ok, np.where(cls == "development_zone", 4.0, 1.0), 0.0).ravel()
    idx = rng.choice(weight.size, size=min(20 * n, int((weight > 0).sum())), replace=False, p=weight / weight.sum())
    xs, ys = cx.ravel()[idx], cy.ravel()[idx]
    chosen: list[int] = []
    for i in range(idx.size):  # keep estates at least 800 m apart
        if all(np.hypot(xs[i] - xs[j], ys[i] - ys[j]) > 800.0 for j in chosen):
            chosen.append(i)
        if len(chosen) == n:
            break
    names = NamePool(rng)
    rows = []
    for i in chosen:
        w, h = rng.uniform(220, 450), rng.uniform(180, 350)
        ang = rng.uniform(-0.25, 0.25)
        box = shapely.affinity.rotate(shapely.box(-w / 2, -h / 2, w / 2, h / 2), ang, use_radians=True)
        geom = shapely.affinity.translate(box, xs[i], ys[i])
        residents = int(round(rng.uniform(1_500, 9_000), -1))
        below = rng.random() < ESTATES_BELOW_NORM_SHARE
        per_1000 = rng.uniform(0.0, 5.5) if below else rng.uniform(6.0, 9.0)
        rows.append({"name": names.one() + ESTATE_SUFFIXES[int(rng.integers(len(ESTATE_SUFFIXES)))],
                     "residents": residents, "childcare_slots": int(round(residents * per_1000 / 1000)),
                     "completed_year": int(rng.integers(2019, 2026)), "geometry": geom})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=WORK_CRS)


def build_areas(geo: Geography, pop: DemoPopulation, units: DemoUnits, *, seed: int) -> DemoAreas:
    """Build the built-up areas, 2-3 earthquake key areas and a few dozen new estates.

    Parameters
    ----------
    geo, pop, units
        Layout, population grid and units.
    seed
        Seed of the areas' random generator.
    """
    rng = np.random.default_rng([seed, 4])
    built = _built_up(pop, units, geo)
    key = _key_areas(geo, units)
    estates = _new_estates(geo, pop, units, rng)
    logger.info("demo areas: %d built-up polygons (%.0f km²), %d key areas, %d new estates",
                len(built), built.area.sum() / 1e6, len(key), len(estates))
    return DemoAreas(built_up=built, key_areas=key, new_estates=estates, high_intensity=_high_intensity(geo))
