"""Network clean-up on arrays: simplification, intersection consolidation, largest component.

The same three steps OSMnx applies (``simplify_graph``, ``consolidate_intersections``,
``largest_component``), done with numpy and scipy instead of Python loops over a networkx graph:

* **simplify**: nodes with exactly two distinct neighbours are interior points of a street; chains of
  them are merged into one edge whose polyline keeps every point (OSMnx's topological rule). Chains are
  ordered by list ranking (pointer jumping), so the cost is ``O(E log L)`` for chains of length L.
  Isolated rings made only of such nodes are dropped (OSMnx ``remove_rings=True``).
* **consolidate**: intersection nodes (not dead ends) closer than ``consolidate_m`` to one another are
  clustered (transitively); a cluster is split where its nodes are not joined by edges among
  themselves (OSMnx's rule, so a bridge over a path stays separate); each cluster becomes one node at
  the mean position, and the edges are re-attached to it by extending their polylines.
* **largest component**: the rest is returned as "dropped" nodes so callers can count who lives there.

Every edge carries ``off_ground`` (a tunnel, bridge, covered way or a non-zero ``layer``; see
:func:`coverage_planner.network.load.off_ground`): simplification never merges a ground stretch with an
off-ground one (the node between them stays), and when two ways share a straight stretch the ground one is kept.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from .graph import polyline_lengths

logger = logging.getLogger(__name__)

__all__ = ["EdgeSet", "simplify", "consolidate", "largest_component"]


@dataclass(frozen=True, eq=False)
class EdgeSet:
    """Nodes plus undirected edges with polylines (the working form between clean-up steps)."""

    x: np.ndarray
    y: np.ndarray
    osmid: np.ndarray
    u: np.ndarray
    v: np.ndarray
    offsets: np.ndarray
    gx: np.ndarray
    gy: np.ndarray
    off_ground: np.ndarray | None = None  # per edge; None: every edge on the ground

    @property
    def og(self) -> np.ndarray:
        """``off_ground`` per edge (bool), all False when not given."""
        return np.zeros(self.u.size, dtype=bool) if self.off_ground is None else self.off_ground

    @property
    def n_nodes(self) -> int:
        return int(self.x.size)

    @property
    def n_edges(self) -> int:
        return int(self.u.size)

    def lengths(self) -> np.ndarray:
        return polyline_lengths(self.offsets, self.gx, self.gy)

    @classmethod
    def straight(
        cls, x: np.ndarray, y: np.ndarray, osmid: np.ndarray, u: np.ndarray, v: np.ndarray,
        off_ground: np.ndarray | None = None,
    ) -> EdgeSet:
        """Edges as straight two-point polylines (``off_ground`` per edge, optional)."""
        gx = np.empty(2 * u.size)
        gy = np.empty(2 * u.size)
        gx[0::2], gx[1::2] = x[u], x[v]
        gy[0::2], gy[1::2] = y[u], y[v]
        og = None if off_ground is None else np.asarray(off_ground, dtype=bool)
        return cls(x, y, osmid, u, v, np.arange(0, 2 * u.size + 1, 2, dtype=np.int64), gx, gy, og)


def _dedupe_straight(es: EdgeSet) -> EdgeSet:
    """Drop self-loops and repeated straight node pairs (two ways sharing a stretch)."""
    u, v = es.u, es.v
    keep = u != v
    lo, hi = np.minimum(u, v), np.maximum(u, v)
    key = lo.astype(np.int64) * np.int64(max(es.n_nodes, 1)) + hi
    counts = np.diff(es.offsets)
    two_point = counts == 2
    # only straight 2-point edges are interchangeable; longer polylines are kept; of two, the ground one
    k = np.where(two_point & keep, key, -1 - np.arange(key.size))
    order = np.lexsort((es.og, k))
    ks = k[order]
    first = order[np.concatenate([[True], ks[1:] != ks[:-1]])] if ks.size else order
    uniq = np.zeros(u.size, dtype=bool)
    uniq[first] = True
    keep &= uniq
    return _select_edges(es, keep)


def _select_edges(es: EdgeSet, keep: np.ndarray) -> EdgeSet:
    counts = np.diff(es.offsets)
    pkeep = np.repeat(keep, counts)
    offsets = np.concatenate([[0], np.cumsum(counts[keep])]).astype(np.int64)
    og = None if es.off_ground is None else es.off_ground[keep]
    return EdgeSet(es.x, es.y, es.osmid, es.u[keep], es.v[keep], offsets, es.gx[pkeep], es.gy[pkeep], og)


def _compact(es: EdgeSet) -> EdgeSet:
    """Drop nodes no edge uses; renumber."""
    used = np.zeros(es.n_nodes, dtype=bool)
    used[es.u] = True
    used[es.v] = True
    new = np.cumsum(used) - 1
    return EdgeSet(es.x[used], es.y[used], es.osmid[used], new[es.u], new[es.v], es.offsets, es.gx, es.gy,
                   es.off_ground)


def simplify(es: EdgeSet) -> EdgeSet:
    """Merge chains of degree-2 nodes into single edges (OSMnx's topological simplification).

    Parameters
    ----------
    es
        Nodes and undirected edges; self-loops and duplicated straight edges are removed first.

    Returns
    -------
    EdgeSet
        Only intersections and dead ends remain as nodes; polylines keep every point.
    """
    es = _dedupe_straight(es)
    n, m = es.n_nodes, es.n_edges
    if m == 0:
        return _compact(es)
    # distinct neighbours per node
    lo, hi = np.minimum(es.u, es.v), np.maximum(es.u, es.v)
    pair = np.sort(lo.astype(np.int64) * n + hi)
    pair = pair[np.concatenate([[True], pair[1:] != pair[:-1]])]
    nb = np.bincount(np.concatenate([pair // n, pair % n]), minlength=n)
    deg = np.bincount(np.concatenate([es.u, es.v]), minlength=n)
    interior = (nb == 2) & (deg == 2)
    if es.off_ground is not None:  # a node between a ground and an off-ground stretch stays a node
        og_n = np.concatenate([es.og, es.og]).astype(np.int8)
        lo_og = np.ones(n, dtype=np.int8)
        hi_og = np.zeros(n, dtype=np.int8)
        np.minimum.at(lo_og, np.concatenate([es.u, es.v]), og_n)
        np.maximum.at(hi_og, np.concatenate([es.u, es.v]), og_n)
        interior &= lo_og == hi_og
    # half-edges: h < m is u->v, h >= m is v->u
    tail = np.concatenate([es.u, es.v])
    head = np.concatenate([es.v, es.u])
    h_all = np.arange(2 * m)
    rev = np.where(h_all < m, h_all + m, h_all - m)
    by_tail = np.argsort(tail, kind="stable")
    start_pos = np.searchsorted(tail[by_tail], np.arange(n))
    nxt = np.full(2 * m, -1, dtype=np.int64)
    hi_ = interior[head]
    p = start_pos[head[hi_]]
    o1, o2 = by_tail[p], by_tail[np.minimum(p + 1, 2 * m - 1)]
    nxt[hi_] = np.where(o1 != rev[hi_], o1, o2)
    prev = np.full(2 * m, -1, dtype=np.int64)
    has = nxt >= 0
    prev[nxt[has]] = h_all[has]
    # list ranking from chain starts (half-edges leaving a non-interior node)
    is_start = ~interior[tail]
    prev[is_start] = -1
    ptr = np.where(prev < 0, h_all, prev)
    rank = np.where(prev < 0, 0, 1).astype(np.int64)
    for _ in range(int(np.ceil(np.log2(2 * m))) + 2):
        moving = ptr != ptr[ptr]
        if not moving.any():
            break
        rank = np.where(moving, rank + rank[ptr], rank)
        ptr = np.where(moving, ptr[ptr], ptr)
    in_chain = is_start[ptr]  # False: part of an isolated ring of interior nodes
    n_ring = int((~in_chain).sum() // 2)
    if n_ring:
        logger.info("dropped %d street piece(s) forming isolated rings", n_ring)
    # one direction per chain: the one whose start half-edge id is smaller than the reverse start
    hs = h_all[in_chain]
    root = ptr[in_chain]
    rk = rank[in_chain]
    order = np.argsort(root * (rk.max() + 1) + rk, kind="stable")
    hs, root, rk = hs[order], root[order], rk[order]
    last_mask = np.ones(hs.size, dtype=bool)
    last_mask[:-1] = root[1:] != root[:-1]
    chain_root = root[last_mask]
    chain_last = hs[last_mask]
    keep_chain = chain_root <= rev[chain_last]
    keep_root = np.zeros(2 * m, dtype=bool)
    keep_root[chain_root[keep_chain]] = True
    sel = keep_root[root]
    hs, root, rk = hs[sel], root[sel], rk[sel]
    first_in_chain = rk == 0
    chain_id = np.cumsum(first_in_chain) - 1
    n_chain = int(first_in_chain.sum())
    # polylines: half-edge h's points (reversed for h >= m); chain = first half-edge's points, then each
    # following half-edge's points without its first
    e = np.where(hs < m, hs, hs - m)
    cnt = np.diff(es.offsets)[e]
    emit = cnt - np.where(first_in_chain, 0, 1)
    base = np.repeat(np.cumsum(emit) - emit, emit)
    k = np.arange(int(emit.sum())) - base  # position among emitted points of this half-edge
    hrep = np.repeat(np.arange(hs.size), emit)
    skip = np.where(first_in_chain, 0, 1)[hrep]
    local = k + skip  # index within the half-edge's own point list
    forward = hs[hrep] < m
    er = e[hrep]
    idx = np.where(forward, es.offsets[er] + local, es.offsets[er + 1] - 1 - local)
    gx, gy = es.gx[idx], es.gy[idx]
    pts_per_chain = np.bincount(chain_id[hrep], minlength=n_chain)
    offsets = np.concatenate([[0], np.cumsum(pts_per_chain)]).astype(np.int64)
    first_h = hs[first_in_chain]
    last_h = hs[np.concatenate([first_in_chain[1:], [True]])]
    og = None if es.off_ground is None else es.off_ground[np.where(first_h < m, first_h, first_h - m)]
    out = EdgeSet(es.x, es.y, es.osmid, tail[first_h], head[last_h], offsets, gx, gy, og)
    return _compact(out)


def consolidate(es: EdgeSet, consolidate_m: float) -> EdgeSet:
    """Merge intersection nodes closer than ``consolidate_m`` (see the module docstring).

    Parameters
    ----------
    es
        A simplified edge set (projected metres).
    consolidate_m
        Merge distance between nodes; 0 disables. OSMnx's ``tolerance`` is half of it (OSMnx buffers
        each node by ``tolerance`` and merges overlapping buffers).

    Returns
    -------
    EdgeSet
    """
    n = es.n_nodes
    if consolidate_m <= 0 or n == 0 or es.n_edges == 0:
        return es
    deg = np.bincount(np.concatenate([es.u, es.v]), minlength=n)
    cand = np.flatnonzero(deg != 1)
    if cand.size < 2:
        return es
    pairs = cKDTree(np.column_stack([es.x[cand], es.y[cand]])).query_pairs(
        consolidate_m, output_type="ndarray"
    )
    if pairs.size == 0:
        return es
    a, b = cand[pairs[:, 0]], cand[pairs[:, 1]]
    _, c1 = connected_components(coo_matrix((np.ones(a.size), (a, b)), shape=(n, n)), directed=False)
    near = np.zeros(n, dtype=bool)
    near[a] = near[b] = True
    inner = near[es.u] & near[es.v] & (c1[es.u] == c1[es.v]) & (es.u != es.v)
    ui, vi = es.u[inner], es.v[inner]
    n_cl, cl = connected_components(coo_matrix((np.ones(ui.size), (ui, vi)), shape=(n, n)), directed=False)
    size = np.bincount(cl, minlength=n_cl)
    cx = np.bincount(cl, weights=es.x, minlength=n_cl) / size
    cy = np.bincount(cl, weights=es.y, minlength=n_cl) / size
    osm = np.full(n_cl, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(osm, cl, es.osmid)
    nu, nv = cl[es.u], cl[es.v]
    keep = nu != nv  # edges inside a cluster vanish
    es_k = _select_edges(es, keep)
    nu, nv = nu[keep], nv[keep]
    moved_u = (cx[nu] != es_k.x[es_k.u]) | (cy[nu] != es_k.y[es_k.u])
    moved_v = (cx[nv] != es_k.x[es_k.v]) | (cy[nv] != es_k.y[es_k.v])
    cnt = np.diff(es_k.offsets)
    new_cnt = cnt + moved_u + moved_v
    new_off = np.concatenate([[0], np.cumsum(new_cnt)]).astype(np.int64)
    gx = np.empty(int(new_off[-1]))
    gy = np.empty(int(new_off[-1]))
    # old points go after an optional new first point
    edge_of_pt = np.repeat(np.arange(cnt.size), cnt)
    pos_in = np.arange(cnt.sum()) - np.repeat(es_k.offsets[:-1], cnt)
    dst = new_off[:-1][edge_of_pt] + moved_u[edge_of_pt] + pos_in
    gx[dst], gy[dst] = es_k.gx, es_k.gy
    fu = new_off[:-1][moved_u]
    gx[fu], gy[fu] = cx[nu[moved_u]], cy[nu[moved_u]]
    lv = new_off[1:][moved_v] - 1
    gx[lv], gy[lv] = cx[nv[moved_v]], cy[nv[moved_v]]
    merged = int((size > 1).sum())
    logger.info("consolidated %d intersection cluster(s) within %.1f m", merged, consolidate_m)
    return _compact(EdgeSet(cx, cy, osm, nu, nv, new_off, gx, gy, es_k.off_ground))


def largest_component(es: EdgeSet) -> tuple[EdgeSet, np.ndarray, np.ndarray, np.ndarray]:
    """Keep the largest connected piece; return it and the other pieces' nodes (x, y, piece label)."""
    n = es.n_nodes
    if n == 0:
        z = np.zeros(0)
        return es, z, z.copy(), np.zeros(0, dtype=np.int64)
    ncomp, lab = connected_components(
        coo_matrix((np.ones(es.n_edges), (es.u, es.v)), shape=(n, n)), directed=False
    )
    main = int(np.argmax(np.bincount(lab, minlength=ncomp)))
    in_main = lab == main
    kept = _compact(_select_edges(es, in_main[es.u]))
    drop = ~in_main
    return kept, es.x[drop], es.y[drop], lab[drop].astype(np.int64)
