"""Snapping points (population cells, facility entrances) onto the network's edges.

A point is attached to the nearest point *on an edge* (not just the nearest node): a cell in the middle
of a long block walks to the street in front of it, then along the street to either end. The
straight-line distance to the street (``offset_m``) is added to every network distance. Points farther
than ``max_snap_m`` from any street get ``edge = node_a = node_b = -1``: they are reported as "no network
access", never dropped.

Streets off the ground (tunnels, bridges, covered ways, a non-zero ``layer``: ``graph.edge_off_ground``)
are not eligible while a ground-level street lies within ``max_snap_m``: a home above a road tunnel walks
to the street it stands on. Only a point with no ground street in reach falls back to the nearest
off-ground one (``Snap.off_ground_fallback``; logged, and counted for the report).

The nearest edge is found exactly with a KD-tree over short pieces of every edge (at most ``piece_m``
long): the k nearest piece midpoints are projected onto, and a point is re-queried with a larger k
until no unseen piece can be nearer (a piece's distance is at least its midpoint's distance minus half
its length). This is vectorised and ~10x faster than shapely's ``STRtree.query_nearest`` on a million
points (measured: 16.7 s there for 1 M points on a 1 M-edge grid).
"""

from __future__ import annotations

import logging
import weakref
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from ..errors import LayerError, message
from ..model.messages import Both, Code
from ..progress_bar import tracked
from .graph import WalkGraph

logger = logging.getLogger(__name__)

__all__ = ["Snap", "snap_points", "DEFAULT_MAX_SNAP_M"]

#: Default largest straight-line distance from a point to the street network it may walk (metres).
DEFAULT_MAX_SNAP_M = 300.0

_CHUNK = 200_000


def _workers(n_queries: int) -> int:
    """KD-tree query threads: starting threads costs ~5 ms, worth it only for big batches."""
    return -1 if n_queries > 50_000 else 1


@dataclass(frozen=True, eq=False)
class Snap:
    """Points attached to a network.

    Every array has one entry per point (entry point, for facilities with several entrances).

    Attributes
    ----------
    x_m, y_m
        The points as given.
    owner
        Index of the object (demand cell or facility) each point belongs to; ``arange(n)`` by default.
    n_owners
        Number of objects (``owner.max() + 1`` unless given).
    edge
        Index of the nearest edge, -1 where the point is farther than ``max_snap_m`` from the network.
    node_a, node_b
        The edge's end nodes (``graph.edge_u[edge]``, ``graph.edge_v[edge]``), -1 without access.
    along_m
        Distance along the edge from ``node_a`` to the snapped position, in the edge's length units.
    offset_m
        Straight-line distance from the point to the snapped position (inf without access).
    dist_a_m, dist_b_m
        ``offset_m + along_m`` and ``offset_m + edge_length - along_m``: cost to reach each end node.
    snapped_x_m, snapped_y_m
        The snapped position on the edge (NaN without access).
    on_dropped_piece
        True where a node of a dropped (disconnected) network piece is nearer than the main network:
        the point probably lives on a network island.
    max_snap_m
        The snapping limit used.
    graph_fingerprint
        ``WalkGraph.fingerprint`` of the network snapped onto (checked by the access functions).
    off_ground_fallback
        True where the point was snapped to a tunnel / bridge / upper-layer street because no ground-level
        street lies within ``max_snap_m`` (``None``: no such point, or a graph without the distinction).
    """

    x_m: np.ndarray
    y_m: np.ndarray
    owner: np.ndarray
    n_owners: int
    edge: np.ndarray
    node_a: np.ndarray
    node_b: np.ndarray
    along_m: np.ndarray
    offset_m: np.ndarray
    dist_a_m: np.ndarray
    dist_b_m: np.ndarray
    snapped_x_m: np.ndarray
    snapped_y_m: np.ndarray
    on_dropped_piece: np.ndarray
    max_snap_m: float
    graph_fingerprint: str = ""
    off_ground_fallback: np.ndarray | None = None

    @property
    def n_off_ground_fallback(self) -> int:
        """How many points had to snap to an off-ground street (nothing on the ground within reach)."""
        return 0 if self.off_ground_fallback is None else int(self.off_ground_fallback.sum())

    @property
    def n_points(self) -> int:
        """Number of snapped points (entry points)."""
        return int(self.x_m.shape[0])

    @property
    def has_access(self) -> np.ndarray:
        """Per point: within ``max_snap_m`` of the network."""
        return self.edge >= 0

    def owner_has_access(self) -> np.ndarray:
        """Per owner (cell / facility): at least one of its points reaches the network."""
        out = np.zeros(self.n_owners, dtype=bool)
        out[self.owner[self.has_access]] = True
        return out

    def subset_owners(self, keep: np.ndarray) -> Snap:
        """The snap restricted to the owners where ``keep`` (bool per owner) is True, re-indexed 0..k-1.

        Useful to evaluate a subset of facilities (one scenario year) without snapping again.
        """
        keep = np.asarray(keep, dtype=bool)
        new_index = np.cumsum(keep) - 1
        sel = keep[self.owner]
        fields = {
            name: getattr(self, name)[sel]
            for name in (
                "x_m",
                "y_m",
                "edge",
                "node_a",
                "node_b",
                "along_m",
                "offset_m",
                "dist_a_m",
                "dist_b_m",
                "snapped_x_m",
                "snapped_y_m",
                "on_dropped_piece",
            )
        }
        return Snap(
            owner=new_index[self.owner[sel]],
            n_owners=int(keep.sum()),
            max_snap_m=self.max_snap_m,
            graph_fingerprint=self.graph_fingerprint,
            off_ground_fallback=None if self.off_ground_fallback is None else self.off_ground_fallback[sel],
            **fields,
        )


class _EdgeIndex:
    """KD-tree over pieces of the graph's edge polylines (each piece a straight stretch <= piece_m)."""

    def __init__(
        self, graph: WalkGraph, piece_m: float, ground_only: bool = False, segments: np.ndarray | None = None
    ) -> None:
        seg = graph.segments
        ids = np.arange(seg.length_m.size) if segments is None else segments
        npc = np.maximum(1, np.ceil(seg.length_m[ids] / piece_m)).astype(np.int64)
        if ground_only:  # off-ground edges get no pieces
            npc = np.where(graph.edge_off_ground[seg.edge[ids]], 0, npc)
        s = np.repeat(ids, npc)
        n_s = np.repeat(npc, npc)  # the piece count of each piece's segment
        j = np.arange(s.size) - np.repeat(np.cumsum(npc) - npc, npc)
        frac0 = j / n_s
        step = 1.0 / n_s
        dx, dy = seg.bx[s] - seg.ax[s], seg.by[s] - seg.ay[s]
        # piece start and vector; its edge and where it starts along the edge (geometric metres)
        self.pax = seg.ax[s] + frac0 * dx
        self.pay = seg.ay[s] + frac0 * dy
        self.pdx = dx * step
        self.pdy = dy * step
        self.plen2 = self.pdx * self.pdx + self.pdy * self.pdy
        self.plen = np.sqrt(self.plen2)
        self.pc0 = seg.c0_m[s] + frac0 * seg.length_m[s]
        self.pedge = seg.edge[s]
        self.edge_scale = seg.scale
        self.edge_len = graph.edge_length_m
        self.half_max = float(self.plen.max() / 2) if s.size else 0.0
        mid = np.column_stack([self.pax + 0.5 * self.pdx, self.pay + 0.5 * self.pdy])
        self.tree = cKDTree(mid, balanced_tree=False, compact_nodes=False)
        self.n_pieces = int(s.size)

    def nearest(
        self, x: np.ndarray, y: np.ndarray, max_snap_m: float
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Nearest edge, position along it (edge length units), distance and snapped xy, per point."""
        n = x.size
        best_d = np.full(n, np.inf)
        best_p = np.full(n, -1, dtype=np.int64)
        best_t = np.zeros(n)  # fraction along the piece
        todo = np.arange(n)
        k = min(8, self.n_pieces)
        bound = max_snap_m + self.half_max
        while todo.size and k > 0:
            dd, ii = self.tree.query(
                np.column_stack([x[todo], y[todo]]),
                k=k,
                distance_upper_bound=bound,
                workers=_workers(todo.size),
            )
            if k == 1:
                dd, ii = dd[:, None], ii[:, None]
            valid = ii < self.n_pieces
            p = np.where(valid, ii, 0)
            ax, ay, dx, dy = self.pax[p], self.pay[p], self.pdx[p], self.pdy[p]
            rx = x[todo][:, None] - ax
            ry = y[todo][:, None] - ay
            l2 = self.plen2[p]
            with np.errstate(divide="ignore", invalid="ignore"):
                t = np.clip((rx * dx + ry * dy) / l2, 0.0, 1.0)
            t[~(l2 > 0)] = 0.0
            d = np.hypot(rx - t * dx, ry - t * dy)
            d[~valid] = np.inf
            col = np.argmin(d, axis=1)
            rows = np.arange(todo.size)
            bd = d[rows, col]
            better = bd < best_d[todo]
            upd = todo[better]
            best_d[upd] = bd[better]
            best_p[upd] = p[rows, col][better]
            best_t[upd] = t[rows, col][better]
            if k >= self.n_pieces:
                break
            # unresolved: all k candidates valid and an unseen piece could still be nearer
            todo = todo[valid[:, -1] & (dd[:, -1] - self.half_max < best_d[todo])]
            k = min(k * 4, self.n_pieces)
        ok = (best_p >= 0) & (best_d <= max_snap_m)
        if self.n_pieces == 0:  # nothing indexed (a local index with no edge in reach): no point has access
            none = np.full(n, np.nan)
            return np.full(n, -1, dtype=np.int64), none, np.full(n, np.inf), none.copy(), none.copy()
        p = np.where(ok, best_p, 0)
        edge = np.where(ok, self.pedge[p], -1)
        geo_along = self.pc0[p] + best_t * self.plen[p]
        sx = np.where(ok, self.pax[p] + best_t * self.pdx[p], np.nan)
        sy = np.where(ok, self.pay[p] + best_t * self.pdy[p], np.nan)
        edge_c = np.where(ok, edge, 0)
        along = np.where(ok, np.minimum(geo_along * self.edge_scale[edge_c], self.edge_len[edge_c]), np.nan)
        dist = np.where(ok, best_d, np.inf)
        return edge, along, dist, sx, sy


_INDEX_CACHE: weakref.WeakKeyDictionary[WalkGraph, dict[tuple[float, bool], _EdgeIndex]] = (
    weakref.WeakKeyDictionary())


#: Below this many points per edge, points are snapped with an index of only the edges near them (built
#: for the call) unless the whole network's index is already built: a few thousand facilities on a city of
#: 500k nodes then cost ~10x less than building the KD-tree of every edge piece (benchmarks/network_access.py).
_LOCAL_SHARE = 1 / 16
#: Segments per chunk in :func:`near_segments`.
_NEAR_CHUNK = 1 << 16
#: Per graph: the (piece_m, ground_only) kinds a local index was built for once already.
_LOCAL_BUILDS: weakref.WeakKeyDictionary[WalkGraph, set[tuple[float, bool]]] = weakref.WeakKeyDictionary()


def _edge_index(graph: WalkGraph, piece_m: float, ground_only: bool = False) -> _EdgeIndex:
    per_graph = _INDEX_CACHE.setdefault(graph, {})
    key = (piece_m, ground_only)
    if key not in per_graph:
        per_graph[key] = _EdgeIndex(graph, piece_m, ground_only)
    return per_graph[key]


def near_segments(graph: WalkGraph, x: np.ndarray, y: np.ndarray, reach_m: float) -> np.ndarray:
    """Indices of the segments (``graph.segments``) that may lie within ``reach_m`` of some point: a superset.

    The points mark the cells of a grid; a segment is kept when its bounding box, widened by ``reach_m``
    (and a millimetre for rounding), touches a marked cell (counted in O(1) per segment from the grid's
    summed-area table).
    Every segment that comes within ``reach_m`` of a point is kept, so an index of only these segments
    snaps the points exactly as the whole network's index does.
    """
    seg = graph.segments
    if x.size == 0 or seg.ax.size == 0:
        return np.zeros(0, dtype=np.int64)
    x0, y0 = float(x.min()), float(y.min())
    span = max(float(x.max()) - x0, float(y.max()) - y0, 1.0)
    cell = max(float(reach_m), span / 1024.0, 1.0)  # at most ~1M cells (4 MB: the summed table stays cheap)
    nx = int(np.floor((float(x.max()) - x0) / cell)) + 1
    ny = int(np.floor((float(y.max()) - y0) / cell)) + 1
    table = np.zeros((ny + 1, nx + 1), dtype=np.int32)  # summed-area table with a zero first row/column
    np.add.at(table, (((y - y0) / cell).astype(np.int64) + 1, ((x - x0) / cell).astype(np.int64) + 1), 1)
    table.cumsum(axis=0, out=table)
    table.cumsum(axis=1, out=table)
    pad = (float(reach_m) + 1e-3 + 1e-9 * span) / cell  # a millimetre more: no rounding can drop a segment

    def cells(a: np.ndarray, b: np.ndarray, origin: float, n: int) -> tuple[np.ndarray, np.ndarray]:
        """The cell range [lo, hi) a segment's widened bounding box covers, clipped to the grid. Truncation
        instead of floor can only widen it (by one cell, just before the grid's first cell): a superset."""
        ca = (a - origin) / cell
        cb = (b - origin) / cell
        lo = (np.minimum(ca, cb) - pad).astype(np.int64)
        hi = (np.maximum(ca, cb) + pad).astype(np.int64) + 1
        return np.clip(lo, 0, n, out=lo), np.clip(hi, 0, n, out=hi)

    flat, w = table.ravel(), nx + 1
    kept = []
    for start in range(0, seg.ax.size, _NEAR_CHUNK):  # in chunks: small temporaries, reused (no page faults)
        part = slice(start, start + _NEAR_CHUNK)
        c0, c1 = cells(seg.ax[part], seg.bx[part], x0, nx)
        r0, r1 = cells(seg.ay[part], seg.by[part], y0, ny)
        r0 *= w
        r1 *= w
        count = flat[r1 + c1] - flat[r0 + c1] - flat[r1 + c0] + flat[r0 + c0]
        kept.append(np.flatnonzero(count > 0) + start)
    return np.concatenate(kept)


def _index_for(
    graph: WalkGraph, piece_m: float, ground_only: bool, points: tuple[np.ndarray, np.ndarray, float]
) -> _EdgeIndex:
    """The whole network's index (cached with the graph), or for a few points on a large network with no index
    yet, an index of only the edges near them (not cached). Only the first such call per graph and kind is
    local: a second one suggests more will come (one facility layer after another), and the whole index,
    built once, is then cheaper than a local one per layer."""
    x, y, max_snap_m = points
    key = (piece_m, ground_only)
    built = _INDEX_CACHE.get(graph, {})
    local_before = _LOCAL_BUILDS.setdefault(graph, set())
    if (
        key in built or key in local_before or x.size >= _LOCAL_SHARE * graph.n_edges
        or not np.isfinite(max_snap_m)
    ):  # fmt: skip
        return _edge_index(graph, piece_m, ground_only)
    local_before.add(key)
    return _EdgeIndex(graph, piece_m, ground_only, segments=near_segments(graph, x, y, max_snap_m))


def owners_of(owner: np.ndarray | None, n_owners: int | None, n_points: int) -> tuple[np.ndarray, int]:
    """Each point's owner and the number of owners (default: every point its own owner), checked."""
    if owner is None:
        return np.arange(n_points, dtype=np.int64), n_points if n_owners is None else int(n_owners)
    own = np.asarray(owner, dtype=np.int64).ravel()
    if own.shape != (n_points,):
        raise ValueError("owner must have one entry per point")
    n_own = int(own.max()) + 1 if n_owners is None and own.size else int(n_owners or 0)
    if own.size and (own.min() < 0 or own.max() >= n_own):
        raise ValueError("owner index out of range")
    return own, n_own


def _has_levels(graph: WalkGraph) -> bool:
    """Whether the graph tells ground streets from off-ground ones (and has both)."""
    og = graph.edge_off_ground
    return bool(og.size == graph.n_edges and og.any() and not og.all())


@tracked("step.snap")
def snap_points(
    graph: WalkGraph,
    x_m: np.ndarray,
    y_m: np.ndarray,
    *,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
    owner: np.ndarray | None = None,
    n_owners: int | None = None,
    piece_m: float = 100.0,
    ground_first: bool = True,
) -> Snap:
    """Attach points to the nearest position on the network's edges.

    Parameters
    ----------
    graph
        The network.
    x_m, y_m
        Point coordinates in the graph's CRS (metres).
    max_snap_m
        Points farther than this from every edge get no access (``edge == -1``); they are kept.
    owner
        For facilities with several entrances: the facility index of each point (int, 0..n_owners-1).
        Default: each point is its own owner.
    n_owners
        Number of owners (default ``owner.max() + 1``); owners without points simply have no access.
    piece_m
        Length of the edge pieces indexed by the KD-tree (a speed knob; results are exact regardless).
    ground_first
        Snap to ground-level streets only, falling back to tunnels / bridges / upper layers
        (``graph.edge_off_ground``) for points with no ground street within ``max_snap_m`` (default).
        ``False``: the nearest edge of any kind.

    Returns
    -------
    Snap

    Raises
    ------
    LayerError
        Coordinates are not finite (e.g. a facility without a location), or the graph is empty.
    """
    x = np.ascontiguousarray(x_m, dtype=np.float64).ravel()
    y = np.ascontiguousarray(y_m, dtype=np.float64).ravel()
    if x.shape != y.shape:
        raise ValueError("x_m and y_m must have the same length")
    bad = ~(np.isfinite(x) & np.isfinite(y))
    if bad.any():
        msg = (
            f"{int(bad.sum())} point(s) to snap onto the {graph.mode} network ({graph.source or 'network'}) "
            f"have no valid coordinates (first at position {int(np.flatnonzero(bad)[0])}). Give every "
            "facility and population cell a location in the layer, or drop the rows without one."
        )
        raise LayerError(msg)
    if graph.n_edges == 0:
        raise LayerError(message("err.network_no_edges", mode=Both(graph.mode, Code(graph.mode).text("zh")), source=graph.source or "network"))
    own, n_own = owners_of(owner, n_owners, x.size)
    levels = ground_first and _has_levels(graph)
    index = _index_for(graph, float(piece_m), levels, (x, y, float(max_snap_m)))
    n = x.size
    edge = np.empty(n, dtype=np.int64)
    along = np.empty(n)
    dist = np.empty(n)
    sx = np.empty(n)
    sy = np.empty(n)
    for lo in range(0, n, _CHUNK):
        hi = min(n, lo + _CHUNK)
        edge[lo:hi], along[lo:hi], dist[lo:hi], sx[lo:hi], sy[lo:hi] = index.nearest(
            x[lo:hi], y[lo:hi], float(max_snap_m)
        )
    fallback = None
    if levels:
        miss = np.flatnonzero(edge < 0)
        if miss.size:
            full = _index_for(graph, float(piece_m), False, (x[miss], y[miss], float(max_snap_m)))
            edge[miss], along[miss], dist[miss], sx[miss], sy[miss] = full.nearest(x[miss], y[miss], float(max_snap_m))
        fallback = np.zeros(n, dtype=bool)
        fallback[miss] = edge[miss] >= 0
        if fallback.any():
            logger.info("%d of %d point(s) have no ground-level street within %.0f m; snapped to a tunnel, bridge "
                        "or upper-layer street instead", int(fallback.sum()), n, max_snap_m)
    ok = edge >= 0
    e = np.where(ok, edge, 0)
    node_a = np.where(ok, graph.edge_u[e], -1)
    node_b = np.where(ok, graph.edge_v[e], -1)
    dist_a = np.where(ok, dist + along, np.inf)
    dist_b = np.where(ok, dist + (graph.edge_length_m[e] - along), np.inf)
    on_dropped = np.zeros(n, dtype=bool)
    if graph.dropped_x_m.size and n:
        tree = cKDTree(np.column_stack([graph.dropped_x_m, graph.dropped_y_m]))
        dd, _ = tree.query(
            np.column_stack([x, y]), k=1, distance_upper_bound=float(max_snap_m), workers=_workers(n)
        )
        on_dropped = dd < dist
    n_none = int((~ok).sum())
    if n_none:
        logger.info("%d of %d point(s) lie farther than %.0f m from the network", n_none, n, max_snap_m)
    return Snap(
        x_m=x,
        y_m=y,
        owner=own,
        n_owners=n_own,
        edge=edge,
        node_a=node_a,
        node_b=node_b,
        along_m=np.where(ok, along, np.nan),
        offset_m=dist,
        dist_a_m=dist_a,
        dist_b_m=dist_b,
        snapped_x_m=sx,
        snapped_y_m=sy,
        on_dropped_piece=on_dropped,
        max_snap_m=float(max_snap_m),
        graph_fingerprint=graph.fingerprint,
        off_ground_fallback=fallback,
    )
