"""Map pages: rendering, escaping, determinism, basemaps, light geometry, atomic output, CLI, browser."""

from __future__ import annotations

import importlib
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from browser import load_page, screenshot
from click.testing import CliRunner
from conftest import CHROMIUM, TINY_SCENARIO, pt, to_wgs, write_tiny

from coverage_planner.cli.main import cli
from coverage_planner.errors import OutputError
from coverage_planner.model.results import FAIL, TargetResult
from coverage_planner.render.web import MapError, publish
from coverage_planner.render.web.assets import CDN, LEAFLET_VERSION, packaged_assets
from coverage_planner.render.web.geometry import (
    aggregate_cells,
    map_tolerance_m,
    round_coords,
    simplify,
    to_web,
)
from coverage_planner.render.web.ids import deterministic_ids
from coverage_planner.render.web.jsdata import script_json
from coverage_planner.studies.check import CheckRun, run_check

EVIL = "<script>alert(1)</script>"
EVIL_NAMES = [EVIL, "{{ 7*7 }}", "</script><script>alert(2)</script>", 'A "quoted" & <b>bold</b>']


# ---------------------------------------------------------------- fixtures


def _geo_result(run: CheckRun) -> TargetResult:
    """A made-up result carrying every geo layer kind (the kinds that fill them are written elsewhere)."""
    base = run.results[0]
    crs = run.region.crs
    pop = run.region.population
    keep = np.arange(len(pop)) % 3 == 0
    cells = gpd.GeoDataFrame({"people": pop.total[keep]}, geometry=shapely.points(pop.x_m[keep], pop.y_m[keep]), crs=crs)
    grid_x, grid_y = np.meshgrid(np.arange(500_125.0, 502_000, 250), np.arange(3_850_125.0, 3_851_000, 250))
    return replace(
        base, id="geo-layers", kind="coverage_test", status=FAIL, units=[], gap=None,
        geo={
            "service_area": gpd.GeoDataFrame({"name": [EVIL], "minutes": [15]}, geometry=[pt(300, 300).buffer(250)],
                                             crs=crs),
            "uncovered_cells": cells,
            "grid": gpd.GeoDataFrame({"mc": np.linspace(0.5, 2.5, grid_x.size)},
                                     geometry=shapely.points(grid_x.ravel(), grid_y.ravel()), crs=crs),
            "gaps": gpd.GeoDataFrame({"area_km2": [0.1]}, geometry=[pt(1500, 700).buffer(150)], crs=crs),
            "proposed": gpd.GeoDataFrame({"rank": [1, 2]}, geometry=[pt(1500, 700), pt(1700, 300)], crs=crs),
            "something_new": gpd.GeoDataFrame({"note": ["x"]}, geometry=[pt(900, 900)], crs=crs),
            "facilities": run.region.facilities("childcare", purpose="test").iloc[:2],
        })


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> CheckRun:
    """The tiny city with hostile facility names, plus a result holding every geo layer."""
    folder = tmp_path_factory.mktemp("tiny_maps")
    ll = to_wgs(gpd.GeoDataFrame(geometry=[pt(200, 200), pt(700, 700), pt(1500, 200), pt(1200, 800)]))
    childcare = pd.DataFrame({"名称": ["阳光托育", *EVIL_NAMES[:3]], "托位数": ["4", "2", "1", "0"],
                              "普惠": ["是", "否", "是", "是"], "note": [EVIL_NAMES[3], "", "", ""],
                              "lon": ll.geometry.x.round(7), "lat": ll.geometry.y.round(7)})
    layers = write_tiny(folder / "layers", childcare=childcare,
                        manifest_patch={"name": "Tiny <i>city</i> (synthetic data)", "synthetic": True,
                                        "sources": [{"name": "hand-made <tiny>", "licence": "CC0"}]})
    scenario = folder / "tiny.yaml"
    scenario.write_text(TINY_SCENARIO.replace('quote: "q"', 'quote: "q <script>alert(3)</script>"', 1), encoding="utf-8")
    run = run_check(scenario, layers)
    return replace(run, results=[*run.results, _geo_result(run)])


def _pages(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.html"))}


@pytest.fixture(scope="module")
def published(tiny_run: CheckRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("published") / "maps"
    publish(tiny_run, out, tiles="osm", lang="en")
    return out


# ---------------------------------------------------------------- rendering


def test_publish_writes_index_and_one_page_per_target(tiny_run: CheckRun, published: Path) -> None:
    pages = _pages(published)
    ids = [r.id for r in tiny_run.results]
    assert set(pages) == {"index.html", *(f"{i}.html" for i in ids)}
    index = pages["index.html"]
    for i in ids:
        assert f'href="{i}.html"' in index
    assert index.count('class="badge fail"') == sum(r.status == "fail" for r in tiny_run.results)
    assert "Synthetic data" in index and "hand-made &lt;tiny&gt;" in index and "licence: CC0" in index
    ratio = pages["slots.html"]
    assert "Tiny &lt;i&gt;city&lt;/i&gt; (synthetic data)" in ratio  # the layer set's name, escaped
    for needed in ('"name":"units"', '"name":"facilities"', "L.control.layers", 'id="cov-legend"', "PASS", "FAIL"):
        assert needed in ratio
    geo = pages["geo-layers.html"]
    for name in ("service_area", "uncovered_cells", "grid", "gaps", "proposed", "something_new", "facilities"):
        assert f'"name":"{name}"' in geo


def _layer_data(page: str, layer: str) -> dict:
    """The columnar data of the page's layer called ``layer``."""
    for block in re.findall(r'<script type="application/json" id="(data_layer_\d+)_data">(.*?)</script>', page):
        spec = re.search(rf'var {block[0]} = coverageLayer\((\{{.*?\}}), JSON', page).group(1)
        if json.loads(spec)["name"] == layer:
            return json.loads(block[1])
    raise AssertionError(layer)


def test_units_choropleth_values(published: Path) -> None:
    page = (published / "slots.html").read_text(encoding="utf-8")
    props = _layer_data(page, "units")["p"]
    by_name = dict(zip(props["name"], zip(props["status_text"], props["value_text"], props["gap_text"], strict=True),
                       strict=True))
    assert by_name["甲区"][0] == "PASS" and by_name["乙县"][0] == "FAIL"
    assert by_name["乙县"][1].startswith("2 ") and by_name["乙县"][2].startswith("1 ")


def test_counted_facilities_come_from_geo(tiny_run: CheckRun, tmp_path: Path) -> None:
    slots = next(r for r in tiny_run.results if r.id == "slots")
    fac = tiny_run.region.facilities("childcare", purpose="test")
    run = replace(tiny_run, results=[replace(slots, geo={"facilities": fac.iloc[:1]})])
    publish(run, tmp_path / "m", tiles="none")
    page = (tmp_path / "m" / "slots.html").read_text(encoding="utf-8")
    assert page.count('"name":"facilities"') == 1 and page.count('"name":"facilities_other"') == 1
    assert "Facilities: childcare (1)" in page and f"(not meeting the filter) ({len(fac) - 1})" in page


def test_labels_in_chinese(tiny_run: CheckRun, tmp_path: Path) -> None:
    publish(tiny_run, tmp_path / "zh", tiles="none", lang="zh", target_ids=["slots"])
    page = (tmp_path / "zh" / "slots.html").read_text(encoding="utf-8")
    index = (tmp_path / "zh" / "index.html").read_text(encoding="utf-8")
    assert "图例" in page and "未达标" in page and "每千人口托位数" in page
    assert "查看地图" in index and "合成数据" in index
    assert sorted(p.name for p in (tmp_path / "zh").glob("*.html")) == ["index.html", "slots.html"]


# ---------------------------------------------------------------- escaping


def test_data_strings_are_escaped_everywhere(published: Path) -> None:
    for name, text in _pages(published).items():
        assert EVIL not in text, name
        assert "alert(2)</script>" not in text, name
        assert "<b>bold</b>" not in text, name
        assert "<i>city</i>" not in text, name
    page = (published / "puhui-street.html").read_text(encoding="utf-8")
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page  # JSON-escaped inside the data block
    assert '"{{ 7*7 }}"' in page  # not evaluated by Jinja
    assert "textContent" in page and "innerHTML" not in page
    index = (published / "index.html").read_text(encoding="utf-8")
    assert "q &lt;script&gt;alert(3)&lt;/script&gt;" in index


def test_script_json_cannot_close_a_script_block() -> None:
    text = script_json({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


# ---------------------------------------------------------------- determinism


def test_two_renders_are_byte_identical(tiny_run: CheckRun, published: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    publish(tiny_run, again, tiles="osm", lang="en")
    first, second = _pages(published), _pages(again)
    assert first == second
    for text in first.values():
        assert not re.search(r"[0-9a-f]{32}", text)  # no random uuid-style ids left


def test_deterministic_ids_restore_branca() -> None:
    from branca.element import Element

    with deterministic_ids("p"):
        assert Element()._id == "p1" and Element()._id == "p2"
    assert re.fullmatch(r"[0-9a-f]{32}", Element()._id)


# ---------------------------------------------------------------- basemaps and assets


def test_tiles_none_has_no_tile_layer(tiny_run: CheckRun, published: Path, tmp_path: Path) -> None:
    publish(tiny_run, tmp_path / "none", tiles="none", target_ids=["slots"])
    page = (tmp_path / "none" / "slots.html").read_text(encoding="utf-8")
    assert "tileLayer" not in page and "{z}" not in page and "openstreetmap" not in page
    assert "tile.openstreetmap.org/{z}/{x}/{y}.png" in (published / "slots.html").read_text(encoding="utf-8")
    srcs = set(re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', page))
    assert srcs == {"assets/leaflet.js", "assets/leaflet.css"}  # only Leaflet, beside the page: no jQuery, fonts
    assert "District" in page and '"fillColor":"#f2efe9"' in page  # no tiles: the territory is drawn as land


def _first_point(page: str, layer: str) -> tuple[float, float]:
    return tuple(_layer_data(page, layer)["g"][0]["coordinates"])


def test_amap_shifts_overlays_to_gcj02(tiny_run: CheckRun, tmp_path: Path) -> None:
    publish(tiny_run, tmp_path / "wgs", tiles="none", target_ids=["slots"])
    publish(tiny_run, tmp_path / "gcj", tiles="amap", target_ids=["slots"])
    wgs = (tmp_path / "wgs" / "slots.html").read_text(encoding="utf-8")
    gcj = (tmp_path / "gcj" / "slots.html").read_text(encoding="utf-8")
    assert "autonavi.com" in gcj and "GCJ-02" in gcj
    (x0, y0), (x1, y1) = _first_point(wgs, "facilities"), _first_point(gcj, "facilities")
    from coverage_planner.model.coords import wgs84_to_gcj02

    ex, ey = wgs84_to_gcj02(x0, y0)
    assert abs(x1 - ex) < 2e-6 and abs(y1 - ey) < 2e-6 and abs(x1 - x0) > 1e-3


def test_tianditu_needs_a_valid_key(tiny_run: CheckRun, tmp_path: Path) -> None:
    with pytest.raises(MapError, match="needs a key"):
        publish(tiny_run, tmp_path / "t", tiles="tianditu")
    with pytest.raises(MapError, match="not a key"):
        publish(tiny_run, tmp_path / "t", tiles="tianditu", tianditu_key="abc\"><script>")
    publish(tiny_run, tmp_path / "t", tiles="tianditu", tianditu_key="0123456789abcdef0123456789abcdef",
            target_ids=["beds"])
    page = (tmp_path / "t" / "beds.html").read_text(encoding="utf-8")
    assert "vec_w/wmts" in page and "cva_w/wmts" in page and "tk=0123456789abcdef" in page
    assert not (tmp_path / "t" / "slots.html").exists()


def test_local_assets_are_copied(tiny_run: CheckRun, tmp_path: Path) -> None:
    src = tmp_path / "leaflet"
    (src / "images").mkdir(parents=True)
    for name in ("leaflet.js", "leaflet.css", "images/marker.png"):
        (src / name).write_text("/* stub */", encoding="utf-8")
    publish(tiny_run, tmp_path / "off", tiles="none", target_ids=["slots"], assets=src)
    page = (tmp_path / "off" / "slots.html").read_text(encoding="utf-8")
    assert '<script src="assets/leaflet.js">' in page and "cdn.jsdelivr" not in page
    assert (tmp_path / "off" / "assets" / "images" / "marker.png").exists()
    (tmp_path / "empty").mkdir()
    with pytest.raises(MapError, match="no leaflet.js"):
        publish(tiny_run, tmp_path / "off", tiles="none", assets=tmp_path / "empty")
    with pytest.raises(MapError, match="neither folder, inline, cdn nor a folder"):
        publish(tiny_run, tmp_path / "off", tiles="none", assets=tmp_path / "missing")


def test_asset_modes(tiny_run: CheckRun, tmp_path: Path) -> None:
    """folder (default): assets/ once beside the pages, with licences; inline: nothing beside; cdn: links only."""
    publish(tiny_run, tmp_path / "folder", tiles="none", target_ids=["slots", "geo-layers"])
    written = sorted(p.relative_to(tmp_path / "folder" / "assets").as_posix()
                     for p in (tmp_path / "folder" / "assets").rglob("*") if p.is_file())
    assert {"leaflet.js", "leaflet.css", "leaflet.markercluster.js", "MarkerCluster.css", "images/layers.png",
            "LICENSE-leaflet.txt", "LICENSE-leaflet.markercluster.txt"} <= set(written)
    assert (tmp_path / "folder" / "assets" / "leaflet.js").read_bytes() == (packaged_assets() / "leaflet.js").read_bytes()
    publish(tiny_run, tmp_path / "inline", tiles="none", target_ids=["slots"], assets="inline")
    page = (tmp_path / "inline" / "slots.html").read_text(encoding="utf-8")
    assert not (tmp_path / "inline" / "assets").exists()
    assert "<script src=" not in page and 'rel="stylesheet"' not in page
    assert f"Leaflet {LEAFLET_VERSION}" in page and "url(data:image/png;base64," in page
    publish(tiny_run, tmp_path / "cdn", tiles="none", target_ids=["slots"], assets="cdn")
    page = (tmp_path / "cdn" / "slots.html").read_text(encoding="utf-8")
    assert not (tmp_path / "cdn" / "assets").exists()
    assert f'<script src="{CDN["leaflet.js"]}">' in page and 'id="cov-offline"' in page


# ---------------------------------------------------------------- light pages


def test_tolerance_follows_the_extent() -> None:
    assert map_tolerance_m((0, 0, 100_000, 50_000)) == pytest.approx(25.0)
    assert map_tolerance_m((0, 0, 2_000, 1_000)) == 1.0  # never below 1 m
    assert map_tolerance_m((0, 0, 10_000_000, 1)) == 100.0  # never above 100 m


def test_simplify_keeps_shape_within_tolerance() -> None:
    theta = np.linspace(0, 2 * np.pi, 5001)
    wobbly = shapely.Polygon(np.column_stack([1000 * np.cos(theta) + 3 * np.sin(40 * theta), 1000 * np.sin(theta)]))
    out = simplify(np.array([wobbly], dtype=object), 10.0)[0]
    assert shapely.get_num_coordinates(out) < 200 < shapely.get_num_coordinates(wobbly)
    # Douglas-Peucker bounds the error by the tolerance; GEOS may also drop a ring's start point (a bit more)
    assert shapely.hausdorff_distance(out, wobbly) <= 1.5 * 10.0 and out.is_valid


def test_coverage_simplify_keeps_neighbours_together() -> None:
    x = np.linspace(0, 1000, 2001)
    edge = np.column_stack([x, 500 + 20 * np.sin(x / 7)])
    south = shapely.Polygon([(0, 0), (1000, 0), *edge[::-1]])
    north = shapely.Polygon([*edge, (1000, 1000), (0, 1000)])
    a, b = simplify(np.array([south, north], dtype=object), 5.0, coverage=True)
    assert shapely.get_num_coordinates(a) < 1000
    assert a.intersection(b).area < 1e-6  # no overlap
    assert shapely.union_all([a, b]).area == pytest.approx(1_000_000, rel=1e-9)  # no gap


def test_to_web_rounds_and_reprojects() -> None:
    gdf = gpd.GeoDataFrame({"v": [1]}, geometry=[shapely.box(500_000, 3_850_000, 500_333.3, 3_850_777.7)], crs="EPSG:32649")
    web = to_web(gdf, tolerance_m=1.0)
    assert web.crs.to_epsg() == 4326
    coords = shapely.get_coordinates(web.geometry.to_numpy())
    assert np.allclose(coords, np.round(coords, 6), atol=0, rtol=0)
    assert shapely.to_geojson(web.geometry.iloc[0]).count(".") <= 10  # short numbers
    assert round_coords(np.array([shapely.Point(1.23456789, 2.0)], dtype=object))[0].x == 1.234568


def test_aggregate_cells_keeps_people_and_limits_count() -> None:
    xs, ys = np.meshgrid(np.arange(50.0, 20_000, 100), np.arange(50.0, 10_000, 100))  # 20 000 cells of 100 m
    people = np.arange(xs.size, dtype=float) % 7
    pts = gpd.GeoDataFrame({"people": people}, geometry=shapely.points(xs.ravel(), ys.ravel()), crs="EPSG:32649")
    cells, size = aggregate_cells(pts, "people", cell_m=100, max_cells=1_000)
    assert size == 500.0 and len(cells) == 800  # 40 x 20 cells of 500 m
    assert cells["people"].sum() == pytest.approx(people.sum())
    assert np.allclose(shapely.area(cells.geometry.to_numpy()), 500 * 500)
    small, size = aggregate_cells(pts.iloc[:50], "people", cell_m=100)
    assert size == 100.0 and len(small) == 50 and np.allclose(shapely.area(small.geometry.to_numpy()), 100 * 100)


def test_heavy_layer_is_simplified_further(tiny_run: CheckRun, monkeypatch: pytest.MonkeyPatch) -> None:
    from coverage_planner.render.web import page
    from coverage_planner.render.web.overlays import LayerData

    theta = np.linspace(0, 2 * np.pi, 20_001)
    ring = np.column_stack([501_000 + 400 * np.cos(theta) + 4 * np.sin(300 * theta), 3_850_500 + 400 * np.sin(theta)])
    layer = LayerData(key="heavy", label="heavy", gdf=gpd.GeoDataFrame({"v": [1]}, geometry=[shapely.Polygon(ring)],
                                                                       crs=tiny_run.region.crs),
                      columns=["v"], styles=[{}])
    ctx = page.PageContext(run=tiny_run)
    light = page._data_layer(layer, ctx).data_json
    monkeypatch.setattr(page, "MAX_LAYER_BYTES", len(light) // 3)
    lighter = page._data_layer(layer, ctx).data_json
    assert len(lighter) < len(light) // 2


def test_many_facilities_are_clustered(tiny_run: CheckRun) -> None:
    from coverage_planner.render.web.overlays import facility_layers

    fac = tiny_run.region.facilities("childcare", purpose="test")
    many = pd.concat([fac] * 80, ignore_index=True)
    (layer,) = facility_layers(many, None, role="childcare", capacity="slots", lang="en")
    assert layer.cluster and layer.popup[3] == ("slots", "Capacity (childcare slots)")


# ---------------------------------------------------------------- atomic output


def test_failed_render_leaves_previous_maps(tiny_run: CheckRun, published: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "maps"
    shutil.copytree(published, out)
    before = _pages(out)
    publish_mod = importlib.import_module("coverage_planner.render.web.publish")
    calls = []

    def boom(result: TargetResult, ctx: object) -> str:
        calls.append(result.id)
        if len(calls) == 3:
            raise RuntimeError("disk on fire")
        return "<html></html>"

    monkeypatch.setattr(publish_mod, "render_page", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        publish(tiny_run, out, tiles="none")
    assert _pages(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["maps"]  # no temporary folder left behind


def test_never_replaces_a_folder_it_did_not_make(tiny_run: CheckRun, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(MapError, match="not maps made by this tool"):
        publish(tiny_run, mine, tiles="none")
    assert (mine / "thesis.docx").read_text(encoding="utf-8") == "precious"
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(MapError, match="is a file"):
        publish(tiny_run, tmp_path / "file", tiles="none")


def test_unwritable_parent_is_an_output_error(tiny_run: CheckRun, tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError):
        publish(tiny_run, tmp_path / "blocker" / "maps", tiles="none")


# ---------------------------------------------------------------- CLI


@pytest.fixture
def tiny_files(tmp_path: Path) -> tuple[Path, Path]:
    layers = write_tiny(tmp_path / "tiny")
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY_SCENARIO, encoding="utf-8")
    return layers, scenario


def _cli(*args: str | Path) -> object:
    return CliRunner().invoke(cli, ["map", *map(str, args)], env={"TIANDITU_KEY": None})


def test_cli_writes_maps(tiny_files: tuple[Path, Path], tmp_path: Path) -> None:
    layers, scenario = tiny_files
    res = _cli("--scenario", scenario, "--layers", layers, "--out", tmp_path / "m", "--tiles", "none", "--lang", "zh",
               "-t", "slots", "-t", "beds")
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (tmp_path / "m").glob("*.html")) == ["beds.html", "index.html", "slots.html"]
    assert "已写入 2 幅地图和索引页" in res.output  # --lang zh: the status line in Chinese


@pytest.mark.parametrize(("extra", "message"), [
    (["--tiles", "tianditu"], "needs a key"),
    (["--tiles", "bing"], "Invalid value for '--tiles'"),
    (["--lang", "fr"], "Invalid value for '--lang'"),
    (["-t", "no-such-target"], "no-such-target"),
])
def test_cli_bad_input_exits_2(tiny_files: tuple[Path, Path], tmp_path: Path, extra: list[str], message: str) -> None:
    layers, scenario = tiny_files
    res = _cli("--scenario", scenario, "--layers", layers, "--out", tmp_path / "m", *extra)
    assert res.exit_code == 2, res.output
    assert message in res.output and "Traceback" not in res.output
    assert not (tmp_path / "m").exists()


def test_cli_refuses_a_foreign_folder(tiny_files: tuple[Path, Path], tmp_path: Path) -> None:
    layers, scenario = tiny_files
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.txt").write_text("mine", encoding="utf-8")
    res = _cli("--scenario", scenario, "--layers", layers, "--out", tmp_path / "docs", "--tiles", "none")
    assert res.exit_code == 2 and "Choose a new or empty folder" in res.output


# ---------------------------------------------------------------- headless Chromium

browser = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def offline_maps(tiny_run: CheckRun, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "maps"
    publish(tiny_run, out, tiles="none", lang="en")  # Leaflet from the package, in assets/
    return out


@browser
@pytest.mark.browser
@pytest.mark.parametrize(("page", "layers"), [
    ("slots.html", {"units", "facilities"}),  # ratio
    ("puhui-street.html", {"units", "facilities", "facilities_other"}),  # presence with a filter
    ("puhui-share.html", {"units", "facilities"}),  # share
    ("hospitals.html", {"units", "facilities"}),  # count
    ("geo-layers.html", {"service_area", "uncovered_cells", "grid", "gaps", "proposed", "something_new", "facilities"}),
])
def test_page_loads_without_errors(offline_maps: Path, tmp_path: Path, page: str, layers: set[str]) -> None:
    report = load_page(offline_maps / page, tmp_path)
    assert report["errors"] == [] and report["alerts"] == [] and report["console"] == []
    assert report["leaflet"] == LEAFLET_VERSION
    layers = layers | {"territory", "city_outline"}  # the base of every page
    assert set(report["layers"]) == layers
    assert report["labels"] == 2  # the two districts are named on the map
    assert report["panes"] >= 5 and report["controls"] == len(layers)
    assert report["paths"] + report["canvases"] + report["markers"] > 0
    assert report["injected"] == 0
    assert report["ready_ms"] < 5000 and report["seconds"] < 30
    if page == "puhui-street.html":
        assert any(EVIL in text for text in report["texts"])  # shown as text
        assert any("{{ 7*7 }}" in text for text in report["texts"])


@browser
@pytest.mark.browser
def test_index_loads_and_screenshot(offline_maps: Path, tmp_path: Path) -> None:
    report = load_page(offline_maps / "index.html", tmp_path)
    assert report["errors"] == [] and report["alerts"] == [] and report["console"] == []
    shot = screenshot(offline_maps / "geo-layers.html", tmp_path / "geo-layers.png", tmp_path)
    assert shot.exists() and shot.stat().st_size > 10_000


def test_column_values_are_json_ready() -> None:
    from coverage_planner.render.web.jsdata import column_values

    assert column_values(pd.Series([1, None], dtype="Int64")) == [1, None]
    assert column_values(pd.Series([True, None], dtype="boolean")) == [True, None]
    assert column_values(pd.Series([1.23456789, np.nan, 2.0])) == [1.2346, None, 2]
    assert column_values(pd.Series(["a", None])) == ["a", None]
    assert json.loads(script_json(column_values(pd.Series([np.inf, 3])))) == [None, 3]


def test_specks_go_but_no_feature_vanishes() -> None:
    from coverage_planner.render.web.geometry import drop_specks

    holes = [shapely.box(x, 100, x + 10, 110).exterior.coords for x in range(100, 900, 40)]
    swiss = shapely.Polygon(shapely.box(0, 0, 1000, 1000).exterior.coords, holes=holes)
    big_hole = shapely.Polygon(shapely.box(0, 0, 1000, 1000).exterior.coords, holes=[shapely.box(400, 400, 600, 600).exterior.coords])
    with_crumb = shapely.MultiPolygon([shapely.box(0, 0, 500, 500), shapely.box(900, 900, 905, 905)])
    tiny = shapely.box(0, 0, 5, 5)
    out = drop_specks(np.array([swiss, big_hole, with_crumb, tiny, shapely.Point(1, 1)], dtype=object), 400.0)
    assert len(out[0].interiors) == 0 and len(out[1].interiors) == 1
    assert out[2].geom_type == "Polygon" and out[2].area == 250_000
    assert out[3].equals(tiny) and out[4].equals(shapely.Point(1, 1))
    simplified = simplify(np.array([tiny, swiss], dtype=object), 20.0)
    assert not shapely.is_empty(simplified).any()  # a feature smaller than the tolerance is kept


def test_seismic_grid_reads_under_an_outlined_verdict(tiny_run: CheckRun) -> None:
    """Over a grid the verdict is an outline above it (no fill), the legend speaks words, the city is outlined."""
    from coverage_planner.render.web.page import PageContext, layers_for

    slots = next(r for r in tiny_run.results if r.id == "slots")
    grid = _geo_result(tiny_run).geo["grid"]
    seismic = replace(slots, geo={"grid": grid.rename(columns={"mc": "alert_time_s"})})
    keys = [layer.key for layer in layers_for(seismic, PageContext(run=tiny_run))]
    assert keys.index("grid") < keys.index("units") < keys.index("city_outline")
    assert keys[0] == "territory"
    layers = {layer.key: layer for layer in layers_for(seismic, PageContext(run=tiny_run))}
    assert all(s.get("fill") is False and s["weight"] >= 3 for s in layers["units"].styles if s["color"] != "#d9d9d9")
    assert layers["grid"].label == "Grid: Alert time (seconds)"
    assert not any("alert_time_s" in e.label for e in layers["grid"].legend)
    plain = {layer.key: layer for layer in layers_for(slots, PageContext(run=tiny_run))}  # no grid: filled units
    assert all(s["fillOpacity"] > 0 for s in plain["units"].styles)


@browser
@pytest.mark.browser
def test_cdn_pages_say_why_they_are_empty_offline(tiny_run: CheckRun, tmp_path: Path) -> None:
    publish(tiny_run, tmp_path / "cdn", tiles="none", target_ids=["slots"], assets="cdn")
    report = load_page(tmp_path / "cdn" / "slots.html", tmp_path)
    assert report["leaflet"] is None and report["offline_note"]  # Leaflet could not load: the page says why
    assert any("failed to load https://cdn.jsdelivr.net" in e for e in report["errors"])


def test_proposed_sites_are_drawn_above_the_facilities(tiny_run: CheckRun) -> None:
    """A siting study's 'after' run counts its sites as facilities too: the gold markers must stay visible."""
    from coverage_planner.render.web.page import PageContext, layers_for

    keys = [layer.key for layer in layers_for(_geo_result(tiny_run), PageContext(run=tiny_run))]
    assert keys[-1] == "proposed" and keys.index("facilities") < keys.index("proposed")


@browser
@pytest.mark.browser
def test_inline_pages_open_alone(tiny_run: CheckRun, tmp_path: Path) -> None:
    """--assets inline: a page copied anywhere on its own still draws (Leaflet, its CSS images, clusters)."""
    publish(tiny_run, tmp_path / "inline", tiles="none", target_ids=["geo-layers"], assets="inline")
    alone = tmp_path / "elsewhere"
    alone.mkdir()
    shutil.copyfile(tmp_path / "inline" / "geo-layers.html", alone / "geo-layers.html")
    report = load_page(alone / "geo-layers.html", tmp_path)
    assert report["errors"] == [] and report["console"] == [] and report["leaflet"] == LEAFLET_VERSION
    assert {"territory", "grid", "proposed"} <= set(report["layers"]) and report["panes"] >= 5
