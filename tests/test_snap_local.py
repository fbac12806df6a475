"""Snapping a few points with an index of only the edges near them gives the whole network's answer.

``snap_points`` builds the KD-tree of every edge piece once per graph; for a few points (facilities) on a
large network with no index yet it indexes only the segments :func:`near_segments` keeps. These tests
compare both indexes point by point (edge, position, distance, snapped xy, bit for bit) on generated
networks with straight and bent edges, streets off the ground, points inside and outside the network's
extent, and snapping limits from 0 to beyond the network.
"""

from __future__ import annotations

import numpy as np
import pytest

from coverage_planner.network import WalkGraph, snap_points
from coverage_planner.network import snap as snap_module
from coverage_planner.network.graph import SegmentTable
from coverage_planner.network.synthetic import _with_bends, city_network


@pytest.fixture(scope="module")
def town() -> WalkGraph:
    return city_network(6_000, seed=4)


@pytest.fixture(scope="module")
def bent_town(town: WalkGraph) -> WalkGraph:
    return _with_bends(town, 3, np.random.default_rng(2))


def _points(graph: WalkGraph, n: int, seed: int, margin_m: float = 400.0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(graph.node_x_m.min() - margin_m, graph.node_x_m.max() + margin_m, n)
    y = rng.uniform(graph.node_y_m.min() - margin_m, graph.node_y_m.max() + margin_m, n)
    return x, y


def _same(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...]) -> None:
    for got, want in zip(a, b, strict=True):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("max_snap_m", [0.0, 12.5, 50.0, 300.0, 5_000.0])
@pytest.mark.parametrize("bends", [False, True])
def test_local_index_snaps_like_the_whole_network(
    town: WalkGraph, bent_town: WalkGraph, max_snap_m: float, bends: bool
) -> None:
    graph = bent_town if bends else town
    x, y = _points(graph, 300, seed=int(max_snap_m) + 7 * bends)
    x[:50], y[:50] = graph.node_x_m[:50], graph.node_y_m[:50]  # exactly on nodes: ties between edges
    whole = snap_module._EdgeIndex(graph, 100.0)
    keep = snap_module.near_segments(graph, x, y, max_snap_m)
    local = snap_module._EdgeIndex(graph, 100.0, segments=keep)
    assert local.n_pieces < whole.n_pieces or max_snap_m >= 5_000.0
    _same(local.nearest(x, y, max_snap_m), whole.nearest(x, y, max_snap_m))


def test_near_segments_keeps_every_segment_within_reach(bent_town: WalkGraph) -> None:
    """Brute force: every segment whose distance to some point is <= reach is kept."""
    seg = bent_town.segments
    x, y = _points(bent_town, 40, seed=3)
    reach = 60.0
    kept = np.zeros(seg.ax.size, dtype=bool)
    kept[snap_module.near_segments(bent_town, x, y, reach)] = True
    dx, dy = seg.bx - seg.ax, seg.by - seg.ay
    l2 = dx * dx + dy * dy
    for px, py in zip(x, y, strict=True):
        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.clip(((px - seg.ax) * dx + (py - seg.ay) * dy) / l2, 0, 1)
        t = np.where(l2 > 0, t, 0.0)
        d = np.hypot(px - seg.ax - t * dx, py - seg.ay - t * dy)
        assert kept[d <= reach].all()
    assert 0 < kept.sum() < kept.size


def test_snap_points_few_points_uses_local_index_and_matches(town: WalkGraph) -> None:
    """Through the public function: a fresh graph (no index yet) snaps a few points with a local index and
    gives the same Snap as once the whole network's index exists; levels (off-ground streets) included."""
    off = np.zeros(town.n_edges, dtype=bool)
    off[::7] = True
    graph = WalkGraph.from_edges(
        town.node_x_m, town.node_y_m, town.edge_u, town.edge_v, crs=town.crs, edge_off_ground=off
    )
    x, y = _points(graph, 60, seed=11, margin_m=0.0)
    first = snap_points(graph, x, y, max_snap_m=40.0)
    assert not snap_module._INDEX_CACHE.get(graph)  # the local index was not kept
    second = snap_points(graph, x, y, max_snap_m=40.0)  # a second call on the graph: the whole index, kept
    assert set(snap_module._INDEX_CACHE[graph]) == {(100.0, True), (100.0, False)}
    for name in ("edge", "along_m", "offset_m", "snapped_x_m", "snapped_y_m", "off_ground_fallback"):
        np.testing.assert_array_equal(getattr(first, name), getattr(second, name))
    assert first.off_ground_fallback is not None


def test_straight_segment_table_equals_the_general_one(town: WalkGraph, bent_town: WalkGraph) -> None:
    """The shortcut for graphs without bends computes the general path's arrays exactly."""
    fast, general = SegmentTable._straight(town), SegmentTable._polylines(town)
    assert SegmentTable.of(town).ax is not None and SegmentTable.of(bent_town).ax.size == 4 * town.n_edges
    for name, value in general.__dict__.items():
        np.testing.assert_array_equal(fast.__dict__[name], value, err_msg=name)


def test_no_edge_in_reach_of_any_point(town: WalkGraph) -> None:
    """Points far outside the network: the local index is empty and every point has no access, as with the
    whole network's index."""
    x = np.array([town.node_x_m.max() + 5_000.0, town.node_x_m.min() - 7_000.0])
    y = np.array([town.node_y_m.max() + 5_000.0, town.node_y_m.min()])
    keep = snap_module.near_segments(town, x, y, 100.0)
    assert keep.size == 0
    local = snap_module._EdgeIndex(town, 100.0, segments=keep)
    _same(local.nearest(x, y, 100.0), snap_module._EdgeIndex(town, 100.0).nearest(x, y, 100.0))
    fresh = WalkGraph.from_edges(town.node_x_m, town.node_y_m, town.edge_u, town.edge_v, crs=town.crs)
    snap = snap_points(fresh, x, y, max_snap_m=100.0)
    assert (snap.edge == -1).all() and np.isinf(snap.offset_m).all()
