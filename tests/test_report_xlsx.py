"""The Excel report: numbers equal the JSON report's, names stay text, headers in Chinese, fixed bytes."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from conftest import EVIL, EVIL_DISTRICTS

from coverage_planner.cli.main import cli
from coverage_planner.render.catalogue import term, terms
from coverage_planner.render.text import clean, render_json
from coverage_planner.render.xlsx import sheet_names, write_xlsx, xlsx_bytes
from coverage_planner.studies.check import CheckRun, run_check

UNIT_KEYS = ["level", "unit_id", "name", "class", "parent_id", "value", "threshold", "unit", "status", "gap",
             "gap_unit", "population", "supply", "supply_unit"]
#: Codes shown in words (English): levels, classes, kinds and statuses never appear as field names.
WORDS = terms()
NUMERIC_UNIT_KEYS = {"value", "threshold", "gap", "population", "supply"}


@pytest.fixture(scope="module")
def demo_run() -> CheckRun:
    return run_check("2025", "demo", demo_scale=0.05, want_geo=False)


def _rows(ws) -> list[tuple]:
    return list(ws.iter_rows(min_row=2, values_only=True))


def _rounded(x: float | None, digits: int | None) -> float | None:
    return x if x is None or digits is None else round(x, digits)


def _no_formulas(wb) -> None:
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_numbers_equal_the_json_report(demo_run: CheckRun, tmp_path: Path) -> None:
    doc = json.loads(render_json(demo_run.results, demo_run.meta()))
    path = write_xlsx(demo_run.results, demo_run.meta(), tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    _no_formulas(wb)
    assert wb.sheetnames[:2] == ["About", "Summary"]
    assert len(wb.sheetnames) == 2 + len(doc["targets"])
    summary = wb["Summary"]
    header = [c.value for c in summary[1]]
    assert summary.freeze_panes == "A2" and summary.auto_filter.ref
    rows = {row[header.index("Target id")]: dict(zip(header, row, strict=True)) for row in _rows(summary)}
    assert list(rows) == [t["id"] for t in doc["targets"]]
    n_units = 0
    for t in doc["targets"]:
        row = rows[t["id"]]
        assert row["Status"] == t["status"].replace("_", " ")
        assert row["Unit"] == (t["unit"]["en"] or None)
        digits = {"km": 3}.get(t["unit"]["en"])  # distances rounded to the metre
        assert row["Value"] == _rounded(t["value"], digits)
        assert row["Threshold min"] == _rounded(t["threshold"]["min"], digits)
        assert row["Threshold max"] == _rounded(t["threshold"]["max"], digits)
        assert row["Kind"] == WORDS[t["kind"]][0] and "_" not in (row["Level"] or "")
        assert row["Gap"] == (t["gap"]["quantity"] if t["gap"] else None)
        assert row["Plan quote"] == clean(t["quote"]) and row["Title (zh)"] == t["title"]["zh"]
        assert row["Approximate"] == ("yes" if t["approximate"] else "no")
        if t["value"] is not None:
            assert isinstance(row["Value"], int | float)
        if t["unit"]["en"] == "%" and t["value"] is not None:
            cell = summary.cell(row=list(rows).index(t["id"]) + 2, column=header.index("Value") + 1)
            assert cell.number_format == "0.0%"
        ws = wb[row["Sheet"]]
        assert ws.freeze_panes == "A2"
        units = _rows(ws)
        assert len(units) == len(t["units"])
        for got, want in zip(units, t["units"], strict=True):
            for key, value in zip(UNIT_KEYS, got, strict=True):
                if key in ("unit", "gap_unit", "supply_unit"):
                    continue
                expected = term(want[key], "en", ns=key) if key in ("status", "level", "class") else want[key]
                if key in ("value", "threshold") and digits is not None and expected is not None:
                    expected = round(expected, digits)
                if key in NUMERIC_UNIT_KEYS:
                    assert value == expected and (value is None or isinstance(value, int | float)), (t["id"], key)
                else:
                    assert value == (clean(expected) or None), (t["id"], key)
        n_units += len(units)
    assert n_units > 300  # the small demo city's districts, streets and communities are in it


def test_same_inputs_same_bytes(demo_run: CheckRun) -> None:
    results = demo_run.results[:6]
    data = xlsx_bytes(results, demo_run.meta())
    assert data == xlsx_bytes(results, demo_run.meta())
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # no clock in the file: the same bytes tomorrow
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert core.count("2000-01-01T00:00:00Z") == 2, core


def test_hostile_names_come_back_as_text(evil_city: tuple[Path, Path], tmp_path: Path) -> None:
    layers, sc = evil_city
    out = tmp_path / "evil.xlsx"
    r = CliRunner().invoke(cli, ["check", "-s", str(sc), "--layers", str(layers), "--format", "xlsx", "--out", str(out),
                                 "--exit-zero"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out)
    _no_formulas(wb)
    names = {cell.value: cell for ws in wb.worksheets[2:] for (cell,) in ws.iter_rows(min_row=2, min_col=3, max_col=3)}
    shown = [clean(e) for e in [*EVIL.values(), *EVIL_DISTRICTS] if clean(e) in names]
    assert "=cmd|' /C calc'!A0" in shown and '=HYPERLINK("http://x")' in shown  # read back as the literal text
    for name in shown:
        assert names[name].data_type == "s"
        if name.lstrip()[:1] in "=+-@":
            assert names[name].quotePrefix  # Excel keeps it text even when the cell is edited
    assert len(shown) >= 4


def test_chinese_headers_and_statuses(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    layers, sc = tiny
    run = run_check(sc, layers, want_geo=False)
    wb = openpyxl.load_workbook(write_xlsx(run.results, run.meta(), tmp_path / "zh.xlsx", lang="zh"))
    assert wb.sheetnames[:2] == ["报告说明", "汇总"]
    summary = wb["汇总"]
    header = [c.value for c in summary[1]]
    assert {"指标编号", "结果", "实测值", "目标下限", "规划原文", "缺口"} <= set(header)
    statuses = {row[header.index("结果")] for row in _rows(summary)}
    assert statuses <= {"达标", "未达标", "无数据"} and "未达标" in statuses
    ws = wb[wb.sheetnames[2]]
    assert [c.value for c in ws[1]] == ["层级", "单元编码", "名称", "类别", "上级编码", "实测值", "目标值", "单位", "结果",
                                        "缺口", "缺口单位", "人口", "供给", "供给单位"]
    levels = {row[0] for row in _rows(ws)} | {row[header.index("层级")] for row in _rows(summary)}
    assert levels and all(not any(c.isascii() and c.isalpha() for c in str(v)) for v in levels), levels


def test_number_formats_and_units(demo_run: CheckRun, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(write_xlsx(demo_run.results, demo_run.meta(), tmp_path / "f.xlsx"))
    by_id = {r.id: r for r in demo_run.results}
    ws = wb["childcare-slots-per-1000"]
    header = [c.value for c in ws[1]]
    row = list(ws[2])
    assert row[header.index("Population")].number_format == "#,##0"
    assert row[header.index("Value")].number_format == "#,##0.00"
    assert row[header.index("Unit")].value == by_id["childcare-slots-per-1000"].unit_en
    assert row[header.index("Supply unit")].value == "childcare slots"
    spacing = wb["seismic-station-spacing"]
    values = [r[5] for r in _rows(spacing)]
    assert values and all(round(v, 3) == v for v in values)  # km to the metre, not 6.999957
    share = wb["Summary"]
    sh = [c.value for c in share[1]]
    for r_i, row in enumerate(share.iter_rows(min_row=2), 0):
        if demo_run.results[r_i].unit_en == "%" and row[sh.index("Value")].value is not None:
            assert row[sh.index("Value")].number_format == "0.0%"


def test_xlsx_needs_out(tiny: tuple[Path, Path]) -> None:
    layers, sc = tiny
    r = CliRunner().invoke(cli, ["check", "-s", str(sc), "--layers", str(layers), "--format", "xlsx"])
    assert r.exit_code == 2 and "--out" in r.output and "Traceback" not in r.output


def test_sheet_names_are_excel_safe_and_unique() -> None:
    ids = ["shelter-area-per-capita:emergency-500m", "a/b", "x" * 40, "x" * 40, "X" * 40, "Summary", "history", "'q'"]
    names = sheet_names(ids, reserved=["About", "Summary"])
    assert len({n.casefold() for n in names}) == len(ids)
    for n in names:
        assert len(n) <= 31 and not set(n) & set("[]:*?/\\") and not n.startswith("'") and not n.endswith("'")
        assert n.casefold() not in {"about", "summary", "history"}
    assert names[0] == "shelter-area-per-capita_emergen"
