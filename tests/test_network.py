"""The walking-network access engine on hand-built networks with known answers.

Distances are worked out by hand in the comments; random graphs are checked against an independent
oracle (networkx.multi_source_dijkstra on a graph where every snapped point is split into its edge).
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coverage_planner.errors import LayerError
from coverage_planner.network import (
    BIKE_SPEED_M_PER_MIN,
    Snap,
    WalkGraph,
    catchment_pairs,
    cutoff_distance_m,
    decay_weights,
    facility_node_distance_m,
    nearest_facility_distance_m,
    service_area,
    snap_points,
    straight_line_access,
    straight_line_distance_m,
    two_step_fca,
    walk_access,
)
from coverage_planner.network.catchment import FCATuning
from coverage_planner.network.synthetic import city_network

CRS = "EPSG:32649"


# ---------------------------------------------------------------------- builders and oracle
def make_graph(
    nodes: dict[str, tuple[float, float]],
    edges: list[tuple[str, str]],
    lengths: list[float] | None = None,
) -> tuple[WalkGraph, dict[str, int]]:
    """A WalkGraph from named nodes and (a, b) edges; returns the name -> index map too."""
    names = list(nodes)
    index = {n: i for i, n in enumerate(names)}
    x = np.array([nodes[n][0] for n in names], dtype=float)
    y = np.array([nodes[n][1] for n in names], dtype=float)
    u = np.array([index[a] for a, _ in edges])
    v = np.array([index[b] for _, b in edges])
    length = None if lengths is None else np.asarray(lengths, dtype=float)
    graph = WalkGraph.from_edges(x, y, u, v, crs=CRS, edge_length_m=length, source="test graph")
    return graph, index


def split_graph(graph: WalkGraph, snaps: dict[str, Snap]) -> nx.Graph:
    """networkx graph where snapped point ``i`` of ``name`` is node ``(name, i)`` hanging off its edge."""
    g = nx.Graph()
    for u, v, length in zip(graph.edge_u, graph.edge_v, graph.edge_length_m, strict=True):
        _add(g, int(u), int(v), float(length))
    on_edge: dict[int, list[tuple[float, object]]] = defaultdict(list)
    for name, s in snaps.items():
        for i in range(s.n_points):
            if s.edge[i] >= 0:
                on_edge[int(s.edge[i])].append((float(s.along_m[i]), (name, i, "on")))
                g.add_edge((name, i), (name, i, "on"), w=float(s.offset_m[i]))
    for e, pts in on_edge.items():
        u, v, length = int(graph.edge_u[e]), int(graph.edge_v[e]), float(graph.edge_length_m[e])
        pts.sort(key=lambda p: p[0])
        chain = [(0.0, u), *pts, (length, v)]
        for (ta, a), (tb, b) in zip(chain[:-1], chain[1:], strict=True):
            _add(g, a, b, tb - ta)
    return g


def _add(g: nx.Graph, a: object, b: object, w: float) -> None:
    if a == b:
        return
    if g.has_edge(a, b):
        g[a][b]["w"] = min(g[a][b]["w"], w)
    else:
        g.add_edge(a, b, w=w)


def oracle_nearest(graph: WalkGraph, demand: Snap, facilities: Snap, cutoff_m: float) -> np.ndarray:
    """Distance per demand owner to the nearest facility, by networkx.multi_source_dijkstra."""
    g = split_graph(graph, {"d": demand, "f": facilities})
    sources = [("f", i) for i in range(facilities.n_points) if facilities.edge[i] >= 0]
    out = np.full(demand.n_owners, np.inf)
    if not sources:
        return out
    dist = nx.multi_source_dijkstra_path_length(g, sources, cutoff=cutoff_m, weight="w")
    for i in range(demand.n_points):
        out[demand.owner[i]] = min(out[demand.owner[i]], dist.get(("d", i), np.inf))
    return out


def random_graph(rng: np.random.Generator, n: int, *, min_stretch: float = 1.0) -> WalkGraph:
    """A small connected random graph; edge length = straight line x U(min_stretch, 1.4)."""
    x = rng.uniform(0, 1000, n)
    y = rng.uniform(0, 1000, n)
    order = rng.permutation(n)
    u = [int(order[k + 1]) for k in range(n - 1)]
    v = [int(order[rng.integers(0, k + 1)]) for k in range(n - 1)]  # random spanning tree
    extra = rng.integers(0, n, size=(n, 2))
    ua = np.array(u + list(extra[:, 0]))
    va = np.array(v + list(extra[:, 1]))
    chord = np.hypot(x[ua] - x[va], y[ua] - y[va])
    length = chord * rng.uniform(min_stretch, 1.4, chord.size)
    return WalkGraph.from_edges(x, y, ua, va, crs=CRS, edge_length_m=length, source="random graph")


def pts(*xy: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    a = np.array(xy, dtype=float).reshape(-1, 2)
    return a[:, 0], a[:, 1]


# ---------------------------------------------------------------------- fixtures
@pytest.fixture
def river_town() -> WalkGraph:
    """Two streets along the banks of a river (y = 0 and y = 200), one bridge at x = 1000.

    S0 (0,0) ---- S1 (1000,0)
                     |  bridge, 200 m
    N0 (0,200) -- N1 (1000,200)
    """
    graph, _ = make_graph(
        {"S0": (0, 0), "S1": (1000, 0), "N0": (0, 200), "N1": (1000, 200)},
        [("S0", "S1"), ("S1", "N1"), ("N1", "N0")],
    )
    return graph


# ---------------------------------------------------------------------- nearest facility
def test_river_with_one_bridge_straight_line_covers_network_does_not(river_town: WalkGraph) -> None:
    # home 10 m north of the north street at x=0, clinic 10 m south of the south street at x=0:
    # straight line 220 m (x1.3 = 286 m < 500 m: "covered"); network 10 + 1000 + 200 + 1000 + 10 = 2220 m
    hx, hy = pts((0, 210))
    cx, cy = pts((0, -10))
    homes = snap_points(river_town, hx, hy, max_snap_m=50)
    clinics = snap_points(river_town, cx, cy, max_snap_m=50)
    d = nearest_facility_distance_m(river_town, homes, clinics)
    assert d[0] == pytest.approx(2220.0)
    net = walk_access(river_town, homes, clinics, distance_m=500)
    approx = straight_line_access(hx, hy, cx, cy, distance_m=500)
    assert not net.covered[0] and not net.approximate
    assert approx.covered[0] and approx.approximate
    assert approx.distance_m[0] == pytest.approx(220 * 1.3)
    assert "APPROXIMATE" in approx.note
    sl = straight_line_distance_m(hx, hy, cx, cy, cutoff_m=250)
    assert sl.approximate and np.isinf(sl.distance_m[0]) and "APPROXIMATE" in sl.note


def test_dead_end_street() -> None:
    # main street A(0,0)-B(400,0)-C(800,0); dead end B-D(400,300); park at the end of the dead end.
    # A home at (100, -5): 5 m to the street, 300 m to B, 300 m up the dead end = 605 m.
    graph, _ = make_graph(
        {"A": (0, 0), "B": (400, 0), "C": (800, 0), "D": (400, 300)}, [("A", "B"), ("B", "C"), ("B", "D")]
    )
    homes = snap_points(graph, *pts((100, -5), (800, 0), (400, 150)), max_snap_m=50)
    park = snap_points(graph, *pts((400, 300)), max_snap_m=50)
    d = nearest_facility_distance_m(graph, homes, park)
    np.testing.assert_allclose(d, [605.0, 700.0, 150.0])
    res = walk_access(graph, homes, park, distance_m=605.0)
    assert res.covered.tolist() == [True, False, True]


def test_cell_beyond_snap_distance_is_reported_not_dropped(river_town: WalkGraph) -> None:
    homes = snap_points(river_town, *pts((500, 5), (500, 700)), max_snap_m=100)
    clinic = snap_points(river_town, *pts((500, 0)), max_snap_m=100)
    assert homes.has_access.tolist() == [True, False]
    assert homes.node_a[1] == -1 and np.isinf(homes.offset_m[1])
    res = walk_access(river_town, homes, clinic, distance_m=10_000)
    assert res.distance_m.shape == (2,)
    assert res.covered.tolist() == [True, False]
    assert res.no_network_access.tolist() == [False, True]
    assert res.covered_share() == pytest.approx(0.5)


def test_snap_offsets_of_both_ends_are_counted() -> None:
    # street (0,0)-(1000,0); home 20 m off at x=100; facility entrance 30 m off at x=600:
    # 20 + 500 + 30 = 550 m (the facility side walks along the same edge: no detour via nodes).
    graph, _ = make_graph({"a": (0, 0), "b": (1000, 0)}, [("a", "b")])
    home = snap_points(graph, *pts((100, 20)), max_snap_m=100)
    fac = snap_points(graph, *pts((600, -30)), max_snap_m=100)
    assert home.offset_m[0] == pytest.approx(20) and fac.offset_m[0] == pytest.approx(30)
    assert home.along_m[0] == pytest.approx(100)
    d = nearest_facility_distance_m(graph, home, fac, cutoff_m=549.9)
    assert np.isinf(d[0])
    d = nearest_facility_distance_m(graph, home, fac, cutoff_m=550.0)
    assert d[0] == pytest.approx(550.0)


def test_offsets_differ_between_facilities_super_source() -> None:
    # A(0,0)-B(100,0)-C(200,0). Facility 1 sits 250 m off the street at A; facility 2 is 10 m off at C.
    # From B: via A 100 + 250 = 350, via C 100 + 10 = 110, so facility 2 (index 1) wins at 110 m.
    graph, _ = make_graph({"A": (0, 0), "B": (100, 0), "C": (200, 0)}, [("A", "B"), ("B", "C")])
    facs = snap_points(graph, *pts((0, 250), (200, 10)), max_snap_m=300)
    home = snap_points(graph, *pts((100, 0)), max_snap_m=10)
    d, which = nearest_facility_distance_m(graph, home, facs, return_facility=True)
    assert d[0] == pytest.approx(110.0) and which[0] == 1
    node_d, node_f = facility_node_distance_m(graph, facs, return_facility=True)
    np.testing.assert_allclose(node_d, [210.0, 110.0, 10.0])  # A: min(250, 210)
    assert node_f.tolist() == [1, 1, 1]


def test_facility_with_several_entrances() -> None:
    # a park along y in [100, 300] west of a street x=0; gates at (−10, 100) and (−10, 300)
    graph, _ = make_graph({"s": (0, 0), "n": (0, 1000)}, [("s", "n")])
    gates = snap_points(
        graph, *pts((-10, 100), (-10, 300), (-10, 900)), owner=np.array([0, 0, 1]), max_snap_m=50
    )
    assert gates.n_owners == 2
    homes = snap_points(graph, *pts((5, 350), (5, 0)), max_snap_m=50)
    d, which = nearest_facility_distance_m(graph, homes, gates, return_facility=True)
    # (5,350): 5 + 50 + 10 to the north gate of park 0; (5,0): 5 + 100 + 10 to the south gate
    np.testing.assert_allclose(d, [65.0, 115.0])
    assert which.tolist() == [0, 0]
    only_second = gates.subset_owners(np.array([False, True]))
    d2 = nearest_facility_distance_m(graph, homes, only_second)
    np.testing.assert_allclose(d2, [5 + 550 + 10, 5 + 900 + 10])


def test_cycling_uses_the_same_engine_with_a_speed(river_town: WalkGraph) -> None:
    homes = snap_points(river_town, *pts((0, 200)), max_snap_m=10)
    clinic = snap_points(river_town, *pts((0, 0)), max_snap_m=10)
    assert cutoff_distance_m(minutes=15, speed_m_per_min=BIKE_SPEED_M_PER_MIN) == 3750.0
    walk = walk_access(river_town, homes, clinic, minutes=15)  # 900 m on foot: no
    bike = walk_access(river_town, homes, clinic, minutes=15, speed_m_per_min=BIKE_SPEED_M_PER_MIN)
    assert not walk.covered[0] and bike.covered[0]
    assert bike.distance_m[0] == pytest.approx(2200.0)
    with pytest.raises(ValueError, match="exactly one"):
        cutoff_distance_m(distance_m=1, minutes=1)


def test_no_facilities_and_bad_coordinates(river_town: WalkGraph) -> None:
    homes = snap_points(river_town, *pts((0, 200)), max_snap_m=10)
    none = snap_points(river_town, np.zeros(0), np.zeros(0), max_snap_m=10)
    assert np.isinf(nearest_facility_distance_m(river_town, homes, none)).all()
    with pytest.raises(LayerError, match="no valid coordinates"):
        snap_points(river_town, np.array([np.nan]), np.array([0.0]))
    other = city_network(100, seed=3)
    with pytest.raises(LayerError, match="different network"):
        walk_access(other, homes, snap_points(other, other.node_x_m[:1], other.node_y_m[:1]), distance_m=500)
    with pytest.raises(LayerError, match="different network"):
        catchment_pairs(
            river_town, homes, snap_points(other, other.node_x_m[:1], other.node_y_m[:1]), cutoff_m=500
        )


def test_snap_matches_brute_force_shapely() -> None:
    graph = city_network(900, seed=4, jitter_m=20)
    rng = np.random.default_rng(1)
    x = rng.uniform(graph.node_x_m.min(), graph.node_x_m.max(), 400)
    y = rng.uniform(graph.node_y_m.min(), graph.node_y_m.max(), 400)
    s = snap_points(graph, x, y, max_snap_m=1e6, piece_m=7.0)
    lines = graph.edge_lines()
    d_all = shapely.distance(shapely.points(x, y)[:, None], lines[None, :])
    np.testing.assert_allclose(s.offset_m, d_all.min(axis=1), atol=1e-6)
    on = shapely.points(s.snapped_x_m, s.snapped_y_m)
    assert np.all(shapely.distance(on, lines[s.edge]) < 1e-6)


def test_dropped_pieces_are_flagged() -> None:
    graph = city_network(400, seed=2, river=False, removal_fraction=0.0)
    island = WalkGraph.from_edges(
        graph.node_x_m, graph.node_y_m, graph.edge_u, graph.edge_v, crs=CRS,
        dropped_x_m=np.array([0.0, 10.0]), dropped_y_m=np.array([0.0, 0.0]), dropped_component=np.array([7, 7]),
    )  # fmt: skip
    s = snap_points(island, *pts((5.0, 1.0), (graph.node_x_m[0], graph.node_y_m[0])), max_snap_m=1e7)
    assert s.on_dropped_piece.tolist() == [True, False]
    assert island.n_dropped_components == 1


# ---------------------------------------------------------------------- properties (hypothesis)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(3, 25), n_fac=st.integers(1, 4), cutoff=st.floats(50, 2000))
def test_agrees_with_networkx_multi_source_dijkstra(seed: int, n: int, n_fac: int, cutoff: float) -> None:
    rng = np.random.default_rng(seed)
    graph = random_graph(rng, n)
    demand = snap_points(graph, *pts(*rng.uniform(0, 1000, (30, 2))), max_snap_m=150)
    facs = snap_points(graph, *pts(*rng.uniform(0, 1000, (n_fac, 2))), max_snap_m=150)
    got = nearest_facility_distance_m(graph, demand, facs, cutoff_m=cutoff)
    want = oracle_nearest(graph, demand, facs, cutoff)
    assert np.array_equal(np.isfinite(got), np.isfinite(want))
    fin = np.isfinite(want)
    np.testing.assert_allclose(got[fin], want[fin], rtol=1e-9, atol=1e-6)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(3, 20), cutoff=st.floats(100, 900), batch=st.integers(1, 4))
def test_catchment_pairs_agree_with_networkx(seed: int, n: int, cutoff: float, batch: int) -> None:
    rng = np.random.default_rng(seed)
    graph = random_graph(rng, n, min_stretch=0.7)  # some edges shorter than the straight line
    demand = snap_points(graph, *pts(*rng.uniform(0, 1000, (25, 2))), max_snap_m=200)
    facs = snap_points(
        graph, *pts(*rng.uniform(0, 1000, (5, 2))), owner=np.array([0, 0, 1, 2, 3]), max_snap_m=200
    )
    pairs = catchment_pairs(graph, demand, facs, cutoff_m=cutoff, batch_size=batch)
    got = {
        (int(f), int(d)): float(x)
        for f, d, x in zip(pairs.facility, pairs.demand, pairs.distance_m, strict=True)
    }
    g = split_graph(graph, {"d": demand, "f": facs})
    want: dict[tuple[int, int], float] = {}
    for j in range(facs.n_points):
        if facs.edge[j] < 0:
            continue
        reach = nx.single_source_dijkstra_path_length(g, ("f", j), cutoff=cutoff, weight="w")
        for i in range(demand.n_points):
            if ("d", i) in reach:
                key = (int(facs.owner[j]), i)
                want[key] = min(want.get(key, np.inf), reach[("d", i)])
    assert got.keys() == want.keys()
    for k, v in want.items():
        assert got[k] == pytest.approx(v, abs=1e-6)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), d1=st.floats(0, 3000), d2=st.floats(0, 3000))
def test_more_facilities_or_distance_never_lowers_coverage(seed: int, d1: float, d2: float) -> None:
    rng = np.random.default_rng(seed)
    graph = random_graph(rng, 15)
    demand = snap_points(graph, *pts(*rng.uniform(0, 1000, (40, 2))), max_snap_m=100)
    fxy = rng.uniform(0, 1000, (4, 2))
    few = snap_points(graph, *pts(*fxy[:2]), max_snap_m=100)
    more = snap_points(graph, *pts(*fxy), max_snap_m=100)
    lo, hi = sorted((d1, d2))
    a = walk_access(graph, demand, few, distance_m=hi).covered
    b = walk_access(graph, demand, more, distance_m=hi).covered
    c = walk_access(graph, demand, few, distance_m=lo).covered
    assert np.all(b >= a)  # adding facilities never uncovers anyone
    assert np.all(a >= c)  # a longer walk never uncovers anyone


# ---------------------------------------------------------------------- 2SFCA
def test_two_step_fca_by_hand() -> None:
    # One straight street, nodes A(0) B(400) C(800) D(1200); people at the nodes:
    #   A 100, B 200, C 300, D 400.  Facilities: F1 at A (10 slots), F2 at C (30), F3 at D (20).
    # Catchment 500 m, no decay.
    # Step 1 (ratio = slots / people within 500 m):
    #   F1 reaches A(0 m), B(400 m)          -> 10 / (100 + 200)       = 1/30
    #   F2 reaches B(400), C(0), D(400)      -> 30 / (200 + 300 + 400) = 1/30
    #   F3 reaches C(400), D(0)              -> 20 / (300 + 400)       = 1/35
    # Step 2 (accessibility = sum of ratios within 500 m):
    #   A: 1/30;  B: 1/30 + 1/30 = 1/15;  C: 1/30 + 1/35 = 13/210;  D: 13/210
    # Check: sum(A_i * P_i) = 100/30 + 200/15 + 700 * 13/210 = 60 = total slots.
    graph, _ = make_graph(
        {"A": (0, 0), "B": (400, 0), "C": (800, 0), "D": (1200, 0)}, [("A", "B"), ("B", "C"), ("C", "D")]
    )
    people = snap_points(graph, *pts((0, 0), (400, 0), (800, 0), (1200, 0)), max_snap_m=1)
    facs = snap_points(graph, *pts((0, 0), (800, 0), (1200, 0)), max_snap_m=1)
    pop = np.array([100.0, 200.0, 300.0, 400.0])
    slots = np.array([10.0, 30.0, 20.0])
    ratio, acc = two_step_fca(graph, people, pop, facs, slots, catchment_m=500)
    np.testing.assert_allclose(ratio, [1 / 30, 1 / 30, 1 / 35])
    np.testing.assert_allclose(acc, [1 / 30, 1 / 15, 13 / 210, 13 / 210])
    assert (acc * pop).sum() == pytest.approx(slots.sum())
    # enhanced 2SFCA (Gaussian decay): weights change, supply is still conserved
    ratio_g, acc_g = two_step_fca(graph, people, pop, facs, slots, catchment_m=500, decay="gaussian")
    assert (acc_g * pop).sum() == pytest.approx(slots.sum())
    w400 = decay_weights(np.array([400.0]), 500.0, "gaussian")[0]
    assert ratio_g[0] == pytest.approx(10 / (100 + 200 * w400))
    # bounded memory: searching the catchments twice instead of storing them gives the same answer
    ratio_s, acc_s = two_step_fca(
        graph,
        people,
        pop,
        facs,
        slots,
        catchment_m=500,
        decay="gaussian",
        tuning=FCATuning(batch_size=1, max_pairs_in_memory=1),
    )
    np.testing.assert_allclose(ratio_s, ratio_g)
    np.testing.assert_allclose(acc_s, acc_g)
    pairs = catchment_pairs(graph, people, facs, cutoff_m=500)
    np.testing.assert_allclose(
        two_step_fca(graph, people, pop, facs, slots, catchment_m=500, tuning=FCATuning(pairs=pairs)).ratio, ratio
    )


def test_two_step_fca_unreached_facility_and_people() -> None:
    graph, _ = make_graph({"a": (0, 0), "b": (5000, 0)}, [("a", "b")])
    people = snap_points(graph, *pts((0, 0), (9000, 9000)), max_snap_m=10)
    facs = snap_points(graph, *pts((10, 0), (5000, 0)), max_snap_m=10)
    ratio, acc = two_step_fca(
        graph, people, np.array([50.0, 80.0]), facs, np.array([5.0, 7.0]), catchment_m=500
    )
    assert ratio[0] == pytest.approx(0.1) and np.isnan(ratio[1])
    assert acc.tolist() == [pytest.approx(0.1), 0.0]
    assert decay_weights(np.array([0.0, 250.0, 500.0]), 500, "linear").tolist() == [1.0, 0.5, 0.0]
    assert decay_weights(np.array([100.0, 300.0, 450.0]), 500, "steps").tolist() == [1.0, 0.68, 0.22]
    with pytest.raises(ValueError, match="Unknown distance decay"):
        decay_weights(np.array([1.0]), 500, "cubic")


# ---------------------------------------------------------------------- service areas
def test_service_area_follows_streets_not_circles(river_town: WalkGraph) -> None:
    clinic = snap_points(river_town, *pts((0, 0)), max_snap_m=10)
    area = service_area(river_town, clinic, cutoff_m=1100, buffer_m=20, resolution_m=None)
    assert area.contains(shapely.Point(500, 0))  # along the south street
    assert area.contains(shapely.Point(1000, 90))  # 100 m onto the bridge
    assert not area.contains(shapely.Point(0, 200))  # straight across the river: 200 m, but no
    # exact area: south street 1000 m + 100 m of bridge, buffered 20 m both sides, rounded ends
    assert area.area == pytest.approx(1100 * 40 + np.pi * 20**2, rel=0.02)
    grid = service_area(river_town, clinic, cutoff_m=1100, buffer_m=20, resolution_m=4)
    assert grid.symmetric_difference(area).area < 0.1 * area.area


def test_service_area_partial_edge_around_a_facility_in_the_middle() -> None:
    graph, _ = make_graph({"a": (0, 0), "b": (3000, 0)}, [("a", "b")])
    fac = snap_points(graph, *pts((1500, 0)), max_snap_m=1)
    area = service_area(graph, fac, cutoff_m=300, buffer_m=10, resolution_m=None)
    minx, _, maxx, _ = area.bounds
    assert minx == pytest.approx(1190, abs=1) and maxx == pytest.approx(1810, abs=1)
