"""Results that open in QGIS: the GeoPackage (a styled layer per target) and GeoParquet, same numbers as the JSON."""

from __future__ import annotations

import json
import math
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner
from conftest import TINY_SCENARIO, WALK_TARGET, write_tiny

from coverage_planner.cli.main import cli
from coverage_planner.render.gpkg import layer_names, write_gpkg
from coverage_planner.studies.check import CheckRun, run_check

NUMBERS = ("value", "threshold", "gap", "population", "supply")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tiny_gpkg")
    layers = write_tiny(folder / "layers")
    scenario = folder / "tiny.yaml"
    scenario.write_text(TINY_SCENARIO + WALK_TARGET, encoding="utf-8")
    return layers, scenario


@pytest.fixture(scope="module")
def run(tiny: tuple[Path, Path]) -> CheckRun:
    layers, scenario = tiny
    return run_check(scenario, layers, want_geo=True)


@pytest.fixture(scope="module")
def report(tiny: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> dict:
    layers, scenario = tiny
    out = tmp_path_factory.mktemp("json") / "r.json"
    res = CliRunner().invoke(cli, ["check", "-s", str(scenario), "-l", str(layers), "-f", "json", "-o", str(out),
                                   "--exit-zero"])
    assert res.exit_code == 0, res.output
    return {t["id"]: t for t in json.loads(out.read_text(encoding="utf-8"))["targets"]}


def _same(a: object, b: object) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None
    return b is not None and float(a) == pytest.approx(float(b), abs=1e-9)


def _assert_units_match(gdf: gpd.GeoDataFrame, target: dict) -> None:
    assert list(gdf["unit_id"]) == [u["unit_id"] for u in target["units"]]
    assert list(gdf["status"]) == [u["status"] for u in target["units"]]
    for col in NUMBERS:
        for got, want in zip(gdf[col], (u[col] for u in target["units"]), strict=True):
            assert _same(got, want), (target["id"], col, got, want)


def test_gpkg_has_a_layer_per_target_with_the_json_numbers(run: CheckRun, report: dict, tmp_path: Path) -> None:
    path = write_gpkg(run, tmp_path / "r.gpkg")
    names = layer_names(run.results)
    layers = dict(pyogrio.list_layers(path))
    for r in run.results:
        assert names[r.id] in layers, r.id
        gdf = gpd.read_file(path, layer=names[r.id])
        _assert_units_match(gdf, report[r.id])
        assert gdf.geometry.notna().all() and (gdf.geometry.area > 0).all()  # every judged unit has its polygon
    assert layers[names["slots"]] == "MultiPolygon"
    # the facilities each target counted, and the people the walk target leaves unserved
    fac = gpd.read_file(path, layer=f"{names['slots']}_facilities")
    assert len(fac) == 3 and set(fac["counted"]) == {1}
    unserved = gpd.read_file(path, layer=f"{names['fit']}_unserved")
    assert unserved["people"].sum() == pytest.approx(report["fit"]["details"]["unserved"], rel=1e-9)


def test_every_layer_has_a_qgis_style(run: CheckRun, tmp_path: Path) -> None:
    path = write_gpkg(run, tmp_path / "r.gpkg", lang="zh")
    data_layers = [name for name, _ in pyogrio.list_layers(path) if name != "layer_styles"]
    with sqlite3.connect(path) as con:
        rows = con.execute("SELECT f_table_name, f_geometry_column, styleQML, useAsDefault FROM layer_styles").fetchall()
        contents = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall())
    assert sorted(r[0] for r in rows) == sorted(data_layers)  # one default style per layer
    assert contents["layer_styles"] == "attributes" and all(r[3] == 1 and r[1] == "geom" for r in rows)
    by_table = {r[0]: ET.fromstring(r[2].split("\n", 1)[1]) for r in rows}
    slots = by_table[layer_names(run.results)["slots"]]
    renderer = slots.find("renderer-v2")
    assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "status"
    cats = {c.get("value"): c.get("label") for c in renderer.iter("category")}
    statuses = {u.status for u in next(r for r in run.results if r.id == "slots").units}
    assert set(cats) == statuses and cats.get("fail") == "未达标"
    assert "name" in slots.find("labeling/settings/text-style").get("fieldName")


def test_cli_gpkg_and_parquet(tiny: tuple[Path, Path], run: CheckRun, report: dict, tmp_path: Path) -> None:
    layers, scenario = tiny
    args = ["check", "-s", str(scenario), "-l", str(layers), "--exit-zero"]
    res = CliRunner().invoke(cli, [*args, "-f", "gpkg"])
    assert res.exit_code == 2 and "--out" in res.output
    res = CliRunner().invoke(cli, [*args, "-f", "gpkg", "-o", str(tmp_path / "r.gpkg")])
    assert res.exit_code == 0, res.output
    assert "slots" in dict(pyogrio.list_layers(tmp_path / "r.gpkg"))
    res = CliRunner().invoke(cli, [*args, "-f", "parquet", "-o", str(tmp_path / "pq")])
    assert res.exit_code == 0, res.output
    for target_id, target in report.items():
        gdf = gpd.read_parquet(tmp_path / "pq" / f"{layer_names(run.results)[target_id]}.parquet")
        assert set(gdf["target_id"]) == {target_id}
        _assert_units_match(gdf, target)
    res = CliRunner().invoke(cli, [*args, "-f", "parquet", "-o", str(tmp_path / "pq")])  # replaces its own folder
    assert res.exit_code == 0, res.output
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("x", encoding="utf-8")
    res = CliRunner().invoke(cli, [*args, "-f", "parquet", "-o", str(tmp_path / "mine")])
    assert res.exit_code == 2 and "new or empty folder" in res.output and "Traceback" not in res.output


_QGIS_CHECK = """
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from qgis.core import QgsApplication, QgsVectorLayer
app = QgsApplication([], False); app.initQgis()
out = {}
for name in sys.argv[2:]:
    lyr = QgsVectorLayer(sys.argv[1] + "|layername=" + name, name, "ogr")
    r = lyr.renderer()
    out[name] = {"valid": lyr.isValid(), "renderer": r.type() if r else None, "labels": lyr.labelsEnabled(),
                 "categories": {c.value(): c.symbol().color().name() for c in r.categories()}
                 if r and r.type() == "categorizedSymbol" else {}}
print(json.dumps(out))
"""


def _system_qgis() -> bool:
    py = shutil.which("python3", path="/usr/bin")
    return bool(py) and subprocess.run([py, "-c", "import qgis.core"], capture_output=True, check=False).returncode == 0


@pytest.mark.skipif(not _system_qgis(), reason="needs QGIS's Python bindings (apt-get install python3-qgis)")
def test_qgis_opens_the_layers_styled(run: CheckRun, tmp_path: Path) -> None:
    """QGIS itself (python3-qgis, headless) loads each layer with its default style from layer_styles."""
    path = write_gpkg(run, tmp_path / "r.gpkg")
    names = layer_names(run.results)
    check = [names["slots"], f"{names['slots']}_facilities", f"{names['fit']}_unserved"]
    proc = subprocess.run(["/usr/bin/python3", "-c", _QGIS_CHECK, str(path), *check], capture_output=True, text=True,
                          timeout=120, check=False, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    units = got[names["slots"]]
    assert units["valid"] and units["renderer"] == "categorizedSymbol" and units["labels"]
    assert units["categories"].get("fail") == "#d7191c"
    assert got[check[1]]["renderer"] == "categorizedSymbol" and got[check[2]]["renderer"] == "singleSymbol"
