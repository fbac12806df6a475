"""The four table kinds against answers worked out by hand on the tiny city (see conftest.py)."""

from __future__ import annotations

import json

import pytest

from coverage_planner.studies.check import run_check


@pytest.fixture
def results(tiny):
    layers, scenario = tiny
    run = run_check(scenario, layers)
    return {r.id: r for r in run.results}


def test_ratio_per_district(results):
    r = results["slots"]
    by = {u.name: u for u in r.units}
    # 甲区: slots 4 + 2 = 6 over 1000 people -> 6.0 per 1000; 乙县: 1 slot over 500 people -> 2.0
    assert by["甲区"].value == pytest.approx(6.0)
    assert by["乙县"].value == pytest.approx(2.0)
    assert by["甲区"].status == "pass" and by["乙县"].status == "fail"
    # 乙县 needs 4 * 500 / 1000 - 1 = 1 more slot
    assert by["乙县"].gap == 1
    assert r.status == "fail" and r.value == pytest.approx(2.0)
    assert r.gap.quantity == 1 and "乙县 needs 1 more childcare slot (total 1 childcare slot)" in r.gap.text_en
    assert r.details["city_value"] == pytest.approx(7 / 1500 * 1000)


def test_ratio_on_age_group(results):
    # 7 slots over 3 % of 1500 = 45 children -> 155.6 per 1000 children
    r = results["slots-kids"]
    assert r.value == pytest.approx(7 / 45 * 1000)
    assert r.status == "pass"


def test_presence_with_filter_and_classes(results):
    r = results["puhui-street"]
    by = {u.name: u for u in r.units}
    # only the 4-slot 普惠 institution at (200, 200) in 东街道 qualifies; townships are not checked
    assert set(by) == {"东街道", "西街道"}
    assert by["东街道"].status == "pass" and by["西街道"].status == "fail"
    assert r.value == pytest.approx(0.5) and r.status == "fail"
    assert "西街道" in r.gap.text_en


def test_share(results):
    r = results["puhui-share"]
    assert r.value == pytest.approx(5 / 7)
    assert r.status == "fail"
    # 0.9 * 7 - 5 = 1.3 -> 2 more slots must become 普惠
    assert r.gap.quantity == 2


def test_count_respects_year(results):
    r = results["hospitals"]
    # the second hospital opens in 2030: not counted in 2025
    assert r.value == 1 and r.status == "pass"


def test_ratio_city_level(results):
    assert results["beds"].value == pytest.approx(9 / 1500 * 1000)
    assert results["beds"].status == "pass"


def test_ratio_restricted_to_area(results):
    # built-up area = district 甲区 (1000 people); 1200 m² -> 1.2 m² per person < 1.5
    r = results["shelter"]
    assert r.value == pytest.approx(1.2)
    assert r.status == "fail" and r.gap.quantity == 300


def test_json_report_is_stable(tiny):
    from coverage_planner.render.text import render

    layers, scenario = tiny
    a = run_check(scenario, layers)
    b = run_check(scenario, layers)
    ja, jb = render(a.results, a.meta(), fmt="json"), render(b.results, b.meta(), fmt="json")
    doc = json.loads(ja)
    assert doc["summary"] == {"pass": 3, "fail": 4, "no_data": 0}
    keys = set(doc["targets"][0])
    assert {"id", "kind", "status", "value", "threshold", "units", "gap", "assumptions", "quote"} <= keys
    assert ja == jb  # byte-identical: no timings, sorted keys, rounded numbers


def test_population_polygons_give_the_same_answer(tiny):
    """Census-style polygons with counts instead of a raster: same people per district, same verdicts."""
    import geopandas as gpd
    import yaml

    layers, scenario = tiny
    streets = gpd.read_file(layers / "units.gpkg", layer="street")
    streets["people"] = [500, 500, 250, 250]
    streets["kids"] = [15, 15, 7.5, 7.5]
    streets.to_file(layers / "census.gpkg", layer="census")
    doc = yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))
    doc["population"] = {"kind": "polygons", "path": "census.gpkg", "layer": "census", "count_field": "people",
                         "groups": {"age_0_2": "kids"}}
    (layers / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    run = run_check(scenario, layers)
    by = {r.id: r for r in run.results}
    assert run.region.population.total.sum() == pytest.approx(1500)
    units = {u.name: u for u in by["slots"].units}
    assert units["甲区"].population == pytest.approx(1000)
    assert units["乙县"].value == pytest.approx(2.0)
    assert by["slots-kids"].value == pytest.approx(7 / 45 * 1000)
    assert any("spread evenly" in n for n in run.region.notes)
