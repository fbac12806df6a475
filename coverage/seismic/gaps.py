"""Gaps in station coverage: parts of a territory farther than an allowed radius from every station."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import ArrayLike
from scipy.spatial import cKDTree
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from .inputs import as_stations, as_territory, check_positive
from .lec import _lec_candidates, _unique_stations

__all__ = ["Gap", "spacing_gaps"]


@dataclass(frozen=True, slots=True)
class Gap:
    """One part of the territory farther than the allowed radius from every station.

    Attributes
    ----------
    polygon
        The gap, in the territory's CRS.
    area_m2
        Its area.
    centre_x_m, centre_y_m
        The point of the gap farthest from every station (centre of its largest empty circle): where a
        new station would do most good.
    centre_distance_m
        Distance from that centre to the nearest existing station (radius of the empty circle).
    excess_m
        ``centre_distance_m - radius_m``: how far beyond the allowed radius the gap reaches.
    """

    polygon: Polygon
    area_m2: float
    centre_x_m: float
    centre_y_m: float
    centre_distance_m: float
    excess_m: float


def spacing_gaps(
    station_x_m: ArrayLike,
    station_y_m: ArrayLike,
    territory: BaseGeometry,
    *,
    radius_m: float,
    min_area_m2: float = 0.0,
    quad_segs: int = 32,
) -> list[Gap]:
    """Parts of the territory farther than ``radius_m`` from every station, largest reach first.

    Parameters
    ----------
    station_x_m, station_y_m
        Station coordinates, metres.
    territory
        Polygon or MultiPolygon, same CRS.
    radius_m
        Allowed distance to the nearest station, e.g. ``coverage_radius_m(30_000)`` = 17.3 km.
    min_area_m2
        Gaps smaller than this are left out.
    quad_segs
        Segments per quarter circle of the station buffers (32: polygon within 0.03 % of the radius).
        Slivers that exist only because buffers are polygons (no point in them is truly beyond the
        radius) are dropped.

    Returns
    -------
    list of Gap
        Sorted by ``excess_m`` (how far beyond the radius the gap's worst point is), then area.
    """
    sx, sy = as_stations(station_x_m, station_y_m)
    terr, _ = as_territory(territory)
    r = check_positive(radius_m, "radius_m")
    ux, uy, _ = _unique_stations(sx, sy)
    discs = shapely.union_all(shapely.buffer(shapely.points(ux, uy), r, quad_segs=int(quad_segs)))
    rest = terr.difference(discs)
    polys = [p for p in shapely.get_parts(rest) if isinstance(p, Polygon) and not p.is_empty]
    if not polys:
        return []
    tree = cKDTree(np.column_stack([ux, uy]))
    cx, cy = _lec_candidates(ux, uy, terr)
    dc, _ = tree.query(np.column_stack([cx, cy]), k=1)
    far = dc > r * (1.0 + 1e-9)
    cx, cy, dc = cx[far], cy[far], dc[far]
    cpts = shapely.points(cx, cy)
    tol = 1e-6 * r + 1e-6
    gaps: list[Gap] = []
    for poly in polys:
        if poly.area < min_area_m2:
            continue
        inside = shapely.dwithin(poly, cpts, tol)
        if not inside.any():
            continue  # buffer-polygon sliver: no point truly beyond the radius
        j = int(np.argmax(np.where(inside, dc, -np.inf)))
        gaps.append(
            Gap(
                polygon=poly,
                area_m2=float(poly.area),
                centre_x_m=float(cx[j]),
                centre_y_m=float(cy[j]),
                centre_distance_m=float(dc[j]),
                excess_m=float(dc[j] - r),
            )
        )
    gaps.sort(key=lambda g: (-g.excess_m, -g.area_m2))
    return gaps
