"""Candidate sites: thin a dense set to a minimum spacing, and drop sites too close to existing
facilities or inside excluded zones. Coordinates are metres in the working projected CRS."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from scipy.spatial import cKDTree

from .problem import SitingInputError

logger = logging.getLogger(__name__)

__all__ = ["filter_candidates", "thin_candidates"]


def _xy(x_m: Any, y_m: Any, *, what: str) -> np.ndarray:
    x = np.asarray(x_m, dtype=np.float64)
    y = np.asarray(y_m, dtype=np.float64)
    if x.ndim != 1 or x.shape != y.shape:
        msg = f"{what}: `x_m` and `y_m` must be 1-D arrays of the same length; got shapes {x.shape} and {y.shape}."
        raise SitingInputError(msg)
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        msg = f"{what}: coordinates hold NaN or infinite values; drop those points first (metres, projected CRS)."
        raise SitingInputError(msg)
    return np.column_stack([x, y])


def thin_candidates(x_m: Any, y_m: Any, *, min_spacing_m: float, priority: Any = None) -> np.ndarray:
    """Keep candidates in priority order, dropping any closer than ``min_spacing_m`` to one already kept.

    Parameters
    ----------
    x_m, y_m
        Candidate coordinates in metres (projected CRS).
    min_spacing_m
        Kept candidates are at least this far apart (metres).
    priority
        Higher first (e.g. people within reach, land availability score); ties keep input order.
        Default: input order.

    Returns
    -------
    numpy.ndarray
        Indices of the kept candidates, in priority order.

    Examples
    --------
    >>> thin_candidates([0, 100, 250], [0, 0, 0], min_spacing_m=200, priority=[1, 5, 1]).tolist()
    [1]
    """
    pts = _xy(x_m, y_m, what="thin_candidates")
    if not (min_spacing_m > 0):
        msg = f"`min_spacing_m` must be a positive distance in metres; got {min_spacing_m!r}."
        raise SitingInputError(msg)
    n = pts.shape[0]
    if priority is None:
        order = np.arange(n)
    else:
        prio = np.asarray(priority, dtype=np.float64)
        if prio.shape != (n,) or np.isnan(prio).any():
            msg = f"`priority` must hold one number per candidate ({n}), without NaN; got shape {prio.shape}."
            raise SitingInputError(msg)
        order = np.argsort(-prio, kind="stable")
    tree = cKDTree(pts)
    radius = np.nextafter(float(min_spacing_m), 0.0)  # points exactly min_spacing_m apart may both stay
    suppressed = np.zeros(n, dtype=bool)
    kept: list[int] = []
    for i in order.tolist():
        if suppressed[i]:
            continue
        kept.append(i)
        suppressed[tree.query_ball_point(pts[i], radius)] = True
    logger.debug("thinned %d candidates to %d at %.0f m spacing", n, len(kept), min_spacing_m)
    return np.asarray(kept, dtype=np.int64)


def filter_candidates(
    x_m: Any,
    y_m: Any,
    *,
    existing_x_m: Any = None,
    existing_y_m: Any = None,
    min_distance_to_existing_m: float = 0.0,
    excluded_zones: Sequence[shapely.Geometry] = (),
) -> np.ndarray:
    """Flag candidates that are far enough from existing facilities and outside every excluded zone.

    Parameters
    ----------
    x_m, y_m
        Candidate coordinates in metres (projected CRS).
    existing_x_m, existing_y_m
        Existing facility coordinates in metres (same CRS).
    min_distance_to_existing_m
        Candidates closer than this to an existing facility are dropped.
    excluded_zones
        Shapely polygons in the same CRS (water, protected land, ...); a candidate inside or on the
        boundary of any of them is dropped.

    Returns
    -------
    numpy.ndarray
        Boolean mask, true for candidates to keep.
    """
    pts = _xy(x_m, y_m, what="filter_candidates")
    keep = np.ones(pts.shape[0], dtype=bool)
    if min_distance_to_existing_m < 0:
        msg = f"`min_distance_to_existing_m` must be ≥ 0 metres; got {min_distance_to_existing_m!r}."
        raise SitingInputError(msg)
    if min_distance_to_existing_m > 0 and existing_x_m is not None:
        existing = _xy(existing_x_m, existing_y_m, what="filter_candidates (existing facilities)")
        if existing.shape[0]:
            dist, _ = cKDTree(existing).query(pts, distance_upper_bound=min_distance_to_existing_m)
            keep &= ~(dist < min_distance_to_existing_m)
    zones = [g for g in excluded_zones if g is not None and not g.is_empty]
    if zones and pts.shape[0]:
        tree = shapely.STRtree(zones)
        hits = tree.query(shapely.points(pts), predicate="intersects")
        keep[np.unique(hits[0])] = False
    return keep
