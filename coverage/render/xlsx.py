"""The Excel report: a sheet about the report, a summary sheet and one sheet of per-unit rows per target.

Numbers are numeric cells holding exactly the JSON report's (rounded) values; shares are fractions shown
as percentages. Every text cell is stored as a string, never as a formula: a name such as ``=cmd|…``
reads back as that text (see :func:`_put`). The same inputs give the same bytes: the document dates
and the zip entries' times are fixed.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .._io import write_bytes_atomic
from ..model.messages import in_lang
from ..model.results import FAIL, NO_DATA, PASS, TargetResult
from ..model.words import display_width
from .catalogue import fmt_year, t, term
from .text import ReportMeta, clean

__all__ = ["sheet_names", "write_xlsx", "xlsx_bytes"]

#: Document dates and zip entry times of every workbook (deterministic bytes).
FIXED_TIME = dt.datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: Kinds whose per-unit values are counts of facilities, not the target's unit (e.g. presence: share of units).
COUNT_VALUED_KINDS = frozenset({"presence", "count"})
#: Excel's limit on the characters of a cell.
MAX_CELL_CHARS = 32_767
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_RISKY = ("=", "+", "-", "@", "\t", "\r", "\n")
_HEADER_FILL = PatternFill("solid", fgColor="DDDDDD")
_STATUS_FILL = {PASS: PatternFill("solid", fgColor="C7E9C0"), FAIL: PatternFill("solid", fgColor="FCBBA1")}
_PERCENT = "0.0%"

#: Header keys of the catalogue that differ from the column's name.
_HEADER_KEYS = {"summary": "summary_sheet", "synthetic": "synthetic_short", "approximate": "approximate_short",
                "counts_text": "summary", "synthetic_note": "synthetic", "threshold": "threshold_col",
                "status": "status_col", "unit_id": "unit_id_col", "quote": "quote_col"}
#: Number formats: counts and people as whole numbers, other quantities with two decimals.
_COUNT, _DECIMAL = "#,##0", "#,##0.00"
#: Distances are rounded to the metre (km to three decimals): finer digits are noise of the geometry.
_DISTANCE_DIGITS = {"km": 3, "m": 0, "千米": 3, "米": 0}
_SUMMARY_COLS = ["sheet", "id", "kind", "title_zh", "title_en", "status", "value", "threshold_min", "threshold_max",
                 "unit", "level", "gap", "gap_unit", "gap_text", "summary_text", "plan", "chapter", "quote",
                 "approximate", "assumptions"]
_UNIT_COLS = ["level", "unit_id", "name", "class", "parent_id", "value", "threshold", "unit", "status", "gap",
              "gap_unit", "population", "supply", "supply_unit"]


def _l(key: str, lang: str) -> str:
    return t(_HEADER_KEYS.get(key, key), lang)


def _value_format(unit_en: str, value: float | None) -> str | None:
    """Percent for shares, whole numbers for counts, two decimals otherwise."""
    if unit_en == "%":
        return _PERCENT
    if value is not None and float(value).is_integer():
        return _COUNT
    return _DECIMAL


def _whole_or_decimal(values: Iterable[Any]) -> str:
    """'#,##0' for a column of whole numbers (counts), '#,##0.00' otherwise."""
    nums = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return _COUNT if all(v.is_integer() for v in nums) else _DECIMAL


def _rounded(value: Any, unit_en: str) -> Any:
    """A distance rounded to the metre; anything else as it is."""
    digits = _DISTANCE_DIGITS.get(unit_en)
    if digits is None or not isinstance(value, int | float) or isinstance(value, bool):
        return value
    return round(float(value), digits) if digits else round(float(value))


def sheet_names(target_ids: Sequence[str], reserved: Sequence[str] = ()) -> list[str]:
    """Excel-safe, unique sheet names for ``target_ids``.

    Excel limits names to 31 characters, forbids ``[]:*?/\\`` and a leading or trailing apostrophe, and
    compares them case-insensitively; ``History`` is reserved.

    Parameters
    ----------
    target_ids
        One id per sheet, in order.
    reserved
        Names already taken (e.g. the summary sheet).

    Returns
    -------
    list[str]
        One name per id; a clash gets a ``~2``, ``~3`` … suffix.
    """
    taken = {n.casefold() for n in (*reserved, "history")}
    out = []
    for tid in target_ids:
        base = _SHEET_BAD.sub("_", clean(tid)).strip("'").strip() or "target"
        name, k = base[:31], 1
        while name.casefold() in taken:
            k += 1
            suffix = f"~{k}"
            name = base[: 31 - len(suffix)] + suffix
        taken.add(name.casefold())
        out.append(name)
    return out


def _put(ws: Worksheet, row: int, col: int, value: Any, *, fmt: str | None = None) -> None:
    """Write one cell: numbers as numbers, everything else as a string that can never become a formula."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        return
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int | float):
        cell.value = value
        if fmt:
            cell.number_format = fmt
        return
    text = clean(value)[:MAX_CELL_CHARS]
    if not text:
        return
    cell.value = text
    cell.data_type = "s"  # openpyxl would store "=..." as a formula
    if text.lstrip()[:1] in _RISKY:
        cell.quotePrefix = True  # Excel keeps it text even when the cell is edited


def _sheet(ws: Worksheet, header: list[str], rows: list[list[Any]], fmts: list[str | None] | None = None,
           statuses: tuple[int, list[str]] | None = None) -> None:
    """A table with a bold frozen header, an autofilter and column widths fitted to the content.

    ``statuses`` is (column number, status of each row): that column is coloured pass / fail.
    """
    fmts = fmts or [None] * len(header)
    for c, h in enumerate(header, 1):
        _put(ws, 1, c, h)
        ws.cell(row=1, column=c).font = Font(bold=True)
        ws.cell(row=1, column=c).fill = _HEADER_FILL
        ws.cell(row=1, column=c).alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, 2):
        for c, v in enumerate(row, 1):
            _put(ws, r, c, v, fmt=fmts[c - 1])
        if statuses and (fill := _STATUS_FILL.get(statuses[1][r - 2])) is not None:
            ws.cell(row=r, column=statuses[0]).fill = fill
    for c, h in enumerate(header, 1):
        cells = [h, *(row[c - 1] for row in rows[:2000])]
        width = max(display_width(clean(v)) if isinstance(v, str) else len(f"{v}") for v in cells if v is not None)
        ws.column_dimensions[get_column_letter(c)].width = min(60, max(8, width + 2))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, len(rows) + 1)}"


def _about_rows(results: Sequence[TargetResult], meta: ReportMeta, lang: str) -> list[list[Any]]:
    n = {s: sum(r.status == s for r in results) for s in (PASS, FAIL, NO_DATA)}
    rows: list[list[Any]] = []
    if meta.synthetic:
        rows.append([_l("synthetic", lang), _l("synthetic_note", lang)])
    rows += [[_l("scenario", lang), f"{fmt_year(meta.scenario_year)} ({meta.scenario_path})"],
             [_l("layer_set", lang), meta.layer_set],
             [_l("counts", lang), t("summary", lang, n=len(results), p=n[PASS], f=n[FAIL], d=n[NO_DATA])],
             [_l("unit", lang), _l("fraction_note", lang)],
             [_l("tool", lang), f"coverage-planner {meta.tool_version}".strip()]]
    rows += [[_l("data_note", lang), in_lang(note, lang)] for note in meta.notes]
    for src in meta.sources:
        rows.append([_l("source", lang), "; ".join(f"{t(k, lang)}: {in_lang(v, lang)}" for k, v in sorted(src.items()))])
    return rows


def _unit_words(r: TargetResult, lang: str) -> str:
    """The target's unit in the report language ('%' stays '%')."""
    return r.unit_zh if lang == "zh" and r.unit_zh else r.unit_en


def build_workbook(results: Sequence[TargetResult], meta: ReportMeta, *, lang: str = "en") -> Workbook:
    """The report as an openpyxl workbook (see :func:`write_xlsx`)."""
    zh = lang == "zh"
    wb = Workbook()
    about = wb.active
    about.title = _l("about", lang)
    _sheet(about, [_l("about", lang), ""], _about_rows(results, meta, lang))
    about.column_dimensions["B"].width = 90
    summary = wb.create_sheet(_l("summary", lang))
    names = sheet_names([r.id for r in results], reserved=[about.title, summary.title])
    rows = []
    for r, sheet in zip(results, names, strict=True):
        d = r.to_dict()
        gap = d["gap"]
        rows.append([sheet, r.id, term(r.kind, lang), r.title_zh, r.title_en, term(r.status, lang),
                     _rounded(d["value"], r.unit_en), _rounded(d["threshold"]["min"], r.unit_en),
                     _rounded(d["threshold"]["max"], r.unit_en), _unit_words(r, lang), term(r.level, lang),
                     gap["quantity"] if gap else None, (gap["unit"]["zh" if zh else "en"]) if gap else None,
                     (gap["text"]["zh" if zh else "en"]) if gap else None, r.summary_zh if zh else r.summary_en,
                     r.plan_title_in(lang), r.chapter, r.quote, t("yes" if r.approximate else "no", lang),
                     " · ".join(in_lang(a, lang) for a in r.assumptions)])
    _sheet(summary, [_l(c, lang) for c in _SUMMARY_COLS], rows,
           statuses=(_SUMMARY_COLS.index("status") + 1, [r.status for r in results]))
    for i, (r, row) in enumerate(zip(results, rows, strict=True), 2):  # formats per row: targets differ in unit
        for col in ("value", "threshold_min", "threshold_max"):
            c = _SUMMARY_COLS.index(col)
            summary.cell(row=i, column=c + 1).number_format = _value_format(r.unit_en, row[c]) or "General"
        c = _SUMMARY_COLS.index("gap")
        summary.cell(row=i, column=c + 1).number_format = _value_format("", row[c]) or "General"
    for col in ("quote", "summary_text", "gap_text", "assumptions"):
        summary.column_dimensions[get_column_letter(_SUMMARY_COLS.index(col) + 1)].width = 50
    for r, sheet in zip(results, names, strict=True):
        ws = wb.create_sheet(sheet)
        counted = r.kind in COUNT_VALUED_KINDS
        unit_en = "" if counted else r.unit_en
        unit = t("facilities", lang) if counted else _unit_words(r, lang)
        gap_unit = (r.gap.unit_zh if zh else r.gap.unit_en) if r.gap else ""
        supply_unit = gap_unit if r.kind in ("ratio", "share") else ""
        unit_rows = [[term(u["level"], lang), u["unit_id"], u["name"], term(u["class"], lang, ns="class"), u["parent_id"],
                      _rounded(u["value"], unit_en), _rounded(u["threshold"], unit_en), unit, term(u["status"], lang),
                      u["gap"], gap_unit if u["gap"] else "", u["population"], u["supply"],
                      supply_unit if u["supply"] is not None else ""] for u in r.to_dict()["units"]]
        value_fmt = _PERCENT if unit_en == "%" else (_COUNT if counted else _DECIMAL)
        fmts = [value_fmt if c in ("value", "threshold") else _COUNT if c == "population" else
                _whole_or_decimal(row[i] for row in unit_rows) if c in ("gap", "supply") else None
                for i, c in enumerate(_UNIT_COLS)]
        _sheet(ws, [_l(c, lang) for c in _UNIT_COLS], unit_rows, fmts,
               statuses=(_UNIT_COLS.index("status") + 1, [u.status for u in r.units]))
    props = wb.properties
    props.created = props.modified = FIXED_TIME
    props.creator = props.lastModifiedBy = "coverage-planner"
    props.title = t("check_title", lang, year=meta.scenario_year, layers=clean(meta.layer_set))
    return wb


def xlsx_bytes(results: Sequence[TargetResult], meta: ReportMeta, *, lang: str = "en") -> bytes:
    """The report as the bytes of an .xlsx file (deterministic for the same inputs)."""
    wb = build_workbook(results, meta, lang=lang)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()  # not save_workbook: it stamps "modified" with the clock
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():  # zip entries carry the wall-clock time: fix it
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def write_xlsx(results: Sequence[TargetResult], meta: ReportMeta, path: str | os.PathLike[str], *,
               lang: str = "en") -> Path:
    """Write the Excel report to ``path`` atomically.

    Parameters
    ----------
    results
        The targets' results, in report order.
    meta
        What the report is about (scenario, layer set, synthetic flag, notes, sources).
    path
        The .xlsx file to write.
    lang
        ``"en"`` or ``"zh"``: headers, sheet titles and status words.

    Returns
    -------
    Path
        ``path``.
    """
    return write_bytes_atomic(path, xlsx_bytes(results, meta, lang=lang))
