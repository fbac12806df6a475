"""The printable brief: content, escaping, static maps, links, and one printed A4 page per target."""

from __future__ import annotations

import html
import math
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CHROMIUM, EVIL, EVIL_DISTRICTS, run_chromium

from coverage_planner.cli.main import cli
from coverage_planner.model.results import FAIL, PASS, UnitResult
from coverage_planner.render.brief import (
    MAX_CONTENTS_ROWS,
    MAX_COVER_ROWS,
    MAX_UNIT_ROWS,
    MAX_UNIT_ROWS_WITH_MAP,
    render_brief,
    worst_units,
)
from coverage_planner.render.svg import TERRITORY_KINDS, judged_level, judged_units, unit_map_svgs
from coverage_planner.render.web.overlays import STATUS_COLOURS
from coverage_planner.studies.check import CheckRun, run_check

#: A chart as coverage/charts.py would supply it (trusted SVG made by this package).
CHART = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150" class="chart-test">'
         '<polyline points="10,140 100,90 200,60 290,30" fill="none" stroke="#2c7bb6" stroke-width="3"/>'
         '<line x1="0" y1="50" x2="300" y2="50" stroke="#d7191c" stroke-dasharray="6 4"/></svg>')


@pytest.fixture(scope="module")
def demo_run() -> CheckRun:
    return run_check("2025", "demo", demo_scale=0.05, want_geo=False)


def _sections(page: str) -> list[str]:
    return re.findall(r'<section class="page target".*?</section>', page, re.S)


def test_one_section_per_target_with_its_facts(demo_run: CheckRun) -> None:
    page = render_brief(demo_run.results, demo_run.meta(), maps=unit_map_svgs(demo_run))
    sections = _sections(page)
    assert len(sections) == len(demo_run.results)
    assert page.count('<section class="page cover">') == 1
    assert "Synthetic data: the figures describe no real city." in page.split('<section class="page target"')[0]
    for r, sec in zip(demo_run.results, sections, strict=True):
        assert f'id="{html.escape(r.id)}"' in sec
        assert html.escape(r.title_zh) in sec and html.escape(r.title_en) in sec
        assert f'class="badge {r.status}"' in sec
        assert html.escape(r.quote[:40]) in sec
        if r.gap:
            assert html.escape(r.gap.text_en[:40]) in sec
        if r.approximate:
            assert "Approximate" in sec
        failing = sum(u.status == FAIL for u in judged_units(r))
        rows = sec.count("<tr data-unit=")
        limit = MAX_UNIT_ROWS_WITH_MAP if "<svg" in sec else MAX_UNIT_ROWS
        assert rows == min(failing, limit), r.id
        if failing > limit:
            assert f"{failing - limit} more not listed" in sec


def test_static_maps_colour_the_units(demo_run: CheckRun) -> None:
    maps = unit_map_svgs(demo_run)
    by_level = [r for r in demo_run.results if r.units and r.level in demo_run.region.units]
    assert by_level and {r.id for r in by_level} <= set(maps)
    for r in by_level:
        svg = maps[r.id]
        assert svg.startswith("<svg") and svg.endswith("</svg>")
        for status in (PASS, FAIL):
            assert (STATUS_COLOURS[status] in svg) == any(u.status == status for u in judged_units(r)), (r.id, status)
        n_paths = sum(d.count("M") for d in re.findall(r' d="([^"]*)"', svg))
        assert n_paths >= len(demo_run.region.units[r.level])  # every unit drawn (some have several rings)


def test_worst_units_are_the_largest_gaps(demo_run: CheckRun) -> None:
    r = next(x for x in demo_run.results if sum(u.status == FAIL for u in x.units) >= 3)
    worst = worst_units(r, 3)
    gaps = sorted((u.gap for u in judged_units(r) if u.status == FAIL), reverse=True)
    assert [u.gap for u in worst] == gaps[:3] and all(u.status == FAIL for u in worst)


def test_chinese_brief(demo_run: CheckRun) -> None:
    page = render_brief(demo_run.results[:3], demo_run.meta(), lang="zh")
    assert '<html lang="zh-CN">' in page and "2025 年规划指标核查简报" in page and "合成数据" in page
    r = demo_run.results[0]
    assert html.escape(r.summary_zh[:20]) in page and "规划原文" not in page  # labels, not the map's field names


def test_charts_are_embedded_as_given(demo_run: CheckRun) -> None:
    r = demo_run.results[0]
    page = render_brief(demo_run.results[:2], demo_run.meta(), charts={r.id: CHART})
    assert page.count(CHART) == 1 and CHART in _sections(page)[0]


def test_names_from_data_are_escaped(evil_city: tuple[Path, Path], tmp_path: Path) -> None:
    layers, sc = evil_city
    out = tmp_path / "brief.html"
    res = CliRunner().invoke(cli, ["check", "-s", str(sc), "--layers", str(layers), "--format", "brief", "--out",
                                   str(out), "--exit-zero"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert page.lower().count("<script") == 1  # the page-fitting script, nothing from data
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e]", page)
    shown = [n for n in [*EVIL.values(), *EVIL_DISTRICTS] if html.escape(n[:6]) in page]
    assert shown


def test_maps_dir_links_each_target(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    layers, sc = tiny
    out = tmp_path / "briefs" / "b.html"
    res = CliRunner().invoke(cli, ["check", "-s", str(sc), "--layers", str(layers), "--format", "brief", "--out",
                                   str(out), "--maps", str(tmp_path / "maps"), "--exit-zero"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "href='../maps/slots.html'" in page and "href='../maps/puhui-street.html'" in page
    res = CliRunner().invoke(cli, ["check", "-s", str(sc), "--layers", str(layers), "--maps", str(tmp_path)])
    assert res.exit_code == 2 and "--format brief" in res.output


# ---------------------------------------------------------------- printed by Chromium

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)")


def _print(page: str, tmp: Path) -> tuple[list[str], str]:
    """Print ``page`` with Chromium: the text of each PDF page, and the DOM after the fitting script ran."""
    pypdf = pytest.importorskip("pypdf")
    src, pdf = tmp / "brief.html", tmp / "brief.pdf"
    src.write_text(page, encoding="utf-8")
    proc = run_chromium(src.as_uri(), tmp / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert pdf.exists(), proc.stderr[-2000:]
    dom = run_chromium(src.as_uri(), tmp / "profile", "--dump-dom").stdout
    return [re.sub(r"\s+", "", p.extract_text()) for p in pypdf.PdfReader(pdf).pages], dom


@needs_chromium
@pytest.mark.browser
def test_pdf_has_one_page_per_target(demo_run: CheckRun, tmp_path: Path) -> None:
    results = demo_run.results
    page = render_brief(results, demo_run.meta(), charts={r.id: CHART for r in results}, maps=unit_map_svgs(demo_run))
    toc = re.findall(r"<table class='toc'>.*?</table>", page)
    assert all(f"<td>{html.escape(r.id)}</td>" in "".join(toc) for r in results)  # every target listed, none left out
    front = 1 + math.ceil(max(0, len(results) - MAX_COVER_ROWS) / MAX_CONTENTS_ROWS)  # the cover and the list's rest
    assert page.count('<section class="page contents">') == front - 1 and "more not listed" not in "".join(toc)
    texts, dom = _print(page, tmp_path)
    assert len(texts) == front + len(results)
    assert f">{front + len(results)}</td></tr></table>" in "".join(toc)  # the last target's page number
    for r, text in zip(results, texts[front:], strict=True):
        assert r.id in text, (r.id, text[:300])  # each target on its own page, in order
    assert dom.count('class="page target"') == len(results) and not re.search(r'class="page [a-z]+ clipped"', dom)


@needs_chromium
@pytest.mark.browser
def test_pdf_long_target_stays_on_its_page(demo_run: CheckRun, tmp_path: Path) -> None:
    base = max(demo_run.results, key=lambda r: len(r.units))
    many = [UnitResult(level="street", unit_id=f"U{i:04d}", name="很长的单元名称" * 8, unit_class="street", value=0.0,
                       status=FAIL, threshold=1.0, gap=float(i), population=1000.0 + i) for i in range(300)]
    long = replace(base, id="long", quote="十四五规划原文很长" * 200, summary_en="word " * 400,
                   assumptions=[f"assumption {i}: " + "x " * 200 for i in range(40)], units=many, approximate=True,
                   gap=replace(base.gap, text_en="gap " * 500) if base.gap else None)
    results = [long, demo_run.results[0], long, demo_run.results[1]]
    maps = unit_map_svgs(demo_run)
    maps["long"] = maps[base.id]
    page = render_brief(results, demo_run.meta(), charts={"long": CHART}, maps=maps)
    assert "292 more not listed" in page
    texts, dom = _print(page, tmp_path)
    assert len(texts) == 1 + len(results)
    assert "35moreassumptions" in texts[1] and "U0292" in texts[1]  # shrunk to fit, not cut off
    assert "zoom:" in dom and not re.search(r'class="page [a-z]+ clipped"', dom)


@needs_chromium
@pytest.mark.browser
def test_pdf_page_that_cannot_fit_says_it_was_cut(demo_run: CheckRun, tmp_path: Path) -> None:
    r = demo_run.results[0]
    page = render_brief([r], demo_run.meta(), charts={r.id: '<div style="height: 600mm"></div>'})
    texts, dom = _print(page, tmp_path)
    assert len(texts) == 2
    assert re.search(r'class="page target clipped"', dom) and "Cuttofitthepage" in texts[1]


@pytest.fixture(scope="module")
def geo_run() -> CheckRun:
    """The run a brief is printed from: with the gaps and grids of the territory targets."""
    return run_check("2025", "demo", demo_scale=0.05, want_geo=True)


def _drawn(svg: str) -> dict[str, str]:
    return dict(re.findall(r'<path data-unit="([^"]*)" data-status="([^"]*)"', svg))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_map_table_and_text_agree_for_every_target(geo_run: CheckRun, lang: str) -> None:
    """Each page's static map colours exactly the units its table judges, at one level, and the count agrees."""
    maps = unit_map_svgs(geo_run)
    page = render_brief(geo_run.results, geo_run.meta(), lang=lang, maps=maps)
    checked = 0
    for r, sec in zip(geo_run.results, _sections(page), strict=True):
        units = judged_units(r)
        assert len({u.level for u in units}) <= 1, r.id
        failing = {u.unit_id for u in units if u.status == FAIL}
        rows = re.findall(r"<tr data-unit='([^']*)'>", sec)
        assert set(rows) <= failing and len(rows) == min(len(failing), MAX_UNIT_ROWS_WITH_MAP if r.id in maps
                                                          else MAX_UNIT_ROWS), r.id
        if failing:  # the heading counts the failing units of that one level
            assert re.search(rf"[(（,,]\D*{len(failing)}\D", sec.split("<table>")[0].rsplit("<h3>", 1)[-1]), r.id
        if r.id not in maps:
            continue
        drawn = _drawn(maps[r.id])
        assert {u for u, s in drawn.items() if s == FAIL} == failing, r.id  # red on the map = failing in the table
        assert {u for u, s in drawn.items() if s != "not_checked"} == {u.unit_id for u in units}, r.id
        assert maps[r.id] in sec
        checked += 1
    assert checked >= 35


def test_territory_targets_draw_their_gaps(tmp_path: Path) -> None:
    """A spacing target that fails draws its gaps over the units it judges, not a grey district."""
    import shutil

    folder = tmp_path / "scenarios"
    shutil.copytree(Path(__file__).resolve().parents[1] / "scenarios", folder)
    sc = folder / "2025.yaml"  # the plan's 30 km passes on the small city; 8 km leaves gaps
    sc.write_text(sc.read_text(encoding="utf-8").replace("spacing_km: 30", "spacing_km: 8")
                  .replace("threshold: {max: 30}", "threshold: {max: 8}"), encoding="utf-8")
    run = run_check(sc, "demo", demo_scale=0.05, want_geo=True, targets=["seismic-station-spacing"])
    (r,) = run.results
    assert r.status == FAIL and r.kind in TERRITORY_KINDS and judged_level(r) == "district"
    svg = unit_map_svgs(run)[r.id]
    drawn = _drawn(svg)
    assert {u for u, s in drawn.items() if s == FAIL} == {u.unit_id for u in r.units if u.status == FAIL} != set()
    assert '<path class="gap"' in svg  # the gaps themselves, outlined over the units
    page = render_brief(run.results, run.meta(), maps={r.id: svg})
    assert "Parts of the territory that fail the target" in page
    assert "farther than allowed from every station" in page  # and the legend says what the dark areas are
