"""Progress across years, what-if comparisons and progress charts, on the small demo city and by hand."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from coverage_planner.cli.main import cli
from coverage_planner.model.coords import wgs84_to_gcj02
from coverage_planner.render.charts import progress_chart_svg
from coverage_planner.studies.check import resolve_layers, run_check, run_years
from coverage_planner.studies.compare import compare_reports, region_with_planned
from coverage_planner.studies.progress import NOT_SET, YearPoint, build_progress, line_fit, pace_of
from coverage_planner.targets import evaluate_scenario
from coverage_planner.targets.baseline import check_baseline

SCALE = "0.05"
YEARS = ["2020", "2022", "2023", "2025"]


def _point(year: int, value: float | None, tmin: float | None) -> YearPoint:
    return YearPoint(year, value, tmin, None, "pass", "city")


# ---------------------------------------------------------------- pure: line, pace, sentences


def test_line_fit_and_pace_by_hand():
    assert line_fit([2020, 2022], [1.0, 2.0]) == pytest.approx((0.5, -1009.0))
    pts = [_point(2020, 1.0, 1.0), _point(2022, 2.0, 2.0), _point(2025, None, 4.0)]
    pace = pace_of(pts, 2025, "slots")
    assert pace.projected == pytest.approx(3.5)  # 1 + 0.5 * 5
    assert pace.on_pace is False and pace.trend == "rising"
    assert "not on pace" in pace.sentence_en and "3.50 slots" in pace.sentence_en
    assert "+0.67 slots a year" in pace.sentence_en  # (4 - 2) / 3 years from 2022
    assert "无法达标" in pace.sentence_zh
    assert pace_of([*pts[:2], _point(2025, None, 3.5)], 2025, "slots").on_pace is True
    measured = pace_of([*pts[:2], _point(2025, 4.2, 4.0)], 2025, "slots")
    assert measured.on_pace is False and "2025 as the layers stand" in measured.sentence_en
    assert "4.20 slots, meets the target" in measured.sentence_en  # the final year's own value, beside the line
    one = pace_of([_point(2020, 1.0, 1.0), _point(2025, 2.0, 4.0)], 2025, "slots")
    assert one.on_pace is None and "Too few years" in one.sentence_en


def test_chart_is_deterministic_escaped_and_scaled():
    from coverage_planner.studies.progress import Pace, TargetSeries

    pts = [_point(2020, 1.0, 1.0), _point(2022, 2.0, 2.0), _point(2025, 3.0, 4.0)]
    s = TargetSeries("t<1>", "托<位>", "Slots <b>&", "slots", "个", [2020, 2022, 2023, 2025], pts,
                     pace_of(pts, 2025, "slots"))
    svg = progress_chart_svg(s)
    assert svg == progress_chart_svg(s)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "<b>" not in svg and "Slots &lt;b&gt;&amp;" in svg
    assert "<script" not in svg
    assert svg.count('r="3" fill="#2b6cb0"') == 3  # one dot per measured year
    target_path = svg.split('stroke="#d7191c"')[0].rsplit('<path d="', 1)[1]
    assert target_path.count("M") == 2  # 2023 sets no target: the target line breaks there
    assert isinstance(Pace, type)


# ---------------------------------------------------------------- progress on the demo city


@pytest.fixture(scope="module")
def demo_runs():
    return run_years(YEARS, "demo", demo_scale=float(SCALE), measure_all_years=True)


def test_progress_spans_all_years_with_plan_baselines(demo_runs):
    series = build_progress({r.scenario.year: r.results for r in demo_runs}, baseline_years=[2020],
                            measured_only={r.scenario.year: r.measured_only for r in demo_runs})
    by_id = {s.id: s for s in series}
    slots = by_id["childcare-slots-per-1000"]  # set in every one of the four scenarios
    # one level across years: 2020 states the city figure, 2022-2025 the worst district
    assert slots.level == "district" and [p.year for p in slots.points] == [2022, 2023, 2025]
    assert all(p.status != NOT_SET and p.threshold_min is not None and p.level == "district" for p in slots.points)
    assert [p.year for p in slots.city_points] == [2020, 2022, 2023, 2025]
    assert all(p.level == "city" for p in slots.city_points)
    assert slots.city_points[1].value == pytest.approx(by_year_city(demo_runs, 2022))
    assert "2020 checked another level" in slots.pace.sentence_en
    assert slots.plan_baseline == {2020: 1.46}  # the plan's own 2020 figure (基期值), from scenarios/2020.yaml
    chk = slots.baseline_checks[2020]
    assert chk.official == 1.46 and chk.decimals == 2
    assert chk.verdict == ("reproduces" if round(chk.value, 2) == 1.46 else "differs")
    assert chk.difference == pytest.approx(chk.value - 1.46)
    # each year's value is the one-year check of that scenario on the same layers
    single = run_check("2022", "demo", demo_scale=float(SCALE), targets=["childcare-slots-per-1000"], want_geo=False)
    assert slots.point(2022).value == pytest.approx(single.results[0].value)
    # a 2020 + 2025 target is measured in 2022/2023 but shown as not set there
    beds = by_id["hospital-beds-per-1000"]
    assert beds.missing_years == [2022, 2023]
    assert {p.year: p.status for p in beds.points}[2022] == NOT_SET
    assert beds.plan_baseline == {2020: 8.31} and "8.31" in beds.baseline_sentence_en
    # a target only in 2025 has no earlier set year
    assert by_id["childcare-community"].missing_years == [2020, 2022, 2023]
    assert slots.pace.on_pace is not None and str(slots.pace.final_year) in slots.pace.sentence_en


def by_year_city(runs, year: int) -> float:
    r = next(r for r in runs if r.scenario.year == year)
    return next(t for t in r.results if t.id == "childcare-slots-per-1000").details["city_value"]


def test_baseline_reproduction_at_the_plans_precision():
    # a share printed with two decimals of a percentage (81.85 %): 81.846 % rounds to it, 81.84 % does not
    same = check_baseline(2020, 0.81846, 0.8185, "%")
    assert same.verdict == "reproduces" and same.decimals == 2 and "81.85 %" in same.sentence_en
    off = check_baseline(2020, 0.481, 0.3584, "%")
    assert off.verdict == "differs" and off.difference == pytest.approx(12.26)  # percentage points, not relative
    assert "+12.26 percentage points" in off.sentence_en and "个百分点" in off.sentence_zh
    assert check_baseline(2020, 1.52, 1.5, "m²").verdict == "reproduces"  # the plan prints 1.5
    assert check_baseline(2020, 8.33, 8.31, "beds").verdict == "differs"
    assert check_baseline(2020, None, 8.31, "beds").verdict == "no_data"


def test_baseline_checks_render_as_a_table_in_both_languages():
    from coverage_planner.render.progress_report import ProgressMeta, baseline_table, render_progress
    from coverage_planner.studies.progress import TargetSeries

    pts = [_point(2020, 0.481, 0.3584), _point(2025, 0.5, 0.5)]
    share = TargetSeries("share<x>", "普惠", "Share", "%", "%", [2020, 2025], pts, pace_of(pts, 2025, "%"),
                         baseline_checks={2020: check_baseline(2020, 0.481, 0.3584, "%")})
    beds = TargetSeries("beds", "床位", "Beds", "beds", "张", [2020, 2025], [_point(2020, None, 8.31)],
                        pace_of([_point(2020, None, 8.31)], 2025, "beds"),
                        baseline_checks={2020: check_baseline(2020, None, 8.31, "beds")})
    plain = TargetSeries("plain", "无", "None", "slots", "个", [2020, 2025], pts, pace_of(pts, 2025, "slots"))
    head, rows = baseline_table([share, beds, plain], "en")
    assert head == ["target", "year", "value", "official figure", "difference", "unit", "check"]
    assert rows == [["share<x>", "2020", "48.10 %", "35.84 %", "+12.26 pp", "%", "differs"],
                    ["beds", "2020", "—", "8.31", "—", "beds", "NO DATA"]]  # no check, no row (plain)
    zh = baseline_table([share, beds], "zh")
    assert zh == (["指标", "年份", "实测值", "官方数据", "差值", "单位", "核对"],
                  [["share<x>", "2020", "48.10 %", "35.84 %", "+12.26 个百分点", "%", "不一致"],
                   ["beds", "2020", "—", "8.31", "—", "张", "无数据"]])
    meta = ProgressMeta(years=(2020, 2025), scenario_paths=("a", "b"), layer_set="demo", synthetic=True)
    text = render_progress([share, plain], meta, fmt="text")
    table = text.split("Baseline check: does the data reproduce the plan's stated figures?\n")[1]
    assert re.search(r"share<x>\s+2020\s+48\.10 %\s+35\.84 %\s+\+12\.26 pp\s+%\s+differs", table)
    assert "基期核对" in render_progress([share], meta, fmt="text", lang="zh")
    # the baseline year's own line says whether it reproduces, never PASS/FAIL against a minimum
    line = next(x for x in text.split("share<x> — Share\n")[1].splitlines() if x.strip().startswith("2020"))
    assert re.search(r"2020\s+differs\s+48\.10 %\s+official figure 35\.84 %", line), line
    assert "FAIL" not in line and "PASS" not in line and "target" not in line
    zh_line = next(x for x in render_progress([share], meta, fmt="text", lang="zh").split("share<x> — 普惠\n")[1]
                   .splitlines() if x.strip().startswith("2020"))
    assert "不一致" in zh_line and "官方数据 35.84 %" in zh_line and "未达标" not in zh_line
    md = render_progress([share, plain], meta, fmt="md")
    assert "| share&lt;x&gt; | 2020 | 48.10 % | 35.84 % | +12.26 pp | % | differs |" in md  # names escaped
    md_zh = render_progress([share, plain], meta, fmt="md", lang="zh")  # one language each: no English half in zh
    assert "| share" in md_zh.split("## 基期核对")[1] and "不一致" in md_zh and "differs" not in md_zh
    assert "基期核对" not in md
    assert "Baseline check" not in render_progress([plain], meta, fmt="md")
    # under the chart of the brief and the map index: escaped cells, nothing for a target without a check
    from coverage_planner.render.charts import baseline_table_html, progress_charts

    html_zh = baseline_table_html(share, lang="zh")
    assert "<td>+12.26 个百分点</td><td>%</td><td>不一致</td>" in html_zh and "<caption>基期核对" in html_zh
    assert baseline_table_html(plain) == "" and progress_charts([plain])["plain"].endswith("</svg>")
    assert progress_charts([share])["share<x>"].endswith("</table>")


def test_the_baseline_scenario_checks_reproduction_not_a_minimum():
    run = run_check("2020", "demo", demo_scale=float(SCALE), want_geo=False)
    assert run.scenario.baseline is True
    share = next(r for r in run.results if r.id == "kindergarten-public-benefit-share:public-enrolment")
    b = share.details["baseline"]
    assert b["official"] == pytest.approx(0.3584) and b["difference_unit"] == "percentage points"
    # well above the official 35.84 %: it does not reproduce the baseline, so the check fails
    assert share.value > 0.3584 + 0.005 and b["verdict"] == "differs" and share.status == "fail"
    assert share.summary_en.startswith("2020 baseline: measured")
    assert all("baseline" in r.details for r in run.results if r.status in ("pass", "fail"))
    later = run_check("2022", "demo", demo_scale=float(SCALE), want_geo=False)
    assert later.scenario.baseline is False


def test_progress_cli_formats_and_maps(tmp_path):
    args = ["progress", "--scenarios", *YEARS, "--demo-scale", SCALE, "-t", "childcare-slots-per-1000",
            "-t", "hospital-beds-per-1000"]
    res = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["years"] == [2020, 2022, 2023, 2025]
    assert [t["id"] for t in doc["targets"]] == ["childcare-slots-per-1000", "hospital-beds-per-1000"]
    res = CliRunner().invoke(cli, [*args, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert {r["year"] for r in rows if r["level"] == "all"} == set(YEARS)
    res = CliRunner().invoke(cli, [*args, "--format", "md", "--maps", str(tmp_path / "maps"), "--tiles", "none"])
    assert res.exit_code == 0, res.output
    assert "| childcare-slots-per-1000 |" in res.output
    index = (tmp_path / "maps" / "index.html").read_text(encoding="utf-8")
    assert index.count('<svg xmlns="http://www.w3.org/2000/svg" class="cov-chart"') == 2
    bad = CliRunner().invoke(cli, ["progress", "-s", "2025", "--demo-scale", SCALE])
    assert bad.exit_code == 2 and "two scenarios" in bad.output


# ---------------------------------------------------------------- compare


def test_compare_reports_finds_flips_by_hand():
    a = [{"id": "t", "value": 1, "status": "fail", "units": [
        {"level": "street", "unit_id": "1", "name": "A", "value": 1, "status": "fail", "gap": 2},
        {"level": "street", "unit_id": "2", "name": "B", "value": 5, "status": "pass", "gap": 0}]}]
    b = [{"id": "t", "value": 3, "status": "pass", "units": [
        {"level": "street", "unit_id": "1", "name": "A", "value": 4, "status": "pass", "gap": 0},
        {"level": "street", "unit_id": "2", "name": "B", "value": 2, "status": "fail", "gap": 1}]}]
    (d,) = compare_reports(a, b)
    assert d.delta == 2 and d.flip == "fail→pass"
    assert [u.name for u in d.flips("fail→pass")] == ["A"] and [u.name for u in d.flips("pass→fail")] == ["B"]


def test_with_planned_counts_planned_facilities():
    base = run_check("2022", "demo", demo_scale=float(SCALE), targets=["childcare-slots-per-1000"], want_geo=False)
    fac = base.region.facilities("childcare", purpose="test")
    later = fac[(fac["open_year"] > 2022) & fac["status"].isin(["planned", "under_construction"])]
    assert len(later)  # the demo has facilities in the pipeline after 2022
    planned = region_with_planned(base.region)
    assert len(planned.facilities_in_year("childcare", 2022, purpose="t")) == \
        len(base.region.facilities_in_year("childcare", 2022, purpose="t")) + len(later)
    after = evaluate_scenario(base.scenario, planned, target_ids=["childcare-slots-per-1000"], want_geo=False)
    assert after[0].value > base.results[0].value
    assert base.region.open_statuses == frozenset()  # the baseline region is left as it was


def test_compare_with_sites_flips_and_agrees_with_an_independent_check(tmp_path):
    target = "childcare-slots-per-1000"
    study = tmp_path / "study"
    res = CliRunner().invoke(cli, ["site", "-s", "2025", "--demo-scale", SCALE, "-t", target, "--new", "4",
                                   "--capacity", "300", "--out", str(study), "--tiles", "none"])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(cli, ["compare", "-s", "2025", "--demo-scale", SCALE, "--with-sites", str(study),
                                   "-t", target, "--format", "json", "--map", str(tmp_path / "cmp"), "--tiles", "none"])
    assert res.exit_code == 0, res.output
    (d,) = json.loads(res.stdout)["targets"]
    flipped = {u["unit_id"] for u in d["units"] if u["flip"] == "fail→pass"}
    assert flipped, "the study's sites should turn at least one failing unit into a passing one"
    page = (tmp_path / "cmp" / "childcare-slots-per-1000.html").read_text(encoding="utf-8")
    assert "fail → pass" in page
    again = CliRunner().invoke(cli, ["compare", "-s", "2025", "--demo-scale", SCALE, "--with-sites", str(study),
                                     "-t", target, "--map", str(tmp_path / "cmp2"), "--tiles", "none"])
    assert again.exit_code == 0, again.output
    for name in ("index.html", "childcare-slots-per-1000.html"):  # the same inputs give the same bytes
        assert (tmp_path / "cmp" / name).read_bytes() == (tmp_path / "cmp2" / name).read_bytes()
    # independent: the same sites as ordinary rows of the facility layer, then a plain `coverage check`
    src = resolve_layers("demo", demo_scale=float(SCALE))
    layers = tmp_path / "layers"
    shutil.copytree(src, layers)
    sites = gpd.read_file(study / "sites.gpkg", layer="proposed_sites")
    lon, lat = wgs84_to_gcj02(sites.geometry.x.to_numpy(), sites.geometry.y.to_numpy())  # the layer is GCJ-02
    csv_path = layers / "facilities" / "childcare.csv"
    table = pd.read_csv(csv_path, dtype=str)
    new = pd.DataFrame({"编号": [f"site-{i}" for i in range(len(sites))], "名称": "新址", "托位数": "300",
                        "普惠": "是", "公办": "是", "状态": "现有", "开办年份": "", "经度": lon, "纬度": lat})
    pd.concat([table, new], ignore_index=True).to_csv(csv_path, index=False)
    check = CliRunner().invoke(cli, ["check", "-s", "2025", "--layers", str(layers), "-t", target, "--format", "json",
                                     "--exit-zero"])
    assert check.exit_code == 0, check.output
    (t,) = json.loads(check.output)["targets"]
    assert {u["unit_id"]: u["status"] for u in t["units"]} == {u["unit_id"]: u["status_after"] for u in d["units"]}
    assert t["value"] == pytest.approx(d["value_after"], rel=1e-6)


def test_compare_two_saved_reports(tmp_path):
    paths = []
    for year in ("2023", "2025"):
        p = tmp_path / f"{year}.json"
        res = CliRunner().invoke(cli, ["check", "-s", year, "--demo-scale", SCALE, "-t", "childcare-slots-per-1000",
                                       "--format", "json", "--out", str(p), "--exit-zero"])
        assert res.exit_code == 0, res.output
        paths.append(str(p))
    res = CliRunner().invoke(cli, ["compare", *paths, "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert rows[0]["target_id"] == "childcare-slots-per-1000" and rows[0]["level"] == "all"
    bad = CliRunner().invoke(cli, ["compare", paths[0]])
    assert bad.exit_code == 2
    (Path(tmp_path) / "x.json").write_text("{}", encoding="utf-8")
    bad = CliRunner().invoke(cli, ["compare", paths[0], str(tmp_path / "x.json")])
    assert bad.exit_code == 2 and "targets" in bad.output


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_progress_gives_one_verdict_per_target_and_shares_stop_at_100(demo_runs, lang):
    from coverage_planner.render.charts import progress_charts
    from coverage_planner.render.progress_report import ProgressMeta, render_progress, verdict

    series = build_progress({r.scenario.year: r.results for r in demo_runs}, baseline_years=[2020],
                            measured_only={r.scenario.year: r.measured_only for r in demo_runs})
    meta = ProgressMeta(years=tuple(int(y) for y in YEARS), scenario_paths=(), layer_set="demo", synthetic=True)
    text = render_progress(series, meta, lang=lang)
    blocks = {b.split(" — ")[0]: b for b in text.split("\n\n")[1:]}
    words = {"on_pace": ("on pace", "可达标"), "not_on_pace": ("not on pace", "难以达标"),
             "already_met": ("met in the last year", "末年已达标"), "missed": ("missed in the last year", "末年未达标")}
    i = 0 if lang == "en" else 1
    for s in series:
        block = blocks[s.id]
        verdict_lines = [line for line in block.splitlines() if line.startswith(("  verdict:", "  结论:"))]
        assert len(verdict_lines) == 1, s.id  # one verdict, never "misses" beside "on pace"
        v = verdict(s.points, s.pace)
        final = s.point(s.pace.final_year)
        if final is not None and final.value is not None and final.status in ("pass", "fail"):
            assert v == ("already_met" if final.status == "pass" else "missed"), s.id
        line = verdict_lines[0]
        if v in words:
            assert line.endswith(words[v][i]), (s.id, line)
        trend = next(line for line in block.splitlines() if line.startswith(("  trend:", "  趋势:")))
        assert "on pace" not in trend and "可达标" not in trend
        if s.unit_en == "%":  # a share never projects past 100 %
            shown = [float(x) for x in re.findall(r"([\d.]+) %", trend)]
            assert all(x <= 100.0 for x in shown), (s.id, trend)
            assert re.search(r"[+−][\d.]+ (pp|个百分点)", trend), trend
    over = [s for s in series if s.unit_en == "%" and s.pace.projected is not None and s.pace.projected > 1]
    assert over  # the demo has shares whose straight line runs past 100 %: they are cut there
    for s in over:
        assert ("projection stops at 100 %" if lang == "en" else "外推至多 100%") in blocks[s.id]
        at_100 = replace(s, pace=replace(s.pace, projected=1.0))  # the chart draws the line to 100 %, not past it
        assert progress_charts([s], lang=lang)[s.id] == progress_charts([at_100], lang=lang)[s.id]


def test_compare_opens_with_what_flips_in_pp_with_gap_units():
    from coverage_planner.render.compare_report import render_compare, units_of

    base = run_check("2025", "demo", demo_scale=float(SCALE), want_geo=False)
    after = evaluate_scenario(base.scenario, region_with_planned(base.region), want_geo=False)
    docs = [[r.to_dict() for r in base.results], [r.to_dict() for r in after]]
    deltas = compare_reports(*docs)
    flipped = [d for d in deltas if d.flip]
    assert flipped
    text = render_compare(deltas, before="2025", after="planned", synthetic=True, units=units_of(docs[0]))
    head, rest = text.split("\nEvery target\n")
    assert "NOTE: synthetic demo data" in head.splitlines()[2]
    for d in flipped:  # every target that flips is in the headlines, before the details
        assert f"  {d.id} — " in head
    for d in deltas:
        if d.unit_en == "%" and d.delta is not None:
            assert re.search(rf"\n{re.escape(d.id)} — .*\n  value: .*\([+−][\d.]+ pp\)", rest), d.id
        gap_unit = units_of(docs[0]).get(d.id, {}).get("gap_en")
        if gap_unit and d.gap_before is not None and d.gap_after is not None:
            assert re.search(rf"\n{re.escape(d.id)} — (.*\n)+?  gap: .* {re.escape(gap_unit)} → ", rest), d.id
    zh = render_compare(deltas, before="2025", after="planned", lang="zh", synthetic=True, units=units_of(docs[0]))
    assert zh.splitlines()[2].startswith("注意") and "变化要点" in zh.split("全部指标")[0]
