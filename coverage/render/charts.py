"""Small progress charts: one inline SVG per target, values by year against each year's target.

Self-contained SVG (no JavaScript, no plotting library), the same bytes for the same series, every
text escaped. Used by the map index and meant for the printable brief (``charts: {target_id: svg}``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from ..model.results import fmt_value
from ..studies.progress import TargetSeries
from .catalogue import t
from .progress_report import baseline_table, capped

__all__ = ["baseline_table_html", "progress_chart_svg", "progress_charts"]

_VALUE = "#2b6cb0"
_TARGET = "#d7191c"
_PROJ = "#7f7f7f"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _f(x: float) -> str:
    return f"{x:.1f}"


def progress_chart_svg(series: TargetSeries, *, width: int = 320, height: int = 150, lang: str = "en") -> str:
    """An inline SVG line chart of one target: measured values by year, each year's target, the projection.

    Parameters
    ----------
    series
        The target's series (:func:`coverage_planner.studies.progress.build_progress`).
    width, height
        Size in CSS pixels.
    lang
        ``en`` or ``zh`` for the labels.

    Returns
    -------
    str
        ``<svg …>…</svg>``; deterministic for the same input.
    """
    zh = lang == "zh"
    years: Sequence[int] = series.years
    pts: list[tuple[int, float]] = [(p.year, p.value) for p in series.points if p.value is not None]
    thresholds = [(p.year, p.threshold_min if p.threshold_min is not None else p.threshold_max) for p in series.points]
    tgt: list[tuple[int, float]] = [(y, v) for y, v in thresholds if v is not None]
    proj: list[tuple[int, float]] = []
    if series.pace.projected is not None and pts:
        last_obs = max((y, v) for y, v in pts if y < series.pace.final_year) if any(
            y < series.pace.final_year for y, _ in pts) else None
        if last_obs is not None:
            projected, _ = capped(series.pace.projected, series.unit_en)  # a share stops at 100 %
            if projected is not None:  # capped keeps a value a value
                proj = [last_obs, (series.pace.final_year, projected)]
    values = [v for _, v in pts] + [v for _, v in tgt] + [v for _, v in proj]
    title = series.title_zh if zh else series.title_en
    unit = series.unit_zh if zh and series.unit_zh and series.unit_zh != "%" else series.unit_en
    label = f"{title}: " + ", ".join(f"{y} {fmt_value(v, unit)}" for y, v in pts)
    left, right, top, bottom = 48, 18, 18, 22
    w, h = width - left - right, height - top - bottom
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="cov-chart" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(label)}"><title>{_e(label)}</title>',
           f'<rect x="{left}" y="{top}" width="{w}" height="{h}" fill="#fafafa" stroke="#ddd"/>']
    if not values or not years:
        out.append(f'<text x="{width / 2:.1f}" y="{height / 2:.1f}" font-size="11" text-anchor="middle" '
                   f'fill="#666">{_e("无数值" if zh else "no values")}</text></svg>')
        return "".join(out)
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.15 or abs(hi) * 0.1 or 1.0  # zoomed to the values: the axis labels say where it starts
    lo, hi = (0.0 if lo >= 0 and lo - pad < 0 else lo - pad), hi + pad
    y0, y1 = min(years), max(years)
    span = (y1 - y0) or 1

    def px(year: float) -> float:
        return left + (w / 2 if y1 == y0 else (year - y0) / span * w)

    def py(v: float) -> float:
        return top + h - (v - lo) / (hi - lo) * h

    for v in (lo, hi):  # axis labels
        out.append(f'<text x="{left - 4}" y="{_f(py(v) + 4)}" font-size="10" text-anchor="end" fill="#666">'
                   f"{_e(fmt_value(v, series.unit_en if series.unit_en == '%' else ''))}</text>")
    for y in years:
        out.append(f'<text x="{_f(px(y))}" y="{height - 6}" font-size="10" text-anchor="middle" fill="#666">{y}</text>')
    if tgt:  # each year's target as a step line with dots
        pos = {y: i for i, y in enumerate(years)}
        # joined only between neighbouring years of the report: a year without the target breaks the line
        path = " ".join(f"{'L' if i and pos.get(y, -9) == pos.get(tgt[i - 1][0], -9) + 1 else 'M'}{_f(px(y))},{_f(py(v))}"
                        for i, (y, v) in enumerate(tgt))
        out.append(f'<path d="{path}" fill="none" stroke="{_TARGET}" stroke-width="1.5" stroke-dasharray="5,3"/>')
        out.extend(f'<circle cx="{_f(px(y))}" cy="{_f(py(v))}" r="2.5" fill="{_TARGET}"/>' for y, v in tgt)
    if proj:
        (ax, av), (bx, bv) = proj
        out.append(f'<line x1="{_f(px(ax))}" y1="{_f(py(av))}" x2="{_f(px(bx))}" y2="{_f(py(bv))}" stroke="{_PROJ}" '
                   'stroke-width="1.5" stroke-dasharray="2,3"/>')
    if pts:
        path = " ".join(f"{'M' if i == 0 else 'L'}{_f(px(y))},{_f(py(v))}" for i, (y, v) in enumerate(pts))
        out.append(f'<path d="{path}" fill="none" stroke="{_VALUE}" stroke-width="2"/>')
        out.extend(f'<circle cx="{_f(px(y))}" cy="{_f(py(v))}" r="3" fill="{_VALUE}"><title>'
                   f"{y}: {_e(fmt_value(v, series.unit_en))}</title></circle>" for y, v in pts)
    legend = ((t("measured_legend", lang), _VALUE), (t("target_legend", lang), _TARGET),
              (t("pace_legend", lang), _PROJ))
    x = left
    for text, colour in legend:
        out.append(f'<rect x="{x}" y="5" width="10" height="3" fill="{colour}"/>'
                   f'<text x="{x + 13}" y="10" font-size="10" fill="#444">{_e(text)}</text>')
        x += 13 + 7 * len(text) * (2 if zh else 1) + 10
    out.append("</svg>")
    return "".join(out)


def baseline_table_html(series: TargetSeries, *, lang: str = "en") -> str:
    """The target's baseline checks (value, official figure, difference, reproduces/differs) as an HTML table.

    Empty when the target has no baseline check; every cell escaped. Shown under the progress chart.
    """
    head, rows = baseline_table([series], lang)
    if not rows:
        return ""
    cells = "".join(f"<th>{_e(h)}</th>" for h in head[1:])
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in r[1:]) + "</tr>" for r in rows)
    return (f'<table class="baseline-check"><caption>{_e(t("baseline_table", lang))}</caption>'
            f"<thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>")


def progress_charts(series: Sequence[TargetSeries], *, lang: str = "en") -> dict[str, str]:
    """``{target_id: svg}`` for every series (the form the map index and the brief take), with the target's
    baseline-check table after the chart where it has one."""
    return {s.id: progress_chart_svg(s, lang=lang) + baseline_table_html(s, lang=lang) for s in series}
