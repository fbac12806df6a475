"""The generated demo city: determinism, nesting units, population, facility layers, formats, cache."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
import yaml
from pyproj import Transformer

import coverage_planner.sources.demo as demo
from coverage_planner.model.coords import gcj02_to_wgs84
from coverage_planner.model.manifest import load_manifest
from coverage_planner.sources.demo import DEMO_VERSION, demo_layer_dir, generate_demo_city

SCALE = 0.02
WORK_CRS = "EPSG:32649"
TEXT_FILES = ("manifest.yaml", "facilities/childcare.csv", "facilities/seismic_station.geojson", "network/walk.osm")
RASTERS = ("population/total.tif", "population/age_0_2.tif", "population/age_60_plus.tif")
#: The facility table of docs/ARCHITECTURE.md: role -> role-specific attributes.
ROLE_ATTRIBUTES = {
    "childcare": ("slots", "puhui", "public"),
    "kindergarten": ("pupils", "puhui", "public", "central"),
    "senior_education": (),
    "high_school": ("kind",),
    "hospital": ("beds", "physicians", "nurses"),
    "primary_care": ("staff", "gps", "beds", "nursing_beds", "physicians", "nurses"),
    "maternal_child_health": ("government", "beds", "physicians", "nurses"),
    "elderly_health_centre": ("level",),
    "elderly_centre": ("comprehensive", "kind"),
    "elderly_institution": ("beds", "nursing_beds", "medical_care", "county_level"),
    "social_work_station": (),
    "emergency_depot": ("level",),
    "cemetery": ("kind",),
    "fitness": ("kind",),
    "sports_venue": ("area_m2",),
    "football_pitch": ("pitches",),
    "sports_park": (),
    "culture_facility": ("floor_area_m2",),
    "city_study_room": (),
    "broadcast_terminal": ("radius_m",),
    "school": ("sports_open", "extended_year"),
    "shelter": ("effective_area_m2", "shelter_class"),
    "seismic_station": ("noise_um", "kind"),
    "eew_terminal": ("radius_m",),
    "quake_theme_park": (),
    "quake_science_base": (),
    "fitness_centre": (),
    "culture_centre": ("level",),
    "farm_library": (),
    "social_work_centre": (),
    "social_work_point": (),
    "community_school": ("level",),
    "funeral_facility": ("level",),
    "mental_health_welfare": ("level",),
    "quake_science_school": (),
    "quake_command_centre": ("level",),
}
STATUSES = {"existing", "under_construction", "planned", "closed"}


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_demo_city(tmp_path_factory.mktemp("demo") / "a", scale=SCALE).parent


@pytest.fixture(scope="module")
def manifest(city: Path) -> dict:
    return yaml.safe_load((city / "manifest.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def units(city: Path) -> dict[str, gpd.GeoDataFrame]:
    return {lvl: gpd.read_file(city / "units.gpkg", layer=lvl).to_crs(WORK_CRS)
            for lvl in ("district", "street", "community")}


def _facilities(city: Path, manifest: dict, role: str) -> gpd.GeoDataFrame:
    entry = manifest["facilities"][role]
    path = city / entry["path"]
    if path.suffix == ".csv":
        with path.open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        df = gpd.GeoDataFrame(rows)
        return df.rename(columns={v: k for k, v in entry["fields"].items()})
    return gpd.read_file(path, layer=entry.get("layer"))


def test_same_inputs_give_identical_files(city: Path, tmp_path: Path) -> None:
    again = generate_demo_city(tmp_path / "b", scale=SCALE).parent
    for rel in TEXT_FILES:
        assert (city / rel).read_bytes() == (again / rel).read_bytes(), rel
    for rel in RASTERS:
        with rasterio.open(city / rel) as a, rasterio.open(again / rel) as b:
            assert np.array_equal(a.read(1), b.read(1)), rel
            assert a.transform == b.transform
    a = gpd.read_file(city / "units.gpkg", layer="community")
    b = gpd.read_file(again / "units.gpkg", layer="community")
    assert a.drop(columns="geometry").equals(b.drop(columns="geometry"))
    assert shapely.equals_exact(a.geometry.values, b.geometry.values, tolerance=0).all()


def test_another_seed_gives_another_city(city: Path, tmp_path: Path) -> None:
    other = generate_demo_city(tmp_path / "c", scale=SCALE, seed=7).parent
    assert (other / "facilities/childcare.csv").read_bytes() != (city / "facilities/childcare.csv").read_bytes()


def test_manifest_follows_the_contract(city: Path, manifest: dict) -> None:
    assert manifest["name"] == "Demo City (synthetic data)"
    assert manifest["name_zh"] == "演示城市（合成数据）"
    assert manifest["synthetic"] is True
    assert manifest["sources"][0]["licence"] == "generated"
    assert f"v{DEMO_VERSION}" in manifest["sources"][0]["name"]
    assert set(manifest["facilities"]) == set(ROLE_ATTRIBUTES)
    assert manifest["networks"]["walk"] == {"path": "network/walk.osm", "format": "osm"}
    child = manifest["facilities"]["childcare"]
    assert child["coord_system"] == "gcj02" and child["crs"] == "EPSG:4326"
    assert (child["lon"], child["lat"]) == ("经度", "纬度")
    spec = load_manifest(city)  # the project's own parser accepts it
    paths = [spec.population.path, *(s.path for grp in (spec.units, spec.areas, spec.facilities, spec.networks)
                                     for s in grp.values())]
    assert all(p.exists() for p in paths)


def test_units_nest_and_cover_the_territory(units: dict[str, gpd.GeoDataFrame]) -> None:
    d, s, c = units["district"], units["street"], units["community"]
    total = d.area.sum()
    assert s.area.sum() == pytest.approx(total, rel=1e-3)
    assert c.area.sum() == pytest.approx(total, rel=1e-3)
    territory = shapely.union_all(d.geometry.values)
    assert shapely.union_all(c.geometry.values).symmetric_difference(territory).area < 1e-3 * total
    for child, parent, key in ((s, d, "district_code"), (c, s, "street_code")):
        assert set(child[key]) <= set(parent["code"])
        geoms = parent.set_index("code").geometry
        inter = shapely.intersection(child.geometry.values, geoms.loc[child[key]].values)
        assert np.allclose(shapely.area(inter), child.area, rtol=1e-6)
        assert all(code.startswith(parent_code) for code, parent_code in zip(child["code"], child[key], strict=True))
    assert [len(x) for x in (d["code"][0], s["code"][0], c["code"][0])] == [6, 9, 12]
    assert all(df["name"].is_unique and df["code"].is_unique for df in (d, s, c))
    assert set(d["class"]) == {"urban_district", "development_zone", "county"}
    assert set(s["class"]) == {"street", "township"}
    assert set(c["class"]) == {"community", "village"}
    assert len(c) >= 40
    assert s.groupby("district_code").size().min() >= 2
    assert s.loc[s["class"] == "township", "name"].str.endswith(("镇", "乡")).all()


def test_population_grid(city: Path, units: dict[str, gpd.GeoDataFrame]) -> None:
    with rasterio.open(city / "population/total.tif") as ds:
        total = ds.read(1)
        assert ds.crs.to_epsg() == 32649 and ds.nodata == 0 and ds.dtypes[0] == "int32"
        assert ds.res == (100.0, 100.0)
        transform, shape = ds.transform, ds.shape
    people = int(total.sum())
    assert 8e6 * SCALE <= people <= 12e6 * SCALE
    young = rasterio.open(city / "population/age_0_2.tif").read(1)
    old = rasterio.open(city / "population/age_60_plus.tif").read(1)
    assert 0.025 <= young.sum() / people <= 0.03
    assert 0.13 <= old.sum() / people <= 0.20
    assert (young <= total).all() and (old <= total).all()
    assert (total == 0).mean() > 0.2  # fields, river, hills: empty land exists
    inside = rasterio.features.rasterize(units["district"].geometry, out_shape=shape, transform=transform)
    assert total[inside == 0].sum() == 0


def test_every_role_has_its_attributes(city: Path, manifest: dict) -> None:
    statuses: set[str] = set()
    for role, attrs in ROLE_ATTRIBUTES.items():
        gdf = _facilities(city, manifest, role)
        assert len(gdf) > 0, role
        missing = {"facility_id", "name", "status", "open_year", *attrs} - set(gdf.columns)
        assert not missing, f"{role} lacks {missing}"
        assert gdf["facility_id"].is_unique, role
        if role != "childcare":
            assert set(gdf["status"]) <= STATUSES, role
            statuses |= set(gdf["status"])
            assert gdf.crs.to_epsg() == 4326
    assert statuses == STATUSES
    child = _facilities(city, manifest, "childcare")
    assert set(child["status"]) <= {"现有", "在建", "规划", "关闭"}
    assert set(child["puhui"]) == {"是", "否"}
    slots = child["slots"].astype(int)
    puhui = (child["puhui"] == "是").to_numpy()
    assert 0.80 < slots[puhui].sum() / slots.sum() < 0.95
    stations = _facilities(city, manifest, "seismic_station")
    assert stations["noise_um"].between(0.005, 0.06).all()
    broadcast = _facilities(city, manifest, "broadcast_terminal")
    assert broadcast["radius_m"].between(300, 800).all()


def test_childcare_csv_is_really_gcj02(city: Path, manifest: dict, units: dict[str, gpd.GeoDataFrame]) -> None:
    child = _facilities(city, manifest, "childcare")
    lon, lat = child["经度"].astype(float).to_numpy(), child["纬度"].astype(float).to_numpy()
    assert all(len(v.split(".")[1]) == 7 for v in child["经度"])
    wlon, wlat = gcj02_to_wgs84(lon, lat)
    to_m = Transformer.from_crs("EPSG:4326", WORK_CRS, always_xy=True)
    x, y = to_m.transform(wlon, wlat)
    rx, ry = to_m.transform(lon, lat)
    territory = shapely.union_all(units["district"].geometry.values)
    assert shapely.contains_xy(territory, x, y).all()
    offset = np.hypot(rx - np.asarray(x), ry - np.asarray(y))
    assert (offset > 300).all() and (offset < 600).all()


def test_osm_file_loads_through_osmnx(city: Path) -> None:
    ox = pytest.importorskip("osmnx")
    path = city / "network/walk.osm"
    text = path.read_text(encoding="utf-8")
    head = text[:1000].splitlines()
    assert head[1].startswith('<osm version="0.6"') and '<node id="1" ' in head[3]
    assert '<tag k="railway" v="rail"/>' in text and '<tag k="bridge" v="yes"/>' in text
    G = ox.graph_from_xml(path, simplify=True, retain_all=True)
    nx = pytest.importorskip("networkx")
    sizes = sorted((len(c) for c in nx.weakly_connected_components(G)), reverse=True)
    assert sizes[0] / len(G) > 0.9
    highways = {h for _, _, h in G.edges(data="highway") if isinstance(h, str)}
    assert {"footway", "residential", "tertiary", "primary", "service", "motorway", "trunk"} <= highways
    assert '<tag k="highway" v="trunk"/>\n    <tag k="name"' in text and '<tag k="foot" v="no"/>' in text
    ids = np.array(list(G.nodes))
    assert (ids > 0).all()


def test_demo_layer_dir_caches_atomically(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []

    def fake(out_dir: Path, *, scale: float, seed: int) -> Path:
        calls.append(out_dir)
        (out_dir / "data.txt").write_text("x")
        (out_dir / "manifest.yaml").write_text("name: x\n")
        return out_dir / "manifest.yaml"

    monkeypatch.setattr(demo, "generate_demo_city", fake)
    monkeypatch.setenv("COVERAGE_CACHE_DIR", str(tmp_path / "env"))
    threads = [threading.Thread(target=demo_layer_dir, kwargs={"scale": 0.05, "seed": 3}) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    folder = demo_layer_dir(scale=0.05, seed=3)
    assert folder == tmp_path / "env" / f"demo-v{DEMO_VERSION}-scale0.05-seed3"
    assert (folder / "manifest.yaml").is_file() and len(calls) == 1
    assert not [p for p in folder.parent.iterdir() if p.name.endswith(".tmp")]

    def broken(out_dir: Path, *, scale: float, seed: int) -> Path:
        (out_dir / "half.txt").write_text("x")
        raise KeyboardInterrupt

    monkeypatch.setattr(demo, "generate_demo_city", broken)
    with pytest.raises(KeyboardInterrupt):
        demo_layer_dir(scale=0.05, seed=4, cache_dir=tmp_path / "own")
    assert [p.name for p in (tmp_path / "own").iterdir() if not p.name.endswith(".lock")] == []


def test_bad_scale_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale"):
        generate_demo_city(tmp_path, scale=0.0)


@pytest.mark.slow
def test_full_scale_city(tmp_path: Path) -> None:
    folder = generate_demo_city(tmp_path / "full", scale=1.0).parent
    people = int(rasterio.open(folder / "population/total.tif").read(1).sum())
    assert 8e6 <= people <= 12e6
    d = gpd.read_file(folder / "units.gpkg", layer="district").to_crs(WORK_CRS)
    s = gpd.read_file(folder / "units.gpkg", layer="street")
    c = gpd.read_file(folder / "units.gpkg", layer="community")
    assert d["class"].value_counts().to_dict() == {"urban_district": 6, "county": 6, "development_zone": 4}
    assert 6_000 <= d.area.sum() / 1e6 <= 7_500
    assert 150 <= len(s) <= 200
    assert len(c) >= 1_000
    with (folder / "network/walk.osm").open(encoding="utf-8") as f:
        nodes = sum(1 for line in f if line.startswith("  <node "))
    assert 300_000 <= nodes <= 500_000
    stations = gpd.read_file(folder / "facilities/seismic_station.geojson")
    assert 25 <= len(stations) <= 40
