"""Reports: a terminal table, JSON (stable schema), CSV (one row per target and unit) and Markdown.

Strings from data are escaped for their medium: Markdown/HTML special characters in ``md``,
control characters everywhere (a name cannot rewrite the terminal).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model.results import FAIL, NO_DATA, PASS, TargetResult, fmt_value

__all__ = ["ReportMeta", "clean", "csv_safe", "exit_code", "json_text", "render"]

SCHEMA_VERSION = 1
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]+")
_BADGE = {PASS: "PASS", FAIL: "FAIL", NO_DATA: "NO DATA"}


@dataclass(frozen=True)
class ReportMeta:
    """What the report is about."""

    scenario_year: int
    scenario_path: str
    layer_set: str
    layer_set_path: str
    synthetic: bool
    sources: tuple[dict[str, Any], ...] = ()
    notes: tuple[str, ...] = ()
    tool_version: str = ""


def clean(text: object) -> str:
    """Remove control and bidi-override characters; line breaks and tabs become one space.

    Safe for terminals, Markdown tables and CSV: a name from data can neither recolour the terminal nor
    start a line of its own (a forged verdict) nor hide a leading ``=`` behind a tab.
    """
    return _BREAKS.sub(" ", _CTRL.sub("", str(text)))


def _md(text: object) -> str:
    return html.escape(clean(text), quote=False).replace("|", "\\|").replace("*", "\\*").replace("_", "\\_") \
        .replace("[", "\\[").replace("]", "\\]").replace("`", "\\`")


def exit_code(results: Sequence[TargetResult], *, strict: bool = False) -> int:
    """0 when no target fails (``strict``: and none lacks data), 1 otherwise."""
    bad = {FAIL, NO_DATA} if strict else {FAIL}
    return 1 if any(r.status in bad for r in results) else 0


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, w: int) -> str:
    return s + " " * max(0, w - _width(s))


def _trunc(s: str, w: int) -> str:
    out, used = "", 0
    for c in s:
        cw = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if used + cw > w - 1:
            return out + "…"
        out += c
        used += cw
    return out


def render_text(results: Sequence[TargetResult], meta: ReportMeta, *, lang: str = "en") -> str:
    """A readable terminal report: one line per target, then the gaps and assumptions."""
    out = io.StringIO()
    title = f"coverage check — scenario {meta.scenario_year} — {clean(meta.layer_set)}"
    out.write(title + "\n" + "=" * _width(title) + "\n")
    if meta.synthetic:
        out.write("NOTE: synthetic demo data — the figures describe no real city.\n")
    n = {s: sum(r.status == s for r in results) for s in (PASS, FAIL, NO_DATA)}
    out.write(f"{len(results)} targets: {n[PASS]} pass, {n[FAIL]} fail, {n[NO_DATA]} no data\n\n")
    cols = [("status", 8), ("target", 36), ("value", 26), ("target value", 28)]
    out.write("  ".join(_pad(c, w) for c, w in cols).rstrip() + "\n")
    for r in results:
        name = r.id
        val = "—" if r.value is None else fmt_value(r.value, r.unit_en)
        row = [_BADGE[r.status], _trunc(name, 36), _trunc(val, 26), _trunc(r.threshold_text, 28)]
        out.write("  ".join(_pad(clean(c), w) for c, (_, w) in zip(row, cols, strict=True)).rstrip() + "\n")
    out.write("\n")
    for r in results:
        title = r.title_zh if lang == "zh" else r.title_en
        out.write(f"[{_BADGE[r.status]}] {r.id} — {clean(title)}\n")
        out.write(f"    plan: “{clean(r.quote)}” ({clean(r.plan_title)}{', ' + clean(r.chapter) if r.chapter else ''})\n")
        out.write(f"    {clean(r.summary_zh if lang == 'zh' else r.summary_en)}\n")
        if r.gap:
            out.write(f"    gap: {clean(r.gap.text_zh if lang == 'zh' else r.gap.text_en)}\n")
        if r.approximate:
            out.write("    APPROXIMATE: see assumptions.\n")
        for a in r.assumptions:
            out.write(f"    · {clean(a)}\n")
    if meta.notes:
        out.write("\nData notes:\n")
        for note in meta.notes:
            out.write(f"  · {clean(note)}\n")
    return out.getvalue()


def json_text(doc: object) -> str:
    """The project's JSON form of a report: UTF-8 text as is, keys sorted, indented, one final newline.

    Every JSON report (check, progress, compare, siting) goes through here, so the same inputs give the
    same bytes.
    """
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n"


def render_json(results: Sequence[TargetResult], meta: ReportMeta) -> str:
    """The JSON report (schema in README; keys sorted, stable across runs)."""
    doc = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "coverage-planner", "version": meta.tool_version},
        "scenario": {"year": meta.scenario_year, "path": meta.scenario_path},
        "layer_set": {"name": meta.layer_set, "path": meta.layer_set_path, "synthetic": meta.synthetic,
                      "sources": list(meta.sources)},
        "summary": {s: sum(r.status == s for r in results) for s in (PASS, FAIL, NO_DATA)},
        "data_notes": list(meta.notes),
        "targets": [r.to_dict() for r in results],
    }
    return json_text(doc)


def render_csv(results: Sequence[TargetResult], meta: ReportMeta) -> str:
    """One row per target (level 'all') and per unit."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["scenario_year", "target_id", "kind", "level", "unit_id", "unit_name", "unit_class", "status",
                "value", "threshold_min", "threshold_max", "unit", "gap", "population", "supply"])

    for r in results:
        d = r.to_dict()
        w.writerow([meta.scenario_year, r.id, r.kind, "all", "", "", "", r.status, d["value"],
                    d["threshold"]["min"], d["threshold"]["max"], r.unit_en, d["gap"]["quantity"] if d["gap"] else "",
                    d["details"].get("population", ""), d["details"].get("supply", "")])
        for u in d["units"]:
            w.writerow([meta.scenario_year, r.id, r.kind, u["level"], csv_safe(u["unit_id"]), csv_safe(u["name"]),
                        csv_safe(u["class"]), u["status"], u["value"], u["threshold"], "", r.unit_en, u["gap"],
                        u["population"], u["supply"]])
    return buf.getvalue()


def csv_safe(text: object) -> str:
    """``clean`` text that a spreadsheet cannot take for a formula (a leading = + - @ gets a quote)."""
    t = clean(text)
    return "'" + t if t[:1] in ("=", "+", "-", "@") and not _is_number(t) else t


def _is_number(t: str) -> bool:
    try:
        float(t)
    except ValueError:
        return False
    return True


def render_md(results: Sequence[TargetResult], meta: ReportMeta) -> str:
    """A Markdown report (names escaped) for sharing."""
    out = io.StringIO()
    out.write(f"# Plan targets {meta.scenario_year} — {_md(meta.layer_set)}\n\n")
    if meta.synthetic:
        out.write("> **Synthetic demo data**: the figures describe no real city.\n\n")
    out.write("| status | target | value | threshold | summary |\n|---|---|---|---|---|\n")
    for r in results:
        val = "—" if r.value is None else fmt_value(r.value, r.unit_en)
        out.write(f"| {_BADGE[r.status]} | {_md(r.id)} {_md(r.title_zh)} | {_md(val)} | {_md(r.threshold_text)} | "
                  f"{_md(r.summary_en)} |\n")
    for r in results:
        out.write(f"\n## {_md(r.id)} — {_md(r.title_zh)} / {_md(r.title_en)}\n\n")
        out.write(f"**{_BADGE[r.status]}**. {_md(r.summary_en)}\n\n> {_md(r.quote)}\n>\n> — {_md(r.plan_title)}\n\n")
        if r.gap:
            out.write(f"**Gap:** {_md(r.gap.text_en)}  \n**缺口:** {_md(r.gap.text_zh)}\n\n")
        if r.assumptions:
            out.write("Assumptions:\n\n" + "".join(f"- {_md(a)}\n" for a in r.assumptions))
    return out.getvalue()


def render(results: Sequence[TargetResult], meta: ReportMeta, *, fmt: str = "text", lang: str = "en") -> str:
    """Render ``results`` as ``fmt`` ({"text", "json", "csv", "md"})."""
    if fmt == "json":
        return render_json(results, meta)
    if fmt == "csv":
        return render_csv(results, meta)
    if fmt == "md":
        return render_md(results, meta)
    return render_text(results, meta, lang=lang)
