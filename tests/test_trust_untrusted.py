"""Untrusted files: YAML tags, manifest paths, hostile names, oversized rasters and facility layers."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from conftest import TINY_SCENARIO

from coverage_planner.cli.main import cli


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# ---------------------------------------------------------------------- YAML tags
def test_scenario_with_python_object_tag_is_refused(tiny, tmp_path: Path) -> None:
    layers, _ = tiny
    flag = tmp_path / "PWNED"
    sc = tmp_path / "evil.yaml"
    sc.write_text(TINY_SCENARIO + f'\nextra: !!python/object/apply:os.system ["touch {flag}"]\n', encoding="utf-8")
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers))
    assert r.exit_code == 2, r.output
    assert not flag.exists()
    assert "Traceback" not in r.output and "evil.yaml" in r.output


def test_manifest_with_python_object_tag_is_refused(tiny, tmp_path: Path) -> None:
    layers, sc = tiny
    flag = tmp_path / "PWNED"
    text = (layers / "manifest.yaml").read_text(encoding="utf-8")
    (layers / "manifest.yaml").write_text(
        text + f'evil: !!python/object/new:subprocess.check_output [["touch", "{flag}"]]\n', encoding="utf-8")
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers))
    assert r.exit_code == 2, r.output
    assert not flag.exists()
    assert "Traceback" not in r.output and "manifest.yaml" in r.output


# ---------------------------------------------------------------------- manifest paths
def test_manifest_paths_leaving_the_folder_need_allow_outside_paths(tiny, tmp_path: Path) -> None:
    layers, sc = tiny
    (layers / "childcare.csv").rename(tmp_path / "childcare.csv")
    doc = yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))
    doc["facilities"]["childcare"]["path"] = "../childcare.csv"
    (layers / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero")
    assert r.exit_code == 2, r.output
    assert "--allow-outside-paths" in r.output and "Traceback" not in r.output
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero", "--allow-outside-paths")
    assert r.exit_code == 0, r.output
    # an absolute path elsewhere, too
    doc["facilities"]["childcare"]["path"] = str(tmp_path / "childcare.csv")
    (layers / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero")
    assert r.exit_code == 2 and "--allow-outside-paths" in r.output, r.output


# ---------------------------------------------------------------------- hostile names in reports
def _report(evil_city, fmt: str) -> str:
    layers, sc = evil_city
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--format", fmt, "--exit-zero")
    assert r.exit_code == 0, r.output
    return r.output


def test_terminal_report_has_no_control_characters(evil_city) -> None:
    out = _report(evil_city, "text")
    assert "RED" in out and "evil" in out  # the names are shown ...
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out)  # ... defused
    # a name cannot start a line of its own (a forged verdict)
    assert not re.search(r"^\[PASS\] fake", out, flags=re.M), out


def test_markdown_report_escapes_names(evil_city) -> None:
    out = _report(evil_city, "md")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "a\\|b" in out and "\\*bold\\*" in out
    assert not re.search(r"^\[PASS\] fake", out, flags=re.M)
    # every table row keeps the columns of its table's header (a name cannot add a cell)
    expected = None
    for line in out.splitlines():
        if not line.startswith("|"):
            expected = None
            continue
        n = len(re.findall(r"(?<!\\)\|", line))
        if expected is None:
            expected = n  # the header row
        assert n == expected, line
    assert "| status | unit |" in out  # the per-unit tables are there too


def test_csv_report_neutralises_formulas(evil_city) -> None:
    out = _report(evil_city, "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    names = {row["unit_name"] for row in rows if row["unit_name"]}
    assert names, out
    for name in names:
        assert name[:1] not in ("=", "+", "-", "@", "\t", "\r"), name
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", name), repr(name)
    assert "'=cmd|' /C calc'!A0" in names and "'=HYPERLINK(\"http://x\")" in names


# ---------------------------------------------------------------------- size limits
def test_population_raster_over_the_cell_limit_is_refused(tiny, monkeypatch: pytest.MonkeyPatch) -> None:
    import coverage_planner.model.population as population

    layers, sc = tiny
    assert population.MAX_RASTER_CELLS >= 100_000_000
    monkeypatch.setattr(population, "MAX_RASTER_CELLS", 199)  # the tiny raster has 200 cells
    read = []
    import rasterio

    real = rasterio.io.DatasetReader.read
    monkeypatch.setattr(rasterio.io.DatasetReader, "read", lambda self, *a, **k: read.append(1) or real(self, *a, **k))
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers))
    assert r.exit_code == 2, r.output
    assert "199" in r.output and "MAX_RASTER_CELLS" in r.output and "total.tif" in r.output, r.output
    assert read == [], "the raster was read before its size was checked"


def test_facility_layer_over_the_feature_limit_is_refused(tiny, monkeypatch: pytest.MonkeyPatch) -> None:
    import coverage_planner.model.readers as layers_mod

    layers, sc = tiny
    assert layers_mod.MAX_FEATURES >= 1_000_000
    monkeypatch.setattr(layers_mod, "MAX_FEATURES", 5)  # units have 2 and 4 features; childcare gets 6 rows
    df = pd.read_csv(layers / "childcare.csv", dtype=str)
    pd.concat([df, df]).to_csv(layers / "childcare.csv", index=False)
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers))
    assert r.exit_code == 2, r.output
    assert "MAX_FEATURES" in r.output and "'childcare'" in r.output and "6 features" in r.output, r.output



@pytest.mark.parametrize(("limit", "size"), [(8, "small"), (7, "small"), (7, "large")])
def test_small_file_layer_is_read_without_a_count_and_still_limited(tmp_path, monkeypatch: pytest.MonkeyPatch,
                                                                   limit: int, size: str) -> None:
    """A file too small to pass the limit is opened once; a larger one is counted first; both refuse 8 > 7."""
    import geopandas as gpd
    import pyogrio
    import shapely

    import coverage_planner.model.readers as layers_mod
    from coverage_planner.errors import LayerError
    from coverage_planner.model.manifest import LayerSource

    path = tmp_path / "clinics.gpkg"
    gpd.GeoDataFrame({"id": [f"c{i}" for i in range(8)]},
                     geometry=shapely.points(np.linspace(116.0, 116.1, 8), np.full(8, 39.9)), crs=4326).to_file(path)
    opened: list[str] = []
    real_read, real_info = pyogrio.read_dataframe, pyogrio.read_info
    monkeypatch.setattr(pyogrio, "read_dataframe", lambda *a, **k: opened.append("read") or real_read(*a, **k))
    monkeypatch.setattr(pyogrio, "read_info", lambda *a, **k: opened.append("info") or real_info(*a, **k))
    monkeypatch.setattr(layers_mod, "MAX_FEATURES", limit)
    # a file of S bytes may hold more than the limit once S > limit * min bytes per feature
    monkeypatch.setattr(layers_mod, "MIN_BYTES_PER_FEATURE", 10**6 if size == "small" else 0)
    counted_first = layers_mod._may_exceed_limit(path)
    assert counted_first == (size == "large")
    src = LayerSource(role="clinic", path=path)
    if limit == 8:
        gdf, _ = layers_mod.read_layer(src)
        assert list(gdf["id"]) == [f"c{i}" for i in range(8)]
        assert opened == ["read"]
        return
    with pytest.raises(LayerError) as exc:
        layers_mod.read_layer(src)
    assert "8 features" in str(exc.value.message) and "MAX_FEATURES" in str(exc.value.message)
    assert opened == (["info"] if counted_first else ["read"])  # a counted file is refused before it is read


def test_compressed_or_unknown_vector_files_are_always_counted_first(tmp_path) -> None:
    import coverage_planner.model.readers as layers_mod

    for name in ("a.geojson.zip", "a.kml", "a.gpkg.gz", "missing.gpkg"):
        p = tmp_path / name
        if name != "missing.gpkg":
            p.write_bytes(b"x")
        assert layers_mod._may_exceed_limit(p), name
    small = tmp_path / "a.gpkg"
    small.write_bytes(b"x" * 100)
    assert not layers_mod._may_exceed_limit(small)
