"""Fallback without a street network: straight-line distance times a detour factor (approximate).

Every result carries ``approximate=True`` and a note that reports must print: straight lines ignore
rivers, railways and walls, so they overstate coverage where the network has few crossings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from .nearest import WALK_SPEED_M_PER_MIN, AccessResult, cutoff_distance_m

__all__ = [
    "DEFAULT_DETOUR_FACTOR",
    "any_within_m",
    "StraightLineDistances",
    "straight_line_distance_m",
    "straight_line_access",
]

#: Typical ratio of walking-network distance to straight-line distance in a city grid.
DEFAULT_DETOUR_FACTOR = 1.3


@dataclass(frozen=True, eq=False)
class StraightLineDistances:
    """Approximate distances to the nearest facility, always flagged as such.

    Attributes
    ----------
    distance_m
        Straight line x ``detour_factor`` per demand point (inf beyond the cutoff).
    detour_factor
        The factor applied.
    approximate
        Always True: reports must say the distances are approximate.
    note
        One sentence for reports.
    """

    distance_m: np.ndarray
    detour_factor: float
    approximate: bool = True
    note: str = ""


def straight_line_distance_m(
    demand_x_m: np.ndarray,
    demand_y_m: np.ndarray,
    facility_x_m: np.ndarray,
    facility_y_m: np.ndarray,
    *,
    cutoff_m: float = np.inf,
    detour_factor: float = DEFAULT_DETOUR_FACTOR,
) -> StraightLineDistances:
    """Approximate walking distance to the nearest facility: straight line times ``detour_factor``.

    Parameters
    ----------
    demand_x_m, demand_y_m, facility_x_m, facility_y_m
        Coordinates in metres (projected CRS).
    cutoff_m
        Distances (after the detour factor) beyond this are inf.
    detour_factor
        Network-to-straight-line ratio assumed (>= 1).

    Returns
    -------
    StraightLineDistances
        ``distance_m`` per demand point, with ``approximate=True`` and a note to print.
    """
    if detour_factor < 1:
        raise ValueError("detour_factor must be >= 1")
    dx = np.asarray(demand_x_m, dtype=np.float64)
    dy = np.asarray(demand_y_m, dtype=np.float64)
    fx = np.asarray(facility_x_m, dtype=np.float64)
    fy = np.asarray(facility_y_m, dtype=np.float64)
    note = (
        f"APPROXIMATE: no walking network was given, so distances are straight lines x {detour_factor:g}; "
        "rivers, railways and walls are ignored and coverage may be overstated"
    )
    if fx.size == 0:
        return StraightLineDistances(np.full(dx.size, np.inf), float(detour_factor), note=note)
    tree = cKDTree(np.column_stack([fx, fy]))
    bound = cutoff_m / detour_factor if np.isfinite(cutoff_m) else np.inf
    d, _ = tree.query(
        np.column_stack([dx, dy]),
        k=1,
        distance_upper_bound=bound * (1 + 1e-12),
        workers=-1 if dx.size > 50_000 else 1,
    )
    d = d * detour_factor
    d[d > cutoff_m] = np.inf
    return StraightLineDistances(d, float(detour_factor), note=note)


def straight_line_access(
    demand_x_m: np.ndarray,
    demand_y_m: np.ndarray,
    facility_x_m: np.ndarray,
    facility_y_m: np.ndarray,
    *,
    distance_m: float | None = None,
    minutes: float | None = None,
    speed_m_per_min: float = WALK_SPEED_M_PER_MIN,
    detour_factor: float = DEFAULT_DETOUR_FACTOR,
) -> AccessResult:
    """Coverage without a network (approximate; the result says so in ``approximate`` and ``note``)."""
    cutoff = cutoff_distance_m(distance_m=distance_m, minutes=minutes, speed_m_per_min=speed_m_per_min)
    d = straight_line_distance_m(
        demand_x_m, demand_y_m, facility_x_m, facility_y_m, cutoff_m=cutoff, detour_factor=detour_factor
    ).distance_m
    none = np.zeros(d.size, dtype=bool)
    return AccessResult(
        covered=np.isfinite(d),
        distance_m=d,
        no_network_access=none,
        on_dropped_piece=none.copy(),
        cutoff_m=cutoff,
        method=f"straight line x {detour_factor:g}",
        approximate=True,
        note=(
            f"APPROXIMATE: no walking network was given, so distances are straight lines x {detour_factor:g} "
            f"(within {cutoff:,.0f} m); rivers, railways and walls are ignored and coverage may be overstated"
        ),
    )


def any_within_m(
    x_m: np.ndarray,
    y_m: np.ndarray,
    centre_x_m: np.ndarray,
    centre_y_m: np.ndarray,
    radius_m: float | np.ndarray,
) -> np.ndarray:
    """Per point: is some centre within its radius (straight line, ``distance <= radius``)?

    Answered with bounded nearest-neighbour queries on a KD-tree of the centres instead of listing every
    (point, centre) pair: the k nearest centres within the largest radius are asked for (k = 1 first);
    a point is covered when one of them lies within its own radius, and is asked again with 4k only
    while all k were found and none covers it (a farther centre with a larger radius might). With one
    radius for all, a single k = 1 query answers every point.
    """
    px = np.asarray(x_m, dtype=np.float64).ravel()
    py = np.asarray(y_m, dtype=np.float64).ravel()
    cx = np.asarray(centre_x_m, dtype=np.float64).ravel()
    cy = np.asarray(centre_y_m, dtype=np.float64).ravel()
    r = np.broadcast_to(np.asarray(radius_m, dtype=np.float64), cx.shape)
    out = np.zeros(px.size, dtype=bool)
    keep = r >= 0
    if not keep.any() or px.size == 0:
        return out
    cx, cy, r = cx[keep], cy[keep], r[keep]
    n = cx.size
    r_of = np.append(r, -1.0)  # index n = "no centre found"
    bound = float(np.nextafter(r.max(), np.inf))
    tree = cKDTree(np.column_stack([cx, cy]))
    todo = np.arange(px.size)
    k = 1
    while todo.size:
        d, i = tree.query(np.column_stack([px[todo], py[todo]]), k=k, distance_upper_bound=bound,
                          workers=-1 if todo.size > 50_000 else 1)  # threads pay off on big batches only
        if k == 1:
            d, i = d[:, None], i[:, None]
        hit = (d <= r_of[i]).any(axis=1)
        out[todo[hit]] = True
        if k >= n:
            break
        todo = todo[~hit & (i[:, -1] < n)]
        k = min(4 * k, n)
    return out
