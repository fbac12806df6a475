"""Every bad input gives one clear paragraph naming the file, the feature and the fix, and exit 2."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
import yaml
from click.testing import CliRunner
from conftest import TINY_SCENARIO, pt, to_wgs, write_tiny

from coverage_planner.cli.main import cli


def run(*args: str):
    result = CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)
    return result


def check_error(result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for n in needles:
        assert n in result.output, result.output


def edit_manifest(folder: Path, fn) -> None:
    path = folder / "manifest.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def test_missing_file(tiny):
    layers, scenario = tiny
    (layers / "childcare.csv").unlink()
    check_error(run("-s", str(scenario), "-l", str(layers)), "childcare", "does not exist", "manifest")


def test_unreadable_file(tiny):
    layers, scenario = tiny
    (layers / "facilities.gpkg").write_bytes(b"this is not a geopackage")
    check_error(run("-s", str(scenario), "-l", str(layers)), "hospital", "cannot read")


def test_layer_without_crs(tiny):
    layers, scenario = tiny
    gdf = gpd.GeoDataFrame({"name": ["x"], "beds": [1]}, geometry=[shapely.Point(113.6, 34.7)])
    # a shapefile without .prj has no CRS
    gdf.to_file(layers / "nocrs.shp")
    (layers / "nocrs.prj").unlink(missing_ok=True)
    edit_manifest(layers, lambda d: d["facilities"].__setitem__("hospital", {"path": "nocrs.shp"}))
    check_error(run("-s", str(scenario), "-l", str(layers)), "no coordinate reference system", "crs: EPSG:4326")


def tiny_with_childcare(tmp_path: Path, df: pd.DataFrame) -> tuple[Path, Path]:
    """The tiny city with ``df`` as its childcare list, and the tiny scenario."""
    layers = write_tiny(tmp_path / "t", childcare=df)
    sc = tmp_path / "s.yaml"
    sc.write_text(TINY_SCENARIO, encoding="utf-8")
    return layers, sc


def swapped_childcare(tmp_path: Path) -> tuple[Path, Path]:
    ll = to_wgs(gpd.GeoDataFrame(geometry=[pt(200, 200), pt(1500, 200)]))
    df = pd.DataFrame({"名称": ["a", "b"], "托位数": [3, 4], "普惠": ["是", "是"],
                       "lon": ll.geometry.y, "lat": ll.geometry.x})  # swapped on purpose
    return tiny_with_childcare(tmp_path, df)


def test_swapped_lat_lon(tmp_path):
    layers, sc = swapped_childcare(tmp_path)
    check_error(run("-s", str(sc), "-l", str(layers)), "swapped", "childcare")


def test_points_far_outside(tmp_path):
    df = pd.DataFrame({"名称": ["a"], "托位数": [3], "普惠": ["是"], "lon": [116.4], "lat": [39.9]})  # Beijing
    layers = write_tiny(tmp_path / "t", childcare=df)
    sc = tmp_path / "s.yaml"
    sc.write_text(TINY_SCENARIO, encoding="utf-8")
    check_error(run("-s", str(sc), "-l", str(layers)), "outside the region", "row 1", "crs")


def test_empty_layer(tmp_path):
    df = pd.DataFrame({"名称": [], "托位数": [], "普惠": [], "lon": [], "lat": []})
    layers = write_tiny(tmp_path / "t", childcare=df)
    sc = tmp_path / "s.yaml"
    sc.write_text(TINY_SCENARIO, encoding="utf-8")
    check_error(run("-s", str(sc), "-l", str(layers)), "empty", "childcare")


def test_non_numeric_capacity(tmp_path):
    ll = to_wgs(gpd.GeoDataFrame(geometry=[pt(200, 200), pt(700, 700)]))
    df = pd.DataFrame({"名称": ["a", "b"], "托位数": ["12", "很多"], "普惠": ["是", "否"],
                       "lon": ll.geometry.x, "lat": ll.geometry.y})
    layers = write_tiny(tmp_path / "t", childcare=df)
    sc = tmp_path / "s.yaml"
    sc.write_text(TINY_SCENARIO, encoding="utf-8")
    check_error(run("-s", str(sc), "-l", str(layers)), "'slots'", "row 2", "很多")


def test_missing_capacity_column(tiny):
    layers, scenario = tiny
    edit_manifest(layers, lambda d: d["facilities"]["childcare"]["fields"].pop("slots"))
    check_error(run("-s", str(scenario), "-l", str(layers)), "no column 'slots'", "fields:")


def test_invalid_geometry_is_repaired_with_a_note(tiny):
    layers, scenario = tiny
    # a bow-tie polygon for the built-up area: invalid, repairable
    bow = shapely.Polygon([(0, 0), (1000, 1000), (1000, 0), (0, 1000)])
    bow = shapely.affinity.translate(bow, 500_000, 3_850_000)
    to_wgs(gpd.GeoDataFrame({"name": ["x"]}, geometry=[bow])).to_file(layers / "areas.gpkg", layer="built_up")
    result = run("-s", str(scenario), "-l", str(layers), "-t", "shelter")
    assert result.exit_code in (0, 1), result.output
    assert "repaired with make_valid" in result.output


def test_units_leave_population_uncovered(tiny):
    layers, scenario = tiny
    d = gpd.read_file(layers / "units.gpkg", layer="district")
    d.iloc[[0]].to_file(layers / "units.gpkg", layer="district")  # drop 乙县: 500 people outside
    check_error(run("-s", str(scenario), "-l", str(layers)), "outside every unit", "500 people")


def test_yaml_syntax_error(tiny, tmp_path):
    layers, _ = tiny
    bad = tmp_path / "bad.yaml"
    bad.write_text("year: 2025\ntargets:\n  - id: x\n    quote: a: b: c\n", encoding="utf-8")
    check_error(run("-s", str(bad), "-l", str(layers)), "bad.yaml", "line 4", "YAML syntax")


def test_schema_errors_are_collected(tiny, tmp_path):
    layers, _ = tiny
    text = TINY_SCENARIO.replace("    capacity: slots\n    per: 1000\n    level: district",
                                 "    capacty: slots\n    per: lots\n    level: district", 1)
    bad = tmp_path / "schema.yaml"
    bad.write_text(text, encoding="utf-8")
    result = run("-s", str(bad), "-l", str(layers))
    check_error(result, "schema.yaml:", "'capacty'", "Did you mean 'capacity'", "'per'", "expected a number")
    assert "2 problems" in result.output


def test_unknown_scenario_year(tiny):
    layers, _ = tiny
    check_error(run("-s", "2031", "-l", str(layers)), "2031", "not found")


def test_manifest_path_may_not_escape(tiny):
    layers, scenario = tiny
    edit_manifest(layers, lambda d: d["facilities"]["hospital"].__setitem__("path", "../../etc/passwd"))
    check_error(run("-s", str(scenario), "-l", str(layers)), "leaves the layer-set folder", "--allow-outside-paths")


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "text"])
def test_out_written_atomically(tiny, tmp_path, fmt):
    layers, scenario = tiny
    out = tmp_path / "r" / f"report.{fmt}"
    result = run("-s", str(scenario), "-l", str(layers), "--format", fmt, "--out", str(out))
    assert result.exit_code == 1  # some tiny targets fail
    assert out.exists() and out.stat().st_size > 100
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]


def test_failed_run_leaves_previous_report(tiny, tmp_path):
    layers, scenario = tiny
    out = tmp_path / "report.json"
    out.write_text("previous", encoding="utf-8")
    (layers / "childcare.csv").unlink()
    result = run("-s", str(scenario), "-l", str(layers), "--format", "json", "--out", str(out))
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "previous"


def test_duplicate_facility_ids_refused_with_rows(tmp_path):
    ll = to_wgs(gpd.GeoDataFrame(geometry=[pt(200, 200), pt(700, 700), pt(1500, 200), pt(300, 300)]))
    df = pd.DataFrame({"id": ["T1", "T2", "T1", "T3"], "名称": ["a", "b", "a", "c"], "托位数": [3, 4, 3, 5],
                       "普惠": ["是", "是", "是", "否"], "lon": ll.geometry.x, "lat": ll.geometry.y})
    layers, sc = tiny_with_childcare(tmp_path, df)
    check_error(run("-s", str(sc), "-l", str(layers)), "childcare", "childcare.csv", "'T1' at rows 1, 3",
                "counted twice", "delete the repeated rows")


def test_rows_without_ids_are_numbered_not_refused(tmp_path):
    ll = to_wgs(gpd.GeoDataFrame(geometry=[pt(200, 200), pt(700, 700)]))
    df = pd.DataFrame({"id": ["", ""], "名称": ["a", "b"], "托位数": [3, 4], "普惠": ["是", "是"],
                       "lon": ll.geometry.x, "lat": ll.geometry.y})
    layers, sc = tiny_with_childcare(tmp_path, df)
    result = run("-s", str(sc), "-l", str(layers))
    assert result.exit_code in (0, 1), result.output


def test_swapped_lat_lon_no_library_warning_in_a_real_process(tmp_path):
    """The planner sees the tool's message only: no shapely/pyogrio/pandas warning on the terminal."""
    import subprocess

    from conftest import COVERAGE_EXE

    layers, sc = swapped_childcare(tmp_path)
    env = {k: v for k, v in __import__("os").environ.items() if k != "PYTHONWARNINGS"}
    env["PYTHONWARNINGS"] = "always"  # even with every warning switched on, none reaches the terminal
    proc = subprocess.run([COVERAGE_EXE, "check", "-s", str(sc), "-l", str(layers)], capture_output=True,
                          text=True, env=env, timeout=120, check=False)
    assert proc.returncode == 2, proc.stderr
    assert "swapped" in proc.stderr
    assert "Warning" not in proc.stderr and "warnings.warn" not in proc.stderr, proc.stderr
    debug = subprocess.run([COVERAGE_EXE, "-vv", "check", "-s", str(sc), "-l", str(layers)], capture_output=True,
                           text=True, env=env, timeout=120, check=False)
    assert debug.returncode == 2 and "swapped" in debug.stderr


@pytest.mark.parametrize("debug", [False, True])
def test_library_warnings_are_debug_log_records(caplog, debug):
    """A library warning becomes a DEBUG record: dropped normally, shown with -vv (root logger at DEBUG)."""
    import logging
    import warnings

    from coverage_planner.cli.main import route_library_warnings

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        route_library_warnings()
        try:
            with caplog.at_level(logging.DEBUG if debug else logging.WARNING):
                warnings.warn("invalid value encountered in point_on_surface", RuntimeWarning, stacklevel=1)
        finally:
            logging.captureWarnings(False)
    hits = [r for r in caplog.records if "point_on_surface" in r.getMessage()]
    assert [r.levelno for r in hits] == ([logging.DEBUG] if debug else [])
