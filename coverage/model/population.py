"""The population grid: where people live, as cell centres in metres with counts per group.

Everything downstream (units, walking access, catchments) works on this one representation.
A raster (e.g. WorldPop 100 m GeoTIFF) gives it directly; polygons with counts (census units) are
spread evenly over a 100 m grid inside each polygon (the report says so); points with counts (people
placed at residential buildings by :mod:`coverage_planner.model.dasymetric`) are used as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from affine import Affine
from numpy.typing import NDArray
from pyproj import CRS, Transformer

from ..errors import LayerError, MissingDataError
from .coords import COORD_SYSTEMS, COORD_SYSTEMS_ZH, to_wgs84
from .manifest import PopulationSource
from .messages import Both, Message
from .readers import ensure_path, read_layer, read_polygons, require_numeric
from .reasons import reason_words

__all__ = ["GROUP_LABELS", "PopulationGrid", "read_population"]

logger = logging.getLogger(__name__)

GROUP_LABELS: dict[str, tuple[str, str]] = {
    "total": ("常住人口", "residents"),
    "age_0_2": ("0–2岁婴幼儿", "children aged 0–2"),
    "age_0_3": ("0–3岁婴幼儿", "children aged 0–3"),
    "age_3_5": ("3–5岁幼儿", "children aged 3–5"),
    "age_60_plus": ("60岁及以上老年人", "people aged 60+"),
}
POLYGON_CELL_SIZE_M = 100.0


def _wkb_parts(geoms: NDArray[np.object_]) -> tuple[NDArray[np.int64], bytes]:
    """Geometries as content for a cache key: every geometry's WKB length, and all the WKB in order."""
    wkb = shapely.to_wkb(geoms, output_dimension=2, include_srid=False).tolist()
    return np.fromiter((len(b) for b in wkb), dtype=np.int64, count=len(wkb)), b"".join(wkb)


def group_note(name: str, share: float, *, per_cell: bool) -> str:
    """The data note for a population group estimated as a fixed share of the residents."""
    zh, en = GROUP_LABELS.get(name, (f"`{name}`", f"`{name}`"))
    return Message("say.group_estimated_cell" if per_cell else "say.group_estimated", group=Both(en, zh),
                   share=f"{share:.1%}")
#: Largest population raster read (width x height cells, per band): 400 million float64 cells are
#: 3.2 GB. A bigger raster is refused before any cell is read; clip it to the region first.
MAX_RASTER_CELLS = 400_000_000


@dataclass(frozen=True)
class GridInfo:
    """The raster grid the cells come from: lets polygons be assigned to cells by rasterising."""

    transform: Affine
    crs: CRS
    shape: tuple[int, int]  # (height, width)
    rows: NDArray[np.int64]
    cols: NDArray[np.int64]

    @cached_property
    def content_key(self) -> str:
        """Digest of the grid (transform, CRS, shape, the cells' rows and columns): part of cache keys."""
        from ..array_cache import content_key

        return content_key(tuple(float(v) for v in self.transform), self.crs.to_wkt(), tuple(self.shape),
                           self.rows, self.cols)


@dataclass(frozen=True)
class PopulationGrid:
    """Population cells: centres ``x_m``, ``y_m`` in the working CRS and counts per group."""

    x_m: NDArray[np.float64]
    y_m: NDArray[np.float64]
    counts: Mapping[str, NDArray[np.float64]]
    cell_size_m: float
    crs: CRS
    notes: tuple[str, ...] = field(default_factory=tuple)
    grid: GridInfo | None = None

    def polygon_index(self, polygons: NDArray[np.object_], polygons_crs: CRS) -> NDArray[np.int64]:
        """Index of the polygon holding each cell centre (-1 if none), by rasterising onto the grid.

        Much faster than point-in-polygon for a million cells; falls back to an STRtree query
        when the cells do not come from a grid.
        """
        if self.grid is None:
            from .region import _points_in_polygons

            return _points_in_polygons(self.x_m, self.y_m, polygons)
        from ..array_cache import array_cache_dir, cached_arrays, content_key, source_digest

        g = self.grid
        polys = np.asarray(polygons)
        poly_crs = CRS.from_user_input(polygons_crs)
        import pyproj
        import rasterio

        key = content_key("polygon_index", source_digest(__file__), rasterio.__version__, rasterio.__gdal_version__,
                          pyproj.__version__, shapely.__version__, g.content_key, poly_crs.to_wkt(), *_wkb_parts(polys))

        def rasterise() -> dict[str, NDArray[np.int32]]:
            from rasterio import features

            geoms = polys
            if poly_crs != g.crs:
                import geopandas as gpd

                geoms = gpd.GeoSeries(polys, crs=poly_crs).to_crs(g.crs).values
            ids = features.rasterize(((geom, i + 1) for i, geom in enumerate(geoms)), out_shape=g.shape,
                                     transform=g.transform, fill=0, dtype="int32")
            return {"code": ids[g.rows, g.cols]}

        codes = cached_arrays("polygon_index", key, rasterise, cache_dir=array_cache_dir())["code"]
        return codes.astype(np.int64) - 1

    def __len__(self) -> int:
        return int(self.x_m.size)

    @cached_property
    def points_key(self) -> str:
        """Digest of the cell centres and the working CRS: part of the cache keys of answers about the cells."""
        from ..array_cache import content_key

        return content_key(self.crs.to_wkt(), np.asarray(self.x_m, dtype=np.float64),
                           np.asarray(self.y_m, dtype=np.float64))

    @property
    def total(self) -> NDArray[np.float64]:
        """People per cell."""
        return self.counts["total"]

    def group(self, name: str, *, purpose: str = "") -> NDArray[np.float64]:
        """Counts of a population group; a clear error if the layer set does not have it."""
        if name not in self.counts:
            have = ", ".join(sorted(self.counts))
            needed = Message("err.needed_for", purpose=purpose) if purpose else ""
            raise MissingDataError(Message("err.group_missing", name=name, needed=needed, have=have))
        return self.counts[name]


def _raster_cells(path: Path, src: PopulationSource) -> tuple[NDArray[np.float64], Affine, CRS, tuple[int, int]]:
    import rasterio

    ensure_path(path)
    try:
        ds = rasterio.open(path)
    except rasterio.errors.RasterioIOError as exc:
        raise LayerError(Message("err.raster_unreadable", path=str(path), reason=reason_words(exc))) from exc
    with ds:
        crs = ds.crs or (CRS.from_user_input(src.crs) if src.crs else None)
        if crs is None:
            raise LayerError(Message("err.raster_no_crs", path=str(path), at=f"{src.manifest}:{src.line}"))
        if ds.width * ds.height > MAX_RASTER_CELLS:
            raise LayerError(Message("err.raster_too_big", path=str(path), width=f"{ds.width:,}", height=f"{ds.height:,}",
                                     cells=f"{ds.width * ds.height:,}", limit=f"{MAX_RASTER_CELLS:,}"))
        band = ds.read(1, masked=True).astype("float64")
        data = np.ma.filled(band, 0.0)
        data[~np.isfinite(data)] = 0.0
        if (data < 0).any():
            n = int((data < 0).sum())
            raise LayerError(Message("err.raster_negative", path=str(path), n=n))
        return data, ds.transform, CRS.from_user_input(crs), (ds.width, ds.height)


def _read_raster(src: PopulationSource, work_crs: CRS) -> PopulationGrid:
    total, transform, crs, shape = _raster_cells(src.path, src)
    layers = {"total": total}
    root = src.manifest.parent if src.manifest else src.path.parent
    for name, rel in src.groups.items():
        path = Path(rel)  # resolved and checked (inside the layer set) by the manifest's path resolver
        if not path.is_absolute():
            path = root / path
        data, t2, c2, s2 = _raster_cells(path, src)
        if s2 != shape or not np.allclose(tuple(t2), tuple(transform)) or c2 != crs:
            raise LayerError(Message("err.raster_not_aligned", path=str(path), name=name, total=str(src.path)))
        layers[name] = data
    keep = np.zeros(total.shape, dtype=bool)
    for arr in layers.values():
        keep |= arr > 0
    rows, cols = np.nonzero(keep)
    xs = transform.c + (cols + 0.5) * transform.a + (rows + 0.5) * transform.b
    ys = transform.f + (cols + 0.5) * transform.d + (rows + 0.5) * transform.e
    notes: list[str] = []
    if crs.is_geographic and src.coord_system != "wgs84":
        xs, ys = to_wgs84(xs, ys, src.coord_system)
        notes.append(Message("note.raster_to_wgs84", system=Both(COORD_SYSTEMS[src.coord_system],
                                                                  COORD_SYSTEMS_ZH[src.coord_system])))
    if crs != work_crs:
        xs, ys = Transformer.from_crs(crs, work_crs, always_xy=True).transform(xs, ys)
    if crs.is_projected:
        cell = float(abs(transform.a))
    else:
        cell = float(abs(transform.a) * 111_320 * np.cos(np.radians(np.mean(ys) if ys.size else 0)))
    counts = {k: v[rows, cols] for k, v in layers.items()}
    for name, share in src.group_shares.items():
        counts[name] = counts["total"] * share
        notes.append(group_note(name, share, per_cell=True))
    grid = GridInfo(transform, crs, total.shape, rows.astype(np.int64), cols.astype(np.int64))
    return PopulationGrid(np.asarray(xs, float), np.asarray(ys, float), counts, cell, work_crs, tuple(notes), grid)


def _read_polygons(src: PopulationSource, work_crs: CRS) -> PopulationGrid:
    from rasterio import features
    from rasterio import transform as rtransform

    gdf, notes = read_polygons(src)
    gdf = gdf.to_crs(work_crs)
    groups = _counts(gdf, src, "polygon")
    cell = POLYGON_CELL_SIZE_M
    minx, miny, maxx, maxy = gdf.total_bounds
    width = max(1, int(np.ceil((maxx - minx) / cell)))
    height = max(1, int(np.ceil((maxy - miny) / cell)))
    tr = rtransform.from_origin(minx, maxy, cell, cell)
    ids = features.rasterize(((g, i + 1) for i, g in enumerate(gdf.geometry.values)), out_shape=(height, width),
                             transform=tr, fill=0, dtype="int32")
    rows, cols = np.nonzero(ids)
    on_grid = rows.size
    owner = ids[rows, cols] - 1
    ncell = np.bincount(owner, minlength=len(gdf))
    xs = minx + (cols + 0.5) * cell
    ys = maxy - (rows + 0.5) * cell
    empty = np.flatnonzero(ncell == 0)
    if empty.size:  # polygons smaller than a cell: one cell at their representative point
        rp = gdf.geometry.values[empty].representative_point()
        xs = np.concatenate([xs, rp.x])
        ys = np.concatenate([ys, rp.y])
        owner = np.concatenate([owner, empty])
        ncell[empty] = 1
    counts = {k: v[owner] / ncell[owner] for k, v in groups.items()}
    for name, share in src.group_shares.items():
        counts[name] = counts["total"] * share
        notes.append(group_note(name, share, per_cell=False))
    notes.append(Message("note.population_polygons", n=len(gdf), file=src.path.name))
    grid = None
    if not empty.size:  # every cell is on the grid: polygons can be rasterised onto it
        grid = GridInfo(tr, work_crs, (height, width), rows[:on_grid].astype(np.int64), cols[:on_grid].astype(np.int64))
    return PopulationGrid(xs, ys, counts, cell, work_crs, tuple(notes), grid)


def _counts(gdf: pd.DataFrame, src: PopulationSource, what: str) -> dict[str, NDArray[np.float64]]:
    where = src.where()
    total = require_numeric(gdf, src.count_field or "", role="population", where=where, purpose=Message("err.for_people", what=Both(what, {"polygon": "面", "point": "点"}.get(what, what))))
    groups = {"total": total}
    for name, col in src.groups.items():
        groups[name] = require_numeric(gdf, col, role="population", where=where, purpose=Message("err.for_group", name=name))
    return groups


def _read_points(src: PopulationSource, work_crs: CRS) -> PopulationGrid:
    gdf, notes = read_layer(src, geom_types={"Point"})
    gdf = gdf.to_crs(work_crs)
    counts = _counts(gdf, src, "point")
    for name, share in src.group_shares.items():
        counts[name] = counts["total"] * share
        notes.append(group_note(name, share, per_cell=False))
    x = shapely.get_x(gdf.geometry.values)
    y = shapely.get_y(gdf.geometry.values)
    notes.append(Message("note.population_points", n=len(gdf), file=src.path.name))
    return PopulationGrid(np.asarray(x, float), np.asarray(y, float), counts, POLYGON_CELL_SIZE_M, work_crs,
                          tuple(notes), None)


def read_population(src: PopulationSource, work_crs: CRS) -> PopulationGrid:
    """Read the manifest's population layer into a grid in ``work_crs``.

    Parameters
    ----------
    src
        The manifest's population entry (raster or polygons).
    work_crs
        The projected working CRS (metres).
    """
    reader = {"raster": _read_raster, "points": _read_points}.get(src.kind, _read_polygons)
    grid = reader(src, work_crs)
    if len(grid) == 0 or float(grid.total.sum()) <= 0:
        raise LayerError(Message("err.no_people", path=str(src.path)))
    logger.info("population: %d cells, %.0f people", len(grid), grid.total.sum())
    return grid
