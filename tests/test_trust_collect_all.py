"""Collect-all validation (issue 19): overlapping units, network islands and every layer problem in one run."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import yaml
from click.testing import CliRunner
from conftest import TINY_SCENARIO, WALK_TARGET, box, to_wgs, write_grid_osm, write_tiny

from coverage_planner.cli.main import cli


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _streets(layers: Path, geoms: list, codes: list[str] | None = None) -> None:
    districts = gpd.read_file(layers / "units.gpkg", layer="district")
    streets = gpd.read_file(layers / "units.gpkg", layer="street")
    streets = gpd.GeoDataFrame(streets.drop(columns="geometry"), geometry=to_wgs(
        gpd.GeoDataFrame(geometry=geoms)).geometry.values, crs="EPSG:4326")
    if codes is not None:
        streets["code"] = codes
    (layers / "units.gpkg").unlink()
    districts.to_file(layers / "units.gpkg", layer="district")
    streets.to_file(layers / "units.gpkg", layer="street")


def test_overlapping_units_are_reported_by_check_and_doctor(tmp_path: Path) -> None:
    layers = write_tiny(tmp_path / "tiny")
    # A2 reaches 100 m into A1: 10 ha and one row of cells (10 cells x 10 people) belong to both
    _streets(layers, [box(0, 0, 1000, 500), box(0, 400, 1000, 1000), box(1000, 0, 2000, 500),
                      box(1000, 500, 2000, 1000)])
    sc = tmp_path / "sc.yaml"
    sc.write_text(TINY_SCENARIO, encoding="utf-8")
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero")
    assert r.exit_code == 0, r.output
    assert "1 pair(s) of street units overlap" in r.output, r.output
    assert "A1 (东街道) and A2 (西街道): 10.0 ha, 100 people" in r.output, r.output
    r = _invoke("doctor", "--layers", str(layers), "--no-networks")
    assert "[WARNING] data note: 1 pair(s) of street units overlap" in r.output, r.output  # the word once
    assert "WARNING: 1 pair" not in r.output and "1 warning to read" in r.output, r.output
    zh = _invoke("doctor", "--layers", str(layers), "--no-networks", "--lang", "zh").output
    note = next(line for line in zh.splitlines() if "重叠" in line)
    assert note.startswith("[警告] 数据说明:有 1 对") and note.count("警告") == 1, zh


def test_touching_units_are_not_overlaps(tmp_path: Path) -> None:
    layers = write_tiny(tmp_path / "tiny")  # the tiny city's units share edges only: the control
    sc = tmp_path / "sc.yaml"
    sc.write_text(TINY_SCENARIO, encoding="utf-8")
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero")
    assert "overlap" not in r.output, r.output


def _tiny_with_island(tmp_path: Path) -> tuple[Path, Path]:
    layers = write_tiny(tmp_path / "tiny")
    write_grid_osm(layers / "walk.osm", bridge_y=-1.0)  # no bridge: one half of the city is an island
    doc = yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))
    doc["networks"] = {"walk": {"path": "walk.osm"}}
    (layers / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    sc = tmp_path / "sc.yaml"
    sc.write_text(TINY_SCENARIO + WALK_TARGET, encoding="utf-8")
    return layers, sc


def test_network_island_people_are_in_checks_data_notes_and_doctor_warns(tmp_path: Path) -> None:
    layers, sc = _tiny_with_island(tmp_path)
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero")
    assert r.exit_code == 0, r.output
    assert "Data notes:" in r.output
    notes = r.output.split("Data notes:", 1)[1]
    assert "not connected to the main network" in notes, r.output
    people = float(re.search(r"; ([\d,]+) people \(", notes)[1].replace(",", ""))
    # the east half (100 cells x 5 people) is the smaller piece; cells by the river may snap across it
    assert 450 <= people <= 500, notes
    r = _invoke("doctor", "--layers", str(layers))
    assert "[WARNING] network walk" in r.output, r.output
    assert "[ok] network walk" not in r.output
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero", "--format", "json")
    assert "not connected to the main network" in r.output


def test_connected_network_has_no_island_warning(tmp_path: Path) -> None:
    layers = write_tiny(tmp_path / "tiny")
    write_grid_osm(layers / "walk.osm")
    doc = yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))
    doc["networks"] = {"walk": {"path": "walk.osm"}}
    (layers / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    r = _invoke("doctor", "--layers", str(layers))
    assert "[ok] network walk" in r.output and "WARNING" not in r.output, r.output


def test_every_unit_and_population_problem_in_one_error(tmp_path: Path) -> None:
    layers = write_tiny(tmp_path / "tiny")
    _streets(layers, [box(0, 0, 1000, 500), box(0, 500, 1000, 1000), box(1000, 0, 2000, 500),
                      box(1000, 500, 2000, 1000)], codes=["A1", "A1", "B1", "B2"])  # a duplicate id
    (layers / "population" / "total.tif").unlink()  # and the population raster is missing
    sc = tmp_path / "sc.yaml"
    sc.write_text(TINY_SCENARIO, encoding="utf-8")
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers))
    assert r.exit_code == 2, r.output
    assert "2 problems" in r.output, r.output
    assert "duplicate ids" in r.output and "total.tif" in r.output, r.output


def test_every_broken_facility_layer_in_one_error(tiny) -> None:
    layers, sc = tiny
    (layers / "childcare.csv").write_text("名称,托位数,普惠,lon,lat\n甲,4,是,,\n", encoding="utf-8")  # no coordinates
    doc = yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))
    doc["facilities"]["hospital"]["layer"] = "no_such_layer"
    (layers / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers))
    assert r.exit_code == 2, r.output
    assert "2 problems" in r.output and "childcare" in r.output and "no_such_layer" in r.output, r.output
