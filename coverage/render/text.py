"""Reports: a terminal table, JSON (stable schema), CSV (one row per target and unit) and Markdown.

Strings from data are escaped for their medium: Markdown/HTML special characters in ``md``,
control characters everywhere (a name cannot rewrite the terminal).
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model.messages import in_lang, message_dicts
from ..model.results import FAIL, NO_DATA, PASS, TargetResult, fmt_number, fmt_value
from ..model.words import display_width
from .catalogue import fmt_year, t, term
from .json_indented import indented_json

__all__ = ["ReportMeta", "clean", "csv_safe", "exit_code", "in_lang", "json_text", "render", "stdout_terminal",
           "verdict_table"]

SCHEMA_VERSION = 1
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"[\t\n\r\u2028\u2029]+")


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


def _unit(r: TargetResult, lang: str) -> str:
    return r.unit_zh if lang == "zh" and r.unit_zh else r.unit_en


def _value_text(r: TargetResult, lang: str) -> str:
    return "—" if r.value is None else fmt_value(r.value, _unit(r, lang))


def _threshold_text(r: TargetResult, lang: str) -> str:
    unit = _unit(r, lang)
    parts = [f"{sign} {fmt_value(v, unit)}" for sign, v in (("≥", r.threshold_min), ("≤", r.threshold_max))
             if v is not None]
    return ", ".join(parts) or "—"


def stdout_terminal() -> dict[str, Any]:
    """``width`` and ``colour`` for :func:`render` when stdout is a terminal, else ``{}`` (the piped layout).

    Colour is off when ``NO_COLOR`` is set (https://no-color.org).
    """
    if not sys.stdout.isatty():
        return {}
    return {"width": shutil.get_terminal_size((100, 24)).columns, "colour": not os.environ.get("NO_COLOR")}


def _console(width: int | None, colour: bool, natural: int) -> Console:
    """A console writing to a string: the terminal's width, or (piped) wide enough that nothing wraps."""
    return Console(file=io.StringIO(), width=width or max(natural, 40), force_terminal=colour,
                   color_system="standard" if colour else None, no_color=not colour, highlight=False,
                   emoji=False, markup=False, soft_wrap=False, legacy_windows=False)


_STYLE = {PASS: "bold green", FAIL: "bold red", NO_DATA: "bold yellow"}


def verdict_table(rows: Sequence[tuple[str, str, str, str]], headers: Sequence[str], *, width: int | None = None,
                  colour: bool = False, styles: Sequence[str] = ()) -> str:
    """The verdict table: status, target id, value, target value; ids and units are never cut.

    Parameters
    ----------
    rows
        (status word, target id, value text, threshold text) per target.
    headers
        The four column headings in the report language.
    width
        The terminal's width: value and target value wrap within it (never cut); None is the piped layout,
        one line per target with columns as wide as their content.
    colour
        Colour the status words (a terminal that shows colour).
    styles
        The status code of each row (pass, fail, no_data): its colour.

    Returns
    -------
    str
        The table, one final newline.
    """
    longest = [max([display_width(r[i]) for r in rows] + [display_width(headers[i])]) for i in range(4)]
    if width is not None and width < longest[0] + longest[1] + 2 * _MIN_VALUE_COLUMN + 6:
        return _stacked(rows, headers, width=width, colour=colour, styles=styles)
    table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0), header_style="bold" if colour else "")
    table.add_column(headers[0], no_wrap=True)
    table.add_column(headers[1], no_wrap=True, min_width=longest[1])  # the id is what `-t` needs: never cut
    table.add_column(headers[2], min_width=min(longest[2], _MIN_VALUE_COLUMN), overflow="fold")  # wraps, never cut
    table.add_column(headers[3], min_width=min(longest[3], _MIN_VALUE_COLUMN), overflow="fold")
    for i, (status, tid, value, threshold) in enumerate(rows):
        table.add_row(_styled(status, i, colour, styles), Text(clean(tid)), Text(clean(value)), Text(clean(threshold)))
    console = _console(width, colour, sum(w + 2 for w in longest))
    console.print(table)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


#: Narrowest value / target-value column before the table gives way to one block per target.
_MIN_VALUE_COLUMN = 16


def _styled(word: str, i: int, colour: bool, styles: Sequence[str]) -> Text:
    return Text(word, style=_STYLE.get(styles[i], "") if colour and i < len(styles) else "")


def _stacked(rows: Sequence[tuple[str, str, str, str]], headers: Sequence[str], *, width: int, colour: bool,
             styles: Sequence[str]) -> str:
    """A terminal too narrow for the table: the status and id on one line, value and target value below."""
    console = _console(width, colour, width)
    pad = max(display_width(r[0]) for r in rows) if rows else 0
    for i, (status, tid, value, threshold) in enumerate(rows):
        line = _styled(status + " " * (pad - display_width(status)), i, colour, styles)
        line.append("  " + clean(tid))
        console.print(line, overflow="fold")
        console.print(Text(f"    {headers[2]}: {clean(value)}; {headers[3]}: {clean(threshold)}"), overflow="fold")
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def _badge(status: str, lang: str, colour: bool) -> str:
    word = t(status, lang)
    if not colour:
        return word
    code = {PASS: "32", FAIL: "31", NO_DATA: "33"}.get(status, "0")
    return f"\x1b[1;{code}m{word}\x1b[0m"


def render_text(results: Sequence[TargetResult], meta: ReportMeta, *, lang: str = "en", width: int | None = None,
                colour: bool = False) -> str:
    """A readable terminal report: a title, the verdict table, then each target's plan, gap and assumptions.

    Parameters
    ----------
    results, meta
        The check run's results and what it is about.
    lang
        ``"en"`` or ``"zh"``: every fixed word, the titles and the sentences.
    width, colour
        The terminal's width and colour (:func:`stdout_terminal`); the defaults are the piped layout.
    """
    zh = lang == "zh"
    out = io.StringIO()
    title = t("check_title", lang, year=fmt_year(meta.scenario_year), layers=clean(meta.layer_set))
    out.write(title + "\n" + "=" * min(display_width(title), width or display_width(title)) + "\n")
    if meta.synthetic:
        out.write(t("synthetic_note", lang) + "\n")
    n = {s: sum(r.status == s for r in results) for s in (PASS, FAIL, NO_DATA)}
    out.write(t("summary", lang, n=len(results), p=n[PASS], f=n[FAIL], d=n[NO_DATA]) + "\n\n")
    headers = [t(k, lang) for k in ("col_status", "col_target", "col_value", "col_threshold")]
    rows = [(t(r.status, lang), r.id, _value_text(r, lang), _threshold_text(r, lang)) for r in results]
    out.write(verdict_table(rows, headers, width=width, colour=colour, styles=[r.status for r in results]))
    out.write("\n")
    for r in results:
        title = r.title_zh if zh else r.title_en
        out.write(f"[{_badge(r.status, lang, colour)}] {r.id} — {clean(title)}\n")
        chapter = (", " if not zh else ",") + clean(r.chapter) if r.chapter else ""
        out.write(f"    {t('plan_line', lang)}: “{clean(r.quote)}” ({clean(r.plan_title_in(lang))}{chapter})\n")
        out.write(f"    {clean(r.summary_zh if zh else r.summary_en)}\n")
        if r.gap:
            out.write(f"    {t('gap_line', lang)}: {clean(r.gap.text_zh if zh else r.gap.text_en)}\n")
        if r.approximate:
            out.write(f"    {t('approx_line', lang)}\n")
        for a in r.assumptions:
            out.write(f"    · {clean(in_lang(a, lang))}\n")
    if meta.notes:
        out.write(f"\n{t('data_notes', lang)}:\n")
        for note in meta.notes:
            out.write(f"  · {clean(in_lang(note, lang))}\n")
    return out.getvalue()


def json_text(doc: object) -> str:
    """The project's JSON form of a report: UTF-8 text as is, keys sorted, indented, one final newline.

    Every JSON report (check, progress, compare, siting) goes through here, so the same inputs give the
    same bytes.
    """
    return indented_json(doc, default=str) + "\n"  # json.dumps(..., indent=2, sort_keys=True)'s bytes, faster


def render_json(results: Sequence[TargetResult], meta: ReportMeta, *, lang: str = "en") -> str:
    """The JSON report (schema in README; keys sorted, stable across runs).

    Keys are English whatever ``lang``; the sentences (``assumptions``, ``data_notes``) are in ``lang``, and
    ``assumption_keys`` / ``data_note_keys`` give each one's catalogue key and parameters (``null`` for text
    from data or a scenario) so that a machine reader can render them again in either language.
    """
    targets = []
    for r in results:
        d = r.to_dict()
        d["assumptions"] = [in_lang(a, lang) for a in r.assumptions]
        d["assumption_keys"] = message_dicts(r.assumptions)
        targets.append(d)
    doc = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "coverage-planner", "version": meta.tool_version},
        "scenario": {"year": meta.scenario_year, "path": meta.scenario_path},
        "layer_set": {"name": meta.layer_set, "path": meta.layer_set_path, "synthetic": meta.synthetic,
                      "sources": list(meta.sources)},
        "summary": {s: sum(r.status == s for r in results) for s in (PASS, FAIL, NO_DATA)},
        "data_notes": [in_lang(n, lang) for n in meta.notes],
        "data_note_keys": message_dicts(list(meta.notes)),
        "targets": targets,
    }
    return json_text(doc)


def render_csv(results: Sequence[TargetResult], meta: ReportMeta, *, lang: str = "en") -> str:
    """One row per target (level 'all') and per unit.

    The header and the codes (kind, level, class, status) stay as the JSON has them, for programs; the
    ``unit`` column is in ``lang``.
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["scenario_year", "target_id", "kind", "level", "unit_id", "unit_name", "unit_class", "status",
                "value", "threshold_min", "threshold_max", "unit", "gap", "population", "supply"])

    for r in results:
        d = r.to_dict()
        unit = _unit(r, lang)
        w.writerow([meta.scenario_year, r.id, r.kind, "all", "", "", "", r.status, d["value"],
                    d["threshold"]["min"], d["threshold"]["max"], unit, d["gap"]["quantity"] if d["gap"] else "",
                    d["details"].get("population", ""), d["details"].get("supply", "")])
        for u in d["units"]:
            w.writerow([meta.scenario_year, r.id, r.kind, u["level"], csv_safe(u["unit_id"]), csv_safe(u["name"]),
                        csv_safe(u["class"]), u["status"], u["value"], u["threshold"], "", unit, u["gap"],
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


def render_md(results: Sequence[TargetResult], meta: ReportMeta, *, lang: str = "en") -> str:
    """A Markdown report (names escaped) for sharing, in ``lang``; both titles of each target are shown."""
    zh = lang == "zh"
    out = io.StringIO()
    out.write(f"# {_md(t('index_title', lang, year=fmt_year(meta.scenario_year)))} — {_md(meta.layer_set)}\n\n")
    if meta.synthetic:
        out.write(f"> **{_md(t('synthetic', lang))}**\n\n")
    heads = [t(k, lang) for k in ("col_status", "col_target", "col_value", "col_threshold", "col_summary")]
    out.write("| " + " | ".join(heads) + " |\n|---|---|---|---|---|\n")
    for r in results:
        out.write(f"| {t(r.status, lang)} | {_md(r.id)} {_md(r.title_zh if zh else r.title_en)} | "
                  f"{_md(_value_text(r, lang))} | {_md(_threshold_text(r, lang))} | "
                  f"{_md(r.summary_zh if zh else r.summary_en)} |\n")
    for r in results:
        out.write(f"\n## {_md(r.id)} — {_md(r.title_zh)} / {_md(r.title_en)}\n\n")
        out.write(f"**{t(r.status, lang)}**. {_md(r.summary_zh if zh else r.summary_en)}\n\n> {_md(r.quote)}\n>\n"
                  f"> — {_md(r.plan_title_in(lang))}\n\n")
        if r.gap:
            out.write(f"**{t('gap', lang)}:** {_md(r.gap.text_zh if zh else r.gap.text_en)}\n\n")
        out.write(_md_units(r, lang))
        if r.assumptions:
            out.write(f"{t('assumptions', lang)}:\n\n" + "".join(f"- {_md(in_lang(a, lang))}\n" for a in r.assumptions))
    if meta.notes:
        out.write(f"\n## {t('data_notes', lang)}\n\n" + "".join(f"- {_md(in_lang(n, lang))}\n" for n in meta.notes))
    return out.getvalue()


#: Unit rows shown per target in the Markdown report (failing units first; the CSV and JSON have them all).
MD_MAX_UNITS = 40


def _md_units(r: TargetResult, lang: str = "en") -> str:
    """The target's per-unit table (failing units first), or '' when it has no units."""
    if not r.units:
        return ""
    order = {FAIL: 0, NO_DATA: 1, PASS: 2}  # then units given for information
    rows = sorted(r.units, key=lambda u: (order.get(u.status, 3), u.level, u.name))
    levels = ("、" if lang == "zh" else ", ").join(dict.fromkeys(term(u.level, lang) for u in r.units))
    heads = [t(k, lang) for k in ("col_status", "col_unit", "col_code", "col_class", "col_value", "col_threshold",
                                  "gap_line", "col_people")]
    unit = _unit(r, lang)
    out = [f"{_md(t('md_units', lang, levels=levels, n=len(rows)))}:\n\n| " + " | ".join(heads) + " |\n"
           "|---|---|---|---|---|---|---|---|\n"]
    for u in rows[:MD_MAX_UNITS]:
        out.append(f"| {t(u.status, lang)} | {_md(u.name)} | {_md(u.unit_id)} | {_md(term(u.unit_class, lang, ns='class'))} | "
                   f"{_md(fmt_value(u.value, unit))} | {_md(fmt_value(u.threshold, unit))} | "
                   f"{_md(fmt_number(u.gap) if u.gap else '—')} | {_md(fmt_number(u.population))} |\n")
    if len(rows) > MD_MAX_UNITS:
        out.append(f"\n{_md(t('md_more_units', lang, n=len(rows) - MD_MAX_UNITS))}\n")
    return "".join(out) + "\n"


def render(results: Sequence[TargetResult], meta: ReportMeta, *, fmt: str = "text", lang: str = "en",
           width: int | None = None, colour: bool = False) -> str:
    """Render ``results`` as ``fmt`` ({"text", "json", "csv", "md"}); ``width``/``colour`` for a terminal."""
    if fmt == "json":
        return render_json(results, meta, lang=lang)
    if fmt == "csv":
        return render_csv(results, meta, lang=lang)
    if fmt == "md":
        return render_md(results, meta, lang=lang)
    return render_text(results, meta, lang=lang, width=width, colour=colour)
