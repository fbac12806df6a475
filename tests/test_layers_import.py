"""`coverage layers import`: coordinate-system detection, validation messages, manifest update."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
import yaml
from click.testing import CliRunner
from conftest import TINY_SCENARIO, pt, to_wgs, write_tiny

from coverage_planner.cli.main import cli
from coverage_planner.errors import LayerError
from coverage_planner.model.coords import wgs84_to_bd09, wgs84_to_gcj02
from coverage_planner.model.manifest import load_manifest
from coverage_planner.sources.fetch.importer import detect_coord_system, import_list
from coverage_planner.studies.check import run_check

X0, Y0 = 500_000.0, 3_850_000.0


def grid_units(n: int = 4, size_m: float = 1000.0) -> gpd.GeoDataFrame:
    """n x n streets of size_m, named 第k街道, in WGS84 (near 111 E, 34.8 N)."""
    cells, names = [], []
    for i in range(n):
        for j in range(n):
            cells.append(shapely.box(X0 + i * size_m, Y0 + j * size_m, X0 + (i + 1) * size_m, Y0 + (j + 1) * size_m))
            names.append(f"第{i * n + j + 1}街道")
    return gpd.GeoDataFrame({"name": names}, geometry=cells, crs="EPSG:32649").to_crs(4326)


def known_points(units: gpd.GeoDataFrame, per_unit: int = 3, seed: int = 1) -> tuple[np.ndarray, np.ndarray, list]:
    rng = np.random.default_rng(seed)
    utm = units.to_crs(32649)
    xs, ys, addr = [], [], []
    for name, geom in zip(utm["name"], utm.geometry, strict=True):
        x0, y0, x1, y1 = geom.bounds
        for _ in range(per_unit):
            xs.append(rng.uniform(x0 + 100, x1 - 100))
            ys.append(rng.uniform(y0 + 100, y1 - 100))
            addr.append(f"某市某区{name}幸福路{rng.integers(1, 99)}号")
    ll = gpd.GeoSeries(gpd.points_from_xy(xs, ys), crs=32649).to_crs(4326)
    return ll.x.to_numpy(), ll.y.to_numpy(), addr


@pytest.mark.parametrize("truth", ["wgs84", "gcj02", "bd09"])
def test_detects_true_system_from_addresses(truth):
    units = grid_units()
    lon, lat, addr = known_points(units)
    conv = {"wgs84": lambda a, b: (a, b), "gcj02": wgs84_to_gcj02, "bd09": wgs84_to_bd09}[truth]
    glon, glat = conv(lon, lat)
    cs, scores = detect_coord_system(np.asarray(glon), np.asarray(glat), units, addr)
    assert cs == truth
    assert scores[truth]["in_named_unit"] == pytest.approx(1.0)


def test_ambiguous_without_addresses_is_refused():
    units = grid_units(n=1, size_m=20_000)  # one big unit: every system puts every point inside
    lon, lat, _ = known_points(grid_units(n=2, size_m=4000), per_unit=5)
    with pytest.raises(LayerError, match="--coord-system"):
        detect_coord_system(lon, lat, units, None)


# ---------------------------------------------------------------------- import into a layer set
def _list(tmp_path, rows: dict, name: str = "托育机构.csv"):
    p = tmp_path / name
    pd.DataFrame(rows).to_csv(p, index=False, encoding="utf-8-sig")
    return p


def _tiny_points(gcj: bool = True):
    ll = to_wgs(gpd.GeoDataFrame(geometry=[pt(250, 250), pt(750, 750), pt(1250, 250), pt(1750, 750)]))
    lon, lat = ll.geometry.x.to_numpy(), ll.geometry.y.to_numpy()
    return wgs84_to_gcj02(lon, lat) if gcj else (lon, lat)


def test_import_gcj02_list_with_addresses_and_check(tmp_path):
    layers = write_tiny(tmp_path / "city")
    lon, lat = _tiny_points()
    f = _list(tmp_path, {"机构名称": ["甲", "乙", "丙", "丁"], "托位数": [60, 60, 30, 30], "是否普惠": ["是"] * 4,
                         "地址": ["东街道1号", "西街道2号", "南乡3号", "北镇4号"], "经度": lon, "纬度": lat})
    res = import_list(f, role="childcare", layers=layers)
    assert res.coord_system == "gcj02" and "address" in res.how
    spec = load_manifest(layers)
    src = spec.facilities["childcare"]
    assert src.path.name == "childcare.csv" and src.fields["slots"] == "托位数"
    assert any("gcj02" in s.get("note", "").lower() or "GCJ-02" in s.get("note", "") for s in spec.sources)
    scen = tmp_path / "s.yaml"
    scen.write_text(TINY_SCENARIO, encoding="utf-8")
    run = run_check(scen, layers, targets=["slots"], want_geo=False)
    res = run.results[0]
    assert res.details["supply"] == pytest.approx(180)
    # every facility lands in its own district after GCJ-02 -> WGS84 (甲区 120 slots / 1000 people)
    assert {u.name: u.supply for u in res.units} == {"甲区": 120.0, "乙县": 60.0}


@pytest.mark.parametrize(("rows", "match"), [
    ({"名称": ["a", "b"], "托位数": [10, ""], "经度": [0, 0], "纬度": [0, 0]}, "capacity 'slots'.*row 2"),
    ({"名称": ["a", "a"], "托位数": [10, 10]}, "duplicate row.*row 2"),
    ({"名称": ["a", "b"], "托位数": [10, 10]}, "outside the city.*row 2"),
    ({"名称": ["a", "b"], "托位数": [10, 10]}, "swapped"),
    ({"名称": ["a", "b"]}, "needs its capacity 'slots'.*--field slots="),
    ({"名称": ["a", "b"], "托位数": [10, 10], "经度": ["x", "1"], "纬度": ["1", "1"]}, "not numbers at row 1"),
])
def test_import_validation_messages(tmp_path, rows, match):
    layers = write_tiny(tmp_path / "city")
    lon, lat = _tiny_points(gcj=False)
    rows = dict(rows)
    if "经度" not in rows:
        rows["经度"], rows["纬度"] = list(lon[:2]), list(lat[:2])
        if match.startswith("duplicate"):
            rows["经度"][1], rows["纬度"][1] = rows["经度"][0], rows["纬度"][0]
        if match.startswith("outside"):
            rows["经度"][1] += 0.5
        if match == "swapped":
            rows["经度"], rows["纬度"] = rows["纬度"], rows["经度"]
    elif rows["经度"] == [0, 0]:
        rows["经度"], rows["纬度"] = list(lon[:2]), list(lat[:2])
    before = (layers / "manifest.yaml").read_text(encoding="utf-8")
    f = _list(tmp_path, rows)
    with pytest.raises(LayerError, match=match) as exc:
        import_list(f, role="childcare", layers=layers, coord_system="wgs84")
    assert str(f) in str(exc.value)
    assert (layers / "manifest.yaml").read_text(encoding="utf-8") == before


def test_cli_import_excel_and_bad_input(tmp_path):
    pytest.importorskip("openpyxl")
    layers = write_tiny(tmp_path / "city")
    lon, lat = _tiny_points(gcj=False)
    xlsx = tmp_path / "shelters.xlsx"
    pd.DataFrame({"场所名称": ["公园一", "广场二"], "有效避难面积": [5000, 3000], "lng": lon[:2], "lat": lat[:2]}
                 ).to_excel(xlsx, index=False)
    runner = CliRunner()
    res = runner.invoke(cli, ["layers", "import", str(xlsx), "--role", "shelter", "--layers", str(layers),
                              "--coord-system", "wgs84"])
    assert res.exit_code == 0, res.output
    doc = yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))
    assert doc["facilities"]["shelter"]["fields"]["effective_area_m2"] == "有效避难面积"
    bad = runner.invoke(cli, ["layers", "import", str(tmp_path / "missing.csv"), "--role", "shelter",
                              "--layers", str(layers)])
    assert bad.exit_code == 2 and "does not exist" in bad.output


def test_import_by_address_only(tmp_path):
    layers = write_tiny(tmp_path / "city")
    f = _list(tmp_path, {"名称": ["x", "y"], "托位数": [20, 30], "地址": ["东街道幸福路", "南乡中心"]})
    res = import_list(f, role="childcare", layers=layers)
    assert "address" in res.how and res.warnings
    bad = _list(tmp_path, {"名称": ["x"], "托位数": [20], "地址": ["火星"]}, name="bad.csv")
    with pytest.raises(LayerError, match="names no street"):
        import_list(bad, role="childcare", layers=layers)
