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

from ..model.results import fmt_value
from ..studies.progress import NOT_SET, TargetSeries, UnitSeries, target_text
from .text import _md, clean, csv_safe, json_text

__all__ = ["ProgressMeta", "render_progress"]

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


def _verdict(on_pace: bool | None, zh: bool) -> str:
    if on_pace is None:
        return "无法判断" if zh else "cannot tell"
    if zh:
        return "可达标" if on_pace else "难以达标"
    return "on pace" if on_pace else "not on pace"


def _units_pace(units: Sequence[UnitSeries]) -> tuple[str, list[UnitSeries]]:
    """'3 on pace, 1 not on pace, 0 cannot tell' and the units not on pace."""
    off = [u for u in units if u.pace.on_pace is False]
    n_on = sum(u.pace.on_pace is True for u in units)
    n_unknown = sum(u.pace.on_pace is None for u in units)
    return f"{n_on} on pace, {len(off)} not on pace, {n_unknown} cannot tell", off


def render_text(series: Sequence[TargetSeries], meta: ProgressMeta, *, lang: str = "en") -> str:
    """A terminal report: per target a row per year, the pace sentence and the units' pace."""
    zh = lang == "zh"
    out = io.StringIO()
    title = f"coverage progress — {', '.join(map(str, meta.years))} — {clean(meta.layer_set)}"
    out.write(title + "\n" + "=" * len(title) + "\n")
    if meta.synthetic:
        out.write("NOTE: synthetic demo data — the figures describe no real city.\n")
    n = {v: sum(s.pace.on_pace is v for s in series) for v in (True, False, None)}
    out.write(f"{len(series)} targets: {n[True]} on pace, {n[False]} not on pace, {n[None]} cannot tell "
              f"(straight-line projection to {meta.years[-1]})\n")
    for s in series:
        out.write(f"\n{clean(s.id)} — {clean(s.title_zh if zh else s.title_en)}\n")
        for y in s.years:
            p = s.point(y)
            if p is None or p.status == NOT_SET:
                note = "本年未设此目标" if zh else "not a target this year"
                val = "" if p is None else f"{fmt_value(p.value, s.unit_en):>18}   "
                out.write(f"  {y}  {'NOT SET':7} {val}({note}{'; measured with the later definition' if p else ''})\n")
                continue
            base = s.plan_baseline.get(y)
            extra = f"   plan's stated value {fmt_value(base, s.unit_en)}" if base is not None else ""
            out.write(f"  {y}  {p.status.upper():7} {fmt_value(p.value, s.unit_en):>18}   target "
                      f"{target_text(p.threshold_min, p.threshold_max, s.unit_en)}"
                      f"{'  [' + clean(p.level) + ']' if p.level else ''}{extra}\n")
        out.write(f"  pace: {clean(s.pace.sentence_zh if zh else s.pace.sentence_en)}\n")
        if s.baseline_sentence_en:
            out.write(f"  baseline: {clean(s.baseline_sentence_zh if zh else s.baseline_sentence_en)}\n")
        if s.units:
            counts, off = _units_pace(s.units)
            out.write(f"  units: {counts}\n")
            if off:
                names = ", ".join(clean(u.name) for u in off[:MAX_UNITS_LISTED])
                more = f" and {len(off) - MAX_UNITS_LISTED} more" if len(off) > MAX_UNITS_LISTED else ""
                out.write(f"    not on pace: {names}{more}\n")
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


def render_md(series: Sequence[TargetSeries], meta: ProgressMeta) -> str:
    """A Markdown report: one table of targets by year, then each target's pace and units."""
    out = io.StringIO()
    out.write(f"# Plan progress {meta.years[0]}–{meta.years[-1]} — {_md(meta.layer_set)}\n\n")
    if meta.synthetic:
        out.write("> **Synthetic demo data**: the figures describe no real city.\n\n")
    out.write("| target | " + " | ".join(str(y) for y in meta.years) + " | pace |\n")
    out.write("|---|" + "---|" * len(meta.years) + "---|\n")
    for s in series:
        cells = []
        for y in meta.years:
            p = s.point(y)
            cells.append("not a target" if p is None else
                         f"{_md(fmt_value(p.value, s.unit_en))} / not a target" if p.status == NOT_SET else
                         f"{_md(fmt_value(p.value, s.unit_en))} / {_md(target_text(p.threshold_min, p.threshold_max, s.unit_en))}")
        out.write(f"| {_md(s.id)} | " + " | ".join(cells) + f" | {_verdict(s.pace.on_pace, False)} |\n")
    out.write("\nEach cell: measured value / that year's target.\n")
    for s in series:
        out.write(f"\n## {_md(s.id)} — {_md(s.title_zh)} / {_md(s.title_en)}\n\n")
        out.write(f"{_md(s.pace.sentence_en)}  \n{_md(s.pace.sentence_zh)}\n\n")
        if s.baseline_sentence_en:
            out.write(f"{_md(s.baseline_sentence_en)}  \n{_md(s.baseline_sentence_zh)}\n\n")
        if s.units:
            counts, off = _units_pace(s.units)
            out.write(f"Units: {counts}.\n")
            if off:
                out.write("\n| unit | level | pace |\n|---|---|---|\n")
                out.writelines(f"| {_md(u.name)} | {_md(u.level)} | {_md(u.pace.sentence_en)} |\n" for u in off)
    return out.getvalue()


def render_progress(series: Sequence[TargetSeries], meta: ProgressMeta, *, fmt: str = "text", lang: str = "en") -> str:
    """Render the progress report as ``fmt`` ({"text", "json", "csv", "md"})."""
    if fmt == "text":
        return render_text(series, meta, lang=lang)
    return {"json": render_json, "csv": render_csv, "md": render_md}[fmt](series, meta)
