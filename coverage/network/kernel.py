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

__all__ = ["bucket_width_m", "catchment_search", "multi_source_search"]

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
    done,
    touched,
    head,
    ent_node,
    ent_next,
):  # pragma: no cover - compiled
    """One multi-source search; returns the number of nodes in ``touched`` (those given a distance).

    ``dist`` must be inf, ``label`` -1 and ``done`` -1 on every node on entry (the caller resets the
    touched ones afterwards); ``head`` must be -1 everywhere and is left so.
    """
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
        b = np.int64(dist[v] / width)
        if lo < 0 or b < lo:
            lo = b
    for k in range(n_touched):
        v = touched[k]
        b = np.int64(dist[v] / width)
        if n_ent >= ent_node.size:
            ent_node = _grow(ent_node, n_ent + 1)
            ent_next = _grow(ent_next, n_ent + 1)
        e = n_ent
        n_ent += 1
        s = b % n_buckets
        ent_node[e] = v
        ent_next[e] = head[s]
        head[s] = e
        live += 1
    cur = lo
    while live > 0:
        s = cur % n_buckets
        while head[s] >= 0:
            e = head[s]
            v = ent_node[e]
            head[s] = ent_next[e]
            ent_next[e] = free
            free = e
            live -= 1
            dv = dist[v]
            if done[v] == dv:
                continue  # already scanned at this distance
            done[v] = dv
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
                    b = np.int64(nd / width)
                    if b < cur:
                        b = cur
                    if free >= 0:
                        e2 = free
                        free = ent_next[free]
                    else:
                        if n_ent >= ent_node.size:
                            ent_node = _grow(ent_node, n_ent + 1)
                            ent_next = _grow(ent_next, n_ent + 1)
                        e2 = n_ent
                        n_ent += 1
                    s2 = b % n_buckets
                    ent_node[e2] = u
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
    done = np.full(n, -1.0)
    touched = np.empty(n, dtype=np.int64)
    head = np.full(n_buckets, -1, dtype=np.int64)
    cap = max(16, n // 4)
    ent_node = np.empty(cap, dtype=np.int64)
    ent_next = np.empty(cap, dtype=np.int64)
    _search(
        indptr, indices, weights, src_node, src_cost, src_label, limit, width, n_buckets,
        dist, label, done, touched, head, ent_node, ent_next,
    )  # fmt: skip
    return dist, label


def _ring(max_edge_m: float, src_cost: np.ndarray, limit: float, width_m: float) -> tuple[float, int]:
    spread = float(src_cost.max() - src_cost.min()) if src_cost.size else 0.0
    step = max(float(max_edge_m), spread)
    if np.isfinite(limit):
        step = min(step, float(limit))
    width = bucket_width_m(step, width_m=width_m)
    return width, int(step / width) + 2


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
    n_points,
    limit,
    width,
    n_buckets,
):  # pragma: no cover - compiled
    n = indptr.size - 1
    dist = np.full(n, np.inf)
    label = np.full(n, -1, dtype=np.int64)
    done = np.full(n, -1.0)
    touched = np.empty(n, dtype=np.int64)
    head = np.full(n_buckets, -1, dtype=np.int64)
    ent_node = np.empty(1024, dtype=np.int64)
    ent_next = np.empty(1024, dtype=np.int64)
    best = np.full(n_points, np.inf)
    hit = np.empty(n_points, dtype=np.int64)
    cap = 1024
    out_g = np.empty(cap, dtype=np.int64)
    out_p = np.empty(cap, dtype=np.int64)
    out_d = np.empty(cap, dtype=np.float64)
    n_out = 0
    for g in range(grp_ptr.size - 1):
        a, z = grp_ptr[g], grp_ptr[g + 1]
        nt = _search(
            indptr, indices, weights, src_node[a:z], src_cost[a:z], np.zeros(z - a, dtype=np.int64),
            limit, width, n_buckets, dist, label, done, touched, head, ent_node, ent_next,
        )  # fmt: skip
        n_hit = 0
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
            done[v] = -1.0
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
    max_edge_m: float | None = None,
    width_m: float = 1.0,
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

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        ``(group, point, distance_m)`` for every pair within ``limit_m`` (the nearer end counts).
    """
    if max_edge_m is None:
        max_edge_m = float(weights.max()) if weights.size else 0.0
    width, n_buckets = _ring(max_edge_m, np.asarray(src_cost, dtype=np.float64), limit_m, width_m)
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
        int(n_points),
        float(limit_m),
        width,
        n_buckets,
    )
