"""Per-facility catchments and the two-step floating catchment area method (2SFCA / E2SFCA).

Catchments need one search per facility, but each is bounded by ``cutoff_m`` and so touches only the
nodes it reaches: :func:`~coverage_planner.network.kernel.catchment_search` runs one bucket-queue search
per facility on the whole network (resetting only the nodes it touched) and reads the distances off at the
demand points attached to the reached nodes, inside compiled code (the same pairs and distances as scipy's
Dijkstra on the induced subgraph around each batch, in 2.5-2.9x less CPU time at 500k nodes and 10k
facilities: ``benchmarks/kernel.py``). Facilities are taken in spatially compact batches (square tiles)
that are yielded one by one, so memory stays at the pairs of one batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ..errors import LayerError
from ._sources import check_snap, snap_entries
from .graph import WalkGraph
from .kernel import CatchmentScratch, catchment_search
from .snap import Snap

logger = logging.getLogger(__name__)

__all__ = [
    "CatchmentPairs",
    "FCATuning",
    "FCAResult",
    "catchment_pairs",
    "decay_weights",
    "iter_catchment_batches",
    "two_step_fca",
]

DecayFunction = Callable[[np.ndarray, float], np.ndarray]


@dataclass(frozen=True, eq=False)
class CatchmentPairs:
    """Sparse (facility, demand, distance) triples with distance <= ``cutoff_m``.

    Attributes
    ----------
    facility, demand
        Owner indices (int64) of the facility and the demand point.
    distance_m
        Network distance including both snap offsets (float64).
    n_facilities, n_demand
        Sizes of the index spaces.
    cutoff_m
        The catchment radius.
    """

    facility: np.ndarray
    demand: np.ndarray
    distance_m: np.ndarray
    n_facilities: int
    n_demand: int
    cutoff_m: float

    @property
    def n_pairs(self) -> int:
        """Number of (facility, demand) pairs within the catchment."""
        return int(self.facility.size)

    def demand_reached(self) -> np.ndarray:
        """Per demand point: reached by at least one facility."""
        out = np.zeros(self.n_demand, dtype=bool)
        out[self.demand] = True
        return out


def catchment_pairs(
    graph: WalkGraph,
    demand_snap: Snap,
    facility_snap: Snap,
    *,
    cutoff_m: float,
    batch_size: int = 64,
) -> CatchmentPairs:
    """All (facility, demand point) pairs within ``cutoff_m`` metres of network distance.

    Parameters
    ----------
    graph
        The network.
    demand_snap
        Demand points snapped onto ``graph``.
    facility_snap
        Facility entrances snapped onto ``graph`` (several per facility allowed: the nearest counts).
    cutoff_m
        Catchment radius (metres, offsets included).
    batch_size
        Facilities per yielded batch (memory ~ the catchment pairs of one batch).

    Returns
    -------
    CatchmentPairs
    """
    parts = list(
        iter_catchment_batches(graph, demand_snap, facility_snap, cutoff_m=cutoff_m, batch_size=batch_size)
    )
    if not parts:
        return CatchmentPairs(
            np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0), facility_snap.n_owners, demand_snap.n_owners, cutoff_m
        )  # fmt: skip
    fac = np.concatenate([p[0] for p in parts])
    dem = np.concatenate([p[1] for p in parts])
    dist = np.concatenate([p[2] for p in parts])
    return CatchmentPairs(fac, dem, dist, facility_snap.n_owners, demand_snap.n_owners, float(cutoff_m))


def iter_catchment_batches(
    graph: WalkGraph,
    demand_snap: Snap,
    facility_snap: Snap,
    *,
    cutoff_m: float,
    batch_size: int = 64,
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Yield ``(facility, demand, distance_m)`` arrays batch by batch (see :func:`catchment_pairs`).

    Every facility appears in exactly one batch, so per-facility sums can be streamed in bounded memory.
    """
    check_snap(graph, demand_snap, "demand")
    check_snap(graph, facility_snap, "facility")
    if not np.isfinite(cutoff_m) or cutoff_m < 0:
        msg = f"The catchment radius must be a finite distance >= 0 m, not {cutoff_m!r}."
        raise LayerError(msg)
    n = graph.n_nodes
    f_owner, f_node, f_cost = snap_entries(facility_snap)
    keep = f_cost <= cutoff_m
    f_owner, f_node, f_cost = f_owner[keep], f_node[keep], f_cost[keep]
    # facility points with access, for batching and same-edge walks
    fp = np.flatnonzero(facility_snap.has_access & (facility_snap.offset_m <= cutoff_m))
    fp_owner = facility_snap.owner[fp]
    facilities = np.unique(fp_owner)
    dp = np.flatnonzero(demand_snap.has_access & (demand_snap.offset_m <= cutoff_m))
    if facilities.size == 0 or dp.size == 0:
        return
    # spatial order of facilities (mean snapped entrance position): neighbouring searches share memory
    cnt = np.bincount(fp_owner, minlength=facility_snap.n_owners)
    mx = np.bincount(fp_owner, weights=facility_snap.snapped_x_m[fp], minlength=facility_snap.n_owners)
    my = np.bincount(fp_owner, weights=facility_snap.snapped_y_m[fp], minlength=facility_snap.n_owners)
    fx_mean = mx[facilities] / cnt[facilities]
    fy_mean = my[facilities] / cnt[facilities]
    batches = _spatial_batches(facilities, fx_mean, fy_mean, batch_size, cutoff_m)
    # node -> demand points on its edges, with the walk from the node to each
    inc_node = np.concatenate([demand_snap.node_a[dp], demand_snap.node_b[dp]])
    inc_point = np.concatenate([np.arange(dp.size), np.arange(dp.size)])
    inc_cost = np.concatenate([demand_snap.dist_a_m[dp], demand_snap.dist_b_m[dp]])
    order = np.argsort(inc_node, kind="stable")
    inc_ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(inc_node, minlength=n), out=inc_ptr[1:])
    inc_point, inc_cost = inc_point[order], inc_cost[order]
    # demand points by edge, for walks along an edge shared with an entrance
    d_edge = demand_snap.edge[dp]
    d_edge_order = np.argsort(d_edge, kind="stable")
    d_edge_sorted = d_edge[d_edge_order]
    scratch = CatchmentScratch(n, dp.size, cutoff_m)
    # entries / points grouped by facility
    e_sort = np.argsort(f_owner, kind="stable")
    e_start = np.searchsorted(f_owner[e_sort], np.arange(facility_snap.n_owners + 1))
    p_sort = np.argsort(fp_owner, kind="stable")
    p_start = np.searchsorted(fp_owner[p_sort], np.arange(facility_snap.n_owners + 1))
    single = demand_snap.n_owners == demand_snap.n_points and np.array_equal(
        demand_snap.owner, np.arange(demand_snap.n_points)
    )
    for batch in batches:
        e_idx = np.concatenate([e_sort[e_start[f] : e_start[f + 1]] for f in batch])
        grp_ptr = np.concatenate([[0], np.cumsum(e_start[batch + 1] - e_start[batch])])
        p_idx = fp[np.concatenate([p_sort[p_start[f] : p_start[f + 1]] for f in batch])]
        seed_ptr, seed_pt, seed_d = _same_edge_seeds(
            batch, p_idx, dp, d_edge_order, d_edge_sorted, demand_snap, facility_snap, cutoff_m
        )
        g, pt, dist = catchment_search(
            graph.csr, (grp_ptr, f_node[e_idx], f_cost[e_idx]), (inc_ptr, inc_point, inc_cost), dp.size,
            limit_m=cutoff_m, seeds=(seed_ptr, seed_pt, seed_d), scratch=scratch,
        )  # fmt: skip
        if g.size == 0:
            continue
        fac, dem = batch[g], demand_snap.owner[dp[pt]]
        if not single:
            fac, dem, dist = _min_per_pair(fac, dem, dist, demand_snap.n_owners)
        yield fac, dem, dist


def _spatial_batches(
    facilities: np.ndarray, x: np.ndarray, y: np.ndarray, batch_size: int, cutoff_m: float
) -> list[np.ndarray]:
    """Split facilities into compact batches: square tiles holding about ``batch_size`` each.

    (A plain space-filling-curve order occasionally puts far-apart facilities in one batch.)
    """
    span_x = float(np.ptp(x)) + 1.0
    span_y = float(np.ptp(y)) + 1.0
    tile = max(cutoff_m, float(np.sqrt(span_x * span_y * batch_size / max(facilities.size, 1))), 1.0)
    col = ((x - x.min()) // tile).astype(np.int64)
    row = ((y - y.min()) // tile).astype(np.int64)
    key = row * (int(span_x // tile) + 2) + col
    order = np.argsort(key, kind="stable")
    key = key[order]
    fac = facilities[order]
    cuts = np.flatnonzero(key[1:] != key[:-1]) + 1
    out: list[np.ndarray] = []
    for part in np.split(fac, cuts):
        out.extend(part[i : i + batch_size] for i in range(0, part.size, batch_size))
    return out


def _same_edge_seeds(
    batch: np.ndarray,
    p_idx: np.ndarray,
    dp: np.ndarray,
    d_edge_order: np.ndarray,
    d_edge_sorted: np.ndarray,
    demand_snap: Snap,
    facility_snap: Snap,
    cutoff_m: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Direct walks along an edge shared by a facility entrance (``p_idx``) and a demand point, grouped
    by the facility's position in ``batch``: ``(seed_ptr, position in dp, distance)``."""
    fe = facility_snap.edge[p_idx]
    lo = np.searchsorted(d_edge_sorted, fe, side="left")
    hi = np.searchsorted(d_edge_sorted, fe, side="right")
    cnt = hi - lo
    total = int(cnt.sum())
    if total == 0:
        return np.zeros(batch.size + 1, np.int64), np.zeros(0, np.int64), np.zeros(0)
    fi = np.repeat(np.arange(p_idx.size), cnt)
    pos = np.repeat(lo - np.concatenate([[0], np.cumsum(cnt)[:-1]]), cnt) + np.arange(total)
    col = d_edge_order[pos]
    p = p_idx[fi]
    di = dp[col]
    direct = (
        facility_snap.offset_m[p]
        + demand_snap.offset_m[di]
        + np.abs(facility_snap.along_m[p] - demand_snap.along_m[di])
    )
    row = np.searchsorted(batch, facility_snap.owner[p], sorter=np.argsort(batch))
    row = np.argsort(batch)[row]
    order = np.argsort(row, kind="stable")
    seed_ptr = np.zeros(batch.size + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=batch.size), out=seed_ptr[1:])
    return seed_ptr, col[order], direct[order]


def _min_per_pair(
    fac: np.ndarray, dem: np.ndarray, dist: np.ndarray, n_demand: int | np.int64
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The smallest distance per (facility, demand) pair, sorted by facility then demand."""
    key = fac * np.int64(n_demand) + dem
    order = np.lexsort((dist, key))
    key = key[order]
    first = np.ones(key.size, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    sel = order[first]
    return fac[sel], dem[sel], dist[sel]


# ---------------------------------------------------------------------- 2SFCA
_GAUSS_FLOOR = float(np.exp(-0.5))


def decay_weights(
    distance_m: np.ndarray, catchment_m: float, decay: str | DecayFunction | None
) -> np.ndarray:
    """Distance-decay weight in [0, 1] for distances within the catchment.

    Parameters
    ----------
    distance_m
        Distances (all <= ``catchment_m``).
    catchment_m
        Catchment radius d0.
    decay
        ``None`` / ``"none"``: 1 everywhere (classic 2SFCA).
        ``"gaussian"``: ``(exp(-d²/2d0²) - exp(-1/2)) / (1 - exp(-1/2))`` (Dai 2010), 1 at 0, 0 at d0.
        ``"linear"``: ``1 - d/d0``.
        ``"steps"``: E2SFCA zones of Luo & Qi (2009): 1.00 / 0.68 / 0.22 for the three thirds of d0.
        A callable ``f(distance_m, catchment_m) -> weights``.
    """
    d = np.asarray(distance_m, dtype=np.float64)
    if decay is None or decay == "none":
        return np.ones_like(d)
    if callable(decay):
        return np.asarray(decay(d, catchment_m), dtype=np.float64)
    if catchment_m <= 0:
        return np.ones_like(d)
    r = d / catchment_m
    if decay == "gaussian":
        return np.clip((np.exp(-0.5 * r * r) - _GAUSS_FLOOR) / (1 - _GAUSS_FLOOR), 0.0, 1.0)
    if decay == "linear":
        return np.clip(1.0 - r, 0.0, 1.0)
    if decay == "steps":
        return np.select([r <= 1 / 3, r <= 2 / 3], [1.0, 0.68], 0.22)
    msg = f"Unknown distance decay {decay!r}; use none, gaussian, linear, steps or a function."
    raise ValueError(msg)


class FCAResult(NamedTuple):
    """2SFCA output (unpacks as ``ratio, accessibility``).

    ratio
        Per facility: capacity / decay-weighted demand in its catchment (NaN where no demand is reached).
    accessibility
        Per demand point: sum of the ratios of the facilities reaching it, decay-weighted
        (capacity per person when capacity is in slots or m² and demand in people).
    """

    ratio: np.ndarray
    accessibility: np.ndarray


@dataclass(frozen=True, slots=True)
class FCATuning:
    """How :func:`two_step_fca` spends memory; the answer does not depend on it.

    Attributes
    ----------
    batch_size
        Facilities searched together (see :func:`catchment_pairs`).
    max_pairs_in_memory
        Catchment pairs kept between the two steps (~24 bytes each); beyond this the catchments are
        searched twice instead (bounded memory for large radii such as 3 km fixed shelters).
    pairs
        Reuse catchments computed before (same snaps, same radius) instead of searching.
    """

    batch_size: int = 64
    max_pairs_in_memory: int = 20_000_000
    pairs: CatchmentPairs | None = None


def two_step_fca(
    graph: WalkGraph,
    demand_snap: Snap,
    demand_weight: np.ndarray,
    facility_snap: Snap,
    facility_capacity: np.ndarray,
    *,
    catchment_m: float,
    decay: str | DecayFunction | None = None,
    tuning: FCATuning | None = None,
) -> FCAResult:
    """Two-step floating catchment area accessibility (2SFCA; E2SFCA with a distance decay).

    Step 1: ``R_j = S_j / sum_i P_i W(d_ij)`` over demand points ``i`` within ``catchment_m`` of
    facility ``j``. Step 2: ``A_i = sum_j R_j W(d_ij)`` over facilities within ``catchment_m`` of ``i``.

    Parameters
    ----------
    graph, demand_snap, facility_snap
        The network and the snapped demand points and facility entrances.
    demand_weight
        Per demand point: people (``P_i``).
    facility_capacity
        Per facility: supply (``S_j``; slots, beds, m²...).
    catchment_m
        Catchment radius d0 (network metres, snap offsets included).
    decay
        See :func:`decay_weights`.
    tuning
        Batch size, the memory bound and catchments to reuse (:class:`FCATuning`; its defaults when None).

    Returns
    -------
    FCAResult
    """
    tune = tuning or FCATuning()
    pairs = tune.pairs
    w_dem = np.asarray(demand_weight, dtype=np.float64)
    cap = np.asarray(facility_capacity, dtype=np.float64)
    if w_dem.shape != (demand_snap.n_owners,):
        raise ValueError("demand_weight needs one value per demand point")
    if cap.shape != (facility_snap.n_owners,):
        raise ValueError("facility_capacity needs one value per facility")
    if pairs is not None and pairs.cutoff_m != catchment_m:
        raise ValueError("pairs were computed for another catchment radius")

    def search() -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        return iter_catchment_batches(
            graph, demand_snap, facility_snap, cutoff_m=catchment_m, batch_size=tune.batch_size
        )

    # step 1: decay-weighted demand served per facility, keeping the pairs while they fit in memory
    kept: list[tuple[np.ndarray, np.ndarray, np.ndarray]] | None = []
    first = [(pairs.facility, pairs.demand, pairs.distance_m)] if pairs is not None else search()
    served = np.zeros(cap.size)
    stored = 0
    for fac, dem, dist in first:
        served += np.bincount(
            fac, weights=w_dem[dem] * decay_weights(dist, catchment_m, decay), minlength=cap.size
        )
        stored += fac.size
        if kept is not None and (stored <= tune.max_pairs_in_memory or pairs is not None):
            kept.append((fac, dem, dist))
        else:
            kept = None
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(served > 0, cap / served, np.nan)
    r0 = np.nan_to_num(ratio)
    # step 2: decay-weighted sum of the ratios of the facilities reaching each demand point
    if kept is None:
        logger.info("2SFCA: %d catchment pairs exceed max_pairs_in_memory; searching them again", stored)
    access = np.zeros(w_dem.size)
    for fac, dem, dist in kept if kept is not None else search():
        access += np.bincount(
            dem, weights=r0[fac] * decay_weights(dist, catchment_m, decay), minlength=w_dem.size
        )
    return FCAResult(ratio=ratio, accessibility=access)
