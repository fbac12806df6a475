"""Exact bounded shortest-path searches on a bucket queue, compiled with numba.

The searches of :mod:`~coverage_planner.network.nearest` (one multi-source pass per facility type) and of
:mod:`~coverage_planner.network.catchment` (one bounded pass per facility) run here instead of
``scipy.sparse.csgraph.dijkstra``, whose binary heap was the floor of the earlier design.

The queue is a ring of buckets ``width_m`` metres wide (Dial's algorithm, with buckets narrower than the
shortest edges of real OpenStreetMap graphs allow, so a node may be improved after it was scanned, in which
case it is scanned again: a label-correcting search inside one bucket). Distances are not rounded to the
bucket width: every tentative distance is the float64 sum ``d[u] + w(u, v)`` exactly as in scipy, and
the search ends at the least fixed point of ``d[v] = min(d[u] + w(u, v))``, which is the same float
value for every correct algorithm (float addition is monotone). So the distances are *identical* to
scipy's, bit for bit, not just to a tolerance; ``tests/test_kernel.py`` checks this against
``scipy.sparse.csgraph.dijkstra`` on generated graphs and on the Helsinki network.

``cache=True`` keeps the compiled code in ``__pycache__`` so only the first run on a machine pays the
compilation (about 2-4 s; ``benchmarks/network_access.py`` reports it separately).
"""

from __future__ import annotations

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
def _search(
    indptr,
    indices,
    weights,
    src_node,
    src_cost,
    src_label,
    limit,
    width,
    n_buckets,
    dist,
    label,
    touched,
    head,
    ent_node,
    ent_next,
    ent_d,
):  # pragma: no cover - compiled
    """One multi-source search; returns the number of nodes in ``touched`` (those given a distance).

    ``dist`` must be inf and ``label`` -1 on every node on entry (the caller resets the touched ones
    afterwards); ``head`` must be -1 everywhere and is left so. ``ent_*`` are scratch (grown as needed).
    """
    inv = 1.0 / width
    mask = n_buckets - 1  # n_buckets is a power of two
    n_touched = 0
    live = 0
    free = -1
    n_ent = 0
    lo = np.int64(-1)
    for i in range(src_node.size):
        v = src_node[i]
        c = src_cost[i]
        if c > limit or not c < dist[v]:
            continue
        if dist[v] == np.inf:
            touched[n_touched] = v
            n_touched += 1
        dist[v] = c
        label[v] = src_label[i]
    for k in range(n_touched):
        v = touched[k]
        b = np.int64(dist[v] * inv)
        if lo < 0 or b < lo:
            lo = b
    for k in range(n_touched):
        v = touched[k]
        b = np.int64(dist[v] * inv)
        if n_ent >= ent_node.size:
            ent_node = _grow(ent_node, n_ent + 1)
            ent_next = _grow(ent_next, n_ent + 1)
            ent_d = _grow(ent_d, n_ent + 1)
        e = n_ent
        n_ent += 1
        s = b & mask
        ent_node[e] = v
        ent_d[e] = dist[v]
        ent_next[e] = head[s]
        head[s] = e
        live += 1
    cur = lo
    while live > 0:
        s = cur & mask
        while head[s] >= 0:
            e = head[s]
            v = ent_node[e]
            head[s] = ent_next[e]
            ent_next[e] = free
            free = e
            live -= 1
            dv = dist[v]
            if ent_d[e] != dv:
                continue  # stale: improved since (each (node, distance) is pushed once)
            lv = label[v]
            for p in range(indptr[v], indptr[v + 1]):
                u = indices[p]
                nd = dv + weights[p]
                if nd < dist[u] and nd <= limit:
                    if dist[u] == np.inf:
                        touched[n_touched] = u
                        n_touched += 1
                    dist[u] = nd
                    label[u] = lv
                    b = np.int64(nd * inv)
                    if b < cur:
                        b = cur
                    if free >= 0:
                        e2 = free
                        free = ent_next[free]
                    else:
                        if n_ent >= ent_node.size:
                            ent_node = _grow(ent_node, n_ent + 1)
                            ent_next = _grow(ent_next, n_ent + 1)
                            ent_d = _grow(ent_d, n_ent + 1)
                        e2 = n_ent
                        n_ent += 1
                    s2 = b & mask
                    ent_node[e2] = u
                    ent_d[e2] = nd
                    ent_next[e2] = head[s2]
                    head[s2] = e2
                    live += 1
        cur += 1
    return n_touched


@njit(cache=True, nogil=True)
def _multi(
    indptr, indices, weights, src_node, src_cost, src_label, limit, width, n_buckets
):  # pragma: no cover - compiled
    n = indptr.size - 1
    dist = np.full(n, np.inf)
    label = np.full(n, -1, dtype=np.int64)
    touched = np.empty(n, dtype=np.int64)
    head = np.full(n_buckets, -1, dtype=np.int64)
    cap = max(16, n // 16)
    ent_node = np.empty(cap, dtype=np.int64)
    ent_next = np.empty(cap, dtype=np.int64)
    ent_d = np.empty(cap, dtype=np.float64)
    _search(
        indptr, indices, weights, src_node, src_cost, src_label, limit, width, n_buckets,
        dist, label, touched, head, ent_node, ent_next, ent_d,
    )  # fmt: skip
    return dist, label


def _ring(max_edge_m: float, src_cost: np.ndarray, limit: float, width_m: float) -> tuple[float, int]:
    spread = float(src_cost.max() - src_cost.min()) if src_cost.size else 0.0
    step = max(float(max_edge_m), spread)
    if np.isfinite(limit):
        step = min(step, float(limit))
    width = bucket_width_m(step, width_m=width_m)
    # a power of two > step / width + 2 (the ring wraps with a mask); a bucket index is floor(d / width)
    # computed as d * (1 / width), which may differ from the exact floor by one: the ring has room for it
    return width, 1 << int(np.ceil(np.log2(step / width + 4)))


def multi_source_search(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    src_node: np.ndarray,
    src_cost: np.ndarray,
    src_label: np.ndarray,
    *,
    limit_m: float = np.inf,
    max_edge_m: float | None = None,
    width_m: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Distance from the nearest source to every node, and that source's label.

    Parameters
    ----------
    indptr, indices, weights
        A directed graph in CSR form (int64, int32/int64, float64), weights >= 0 in metres.
    src_node, src_cost, src_label
        Sources: node, head start (metres) and label (int64, e.g. the facility index).
    limit_m
        Nodes farther than this get inf (and label -1); ``<=`` counts, as in scipy's ``limit``.
    max_edge_m
        Largest weight (computed when not given).
    width_m
        Bucket width: a speed knob only (the distances do not depend on it).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        float64 distances (inf where not reached) and int64 labels (-1 where not reached). Between
        sources at exactly the same distance the label is one of them.
    """
    src_node = np.ascontiguousarray(src_node, dtype=np.int64)
    src_cost = np.ascontiguousarray(src_cost, dtype=np.float64)
    src_label = np.ascontiguousarray(src_label, dtype=np.int64)
    if max_edge_m is None:
        max_edge_m = float(weights.max()) if weights.size else 0.0
    width, n_buckets = _ring(max_edge_m, src_cost, limit_m, width_m)
    return _multi(
        indptr, indices, weights, src_node, src_cost, src_label, float(limit_m), width, n_buckets
    )


@njit(cache=True, nogil=True)
def _catchments(
    indptr,
    indices,
    weights,
    grp_ptr,
    src_node,
    src_cost,
    inc_ptr,
    inc_point,
    inc_cost,
    seed_ptr,
    seed_point,
    seed_cost,
    limit,
    width,
    dist,
    label,
    touched,
    head,
    best,
    hit,
):  # pragma: no cover - compiled
    n_buckets = head.size
    ent_node = np.empty(4096, dtype=np.int64)
    ent_next = np.empty(4096, dtype=np.int64)
    ent_d = np.empty(4096, dtype=np.float64)
    cap = 1024
    out_g = np.empty(cap, dtype=np.int64)
    out_p = np.empty(cap, dtype=np.int64)
    out_d = np.empty(cap, dtype=np.float64)
    n_out = 0
    for g in range(grp_ptr.size - 1):
        a, z = grp_ptr[g], grp_ptr[g + 1]
        nt = _search(
            indptr, indices, weights, src_node[a:z], src_cost[a:z], np.zeros(z - a, dtype=np.int64),
            limit, width, n_buckets, dist, label, touched, head, ent_node, ent_next, ent_d,
        )  # fmt: skip
        n_hit = 0
        for q in range(seed_ptr[g], seed_ptr[g + 1]):
            pt = seed_point[q]
            d = seed_cost[q]
            if d <= limit and d < best[pt]:
                if best[pt] == np.inf:
                    hit[n_hit] = pt
                    n_hit += 1
                best[pt] = d
        for k in range(nt):
            v = touched[k]
            dv = dist[v]
            for q in range(inc_ptr[v], inc_ptr[v + 1]):
                pt = inc_point[q]
                d = dv + inc_cost[q]
                if d <= limit and d < best[pt]:
                    if best[pt] == np.inf:
                        hit[n_hit] = pt
                        n_hit += 1
                    best[pt] = d
            dist[v] = np.inf
            label[v] = -1
        if n_out + n_hit > cap:
            cap = max(2 * cap, n_out + n_hit)
            out_g = _grow(out_g, cap)
            out_p = _grow(out_p, cap)
            out_d = _grow(out_d, cap)
        for k in range(n_hit):
            pt = hit[k]
            out_g[n_out] = g
            out_p[n_out] = pt
            out_d[n_out] = best[pt]
            n_out += 1
            best[pt] = np.inf
    return out_g[:n_out].copy(), out_p[:n_out].copy(), out_d[:n_out].copy()


class CatchmentScratch:
    """Work arrays of :func:`catchment_search`, allocated once for many calls on the same graph and
    points (each call leaves them as it found them)."""

    def __init__(self, n_nodes: int, n_points: int, limit_m: float, *, width_m: float = 1.0) -> None:
        self.limit_m = float(limit_m)
        self.width, n_buckets = _ring(self.limit_m, np.zeros(1), self.limit_m, width_m)
        self.dist = np.full(n_nodes, np.inf)
        self.label = np.full(n_nodes, -1, dtype=np.int64)
        self.touched = np.empty(n_nodes, dtype=np.int64)
        self.head = np.full(n_buckets, -1, dtype=np.int64)
        self.best = np.full(n_points, np.inf)
        self.hit = np.empty(n_points, dtype=np.int64)


def catchment_search(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    grp_ptr: np.ndarray,
    src_node: np.ndarray,
    src_cost: np.ndarray,
    inc_ptr: np.ndarray,
    inc_point: np.ndarray,
    inc_cost: np.ndarray,
    n_points: int,
    *,
    limit_m: float,
    seed_ptr: np.ndarray | None = None,
    seed_point: np.ndarray | None = None,
    seed_cost: np.ndarray | None = None,
    scratch: CatchmentScratch | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One bounded search per group of sources, read off at the points attached to the nodes.

    Parameters
    ----------
    indptr, indices, weights
        The graph (CSR, metres).
    grp_ptr
        Group ``g``'s sources are ``src_node[grp_ptr[g]:grp_ptr[g + 1]]`` (with their head starts
        ``src_cost``): one facility's entrance ends.
    inc_ptr, inc_point, inc_cost
        Node ``v`` leads to points ``inc_point[inc_ptr[v]:inc_ptr[v + 1]]`` at extra cost ``inc_cost``
        (a demand point's two edge ends with its walks from them).
    n_points
        Size of the point index space.
    limit_m
        Search radius, offsets included.
    seed_ptr, seed_point, seed_cost
        Optional direct distances of group ``g`` to points ``seed_point[seed_ptr[g]:seed_ptr[g + 1]]``
        that bypass the nodes (a walk along an edge shared by an entrance and a demand point).
    scratch
        Work arrays to reuse across calls (made for this graph, ``n_points`` and ``limit_m``).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        ``(group, point, distance_m)`` for every pair within ``limit_m`` (the nearer end counts).
    """
    if not np.isfinite(limit_m):
        raise ValueError("catchment_search needs a finite limit_m")
    if scratch is None:
        scratch = CatchmentScratch(indptr.size - 1, n_points, limit_m)
    elif scratch.limit_m != float(limit_m) or scratch.best.size != n_points:
        raise ValueError("scratch was made for another limit or number of points")
    if seed_ptr is None:
        seed_ptr = np.zeros(np.asarray(grp_ptr).size, dtype=np.int64)
        seed_point = np.zeros(0, dtype=np.int64)
        seed_cost = np.zeros(0)
    return _catchments(
        indptr,
        indices,
        weights,
        np.ascontiguousarray(grp_ptr, dtype=np.int64),
        np.ascontiguousarray(src_node, dtype=np.int64),
        np.ascontiguousarray(src_cost, dtype=np.float64),
        np.ascontiguousarray(inc_ptr, dtype=np.int64),
        np.ascontiguousarray(inc_point, dtype=np.int64),
        np.ascontiguousarray(inc_cost, dtype=np.float64),
        np.ascontiguousarray(seed_ptr, dtype=np.int64),
        np.ascontiguousarray(seed_point, dtype=np.int64),
        np.ascontiguousarray(seed_cost, dtype=np.float64),
        float(limit_m),
        scratch.width,
        scratch.dist,
        scratch.label,
        scratch.touched,
        scratch.head,
        scratch.best,
        scratch.hit,
    )
