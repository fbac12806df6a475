"""Snapped population cached with the network: a warm run snaps nothing and gets the same Snap."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import numpy as np
import pytest

from coverage_planner.network import Snap, snap_points
from coverage_planner.network import snap_cache as sc
from coverage_planner.network.synthetic import city_network


@pytest.fixture(scope="module")
def city():  # noqa: ANN201
    graph = city_network(3_000, seed=4)
    rng = np.random.default_rng(5)
    x = rng.uniform(graph.node_x_m.min() - 400, graph.node_x_m.max() + 400, 5_000)
    y = rng.uniform(graph.node_y_m.min() - 400, graph.node_y_m.max() + 400, 5_000)
    return graph, x, y


def assert_same_snap(a: Snap, b: Snap) -> None:
    for f in dataclasses.fields(Snap):
        va, vb = getattr(a, f.name), getattr(b, f.name)
        if isinstance(va, np.ndarray):
            assert va.dtype == vb.dtype, f.name
            np.testing.assert_array_equal(va, vb, err_msg=f.name)
        else:
            assert va == vb, f.name


def test_warm_run_snaps_nothing_and_equals_a_fresh_snap(city, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    graph, x, y = city
    fresh = snap_points(graph, x, y)
    assert (~fresh.has_access).any() and fresh.has_access.any()  # both kinds of points are in the test
    cold = sc.cached_snap_points(graph, x, y, cache_dir=tmp_path)
    assert_same_snap(cold, fresh)
    assert len(list(tmp_path.glob("snap-walk-*.npz"))) == 1

    def no_snapping(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("a warm run must not snap")

    monkeypatch.setattr(sc, "snap_points", no_snapping)
    warm = sc.cached_snap_points(graph, x, y, cache_dir=tmp_path)
    assert_same_snap(warm, fresh)


def test_a_cached_snap_keeps_its_off_ground_fallbacks(city, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    graph, x, y = city
    off = np.zeros(graph.n_edges, dtype=bool)
    off[::3] = True  # every third edge a tunnel or bridge: some points have only those within reach
    layered = dataclasses.replace(graph, edge_off_ground=off)
    fresh = snap_points(layered, x, y)
    assert fresh.off_ground_fallback is not None and fresh.n_off_ground_fallback > 0
    assert_same_snap(sc.cached_snap_points(layered, x, y, cache_dir=tmp_path), fresh)
    monkeypatch.setattr(sc, "snap_points", lambda *a, **k: pytest.fail("a warm run must not snap"))
    assert_same_snap(sc.cached_snap_points(layered, x, y, cache_dir=tmp_path), fresh)


def test_owners_are_part_of_the_key(city, tmp_path: Path) -> None:  # noqa: ANN001
    graph, x, y = city
    owner = np.arange(x.size) // 2
    a = sc.cached_snap_points(graph, x, y, cache_dir=tmp_path, owner=owner)
    assert_same_snap(a, snap_points(graph, x, y, owner=owner))
    b = sc.cached_snap_points(graph, x, y, cache_dir=tmp_path)
    assert b.n_owners == x.size and a.n_owners == x.size // 2
    assert len(list(tmp_path.glob("snap-*.npz"))) == 2


def test_changed_grid_network_or_option_is_a_miss(city, tmp_path: Path) -> None:  # noqa: ANN001
    graph, x, y = city
    base = sc.snap_cache_key(graph, x, y)
    x2 = x.copy()
    x2[17] += 1.0
    assert sc.snap_cache_key(graph, x2, y) != base
    assert sc.snap_cache_key(graph, x, y, max_snap_m=250.0) != base
    other = city_network(3_000, seed=5)
    assert sc.snap_cache_key(other, x, y) != base
    # a moved cell is snapped again, not served from the old entry
    sc.cached_snap_points(graph, x, y, cache_dir=tmp_path)
    moved = sc.cached_snap_points(graph, x2, y, cache_dir=tmp_path)
    assert_same_snap(moved, snap_points(graph, x2, y))


def test_snapping_rules_are_part_of_the_key(city, monkeypatch) -> None:  # noqa: ANN001
    graph, x, y = city
    base = sc.snap_cache_key(graph, x, y)
    monkeypatch.setattr(sc, "_rules_digest", lambda: "another snap.py")
    assert sc.snap_cache_key(graph, x, y) != base


def test_corrupt_cache_file_is_ignored_and_rewritten(city, tmp_path: Path, caplog) -> None:  # noqa: ANN001
    graph, x, y = city
    fresh = sc.cached_snap_points(graph, x, y, cache_dir=tmp_path)
    (path,) = tmp_path.glob("snap-*.npz")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING):
        again = sc.cached_snap_points(graph, x, y, cache_dir=tmp_path)
    assert "computing it again" in caplog.text  # the flipped byte fails its CRC-32
    assert_same_snap(again, fresh)
    # rewritten: the next run reads it without complaint
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        sc.cached_snap_points(graph, x, y, cache_dir=tmp_path)
    assert caplog.text == ""


def test_half_written_cache_file_is_rebuilt_not_trusted(city, tmp_path: Path, caplog) -> None:  # noqa: ANN001
    """A file cut short (a run killed while writing, without the atomic rename) is snapped again and rewritten."""
    graph, x, y = city
    fresh = sc.cached_snap_points(graph, x, y, cache_dir=tmp_path)
    (path,) = tmp_path.glob("snap-*.npz")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with caplog.at_level(logging.WARNING):
        again = sc.cached_snap_points(graph, x, y, cache_dir=tmp_path)
    assert "cannot be read" in caplog.text
    assert_same_snap(again, fresh)
    assert sc._read(path, sc.snap_cache_key(graph, x, y)) is not None  # whole again
