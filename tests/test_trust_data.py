"""Data the planner did not mean (issue 19): MultiPoints, undeclared GCJ-02/BD-09, stations, implausible values."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import yaml
from click.testing import CliRunner
from conftest import pt, to_wgs

from coverage_planner.cli.main import cli


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _hospitals(layers: Path, geoms: list) -> None:
    shelters = gpd.read_file(layers / "facilities.gpkg", layer="shelter")
    hosp = to_wgs(gpd.GeoDataFrame({"name": [f"院{i}" for i in range(len(geoms))], "beds": [9] * len(geoms),
                                    "status": ["existing"] * len(geoms)}, geometry=geoms))
    (layers / "facilities.gpkg").unlink()
    hosp.to_file(layers / "facilities.gpkg", layer="hospital")
    shelters.to_file(layers / "facilities.gpkg", layer="shelter")


def test_multipoint_facilities_with_several_points_are_refused_with_rows(tiny) -> None:
    layers, sc = tiny
    _hospitals(layers, [pt(500, 500), shapely.MultiPoint([pt(1500, 500), pt(1600, 600), pt(1700, 700)])])
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers))
    assert r.exit_code == 2, r.output
    assert "MultiPoint" in r.output and "row 2" in r.output and "3 points" in r.output, r.output
    assert "Traceback" not in r.output


def test_single_point_multipoint_is_taken_as_a_point_with_a_note(tiny) -> None:
    layers, sc = tiny
    _hospitals(layers, [pt(500, 500), shapely.MultiPoint([pt(1500, 500)])])
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero")
    assert r.exit_code == 0, r.output
    assert "single-point MultiPoint" in r.output, r.output


# ---------------------------------------------------------------------- undeclared GCJ-02 / BD-09
_XS = (130.0, 700.0, 1150.0, 1900.0)  # north-south streets (irregular, as real ones are)
_YS = (90.0, 520.0, 880.0)  # east-west streets


def _write_streets_osm(path: Path) -> None:
    from conftest import UTM, X0, Y0
    from pyproj import Transformer

    to_ll = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="coverage-tests">']
    ways: list[list[int]] = []
    ids: dict[tuple[float, float], int] = {}  # a crossing is one node shared by both streets
    streets = [[(x, y) for y in sorted({*np.arange(0.0, 1001.0, 50.0), *_YS})] for x in _XS]
    streets += [[(x, y) for x in sorted({*np.arange(0.0, 2001.0, 50.0), *_XS})] for y in _YS]
    for street in streets:
        refs = []
        for x, y in street:
            if (x, y) not in ids:
                ids[(x, y)] = len(ids) + 1
                lon, lat = to_ll.transform(X0 + x, Y0 + y)
                lines.append(f'  <node id="{ids[(x, y)]}" lat="{lat:.7f}" lon="{lon:.7f}"/>')
            refs.append(ids[(x, y)])
        ways.append(refs)
    for i, refs in enumerate(ways, start=1):  # crossings: join streets where they meet (shared positions)
        lines.append(f'  <way id="{i}">')
        lines.extend(f'    <nd ref="{r}"/>' for r in refs)
        lines.append('    <tag k="highway" v="residential"/>')
        lines.append("  </way>")
    lines.append("</osm>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _on_streets(n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` childcare centres on the streets (a few metres off the centre line), lon/lat WGS84."""
    from conftest import UTM, X0, Y0
    from pyproj import Transformer

    rng = np.random.default_rng(7)
    xs, ys = [], []
    for i in range(n):
        off = rng.uniform(-6, 6)
        if i % 2:
            xs.append(_XS[i % len(_XS)] + off)
            ys.append(rng.uniform(20, 980))
        else:
            xs.append(rng.uniform(20, 1980))
            ys.append(_YS[i % len(_YS)] + off)
    to_ll = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True)
    lon, lat = to_ll.transform(X0 + np.array(xs), Y0 + np.array(ys))
    return np.asarray(lon), np.asarray(lat)


def _city_with_list(tmp_path: Path, lon: np.ndarray, lat: np.ndarray) -> tuple[Path, Path]:
    from conftest import TINY_SCENARIO, write_tiny

    n = lon.size
    childcare = pd.DataFrame({"名称": [f"托育{i}" for i in range(n)], "托位数": ["4"] * n, "普惠": ["是"] * n,
                              "lon": lon.round(7), "lat": lat.round(7)})
    layers = write_tiny(tmp_path / "tiny", childcare=childcare)
    _write_streets_osm(layers / "walk.osm")
    doc = yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))
    doc["networks"] = {"walk": {"path": "walk.osm"}}
    (layers / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    sc = tmp_path / "sc.yaml"
    sc.write_text(TINY_SCENARIO, encoding="utf-8")
    return layers, sc


@pytest.mark.parametrize("system", ["gcj02", "bd09"])
def test_undeclared_web_map_offset_is_warned_with_figures_and_the_line_to_add(tmp_path: Path, system: str) -> None:
    from coverage_planner.model.coords import wgs84_to_bd09, wgs84_to_gcj02

    lon, lat = _on_streets(24)
    shifted = (wgs84_to_gcj02 if system == "gcj02" else wgs84_to_bd09)(lon, lat)
    layers, sc = _city_with_list(tmp_path, *shifted)  # picked on a web map, declared as WGS84 (the default)
    before = (layers / "childcare.csv").read_bytes()
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero", "--format", "json")
    assert r.exit_code == 0, r.output
    import json

    notes = [n for n in json.loads(r.output)["data_notes"] if "declared WGS84" in n]
    assert len(notes) == 1, r.output
    note = notes[0]
    assert f"add `coord_system: {system}`" in note and "manifest.yaml:" in note, note
    label = {"gcj02": "GCJ-02", "bd09": "BD-09"}[system]
    m = re.search(rf"network (\d+) m as given, (\d+) m if converted from {label}", note)
    assert m and int(m[2]) <= 8 < int(m[1]), note  # on the streets once converted, off them as given
    assert not [n for n in json.loads(r.output)["data_notes"] if n.startswith("Layer 'childcare' converted")]
    assert (layers / "childcare.csv").read_bytes() == before  # never flipped: the data and manifest are untouched
    assert "coord_system" not in (layers / "manifest.yaml").read_text(encoding="utf-8")


def test_true_wgs84_list_on_the_streets_is_not_warned(tmp_path: Path) -> None:
    lon, lat = _on_streets(24)
    layers, sc = _city_with_list(tmp_path, lon, lat)
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero")
    assert r.exit_code == 0, r.output
    assert "declared WGS84" not in r.output and "coord_system" not in r.output, r.output


def test_points_off_the_streets_by_chance_are_not_warned(tmp_path: Path) -> None:
    """Second control: facilities scattered at random (not on the streets) in any system give no warning."""
    from conftest import UTM, X0, Y0
    from pyproj import Transformer

    rng = np.random.default_rng(11)
    to_ll = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True)
    lon, lat = to_ll.transform(X0 + rng.uniform(20, 1980, 40), Y0 + rng.uniform(20, 980, 40))
    layers, sc = _city_with_list(tmp_path, np.asarray(lon), np.asarray(lat))
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero")
    assert r.exit_code == 0, r.output
    assert "declared WGS84" not in r.output, r.output


# ---------------------------------------------------------------------- stations beyond the border
def _stations_city(tmp_path: Path, *, role: str = "seismic_station", max_outside_km: float | None = None) -> Path:
    from conftest import write_tiny

    layers = write_tiny(tmp_path / "tiny")
    # four stations inside, two of the neighbour's network 40 km east and 30 km south of the border
    st = to_wgs(gpd.GeoDataFrame({"name": ["S1", "S2", "S3", "S4", "N1", "N2"]},
                                 geometry=[pt(200, 200), pt(800, 800), pt(1200, 300), pt(1800, 700),
                                           pt(2000 + 40_000, 500), pt(1000, -30_000)]))
    st.to_file(layers / "stations.gpkg", layer="stations")
    doc = yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))
    doc["facilities"][role] = {"path": "stations.gpkg", "layer": "stations"}
    if max_outside_km is not None:
        doc["facilities"][role]["max_outside_km"] = max_outside_km
    (layers / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return layers


def test_seismic_stations_beyond_the_border_are_accepted_and_counted(tmp_path: Path) -> None:
    layers = _stations_city(tmp_path)
    r = _invoke("doctor", "--layers", str(layers), "--no-networks")
    assert "[ok] facilities seismic_station: 6 features" in r.output, r.output
    m = re.search(r"2 of 6 seismic_station station\(s\) lie outside the territory, up to ([\d.]+) km beyond the "
                  r"border \(accepted within (\d+) km", r.output)
    assert m, r.output
    assert 39.5 < float(m[1]) < 40.5 and int(m[2]) >= 80  # the ML 2.0 detection range (~86 km)


def test_configured_distance_refuses_stations_farther_out_naming_the_key(tmp_path: Path) -> None:
    layers = _stations_city(tmp_path, max_outside_km=35)
    r = _invoke("doctor", "--layers", str(layers), "--no-networks")
    assert "[PROBLEM] facilities seismic_station" in r.output, r.output
    assert "1 of 6 feature(s) at row 5 lie more than 35 km outside" in r.output and "max_outside_km" in r.output


def test_other_roles_keep_the_20_km_limit(tmp_path: Path) -> None:
    layers = _stations_city(tmp_path, role="clinic")
    r = _invoke("doctor", "--layers", str(layers), "--no-networks")
    assert "[PROBLEM] facilities clinic" in r.output and "more than 20 km outside" in r.output, r.output


# ---------------------------------------------------------------------- plausibility
def test_implausible_ratio_and_facility_are_data_warnings_beside_the_verdict(tmp_path: Path) -> None:
    import json

    from conftest import TINY_SCENARIO, pt, write_tiny

    ll = to_wgs(gpd.GeoDataFrame(geometry=[pt(200, 200), pt(700, 700), pt(1500, 200)]))
    childcare = pd.DataFrame({"名称": ["甲", "乙", "丙"], "托位数": ["4", "161000", "1"], "普惠": ["是", "否", "是"],
                              "lon": ll.geometry.x.round(7), "lat": ll.geometry.y.round(7)})  # a total row typed in
    layers = write_tiny(tmp_path / "tiny", childcare=childcare)
    sc = tmp_path / "sc.yaml"
    sc.write_text(TINY_SCENARIO, encoding="utf-8")
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero", "--format", "json",
                "--target", "slots", "--target", "beds")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    slots = next(t for t in doc["targets"] if t["id"] == "slots")
    assert slots["status"] == "fail"  # the verdict is not changed (district B has 1 slot) ...
    warns = slots["details"]["data_warnings"]  # ... but it does not stand alone
    assert any("161,004 slots per 1000 people in district 甲区 (410001) is implausible" in w for w in warns), warns
    assert any("1 childcare facility has more than 2,000 slots each (row 2, e.g. 161,000)" in w for w in warns), warns
    assert any(n.startswith("WARNING: target 'slots'") for n in doc["data_notes"])
    beds = next(t for t in doc["targets"] if t["id"] == "beds")
    assert "data_warnings" not in beds["details"]  # the control: 12 beds for 1,500 people is fine
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero", "--target", "slots")
    assert "implausible" in r.output  # the text report prints it in its data notes


def test_large_csv_is_read_with_only_the_needed_columns_and_the_same_results(tiny, monkeypatch) -> None:
    import json

    from coverage_planner.model import readers, region

    layers, sc = tiny
    df = pd.read_csv(layers / "childcare.csv", dtype=str)
    df["地址"] = "金水区花园路1号"  # columns no target reads
    df["电话"] = "0371-1234567"
    df.to_csv(layers / "childcare.csv", index=False)
    args = ["check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero", "--format", "json"]
    whole = json.loads(_invoke(*args).output)
    monkeypatch.setattr(readers, "LARGE_CSV_BYTES", 0)  # every CSV counts as large
    monkeypatch.setattr(region, "LARGE_LAYER_ROWS", 0)  # and every layer hands its freed memory back
    seen: list[list[str]] = []
    real = readers._read_csv

    def spy(src, wanted=None):  # noqa: ANN001, ANN202
        out = real(src, wanted)
        seen.append(list(out.columns))
        return out

    monkeypatch.setattr(readers, "_read_csv", spy)
    pruned = json.loads(_invoke(*args).output)
    assert seen and all("地址" not in cols and "电话" not in cols for cols in seen), seen
    assert {"名称", "托位数", "普惠", "lon", "lat"} <= set(seen[0]), seen
    assert [t["value"] for t in pruned["targets"]] == [t["value"] for t in whole["targets"]]
    assert [t["status"] for t in pruned["targets"]] == [t["status"] for t in whole["targets"]]


def test_a_ratio_target_without_per_is_judged_per_1000_by_the_plausibility_check(tmp_path: Path) -> None:
    """``per`` left out means the kind's default (1000 for ratio targets), not 1: no false warning."""
    import json

    from conftest import TINY_SCENARIO, write_tiny

    layers = write_tiny(tmp_path / "tiny")
    sc = tmp_path / "sc.yaml"
    head, tail = TINY_SCENARIO.split("  - id: slots\n", 1)
    assert "    per: 1000\n" in tail.split("  - id:", 1)[0]
    sc.write_text(head + "  - id: slots\n" + tail.replace("    per: 1000\n", "", 1), encoding="utf-8")
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero", "--format", "json",
                "--target", "slots")
    assert r.exit_code == 0, r.output
    slots = json.loads(r.output)["targets"][0]
    assert slots["value"] is not None and 0 < slots["value"] < 60  # a real ratio per 1000 people
    assert "data_warnings" not in slots["details"], slots["details"]


def test_offset_check_on_a_warm_cache_snaps_nothing_and_says_the_same(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Issue 20: the coordinate-system check's snaps are cached with the network: a second run builds no edge
    index and snaps nothing, and writes the same warning."""
    from coverage_planner.model.coords import wgs84_to_gcj02
    from coverage_planner.network import snap as snap_module
    from coverage_planner.network import snap_cache

    monkeypatch.setenv("COVERAGE_CACHE_DIR", str(tmp_path / "cache"))
    layers, sc = _city_with_list(tmp_path, *wgs84_to_gcj02(*_on_streets(24)))
    args = ("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero", "--format", "json")
    cold = _invoke(*args)
    assert cold.exit_code == 0 and "declared WGS84" in cold.output, cold.output
    assert list((tmp_path / "cache" / "networks").glob("snap-walk-*.npz"))

    def no_snapping(*a, **k):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("a warm run must not snap")

    monkeypatch.setattr(snap_cache, "snap_points", no_snapping)
    monkeypatch.setattr(snap_module._EdgeIndex, "__init__", no_snapping)
    warm = _invoke(*args)
    assert warm.exit_code == 0, warm.output
    import json

    assert json.loads(warm.output)["data_notes"] == json.loads(cold.output)["data_notes"]
