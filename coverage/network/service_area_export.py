"""Service areas as data: per-facility areas and the merged covered area, by distance band, for GeoPackage.

The areas are built from the street network (:func:`~coverage_planner.network.service_area.service_area`:
the streets within the distance of a facility, banded by ``buffer_m`` for the homes along them), not from
circles. Each band is a ring: the area reached within ``band_to_m`` but not within ``band_from_m``, so the
bands of one facility never overlap and stack into the whole area (as QGIS users style isochrones).

Two layers are written:

- ``service_areas``: one row per facility and band (``facility_id``, ``name``, ``band_from_m``,
  ``band_to_m``, ``area_m2``).
- ``covered_area``: one row per band, the union over all facilities.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from .graph import WalkGraph
from .service_area import service_area
from .snap import Snap

__all__ = ["service_area_layers", "write_service_areas"]


def _bands(bands_m: Sequence[float]) -> np.ndarray:
    b = np.unique(np.asarray(list(bands_m), dtype=np.float64))
    if b.size == 0 or not np.all(np.isfinite(b)) or (b <= 0).any():
        msg = f"Distance bands must be positive numbers of metres; got {list(bands_m)!r}."
        raise ValueError(msg)
    return b


def _rings(graph: WalkGraph, snap: Snap, bands: np.ndarray, buffer_m: float) -> list[shapely.Geometry]:
    areas = [service_area(graph, snap, cutoff_m=float(b), buffer_m=buffer_m) for b in bands]
    rings = [areas[0]]
    rings += [shapely.difference(areas[k], areas[k - 1]) for k in range(1, len(areas))]
    return [shapely.make_valid(r) if not r.is_valid else r for r in rings]


def service_area_layers(
    graph: WalkGraph,
    facility_snap: Snap,
    *,
    bands_m: Sequence[float],
    facility_id: Sequence[object] | None = None,
    name: Sequence[object] | None = None,
    buffer_m: float = 50.0,
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Per-facility service areas and the merged covered area, one ring per distance band.

    Parameters
    ----------
    graph
        The network (projected CRS, metres).
    facility_snap
        Facility entrances snapped onto ``graph``; ``owner`` is the facility index (several entrances per
        facility allowed: the nearest counts).
    bands_m
        Distance band limits in metres along the network (e.g. ``[500, 1000, 1500]``).
    facility_id, name
        Per facility (``facility_snap.n_owners`` values); default the index.
    buffer_m
        Half-width of the band drawn around reachable streets.

    Returns
    -------
    service_areas : geopandas.GeoDataFrame
        ``facility``, ``facility_id``, ``name``, ``band_from_m``, ``band_to_m``, ``area_m2``, geometry.
    covered_area : geopandas.GeoDataFrame
        ``band_from_m``, ``band_to_m``, ``area_m2``, geometry (the union over facilities).
    """
    bands = _bands(bands_m)
    lower = np.concatenate([[0.0], bands[:-1]])
    n = facility_snap.n_owners
    ids = list(range(n)) if facility_id is None else list(facility_id)
    names = [""] * n if name is None else list(name)
    rows: list[dict[str, object]] = []
    geoms: list[shapely.Geometry] = []
    for j in range(n):
        keep = np.zeros(n, dtype=bool)
        keep[j] = True
        sub = facility_snap.subset_owners(keep)
        for k, ring in enumerate(_rings(graph, sub, bands, buffer_m)):
            rows.append({"facility": j, "facility_id": ids[j], "name": names[j], "band_from_m": lower[k],
                         "band_to_m": bands[k], "area_m2": float(ring.area)})
            geoms.append(ring)
    per = gpd.GeoDataFrame(rows, geometry=geoms, crs=graph.crs) if rows else gpd.GeoDataFrame(
        {"facility": [], "facility_id": [], "name": [], "band_from_m": [], "band_to_m": [], "area_m2": []},
        geometry=[], crs=graph.crs)
    merged = _rings(graph, facility_snap, bands, buffer_m)
    covered = gpd.GeoDataFrame({"band_from_m": lower, "band_to_m": bands, "area_m2": [float(g.area) for g in merged]},
                               geometry=merged, crs=graph.crs)
    return per, covered


def write_service_areas(path: Path, service_areas: gpd.GeoDataFrame, covered_area: gpd.GeoDataFrame, *,
                        crs: object = 4326) -> None:
    """Write both layers to one GeoPackage (``service_areas``, ``covered_area``), in ``crs`` (default WGS84).

    Parameters
    ----------
    path
        The ``.gpkg`` file (replaced if it exists).
    service_areas, covered_area
        From :func:`service_area_layers`.
    crs
        Output CRS; ``area_m2`` stays measured in the projected working CRS.
    """
    path = Path(path)
    if path.exists():
        path.unlink()
    service_areas.to_crs(crs).to_file(path, layer="service_areas", driver="GPKG")
    covered_area.to_crs(crs).to_file(path, layer="covered_area", driver="GPKG", mode="a")
