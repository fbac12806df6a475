"""Exact bounded shortest-path searches on a bucket queue, compiled with numba.

:func:`multi_source_search` (one pass from many sources) is walk access's search
(:mod:`~coverage_planner.network.nearest`); :func:`catchment_search` runs the per-facility searches of
:mod:`~coverage_planner.network.catchment` (one bounded pass per facility). At 500k nodes and 10k
facilities the multi-source search takes about a third to a half of the CPU time of
``scipy.sparse.csgraph.dijkstra`` from a virtual source, on the same CSR (``benchmarks/kernel.py``).

The queue is a ring of buckets ``width_m`` metres wide (Dial's algorithm, with buckets narrower than the
shortest edges of real OpenStreetMap graphs allow, so a node may be improved after it was scanned, in which
case it is scanned again: a label-correcting search inside one bucket). Each bucket is a linked list of
entries taken from a pool allocated once (one entry per arc and source, the most a search without rescans
can push; entries are recycled through a free list); a search that still runs out stops, and is run again
with a pool twice as large, so the hot loop never reallocates. Distances are not rounded to the bucket
width: every tentative distance is the float64 sum ``d[u] + w(u, v)`` exactly as in scipy, and the search
ends at the least fixed point of ``d[v] = min(d[u] + w(u, v))``, which is the same float value for every
correct algorithm (float addition is monotone). So the distances are *identical* to scipy's, bit for bit,
not just to a tolerance; ``tests/test_kernel.py`` checks this against ``scipy.sparse.csgraph.dijkstra`` on
generated graphs and on the Helsinki network.

Speed notes (measured, 500k-node generated city, 10k sources): the bucket width hardly matters (0.25 m to
50 m within noise); the search is bound by memory latency (a sweep over every arc in order takes ~5 ms,
the search ~80 ms: each node popped is a random access into ~30 MB of CSR and distances). An earlier
version grew its entry arrays inside the hot loop (reassigned array variables there) and always wrote
labels: 0.28 s against 0.08-0.09 s for this one in the same run.

``cache=True`` keeps the compiled code in ``__pycache__`` so only the first run on a machine pays the
compilation (2-5 s CPU; ``benchmarks/kernel.py`` reports it). Every new process still pays numba's own
start-up at its first compiled call (0.2-0.4 s, its compiler's registries; the cached searches themselves
load in ~10 ms).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

__all__ = ["CatchmentScratch", "bucket_width_m", "catchment_search", "multi_source_search"]

#: Upper bound on the ring of buckets (memory ~ 8 bytes each).
_MAX_BUCKETS = 1 << 20


def bucket_width_m(max_step_m: float, *, width_m: float = 1.0) -> float:
    """Bucket width: ``width_m`` unless the ring of buckets spanning ``max_step_m`` would grow too large."""
    if not np.isfinite(max_step_m) or max_step_m <= 0:
        return float(width_m)
    return float(max(width_m, max_step_m / (_MAX_BUCKETS - 2)))


@njit(cache=True, nogil=True)
def _grow(a, size):  # pragma: no cover - compiled
    out = np.empty(max(2 * a.size, size), dtype=a.dtype)
    out[: a.size] = a
    return out


@njit(cache=True, nogil=True)
def _start(sources, ring, state, pool):  # pragma: no cover - compiled
    """Give the sources their head starts (the smallest per node) and queue them; returns (touched count,
    first bucket, pool entries used)."""
    src_node, src_cost, src_label = sources
    limit, width = ring
    dist, label, touched, head = state
    ent_node, ent_next, ent_d = pool
    inv = 1.0 / width
    mask = head.size - 1
    n_touched = 0
    for i in range(src_node.size):
        v = src_node[i]
        c = src_cost[i]
        if c <= limit and c < dist[v]:
            if dist[v] == np.inf:
                touched[n_touched] = v
                n_touched += 1
            dist[v] = c
            if label.size > 0:
                label[v] = src_label[i]
    cur = np.int64(1) << 62
    for k in range(n_touched):  # n_touched <= number of sources < pool size
        v = touched[k]
        b = np.int64(dist[v] * inv)
        cur = min(cur, b)
        s = b & mask
        ent_node[k] = v
        ent_d[k] = dist[v]
        ent_next[k] = head[s]
        head[s] = k
    return n_touched, cur, n_touched


@njit(cache=True, nogil=True)
def _search(csr, sources, ring, state, pool):  # pragma: no cover - compiled
    """One multi-source search. Returns the number of nodes in ``touched`` (those given a distance), or
    ``-1 - that number`` when the entry ``pool`` ran out (the caller resets the touched nodes, grows the
    pool and searches again: the hot loop never reallocates).

    ``csr`` = (indptr, indices, weights); ``sources`` = (node, head start, label); ``ring`` = (limit,
    bucket width); ``state`` = (dist, label, touched, head): ``dist`` must be inf on every node on entry
    (and ``label`` -1, unless it is empty: labels are then not tracked); the caller resets the touched
    nodes afterwards. ``head`` (one slot per bucket, a power of two) must be -1 everywhere and is left so.
    ``pool`` = (node, next, distance): the queue's entries, a linked list per bucket, recycled through a
    free list.
    """
    indptr, indices, weights = csr
    limit, width = ring
    dist, label, touched, head = state
    ent_node, ent_next, ent_d = pool
    track = label.size > 0
    inv = 1.0 / width
    mask = head.size - 1
    cap = ent_node.size
    n_touched, cur, used = _start(sources, ring, state, pool)
    live = used
    free = -1
    while live > 0:
        s = cur & mask
        e = head[s]
        while e >= 0:
            head[s] = ent_next[e]
            v = ent_node[e]
            dv = ent_d[e]
            ent_next[e] = free
            free = e
            live -= 1
            if dv == dist[v]:  # else stale: improved since (each (node, distance) is pushed once)
                for p in range(indptr[v], indptr[v + 1]):
                    u = indices[p]
                    nd = dv + weights[p]
                    if nd < dist[u] and nd <= limit:
                        if free >= 0:
                            e2 = free
                            free = ent_next[e2]
                        elif used < cap:
                            e2 = used
                            used += 1
                        else:  # pool exhausted: give up, the caller grows it
                            for q in range(head.size):
                                head[q] = -1
                            return -1 - n_touched
                        if dist[u] == np.inf:
                            touched[n_touched] = u
                            n_touched += 1
                        dist[u] = nd
                        if track:
                            label[u] = label[v]
                        s2 = max(np.int64(nd * inv), cur) & mask
                        ent_node[e2] = u
                        ent_d[e2] = nd
                        ent_next[e2] = head[s2]
                        head[s2] = e2
                        live += 1
            e = head[s]
        cur += 1
    return n_touched


@njit(cache=True, nogil=True)
def _reset(state, n_touched):  # pragma: no cover - compiled
    dist, label, touched, _ = state
    track = label.size > 0
    for k in range(n_touched):
        dist[touched[k]] = np.inf
        if track:
            label[touched[k]] = -1


@njit(cache=True, nogil=True)
def _search_grown(csr, sources, ring, state, pool):  # pragma: no cover - compiled
    """:func:`_search`, growing the pool and searching again until it fits; returns (touched, pool)."""
    cap = pool[0].size
    while True:
        if cap != pool[0].size or cap <= sources[0].size:  # the sources are queued first: room for them
            cap = max(cap, sources[0].size + 16)
            pool = (np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.float64))
        nt = _search(csr, sources, ring, state, pool)
        if nt >= 0:
            return nt, pool
        _reset(state, -1 - nt)
        cap = 2 * cap + 16


@njit(cache=True, nogil=True)
def _multi(csr, sources, ring, n_buckets, want_label):  # pragma: no cover - compiled
    n = csr[0].size - 1
    state = (
        np.full(n, np.inf),
        np.full(n if want_label else 0, -1, dtype=np.int64),
        np.empty(n, dtype=np.int64),
        np.full(n_buckets, -1, dtype=np.int64),
    )
    # without rescans a search pushes at most one entry per arc and source: room for that
    cap = csr[1].size + sources[0].size + 16
    pool = (np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.float64))
    _search_grown(csr, sources, ring, state, pool)
    return state[0], state[1]


def _ring(max_edge_m: float, src_cost: np.ndarray, limit: float, width_m: float) -> tuple[float, int]:
    spread = float(src_cost.max() - src_cost.min()) if src_cost.size else 0.0
    step = max(float(max_edge_m), spread)
    if np.isfinite(limit):
        step = min(step, float(limit))
    width = bucket_width_m(step, width_m=width_m)
    # a power of two > step / width + 2 (the ring wraps with a mask); a bucket index is floor(d / width)
    # computed as d * (1 / width), which may differ from the exact floor by one: the ring has room for it
    return width, 1 << int(np.ceil(np.log2(step / width + 4)))


def _csr(csr: tuple[Any, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(indptr, indices, weights)`` as the compiled code wants them (the first three of ``graph.csr``)."""
    indptr, indices, weights = csr[:3]
    return (
        np.ascontiguousarray(indptr, dtype=np.int64),
        np.ascontiguousarray(indices),
        np.ascontiguousarray(weights, dtype=np.float64),
    )


def _triple(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(int64, int64, float64) contiguous arrays: a node/pointer, a node/point and a cost column."""
    return (
        np.ascontiguousarray(a, dtype=np.int64),
        np.ascontiguousarray(b, dtype=np.int64),
        np.ascontiguousarray(c, dtype=np.float64),
    )


def multi_source_search(
    csr: tuple[Any, ...],
    sources: tuple[np.ndarray, np.ndarray, np.ndarray],
    *,
    limit_m: float = np.inf,
    max_edge_m: float | None = None,
    width_m: float = 1.0,
    return_label: bool = True,
) -> tuple[np.ndarray, np.ndarray] | np.ndarray:
    """Distance from the nearest source to every node, and that source's label.

    Parameters
    ----------
    csr
        ``(indptr, indices, weights)``: a directed graph in CSR form, weights >= 0 in metres
        (``WalkGraph.csr`` may be passed as it is: a fourth item, the longest edge, is ignored).
    sources
        ``(node, head_start_m, label)``: each source's node, head start (metres) and label (e.g. the
        facility index).
    limit_m
        Nodes farther than this get inf (and label -1); ``<=`` counts, as in scipy's ``limit``.
    max_edge_m
        Largest weight (computed when not given).
    width_m
        Bucket width: a speed knob only (the distances do not depend on it).
    return_label
        Also return the labels (tracking them costs one more array written per node reached).

    Returns
    -------
    numpy.ndarray or (numpy.ndarray, numpy.ndarray)
        float64 distances (inf where not reached), and int64 labels (-1 where not reached) when
        ``return_label``. Between sources at exactly the same distance the label is one of them.
    """
    graph = _csr(csr)
    node, cost, label = sources
    src = (
        np.ascontiguousarray(node, dtype=np.int64),
        np.ascontiguousarray(cost, dtype=np.float64),
        np.ascontiguousarray(label, dtype=np.int64),
    )
    if max_edge_m is None:
        max_edge_m = float(graph[2].max()) if graph[2].size else 0.0
    width, n_buckets = _ring(max_edge_m, src[1], limit_m, width_m)
    dist, lab = _multi(graph, src, (float(limit_m), width), n_buckets, bool(return_label))
    return (dist, lab) if return_label else dist


@njit(cache=True, nogil=True)
def _read_off(v, dv, incidence, limit, points, n_hit):  # pragma: no cover - compiled
    """Offer node ``v`` at distance ``dv`` to the points hanging off it; returns the new ``n_hit``."""
    inc_ptr, inc_point, inc_cost = incidence
    best, hit = points
    for q in range(inc_ptr[v], inc_ptr[v + 1]):
        pt = inc_point[q]
        d = dv + inc_cost[q]
        if d <= limit and d < best[pt]:
            if best[pt] == np.inf:
                hit[n_hit] = pt
                n_hit += 1
            best[pt] = d
    return n_hit


@njit(cache=True, nogil=True)
def _one_catchment(csr, sources, incidence, seeds, ring, state, points, pool):  # pragma: no cover - compiled
    """One group's search, read off at the points; leaves ``state`` clean. Returns (hits, pool)."""
    limit = ring[0]
    dist, _, touched, _ = state
    nt, pool = _search_grown(csr, sources, ring, state, pool)
    # direct seeds first: (point, cost) pairs given as a one-node "incidence" list
    n_hit = _read_off(0, 0.0, seeds, limit, points, 0)
    for k in range(nt):
        v = touched[k]
        n_hit = _read_off(v, dist[v], incidence, limit, points, n_hit)
        dist[v] = np.inf
    return n_hit, pool


@njit(cache=True, nogil=True)
def _catchments(csr, groups, incidence, seeds, ring, state, points, pool):  # pragma: no cover - compiled
    grp_ptr, src_node, src_cost = groups
    seed_ptr, seed_point, seed_cost = seeds
    best, hit = points
    out = (np.empty(1024, dtype=np.int64), np.empty(1024, dtype=np.int64), np.empty(1024, dtype=np.float64))
    n_out = 0
    no_label = np.zeros(0, dtype=np.int64)
    for g in range(grp_ptr.size - 1):
        a, z = grp_ptr[g], grp_ptr[g + 1]
        one_seed = (np.array([0, seed_ptr[g + 1] - seed_ptr[g]]), seed_point[seed_ptr[g] :], seed_cost[seed_ptr[g] :])
        n_hit, pool = _one_catchment(
            csr, (src_node[a:z], src_cost[a:z], no_label), incidence, one_seed, ring, state, points, pool,
        )  # fmt: skip
        if n_out + n_hit > out[0].size:
            cap = max(2 * out[0].size, n_out + n_hit)
            out = (_grow(out[0], cap), _grow(out[1], cap), _grow(out[2], cap))
        for k in range(n_hit):
            pt = hit[k]
            out[0][n_out] = g
            out[1][n_out] = pt
            out[2][n_out] = best[pt]
            n_out += 1
            best[pt] = np.inf
    return (out[0][:n_out].copy(), out[1][:n_out].copy(), out[2][:n_out].copy()), pool


class CatchmentScratch:
    """Work arrays of :func:`catchment_search`, allocated once for many calls on the same graph and
    points (each call leaves them as it found them)."""

    def __init__(self, n_nodes: int, n_points: int, limit_m: float, *, width_m: float = 1.0) -> None:
        self.limit_m = float(limit_m)
        self.width, n_buckets = _ring(self.limit_m, np.zeros(1), self.limit_m, width_m)
        self.state = (
            np.full(n_nodes, np.inf),
            np.zeros(0, dtype=np.int64),  # no labels: one search per group
            np.empty(n_nodes, dtype=np.int64),
            np.full(n_buckets, -1, dtype=np.int64),
        )
        self.points = (np.full(n_points, np.inf), np.empty(n_points, dtype=np.int64))
        #: the queue's entry pool, grown by the searches as needed and kept for the next call
        self.pool = (np.empty(4096, dtype=np.int64), np.empty(4096, dtype=np.int64), np.empty(4096))

    @property
    def n_points(self) -> int:
        """Size of the point index space these arrays were made for."""
        return int(self.points[0].size)


def catchment_search(
    csr: tuple[Any, ...],
    groups: tuple[np.ndarray, np.ndarray, np.ndarray],
    incidence: tuple[np.ndarray, np.ndarray, np.ndarray],
    n_points: int,
    *,
    limit_m: float,
    seeds: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    scratch: CatchmentScratch | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One bounded search per group of sources, read off at the points attached to the nodes.

    Parameters
    ----------
    csr
        The graph: ``(indptr, indices, weights)`` in metres (``WalkGraph.csr`` may be passed as it is).
    groups
        ``(grp_ptr, src_node, src_cost)``: group ``g``'s sources are ``src_node[grp_ptr[g]:grp_ptr[g + 1]]``
        with their head starts ``src_cost`` (one facility's entrance ends).
    incidence
        ``(inc_ptr, inc_point, inc_cost)``: node ``v`` leads to points ``inc_point[inc_ptr[v]:inc_ptr[v + 1]]``
        at extra cost ``inc_cost`` (a demand point's two edge ends with its walks from them).
    n_points
        Size of the point index space.
    limit_m
        Search radius, offsets included.
    seeds
        Optional ``(seed_ptr, seed_point, seed_cost)``: direct distances of group ``g`` to points
        ``seed_point[seed_ptr[g]:seed_ptr[g + 1]]`` that bypass the nodes (a walk along an edge shared by
        an entrance and a demand point).
    scratch
        Work arrays to reuse across calls (made for this graph, ``n_points`` and ``limit_m``).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        ``(group, point, distance_m)`` for every pair within ``limit_m`` (the nearer end counts).
    """
    if not np.isfinite(limit_m):
        raise ValueError("catchment_search needs a finite limit_m")
    graph = _csr(csr)
    if scratch is None:
        scratch = CatchmentScratch(graph[0].size - 1, n_points, limit_m)
    elif scratch.limit_m != float(limit_m) or scratch.n_points != n_points:
        raise ValueError("scratch was made for another limit or number of points")
    if seeds is None:
        seeds = (np.zeros(np.asarray(groups[0]).size, dtype=np.int64), np.zeros(0, np.int64), np.zeros(0))
    out, scratch.pool = _catchments(
        graph, _triple(*groups), _triple(*incidence), _triple(*seeds),
        (float(limit_m), scratch.width), scratch.state, scratch.points, scratch.pool,
    )  # fmt: skip
    return out
