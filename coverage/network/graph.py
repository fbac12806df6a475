"""`WalkGraph`: a walking (or cycling) network as plain numpy arrays in metres.

Nodes are street intersections and dead ends (after simplification and consolidation); edges are the
street pieces between them, stored twice:

* ``adjacency``: a symmetric ``scipy.sparse.csr_matrix`` of edge lengths in metres (the shortest of any
  parallel edges), which is what the shortest-path searches use;
* ``edge_u`` / ``edge_v`` / ``edge_length_m`` plus flattened polylines (``geom_x_m`` / ``geom_y_m``,
  sliced by ``geom_offsets``), which snapping, service areas and maps use.

Nodes of the components dropped when the largest connected component was kept are recorded in
``dropped_x_m`` / ``dropped_y_m`` (component label in ``dropped_component``), so a caller can say how
many people live on network islands instead of silently losing them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from .._io import atomic_path
from ..errors import LayerError
from ..model.messages import Message
from ..model.reasons import reason_words

logger = logging.getLogger(__name__)

__all__ = ["WalkGraph", "GRAPH_FORMAT_VERSION"]

#: Bumped whenever the arrays stored in a ``.npz`` change meaning.
GRAPH_FORMAT_VERSION = 1

_ARRAY_FIELDS = (
    "node_x_m",
    "node_y_m",
    "node_osmid",
    "edge_u",
    "edge_v",
    "edge_length_m",
    "geom_offsets",
    "geom_x_m",
    "geom_y_m",
    "dropped_x_m",
    "dropped_y_m",
    "dropped_component",
    "edge_off_ground",
)


def _empty(dtype: type) -> np.ndarray:
    return np.zeros(0, dtype=dtype)


@dataclass(frozen=True, eq=False)
class WalkGraph:
    """A street network as arrays in a projected CRS (metres).

    Parameters
    ----------
    node_x_m, node_y_m
        Node coordinates, float64, shape ``(n_nodes,)``.
    adjacency
        Symmetric CSR matrix ``(n_nodes, n_nodes)`` of edge lengths in metres. Explicit zeros are edges.
    crs
        The projected CRS of every coordinate, as a pyproj-readable string (e.g. ``"EPSG:32649"``).
    node_osmid
        OpenStreetMap id per node (int64; for a consolidated node, the smallest id it absorbed; -1 for
        generated networks).
    edge_u, edge_v
        Node indices of each undirected edge (int64, shape ``(n_edges,)``); parallel edges are kept here.
    edge_length_m
        Length of each edge along its geometry, metres.
    geom_offsets
        int64, shape ``(n_edges + 1,)``: edge ``e``'s polyline is
        ``geom_x_m[geom_offsets[e]:geom_offsets[e + 1]]`` (same for y); it starts at ``edge_u[e]`` and
        ends at ``edge_v[e]`` and has at least two points.
    geom_x_m, geom_y_m
        Flattened polyline coordinates.
    dropped_x_m, dropped_y_m, dropped_component
        Nodes of the network pieces not connected to the largest component, with a piece label each.
    mode
        ``"walk"`` or ``"bike"``: which tag filter built the graph.
    source
        Human-readable provenance (file name, generator), printed in reports.
    edge_off_ground
        bool per edge: a tunnel, bridge, covered way or non-zero ``layer`` (snapping prefers the others);
        empty when the source says nothing (every edge on the ground).
    """

    node_x_m: np.ndarray
    node_y_m: np.ndarray
    adjacency: sp.csr_matrix
    crs: str
    node_osmid: np.ndarray
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_length_m: np.ndarray
    geom_offsets: np.ndarray
    geom_x_m: np.ndarray
    geom_y_m: np.ndarray
    dropped_x_m: np.ndarray = field(default_factory=lambda: _empty(np.float64))
    dropped_y_m: np.ndarray = field(default_factory=lambda: _empty(np.float64))
    dropped_component: np.ndarray = field(default_factory=lambda: _empty(np.int64))
    mode: str = "walk"
    source: str = ""
    edge_off_ground: np.ndarray = field(default_factory=lambda: _empty(np.bool_))

    # ------------------------------------------------------------------ construction
    # PLR0913: one keyword per stored array of the graph; they are the graph
    @classmethod
    def from_edges(  # noqa: PLR0913
        cls,
        node_x_m: np.ndarray,
        node_y_m: np.ndarray,
        edge_u: np.ndarray,
        edge_v: np.ndarray,
        *,
        crs: str,
        edge_length_m: np.ndarray | None = None,
        geom_offsets: np.ndarray | None = None,
        geom_x_m: np.ndarray | None = None,
        geom_y_m: np.ndarray | None = None,
        node_osmid: np.ndarray | None = None,
        dropped_x_m: np.ndarray | None = None,
        dropped_y_m: np.ndarray | None = None,
        dropped_component: np.ndarray | None = None,
        mode: str = "walk",
        source: str = "",
        edge_off_ground: np.ndarray | None = None,
        adjacency: sp.csr_matrix | None = None,
    ) -> WalkGraph:
        """Build a graph from node coordinates and undirected edges.

        Parameters
        ----------
        node_x_m, node_y_m
            Node coordinates in metres.
        edge_u, edge_v
            Node indices of each undirected edge. Self-loops are dropped (they never shorten a walk).
        crs
            Projected CRS string.
        edge_length_m
            Edge lengths in metres; by default the length of the geometry (straight lines when no
            geometry is given).
        geom_offsets, geom_x_m, geom_y_m
            Optional polylines (see the class docstring); straight segments by default.
        node_osmid
            Optional OSM ids; -1 by default.
        dropped_x_m, dropped_y_m, dropped_component
            Optional nodes of dropped network pieces.
        mode, source
            Provenance.
        edge_off_ground
            Optional bool per edge: off the ground (tunnel, bridge, covered, layer); all on the ground by default.
        adjacency
            The :func:`symmetric_csr` of exactly these edges, as a verified cache file stored it (:meth:`load`):
            used as it is instead of being built again. Ignored when edges are dropped or its shape differs.

        Returns
        -------
        WalkGraph
        """
        x = np.ascontiguousarray(node_x_m, dtype=np.float64)
        y = np.ascontiguousarray(node_y_m, dtype=np.float64)
        n = x.shape[0]
        u = np.asarray(edge_u, dtype=np.int64)
        v = np.asarray(edge_v, dtype=np.int64)
        if u.shape != v.shape:
            raise ValueError("edge_u and edge_v must have the same shape")
        if u.size and (min(u.min(), v.min()) < 0 or max(u.max(), v.max()) >= n):
            raise ValueError("edge node index out of range")
        if geom_offsets is None:
            geom_offsets = np.arange(0, 2 * u.size + 1, 2, dtype=np.int64)
            gx = np.empty(2 * u.size)
            gy = np.empty(2 * u.size)
            gx[0::2], gx[1::2] = x[u], x[v]
            gy[0::2], gy[1::2] = y[u], y[v]
        else:
            geom_offsets = np.asarray(geom_offsets, dtype=np.int64)
            gx = np.asarray(geom_x_m, dtype=np.float64)
            gy = np.asarray(geom_y_m, dtype=np.float64)
        og = _empty(np.bool_) if edge_off_ground is None else np.asarray(edge_off_ground, dtype=bool)
        if og.size and og.shape != u.shape:
            raise ValueError("edge_off_ground must have one entry per edge")
        keep = u != v
        if not keep.all():
            u, v, geom_offsets, gx, gy, edge_length_m = _drop_edges(
                keep, u, v, geom_offsets, gx, gy, edge_length_m
            )
            og = og[keep] if og.size else og
        if edge_length_m is None:
            edge_length_m = polyline_lengths(geom_offsets, gx, gy)
        length = np.asarray(edge_length_m, dtype=np.float64)
        if length.size and (not np.all(np.isfinite(length)) or length.min() < 0):
            raise ValueError("edge lengths must be finite and non-negative")
        if adjacency is None or not keep.all() or adjacency.shape != (n, n):
            adjacency = symmetric_csr(n, u, v, length)
        return cls(
            node_x_m=x,
            node_y_m=y,
            adjacency=adjacency,
            crs=str(crs),
            node_osmid=(
                np.full(n, -1, dtype=np.int64) if node_osmid is None else np.asarray(node_osmid, np.int64)
            ),
            edge_u=u,
            edge_v=v,
            edge_length_m=length,
            geom_offsets=geom_offsets,
            geom_x_m=gx,
            geom_y_m=gy,
            dropped_x_m=_empty(np.float64) if dropped_x_m is None else np.asarray(dropped_x_m, np.float64),
            dropped_y_m=_empty(np.float64) if dropped_y_m is None else np.asarray(dropped_y_m, np.float64),
            dropped_component=(
                _empty(np.int64) if dropped_component is None else np.asarray(dropped_component, np.int64)
            ),
            mode=mode,
            source=source,
            edge_off_ground=og,
        )

    # ------------------------------------------------------------------ properties
    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.node_x_m.shape[0])

    @property
    def n_edges(self) -> int:
        """Number of undirected edges (parallel edges counted)."""
        return int(self.edge_u.shape[0])

    @property
    def n_dropped_components(self) -> int:
        """How many disconnected network pieces were dropped."""
        return int(np.unique(self.dropped_component).size)

    @cached_property
    def fingerprint(self) -> str:
        """Short identity of the network (sizes and total length), stored in every :class:`Snap`."""
        return f"{self.n_nodes}:{self.n_edges}:{float(self.edge_length_m.sum()):.3f}"

    @cached_property
    def content_digest(self) -> str:
        """BLAKE2b digest of every array and the CRS: the network's identity for on-disk caches keyed by
        it (snapped population, :mod:`~coverage_planner.network.snap_cache`). ~0.1 s at 500k nodes."""
        h = hashlib.blake2b(digest_size=20)
        for name in _ARRAY_FIELDS:
            a = np.ascontiguousarray(getattr(self, name))
            h.update(f"{name}:{a.dtype}:{a.shape};".encode())
            h.update(a.data)
        h.update(f"{self.crs}|{self.mode}".encode())
        return h.hexdigest()

    @cached_property
    def min_length_ratio(self) -> float:
        """Smallest ratio of an edge's length to its chord or its polyline (1.0 for lengths from geometry).

        Shortest-path searches use it to prune by straight-line distance safely: a node reachable within
        ``d`` metres of network lies within ``d / min_length_ratio`` metres in a straight line.
        """
        if self.n_edges == 0:
            return 1.0
        chord = np.hypot(
            self.node_x_m[self.edge_u] - self.node_x_m[self.edge_v],
            self.node_y_m[self.edge_u] - self.node_y_m[self.edge_v],
        )
        # a walk part-way along an edge covers geometry at the rate length / polyline length
        geo = polyline_lengths(self.geom_offsets, self.geom_x_m, self.geom_y_m)
        ratios = [1.0]
        pos = chord > 1e-9
        if pos.any():
            ratios.append(float(np.min(self.edge_length_m[pos] / chord[pos])))
        pos = geo > 1e-9
        if pos.any():
            ratios.append(float(np.min(self.edge_length_m[pos] / geo[pos])))
        return min(ratios)

    @cached_property
    def csr(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        """The adjacency as contiguous ``(indptr int64, indices int32, lengths float64, longest edge)``,
        the form the compiled searches of :mod:`~coverage_planner.network.kernel` take."""
        adj = self.adjacency
        idx_dtype = np.int32 if self.n_nodes < 2**31 - 1 else np.int64
        data = np.ascontiguousarray(adj.data, dtype=np.float64)
        return (
            np.ascontiguousarray(adj.indptr, dtype=np.int64),
            np.ascontiguousarray(adj.indices, dtype=idx_dtype),
            data,
            float(data.max()) if data.size else 0.0,
        )

    @cached_property
    def segments(self) -> SegmentTable:
        """The straight segments of every edge polyline (for snapping and clipping)."""
        return SegmentTable.of(self)

    def edge_lines(self) -> np.ndarray:
        """Edge polylines as a numpy array of shapely LineStrings (for drawing)."""
        import shapely

        counts = np.diff(self.geom_offsets)
        coords = np.column_stack([self.geom_x_m, self.geom_y_m])
        return shapely.linestrings(coords, indices=np.repeat(np.arange(self.n_edges), counts))

    def summary(self) -> str:
        """One line for logs and reports."""
        return (
            f"{self.mode} network: {self.n_nodes:,} nodes, {self.n_edges:,} edges, "
            f"{self.edge_length_m.sum() / 1000:,.1f} km; {self.n_dropped_components:,} disconnected "
            f"piece(s) dropped ({self.dropped_x_m.size:,} nodes); CRS {self.crs}"
        )

    # ------------------------------------------------------------------ persistence
    def to_arrays(self) -> dict[str, np.ndarray]:
        """All data as named numpy arrays (what :meth:`save` writes)."""
        out = {name: np.asarray(getattr(self, name)) for name in _ARRAY_FIELDS}
        out["meta"] = np.array([self.crs, self.mode, self.source, str(GRAPH_FORMAT_VERSION)])
        return out

    def save(self, path: str | os.PathLike[str], *, key: str = "") -> Path:
        """Write the graph (and its adjacency) to an ``.npz`` atomically, with a checksum verified by :meth:`load`.

        Parameters
        ----------
        path
            Destination file.
        key
            Optional cache key stored alongside (checked by :meth:`load` when given there).

        Returns
        -------
        Path
        """
        arrays: dict[str, Any] = self.to_arrays()  # Any: numpy's savez stub would read a bool option into **arrays
        adj = self.adjacency  # stored too: a warm run takes it as it is (building it costs a sort of every edge)
        arrays.update(csr_indptr=adj.indptr, csr_indices=adj.indices, csr_data=adj.data)
        arrays["content_digest"] = np.array([self.content_digest])  # read back by load: not hashed again per run
        arrays["cache_key"] = np.array([key])
        arrays["checksum"] = np.array([array_checksum(arrays)])
        with atomic_path(path) as tmp, open(tmp, "wb") as fh:
            np.savez(fh, **arrays)  # uncompressed: reading it back is a copy, not a decompression
        return Path(path)

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, key: str | None = None) -> WalkGraph:
        """Read a graph written by :meth:`save`, verifying its checksum (and cache key if given).

        Raises
        ------
        LayerError
            The file is unreadable, truncated, fails its checksum or was written for another key.
        """
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as exc:
            why = reason_words(exc) if isinstance(exc, OSError) else Message("err.not_cache_format")
            raise LayerError(Message("err.network_cache_unreadable", path=str(path), reason=why)) from exc
        missing = [k for k in (*_ARRAY_FIELDS, "meta", "checksum", "cache_key") if k not in arrays]
        if missing:
            raise LayerError(Message("err.network_cache_lacks", path=str(path), fields=", ".join(missing)))
        stored = str(arrays.pop("checksum")[0])
        if array_checksum({**arrays}) != stored:
            raise LayerError(Message("err.network_cache_checksum", path=str(path)))
        if key is not None and str(arrays["cache_key"][0]) != key:
            raise LayerError(Message("err.network_cache_key", path=str(path)))
        crs, mode, source, version = (str(s) for s in arrays["meta"])
        if int(version) != GRAPH_FORMAT_VERSION:
            raise LayerError(Message("err.network_cache_version", path=str(path), version=version))
        graph = cls.from_edges(
            arrays["node_x_m"],
            arrays["node_y_m"],
            arrays["edge_u"],
            arrays["edge_v"],
            crs=crs,
            edge_length_m=arrays["edge_length_m"],
            geom_offsets=arrays["geom_offsets"],
            geom_x_m=arrays["geom_x_m"],
            geom_y_m=arrays["geom_y_m"],
            node_osmid=arrays["node_osmid"],
            dropped_x_m=arrays["dropped_x_m"],
            dropped_y_m=arrays["dropped_y_m"],
            dropped_component=arrays["dropped_component"],
            mode=mode,
            source=source,
            edge_off_ground=arrays["edge_off_ground"],
            adjacency=_stored_adjacency(arrays, n=arrays["node_x_m"].shape[0]),
        )
        if "content_digest" in arrays:  # verified with the file's checksum; older files compute it when asked
            graph.__dict__["content_digest"] = str(arrays["content_digest"][0])
        return graph


@dataclass(frozen=True, eq=False)
class SegmentTable:
    """Straight segments of the edge polylines.

    ``edge[k]`` owns segment ``k`` from ``(ax, ay)`` to ``(bx, by)``, of geometric length ``length_m``,
    starting ``c0_m`` metres (geometric) along its edge. Edge ``e``'s segments are
    ``first[e] : first[e] + count[e]``; ``scale[e]`` converts geometric metres to the edge's stored length.
    """

    edge: np.ndarray
    ax: np.ndarray
    ay: np.ndarray
    bx: np.ndarray
    by: np.ndarray
    length_m: np.ndarray
    c0_m: np.ndarray
    first: np.ndarray
    count: np.ndarray
    scale: np.ndarray

    @classmethod
    def of(cls, graph: WalkGraph) -> SegmentTable:
        """Segments of ``graph``'s polylines."""
        off = graph.geom_offsets
        if graph.geom_x_m.size == 2 * graph.n_edges and bool((np.diff(off) == 2).all()):
            return cls._straight(graph)  # no bends: the same arrays in a third of the time
        return cls._polylines(graph)

    @classmethod
    def _polylines(cls, graph: WalkGraph) -> SegmentTable:
        """:meth:`of` for polylines of any number of points."""
        gx, gy, off = graph.geom_x_m, graph.geom_y_m, graph.geom_offsets
        count = np.diff(off) - 1
        start_ok = np.ones(gx.size, dtype=bool)
        start_ok[off[1:] - 1] = False  # the last point of a polyline starts no segment
        start = np.flatnonzero(start_ok)
        edge = np.repeat(np.arange(graph.n_edges), count)
        ax, ay, bx, by = gx[start], gy[start], gx[start + 1], gy[start + 1]
        length = np.hypot(bx - ax, by - ay)
        first = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
        csum = np.cumsum(length) - length
        c0 = csum - np.repeat(csum[first], count) if graph.n_edges else csum
        geo = np.bincount(edge, weights=length, minlength=graph.n_edges)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(geo > 0, graph.edge_length_m / geo, 0.0)
        return cls(edge, ax, ay, bx, by, length, c0, first, count, scale)

    @classmethod
    def _straight(cls, graph: WalkGraph) -> SegmentTable:
        """:meth:`of` for a graph whose polylines are all two points long (the same arrays, computed directly)."""
        gx, gy = graph.geom_x_m, graph.geom_y_m
        ax, ay, bx, by = gx[0::2], gy[0::2], gx[1::2], gy[1::2]
        length = np.hypot(bx - ax, by - ay)
        edge = np.arange(graph.n_edges)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = np.where(length > 0, graph.edge_length_m / length, 0.0)
        ones = np.ones(graph.n_edges, dtype=np.int64)
        return cls(edge, ax, ay, bx, by, length, np.zeros(graph.n_edges), edge, ones, scale)


# ---------------------------------------------------------------------- helpers (module-private API)
def _stored_adjacency(arrays: dict[str, np.ndarray], *, n: int) -> sp.csr_matrix | None:
    """The adjacency a cache file stored (checksum verified with the rest), or None (older files: rebuilt)."""
    if not all(k in arrays for k in ("csr_indptr", "csr_indices", "csr_data")):
        return None
    indptr, indices, data = arrays["csr_indptr"], arrays["csr_indices"], arrays["csr_data"]
    if indptr.shape != (n + 1,) or indices.shape != data.shape or (n and int(indptr[-1]) != indices.size):
        return None
    return sp.csr_matrix((data, indices, indptr), shape=(n, n))


def symmetric_csr(n: int, u: np.ndarray, v: np.ndarray, length_m: np.ndarray) -> sp.csr_matrix:
    """Symmetric CSR adjacency keeping the shortest of parallel edges (explicit zeros stay edges).

    Compiled (``_bucket.symmetric_csr``: a counting sort, 23 ms against 53 ms at 500k nodes) unless some
    node has more than 64 edge ends; then sorted with numpy. Both give the same arrays (``tests/test_kernel.py``).
    """
    from .kernel import _bucket  # (its import says how to build the module when it is missing)

    u = np.ascontiguousarray(u, dtype=np.int64)
    v = np.ascontiguousarray(v, dtype=np.int64)
    if u.size and (min(int(u.min()), int(v.min())) < 0 or max(int(u.max()), int(v.max())) >= n):
        raise ValueError("edge node index out of range")
    index_dtype = np.int32 if max(n, 2 * u.size) < 2**31 - 1 else np.int64
    built = _bucket.symmetric_csr(int(n), u, v, np.ascontiguousarray(length_m, dtype=np.float64))
    if built is not None:
        indptr, cols, data = built
        return sp.csr_matrix((data, cols.astype(index_dtype), indptr.astype(index_dtype)), shape=(n, n))
    return _symmetric_csr_numpy(n, u, v, length_m, index_dtype)


def _symmetric_csr_numpy(
    n: int, u: np.ndarray, v: np.ndarray, length_m: np.ndarray, index_dtype: type
) -> sp.csr_matrix:
    """:func:`symmetric_csr` by sorting every (row, column) key with numpy (any degree)."""
    rows = np.concatenate([u, v])
    cols = np.concatenate([v, u])
    data = np.concatenate([length_m, length_m]).astype(np.float64)
    key = rows * np.int64(n) + cols
    bits = max(int(key.size - 1).bit_length(), 1)
    if key.size and (max(n, 1) ** 2) << bits < 2**63:  # key and position packed in one int64: a plain sort
        packed = np.sort((key << bits) | np.arange(key.size, dtype=np.int64))  # (SIMD; ~4x argsort's speed)
        key = packed >> bits
        data = data[packed & ((1 << bits) - 1)]
    else:
        order = np.argsort(key)
        key = key[order]
        data = data[order]
    first = np.ones(key.size, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    if not first.all():  # parallel edges: keep the shortest
        starts = np.flatnonzero(first)
        data = np.minimum.reduceat(data, starts)
        key = key[starts]
    rows, cols = np.divmod(key, np.int64(max(n, 1)))
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    return sp.csr_matrix((data, cols.astype(index_dtype), indptr.astype(index_dtype)), shape=(n, n))


def polyline_lengths(offsets: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Length of each polyline in flattened (offsets, x, y) form."""
    seg = np.hypot(np.diff(x), np.diff(y))
    # segments that straddle two polylines are zeroed out
    if offsets.size > 2:
        seg[offsets[1:-1] - 1] = 0.0
    csum = np.concatenate([[0.0], np.cumsum(seg)])
    return csum[offsets[1:] - 1] - csum[offsets[:-1]]


def _drop_edges(
    keep: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    offsets: np.ndarray,
    gx: np.ndarray,
    gy: np.ndarray,
    length: np.ndarray | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    counts = np.diff(offsets)
    point_keep = np.repeat(keep, counts)
    new_offsets = np.concatenate([[0], np.cumsum(counts[keep])]).astype(np.int64)
    return (
        u[keep],
        v[keep],
        new_offsets,
        gx[point_keep],
        gy[point_keep],
        None if length is None else np.asarray(length)[keep],
    )


def array_checksum(arrays: dict[str, np.ndarray]) -> str:
    """SHA-256 over named arrays (name, dtype, shape, bytes), the key "checksum" left out: cache files check it."""
    h = hashlib.sha256()
    for name in sorted(arrays):
        if name == "checksum":
            continue
        a = np.ascontiguousarray(arrays[name])
        h.update(name.encode())
        h.update(str(a.dtype).encode())
        h.update(str(a.shape).encode())
        if a.dtype.kind == "U":
            h.update("\x1f".join(a.ravel().tolist()).encode())
        else:
            h.update(a.tobytes())
    return h.hexdigest()
