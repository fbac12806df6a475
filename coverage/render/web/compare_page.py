"""What-if map pages: units coloured by how their verdict changes between two runs (fail→pass, pass→fail)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd

from ..._io import atomic_path
from ...model.messages import in_lang
from ...model.results import fmt_value
from ...studies.compare import FAIL_TO_PASS, PASS_TO_FAIL, TargetDelta
from .assets import asset_links, write_assets
from .i18n import t
from .overlays import LayerData, LegendEntry
from .page import PageContext, base_layers, render_layers_page, units_of
from .publish import MARKER, page_names, preflight
from .tiles import tile_choice

if TYPE_CHECKING:
    from ...studies.check import CheckRun

__all__ = ["flip_layer", "publish_compare"]

#: Style order: the key of each row's ``_s`` column.
CHANGES = (FAIL_TO_PASS, PASS_TO_FAIL, "still_pass", "still_fail", "other")
COLOURS = {FAIL_TO_PASS: "#1a9641", PASS_TO_FAIL: "#d7191c", "still_pass": "#d9f0d3", "still_fail": "#fddbc7",
           "other": "#bdbdbd"}
#: The words of the page (change of verdict, legend, hover) as catalogue keys.
_LABEL_KEYS = {FAIL_TO_PASS: "fail_to_pass", PASS_TO_FAIL: "pass_to_fail", "still_pass": "cmp_still_pass",
               "still_fail": "cmp_still_fail", "other": "cmp_other", "units": "cmp_units", "before": "cmp_before",
               "after": "cmp_after", "change": "cmp_change", "back": "cmp_back"}


def _labels(lang: str) -> dict[str, str]:
    """The page's words in ``lang``, from the catalogue."""
    return {k: t(key, lang) for k, key in _LABEL_KEYS.items()}


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _change(status_before: str, status_after: str, flip: str) -> str:
    if flip:
        return flip
    if status_before == status_after == "pass":
        return "still_pass"
    if status_before == status_after == "fail":
        return "still_fail"
    return "other"


def flip_layer(delta: TargetDelta, units: gpd.GeoDataFrame, *, lang: str = "en") -> LayerData | None:
    """Units of the target's level coloured by change of verdict, with values before and after on hover."""
    lab = _labels(lang)
    rows = {u.unit_id: u for u in delta.units}
    if not rows:
        return None
    gdf = units[["unit_id", "name", units.geometry.name]].copy()
    gdf["unit_id"] = gdf["unit_id"].astype(str)
    gdf = gdf[gdf["unit_id"].isin(rows)].reset_index(drop=True)
    if gdf.empty:
        return None
    changes = [_change(rows[i].status_before, rows[i].status_after, rows[i].flip) for i in gdf["unit_id"]]
    gdf["_s"] = [CHANGES.index(c) for c in changes]
    gdf["change_text"] = [lab[c] for c in changes]
    gdf["before_text"] = [f"{t(rows[i].status_before, lang)} · {fmt_value(rows[i].value_before, delta.unit_en)}"
                          for i in gdf["unit_id"]]
    gdf["after_text"] = [f"{t(rows[i].status_after, lang)} · {fmt_value(rows[i].value_after, delta.unit_en)}"
                         for i in gdf["unit_id"]]
    columns = ["name", "_s", "change_text", "before_text", "after_text"]
    styles = [{"color": "#444444", "weight": 1, "opacity": 0.8, "fillColor": COLOURS[k],
               "fillOpacity": 0.6 if k in (FAIL_TO_PASS, PASS_TO_FAIL) else 0.35} for k in CHANGES]
    present = sorted(set(changes), key=CHANGES.index)
    return LayerData(key="units", label=lab["units"], gdf=gpd.GeoDataFrame(gdf[[*columns, units.geometry.name]],
                                                                          geometry=units.geometry.name, crs=units.crs),
                     columns=columns, styles=styles, style_key="_s", title="name", coverage=True,
                     tooltip=[("change_text", lab["change"]), ("before_text", lab["before"]),
                              ("after_text", lab["after"])],
                     legend=[LegendEntry(lab[k], COLOURS[k]) for k in present])


def _head(delta: TargetDelta, ctx: PageContext, after_label: str) -> str:
    lab = _labels(ctx.lang)
    title = delta.title_zh if ctx.lang == "zh" else delta.title_en
    n_up, n_down = len(delta.flips(FAIL_TO_PASS)), len(delta.flips(PASS_TO_FAIL))
    return (f'<div class="cov-panel cov-head" id="cov-head"><h1>{_e(title)} — {_e(ctx.layer_set_name)}</h1>'
            f"<p>{_e(lab['before'])}: {_e(t(delta.status_before, ctx.lang))} "
            f"{_e(fmt_value(delta.value_before, delta.unit_en))} · "
            f"{_e(lab['after'])}: {_e(t(delta.status_after, ctx.lang))} {_e(fmt_value(delta.value_after, delta.unit_en))}</p>"
            f"<p>{_e(lab[FAIL_TO_PASS])}: <b>{n_up}</b> · {_e(lab[PASS_TO_FAIL])}: <b>{n_down}</b></p>"
            + (f'<p class="cov-warn">{_e(t("synthetic", ctx.lang))}</p>' if ctx.run.layer_set.synthetic else "")
            + f'<p class="cov-note">{_e(after_label)} · <a href="index.html">{_e(lab["back"])}</a></p></div>')


# PLR0913: the page options of `coverage compare`, as publish() takes them
def publish_compare(before: CheckRun, after: CheckRun, deltas: Sequence[TargetDelta], out_dir: str | Path, *,  # noqa: PLR0913
                    tiles: str = "osm", tianditu_key: str | None = None, lang: str = "en", after_label: str = "",
                    assets: str | Path | None = None) -> list[Path]:
    """Write one what-if page per target with units, and an index listing them (folder replaced atomically).

    ``assets``: how the pages get Leaflet, as for :func:`~coverage_planner.render.web.publish.publish`
    (default: the packaged copy in ``assets/`` beside them, no network needed).

    Returns
    -------
    list of Path
        ``index.html`` first, then the pages.
    """
    preflight(out_dir, tiles=tiles, tianditu_key=tianditu_key, lang=lang, assets=assets)
    after_label = in_lang(after_label, lang)
    ctx = PageContext(run=after, lang=lang, tiles=tile_choice(tiles, tianditu_key=tianditu_key, lang=lang),
                      assets=asset_links(assets))
    results = {r.id: r for r in before.results}
    names = page_names([results[d.id] for d in deltas if d.id in results])
    out = Path(out_dir)
    written: list[str] = []
    items: list[str] = []
    with atomic_path(out) as tmp:
        tmp.mkdir()
        write_assets(assets, tmp)
        (tmp / MARKER).write_text("What-if maps written by coverage-planner (`coverage compare --map`); this folder "
                                  "is replaced as a whole on the next run.\n", encoding="utf-8")
        for d in deltas:
            levels = [u.level for u in d.units]
            if not levels:
                continue
            units = units_of(after, max(dict.fromkeys(levels), key=levels.count))
            layer = None if units is None else flip_layer(d, units, lang=lang)
            if layer is None:
                continue
            title = d.title_zh if lang == "zh" else d.title_en
            base, boundary = base_layers(ctx)
            page = render_layers_page([base, layer, boundary], ctx, title=title, head_html=_head(d, ctx, after_label))
            (tmp / names[d.id]).write_text(page, encoding="utf-8")
            written.append(names[d.id])
            lab = _labels(lang)
            items.append(f'<li><a href="{_e(names[d.id])}">{_e(title)}</a> <code>{_e(d.id)}</code>: '
                         f"{_e(lab[FAIL_TO_PASS])} {len(d.flips(FAIL_TO_PASS))}, "
                         f"{_e(lab[PASS_TO_FAIL])} {len(d.flips(PASS_TO_FAIL))}</li>")
        notice = f'<p><b>{_e(t("synthetic", lang))}</b></p>' if after.layer_set.synthetic else ""
        (tmp / "index.html").write_text(
            f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f"<title>{_e(after_label)}</title></head><body>"
            f"<h1>{_e(after_label)}</h1>{notice}<ul>{''.join(items)}</ul></body></html>\n", encoding="utf-8")
    return [out / "index.html", *(out / n for n in written)]
