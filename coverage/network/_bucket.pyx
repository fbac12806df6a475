# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The compiled bucket-queue searches behind :mod:`coverage_planner.network.kernel` (read its docstring).

Built by ``pip install -e .`` (setuptools + Cython, ``setup.py``); the module has no Python-level state.
Arrays are typed memoryviews: ``indptr`` int64, ``indices`` int32 or int64 (two fused variants), weights
and distances float64, everything else int64. The GIL is released while a search runs.
"""

import numpy as np

from libc.math cimport INFINITY

ctypedef fused index_t:
    int
    long long


cdef long long _start(const long long[::1] src_node, const double[::1] src_cost, const long long[::1] src_label,
                      double limit, double inv, double[::1] dist, long long[::1] label, long long[::1] touched,
                      long long[::1] head, long long[::1] ent_node, long long[::1] ent_next,
                      double[::1] ent_d, long long *first_bucket) noexcept nogil:
    """Give the sources their head starts (the smallest per node) and queue them; returns the touched count
    (also the pool entries used) and sets ``first_bucket``."""
    cdef bint track = label.shape[0] > 0
    cdef long long mask = head.shape[0] - 1
    cdef long long n_touched = 0, i, k, v, b, s
    cdef long long cur = (<long long>1) << 62
    cdef double c
    for i in range(src_node.shape[0]):
        v = src_node[i]
        c = src_cost[i]
        if c <= limit and c < dist[v]:
            if dist[v] == INFINITY:
                touched[n_touched] = v
                n_touched += 1
            dist[v] = c
            if track:
                label[v] = src_label[i]
    for k in range(n_touched):  # n_touched <= number of sources < pool size
        v = touched[k]
        b = <long long>(dist[v] * inv)
        if b < cur:
            cur = b
        s = b & mask
        ent_node[k] = v
        ent_d[k] = dist[v]
        ent_next[k] = head[s]
        head[s] = k
    first_bucket[0] = cur
    return n_touched


cdef long long _search(const long long[::1] indptr, const index_t[::1] indices, const double[::1] weights,
                       const long long[::1] src_node, const double[::1] src_cost, const long long[::1] src_label,
                       double limit, double width, double[::1] dist, long long[::1] label,
                       long long[::1] touched, long long[::1] head, long long[::1] ent_node,
                       long long[::1] ent_next, double[::1] ent_d) noexcept nogil:
    """One multi-source search. Returns the number of nodes in ``touched`` (those given a distance), or
    ``-1 - that number`` when the entry pool ran out (the caller resets the touched nodes, grows the pool and
    searches again: the hot loop never reallocates).

    ``dist`` must be inf on every node on entry (and ``label`` -1, unless it is empty: labels are then not
    tracked); the caller resets the touched nodes afterwards. ``head`` (one slot per bucket, a power of two)
    must be -1 everywhere and is left so. The pool (node, next, distance) holds the queue's entries, a linked
    list per bucket, recycled through a free list.
    """
    cdef bint track = label.shape[0] > 0
    cdef double inv = 1.0 / width
    cdef long long mask = head.shape[0] - 1
    cdef long long cap = ent_node.shape[0]
    cdef long long cur, v, u, b, s, s2, e, e2, p, q
    cdef double dv, nd
    cdef long long n_touched = _start(src_node, src_cost, src_label, limit, inv, dist, label, touched, head,
                                      ent_node, ent_next, ent_d, &cur)
    cdef long long used = n_touched, live = n_touched, free = -1
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
                            for q in range(head.shape[0]):
                                head[q] = -1
                            return -1 - n_touched
                        if dist[u] == INFINITY:
                            touched[n_touched] = u
                            n_touched += 1
                        dist[u] = nd
                        if track:
                            label[u] = label[v]
                        b = <long long>(nd * inv)
                        if b < cur:
                            b = cur
                        s2 = b & mask
                        ent_node[e2] = u
                        ent_d[e2] = nd
                        ent_next[e2] = head[s2]
                        head[s2] = e2
                        live += 1
            e = head[s]
        cur += 1
    return n_touched


cdef void _reset(double[::1] dist, long long[::1] label, long long[::1] touched, long long n_touched) noexcept nogil:
    cdef bint track = label.shape[0] > 0
    cdef long long k
    for k in range(n_touched):
        dist[touched[k]] = INFINITY
        if track:
            label[touched[k]] = -1


def _new_pool(long long cap):
    return np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.float64)


cdef class _Graph:
    """The CSR as typed views, taken once per call (``indices`` int32 or int64)."""
    cdef const long long[::1] indptr
    cdef const int[::1] idx32
    cdef const long long[::1] idx64
    cdef const double[::1] weights
    cdef bint narrow

    def __init__(self, csr):
        self.indptr = csr[0]
        self.weights = csr[2]
        self.narrow = csr[1].dtype == np.int32
        if self.narrow:
            self.idx32 = csr[1]
        else:
            self.idx64 = csr[1]


cdef long long _grown(_Graph gr, const long long[::1] src_node, const double[::1] src_cost,
                      const long long[::1] src_label, double limit, double width, double[::1] dist,
                      long long[::1] label, long long[::1] touched, long long[::1] head, list pool) except? -2:
    """:func:`_search`, growing the pool (``pool[0]``, a (node, next, distance) triple, replaced in place) and
    searching again until it fits; returns the touched count."""
    cdef long long[::1] ent_node, ent_next
    cdef double[::1] ent_d
    cdef long long nt, cap = pool[0][0].shape[0]
    if cap <= src_node.shape[0]:  # the sources are queued first: room for them
        cap = src_node.shape[0] + 16
        pool[0] = _new_pool(cap)
    while True:
        ent_node, ent_next, ent_d = pool[0]
        with nogil:
            if gr.narrow:
                nt = _search(gr.indptr, gr.idx32, gr.weights, src_node, src_cost, src_label, limit, width, dist,
                             label, touched, head, ent_node, ent_next, ent_d)
            else:
                nt = _search(gr.indptr, gr.idx64, gr.weights, src_node, src_cost, src_label, limit, width, dist,
                             label, touched, head, ent_node, ent_next, ent_d)
            if nt < 0:
                _reset(dist, label, touched, -1 - nt)
        if nt >= 0:
            return nt
        cap = 2 * cap + 16
        pool[0] = _new_pool(cap)


def multi(csr, sources, ring, long long n_buckets, bint want_label):
    """Distances (and labels, when ``want_label``) of one multi-source search.

    ``csr`` = (indptr, indices, weights); ``sources`` = (node, head start, label); ``ring`` = (limit, bucket
    width); ``n_buckets`` a power of two.
    """
    n = csr[0].shape[0] - 1
    dist = np.full(n, np.inf)
    label = np.full(n if want_label else 0, -1, dtype=np.int64)
    # without rescans a search pushes at most one entry per arc and source: room for that
    pool = [_new_pool(csr[1].shape[0] + sources[0].shape[0] + 16)]
    _grown(_Graph(csr), sources[0], sources[1], sources[2], ring[0], ring[1], dist, label,
           np.empty(n, dtype=np.int64), np.full(n_buckets, -1, dtype=np.int64), pool)
    return dist, label


cdef long long _read_off(long long v, double dv, const long long[::1] inc_ptr, const long long[::1] inc_point,
                         const double[::1] inc_cost, double limit, double[::1] best, long long[::1] hit,
                         long long n_hit) noexcept nogil:
    """Offer node ``v`` at distance ``dv`` to the points hanging off it; returns the new ``n_hit``."""
    cdef long long q, pt
    cdef double d
    for q in range(inc_ptr[v], inc_ptr[v + 1]):
        pt = inc_point[q]
        d = dv + inc_cost[q]
        if d <= limit and d < best[pt]:
            if best[pt] == INFINITY:
                hit[n_hit] = pt
                n_hit += 1
            best[pt] = d
    return n_hit


def catchments(csr, groups, incidence, seeds, ring, state, points, pool):
    """One bounded search per group of sources, read off at the points; returns ((group, point, distance),
    pool). ``state`` = (dist, label (empty), touched, head) and ``points`` = (best, hit) are left as found.

    ``groups`` = (grp_ptr, src_node, src_cost); ``incidence`` = (inc_ptr, inc_point, inc_cost): node ``v``
    leads to points ``inc_point[inc_ptr[v]:inc_ptr[v + 1]]``; ``seeds`` = (seed_ptr, seed_point, seed_cost):
    direct distances of group ``g`` to points that bypass the nodes.
    """
    cdef _Graph gr = _Graph(csr)
    cdef const long long[::1] grp_ptr = groups[0]
    cdef const long long[::1] src_node = groups[1]
    cdef const double[::1] src_cost = groups[2]
    cdef const long long[::1] inc_ptr = incidence[0]
    cdef const long long[::1] inc_point = incidence[1]
    cdef const double[::1] inc_cost = incidence[2]
    cdef const long long[::1] seed_ptr = seeds[0]
    cdef const long long[::1] seed_point = seeds[1]
    cdef const double[::1] seed_cost = seeds[2]
    cdef double limit = ring[0], width = ring[1]
    cdef double[::1] dist = state[0]
    cdef long long[::1] label = state[1], touched = state[2], head = state[3]
    cdef double[::1] best = points[0]
    cdef long long[::1] hit = points[1]
    cdef const long long[::1] no_label = np.zeros(0, dtype=np.int64)
    cdef long long g, k, v, nt, n_hit, pt, n_out = 0, cap = 1024
    cdef list box = [pool]
    out_g, out_p, out_d = np.empty(cap, np.int64), np.empty(cap, np.int64), np.empty(cap)
    cdef long long[::1] og = out_g, op = out_p
    cdef double[::1] od = out_d
    for g in range(grp_ptr.shape[0] - 1):
        nt = _grown(gr, src_node[grp_ptr[g]:grp_ptr[g + 1]], src_cost[grp_ptr[g]:grp_ptr[g + 1]], no_label,
                    limit, width, dist, label, touched, head, box)
        with nogil:
            n_hit = 0  # direct seeds first, then the points off every node reached
            n_hit = _read_off(g, 0.0, seed_ptr, seed_point, seed_cost, limit, best, hit, n_hit)
            for k in range(nt):
                v = touched[k]
                n_hit = _read_off(v, dist[v], inc_ptr, inc_point, inc_cost, limit, best, hit, n_hit)
                dist[v] = INFINITY
        if n_out + n_hit > cap:
            cap = max(2 * cap, n_out + n_hit)
            out_g, out_p, out_d = np.resize(out_g, cap), np.resize(out_p, cap), np.resize(out_d, cap)
            og, op, od = out_g, out_p, out_d
        with nogil:
            for k in range(n_hit):
                pt = hit[k]
                og[n_out] = g
                op[n_out] = pt
                od[n_out] = best[pt]
                n_out += 1
                best[pt] = INFINITY
    return (out_g[:n_out].copy(), out_p[:n_out].copy(), out_d[:n_out].copy()), box[0]


def symmetric_csr(long long n, const long long[::1] u, const long long[::1] v, const double[::1] length,
                  long long max_degree=64):
    """``(indptr, indices, data)`` int64/int64/float64 of the symmetric adjacency of the undirected edges
    ``(u, v, length)`` (node indices in ``[0, n)``, checked by the caller): each row's columns ascending,
    parallel edges merged keeping the shortest (zero lengths stay edges). A counting sort by row and an
    insertion sort within each row; ``None`` when a node has more than ``max_degree`` edge ends (the
    insertion sort would be quadratic there: the caller sorts with numpy instead)."""
    cdef long long m = u.shape[0], e, r, j, i, k = 0, lo, hi, c, too_long = 0
    cdef double d
    indptr_a = np.zeros(n + 1, dtype=np.int64)
    cols_a = np.empty(2 * m, dtype=np.int64)
    data_a = np.empty(2 * m, dtype=np.float64)
    cursor_a = np.empty(n, dtype=np.int64)
    cdef long long[::1] indptr = indptr_a, cols = cols_a, cursor = cursor_a
    cdef double[::1] data = data_a
    with nogil:
        for e in range(m):
            indptr[u[e] + 1] += 1
            indptr[v[e] + 1] += 1
        for r in range(n):
            if indptr[r + 1] > max_degree:
                too_long = 1
            indptr[r + 1] += indptr[r]
            cursor[r] = indptr[r]
    if too_long:
        return None
    with nogil:
        for e in range(m):
            cols[cursor[u[e]]] = v[e]
            data[cursor[u[e]]] = length[e]
            cursor[u[e]] += 1
            cols[cursor[v[e]]] = u[e]
            data[cursor[v[e]]] = length[e]
            cursor[v[e]] += 1
        for r in range(n):
            lo, hi = indptr[r], indptr[r + 1]
            for j in range(lo + 1, hi):  # insertion sort of the row by column
                c, d = cols[j], data[j]
                i = j - 1
                while i >= lo and cols[i] > c:
                    cols[i + 1], data[i + 1] = cols[i], data[i]
                    i -= 1
                cols[i + 1], data[i + 1] = c, d
            indptr[r] = k  # compact in place (k <= lo): the row's start in the output
            for j in range(lo, hi):
                if j > lo and cols[j] == cols[k - 1]:
                    if data[j] < data[k - 1]:
                        data[k - 1] = data[j]
                else:
                    cols[k], data[k] = cols[j], data[j]
                    k += 1
        indptr[n] = k
    return indptr_a, cols_a[:k].copy(), data_a[:k].copy()
