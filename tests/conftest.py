"""Shared fixtures: a tiny hand-built layer set whose answers can be worked out by hand.

Territory (UTM 49N metres): x 500000–502000, y 3850000–3851000, 100 m population cells.
- District A (urban_district, x < 501000) with streets A1 (y < 3850500) and A2; 10 people per cell.
- District B (county, x >= 501000) with townships B1 (y < 3850500) and B2; 5 people per cell.
So A has 100 cells x 10 = 1000 people, B has 100 cells x 5 = 500 people; 0-2 year olds are 3 %.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# `python -m pytest` puts the checkout on sys.path, where the folder coverage/ (installed as coverage_planner)
# would shadow coverage.py for every library that imports `coverage` (numba, pytest-cov). The package is
# imported by its installed name; the checkout itself is never an import root.
_REPO = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or os.curdir).resolve() != _REPO]

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import rasterio  # noqa: E402
import shapely  # noqa: E402
import yaml  # noqa: E402
from rasterio.transform import from_origin  # noqa: E402

X0, Y0 = 500_000.0, 3_850_000.0
UTM = "EPSG:32649"
#: The console script of this environment, for tests that run the CLI in a separate process.
COVERAGE_EXE = str(Path(sys.executable).with_name("coverage"))
#: A walk_access target on the tiny city's hospitals, appended to TINY_SCENARIO by process-level tests.
WALK_TARGET = """
  - id: fit
    kind: walk_access
    title: {zh: 健身圈, en: Fitness walk}
    plan: ps
    quote: "q"
    layer: hospital
    distance_m: 600
    level: street
    threshold: {min: 0.5}
"""
#: Headless Chromium for the browser tests (they skip where it is absent).
CHROMIUM = Path("/usr/bin/chromium")
SHARED_DATA = Path(os.environ.get("COVERAGE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def run_chromium(url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on ``url`` with a fresh profile folder (plus ``extra`` flags)."""
    args = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync", f"--user-data-dir={profile}",
            "--allow-file-access-from-files", "--virtual-time-budget=2000", "--window-size=1280,800", *extra, url]
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)


def box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def to_wgs(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf.set_crs(UTM).to_crs(4326)


def pt(x: float, y: float) -> shapely.Point:
    return shapely.Point(X0 + x, Y0 + y)


def write_tiny(folder: Path, *, childcare: pd.DataFrame | None = None, manifest_patch: dict | None = None) -> Path:
    """Write the tiny layer set into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    districts = to_wgs(gpd.GeoDataFrame({"code": ["410001", "410002"], "name": ["甲区", "乙县"],
                                         "class": ["urban_district", "county"]},
                                        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000)]))
    streets = to_wgs(gpd.GeoDataFrame(
        {"code": ["A1", "A2", "B1", "B2"], "name": ["东街道", "西街道", "南乡", "北镇"],
         "class": ["street", "street", "township", "township"], "district_code": ["410001", "410001", "410002", "410002"]},
        geometry=[box(0, 0, 1000, 500), box(0, 500, 1000, 1000), box(1000, 0, 2000, 500), box(1000, 500, 2000, 1000)]))
    districts.to_file(folder / "units.gpkg", layer="district")
    streets.to_file(folder / "units.gpkg", layer="street")
    pop = np.zeros((10, 20), dtype="float32")
    pop[:, :10] = 10.0
    pop[:, 10:] = 5.0
    profile = {"driver": "GTiff", "height": 10, "width": 20, "count": 1, "dtype": "float32", "crs": UTM,
               "transform": from_origin(X0, Y0 + 1000, 100, 100), "nodata": 0}
    (folder / "population").mkdir(exist_ok=True)
    with rasterio.open(folder / "population" / "total.tif", "w", **profile) as ds:
        ds.write(pop, 1)
    with rasterio.open(folder / "population" / "age_0_2.tif", "w", **profile) as ds:
        ds.write(pop * 0.03, 1)
    if childcare is None:
        ll = to_wgs(gpd.GeoDataFrame(geometry=[pt(200, 200), pt(700, 700), pt(1500, 200)]))
        childcare = pd.DataFrame({
            "名称": ["阳光托育", "<b>小星星</b>", "乙县托育"], "托位数": ["4", "2", "1"], "普惠": ["是", "否", "是"],
            "lon": ll.geometry.x.round(7), "lat": ll.geometry.y.round(7),
        })
    childcare.to_csv(folder / "childcare.csv", index=False)
    hospitals = to_wgs(gpd.GeoDataFrame({"name": ["一院", "二院"], "beds": [9, 3], "status": ["existing", "planned"],
                                         "open_year": [2000, 2030]}, geometry=[pt(500, 500), pt(1500, 500)]))
    hospitals.to_file(folder / "facilities.gpkg", layer="hospital")
    built = to_wgs(gpd.GeoDataFrame({"name": ["建成区"]}, geometry=[box(0, 0, 1000, 1000)]))
    built.to_file(folder / "areas.gpkg", layer="built_up")
    shelters = to_wgs(gpd.GeoDataFrame({"name": ["公园"], "effective_area_m2": [1200.0]}, geometry=[pt(300, 300)]))
    shelters.to_file(folder / "facilities.gpkg", layer="shelter")
    manifest = {
        "name": "Tiny test city",
        "population": {"kind": "raster", "path": "population/total.tif",
                       "groups": {"age_0_2": "population/age_0_2.tif"}},
        "units": {
            "district": {"path": "units.gpkg", "layer": "district", "fields": {"id": "code", "name": "name"}},
            "street": {"path": "units.gpkg", "layer": "street",
                       "fields": {"id": "code", "name": "name", "parent": "district_code"}},
        },
        "areas": {"built_up": {"path": "areas.gpkg", "layer": "built_up"}},
        "facilities": {
            "childcare": {"path": "childcare.csv", "lon": "lon", "lat": "lat", "crs": "EPSG:4326",
                          "fields": {"name": "名称", "slots": "托位数", "puhui": "普惠"}},
            "hospital": {"path": "facilities.gpkg", "layer": "hospital"},
            "shelter": {"path": "facilities.gpkg", "layer": "shelter"},
        },
    }
    for key, value in (manifest_patch or {}).items():
        manifest[key] = value
    (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    return folder


TINY_SCENARIO = """
year: 2025
plans:
  ps: {title: 测试规划}
targets:
  - id: slots
    kind: ratio
    title: {zh: 每千人口托位数, en: Slots per 1000}
    plan: ps
    quote: "辖区每千人口托位数达到 4 个"
    layer: childcare
    capacity: slots
    per: 1000
    level: district
    threshold: {min: 4}
  - id: slots-kids
    kind: ratio
    title: {zh: 每千婴幼儿托位数, en: Slots per 1000 children}
    plan: ps
    quote: "q"
    layer: childcare
    capacity: slots
    per: 1000
    population: age_0_2
    level: city
    threshold: {min: 100}
  - id: puhui-street
    kind: presence
    title: {zh: 街道普惠托育, en: Puhui childcare in every street}
    plan: ps
    quote: "每个街道至少建成 1 家"
    layer: childcare
    level: street
    classes: [street]
    where: {puhui: true, slots: {">=": 3}}
  - id: puhui-share
    kind: share
    title: {zh: 普惠托位占比, en: Puhui share}
    plan: ps
    quote: "不低于 90%"
    layer: childcare
    numerator: slots
    numerator_where: {puhui: true}
    denominator: slots
    threshold: {min: 0.9}
  - id: hospitals
    kind: count
    title: {zh: 医院, en: Hospitals}
    plan: ps
    quote: "q"
    layer: hospital
    threshold: {min: 1}
  - id: beds
    kind: ratio
    title: {zh: 床位, en: Beds}
    plan: ps
    quote: "q"
    layer: hospital
    capacity: beds
    per: 1000
    level: city
    threshold: {min: 6}
  - id: shelter
    kind: ratio
    title: {zh: 人均避难面积, en: Shelter per person}
    plan: ps
    quote: "q"
    layer: shelter
    capacity: effective_area_m2
    per: 1
    level: city
    area: built_up
    threshold: {min: 1.5}
"""


@pytest.fixture
def tiny(tmp_path: Path) -> tuple[Path, Path]:
    """(layer-set folder, scenario file) of the tiny city."""
    layers = write_tiny(tmp_path / "tiny")
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY_SCENARIO, encoding="utf-8")
    return layers, scenario


#: Hostile unit names; A2 and district B fail their targets, so their names reach every report.
EVIL = {
    "A1": "=cmd|' /C calc'!A0",
    "A2": "\x1b[31mRED\x1b[0m\u202eevil\x07 line1\n[PASS] fake\r\tx",
    "B1": "@SUM(1)",
    "B2": "\t=1+2",
}
EVIL_DISTRICTS = ["=HYPERLINK(\"http://x\")", "a|b *bold* <script>alert(1)</script>"]


@pytest.fixture
def evil_city(tiny: tuple[Path, Path]) -> tuple[Path, Path]:
    """The tiny city with the hostile unit names of EVIL and EVIL_DISTRICTS."""
    layers, sc = tiny
    streets = gpd.read_file(layers / "units.gpkg", layer="street")
    districts = gpd.read_file(layers / "units.gpkg", layer="district")
    streets["name"] = streets["code"].map(EVIL)
    districts["name"] = EVIL_DISTRICTS
    (layers / "units.gpkg").unlink()
    districts.to_file(layers / "units.gpkg", layer="district")
    streets.to_file(layers / "units.gpkg", layer="street")
    return layers, sc


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never write into the user's cache: one cache folder for the whole session."""
    monkeypatch.setenv("COVERAGE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


def write_grid_osm(path: Path, *, bridge_y: float = 950.0) -> Path:
    """A street grid through every cell centre of the tiny city (100 m apart), cut by a river at
    x = 1000 m that only the street at y = ``bridge_y`` crosses. Written as OSM XML in WGS84."""
    from pyproj import Transformer

    to_ll = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True)
    coords = np.arange(50.0, 2000.0, 100.0)
    ycoords = np.arange(50.0, 1000.0, 100.0)
    ids: dict[tuple[float, float], int] = {}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6" generator="coverage-tests">']
    for x in coords:
        for y in ycoords:
            ids[(x, y)] = len(ids) + 1
            lon, lat = to_ll.transform(X0 + x, Y0 + y)
            lines.append(f'  <node id="{ids[(x, y)]}" lat="{lat:.7f}" lon="{lon:.7f}"/>')
    way = 1
    def add_way(nodes: list[int]) -> None:
        nonlocal way
        lines.append(f'  <way id="{way}">')
        lines.extend(f'    <nd ref="{n}"/>' for n in nodes)
        lines.append('    <tag k="highway" v="residential"/>')
        lines.append("  </way>")
        way += 1
    for y in ycoords:  # east-west streets, split by the river except at the bridge
        west = [ids[(x, y)] for x in coords if x < 1000]
        east = [ids[(x, y)] for x in coords if x > 1000]
        if y == bridge_y:
            add_way(west + east)
        else:
            add_way(west)
            add_way(east)
    for x in coords:  # north-south streets
        add_way([ids[(x, y)] for y in ycoords])
    lines.append("</osm>")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_tiny_with_network(tmp_path: Path) -> tuple[Path, Path]:
    """The tiny city with its grid walking network, and a scenario of TINY_SCENARIO + WALK_TARGET."""
    layers = write_tiny(tmp_path / "tiny")
    write_grid_osm(layers / "walk.osm")
    doc = yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))
    doc["networks"] = {"walk": {"path": "walk.osm"}}
    (layers / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    sc = tmp_path / "tiny.yaml"
    sc.write_text(TINY_SCENARIO + WALK_TARGET, encoding="utf-8")
    return layers, sc
