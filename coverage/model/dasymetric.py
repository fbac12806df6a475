"""Census-style population (counts per unit) spread onto where people live: dasymetric mapping.

Published Chinese population is a count per unit (七普 per district / street). Inside each unit the
people are placed, by the first method that finds anything there:

1. ``residential_buildings``: buildings tagged as dwellings (``building=apartments|residential|house|…``),
   weighted by footprint area × ``building:levels`` (1 level when untagged);
2. ``buildings_in_residential_land``: any other building (``building=yes`` …) standing in
   ``landuse=residential``, weighted the same way;
3. ``residential_land``: ``landuse=residential`` areas themselves, by area (points on a 50 m grid);
4. ``even``: spread evenly over the unit (points on a 100 m grid), with a note.

Counts are conserved exactly: integer counts are split by largest remainder, so the people placed in
a unit add up to the unit's count to the person; fractional counts are split proportionally.
Every function is vectorised (no Python loop over buildings).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from ..errors import LayerError

__all__ = ["DWELLING_TYPES", "METHODS", "DasymetricResult", "estimate_counts_from_floor_area", "spread_counts"]

#: ``building=*`` values that are dwellings.
DWELLING_TYPES = frozenset({
    "apartments", "residential", "house", "detached", "semidetached_house", "terrace", "dormitory", "bungalow",
    "cabin", "farm", "houseboat", "static_caravan",
})  # fmt: skip
#: Buildings that hold no residents even inside residential land use.
NON_DWELLING = frozenset({
    "garage", "garages", "shed", "roof", "carport", "kiosk", "church", "chapel", "cathedral", "mosque", "temple",
    "school", "university", "kindergarten", "hospital", "retail", "commercial", "office", "industrial", "warehouse",
    "public", "civic", "government", "transportation", "train_station", "parking", "service", "utility",
    "hut", "toilets", "greenhouse", "construction", "ruins", "bunker", "tower", "pavilion", "museum", "ship",
    "entrance", "bridge", "atrium", "hotel",
})  # fmt: skip
METHODS = ("residential_buildings", "buildings_in_residential_land", "residential_land", "even")
_METHOD_TEXT = {
    "residential_buildings": "residential buildings (footprint × levels)",
    "buildings_in_residential_land": "buildings inside residential land use (footprint × levels)",
    "residential_land": "residential land use (by area)",
    "even": "spread evenly over the unit (no residential buildings or land use found)",
}


@dataclass(frozen=True)
class DasymetricResult:
    """People placed at points, and how each unit was handled.

    Attributes
    ----------
    points
        GeoDataFrame (CRS of the units) with ``unit_id``, ``count`` (people), ``method``.
    units
        DataFrame per unit: ``unit_id``, ``count``, ``method`` (one of :data:`METHODS`, or ``none`` for a
        unit with no people), ``n_points``.
    notes
        Sentences for the report (which method how many units used).
    """

    points: gpd.GeoDataFrame
    units: pd.DataFrame
    notes: tuple[str, ...]


def _weights(buildings: gpd.GeoDataFrame) -> NDArray[np.float64]:
    area_m2 = shapely.area(buildings.geometry.values)
    levels = pd.to_numeric(buildings.get("levels", pd.Series(np.nan, index=buildings.index)), errors="coerce")
    levels = levels.where(levels > 0).fillna(1.0).to_numpy(float)
    return np.asarray(area_m2 * levels, dtype=np.float64)


@dataclass(frozen=True)
class _Residential:
    """Buildings as candidate homes: where they stand, in which unit, their weight and their kind."""

    points: NDArray[np.object_]
    owner: NDArray[np.int64]  # unit index, -1 outside every unit
    weight: NDArray[np.float64]  # footprint × levels
    dwelling: NDArray[np.bool_]
    other_in_land: NDArray[np.bool_]  # a building of no stated kind inside residential land use
    land: gpd.GeoDataFrame | None


def _residential(tree: shapely.STRtree, buildings: gpd.GeoDataFrame, residential_land: gpd.GeoDataFrame | None,
                 crs: object) -> _Residential:
    """Classify buildings (any CRS) against the units in ``tree`` (in ``crs``) and the residential land."""
    b = buildings.to_crs(crs) if len(buildings) else buildings
    kind = b["building"].astype(str).to_numpy() if len(b) else np.zeros(0, dtype=str)
    pts = shapely.point_on_surface(b.geometry.values) if len(b) else np.zeros(0, dtype=object)
    pi, unit = tree.query(pts, predicate="within")
    owner = np.full(len(b), -1, dtype=np.int64)
    owner[pi[::-1]] = unit[::-1]  # a building on a shared edge belongs to its first unit
    dwelling = np.isin(kind, list(DWELLING_TYPES))
    land = residential_land.to_crs(crs) if residential_land is not None and len(residential_land) else None
    in_land = np.zeros(len(b), dtype=bool)
    if land is not None and len(b):
        in_land[np.unique(shapely.STRtree(land.geometry.values).query(pts, predicate="within")[0])] = True
    return _Residential(pts, owner, _weights(b) if len(b) else np.zeros(0), dwelling,
                        in_land & ~dwelling & ~np.isin(kind, list(NON_DWELLING)), land)


def _grid_points(polys: NDArray[np.object_], owner: NDArray[np.int64], cell_m: float
                 ) -> tuple[NDArray[np.object_], NDArray[np.int64], NDArray[np.float64]]:
    """Points on a ``cell_m`` grid inside each polygon (weight = area share), one point for tiny polygons."""
    if len(polys) == 0:
        return np.zeros(0, dtype=object), np.zeros(0, np.int64), np.zeros(0)
    minx, miny, maxx, maxy = shapely.total_bounds(polys)
    xs = np.arange(minx + cell_m / 2, maxx, cell_m)
    ys = np.arange(miny + cell_m / 2, maxy, cell_m)
    gx, gy = np.meshgrid(xs, ys)
    pts = shapely.points(gx.ravel(), gy.ravel())
    tree = shapely.STRtree(polys)
    pi, gi = tree.query(pts, predicate="within")
    first = np.unique(pi, return_index=True)[1]  # a point in two overlapping pieces counts once
    pi, gi = pi[first], gi[first]
    have = np.zeros(len(polys), dtype=bool)
    have[gi] = True
    lone = np.flatnonzero(~have)
    out_pts = np.concatenate([pts[pi], shapely.point_on_surface(polys[lone])])
    out_poly = np.concatenate([gi, lone]).astype(np.int64)
    area = shapely.area(polys)
    n_in = np.bincount(out_poly, minlength=len(polys))
    return out_pts, owner[out_poly], area[out_poly] / n_in[out_poly]


def _split(count: float, w: NDArray[np.float64]) -> NDArray[np.float64]:
    """``count`` split in proportion to ``w``: whole people by largest remainder when ``count`` is whole."""
    share = w / w.sum()
    if float(count).is_integer():
        raw = share * count
        base = np.floor(raw)
        rest = int(round(count - base.sum()))
        if rest > 0:
            base[np.argsort(-(raw - base), kind="stable")[:rest]] += 1
        return base
    return share * count


def spread_counts(
    units: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    *,
    residential_land: gpd.GeoDataFrame | None = None,
    count_col: str = "count",
    id_col: str = "unit_id",
    even_cell_m: float = 100.0,
) -> DasymetricResult:
    """Spread each unit's count onto its residential buildings (or land use, or evenly).

    Parameters
    ----------
    units
        Polygons in a projected CRS (metres) with ``id_col`` and ``count_col`` (people).
    buildings
        Building footprints (polygons, any CRS) with ``building`` (the OSM value) and optional ``levels``.
    residential_land
        ``landuse=residential`` polygons (any CRS), optional.
    count_col, id_col
        Column names on ``units``.
    even_cell_m
        Grid spacing for the even fallback.

    Returns
    -------
    DasymetricResult
        Points with people, conserving every unit's count.

    Raises
    ------
    LayerError
        Units without a projected CRS, or with missing/negative counts.
    """
    if units.crs is None or not units.crs.is_projected:
        raise LayerError("Dasymetric spreading needs units in a projected CRS (metres); reproject them first.")
    counts = pd.to_numeric(units[count_col], errors="coerce")
    bad = counts.isna() | (counts < 0)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        msg = (f"Unit population: row {i + 1} (unit {units[id_col].iloc[i]!r}) has count {units[count_col].iloc[i]!r}; "
               "every unit needs a number of people ≥ 0. Fix the counts file.")
        raise LayerError(msg)
    crs = units.crs
    upoly = units.geometry.values
    tree = shapely.STRtree(upoly)
    res = _residential(tree, buildings, residential_land, crs)
    land = res.land

    cand_pts: list[NDArray[np.object_]] = []
    cand_unit: list[NDArray[np.int64]] = []
    cand_w: list[NDArray[np.float64]] = []
    cand_method: list[NDArray[np.int64]] = []

    def add(p: NDArray[np.object_], u: NDArray[np.int64], w: NDArray[np.float64], method: int) -> None:
        cand_pts.append(p)
        cand_unit.append(u)
        cand_w.append(w)
        cand_method.append(np.full(len(p), method))

    for m, mask in enumerate((res.dwelling, res.other_in_land)):
        sel = mask & (res.owner >= 0) & (res.weight > 0)
        add(res.points[sel], res.owner[sel], res.weight[sel], m)
    if land is not None:
        li, ui = tree.query(land.geometry.values, predicate="intersects")
        pieces = shapely.intersection(land.geometry.values[li], upoly[ui])
        keep = ~shapely.is_empty(pieces) & (shapely.area(pieces) > 0)
        add(*_grid_points(pieces[keep], ui[keep].astype(np.int64), 50.0), 2)
    add(*_grid_points(upoly, np.arange(len(units), dtype=np.int64), even_cell_m), 3)
    pts = np.concatenate(cand_pts)
    unit = np.concatenate(cand_unit)
    w = np.concatenate(cand_w)
    method = np.concatenate(cand_method)
    # per unit, the best (lowest-numbered) method that has any weight
    best = np.full(len(units), 3, dtype=np.int64)
    np.minimum.at(best, unit, method)
    use = method == best[unit]
    pts, unit, w, method = pts[use], unit[use], w[use], method[use]
    order = np.argsort(unit, kind="stable")
    pts, unit, w, method = pts[order], unit[order], w[order], method[order]
    starts = np.searchsorted(unit, np.arange(len(units) + 1))
    people = np.zeros(len(pts))
    cvals = counts.to_numpy(float)
    for i in range(len(units)):  # one numpy split per unit (hundreds of units, not per building)
        s, e = starts[i], starts[i + 1]
        if e > s:
            people[s:e] = _split(cvals[i], w[s:e])
    ids = units[id_col].to_numpy()
    points = gpd.GeoDataFrame({"unit_id": ids[unit], "count": people, "method": np.asarray(METHODS)[method]},
                              geometry=pts, crs=crs)
    per_unit = pd.DataFrame({"unit_id": ids, "count": cvals, "method": np.asarray(METHODS)[best],
                             "n_points": np.diff(starts)})
    per_unit.loc[per_unit["count"] == 0, "method"] = "none"
    used = per_unit["method"].value_counts()
    parts = [f"{int(used[m])} unit(s) by {_METHOD_TEXT[m]}" for m in METHODS if int(used.get(m, 0))]
    notes = ["Unit population spread onto where people live (dasymetric): " + "; ".join(parts) + "."] if parts else []
    if int(used.get("even", 0)):
        even = per_unit.loc[per_unit["method"] == "even", "unit_id"].astype(str).tolist()
        notes.append("Spread evenly (no residential buildings or land use found): " + ", ".join(even[:20])
                     + (" …" if len(even) > 20 else "") + ".")
    if int(used.get("none", 0)):
        notes.append(f"{int(used['none'])} unit(s) have no residents in the counts.")
    return DasymetricResult(points=points[points["count"] > 0].reset_index(drop=True), units=per_unit,
                            notes=tuple(notes))


def estimate_counts_from_floor_area(
    units: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame, *, floor_m2_per_person: float,
    residential_land: gpd.GeoDataFrame | None = None,
) -> NDArray[np.float64]:
    """People per unit estimated as residential floor area ÷ ``floor_m2_per_person`` (when no census counts).

    Floor area = footprint × levels of dwelling buildings, plus other buildings inside residential land
    use (the same buildings :func:`spread_counts` uses). Whole people (rounded).
    """
    if floor_m2_per_person <= 0:
        raise LayerError(f"floor_m2_per_person must be > 0, not {floor_m2_per_person}.")
    res = _residential(shapely.STRtree(units.geometry.values), buildings, residential_land, units.crs)
    use = (res.dwelling | res.other_in_land) & (res.owner >= 0)
    floor = np.bincount(res.owner[use], weights=res.weight[use], minlength=len(units))
    return np.round(floor / floor_m2_per_person)
