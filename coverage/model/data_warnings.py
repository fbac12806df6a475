"""Data warnings: what a layer set gets wrong without being unreadable (issue 19).

Each check returns planner sentences starting ``WARNING:`` (or raises ``LayerError`` where results would be
wrong): overlapping units, network pieces cut off from the main network, points declared WGS84 that sit
where GCJ-02/BD-09 points would, MultiPoint facilities. The region adds them to its notes, which every
report prints with its data notes and ``coverage doctor`` shows as ``[WARNING]``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import CRS

from ..errors import CoverageError, LayerError
from .coords import COORD_SYSTEMS, OFFSET_MIN_POINTS, offset_evidence, outside_china, undeclared_offset
from .crs import WGS84, representative_xy
from .manifest import LayerSource
from .messages import Both, Code, Message
from .population import PopulationGrid
from .readers import rows_preview, rows_words
from .words import words

__all__ = ["network_islands", "single_points", "undeclared_coord_system", "unit_overlaps"]

logger = logging.getLogger(__name__)

#: Two units of one level overlapping by more than this share of the smaller one (and OVERLAP_MIN_M2) are reported.
OVERLAP_SHARE = 0.001
OVERLAP_MIN_M2 = 100.0
#: Points used to look for an undeclared GCJ-02/BD-09 offset (a fixed sample of larger layers).
OFFSET_SAMPLE = 2000
#: Distances to the network are capped here (a point far from every street says little about offsets).
OFFSET_MAX_SNAP_M = 2000.0


def unit_overlaps(gdf: gpd.GeoDataFrame, level: str, pop: PopulationGrid) -> list[str]:
    """Data warnings for units of one level that overlap (their area and the people inside counted twice).

    Slivers from digitising (under ``OVERLAP_MIN_M2`` or ``OVERLAP_SHARE`` of the smaller unit) are ignored.
    """
    geoms = gdf.geometry.values
    if len(geoms) < 2:
        return []
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    # neighbours that only share a border (most pairs) have no area in common: no intersection to build
    apart = ~shapely.touches(geoms[left], geoms[right])
    left, right = left[apart], right[apart]
    if not left.size:
        return []
    inter = shapely.intersection(geoms[left], geoms[right])
    area = shapely.area(inter)
    smaller = np.minimum(shapely.area(geoms[left]), shapely.area(geoms[right]))
    big = (area > OVERLAP_MIN_M2) & (area > OVERLAP_SHARE * smaller)
    if not big.any():
        return []
    left, right, inter, area = left[big], right[big], inter[big], area[big]
    people = np.zeros(left.size)
    if len(pop):
        pi, gi = shapely.STRtree(inter).query(shapely.points(pop.x_m, pop.y_m), predicate="intersects")
        np.add.at(people, gi, pop.total[pi])
    ids, names = gdf["unit_id"].to_numpy(), gdf["name"].to_numpy()
    pairs = [(f"{ids[a]} ({names[a]})", f"{ids[b]} ({names[b]})", f"{ar / 1e4:,.1f}", f"{p:,.0f}")
             for a, b, ar, p in zip(left[:5], right[:5], area[:5], people[:5], strict=True)]
    listed = Both("; ".join(f"{a} and {b}: {ar} ha, {p} people" for a, b, ar, p in pairs)
                  + (f" and {left.size - 5} more pair(s)" if left.size > 5 else ""),
                  ";".join(f"{a} 与 {b}:{ar} 公顷,{p} 人" for a, b, ar, p in pairs)
                  + (f";另有 {left.size - 5} 对" if left.size > 5 else ""))
    return [Message("note.unit_overlaps", pairs=left.size, level=Both(level, words(level, "zh")),
                    ha=f"{area.sum() / 1e4:,.1f}", people=f"{people.sum():,.0f}", listed=listed)]


def network_islands(region: Any, graph: Any, on_dropped: NDArray[np.bool_], *, mode: str) -> str | None:
    """A data warning for people living nearest to network pieces cut off from the main network.

    Parameters
    ----------
    graph
        The loaded network (a ``WalkGraph``: its dropped pieces are recorded).
    on_dropped
        Per population cell: nearest to a dropped piece (``Snap.on_dropped_piece``).
    mode
        ``walk`` or ``bike``, for the message.

    Returns
    -------
    str or None
        The sentence (also appended to ``region.notes``, so reports print it), or None when nobody is cut off.
    """
    pieces = int(graph.n_dropped_components)
    people = float(region.population.total[on_dropped].sum()) if on_dropped.size else 0.0
    if pieces == 0 or people <= 0:
        return None
    share = people / max(float(region.population.total.sum()), 1e-9)
    i = int(np.flatnonzero(on_dropped & (region.population.total > 0))[0])
    ll = gpd.GeoSeries(shapely.points([region.population.x_m[i]], [region.population.y_m[i]]), crs=region.crs)
    ll = ll.to_crs(WGS84).iloc[0]
    note = Message("say.network_islands", mode=Code(mode), n=pieces, nodes=f"{graph.dropped_x_m.size:,}",
                   people=f"{people:,.0f}", share=f"{share:.1%}", lon=f"{ll.x:.4f}", lat=f"{ll.y:.4f}",
                   how=Both("by bike", "骑行") if mode == "bike" else Both("on foot", "步行"))
    region.notes.append(note)
    return note


def undeclared_coord_system(region: Any, gdf: gpd.GeoDataFrame, src: LayerSource) -> str | None:
    """Warn (never convert) when points declared WGS84 sit where GCJ-02 or BD-09 points would.

    Compares the median distance from the points to the walking network as given and converted from
    GCJ-02 / BD-09 (:func:`coords.undeclared_offset`); up to ``OFFSET_SAMPLE`` points, a fixed sample. The
    snaps are cached with the network (:func:`~coverage_planner.network.snap_cache.cached_snap_points`).
    """
    if src.coord_system != "wgs84" or "walk" not in region.spec.networks or gdf.crs is None:
        return None
    if not CRS.from_user_input(gdf.crs).is_geographic:
        return None  # projected data never went through a Chinese web map
    geoms = np.asarray(gdf.geometry.values)
    lon, lat = representative_xy(geoms[shapely.get_type_id(geoms) == 0], gdf.crs, WGS84)  # points only
    ok = np.isfinite(lon) & np.isfinite(lat) & ~outside_china(lon, lat)
    lon, lat = lon[ok], lat[ok]
    if lon.size < OFFSET_MIN_POINTS:
        return None
    if lon.size > OFFSET_SAMPLE:
        pick = np.sort(np.random.default_rng(0).choice(lon.size, OFFSET_SAMPLE, replace=False))
        lon, lat = lon[pick], lat[pick]
    try:
        graph = region.walk_graph()
    except CoverageError:
        return None  # the network's own problem is reported where it is used
    from pyproj import Transformer

    from .._io import network_cache_dir
    from ..network.snap_cache import cached_snap_points

    to_m = Transformer.from_crs(WGS84, region.crs, always_xy=True)

    def distance_m(lo: NDArray[np.float64], la: NDArray[np.float64]) -> NDArray[np.float64]:
        # from the snap cache beside the network cache (keyed by network, points, rules): a warm run
        # builds no edge index and snaps nothing for this check
        x, y = to_m.transform(lo, la)
        snap = cached_snap_points(graph, np.asarray(x), np.asarray(y), max_snap_m=OFFSET_MAX_SNAP_M,
                                  cache_dir=network_cache_dir())
        return np.minimum(np.nan_to_num(snap.offset_m, nan=OFFSET_MAX_SNAP_M, posinf=OFFSET_MAX_SNAP_M),
                          OFFSET_MAX_SNAP_M)

    try:
        evidence = _cached_evidence(graph, region.crs, lon, lat, distance_m)
    except CoverageError:
        return None
    cs = undeclared_offset(evidence, int(lon.size))
    if cs is None:
        return None
    other = "bd09" if cs == "gcj02" else "gcj02"
    label = {"gcj02": "GCJ-02", "bd09": "BD-09"}
    medians = {k: v[0] for k, v in evidence.items()}
    note = (f"WARNING: layer {src.role!r} ({src.where()}) is declared WGS84, but its points sit where "
            f"{COORD_SYSTEMS[cs]} points would: median distance to the walking network {medians['wgs84']:.0f} m "
            f"as given, {medians[cs]:.0f} m if converted from {label[cs]} ({label[other]}: "
            f"{medians[other]:.0f} m; {evidence[cs][1]:.0%} of {lon.size:,} points closer). Results use the points "
            f"as given. If the list was made on that web map, add `coord_system: {cs}` to the {src.role!r} entry at "
            f"{src.manifest}:{src.line}.")
    region.notes.append(note)
    logger.warning(note)
    return note


def _cached_evidence(graph: Any, crs: CRS, lon: NDArray[np.float64], lat: NDArray[np.float64],
                     distance_m: Callable[[NDArray[np.float64], NDArray[np.float64]], NDArray[np.float64]],
                     ) -> dict[str, tuple[float, float]]:
    """:func:`~coverage_planner.model.coords.offset_evidence`, cached on disk by the network's content, the points,
    the working CRS and the rules (this module, the conversions, the snapping), so a warm run converts and snaps
    nothing for the check."""
    import pyproj

    from ..array_cache import array_cache_dir, cached_arrays, content_key, source_digest
    from ..network import snap, snap_cache
    from . import coords

    key = content_key("offset_evidence", *(source_digest(m.__file__) for m in (coords, snap, snap_cache)),
                      source_digest(__file__), pyproj.__version__, graph.content_digest, crs.to_wkt(),
                      OFFSET_MAX_SNAP_M, np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    systems = list(COORD_SYSTEMS)

    def compute() -> dict[str, NDArray[np.float64]]:
        evidence = offset_evidence(lon, lat, distance_m)
        return {"median_m": np.array([evidence[cs][0] for cs in systems]),
                "closer": np.array([evidence[cs][1] for cs in systems])}

    got = cached_arrays("offset_evidence", key, compute, cache_dir=array_cache_dir())
    return {cs: (float(got["median_m"][i]), float(got["closer"][i])) for i, cs in enumerate(systems)}


def single_points(gdf: gpd.GeoDataFrame, src: LayerSource, notes: list[str]) -> gpd.GeoDataFrame:
    """MultiPoint facilities: one point is taken as it is (with a note); several are refused, rows named.

    A row is one facility with one capacity (slots, beds, area). Splitting a several-point row into several
    facilities would hand each of them the whole capacity (counting it several times), and keeping one of the
    points would move the facility; which is right depends on what the row means, so the planner decides.
    """
    geoms = np.asarray(gdf.geometry.values)
    multi = shapely.get_type_id(geoms) == 4  # MultiPoint
    if not multi.any():
        return gdf
    parts = shapely.get_num_geometries(geoms)
    several = np.flatnonzero(multi & (parts > 1))
    if several.size:
        raise LayerError(Message("err.multipoints", role=src.role, where=src.where(), n=int(several.size),
                                 rows=rows_preview(several), parts=int(parts[several[0]])))
    one = np.flatnonzero(multi)
    out = gdf.copy()
    out.loc[out.index[one], "geometry"] = shapely.get_geometry(geoms[one], 0)
    notes.append(Message("note.single_points", layer=src.role, n=one.size, rows=rows_words(one)))
    return out
