"""Making layers light enough for a web page: simplify, reproject, round, aggregate.

Everything here is vectorised (shapely 2 / numpy); nothing loops over features in Python.
Simplification happens in the working CRS (metres) *before* reprojecting to WGS84, so the
tolerance means the same on the ground everywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray

from ...model.coords import wgs84_to_gcj02

__all__ = [
    "AGGREGATE_SIZES_M",
    "MAX_CELLS",
    "aggregate_cells",
    "drop_specks",
    "map_tolerance_m",
    "round_coords",
    "shift_to_gcj02",
    "simplify",
    "to_web",
]

logger = logging.getLogger(__name__)

#: Coordinates are written with this many decimals (1e-6 degree is about 0.1 m).
DECIMALS = 6
#: Cell sizes tried, in order, when a population layer has too many cells for a page.
AGGREGATE_SIZES_M: tuple[float, ...] = (200.0, 500.0, 1000.0, 2000.0, 5000.0)
#: At most this many population cells are drawn on one page.
MAX_CELLS = 15_000


def map_tolerance_m(bounds: Sequence[float], *, pixels: float = 4000.0, lo: float = 1.0, hi: float = 100.0) -> float:
    """Simplification tolerance for a map of ``bounds`` (minx, miny, maxx, maxy in metres).

    The page opens with the whole extent about 1000 px wide; a tolerance of extent / 4000 keeps the
    error below a quarter pixel there and below a pixel after zooming in twice.

    Parameters
    ----------
    bounds
        Extent of the map in the working CRS (metres).
    pixels
        Extent divided by this gives the tolerance.
    lo, hi
        Limits of the tolerance in metres.

    Returns
    -------
    float
        Tolerance in metres.
    """
    minx, miny, maxx, maxy = (float(b) for b in bounds)
    extent = max(maxx - minx, maxy - miny)
    if not np.isfinite(extent) or extent <= 0:
        return lo
    return float(min(hi, max(lo, extent / pixels)))


def simplify(geoms: NDArray[np.object_], tolerance_m: float, *, coverage: bool = False) -> NDArray[np.object_]:
    """Simplify geometries (metres) for display.

    Parameters
    ----------
    geoms
        Shapely geometries in a metric CRS.
    tolerance_m
        Douglas-Peucker tolerance in metres (0 leaves them unchanged).
    coverage
        The polygons tile the plane (administrative units): simplify shared edges once so neighbours
        still meet without gaps or overlaps (``shapely.coverage_simplify``; falls back to per-polygon
        simplification for invalid coverages).

    Returns
    -------
    numpy.ndarray
        Simplified geometries, same length and order.

    Notes
    -----
    Other geometries first lose holes and parts smaller than a square of four times the tolerance
    (about a pixel when the page opens; a walking service area can have tens of thousands), then are simplified
    with plain Douglas-Peucker: GEOS's topology-preserving variant takes minutes on such shapes. A
    geometry that would vanish entirely is simplified with topology preserved instead, so no feature
    is lost.
    """
    geoms = np.asarray(geoms, dtype=object)
    if tolerance_m <= 0 or geoms.size == 0:
        return geoms
    if coverage and hasattr(shapely, "coverage_simplify"):
        polys = shapely.get_type_id(geoms)
        if np.isin(polys, (3, 6)).all():
            try:
                out = shapely.coverage_simplify(geoms, tolerance_m)
                if shapely.is_valid(out).all() and not shapely.is_empty(out).any():
                    return np.asarray(out, dtype=object)
            except shapely.errors.GEOSException as exc:  # an invalid coverage: fall back
                logger.debug("coverage_simplify failed (%s); simplifying polygons one by one", exc)
    light = drop_specks(geoms, (4.0 * tolerance_m) ** 2)
    out = np.asarray(shapely.simplify(light, tolerance_m, preserve_topology=False), dtype=object)
    lost = shapely.is_empty(out) & ~shapely.is_empty(geoms)
    if lost.any():
        out[lost] = shapely.simplify(geoms[lost], tolerance_m, preserve_topology=True)
    return out


def drop_specks(geoms: NDArray[np.object_], min_area: float) -> NDArray[np.object_]:
    """Remove holes and polygon parts smaller than ``min_area`` (other geometry types pass through).

    A polygon whose every part is smaller is kept whole, so no feature disappears.
    """
    geoms = np.asarray(geoms, dtype=object)
    out = geoms.copy()
    polygonal = np.flatnonzero(np.isin(shapely.get_type_id(geoms), (3, 6)))
    if polygonal.size == 0 or min_area <= 0:
        return out
    parts, part_row = shapely.get_parts(geoms[polygonal], return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    first = np.r_[True, ring_part[1:] != ring_part[:-1]]  # each part's exterior ring comes first
    keep_ring = first | (shapely.area(shapely.polygons(rings)) >= min_area)
    rebuilt = shapely.polygons(rings[keep_ring], indices=ring_part[keep_ring])
    big = shapely.area(rebuilt) >= min_area
    rows_with_big = np.unique(part_row[big])
    keep_part = big | ~np.isin(part_row, rows_with_big)
    merged = shapely.multipolygons(rebuilt[keep_part], indices=part_row[keep_part])
    single = shapely.get_num_geometries(merged) == 1
    merged[single] = shapely.get_geometry(merged[single], 0)
    out[polygonal[np.unique(part_row[keep_part])]] = merged
    return out


def round_coords(geoms: NDArray[np.object_], decimals: int = DECIMALS) -> NDArray[np.object_]:
    """Round every coordinate to ``decimals`` places (vectorised)."""
    return np.asarray(shapely.transform(np.asarray(geoms, dtype=object), lambda xy: np.round(xy, decimals)), dtype=object)


def shift_to_gcj02(geoms: NDArray[np.object_]) -> NDArray[np.object_]:
    """Shift WGS84 lon/lat geometries to GCJ-02 (so they line up with Amap/Gaode tiles)."""

    def _fn(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        lon, lat = wgs84_to_gcj02(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    return np.asarray(shapely.transform(np.asarray(geoms, dtype=object), _fn), dtype=object)


def to_web(gdf: gpd.GeoDataFrame, *, tolerance_m: float = 0.0, gcj02: bool = False, coverage: bool = False,
           decimals: int = DECIMALS) -> gpd.GeoDataFrame:
    """A layer ready for a web map: simplified, in WGS84 (or GCJ-02) lon/lat, rounded.

    Parameters
    ----------
    gdf
        A layer in a projected CRS with metre units (the region's working CRS).
    tolerance_m
        Simplification tolerance in metres (see :func:`map_tolerance_m`).
    gcj02
        Shift to GCJ-02 after reprojecting (Amap tiles).
    coverage
        The polygons tile the plane (see :func:`simplify`).
    decimals
        Decimals kept in the coordinates.

    Returns
    -------
    geopandas.GeoDataFrame
        The same rows in EPSG:4326 (labelled so even when shifted to GCJ-02), without empty geometries.
    """
    if gdf.crs is None:
        msg = "layer has no CRS; cannot place it on a web map"
        raise ValueError(msg)
    geoms = gdf.geometry.to_numpy()
    if tolerance_m > 0 and gdf.crs.is_projected:
        geoms = simplify(geoms, tolerance_m, coverage=coverage)
    out = gpd.GeoDataFrame(gdf.drop(columns=gdf.geometry.name), geometry=gpd.GeoSeries(geoms, crs=gdf.crs, index=gdf.index))
    out = out.to_crs(4326)
    g = out.geometry.to_numpy()
    if gcj02:
        g = shift_to_gcj02(g)
    g = round_coords(g, decimals)
    out = out.set_geometry(gpd.GeoSeries(g, crs=4326, index=out.index))
    keep = ~(shapely.is_empty(g) | shapely.is_missing(g))
    return out[keep]


def infer_cell_size(x: NDArray[np.float64], y: NDArray[np.float64], default: float = 100.0) -> float:
    """The spacing of a regular grid of cell centres (smallest positive step of x or y)."""
    diffs = [np.diff(np.unique(np.round(v, 3))) for v in (x, y) if v.size > 1]
    positive = [s[s > 0] for s in diffs]
    steps = [float(s.min()) for s in positive if s.size]
    return min(steps) if steps else default


def aggregate_cells(points: gpd.GeoDataFrame, value: str = "people", *, cell_m: float | None = None,
                    max_cells: int = MAX_CELLS, sizes: Sequence[float] = AGGREGATE_SIZES_M
                    ) -> tuple[gpd.GeoDataFrame, float]:
    """Population cells (points at cell centres) as squares, merged into coarser cells if too many.

    Parameters
    ----------
    points
        Cell centres in a metric CRS with a numeric ``value`` column.
    value
        Column summed when cells merge (people are additive, so the meaning is kept).
    cell_m
        The cells' size in metres (inferred from the spacing when None).
    max_cells
        Merge to the first of ``sizes`` that gives at most this many cells.
    sizes
        Coarser cell sizes to try, in metres, ascending.

    Returns
    -------
    (geopandas.GeoDataFrame, float)
        Square cells with columns ``value`` and ``cell_m``, and the cell size used.
    """
    crs = points.crs
    if len(points) == 0:
        empty = gpd.GeoDataFrame({value: np.zeros(0), "cell_m": np.zeros(0)}, geometry=gpd.GeoSeries([], crs=crs))
        return empty, float(cell_m or 0.0)
    pts = points.geometry.to_numpy()
    if not (shapely.get_type_id(pts) == 0).all():
        pts = shapely.point_on_surface(pts)
    x, y = shapely.get_x(pts), shapely.get_y(pts)
    w = np.asarray(points[value], dtype=np.float64)
    native = float(cell_m) if cell_m else infer_cell_size(x, y)
    size, ix, iy, sums = native, None, None, w
    if len(points) > max_cells:
        for s in (s for s in sizes if s > native):
            kx, ky = np.floor(x / s).astype(np.int64), np.floor(y / s).astype(np.int64)
            kx0, ky0 = kx.min(), ky.min()
            span = int(ky.max() - ky0) + 1
            keys, inv = np.unique((kx - kx0) * span + (ky - ky0), return_inverse=True)
            size, ix, iy = float(s), keys // span + kx0, keys % span + ky0
            sums = np.bincount(inv.ravel(), weights=w, minlength=len(keys)).astype(np.float64, copy=False)
            if len(keys) <= max_cells:
                break
        logger.info("aggregated %d population cells of %g m into %d cells of %g m", len(points), native,
                    len(sums), size)
    if ix is None or iy is None:  # set together
        x0, y0 = x - native / 2, y - native / 2
    else:
        x0, y0 = ix * size, iy * size
    squares = shapely.box(x0, y0, x0 + size, y0 + size)
    out = gpd.GeoDataFrame({value: sums, "cell_m": np.full(len(sums), size)}, geometry=gpd.GeoSeries(squares, crs=crs))
    return out, size
