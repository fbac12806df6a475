"""Walking access: network distance from each demand point to the nearest facility, in one pass.

All facilities of one type are searched from at once: every end node of every facility entrance's edge
is a source with the entrance's head start (off-network offset plus the walk along its edge), and a
single bounded multi-source search (the compiled bucket queue of :mod:`~coverage_planner.network.kernel`,
whose distances are scipy's Dijkstra's bit for bit) gives every node its distance to the nearest
facility, offsets included. A demand point then takes the better of its own edge's two ends, plus its
own offset; a demand point on the same edge as a facility entrance may also walk straight to it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from ..model.messages import Message
from ._sources import check_snap, same_edge_min, snap_entries
from .graph import WalkGraph
from .kernel import multi_source_search
from .load import source_words
from .snap import Snap

logger = logging.getLogger(__name__)

__all__ = [
    "WALK_SPEED_M_PER_MIN",
    "BIKE_SPEED_M_PER_MIN",
    "AccessResult",
    "access_from_distances",
    "cutoff_distance_m",
    "facility_node_distance_m",
    "nearest_facility_distance_m",
    "walk_access",
]

#: Walking speed that turns GB 50180-2018's minutes into metres (5 min ~ 300 m, 15 min ~ 900 m).
WALK_SPEED_M_PER_MIN = 60.0
#: Cycling speed, 15 km/h (the "15-minute fitness circle" allows walking or cycling).
BIKE_SPEED_M_PER_MIN = 250.0


@dataclass(frozen=True, eq=False)
class AccessResult:
    """Which demand points reach a facility within a distance.

    Attributes
    ----------
    covered
        Per demand point (owner): a facility within ``cutoff_m``.
    distance_m
        Distance to the nearest facility (inf beyond ``cutoff_m`` or without network access).
    no_network_access
        Per demand point: farther than the snapping limit from any street (reported, never dropped).
        Always False for straight-line results.
    on_dropped_piece
        Per demand point: nearer to a disconnected network piece than to the main network.
    cutoff_m
        The distance tested.
    method
        ``"network"`` or ``"straight line x <detour factor>"``.
    approximate
        True for straight-line fallbacks; reports must say so.
    note
        One sentence for reports describing how distances were measured.
    """

    covered: np.ndarray
    distance_m: np.ndarray
    no_network_access: np.ndarray
    on_dropped_piece: np.ndarray
    cutoff_m: float
    method: str
    approximate: bool
    note: str

    def covered_share(self, weight: np.ndarray | None = None) -> float:
        """Share of demand (optionally weighted, e.g. by population) that is covered."""
        w = np.ones(self.covered.size) if weight is None else np.asarray(weight, dtype=np.float64)
        total = float(w.sum())
        return float(w[self.covered].sum() / total) if total > 0 else float("nan")


def cutoff_distance_m(
    *,
    distance_m: float | None = None,
    minutes: float | None = None,
    speed_m_per_min: float = WALK_SPEED_M_PER_MIN,
) -> float:
    """The distance to test: ``distance_m``, or ``minutes * speed_m_per_min``.

    Raises
    ------
    ValueError
        Neither or both are given, or a value is negative.
    """
    if (distance_m is None) == (minutes is None):
        raise ValueError("give exactly one of distance_m or minutes")
    if minutes is not None:
        if minutes < 0 or speed_m_per_min <= 0:
            raise ValueError("minutes must be >= 0 and speed_m_per_min > 0")
        return float(minutes) * float(speed_m_per_min)
    assert distance_m is not None
    if distance_m < 0:
        raise ValueError("distance_m must be >= 0")
    return float(distance_m)


def facility_node_distance_m(
    graph: WalkGraph,
    facility_snap: Snap,
    *,
    cutoff_m: float = np.inf,
    return_facility: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Network distance from every node to the nearest facility (entrance offsets included).

    One bounded multi-source search (:func:`~coverage_planner.network.kernel.multi_source_search`, a
    bucket queue compiled from Cython) from every entrance end with its head start: the same distances as
    ``scipy.sparse.csgraph.dijkstra`` from a virtual source joined to those ends, bit for bit
    (``tests/test_kernel.py``), in 2-3x less CPU time at 500k nodes and 10k facilities (``benchmarks/kernel.py``).

    Parameters
    ----------
    graph
        The network.
    facility_snap
        Facility entrances snapped onto ``graph`` (``owner`` = facility index).
    cutoff_m
        Search radius; nodes farther get inf.
    return_facility
        Also return the index of the nearest facility per node (-1 where none within ``cutoff_m``;
        between facilities at exactly the same distance, one of them).

    Returns
    -------
    numpy.ndarray or (numpy.ndarray, numpy.ndarray)
        Distance per node, and optionally the nearest facility per node.
    """
    check_snap(graph, facility_snap, "facility")
    n = graph.n_nodes
    owner, node, cost = snap_entries(facility_snap)
    use = cost <= cutoff_m
    owner, node, cost = owner[use], node[use], cost[use]
    if owner.size == 0:
        dist = np.full(n, np.inf)
        return (dist, np.full(n, -1, dtype=np.int64)) if return_facility else dist
    csr = graph.csr
    found = multi_source_search(
        csr, (node, cost, owner), limit_m=cutoff_m, max_edge_m=csr[3], return_label=return_facility
    )
    return found


def nearest_facility_distance_m(
    graph: WalkGraph,
    demand_snap: Snap,
    facility_snap: Snap,
    *,
    cutoff_m: float = np.inf,
    return_facility: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Network distance from each demand point to its nearest facility, both snap offsets included.

    Parameters
    ----------
    graph
        The network.
    demand_snap
        Demand points (population cells) snapped onto ``graph``.
    facility_snap
        Facility entrances snapped onto ``graph`` (several per facility allowed).
    cutoff_m
        Search radius; farther distances are inf (so are demand points without network access).
    return_facility
        Also return the nearest facility's index per demand point (-1 where none).

    Returns
    -------
    numpy.ndarray or (numpy.ndarray, numpy.ndarray)
        Distance per demand owner (metres), and optionally the facility index.
    """
    check_snap(graph, demand_snap, "demand")
    if return_facility:
        node_d, node_f = facility_node_distance_m(
            graph, facility_snap, cutoff_m=cutoff_m, return_facility=True
        )
    else:
        node_d = facility_node_distance_m(graph, facility_snap, cutoff_m=cutoff_m)
        node_f = None
    ok = demand_snap.has_access
    a = np.where(ok, demand_snap.node_a, 0)
    b = np.where(ok, demand_snap.node_b, 0)
    via_a = demand_snap.dist_a_m + node_d[a]
    via_b = demand_snap.dist_b_m + node_d[b]
    d = np.minimum(via_a, via_b)
    fac = None
    if node_f is not None:
        fac = np.where(via_a <= via_b, node_f[a], node_f[b])
    # walking straight along a shared edge
    f_ok = facility_snap.has_access
    direct, arg = same_edge_min(
        np.where(ok, demand_snap.edge, -1),
        np.where(ok, demand_snap.along_m, 0.0),
        facility_snap.edge[f_ok],
        facility_snap.along_m[f_ok],
        facility_snap.offset_m[f_ok],
        graph.edge_length_m,
    )
    direct = direct + demand_snap.offset_m
    better = direct < d
    d = np.where(better, direct, d)
    if fac is not None:
        fac = np.where(better, facility_snap.owner[f_ok][np.maximum(arg, 0)], fac)
    d = np.where(ok & (d <= cutoff_m), d, np.inf)
    if fac is not None:
        fac = np.where(np.isfinite(d), fac, -1)
    d, fac = _per_owner(demand_snap, d, fac)
    if not return_facility:
        return d
    assert fac is not None  # tracked whenever return_facility
    return d, fac


def _per_owner(snap: Snap, d: np.ndarray, fac: np.ndarray | None) -> tuple[np.ndarray, np.ndarray | None]:
    """Reduce per-point values to per-owner minima (identity when every owner has one point)."""
    if snap.n_owners == snap.n_points and np.array_equal(snap.owner, np.arange(snap.n_points)):
        return d, fac
    order = np.lexsort((d, snap.owner))
    first = np.ones(order.size, dtype=bool)
    first[1:] = snap.owner[order][1:] != snap.owner[order][:-1]
    out = np.full(snap.n_owners, np.inf)
    out[snap.owner[order][first]] = d[order][first]
    if fac is None:
        return out, None
    out_f = np.full(snap.n_owners, -1, dtype=np.int64)
    out_f[snap.owner[order][first]] = fac[order][first]
    return out, out_f


def _owner_flag(snap: Snap, flag: np.ndarray, *, all_points: bool) -> np.ndarray:
    out = np.full(snap.n_owners, all_points, dtype=bool)
    if all_points:
        np.logical_and.at(out, snap.owner, flag)
    else:
        np.logical_or.at(out, snap.owner, flag)
    return out


def walk_access(
    graph: WalkGraph,
    demand_snap: Snap,
    facility_snap: Snap,
    *,
    distance_m: float | None = None,
    minutes: float | None = None,
    speed_m_per_min: float = WALK_SPEED_M_PER_MIN,
) -> AccessResult:
    """Which demand points have a facility within a walking distance (or time) on the network.

    Parameters
    ----------
    graph
        The network (a cycling network with ``speed_m_per_min=BIKE_SPEED_M_PER_MIN`` works the same).
    demand_snap, facility_snap
        Snapped demand points and facility entrances.
    distance_m
        The distance to test, or
    minutes, speed_m_per_min
        a time and a speed (``distance = minutes * speed``).

    Returns
    -------
    AccessResult
    """
    cutoff = cutoff_distance_m(distance_m=distance_m, minutes=minutes, speed_m_per_min=speed_m_per_min)
    dist = nearest_facility_distance_m(graph, demand_snap, facility_snap, cutoff_m=cutoff)
    assert isinstance(dist, np.ndarray)
    return access_from_distances(graph, demand_snap, dist, cutoff_m=cutoff)


def access_from_distances(graph: WalkGraph, demand_snap: Snap, distance_m: np.ndarray, *,
                          cutoff_m: float) -> AccessResult:
    """The :class:`AccessResult` of distances already searched (what :func:`walk_access` returns for them).

    For a caller that keeps :func:`nearest_facility_distance_m`'s answer (a disk cache) and needs the rest of
    the result: coverage, the points without network access, those nearest a dropped piece, the method note.

    Parameters
    ----------
    graph
        The network searched.
    demand_snap
        The demand points' snap on ``graph``.
    distance_m
        :func:`nearest_facility_distance_m` of these points with ``cutoff_m`` (inf beyond it).
    cutoff_m
        The distance tested.

    Returns
    -------
    AccessResult
    """
    dist = np.asarray(distance_m, dtype=np.float64)
    if dist.shape != (demand_snap.n_owners,):
        raise ValueError(f"distance_m has shape {dist.shape}, expected ({demand_snap.n_owners},)")
    cutoff = float(cutoff_m)
    no_access = ~demand_snap.owner_has_access()
    return AccessResult(
        covered=np.isfinite(dist),
        distance_m=dist,
        no_network_access=no_access,
        on_dropped_piece=_owner_flag(demand_snap, demand_snap.on_dropped_piece, all_points=True),
        cutoff_m=cutoff,
        method="network",
        approximate=False,
        note=Message("say.network_distance", mode=Message(f"mode.{graph.mode}"),
                     source=source_words(graph.source) if graph.source else Message("say.the_network"),
                     cutoff=f"{cutoff:,.0f}", snap=f"{demand_snap.max_snap_m:,.0f}"),
    )
