"""walk_access / catchment_capacity / radius_coverage through the whole pipeline on the tiny city."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import yaml
from conftest import pt, to_wgs, write_grid_osm

from coverage_planner.studies.check import run_check

SCENARIO = """
year: 2025
plans: {ps: {title: 测试规划}}
targets:
  - id: fit
    kind: walk_access
    title: {zh: 健身圈, en: Fitness walk}
    plan: ps
    quote: "q"
    layer: fitness
    distance_m: 500
    level: district
    threshold: {min: 0.5}
  - id: shelter-capacity
    kind: catchment_capacity
    title: {zh: 人均避难面积, en: Shelter per person}
    plan: ps
    quote: "q"
    layer: shelter
    capacity: effective_area_m2
    catchment_m: 300
    norm: 1.0
    level: district
    threshold: {min: 0.1}
  - id: radio
    kind: radius_coverage
    title: {zh: 广播, en: Broadcast}
    plan: ps
    quote: "q"
    layer: fitness
    radius_m: 260
    level: district
    threshold: {min: 0.1}
"""

FACILITY = (900.0, 50.0)  # on the street y = 50, just west of the river
SHELTER = (300.0, 280.0)  # 30 m north of the street y = 250 (50 m from the nearest north-south streets)


def _layers(tiny, with_network: bool):
    layers, _ = tiny
    to_wgs(gpd.GeoDataFrame({"name": ["河边健身点"]}, geometry=[pt(*FACILITY)])).to_file(
        layers / "facilities.gpkg", layer="fitness")
    to_wgs(gpd.GeoDataFrame({"name": ["公园"], "effective_area_m2": [1200.0]}, geometry=[pt(*SHELTER)])).to_file(
        layers / "facilities.gpkg", layer="shelter")
    doc = yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))
    doc["facilities"]["fitness"] = {"path": "facilities.gpkg", "layer": "fitness"}
    if with_network:
        write_grid_osm(layers / "walk.osm")
        doc["networks"] = {"walk": {"path": "walk.osm"}}
    (layers / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    sc = layers.parent / "access.yaml"
    sc.write_text(SCENARIO, encoding="utf-8")
    return {r.id: r for r in run_check(sc, layers).results}


def _grid():
    xs, ys = np.meshgrid(np.arange(50.0, 2000.0, 100.0), np.arange(50.0, 1000.0, 100.0))
    people = np.where(xs < 1000, 10.0, 5.0)
    return xs.ravel(), ys.ravel(), people.ravel()


def test_river_with_one_bridge_network_says_not_covered(tiny):
    res = _layers(tiny, with_network=True)["fit"]
    x, y, people = _grid()
    # every cell centre is a street node: network distance = Manhattan distance west of the river;
    # east of it the only way is the bridge at y = 950 (>= 1800 m away), so nobody there is covered
    reach = (x < 1000) & (np.abs(x - FACILITY[0]) + np.abs(y - FACILITY[1]) <= 500 + 1e-6)
    expected = people[reach].sum() / people.sum()
    assert res.value == pytest.approx(expected)
    assert not res.approximate
    by = {u.name: u for u in res.units}
    assert by["乙县"].value == 0 and by["乙县"].gap == 500
    assert res.geo["service_area"].geometry.iloc[0].area > 0
    assert res.geo["uncovered_cells"]["people"].sum() == pytest.approx(people.sum() - people[reach].sum())


def test_without_network_straight_line_is_flagged_approximate(tiny):
    res = _layers(tiny, with_network=False)["fit"]
    x, y, people = _grid()
    reach = np.hypot(x - FACILITY[0], y - FACILITY[1]) * 1.3 <= 500 + 1e-6
    assert res.value == pytest.approx(people[reach].sum() / people.sum())
    assert res.approximate
    assert any("APPROXIMATE" in a for a in res.assumptions)
    # straight line crosses the river: some of 乙县 is "covered", which the network disproves
    assert {u.name: u for u in res.units}["乙县"].value > 0


def test_catchment_capacity_by_hand(tiny):
    res = _layers(tiny, with_network=True)["shelter-capacity"]
    x, y, people = _grid()
    # one shelter of 1200 m² at (300, 280): it joins the street y = 250 at (300, 250), 30 m away, and
    # from there every cell centre (a street node) is its Manhattan distance along the grid
    d = 30 + np.abs(x - 300) + np.abs(y - 250)
    within = (d <= 300 + 1e-6) & (x < 1000)
    ratio = 1200 / people[within].sum()
    ok = within & (ratio >= 1.0)
    assert res.value == pytest.approx(people[ok].sum() / people.sum())
    assert res.details["mean_per_person"] == pytest.approx(ratio * people[within].sum() / people.sum())


def test_radius_coverage(tiny):
    res = _layers(tiny, with_network=False)["radio"]
    x, y, people = _grid()
    inside = np.hypot(x - FACILITY[0], y - FACILITY[1]) <= 260  # no cell centre lies near 260 m
    assert res.value == pytest.approx(people[inside].sum() / people.sum())
    assert not res.approximate


def test_walk_targets_use_the_region_s_walk_graph(monkeypatch) -> None:  # noqa: ANN001
    """Issue 20: the walk network is loaded once per run: the targets take the graph the region's data checks
    loaded, not a second copy from the cache file."""
    from types import SimpleNamespace

    from coverage_planner.targets import access

    graph = object()
    region = SimpleNamespace(walk_graph=lambda: graph, spec=None, crs=None)
    monkeypatch.setattr(access.net, "load_walk_network", lambda *a, **k: pytest.fail("loaded a second time"))
    ctx = SimpleNamespace(cache={}, region=region)
    assert access.network_for(ctx, "walk") is graph
    assert ctx.cache["network:walk"] is graph
