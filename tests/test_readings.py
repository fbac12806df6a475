"""The plans' readings (TARGETS.md, "Readings that the first list got wrong"), on the tiny city with known answers.

* spacing: the headline is the longest distance between neighbouring stations; the largest empty circle is a
  second figure. On a triangular lattice of spacing d both are known: d and d/√3.
* built-in-period counts: only what opened or was extended 2021–2025 counts, not the stock.
* a city figure (每万人…) is judged on the city value, the districts are detail.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import yaml
from conftest import TINY_SCENARIO, pt, to_wgs, write_tiny

from coverage_planner.studies.check import run_check

D_M = 400.0  # lattice spacing


def _lattice(d: float) -> list:
    """A triangular lattice of spacing d over and around the tiny territory (2 km × 1 km)."""
    out = []
    for j in range(int(3000 / (d * math.sqrt(3) / 2))):
        y = -800 + j * d * math.sqrt(3) / 2
        for i in range(int(4000 / d)):
            out.append(pt(-900 + i * d + (j % 2) * d / 2, y))
    return out


def _layers(tmp_path: Path) -> Path:
    folder = write_tiny(tmp_path / "tiny")
    stations = to_wgs(gpd.GeoDataFrame({"name": [f"台{i}" for i in range(len(_lattice(D_M)))]},
                                       geometry=_lattice(D_M)))
    stations.to_file(folder / "facilities.gpkg", layer="seismic_station")
    schools = to_wgs(gpd.GeoDataFrame(
        {"name": ["老校", "新校", "扩建校", "旧扩建校", "规划校"], "open_year": [1990, 2022, 1985, 1970, 2027],
         "extended_year": [0, 0, 2024, 2018, 0]},
        geometry=[pt(100, 100), pt(300, 300), pt(600, 600), pt(1200, 300), pt(1500, 800)]))
    schools.to_file(folder / "facilities.gpkg", layer="school")
    culture = to_wgs(gpd.GeoDataFrame({"name": ["馆"], "floor_area_m2": [300.0]}, geometry=[pt(500, 500)]))
    culture.to_file(folder / "facilities.gpkg", layer="culture_facility")
    doc = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    for role in ("seismic_station", "school", "culture_facility"):
        doc["facilities"][role] = {"path": "facilities.gpkg", "layer": role}
    (folder / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return folder


TARGETS = """
  - id: spacing
    kind: spacing
    title: {zh: 台间距, en: Spacing}
    plan: ps
    quote: "测震站间距小于30千米"
    layer: seismic_station
    spacing_km: SPACING
    threshold: {max: SPACING}
    grid_m: 50
  - id: built
    kind: count
    title: {zh: 新建改扩建中小学, en: Schools built or extended}
    plan: ps
    quote: "新建、改扩建中小学"
    layer: school
    built_from: 2021
    threshold: {min: 3}
  - id: stock
    kind: count
    title: {zh: 中小学, en: Schools}
    plan: ps
    quote: "中小学"
    layer: school
    threshold: {min: 3}
  - id: culture
    kind: ratio
    title: {zh: 每万人公共文化设施建筑面积, en: Culture floor area}
    plan: ps
    quote: "每万人拥有公共文化设施建筑面积"
    layer: culture_facility
    capacity: floor_area_m2
    per: 10000
    level: district
    judge: city
    threshold: {min: 2000}
"""


def _run(tmp_path: Path, spacing_km: float) -> dict:
    sc = tmp_path / f"s{spacing_km}.yaml"
    sc.write_text(TINY_SCENARIO + TARGETS.replace("SPACING", str(spacing_km)), encoding="utf-8")
    return {r.id: r for r in run_check(sc, _layers(tmp_path / str(spacing_km))).results}


def test_spacing_headline_is_a_distance_between_stations(tmp_path):
    r = _run(tmp_path, 0.41)["spacing"]
    assert r.status == "pass" and r.threshold_max == pytest.approx(0.41)
    assert r.value == pytest.approx(D_M / 1000, rel=1e-9)  # every neighbouring pair is d apart
    assert r.details["delaunay_max_km"] == pytest.approx(D_M / 1000, rel=1e-9)
    assert r.details["nn_mean_km"] == pytest.approx(D_M / 1000, rel=1e-9)
    # the second figure: a triangle's circumcentre is d/√3 from its three stations
    assert r.details["largest_empty_circle_km"] == pytest.approx(D_M / 1000 / math.sqrt(3), rel=1e-9)
    assert r.details["largest_empty_circle_allowed_km"] == pytest.approx(0.41 / math.sqrt(3))
    assert "neighbouring stations" in r.summary_en and "largest empty circle" in r.summary_en
    assert "spacing" not in r.summary_en.split("largest empty circle")[1].split(";")[0]
    assert r.gap is None


def test_spacing_just_under_the_lattice_fails_with_stations_needed(tmp_path):
    r = _run(tmp_path, 0.39)["spacing"]
    assert r.status == "fail" and r.value == pytest.approx(0.4)
    assert r.gap is not None and r.gap.unit_en == "stations" and r.gap.quantity >= 1
    assert r.gap.text_en.startswith(f"About {int(r.gap.quantity)} new station")


def test_counts_built_in_the_period_leave_the_stock_out(tmp_path):
    res = _run(tmp_path, 0.41)
    built, stock = res["built"], res["stock"]
    assert stock.value == 4  # the planned 2027 school is not there yet
    assert built.value == 2  # opened 2022, extended 2024; not the 2018 extension nor the old ones
    assert built.status == "fail" and built.gap.quantity == 1
    assert "2021–2025" in built.summary_en and built.details["stock"] == 4


def test_a_city_figure_is_judged_on_the_city(tmp_path):
    r = _run(tmp_path, 0.41)["culture"]
    # 300 m² for 1,500 people: 2,000 per 10 000 in the city (passes); district B has none (would fail alone)
    by_name = {u.name: u for u in r.units}
    assert by_name["乙县"].value == 0 and by_name["乙县"].status == "fail"
    assert by_name["甲区"].value == pytest.approx(3000)
    assert r.status == "pass" and r.value == pytest.approx(300 / 1500 * 10000)
    assert "City figure" in r.summary_en and "detail" in r.summary_en
    assert np.isfinite(r.details["city_value"])


def test_shelter_planning_checks_stand_on_their_own():
    """The plan's shelter target is the built-up-area average; the GB 50413 per-person minima are planning checks
    with their own ids and labels (not ``shelter-area-per-capita:`` sub-targets)."""
    from coverage_planner.model.scenario import load_scenario

    sc = load_scenario(2025)
    ids = [t.id for t in sc.targets]
    assert not [i for i in ids if i.startswith("shelter-area-per-capita:")]
    plan = sc.target("shelter-area-per-capita")
    assert plan.kind == "ratio" and plan.param("area") == "built_up"
    for check_id in ("shelter-check-emergency-500m", "shelter-check-fixed-2500m"):
        spec = sc.target(check_id)
        assert spec.kind == "catchment_capacity"
        assert spec.title_en.startswith("Planning check (GB 50413, not the plan's target)")
        assert spec.title_zh.startswith("规划校核(GB 50413)")
