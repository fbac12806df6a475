"""Progress reports: terminal text, JSON, CSV (one row per target/unit and year) and Markdown.

Escaping comes from ``coverage_planner.render.text`` (``clean`` for terminals, ``_md`` for Markdown, ``csv_safe``
against spreadsheet formulas).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model.results import FAIL, PASS, fmt_value
from ..model.words import display_width, pad_cells
from ..studies.progress import NOT_SET, TargetSeries, UnitSeries, target_text
from ..targets.baseline import BaselineCheck, fmt_plan
from .catalogue import t, term
from .text import _md, clean, csv_safe, json_text

__all__ = ["ProgressMeta", "baseline_table", "capped", "fmt_change", "render_progress", "verdict"]

#: Units listed by name in the text report under "not on pace" (the rest are counted).
MAX_UNITS_LISTED = 12


@dataclass(frozen=True)
class ProgressMeta:
    """What the progress report is about."""

    years: tuple[int, ...]
    scenario_paths: tuple[str, ...]
    layer_set: str
    synthetic: bool
    tool_version: str = ""


def fmt_change(x: float | None, unit: str, lang: str = "en", *, signed: bool = True) -> str:
    """A change of a value: shares in percentage points ('+2.6 pp', '+2.6 个百分点'), others with their unit."""
    if x is None:
        return "—"
    sign = ("+" if x >= 0 else "−") if signed else ""
    if unit == "%":
        return f"{sign}{abs(x) * 100:.1f} {t('pp', lang)}"
    return sign + fmt_value(abs(x), unit)


def capped(value: float | None, unit: str) -> tuple[float | None, bool]:
    """A projected share kept within 0–100 % (True when it was cut there); other values as they are."""
    if value is None or unit != "%":
        return value, False
    kept = min(1.0, max(0.0, value))
    return kept, kept != value


def verdict(points: Sequence[Any], pace: Any) -> str:
    """One verdict per target or unit: the last year's own status where measured, else the pace's.

    The last year as the layers stand (facilities opening by then) is a fact; the straight line through
    the earlier years is only the trend. Reporting both as verdicts gave "FAIL … misses" beside "on pace".
    Returns a catalogue key: already_met, missed, on_pace, not_on_pace or cannot_tell.
    """
    final = next((p for p in points if p.year == pace.final_year), None)
    if final is not None and final.value is not None and final.status in (PASS, FAIL):
        return "already_met" if final.status == PASS else "missed"
    if pace.on_pace is None:
        return "cannot_tell"
    return "on_pace" if pace.on_pace else "not_on_pace"


def _unit(s: TargetSeries, lang: str) -> str:
    return s.unit_zh if lang == "zh" and s.unit_zh else s.unit_en


def trend_text(s: TargetSeries | UnitSeries, unit_en: str, unit: str, lang: str) -> str:
    """The trend in words, with the straight line's value in the last year (shares kept within 100 %)."""
    pace, zh = s.pace, lang == "zh"
    obs = [p for p in s.points if p.year < pace.final_year and p.value is not None]
    if pace.slope_per_year is None or len(obs) < 2:
        return ("年份不足,无法外推(直线需要此前至少两个年份的数值)。" if zh else
                "too few years for a trend (a straight line needs two earlier years with values).")
    span = f"{obs[0].year}–{obs[-1].year}"
    slope = fmt_change(pace.slope_per_year, unit_en, lang) if unit_en == "%" else \
        ("+" if pace.slope_per_year >= 0 else "−") + fmt_value(abs(pace.slope_per_year), unit)
    proj, cut = capped(pace.projected, unit_en)
    note = f" ({t('projection_capped', lang)})" if cut else ""
    if zh:
        return f"{span}年每年 {slope};按直线外推,{pace.final_year}年约为 {fmt_value(proj, unit)}{note}"
    return f"{span}: {slope} a year; the straight line reaches {fmt_value(proj, unit)} by {pace.final_year}{note}"


def baseline_text(s: TargetSeries, year: int, stated: float, unit: str, lang: str) -> str:
    """The plan's stated baseline beside the value the layers give for that year (relative difference in %)."""
    p = s.point(year)
    measured = p.value if p is not None else None
    if measured is None:
        return (f"规划所列{year}年基期值 {fmt_value(stated, unit)};图层无{year}年数值可比。" if lang == "zh" else
                f"the plan states {fmt_value(stated, unit)} for {year}; the layers give no {year} value to compare.")
    diff = f" ({(measured - stated) / stated * 100:+.1f} %)" if stated else ""
    if lang == "zh":
        return f"{year}年实测 {fmt_value(measured, unit)},规划所列基期值 {fmt_value(stated, unit)}{diff}"
    return f"measured {year} value {fmt_value(measured, unit)} against the plan's stated {fmt_value(stated, unit)}{diff}"


def baseline_table(series: Sequence[TargetSeries], lang: str) -> tuple[list[str], list[list[str]]]:
    """The baseline checks as a table: target, year, measured, official figure, difference, unit, check.

    Figures at the plan's precision; shares in % and their difference in percentage points. Rows only for
    targets with a check.
    """
    keys = ("col_target", "col_year", "col_value", "col_official", "col_difference", "col_measure_unit", "col_check")
    head = [t(k, lang) for k in keys]
    rows = []
    for s in series:
        for year, chk in sorted(s.baseline_checks.items()):
            share = chk.unit == "%"
            unit = "%" if share else (s.unit_zh if lang == "zh" else s.unit_en)
            official = _check_figure(chk.official, chk, "")  # the unit has its own column
            if chk.value is None or chk.difference is None:
                rows.append([s.id, str(year), "—", official, "—", unit, t("no_data", lang)])
                continue
            sign = "+" if chk.difference >= 0 else "−"
            diff = f"{sign}{abs(chk.difference):.{chk.decimals}f}" + (f" {t('pp', lang)}" if share else "")
            rows.append([s.id, str(year), _check_figure(chk.value, chk, ""), official, diff, unit,
                         t(chk.verdict, lang)])
    return head, rows


def _check_figure(value: float | None, chk: BaselineCheck, unit: str) -> str:
    """A baseline check's figure at the plan's precision, with its unit ("—" without a value)."""
    if value is None:
        return "—"
    return fmt_plan(value, "%" if chk.unit == "%" else unit, chk.decimals)


def _baseline_text(series: Sequence[TargetSeries], lang: str) -> str:
    head, rows = baseline_table(series, lang)
    if not rows:
        return ""
    cells = [head] + [[clean(c) for c in r] for r in rows]
    widths = [max(display_width(r[i]) for r in cells) for i in range(len(head))]
    lines = ["  ".join(pad_cells(c, widths[i]) for i, c in enumerate(r)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n" + t("baseline_table", lang) + "\n" + "\n".join(lines) + "\n"


def _baseline_md(series: Sequence[TargetSeries], lang: str) -> str:
    head, rows = baseline_table(series, lang)
    if not rows:
        return ""
    return (f"\n## {t('baseline_table', lang)}\n\n| " + " | ".join(head) + " |\n|" + "---|" * len(head) + "\n"
            + "".join("| " + " | ".join(_md(c) for c in r) + " |\n" for r in rows))


def _counts(series: Sequence[TargetSeries], final_year: int, lang: str) -> str:
    keys = ("already_met", "missed", "on_pace", "not_on_pace", "cannot_tell")
    n = dict.fromkeys(keys, 0)
    for s in series:
        n[verdict(s.points, s.pace)] += 1
    parts = [f"{n[k]} {t(k, lang)}" for k in keys if n[k]]
    head = t("n_targets", lang, n=len(series))
    if lang == "zh":
        return f"{head}({final_year} 年已有实测值的按实测判定,其余按直线外推):" + "、".join(parts) + "\n"
    return f"{head} (judged on {final_year} where measured, else by the straight-line pace): " + ", ".join(parts) + "\n"


def _units_pace(units: Sequence[UnitSeries], lang: str = "en") -> tuple[str, list[UnitSeries]]:
    """'3 met, 1 missed …' (one verdict per unit, as for targets) and the units that miss or are not on pace."""
    keys = ("already_met", "missed", "on_pace", "not_on_pace", "cannot_tell")
    by = {k: [u for u in units if verdict(u.points, u.pace) == k] for k in keys}
    sep = "、" if lang == "zh" else ", "
    text = sep.join(f"{len(by[k])} {t(k, lang)}" for k in keys if by[k])
    return text, by["missed"] + by["not_on_pace"]


def render_text(series: Sequence[TargetSeries], meta: ProgressMeta, *, lang: str = "en") -> str:
    """A terminal report: per target a row per year, one verdict, the trend and the units' verdicts."""
    zh = lang == "zh"
    out = io.StringIO()
    title = t("progress_title", lang, years=", ".join(map(str, meta.years)), layers=clean(meta.layer_set))
    out.write(title + "\n" + "=" * display_width(title) + "\n")
    if meta.synthetic:
        out.write(t("synthetic_note", lang) + "\n")
    out.write(_counts(series, meta.years[-1], lang))
    out.write(_baseline_text(series, lang))
    colon = ":" if zh else ": "
    for s in series:
        unit = _unit(s, lang)
        out.write(f"\n{clean(s.id)} — {clean(s.title_zh if zh else s.title_en)}\n")
        for y in s.years:
            p = s.point(y)
            if p is None or p.status == NOT_SET:
                note = t("not_a_target", lang) + ("; " + t("later_definition", lang) if p else "")
                val = "" if p is None else f"{fmt_value(p.value, unit):>18}   "
                out.write(f"  {y}  {pad_cells(t('not_set', lang), 8)} {val}({note})\n")
                continue
            level = f"  [{clean(term(p.level, lang))}]" if p.level else ""
            chk = s.baseline_checks.get(y)
            if chk is not None:  # a baseline year reproduces the plan's figure: no pass/fail against a minimum
                out.write(f"  {y}  {pad_cells(t(chk.verdict, lang), 8)} {_check_figure(chk.value, chk, unit):>18}   "
                          f"{t('col_official', lang)} {_check_figure(chk.official, chk, unit)}{level}\n")
                continue
            base = s.plan_baseline.get(y)
            extra = f"   {t('plan_stated', lang, v=fmt_value(base, unit))}" if base is not None else ""
            out.write(f"  {y}  {pad_cells(t(p.status, lang), 8)} {fmt_value(p.value, unit):>18}   {t('target_word', lang)} "
                      f"{target_text(p.threshold_min, p.threshold_max, unit)}{level}{extra}\n")
        out.write(f"  {t('verdict_line', lang)}{colon}{t(verdict(s.points, s.pace), lang)}\n")
        out.write(f"  {t('trend_line', lang)}{colon}{clean(trend_text(s, s.unit_en, unit, lang))}\n")
        for y, stated in sorted(s.plan_baseline.items()):
            if y in s.baseline_checks:
                continue  # in the baseline table above
            out.write(f"  {t('baseline', lang)}{colon}{baseline_text(s, y, stated, unit, lang)}\n")
        if s.units:
            counts, off = _units_pace(s.units, lang)
            out.write(f"  {t('units_line', lang)}{colon}{counts}\n")
            if off:
                sep = "、" if zh else ", "
                names = sep.join(clean(u.name) for u in off[:MAX_UNITS_LISTED])
                more = f" {t('and_more', lang, n=len(off) - MAX_UNITS_LISTED)}" if len(off) > MAX_UNITS_LISTED else ""
                out.write(f"    {t('not_on_pace_units', lang)}{colon}{names}{more}\n")
    return out.getvalue()


def render_json(series: Sequence[TargetSeries], meta: ProgressMeta) -> str:
    """The JSON progress report (keys sorted, stable across runs)."""
    doc: dict[str, Any] = {
        "tool": {"name": "coverage-planner", "version": meta.tool_version},
        "years": list(meta.years), "scenarios": list(meta.scenario_paths),
        "layer_set": {"name": meta.layer_set, "synthetic": meta.synthetic},
        "method": "pace = least-squares straight line through the years before the last year, projected to it",
        "targets": [s.to_dict() for s in series],
    }
    return json_text(doc)


def render_csv(series: Sequence[TargetSeries], meta: ProgressMeta) -> str:
    """One row per target (level 'all') or unit and year, with the pace verdict on every row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["target_id", "level", "unit_id", "unit_name", "year", "status", "value", "threshold_min",
                "threshold_max", "unit", "plan_stated_value", "trend", "slope_per_year",
                f"projected_{meta.years[-1]}", "on_pace"])

    def rows(level: str, uid: str, name: str, s: TargetSeries, points: Sequence[Any], pace: Any, base: bool) -> None:
        for p in points:
            w.writerow([csv_safe(s.id), csv_safe(level), csv_safe(uid), csv_safe(name), p.year, p.status, p.value,
                        p.threshold_min, p.threshold_max, s.unit_en, s.plan_baseline.get(p.year, "") if base else "",
                        pace.trend, pace.slope_per_year, pace.projected, "" if pace.on_pace is None else pace.on_pace])

    for s in series:
        rows("all", "", "", s, s.points, s.pace, True)
        for u in s.units:
            rows(u.level, u.unit_id, u.name, s, u.points, u.pace, False)
    return buf.getvalue()


def render_md(series: Sequence[TargetSeries], meta: ProgressMeta, *, lang: str = "en") -> str:
    """A Markdown report in ``lang``: one table of targets by year, then each target's pace and units."""
    out = io.StringIO()
    out.write(f"# {_md(t('progress_md_title', lang, years=f'{meta.years[0]}–{meta.years[-1]}', layers=meta.layer_set))}\n\n")
    if meta.synthetic:
        out.write(f"> **{_md(t('synthetic', lang))}**\n\n")
    out.write(f"| {t('target_word', lang)} | " + " | ".join(str(y) for y in meta.years) + f" | {t('verdict_line', lang)} |\n")
    out.write("|---|" + "---|" * len(meta.years) + "---|\n")
    for s in series:
        unit = _unit(s, lang)
        cells = []
        for y in meta.years:
            p = s.point(y)
            cells.append(t("not_set_cell", lang) if p is None else
                         f"{_md(fmt_value(p.value, unit))} / {t('not_set_cell', lang)}" if p.status == NOT_SET else
                         f"{_md(fmt_value(p.value, unit))} / {_md(target_text(p.threshold_min, p.threshold_max, unit))}")
        out.write(f"| {_md(s.id)} | " + " | ".join(cells) + f" | {t(verdict(s.points, s.pace), lang)} |\n")
    out.write(f"\n{t('progress_md_cells', lang)}\n")
    out.write(_baseline_md(series, lang))
    for s in series:
        unit = _unit(s, lang)
        out.write(f"\n## {_md(s.id)} — {_md(s.title_zh if lang == 'zh' else s.title_en)}\n\n")
        stop = "。" if lang == "zh" else ". "
        out.write(f"**{t(verdict(s.points, s.pace), lang)}**{stop}{t('trend_line', lang).capitalize()}"
                  f"{t('colon', lang)}{_md(trend_text(s, s.unit_en, unit, lang))}\n\n")
        baseline = s.baseline_sentence_zh if lang == "zh" else s.baseline_sentence_en
        if baseline:
            out.write(f"{_md(baseline)}\n\n")
        if s.units:
            counts, off = _units_pace(s.units, lang)
            out.write(f"{t('units_line', lang).capitalize()}{t('colon', lang)}{counts}\n")
            if off:
                heads = [t(k, lang) for k in ("units_line", "progress_md_level", "verdict_line", "trend_line")]
                out.write("\n| " + " | ".join(heads) + " |\n|---|---|---|---|\n")
                out.writelines(f"| {_md(u.name)} | {_md(term(u.level, lang))} | {t(verdict(u.points, u.pace), lang)} | "
                               f"{_md(trend_text(u, s.unit_en, unit, lang))} |\n" for u in off)
    return out.getvalue()


def render_progress(series: Sequence[TargetSeries], meta: ProgressMeta, *, fmt: str = "text", lang: str = "en") -> str:
    """Render the progress report as ``fmt`` ({"text", "json", "csv", "md"})."""
    if fmt == "text":
        return render_text(series, meta, lang=lang)
    if fmt == "md":
        return render_md(series, meta, lang=lang)
    return {"json": render_json, "csv": render_csv}[fmt](series, meta)
