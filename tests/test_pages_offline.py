"""Acceptance: one page of every kind from every command opens in Chromium with all network access blocked.

``coverage map`` (a page per target kind and the index), ``coverage site --out`` (its map), ``coverage
progress --maps`` (a page and the index with charts) and ``coverage compare --map`` (a page and its
index) are run with their default options on the small demo city; each page is opened in headless
Chromium with no DNS and a dead proxy. Leaflet must have run (its panes are in the DOM, every layer
built), and neither the page nor the console may report an error. The default basemap's tiles cannot
load offline: those image failures are the only ones allowed, and only on the default-basemap pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import load_page, screenshot
from click.testing import CliRunner
from conftest import CHROMIUM

from coverage_planner.cli.main import cli
from coverage_planner.model.scenario import load_scenario
from coverage_planner.render.web.assets import LEAFLET_VERSION

SCALE = "0.05"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)")]


def _one_target_per_kind() -> dict[str, str]:
    kinds: dict[str, str] = {}
    for t in load_scenario("2025").targets:
        kinds.setdefault(t.kind, t.id)
    return kinds


def _run(*args: str) -> None:
    res = CliRunner().invoke(cli, [*args, "--demo-scale", SCALE])
    assert res.exit_code in (0, 1), res.output


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every command's pages, written with default options (and --tiles none where said)."""
    out = tmp_path_factory.mktemp("offline")
    kinds = _one_target_per_kind()
    picks = [a for tid in kinds.values() for a in ("-t", tid)]
    _run("map", "-s", "2025", "-o", str(out / "map"), "--tiles", "none", *picks)
    _run("map", "-s", "2025", "-o", str(out / "map-osm"), "-t", kinds["ratio"])  # every default, OSM tiles
    _run("map", "-s", "2025", "-o", str(out / "map-zh"), "--tiles", "none", "--lang", "zh", "-t", kinds["detection"])
    _run("site", "-s", "2025", "-t", kinds["ratio"], "--new", "2", "--capacity", "300", "-o", str(out / "site"),
         "--tiles", "none")
    _run("progress", "-s", "2020", "-s", "2025", "-t", kinds["ratio"], "--maps", str(out / "progress"),
         "--tiles", "none")
    _run("compare", "-s", "2025", "--with", "planned", "-t", kinds["ratio"], "--map", str(out / "compare"),
         "--tiles", "none")
    found = {f"map {kind}": out / "map" / f"{tid.replace(':', '_')}.html" for kind, tid in kinds.items()}
    found.update({
        "map index": out / "map" / "index.html",
        "map (OSM tiles)": out / "map-osm" / f"{kinds['ratio']}.html",
        "map zh detection": out / "map-zh" / f"{kinds['detection']}.html",
        "site map": out / "site" / "map" / f"{kinds['ratio']}.html",
        "site index": out / "site" / "map" / "index.html",
        "progress map": out / "progress" / f"{kinds['ratio']}.html",
        "progress index": out / "progress" / "index.html",
        "compare map": out / "compare" / f"{kinds['ratio']}.html",
        "compare index": out / "compare" / "index.html",
    })
    return found


CASES = [*(f"map {k}" for k in _one_target_per_kind()), "map index", "map (OSM tiles)", "map zh detection",
         "site map", "site index", "progress map", "progress index", "compare map", "compare index"]


@pytest.mark.parametrize("case", CASES)
def test_page_opens_offline(pages: dict[str, Path], case: str, tmp_path: Path) -> None:
    page = pages[case]
    assert page.exists(), f"{case}: {page} was not written"
    report = load_page(page, tmp_path)
    errors = report["errors"]
    if case == "map (OSM tiles)":  # offline, the basemap's tiles cannot load; nothing else may fail
        errors = [e for e in errors if "tile.openstreetmap.org" not in e]
        assert len(errors) < len(report["errors"])  # the test really ran offline
    assert errors == [] and report["console"] == [] and report["alerts"] == [], (case, report["errors"][:5])
    if case.endswith("index"):
        return
    assert report["leaflet"] == LEAFLET_VERSION, case
    assert report["panes"] >= 5, case  # Leaflet ran: its panes are in the DOM
    assert {"territory", "city_outline"} <= set(report["layers"]), case  # the territory is drawn on every map
    assert all(n > 0 for n in report["layers"].values()), (case, report["layers"])
    assert report["paths"] + report["canvases"] + report["markers"] > 0, case
    assert report["labels"] > 0, case  # the districts are named
    assert report["injected"] == 0, case


def test_pages_need_no_folder_but_their_own(pages: dict[str, Path]) -> None:
    """Each folder of pages carries Leaflet (with its licence) beside them and links it relatively."""
    for case in ("map index", "site map", "progress map", "compare map"):
        folder = pages[case].parent
        assert (folder / "assets" / "leaflet.js").exists() and (folder / "assets" / "LICENSE-leaflet.txt").exists()
    text = pages["map ratio"].read_text(encoding="utf-8")
    assert '<script src="assets/leaflet.js"></script>' in text and "https://cdn" not in text


def test_screenshots_of_the_seismic_pages(pages: dict[str, Path], tmp_path: Path) -> None:
    """The pages draw (a screenshot is not blank); kept in tmp_path for a person to look at."""
    for case in ("map detection", "map warning_time", "map zh detection"):
        png = screenshot(pages[case], tmp_path / f"{case.replace(' ', '-')}.png", tmp_path)
        assert png.exists() and png.stat().st_size > 20_000, case
