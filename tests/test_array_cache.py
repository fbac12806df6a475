"""Answers cached on disk between runs (array_cache): a warm run reads them, a changed input computes them again."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np
import pytest
import shapely
from affine import Affine
from pyproj import CRS

from coverage_planner import array_cache as ac
from coverage_planner.model.population import GridInfo, PopulationGrid
from coverage_planner.model.results import TargetResult
from coverage_planner.network.straight_line import any_within_m
from coverage_planner.targets.access import cells_within_radius

UTM = CRS.from_epsg(32650)


def _counting(value: np.ndarray) -> tuple[list[int], object]:
    calls: list[int] = []

    def compute() -> dict[str, np.ndarray]:
        calls.append(1)
        return {"a": value}

    return calls, compute


def _count_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[int]:
    """Replace ``owner.name`` by a twin that records each call (one 1 per call) and runs the real one."""
    calls: list[int] = []
    real = getattr(owner, name)

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def test_second_call_reads_the_file_and_a_new_key_computes_again(tmp_path: Path) -> None:
    value = np.arange(10, dtype=np.int32)
    calls, compute = _counting(value)
    key = ac.content_key("t", value)
    first = ac.cached_arrays("demo_kind", key, compute, cache_dir=tmp_path)
    second = ac.cached_arrays("demo_kind", key, compute, cache_dir=tmp_path)
    assert len(calls) == 1
    assert second["a"].dtype == value.dtype
    np.testing.assert_array_equal(first["a"], value)
    np.testing.assert_array_equal(second["a"], value)
    changed = value.copy()
    changed[3] = 99
    new_key = ac.content_key("t", changed)
    assert new_key != key
    ac.cached_arrays("demo_kind", new_key, compute, cache_dir=tmp_path)
    assert len(calls) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"demo_kind-{k}.npz" for k in (key, new_key))


def test_keys_frame_their_parts() -> None:
    assert ac.content_key("ab", "c") != ac.content_key("a", "bc")
    assert ac.content_key(np.zeros(2, np.int32)) != ac.content_key(np.zeros(1, np.int64))
    assert ac.content_key(np.zeros(4, np.int16)) != ac.content_key(np.zeros((2, 2), np.int16))
    assert ac.content_key(1) != ac.content_key(1.0)
    with pytest.raises(TypeError):
        ac.content_key(np.array([object()]))


def test_a_damaged_file_is_computed_again_and_rewritten(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    value = np.linspace(0, 1, 50)
    calls, compute = _counting(value)
    key = ac.content_key("damaged", value)
    ac.cached_arrays("demo_kind", key, compute, cache_dir=tmp_path)
    path = tmp_path / f"demo_kind-{key}.npz"
    path.write_bytes(path.read_bytes()[:-40])
    with caplog.at_level(logging.WARNING):
        again = ac.cached_arrays("demo_kind", key, compute, cache_dir=tmp_path)
    assert len(calls) == 2
    assert "computing it again" in caplog.text
    np.testing.assert_array_equal(again["a"], value)
    ac.cached_arrays("demo_kind", key, compute, cache_dir=tmp_path)  # the rewritten file is good
    assert len(calls) == 2
    data = bytearray(path.read_bytes())  # one flipped byte inside the array: its CRC-32 fails as it is read
    data[data.index(value.tobytes()[:16]) + 100] ^= 0x40
    path.write_bytes(bytes(data))
    flipped = ac.cached_arrays("demo_kind", key, compute, cache_dir=tmp_path)
    assert len(calls) == 3
    np.testing.assert_array_equal(flipped["a"], value)


def test_a_file_of_another_key_is_not_used(tmp_path: Path) -> None:
    value = np.ones(5)
    calls, compute = _counting(value)
    key_a, key_b = ac.content_key("a"), ac.content_key("b")
    ac.cached_arrays("demo_kind", key_a, compute, cache_dir=tmp_path)
    (tmp_path / f"demo_kind-{key_a}.npz").rename(tmp_path / f"demo_kind-{key_b}.npz")
    ac.cached_arrays("demo_kind", key_b, compute, cache_dir=tmp_path)
    assert len(calls) == 2


def test_bad_names_and_no_folder(tmp_path: Path) -> None:
    calls, compute = _counting(np.ones(2))
    with pytest.raises(ValueError, match="bad cache"):
        ac.cached_arrays("../x", ac.content_key(), compute, cache_dir=tmp_path)
    with pytest.raises(ValueError, match="bad cache"):
        ac.cached_arrays("x", "../../etc", compute, cache_dir=tmp_path)
    ac.cached_arrays("x", ac.content_key(), compute, cache_dir=None)
    ac.cached_arrays("x", ac.content_key(), compute, cache_dir=None)
    assert len(calls) == 2
    assert not list(tmp_path.iterdir())


def _grid() -> PopulationGrid:
    """A 20 x 30 grid of 100 m cells (every cell inhabited) in a UTM zone."""
    transform = Affine(100.0, 0.0, 500_000.0, 0.0, -100.0, 3_000_000.0)
    rows, cols = np.divmod(np.arange(20 * 30), 30)
    x = transform.c + (cols + 0.5) * 100.0
    y = transform.f - (rows + 0.5) * 100.0
    info = GridInfo(transform, UTM, (20, 30), rows.astype(np.int64), cols.astype(np.int64))
    return PopulationGrid(x, y, {"total": np.ones(x.size)}, 100.0, UTM, (), info)


def _expected_index(grid: PopulationGrid, polys: np.ndarray) -> np.ndarray:
    out = np.full(len(grid), -1, dtype=np.int64)
    for i, p in enumerate(polys):  # first polygon wins where they overlap (none here)
        inside = shapely.contains_xy(p, grid.x_m, grid.y_m) & (out < 0)
        out[inside] = i
    return out


def test_polygon_index_is_cached_and_a_moved_border_is_rasterised_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from rasterio import features

    grid = _grid()
    west = shapely.box(500_000, 2_998_000, 501_500, 3_000_000)
    east = shapely.box(501_500, 2_998_000, 503_000, 3_000_000)
    polys = np.array([west, east])
    cold = grid.polygon_index(polys, UTM)
    np.testing.assert_array_equal(cold, _expected_index(grid, polys))
    assert cold.dtype == np.int64

    def no_rasterising(*args: object, **kwargs: object) -> None:
        raise AssertionError("rasterised although the answer is cached")

    with monkeypatch.context() as m:
        m.setattr(features, "rasterize", no_rasterising)
        warm = grid.polygon_index(polys, UTM)
    np.testing.assert_array_equal(warm, cold)
    assert warm.dtype == cold.dtype

    moved = np.array([shapely.box(500_000, 2_998_000, 502_000, 3_000_000),
                      shapely.box(502_000, 2_998_000, 503_000, 3_000_000)])
    again = grid.polygon_index(moved, UTM)  # not the cached answer of the old borders
    np.testing.assert_array_equal(again, _expected_index(grid, moved))
    assert (again != cold).any()

    other = _grid()
    other_rows = other.grid.rows.copy()
    other_rows[:30] = 5  # the same polygons on another grid: another key
    changed = PopulationGrid(other.x_m, other.y_m, other.counts, 100.0, UTM, (),
                             GridInfo(other.grid.transform, UTM, (20, 30), other_rows, other.grid.cols))
    assert changed.grid.content_key != grid.grid.content_key


def test_cells_within_radius_is_cached_and_a_moved_centre_searches_again(monkeypatch: pytest.MonkeyPatch) -> None:
    import coverage_planner.targets.access as access

    grid = _grid()
    rng = np.random.default_rng(3)
    asked = rng.random(len(grid)) < 0.8
    cx, cy = np.array([500_700.0, 502_400.0]), np.array([2_999_000.0, 2_998_600.0])
    radii = np.array([400.0, 250.0])
    cold = cells_within_radius(grid, asked, cx, cy, radii)
    expected = np.zeros(len(grid), dtype=bool)
    expected[asked] = any_within_m(grid.x_m[asked], grid.y_m[asked], cx, cy, radii)
    np.testing.assert_array_equal(cold, expected)
    assert 0 < cold.sum() < asked.sum()

    def no_search(*args: object, **kwargs: object) -> None:
        raise AssertionError("searched although the answer is cached")

    with monkeypatch.context() as m:
        m.setattr(access, "any_within_m", no_search)
        warm = cells_within_radius(grid, asked, cx, cy, radii)
    np.testing.assert_array_equal(warm, cold)

    moved_x = cx + np.array([0.0, -900.0])
    again = cells_within_radius(grid, asked, moved_x, cy, radii)
    expected_again = np.zeros(len(grid), dtype=bool)
    expected_again[asked] = any_within_m(grid.x_m[asked], grid.y_m[asked], moved_x, cy, radii)
    np.testing.assert_array_equal(again, expected_again)
    assert (again != cold).any()
    fewer = asked & (rng.random(len(grid)) < 0.5)
    np.testing.assert_array_equal(cells_within_radius(grid, fewer, cx, cy, radii), cold & fewer)


def _cold_then_warm(tiny, monkeypatch: pytest.MonkeyPatch, target: str, search: str  # noqa: ANN001
                    ) -> tuple[TargetResult, TargetResult, list[int]]:
    """``target`` of the access scenario checked cold, then again with ``coverage_planner.network.<search>``
    counted: (cold result, warm result, the calls counted). The warm run must read its answer, not search."""
    from test_access_kinds import _layers

    import coverage_planner.network as net
    from coverage_planner.studies.check import run_check

    first = _layers(tiny, with_network=True)[target]
    layers, _ = tiny
    searches = _count_calls(monkeypatch, net, search)
    again = run_check(layers.parent / "access.yaml", layers, targets=[target]).result(target)
    assert not searches  # the warm run read the answer
    return first, again, searches


def test_catchment_answer_is_cached_and_a_changed_capacity_searches_again(tiny, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import geopandas as gpd
    from conftest import pt, to_wgs
    from test_access_kinds import SHELTER, _grid

    from coverage_planner.studies.check import run_check

    first, again, searches = _cold_then_warm(tiny, monkeypatch, "shelter-capacity", "two_step_fca")
    layers, _ = tiny
    scenario = layers.parent / "access.yaml"
    assert (again.value, again.details["mean_per_person"]) == (first.value, first.details["mean_per_person"])

    to_wgs(gpd.GeoDataFrame({"name": ["公园"], "effective_area_m2": [300.0]}, geometry=[pt(*SHELTER)])).to_file(
        layers / "facilities.gpkg", layer="shelter")
    smaller = run_check(scenario, layers, targets=["shelter-capacity"]).result("shelter-capacity")
    assert searches == [1]  # another capacity: another key
    x, y, people = _grid()
    within = (30 + np.abs(x - 300) + np.abs(y - 250) <= 300 + 1e-6) & (x < 1000)
    ratio = 300 / people[within].sum()
    assert smaller.details["mean_per_person"] == pytest.approx(ratio * people[within].sum() / people.sum())
    assert smaller.details["mean_per_person"] == pytest.approx(first.details["mean_per_person"] / 4)


def test_seismic_thresholds_are_cached_and_a_quieter_station_recomputes(monkeypatch: pytest.MonkeyPatch) -> None:
    from coverage_planner.seismic import detection as det
    from coverage_planner.seismic import ranked
    from coverage_planner.seismic.magnitude import _calibration

    monkeypatch.setattr(det, "CACHE_MIN_POINTS", 0)  # the demo's grids are large; here a small one is cached too
    rng = np.random.default_rng(2)
    sx, sy = rng.uniform(0, 60_000, 12), rng.uniform(0, 40_000, 12)
    lg = np.log10(rng.uniform(0.01, 0.05, 12) * 2)  # unequal noise: the ranked search decides
    px, py = rng.uniform(-5_000, 65_000, 3_000), rng.uniform(-5_000, 45_000, 3_000)
    calib = _calibration("hutton_boore", "hypocentral")
    stations = det._Stations.of(sx, sy, lg)
    assert not stations.uniform
    expected = ranked.nth_smallest(stations.terms, px, py, calib, depth_km=10.0, n=4)
    quieter_lg = lg.copy()
    quieter_lg[np.argmin(np.hypot(sx - 30_000, sy - 20_000))] -= 1.0  # the central station ten times quieter
    quieter = det._Stations.of(sx, sy, quieter_lg)
    expected_quieter = ranked.nth_smallest(quieter.terms, px, py, calib, depth_km=10.0, n=4)
    assert (expected_quieter != expected).any()

    np.testing.assert_array_equal(det._mc(stations, px, py, calib, depth_km=10.0, n_req=4), expected)

    def no_search(*args: object, **kwargs: object) -> None:
        raise AssertionError("searched although the answer is cached")

    with monkeypatch.context() as m:
        m.setattr(det, "nth_smallest", no_search)
        np.testing.assert_array_equal(det._mc(stations, px, py, calib, depth_km=10.0, n_req=4), expected)
    np.testing.assert_array_equal(det._mc(quieter, px, py, calib, depth_km=10.0, n_req=4), expected_quieter)
    np.testing.assert_array_equal(det._mc(stations, px, py, calib, depth_km=12.0, n_req=4),
                                  ranked.nth_smallest(stations.terms, px, py, calib, depth_km=12.0, n=4))


def test_walk_distances_are_cached_and_a_moved_facility_searches_again(tiny, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import geopandas as gpd
    from conftest import pt, to_wgs

    from coverage_planner.studies.check import run_check

    first, again, searches = _cold_then_warm(tiny, monkeypatch, "fit", "nearest_facility_distance_m")
    layers, _ = tiny
    scenario = layers.parent / "access.yaml"
    assert again.value == first.value and again.details["equity"] == first.details["equity"]
    assert [u.value for u in again.units] == [u.value for u in first.units]

    # the fitness point moves to the street y = 250 near the grid's west: other people are within 500 m
    to_wgs(gpd.GeoDataFrame({"name": ["河边健身点"]}, geometry=[pt(300.0, 250.0)])).to_file(
        layers / "facilities.gpkg", layer="fitness")
    moved = run_check(scenario, layers, targets=["fit"]).result("fit")
    assert searches == [1]  # another facility snap: another key
    monkeypatch.setenv("COVERAGE_CACHE_DIR", str(layers.parent / "empty-cache"))
    fresh = run_check(scenario, layers, targets=["fit"]).result("fit")
    assert moved.value == fresh.value and moved.value != first.value


def test_the_folder_keeps_to_its_budget_and_a_file_read_lately_stays(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    keys = [ac.content_key("answer", i) for i in range(3)]
    for i, key in enumerate(keys):  # written in order: 0 oldest
        ac.cached_arrays("answer", key, lambda i=i: {"a": np.full(1000, i, dtype=np.float64)}, cache_dir=tmp_path)
        os.utime(tmp_path / f"answer-{key}.npz", (1_000_000 + i, 1_000_000 + i))
    other = tmp_path / "notes.npz"  # not one of ours: never removed
    other.write_bytes(b"x" * 50_000)
    calls, compute = _counting(np.zeros(1))
    ac.cached_arrays("answer", keys[0], compute, cache_dir=tmp_path)  # a hit: file 0 is now the latest used
    assert not calls
    size = (tmp_path / f"answer-{keys[1]}.npz").stat().st_size
    removed = ac.prune(tmp_path, max_bytes=2 * size)
    assert [p.name for p in removed] == [f"answer-{keys[1]}.npz"]  # used longest ago
    assert (tmp_path / f"answer-{keys[0]}.npz").exists() and (tmp_path / f"answer-{keys[2]}.npz").exists()
    assert other.exists()
    assert ac.prune(tmp_path, max_bytes=0) and not list(tmp_path.glob("answer-*.npz")) and other.exists()

    monkeypatch.setenv("COVERAGE_ARRAY_CACHE_MB", "0.5")
    assert ac.budget_bytes() == 512 * 1024
    monkeypatch.setenv("COVERAGE_ARRAY_CACHE_MB", "lots")
    assert ac.budget_bytes() == ac.DEFAULT_BUDGET_MB * 1024 * 1024


def test_the_cli_prunes_the_cached_answers_at_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from coverage_planner.cli.main import cli

    monkeypatch.setenv("COVERAGE_CACHE_DIR", str(tmp_path))
    folder = ac.array_cache_dir()
    ac.cached_arrays("answer", ac.content_key("x"), lambda: {"a": np.ones(300_000)}, cache_dir=folder)
    assert list(folder.glob("answer-*.npz"))
    monkeypatch.setenv("COVERAGE_ARRAY_CACHE_MB", "1")  # the 2.4 MB file is over the budget
    res = CliRunner().invoke(cli, ["schema"])
    assert res.exit_code == 0, res.output
    assert not list(folder.glob("answer-*.npz"))
