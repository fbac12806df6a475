"""``index.html``: every target grouped by plan chapter, with its verdict, evidence and map link.

Plain HTML and CSS (no JavaScript); every string from the scenario or the data is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ... import __version__
from ...model.messages import in_lang
from ...model.results import FAIL, NO_DATA, PASS, TargetResult
from .i18n import t
from .page import threshold_text, value_text

if TYPE_CHECKING:
    from ...studies.check import CheckRun

__all__ = ["render_index"]

_CSS = """
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;
 color:#222;max-width:980px;margin:0 auto;padding:16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid #ddd}
.target{border:1px solid #e3e3e3;border-radius:6px;padding:8px 12px;margin:8px 0}
.target h3{font-size:15px;margin:0 0 4px}.target p{margin:3px 0}
.badge{display:inline-block;padding:0 7px;border-radius:3px;color:#fff;font-weight:600;font-size:12px;margin-right:6px}
.pass{background:#1a9641}.fail{background:#d7191c}.no_data{background:#888}
.quote{color:#444;border-left:3px solid #ccc;padding-left:8px}
.note,.small{color:#666;font-size:12px}.warn{color:#8a4b00;font-weight:600}
.chart{margin:4px 0}
ul{margin:2px 0 2px 18px;padding:0}code{font-size:12px}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _chapters(results: Sequence[TargetResult], lang: str) -> dict[str, list[TargetResult]]:
    """Targets grouped by plan chapter, chapters in order of first appearance."""
    groups: dict[str, list[TargetResult]] = {}
    for r in results:
        chapter = r.chapter or r.plan_title_in(lang) or t("other_chapter", lang)
        groups.setdefault(chapter, []).append(r)
    return groups


def _source(src: Mapping[str, Any], lang: str) -> str:
    name = _e(src.get("name", "?"))
    url = str(src.get("url", "") or "")
    if url.startswith(("https://", "http://")):
        name = f'<a href="{_e(url)}">{name}</a>'
    extras = [f"{_e(t(str(k), lang))}: {_e(in_lang(v, lang))}" for k, v in src.items()
              if k not in ("name", "url") and v not in (None, "")]
    return name + (f" ({'; '.join(extras)})" if extras else "")


def _target(r: TargetResult, href: str | None, lang: str, chart: str | None = None) -> str:
    title = r.title_zh if lang == "zh" else r.title_en
    other = r.title_en if lang == "zh" else r.title_zh
    link = f' · <a href="{_e(href)}">{_e(t("open_map", lang))}</a>' if href else ""
    out = [f'<div class="target" id="{_e(r.id)}"><h3><span class="badge {_e(r.status)}">{_e(t(r.status, lang))}</span>'
           f"{_e(title)}</h3>",
           f'<p class="small"><code>{_e(r.id)}</code> · {_e(other)}{link}</p>',
           f"<p>{_e(t('measured', lang))}: <b>{_e(value_text(r, lang))}</b> · "
           f"{_e(t('target', lang))}: {_e(threshold_text(r, lang))}</p>",
           f"<p>{_e(r.summary_zh if lang == 'zh' else r.summary_en)}</p>"]
    if chart:  # trusted SVG from coverage_planner.render.charts (its own text is escaped there)
        out.append(f'<div class="chart">{chart}</div>')
    if r.gap:
        out.append(f"<p>{_e(t('gap', lang))}: {_e(r.gap.text_zh if lang == 'zh' else r.gap.text_en)}</p>")
    if r.quote:
        plan = " · ".join(x for x in (r.plan_title_in(lang), r.plan_document) if x)
        out.append(f'<p class="quote">“{_e(r.quote)}”' + (f' <span class="small">({_e(plan)})</span>' if plan else "")
                   + "</p>")
    if r.approximate:
        out.append(f'<p class="warn">{_e(t("approximate", lang))}</p>')
    if r.assumptions:
        items = "".join(f"<li>{_e(in_lang(a, lang))}</li>" for a in r.assumptions)
        out.append(f'<p class="small">{_e(t("assumptions", lang))}:</p><ul class="small">{items}</ul>')
    out.append("</div>")
    return "".join(out)


def render_index(run: CheckRun, pages: Mapping[str, str], *, lang: str = "en",
                 charts: Mapping[str, str] | None = None) -> str:
    """The index page of a run.

    Parameters
    ----------
    run
        The checked scenario.
    pages
        Target id -> file name of its map (targets without a map get no link).
    lang
        ``zh`` or ``en``.
    charts
        Target id -> inline SVG progress chart (from :mod:`coverage_planner.render.charts`), shown in the target's box.

    Returns
    -------
    str
        A standalone HTML page.
    """
    spec = run.layer_set
    results = run.results
    name = spec.name_zh if lang == "zh" and spec.name_zh else spec.name
    year = run.scenario.year
    title = f"{t('index_title', lang, year=year)} — {name}"
    counts = {s: sum(r.status == s for r in results) for s in (PASS, FAIL, NO_DATA)}
    out = [f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
           '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n",
           f"<h1>{_e(title)}</h1>\n"]
    for about in (run.scenario.title_in(lang), run.scenario.description_in(lang)):
        if about:
            out.append(f'<p class="note">{_e(about)}</p>\n')
    if spec.synthetic:
        out.append(f'<p class="warn">{_e(t("synthetic", lang))}</p>\n')
    out.append(f"<p>{_e(t('summary', lang, n=len(results), p=counts[PASS], f=counts[FAIL], d=counts[NO_DATA]))}</p>\n")
    for chapter, group in _chapters(results, lang).items():
        out.append(f"<h2>{_e(chapter)}</h2>\n")
        out.extend(_target(r, pages.get(r.id), lang, (charts or {}).get(r.id)) + "\n" for r in group)
    out.append(f"<h2>{_e(t('sources', lang))}</h2>\n<ul>")
    out.extend(f"<li>{_source(s, lang)}</li>" for s in spec.sources)
    out.append(f"<li>{_e(t('layer_set', lang))}: {_e(name)}</li></ul>\n")
    notes = list(run.meta().notes)
    if notes:
        out.append(f"<h2>{_e(t('notes', lang))}</h2>\n<ul>" + "".join(f"<li>{_e(in_lang(n, lang))}</li>" for n in notes) + "</ul>\n")
    out.append(f'<p class="small">{_e(t("scenario", lang))}: {_e(run.scenario.path.name)} · '
               f"{_e(t('generated_by', lang, version=__version__))}</p>\n</body>\n</html>\n")
    return "".join(out)
