"""Exact largest empty circle: the point of a territory farthest from its nearest station.

The distance to the nearest station, restricted to one Voronoi cell, is a convex function, so over the
territory it peaks at a vertex of some (cell ∩ territory) piece: a Voronoi vertex inside the territory,
a vertex of the territory, or a crossing of a Voronoi edge with the territory boundary. Evaluating those
candidates gives the exact maximum (for the nearest station, k = 1).
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from numpy.typing import ArrayLike
from scipy.spatial import QhullError, Voronoi, cKDTree
from shapely.geometry.base import BaseGeometry

from .inputs import Float, Territory, as_stations, as_territory

__all__ = ["max_station_distance"]


def _unique_stations(x: Float, y: Float) -> tuple[Float, Float, int]:
    pts = np.unique(np.column_stack([x, y]), axis=0)
    return pts[:, 0].copy(), pts[:, 1].copy(), x.size - pts.shape[0]


def _lec_candidates(sx: Float, sy: Float, territory: Territory) -> tuple[Float, Float]:
    """Points among which the maximum over the territory of the nearest-station distance is reached.

    Voronoi vertices inside the territory, the territory's vertices, and the crossings of Voronoi edges
    with the territory boundary. Four far-away dummy sites make every relevant Voronoi edge finite (and
    make one or two stations, or collinear stations, work); they are placed so far out that their cells
    cannot reach the territory.
    """
    boundary = territory.boundary
    bxy = shapely.get_coordinates(boundary)
    minx, miny, maxx, maxy = territory.bounds
    minx, miny = min(minx, sx.min()), min(miny, sy.min())
    maxx, maxy = max(maxx, sx.max()), max(maxy, sy.max())
    span = math.hypot(maxx - minx, maxy - miny) + 1.0
    cx, cy = (minx + maxx) / 2.0, (miny + maxy) / 2.0
    far = 20.0 * span
    dummies = np.array(
        [[cx - far, cy - far], [cx + far, cy - far], [cx + far, cy + far], [cx - far, cy + far]]
    )
    pts = np.vstack([np.column_stack([sx, sy]), dummies])
    try:
        vor = Voronoi(pts)
    except QhullError:  # pragma: no cover - degenerate input; joggle
        vor = Voronoi(pts, qhull_options="Qbb Qc Qz QJ")
    verts = vor.vertices
    shapely.prepare(territory)
    vin = verts[shapely.intersects_xy(territory, verts[:, 0], verts[:, 1])]
    ridges = np.asarray(vor.ridge_vertices, dtype=np.int64).reshape(-1, 2)  # 2-D: every ridge is a vertex pair
    ridges = ridges[ridges.min(axis=1) >= 0]  # finite ridges only (-1: a vertex at infinity)
    parts = [vin, bxy]
    if ridges.size:
        segs = verts[ridges]  # (m, 2, 2)
        seg_len = np.hypot(segs[:, 0, 0] - segs[:, 1, 0], segs[:, 0, 1] - segs[:, 1, 1])
        segs = segs[seg_len > 0]
        if segs.size:
            lines = shapely.linestrings(segs)
            hit = shapely.intersects(territory, lines)  # the prepared territory first: GEOS uses its index
            if hit.any():
                crossings = shapely.intersection(shapely.multilinestrings(lines[hit]), boundary)
                parts.append(shapely.get_coordinates(crossings))
    cand = np.vstack(parts)
    return cand[:, 0].copy(), cand[:, 1].copy()


def max_station_distance(
    station_x_m: ArrayLike, station_y_m: ArrayLike, territory: BaseGeometry
) -> tuple[float, float, float]:
    """Exact largest distance from any point of the territory to its nearest station.

    Parameters
    ----------
    station_x_m, station_y_m
        Station coordinates, metres (projected CRS). Stations outside the territory count too.
    territory
        Polygon or MultiPolygon in the same CRS.

    Returns
    -------
    distance_m, x_m, y_m
        The largest-empty-circle radius within the territory and its centre.
    """
    sx, sy = as_stations(station_x_m, station_y_m)
    terr, _ = as_territory(territory)
    ux, uy, _ = _unique_stations(sx, sy)
    cx, cy = _lec_candidates(ux, uy, terr)
    d, _ = cKDTree(np.column_stack([ux, uy])).query(np.column_stack([cx, cy]), k=1)
    i = int(np.argmax(d))
    return float(d[i]), float(cx[i]), float(cy[i])
