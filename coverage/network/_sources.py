"""Shared internals: virtual source nodes, same-edge distances, local subgraphs.

Not public API; :mod:`coverage_planner.network.nearest` builds on these.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from ..errors import LayerError
from .graph import WalkGraph
from .snap import Snap

__all__: list[str] = []


def check_snap(graph: WalkGraph, snap: Snap, what: str) -> None:
    """Raise LayerError when ``snap`` was made on another network than ``graph``."""
    foreign = snap.graph_fingerprint and snap.graph_fingerprint != graph.fingerprint
    out_of_range = snap.has_access.any() and int(max(snap.node_a.max(), snap.node_b.max())) >= graph.n_nodes
    if foreign or out_of_range:
        msg = (
            f"The {what} points were snapped onto a different network than the one given "
            f"({graph.source or 'network'}). Snap them again with snap_points(graph, ...)."
        )
        raise LayerError(msg)


def snap_entries(snap: Snap) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(owner, node, cost) for both end nodes of every snapped point with access."""
    ok = snap.has_access
    owner = np.concatenate([snap.owner[ok], snap.owner[ok]])
    node = np.concatenate([snap.node_a[ok], snap.node_b[ok]])
    cost = np.concatenate([snap.dist_a_m[ok], snap.dist_b_m[ok]])
    return owner, node, cost


def with_virtual_sources(
    adjacency: sp.csr_matrix, row: np.ndarray, node: np.ndarray, cost: np.ndarray, n_rows: int
) -> sp.csr_matrix:
    """Append ``n_rows`` virtual nodes; virtual node ``r`` has edges to ``node`` with weight ``cost``.

    The edges are directed (virtual -> network), so a search from a virtual node starts at every one of
    its network nodes at once, each with its own head start: the classic super-source construction.
    Duplicate (row, node) pairs keep the smallest cost.
    """
    n = adjacency.shape[0]
    key = row.astype(np.int64) * np.int64(n) + node
    order = np.lexsort((cost, key))
    key = key[order]
    first = np.ones(key.size, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    sel = order[first]
    row, node, cost = row[sel], node[sel], cost[sel]
    extra_indptr = np.cumsum(np.bincount(row, minlength=n_rows)) + adjacency.nnz
    indptr = np.concatenate([adjacency.indptr.astype(np.int64), extra_indptr])
    indices = np.concatenate([adjacency.indices.astype(np.int64), node])
    data = np.concatenate([adjacency.data, cost.astype(np.float64)])
    idx_dtype = np.int32 if indices.size < 2**31 - 1 and n + n_rows < 2**31 - 1 else np.int64
    return sp.csr_matrix(
        (data, indices.astype(idx_dtype), indptr.astype(idx_dtype)), shape=(n + n_rows, n + n_rows)
    )


def local_subgraph(adjacency: sp.csr_matrix, nodes: np.ndarray, g2l: np.ndarray) -> sp.csr_matrix:
    """Induced subgraph on ``nodes`` (sorted global indices).

    ``g2l`` is a caller-owned global -> local map, all -1 on entry; it is filled for ``nodes`` (the
    caller resets those entries to -1 when done, so one buffer serves every batch).
    """
    g2l[nodes] = np.arange(nodes.size)
    starts = adjacency.indptr[nodes].astype(np.int64)
    ends = adjacency.indptr[nodes + 1].astype(np.int64)
    counts = ends - starts
    pos = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts) + np.arange(counts.sum())
    cols = g2l[adjacency.indices[pos]]
    rows = np.repeat(np.arange(nodes.size), counts)
    keep = cols >= 0
    rows, cols, data = rows[keep], cols[keep], adjacency.data[pos][keep]
    indptr = np.zeros(nodes.size + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=nodes.size), out=indptr[1:])
    return sp.csr_matrix(
        (data, cols.astype(np.int32), indptr.astype(np.int32)), shape=(nodes.size, nodes.size)
    )


def group_running_min(
    group: np.ndarray, value: np.ndarray, *, reverse: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Running minimum of ``value`` within runs of equal ``group`` (array sorted by group).

    Returns the running minimum and the position where it was attained. With ``reverse`` the running
    minimum goes from the end of each group backwards.
    """
    if value.size == 0:
        return value.copy(), np.zeros(0, dtype=np.int64)
    if reverse:
        m, p = group_running_min(group[::-1], value[::-1])
        return m[::-1], (value.size - 1 - p)[::-1]
    new_group = np.ones(group.size, dtype=bool)
    new_group[1:] = group[1:] != group[:-1]
    g = np.cumsum(new_group) - 1
    finite = np.isfinite(value)
    span = float(np.ptp(value[finite])) if finite.any() else 0.0
    big = 2.0 * span + 1.0
    shifted = np.where(finite, value - g * big, np.inf)
    run = np.minimum.accumulate(shifted)
    hit = shifted <= run
    pos = np.maximum.accumulate(np.where(hit, np.arange(value.size), -1))
    return run + g * big, pos


def same_edge_min(
    query_edge: np.ndarray,
    query_along: np.ndarray,
    src_edge: np.ndarray,
    src_along: np.ndarray,
    src_cost: np.ndarray,
    edge_length_m: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per query point: ``min over sources on the same edge of src_cost + |query_along - src_along|``.

    Shortest paths through the end nodes miss the direct walk along a shared edge (a cell and a park on
    the same long street); this adds it. Returns (distance, source position or -1), inf where no source
    shares the edge.
    """
    out = np.full(query_edge.size, np.inf)
    arg = np.full(query_edge.size, -1, dtype=np.int64)
    if src_edge.size == 0 or query_edge.size == 0:
        return out, arg
    scale = float(edge_length_m.max()) + 1.0 if edge_length_m.size else 1.0
    order = np.lexsort((src_along, src_edge))
    e, t, c = src_edge[order], src_along[order], src_cost[order]
    keys = e * scale + t
    left_min, left_pos = group_running_min(e, c - t)
    right_min, right_pos = group_running_min(e, c + t, reverse=True)
    q = np.flatnonzero(np.isin(query_edge, e))
    if q.size == 0:
        return out, arg
    qe, qt = query_edge[q], query_along[q]
    qk = qe * scale + qt
    p_left = np.searchsorted(keys, qk, side="right") - 1
    p_right = np.searchsorted(keys, qk, side="left")
    pl = np.clip(p_left, 0, e.size - 1)
    pr = np.clip(p_right, 0, e.size - 1)
    ok_l = (p_left >= 0) & (e[pl] == qe)
    ok_r = (p_right < e.size) & (e[pr] == qe)
    dl = np.where(ok_l, qt + left_min[pl], np.inf)
    dr = np.where(ok_r, right_min[pr] - qt, np.inf)
    use_r = dr < dl
    out[q] = np.where(use_r, dr, dl)
    src = np.where(use_r, order[right_pos[pr]], order[left_pos[pl]])
    arg[q] = np.where(np.isfinite(out[q]), src, -1)
    return out, arg


class GridIndex:
    """Points bucketed on a square grid, for fast "which points lie in this box" queries."""

    def __init__(self, x: np.ndarray, y: np.ndarray, cell_m: float) -> None:
        self.x, self.y = x, y
        self.cell = float(cell_m)
        self.x0 = float(x.min()) if x.size else 0.0
        self.y0 = float(y.min()) if y.size else 0.0
        self.nc = int((float(x.max()) - self.x0) // self.cell) + 1 if x.size else 1
        self.nr = int((float(y.max()) - self.y0) // self.cell) + 1 if y.size else 1
        col = ((x - self.x0) // self.cell).astype(np.int64)
        row = ((y - self.y0) // self.cell).astype(np.int64)
        key = row * self.nc + col
        self.order = np.argsort(key, kind="stable")
        self.start = np.searchsorted(key[self.order], np.arange(self.nr * self.nc + 1))

    def query(self, x0: float, x1: float, y0: float, y1: float) -> np.ndarray:
        """Indices of the points with ``x0 <= x <= x1`` and ``y0 <= y <= y1``."""
        c0 = max(0, int((x0 - self.x0) // self.cell))
        c1 = min(self.nc - 1, int((x1 - self.x0) // self.cell))
        r0 = max(0, int((y0 - self.y0) // self.cell))
        r1 = min(self.nr - 1, int((y1 - self.y0) // self.cell))
        if c0 > c1 or r0 > r1:
            return np.zeros(0, dtype=np.int64)
        parts = [
            self.order[self.start[r * self.nc + c0] : self.start[r * self.nc + c1 + 1]]
            for r in range(r0, r1 + 1)
        ]
        cand = np.concatenate(parts)
        px, py = self.x[cand], self.y[cand]
        return cand[(px >= x0) & (px <= x1) & (py >= y0) & (py <= y1)]
