"""Differential tests: coverage's engines against independent peer tools on random instances.

Every comparison prints the instance (seed and sizes, or the points) in its assertion message.
Tolerances (quote these in the README):

- Network distances (``facility_node_distance_m``, ``nearest_facility_distance_m``) vs
  ``networkx.multi_source_dijkstra`` on a graph built from the same ``WalkGraph`` arrays:
  1e-6 m absolute (+1e-9 relative); same set of reachable points. Walk coverage (covered flags and
  people-weighted share): identical, except demand points whose distance lies within 1e-6 m of the
  cutoff, which are left out of the comparison.
- 2SFCA (``two_step_fca``, plain and Gaussian decay) vs PySAL ``access`` (``two_stage_fca`` and
  ``weighted_catchment``) fed the same travel-cost table: relative 1e-9 (absolute 1e-12) per demand
  point and per facility ratio.
- Maximal covering: ``milp.max_coverage`` equals brute force exactly (1e-9 people) on tiny instances
  and spopt's ``MCLP`` (CBC) objective on small ones; ``greedy.max_coverage`` keeps its
  (1 - 1/e) guarantee and its ``upper_bound_new_people`` is never below the true optimum.
- GCJ-02 / BD-09 vs ``coord-convert``: forward conversions (WGS84 -> GCJ-02, GCJ-02 -> BD-09,
  WGS84 -> BD-09) agree to 1e-9 degree (0.1 mm); inverses agree to 2e-6 degree (0.2 m; the peer
  stops iterating at 1e-6 degree and uses Baidu's closed form for BD-09), and our inverse fed to the
  peer's forward formula gives back the input to 1e-8 degree (1 mm). ``eviltransform`` (PyPI 0.1.1,
  optional) scales the offset by the WGS84 radius 6378137 m instead of Krasovsky's 6378245 m used
  by the published algorithm, its own test vectors and coord-convert (a difference of up to 2e-7
  degree, 2 cm): its forward offset equals ours times 6378245/6378137 to 1e-9 degree, and inverses
  agree to 2e-6 degree.
- Seismic spacing (largest distance from a point of the territory to its nearest station, exact in
  coverage) vs a brute-force search over a fine grid plus densified boundary (spacing h): never more
  than 1e-6 m below the brute force, and at most h·√2/2 + 1e-6 m above it.
"""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.spatial import cKDTree

from coverage_planner.model import coords
from coverage_planner.network import (
    decay_weights,
    facility_node_distance_m,
    nearest_facility_distance_m,
    snap_points,
    two_step_fca,
    walk_access,
)
from coverage_planner.network.synthetic import city_network
from coverage_planner.seismic import spacing_metrics
from coverage_planner.siting import CoverageProblem, greedy, milp

pytestmark = pytest.mark.filterwarnings("ignore:.*PuLP 4.0:DeprecationWarning")

FAST = settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

NET_ABS = 1e-6
FCA_REL = 1e-9
DEG_FWD = 1e-9
DEG_INV = 2e-6
DEG_ROUND = 1e-8
DEG_EVIL = 2.5e-7


# ---------------------------------------------------------------------- network oracle
def nx_graph(graph) -> nx.Graph:
    """networkx graph from the WalkGraph's own edge arrays (shortest of parallel edges)."""
    g = nx.Graph()
    g.add_nodes_from(range(graph.n_nodes))
    for u, v, w in zip(graph.edge_u.tolist(), graph.edge_v.tolist(), graph.edge_length_m.tolist(), strict=True):
        if not g.has_edge(u, v) or g[u][v]["w"] > w:
            g.add_edge(u, v, w=w)
    return g


def oracle_node_distance(graph, facs) -> np.ndarray:
    """Distance from every node to the nearest facility entrance via a virtual source (networkx)."""
    g = nx_graph(graph)
    src = ("source",)
    g.add_node(src)
    for j in np.flatnonzero(facs.edge >= 0):
        for node, cost in ((int(facs.node_a[j]), float(facs.dist_a_m[j])), (int(facs.node_b[j]), float(facs.dist_b_m[j]))):
            if not g.has_edge(src, node) or g[src][node]["w"] > cost:
                g.add_edge(src, node, w=cost)
    dist, _ = nx.multi_source_dijkstra(g, {src}, weight="w")
    out = np.full(graph.n_nodes, np.inf)
    for node, d in dist.items():
        if node != src:
            out[node] = d
    return out


def oracle_demand_distance(graph, demand, facs) -> np.ndarray:
    node_d = oracle_node_distance(graph, facs)
    out = np.full(demand.n_points, np.inf)
    for i in np.flatnonzero(demand.edge >= 0):
        best = min(node_d[demand.node_a[i]] + demand.dist_a_m[i], node_d[demand.node_b[i]] + demand.dist_b_m[i])
        for j in np.flatnonzero(facs.edge == demand.edge[i]):  # walk straight along a shared street
            best = min(best, demand.offset_m[i] + facs.offset_m[j] + abs(demand.along_m[i] - facs.along_m[j]))
        out[i] = best
    return out


def _instance(seed: int, n_nodes: int, n_demand: int, n_fac: int):
    rng = np.random.default_rng(seed)
    graph = city_network(n_nodes, seed=seed, removal_fraction=0.2, bridge_spacing_m=500.0, origin_m=(0.0, 0.0))
    assume(graph.n_edges > 0)
    side = math.ceil(math.sqrt(n_nodes)) * 80.0
    dxy = rng.uniform(-50, side + 50, (n_demand, 2))
    fxy = rng.uniform(0, side, (n_fac, 2))
    demand = snap_points(graph, dxy[:, 0], dxy[:, 1], max_snap_m=120)
    facs = snap_points(graph, fxy[:, 0], fxy[:, 1], max_snap_m=120)
    people = rng.integers(1, 50, n_demand).astype(float)
    return graph, demand, facs, people


def _check_network(seed: int, n_nodes: int, n_demand: int, n_fac: int, cutoff: float) -> None:
    graph, demand, facs, people = _instance(seed, n_nodes, n_demand, n_fac)
    assume(facs.has_access.any())
    case = f"instance: seed={seed} n_nodes={n_nodes} n_demand={n_demand} n_fac={n_fac} cutoff={cutoff}"
    want_nodes = oracle_node_distance(graph, facs)
    got_nodes = facility_node_distance_m(graph, facs)
    assert np.array_equal(np.isfinite(got_nodes), np.isfinite(want_nodes)), case
    fin = np.isfinite(want_nodes)
    np.testing.assert_allclose(got_nodes[fin], want_nodes[fin], rtol=1e-9, atol=NET_ABS, err_msg=case)

    want = oracle_demand_distance(graph, demand, facs)
    got = nearest_facility_distance_m(graph, demand, facs)
    assert np.array_equal(np.isfinite(got), np.isfinite(want)), case
    fin = np.isfinite(want)
    np.testing.assert_allclose(got[fin], want[fin], rtol=1e-9, atol=NET_ABS, err_msg=case)

    acc = walk_access(graph, demand, facs, distance_m=cutoff)
    clear = ~(np.abs(want - cutoff) <= NET_ABS)
    want_cov = want <= cutoff
    bad = np.flatnonzero(clear & (acc.covered != want_cov))
    assert bad.size == 0, f"{case}: covered differs at demand points {bad.tolist()} (oracle {want[bad].tolist()})"
    share_got = people[clear & acc.covered].sum() / people[clear].sum()
    share_want = people[clear & want_cov].sum() / people[clear].sum()
    assert share_got == pytest.approx(share_want, abs=1e-12), case


@FAST
@given(seed=st.integers(0, 10**6), n_nodes=st.integers(9, 120), n_demand=st.integers(1, 60),
       n_fac=st.integers(1, 6), cutoff=st.floats(50, 1500))
def test_network_distances_and_walk_coverage_match_networkx(seed, n_nodes, n_demand, n_fac, cutoff):
    _check_network(seed, n_nodes, n_demand, n_fac, cutoff)


@pytest.mark.slow
@SLOW
@given(seed=st.integers(0, 10**6), n_nodes=st.integers(9, 900), n_demand=st.integers(1, 300),
       n_fac=st.integers(1, 30), cutoff=st.floats(10, 4000))
def test_network_distances_and_walk_coverage_match_networkx_sweep(seed, n_nodes, n_demand, n_fac, cutoff):
    _check_network(seed, n_nodes, n_demand, n_fac, cutoff)


# ---------------------------------------------------------------------- 2SFCA vs PySAL access
def _check_fca(seed: int, n_nodes: int, n_demand: int, n_fac: int, catchment: float, gaussian: bool) -> None:
    from access import fca

    graph, demand, facs, people = _instance(seed, n_nodes, n_demand, n_fac)
    rng = np.random.default_rng(seed + 1)
    supply = rng.integers(1, 100, n_fac).astype(float)
    case = (f"instance: seed={seed} n_nodes={n_nodes} n_demand={n_demand} n_fac={n_fac} catchment={catchment} "
            f"gaussian={gaussian}")
    # the travel-cost table, from the networkx oracle: one facility at a time
    rows = []
    for j in range(n_fac):
        one = snap_points(graph, facs.x_m[j:j + 1], facs.y_m[j:j + 1], max_snap_m=120)
        d = oracle_demand_distance(graph, demand, one)
        assume(not np.any(np.abs(d - catchment) <= NET_ABS))  # no pair sits on the catchment edge
        rows += [(i, j, float(d[i])) for i in np.flatnonzero(np.isfinite(d))]
    cost = pd.DataFrame(rows, columns=["origin", "dest", "cost"])
    assume(len(cost) > 0)
    decay = "gaussian" if gaussian else None
    weight_fn = (lambda c: float(decay_weights(np.array([c]), catchment, "gaussian")[0])) if gaussian else None
    got = two_step_fca(graph, demand, people, facs, supply, catchment_m=catchment, decay=decay)

    demand_df = pd.DataFrame({"geoid": np.arange(n_demand), "demand": people})
    supply_df = pd.DataFrame({"supply": supply}, index=pd.Index(np.arange(n_fac), name="geoid"))
    acc = fca.two_stage_fca(demand_df, supply_df, cost.copy(), max_cost=catchment, weight_fn=weight_fn)
    want_acc = np.zeros(n_demand)
    want_acc[acc.index.to_numpy(dtype=int)] = acc.to_numpy(dtype=float)
    np.testing.assert_allclose(got.accessibility, want_acc, rtol=FCA_REL, atol=1e-12, err_msg=case)
    # the step-1 ratio R_j = S_j / (decay-weighted people in the catchment)
    served = fca.weighted_catchment(demand_df, cost.copy(), catchment, cost_source="origin", cost_dest="dest",
                                    loc_index="geoid", loc_value="demand", weight_fn=weight_fn)
    want_ratio = np.full(n_fac, np.nan)
    idx = served.index.to_numpy(dtype=int)
    want_ratio[idx] = supply[idx] / served.to_numpy(dtype=float)
    np.testing.assert_allclose(got.ratio, want_ratio, rtol=FCA_REL, atol=1e-12, equal_nan=True, err_msg=case)


@FAST
@given(seed=st.integers(0, 10**6), n_nodes=st.integers(9, 100), n_demand=st.integers(1, 40),
       n_fac=st.integers(1, 5), catchment=st.floats(100, 1500), gaussian=st.booleans())
def test_two_step_fca_matches_pysal_access(seed, n_nodes, n_demand, n_fac, catchment, gaussian):
    _check_fca(seed, n_nodes, n_demand, n_fac, catchment, gaussian)


@pytest.mark.slow
@SLOW
@given(seed=st.integers(0, 10**6), n_nodes=st.integers(9, 400), n_demand=st.integers(1, 150),
       n_fac=st.integers(1, 12), catchment=st.floats(30, 3000), gaussian=st.booleans())
def test_two_step_fca_matches_pysal_access_sweep(seed, n_nodes, n_demand, n_fac, catchment, gaussian):
    _check_fca(seed, n_nodes, n_demand, n_fac, catchment, gaussian)


# ---------------------------------------------------------------------- maximal covering
def _random_problem(seed: int, n_demand: int, n_cand: int, existing_share: float) -> CoverageProblem:
    rng = np.random.default_rng(seed)
    cover = rng.random((n_demand, n_cand)) < rng.uniform(0.05, 0.4)
    people = rng.integers(0, 40, n_demand).astype(float)
    existing = rng.random(n_demand) < existing_share
    return CoverageProblem(sp.csr_array(cover), people, existing)


@FAST
@given(seed=st.integers(0, 10**6), n_demand=st.integers(1, 25), n_cand=st.integers(1, 8),
       n_sites=st.integers(1, 4), existing_share=st.sampled_from([0.0, 0.2, 0.6]))
def test_mclp_matches_brute_force(seed, n_demand, n_cand, n_sites, existing_share):
    problem = _random_problem(seed, n_demand, n_cand, existing_share)
    assume(problem.cover.nnz > 0)  # an empty coverage matrix: see test_milp_with_no_coverage_at_all
    case = f"instance: seed={seed} n_demand={n_demand} n_cand={n_cand} n_sites={n_sites} existing={existing_share}"
    k = min(n_sites, n_cand)
    best = max(problem.covered_weight(list(c)) for c in itertools.combinations(range(n_cand), k))
    exact = milp.max_coverage(problem, n_sites=n_sites)
    assert exact.covered_after_people == pytest.approx(best, abs=1e-9), case
    assert problem.covered_weight(exact.chosen) == pytest.approx(best, abs=1e-9), case
    assert exact.n_sites <= n_sites, case
    g = greedy.max_coverage(problem, n_sites=n_sites)
    best_new = best - problem.existing_weight
    assert g.new_people >= (1 - 1 / math.e) * best_new - 1e-9, case
    assert g.upper_bound_new_people is None or g.upper_bound_new_people >= best_new - 1e-9, case
    assert problem.covered_weight(g.chosen) == pytest.approx(g.covered_after_people, abs=1e-9), case


def test_milp_with_no_coverage_at_all():
    """Regression: an empty np.bincount gave int64 gains that could not take -inf (OverflowError)."""
    problem = CoverageProblem(sp.csr_array(np.zeros((3, 2), dtype=bool)), np.array([5.0, 1.0, 2.0]))
    res = milp.max_coverage(problem, n_sites=1)
    assert res.new_people == 0 and res.covered_after_people == 0


def _check_spopt(seed: int, n_demand: int, n_cand: int, n_sites: int, radius: float) -> None:
    import pulp
    from spopt.locate import MCLP

    rng = np.random.default_rng(seed)
    dem = rng.uniform(0, 1000, (n_demand, 2))
    cand = rng.uniform(0, 1000, (n_cand, 2))
    people = rng.integers(1, 30, n_demand)
    cost = np.hypot(dem[:, None, 0] - cand[None, :, 0], dem[:, None, 1] - cand[None, :, 1])
    assume(not np.any(np.abs(cost - radius) < 1e-6))
    assume(np.any(cost <= radius))  # an empty coverage matrix: see test_milp_with_no_coverage_at_all
    n_sites = min(n_sites, n_cand)  # spopt calls more sites than candidates infeasible
    case = f"instance: seed={seed} n_demand={n_demand} n_cand={n_cand} n_sites={n_sites} radius={radius}"
    model = MCLP.from_cost_matrix(cost, people, service_radius=radius, p_facilities=n_sites)
    model = model.solve(pulp.PULP_CBC_CMD(msg=False))
    want = float(model.problem.objective.value() or 0.0)
    problem = CoverageProblem(sp.csr_array(cost <= radius), people.astype(float))
    exact = milp.max_coverage(problem, n_sites=n_sites)
    assert exact.covered_after_people == pytest.approx(want, abs=1e-6), case
    g = greedy.max_coverage(problem, n_sites=n_sites)
    assert g.covered_after_people >= (1 - 1 / math.e) * want - 1e-9, case
    assert g.upper_bound_new_people is None or g.upper_bound_new_people >= want - 1e-6, case


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_demand=st.integers(20, 80), n_cand=st.integers(5, 20),
       n_sites=st.integers(1, 5), radius=st.floats(80, 400))
def test_mclp_matches_spopt(seed, n_demand, n_cand, n_sites, radius):
    _check_spopt(seed, n_demand, n_cand, n_sites, radius)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_demand=st.integers(20, 400), n_cand=st.integers(5, 60),
       n_sites=st.integers(1, 12), radius=st.floats(50, 500))
def test_mclp_matches_spopt_sweep(seed, n_demand, n_cand, n_sites, radius):
    _check_spopt(seed, n_demand, n_cand, n_sites, radius)


# ---------------------------------------------------------------------- GCJ-02 / BD-09
def _check_coords(lon: np.ndarray, lat: np.ndarray) -> None:
    import coord_convert.transform as cc

    n = lon.size
    g_lon, g_lat = coords.wgs84_to_gcj02(lon, lat)
    b_lon, b_lat = coords.gcj02_to_bd09(g_lon, g_lat)
    wb_lon, wb_lat = coords.wgs84_to_bd09(lon, lat)
    w_lon, w_lat = coords.gcj02_to_wgs84(lon, lat)  # the inputs read as GCJ-02
    gb_lon, gb_lat = coords.bd09_to_gcj02(lon, lat)  # the inputs read as BD-09
    for i in range(n):
        x, y = float(lon[i]), float(lat[i])
        case = f"point ({x!r}, {y!r})"
        assert cc.wgs2gcj(x, y) == pytest.approx((g_lon[i], g_lat[i]), abs=DEG_FWD), case
        assert cc.gcj2bd(g_lon[i], g_lat[i]) == pytest.approx((b_lon[i], b_lat[i]), abs=DEG_FWD), case
        assert cc.wgs2bd(x, y) == pytest.approx((wb_lon[i], wb_lat[i]), abs=DEG_FWD), case
        # inverses: the peers iterate to 1e-6 degree (or use Baidu's closed form)
        assert cc.gcj2wgs(x, y) == pytest.approx((w_lon[i], w_lat[i]), abs=DEG_INV), case
        assert cc.bd2gcj(x, y) == pytest.approx((gb_lon[i], gb_lat[i]), abs=DEG_INV), case
        # ours is the exact inverse of the peers' forward formulas
        assert cc.wgs2gcj(float(w_lon[i]), float(w_lat[i])) == pytest.approx((x, y), abs=DEG_ROUND), case
        assert cc.gcj2bd(float(gb_lon[i]), float(gb_lat[i])) == pytest.approx((x, y), abs=DEG_ROUND), case


CHINA = st.tuples(st.floats(73.7, 134.8), st.floats(18.2, 53.4))


@FAST
@given(pts=st.lists(CHINA, min_size=1, max_size=40))
def test_gcj02_bd09_match_coord_convert(pts):
    arr = np.array(pts, dtype=float)
    _check_coords(arr[:, 0], arr[:, 1])


@FAST
@given(pts=st.lists(CHINA, min_size=1, max_size=40))
def test_gcj02_bd09_match_eviltransform(pts):
    et = pytest.importorskip("eviltransform")
    for x, y in pts:
        case = f"point ({x!r}, {y!r})"
        g = tuple(map(float, coords.wgs84_to_gcj02(x, y)))
        b = tuple(map(float, coords.gcj02_to_bd09(*g)))
        w = tuple(map(float, coords.gcj02_to_wgs84(x, y)))
        # its offset is ours scaled by 6378245 / 6378137 (the only difference): checked to 1e-9 degree
        et_lon, et_lat = et.wgs2gcj(y, x)[::-1]
        k = 6378245.0 / 6378137.0
        assert (et_lon, et_lat) == pytest.approx((x + (g[0] - x) * k, y + (g[1] - y) * k), abs=DEG_FWD), case
        assert (et_lon, et_lat) == pytest.approx(g, abs=DEG_EVIL), case
        assert et.gcj2bd(g[1], g[0])[::-1] == pytest.approx(b, abs=DEG_FWD), case
        assert et.gcj2wgs_exact(y, x)[::-1] == pytest.approx(w, abs=DEG_INV), case


@pytest.mark.slow
def test_gcj02_bd09_match_peers_sweep():
    rng = np.random.default_rng(2024)
    _check_coords(rng.uniform(73.7, 134.8, 20_000), rng.uniform(18.2, 53.4, 20_000))


# ---------------------------------------------------------------------- seismic spacing vs brute force
def _brute_coverage(stations: np.ndarray, territory: shapely.Geometry, h: float) -> float:
    minx, miny, maxx, maxy = territory.bounds
    gx, gy = np.meshgrid(np.arange(minx, maxx + h, h), np.arange(miny, maxy + h, h))
    pts = np.column_stack([gx.ravel(), gy.ravel()])
    inside = shapely.contains_xy(territory, pts[:, 0], pts[:, 1])
    ring = shapely.segmentize(territory.boundary, h / 2)
    border = shapely.get_coordinates(ring)
    probe = np.vstack([pts[inside], border])
    d, _ = cKDTree(stations).query(probe)
    return float(d.max())


def _check_spacing(seed: int, n_stations: int, n_vertices: int) -> None:
    rng = np.random.default_rng(seed)
    # a star-shaped (often non-convex) territory about 60 km across
    ang = np.sort(rng.uniform(0, 2 * np.pi, n_vertices))
    rad = rng.uniform(12_000, 30_000, n_vertices)
    territory = shapely.Polygon(np.column_stack([rad * np.cos(ang), rad * np.sin(ang)]))
    assume(territory.is_valid and territory.area > 1e8)
    stations = rng.uniform(-35_000, 35_000, (n_stations, 2))
    h = 250.0
    case = f"instance: seed={seed} n_stations={n_stations} territory={territory.wkt} stations={stations.tolist()}"
    res = spacing_metrics(stations[:, 0], stations[:, 1], territory, k=1, grid_m=2000.0)
    brute = _brute_coverage(stations, territory, h)
    assert res.coverage_exact, case
    assert res.coverage_max_m >= brute - 1e-6, f"{case}: exact {res.coverage_max_m} < brute {brute}"
    assert res.coverage_max_m <= brute + h * math.sqrt(2) / 2 + 1e-6, f"{case}: exact {res.coverage_max_m} >> {brute}"
    # the reported worst point is in the territory and has that distance
    worst = shapely.Point(res.worst_x_m, res.worst_y_m)
    assert territory.distance(worst) <= 1e-6, case
    d_worst = float(np.hypot(*(stations - [res.worst_x_m, res.worst_y_m]).T).min())
    assert d_worst == pytest.approx(res.coverage_max_m, abs=1e-6), case


@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_stations=st.integers(1, 25), n_vertices=st.integers(3, 12))
def test_seismic_spacing_coverage_matches_brute_force(seed, n_stations, n_vertices):
    _check_spacing(seed, n_stations, n_vertices)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n_stations=st.integers(1, 60), n_vertices=st.integers(3, 30))
def test_seismic_spacing_coverage_matches_brute_force_sweep(seed, n_stations, n_vertices):
    _check_spacing(seed, n_stations, n_vertices)
