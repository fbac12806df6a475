"""Exact bounded shortest-path searches on a bucket queue, compiled from ``_bucket.pyx`` (Cython).

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

The searches are compiled C (``_bucket.pyx``, built by ``pip install -e .`` with Cython: ``setup.py``), so a
new process pays nothing before its first search. They were numba code until issue 20: every fresh process
then paid numba's own start-up at its first compiled call (0.13-0.3 s CPU, its compiler's registries), as
much as the whole 500k-node search, and ``import numba`` (~0.4 s) on top; the Cython build runs the same
search in the same time (``benchmarks/kernel.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

try:
    from . import _bucket
except ImportError as exc:  # a checkout updated without reinstalling: say how to build it
    raise ImportError(
        "coverage_planner's compiled shortest-path searches (coverage/network/_bucket.pyx) are not built for "
        "this checkout: run `pip install -e .` in it again (it needs a C compiler)"
    ) from exc

__all__ = ["CatchmentScratch", "bucket_width_m", "catchment_search", "multi_source_search"]

#: Upper bound on the ring of buckets (memory ~ 8 bytes each).
_MAX_BUCKETS = 1 << 20


def bucket_width_m(max_step_m: float, *, width_m: float = 1.0) -> float:
    """Bucket width: ``width_m`` unless the ring of buckets spanning ``max_step_m`` would grow too large."""
    if not np.isfinite(max_step_m) or max_step_m <= 0:
        return float(width_m)
    return float(max(width_m, max_step_m / (_MAX_BUCKETS - 2)))


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
    idx = np.asarray(indices)
    return (
        np.ascontiguousarray(indptr, dtype=np.int64),
        np.ascontiguousarray(idx, dtype=np.int32 if idx.dtype == np.int32 else np.int64),
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
    dist, lab = _bucket.multi(graph, src, (float(limit_m), width), n_buckets, bool(return_label))
    return (dist, lab) if return_label else dist


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
    out, scratch.pool = _bucket.catchments(
        graph, _triple(*groups), _triple(*incidence), _triple(*seeds),
        (float(limit_m), scratch.width), scratch.state, scratch.points, scratch.pool,
    )  # fmt: skip
    return out
