"""The printable brief: one self-contained HTML file, a cover page (with the list of targets, continued on the next
page when it is long) and one A4 page per target.

Each target page holds the status, both titles, the plan's words, the measured value against the
threshold, the gap, an optional chart (SVG supplied by the caller), a static map of the units
(:mod:`coverage_planner.render.svg`), the worst units and the assumptions. Print CSS puts every target on a page of
its own; long lists are cut to what fits and say how many were left out. Every string from data is
escaped; the charts and maps are SVG made by this package and embedded as they are.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..model.messages import in_lang
from ..model.results import FAIL, NO_DATA, PASS, TargetResult, UnitResult, fmt_number, fmt_value
from .catalogue import fmt_year, t, term
from .svg import TERRITORY_KINDS, judged_level, judged_units
from .text import ReportMeta, clean
from .web.overlays import COUNT_VALUED_KINDS, STATUS_COLOURS
from .web.page import threshold_text, value_text

if TYPE_CHECKING:
    from ..studies.check import CheckRun

__all__ = ["brief_for_run", "render_brief", "worst_units"]

#: Rows of the worst-units table (fewer when a map takes the space).
MAX_UNIT_ROWS, MAX_UNIT_ROWS_WITH_MAP = 14, 8
MAX_ASSUMPTIONS, MAX_ASSUMPTION_CHARS = 5, 280
MAX_QUOTE_CHARS, MAX_SENTENCE_CHARS, MAX_COVER_ROWS = 600, 500, 48
#: Rows of the list of targets on each page that continues it after the cover (the list is never cut short).
MAX_CONTENTS_ROWS = 64

#: Brief keys of the catalogue whose names differ from the catalogue's.
_KEYS = {"title": "brief_title"}

_CSS = """
@page { size: A4; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       font-size: 10pt; line-height: 1.35; color: #222; margin: 0; background: #eee; }
.page { position: relative; width: 186mm; height: 272mm; overflow: hidden; margin: 8mm auto; background: #fff;
        outline: 12mm solid #fff; }
.fit { display: flex; flex-direction: column; gap: 2.5mm; }
.fit p { margin: 0; }
.clip-note { display: none; position: absolute; left: 0; right: 0; bottom: 0; margin: 0; padding: 1mm 0 0;
             background: #fff; border-top: 0.3mm solid #d7191c; color: #a00; font-size: 8.5pt; }
.page.clipped .clip-note { display: block; }
@media print { body { background: #fff; } .page { margin: 0; outline: none; break-inside: avoid; }
               .page + .page { break-before: page; page-break-before: always; } a { color: inherit; } }
h1 { font-size: 18pt; margin: 0 0 2mm; } h2 { font-size: 14pt; margin: 0; } h3 { font-size: 10.5pt; margin: 1mm 0; }
.en { color: #555; font-size: 10.5pt; }
.badge { display: inline-block; padding: 0.6mm 2.5mm; border-radius: 1.5mm; color: #fff; font-weight: bold;
         font-size: 10pt; margin-right: 2mm; vertical-align: middle; }
.pass { background: #1a9641; } .fail { background: #d7191c; } .no_data { background: #969696; }
.synthetic { border: 1.2mm solid #d7191c; padding: 2mm 3mm; font-weight: bold; color: #a00; }
.approx { border-left: 1.2mm solid #fdae61; padding: 1mm 2mm; background: #fff7ec; }
blockquote { margin: 0; padding: 1.5mm 3mm; border-left: 1mm solid #999; background: #f6f6f6; }
.figures { display: flex; gap: 6mm; } .figures div { flex: 1; border: 0.3mm solid #ccc; padding: 1.5mm 3mm; }
.figures b { display: block; font-size: 14pt; }
.pictures { display: flex; gap: 4mm; align-items: flex-start; }
.pictures figure { margin: 0; flex: 1; min-width: 0; } .pictures figcaption { font-size: 8.5pt; color: #555; }
.pictures svg { width: 100%; height: auto; max-height: 78mm; display: block; }
.chart svg { max-height: 55mm; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
th, td { border-bottom: 0.2mm solid #ccc; padding: 0.6mm 1.5mm; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
.legend span { display: inline-block; width: 3mm; height: 3mm; margin: 0 1mm 0 3mm; vertical-align: middle; }
ul { margin: 0; padding-left: 5mm; } li { margin: 0.3mm 0; }
.small { font-size: 8.5pt; color: #555; }
table.toc { table-layout: fixed; font-size: 8pt; }
table.toc td, table.toc th { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
table.toc col.s { width: 14mm; } table.toc col.i { width: 50mm; } table.toc col.v { width: 30mm; }
table.toc col.p { width: 10mm; }
"""

#: Shrinks a page's content (CSS zoom, down to 60 %) until it fits its A4 box; marks it clipped if it never does.
#: Screen and print share the page box, so what fits on screen fits on paper.
_FIT_JS = """(function(){var ps=document.querySelectorAll('.page');for(var i=0;i<ps.length;i++){
var p=ps[i],f=p.querySelector('.fit'),h=p.getBoundingClientRect().height,z=1;
while(f.getBoundingClientRect().height>h+0.5&&z>0.61){z=Math.round(z*100-5)/100;f.style.zoom=z;}
if(f.getBoundingClientRect().height>h+0.5){p.className+=' clipped';}}})();"""


def _e(text: object) -> str:
    return html.escape(clean(text), quote=True)


def _l(key: str, lang: str, **fmt: object) -> str:
    return t(_KEYS.get(key, key), lang, **fmt)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def worst_units(result: TargetResult, n: int) -> list[UnitResult]:
    """The ``n`` failing units of the judged level with the largest gaps (then the lowest values), worst first."""
    failing = [u for u in judged_units(result) if u.status == FAIL]
    return sorted(failing, key=lambda u: (-(u.gap or 0.0), u.value if u.value is not None else float("inf"),
                                          u.unit_id))[:n]


def _page(kind: str, page_id: str, inner: str, lang: str) -> str:
    """One printed page: the content in a box the fitting script may shrink, and a note shown if cut."""
    ident = f' id="{_e(page_id)}"' if page_id else ""
    return (f'<section class="page {kind}"{ident}><div class="fit">{inner}</div>'
            f'<p class="clip-note">{_e(_l("clipped", lang))}</p></section>')


def _badge(status: str, lang: str) -> str:
    return f'<span class="badge {_e(status)}">{_e(t(status, lang))}</span>'


def _cover(results: Sequence[TargetResult], meta: ReportMeta, lang: str) -> str:
    n = {s: sum(r.status == s for r in results) for s in (PASS, FAIL, NO_DATA)}
    parts = [f'<h1>{_e(_l("title", lang, year=meta.scenario_year))}</h1>']
    if meta.synthetic:
        parts.append(f'<p class="synthetic">{_e(t("synthetic", lang))}</p>')
    parts.append(f"<p>{_e(t('scenario', lang))}: {fmt_year(meta.scenario_year)} ({_e(meta.scenario_path)})<br>"
                 f"{_e(t('layer_set', lang))}: {_e(meta.layer_set)}</p>")
    parts.append(f"<h2>{_e(t('summary', lang, n=len(results), p=n[PASS], f=n[FAIL], d=n[NO_DATA]))}</h2>")
    first, rest = _contents_chunks(results)
    parts.append(f"<h3>{_e(_l('all_targets', lang))}</h3>" + _contents_table(first, 0, 1 + len(rest), lang))
    if meta.notes:
        parts.append(f"<h3>{_e(t('notes', lang))}</h3><ul class='small'>"
                     + "".join(f"<li>{_e(_cut(in_lang(x, lang), 300))}</li>" for x in meta.notes[:6]) + "</ul>")
    if meta.sources:
        parts.append(f"<h3>{_e(t('sources', lang))}</h3><ul class='small'>"
                     + "".join(f"<li>{_e('; '.join(f'{t(k, lang)}: {in_lang(v, lang)}' for k, v in sorted(s.items())))}</li>"
                               for s in meta.sources[:6]) + "</ul>")
    parts.append(f"<p class='small'>{_e(_l('generated', lang, v=meta.tool_version))}</p>")
    return _page("cover", "", "".join(parts), lang)


def _contents_chunks(results: Sequence[TargetResult]) -> tuple[list[TargetResult], list[list[TargetResult]]]:
    """The targets listed on the cover, and those on each page that continues the list."""
    rest = list(results[MAX_COVER_ROWS:])
    return list(results[:MAX_COVER_ROWS]), [rest[i:i + MAX_CONTENTS_ROWS] for i in range(0, len(rest), MAX_CONTENTS_ROWS)]


def _contents_table(rows: Sequence[TargetResult], start: int, front_pages: int, lang: str) -> str:
    """The list of targets (rows ``start`` on), each with the page its own page has after ``front_pages``."""
    parts = ["<table class='toc'><colgroup><col class='s'><col class='i'><col><col class='v'><col class='v'>"
             f"<col class='p'></colgroup><tr><th>{_e(t('status', lang))}</th><th>{_e(t('id', lang))}</th>"
             f"<th>{_e(_l('target_col', lang))}</th><th class='num'>{_e(t('measured', lang))}</th>"
             f"<th class='num'>{_e(t('target', lang))}</th><th class='num'>{_e(_l('page', lang))}</th></tr>"]
    for i, r in enumerate(rows, start=start):
        title = r.title_zh if lang == "zh" else r.title_en
        parts.append(f"<tr><td>{_e(t(r.status, lang))}</td><td>{_e(r.id)}</td><td>{_e(title)}</td>"
                     f"<td class='num'>{_e(value_text(r, lang))}</td><td class='num'>{_e(threshold_text(r, lang))}</td>"
                     f"<td class='num'>{i + 1 + front_pages}</td></tr>")
    return "".join(parts) + "</table>"


def _contents_pages(results: Sequence[TargetResult], lang: str) -> list[str]:
    """The pages after the cover that continue the list of targets (none when the cover holds them all)."""
    _first, rest = _contents_chunks(results)
    out, start = [], MAX_COVER_ROWS
    for rows in rest:
        out.append(_page("contents", "", f"<h3>{_e(_l('all_targets_more', lang))}</h3>"
                         + _contents_table(rows, start, 1 + len(rest), lang), lang))
        start += len(rows)
    return out


def _unit_table(r: TargetResult, lang: str, rows: int) -> str:
    """The failing units of the judged level, largest gap first; one level only, as on the map."""
    units = judged_units(r)
    failing = sum(u.status == FAIL for u in units)
    if not units:
        return ""
    if failing == 0:
        return f"<p>{_e(_l('no_failing', lang))}</p>"
    unit = "" if r.kind in COUNT_VALUED_KINDS else (r.unit_zh if lang == "zh" and r.unit_zh else r.unit_en)
    shown = worst_units(r, rows)
    # a unit's gap is in the target's gap unit only where the kind measures it per unit (capacity, facilities)
    with_gap = r.gap is not None and any(u.gap for u in shown)
    gap_unit = (r.gap.unit_zh if lang == "zh" else r.gap.unit_en) if r.gap and with_gap else ""
    gap_head = (f"<th class='num'>{_e(t('gap', lang))}{(' (' + _e(gap_unit) + ')') if gap_unit else ''}</th>"
                if with_gap else "")
    out = [f"<h3>{_e(_l('worst', lang, n=failing, level=term(judged_level(r), lang)))}</h3><table><tr>"
           f"<th>{_e(t('unit_id', lang))}</th><th>{_e(t('name', lang))}</th><th>{_e(t('class', lang))}</th>"
           f"<th class='num'>{_e(t('value', lang))}</th><th class='num'>{_e(t('threshold', lang))}</th>"
           f"{gap_head}<th class='num'>{_e(t('population', lang))}</th></tr>"]
    for u in shown:
        gap_cell = f"<td class='num'>{_e(fmt_number(u.gap) if u.gap else '—')}</td>" if with_gap else ""
        out.append(f"<tr data-unit='{_e(u.unit_id)}'><td>{_e(_cut(u.unit_id, 24))}</td><td>{_e(_cut(u.name, 40))}</td>"
                   f"<td>{_e(term(u.unit_class, lang, ns='class'))}</td><td class='num'>{_e(fmt_value(u.value, unit))}</td>"
                   f"<td class='num'>{_e(fmt_value(u.threshold, unit))}</td>{gap_cell}"
                   f"<td class='num'>{_e(fmt_number(u.population, digits=0))}</td></tr>")
    out.append("</table>")
    if failing > rows:
        out.append(f"<p class='small'>{_e(_l('more_rows', lang, n=failing - rows))}</p>")
    return "".join(out)


def _map_caption(r: TargetResult, lang: str) -> str:
    caption = _l("map_caption", lang, level=term(judged_level(r), lang))
    if r.kind in TERRITORY_KINDS and r.geo.get("gaps") is not None:
        caption += " · " + _l("map_caption_gaps", lang)
    elif r.kind in TERRITORY_KINDS and r.geo.get("grid") is not None:
        caption += " · " + _l("map_caption_grid", lang)
    return caption


def _legend(lang: str, map_svg: str = "") -> str:
    """The map's colours; the gaps and failing grid cells of a territory target when the map draws them."""
    extra = ""
    if 'class="gap"' in map_svg:
        extra += f"<span style='background:#67000d;opacity:0.6'></span>{_e(t('legend_gaps', lang))}"
    if 'class="grid-fail"' in map_svg:
        extra += f"<span style='border:0.4mm solid #7a0000'></span>{_e(t('legend_grid_fail', lang))}"
    return "<div class='legend small'>" + "".join(
        f"<span style='background:{STATUS_COLOURS[k]}'></span>{_e(t(k, lang))}" for k in (PASS, FAIL, "not_checked")
    ) + extra + "</div>"


def _target_page(r: TargetResult, lang: str, chart: str | None, map_svg: str | None, map_href: str | None) -> str:
    zh = lang == "zh"
    parts = [f"<h2>{_badge(r.status, lang)}{_e(r.title_zh)}</h2><div class='en'>{_e(r.title_en)} · "
             f"<code>{_e(r.id)}</code></div>",
             f"<div class='small'>{_e(t('plan', lang))}: {_e(r.plan_title_in(lang))}{(' · ' + _e(r.chapter)) if r.chapter else ''}"
             f"{(' · ' + _e(r.plan_document)) if r.plan_document else ''}</div>",
             f"<blockquote>“{_e(_cut(r.quote, MAX_QUOTE_CHARS))}”</blockquote>",
             f"<div class='figures'><div>{_e(t('measured', lang))}<b>{_e(value_text(r, lang))}</b></div>"
             f"<div>{_e(t('target', lang))}<b>{_e(threshold_text(r, lang))}</b></div></div>",
             f"<p>{_e(_cut(r.summary_zh if zh else r.summary_en, MAX_SENTENCE_CHARS))}</p>"]
    if r.gap:
        parts.append(f"<p><b>{_e(t('gap', lang))}:</b> {_e(_cut(r.gap.text_zh if zh else r.gap.text_en, MAX_SENTENCE_CHARS))}</p>")
    elif r.status == PASS:
        parts.append(f"<p><b>{_e(t('gap', lang))}:</b> {_e(_l('no_gap', lang))}</p>")
    if r.approximate:
        parts.append(f"<p class='approx'>{_e(t('approximate', lang))}</p>")
    figures = []
    if chart:
        figures.append(f"<figure class='chart'>{chart}<figcaption>{_e(_l('chart', lang))}</figcaption></figure>")
    if map_svg:
        link = f" · <a href='{_e(map_href)}'>{_e(_l('map_link', lang))}</a>" if map_href else ""
        figures.append(f"<figure class='map'>{map_svg}<figcaption>{_e(_map_caption(r, lang))}{link}</figcaption>"
                       f"{_legend(lang, map_svg)}</figure>")
    elif map_href:
        parts.append(f"<p class='small'><a href='{_e(map_href)}'>{_e(_l('map_link', lang))}</a></p>")
    if figures:
        parts.append("<div class='pictures'>" + "".join(figures) + "</div>")
    parts.append(_unit_table(r, lang, MAX_UNIT_ROWS_WITH_MAP if map_svg or chart else MAX_UNIT_ROWS))
    if r.assumptions:
        shown = r.assumptions[:MAX_ASSUMPTIONS]
        parts.append(f"<h3>{_e(t('assumptions', lang))}</h3><ul class='small'>"
                     + "".join(f"<li>{_e(_cut(in_lang(a, lang), MAX_ASSUMPTION_CHARS))}</li>" for a in shown) + "</ul>")
        if len(r.assumptions) > len(shown):
            parts.append(f"<p class='small'>{_e(_l('more_assumptions', lang, n=len(r.assumptions) - len(shown)))}</p>")
    return _page("target", r.id, "".join(parts), lang)


def render_brief(results: Sequence[TargetResult], meta: ReportMeta, *, lang: str = "en",
                 charts: Mapping[str, str] | None = None, maps: Mapping[str, str] | None = None,
                 map_links: Mapping[str, str] | None = None) -> str:
    """The printable brief as one HTML document.

    Parameters
    ----------
    results
        The targets' results, in report order: one page each after the cover.
    meta
        Scenario, layer set (a synthetic layer set is said so on the cover), notes and sources.
    lang
        ``"en"`` or ``"zh"`` for the labels and sentences; both titles are always shown.
    charts
        Target id -> inline SVG made by this package (e.g. values by year); embedded unescaped.
    maps
        Target id -> inline SVG of the units (see :func:`coverage_planner.render.svg.unit_map_svgs`); embedded unescaped.
    map_links
        Target id -> href of its interactive map page.

    Returns
    -------
    str
        A self-contained HTML page; printed (A4) it has exactly one page per target after the cover and the pages
        that continue its list of targets.
    """
    charts, maps, map_links = charts or {}, maps or {}, map_links or {}
    title = _l("title", lang, year=meta.scenario_year) + " — " + clean(meta.layer_set)
    body = [_cover(results, meta, lang), *_contents_pages(results, lang)]
    body += [_target_page(r, lang, charts.get(r.id), maps.get(r.id), map_links.get(r.id)) for r in results]
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>\n"
            + "\n".join(body) + f"\n<script>{_FIT_JS}</script>\n</body></html>\n")


def brief_for_run(run: CheckRun, *, lang: str = "en", maps_dir: Path | None = None, out: Path | None = None,
                  charts: Mapping[str, str] | None = None) -> str:
    """The brief of a check run with a static map per target; links to published maps in ``maps_dir``.

    ``out`` (the brief's path) makes the links relative to the brief's folder.
    """
    from .svg import unit_map_svgs
    from .web.publish import page_names

    links: dict[str, str] = {}
    if maps_dir is not None:
        base = Path(out).parent if out is not None else Path.cwd()
        rel = Path(os.path.relpath(Path(maps_dir).resolve(), base.resolve()))
        links = {tid: (rel / name).as_posix() for tid, name in page_names(run.results).items()}
    return render_brief(run.results, run.meta(), lang=lang, charts=charts, maps=unit_map_svgs(run), map_links=links)
