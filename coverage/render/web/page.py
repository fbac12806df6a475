"""One target's map page: basemap, layers, layer control, title panel and legend."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Figure

from ...errors import CoverageError
from ...model.results import TargetResult, fmt_value
from ..geo_tables import facilities_of, units_of
from .assets import AssetLinks
from .elements import DataLayer, MapHandle, PageMap, RawHtml
from .geometry import map_tolerance_m, shift_to_gcj02, to_web
from .i18n import t
from .ids import deterministic_ids
from .jsdata import encode_features, script_json
from .overlays import LayerContext, LayerData, facility_layers, geo_layers, territory_layers, unit_layer
from .tiles import TileChoice, add_tiles

if TYPE_CHECKING:
    from ...studies.check import CheckRun

__all__ = ["PageContext", "base_layers", "layers_for", "render_layers_page", "render_page", "threshold_text", "units_of", "value_text"]

logger = logging.getLogger(__name__)

#: A layer's data above this size is simplified again with a doubled tolerance (pages stay < 15 MB).
MAX_LAYER_BYTES = 5_000_000
#: Layers with more features than this are drawn on a canvas (faster than SVG).
CANVAS_ABOVE = 1000


@dataclass(frozen=True)
class PageContext:
    """Settings shared by every page of a run."""

    run: CheckRun
    lang: str = "en"
    tiles: TileChoice = TileChoice("none", ())
    assets: AssetLinks = AssetLinks()
    index_href: str = "index.html"
    #: Web geometry shared by several pages (see ``LayerData.cache_key``).
    cache: dict[Any, gpd.GeoSeries] = field(default_factory=dict, compare=False, repr=False)

    @property
    def tolerance_m(self) -> float:
        """Simplification tolerance for the whole territory (see ``geometry.map_tolerance_m``)."""
        return map_tolerance_m(self.run.region.territory.bounds)

    @property
    def layer_set_name(self) -> str:
        """The layer set's name in the page language (says "synthetic data" for the demo city)."""
        spec = self.run.layer_set
        return spec.name_zh if self.lang == "zh" and spec.name_zh else spec.name


def value_text(r: TargetResult, lang: str) -> str:
    """The measured value with its unit."""
    unit = r.unit_zh if lang == "zh" and r.unit_zh else r.unit_en
    return fmt_value(r.value, unit) if r.value is not None else "—"


def threshold_text(r: TargetResult, lang: str) -> str:
    """'≥ 6 slots per 1000 residents' in the page language."""
    unit = r.unit_zh if lang == "zh" and r.unit_zh else r.unit_en
    parts = []
    if r.threshold_min is not None:
        parts.append("≥ " + fmt_value(r.threshold_min, unit))
    if r.threshold_max is not None:
        parts.append("≤ " + fmt_value(r.threshold_max, unit))
    return ", ".join(parts) or "—"


def _facilities(result: TargetResult, ctx: PageContext) -> list[LayerData]:
    """The target's facilities: those it counted (``geo["facilities"]`` or its ``where:``) and the others."""
    fac, qualifies, role = facilities_of(ctx.run, result)
    if fac is None or len(fac) == 0:
        return []
    try:
        spec = ctx.run.scenario.target(result.id)
    except CoverageError:
        spec = None
    capacity = (spec.param("capacity") or spec.param("numerator")) if spec is not None else None
    src = ctx.run.layer_set.facilities.get(role) if role else None
    hide = [c for c in (src.lon, src.lat) if c] if src is not None else []
    return facility_layers(fac, qualifies, role=role or "facilities", capacity=capacity, lang=ctx.lang, hide=hide)


def base_layers(ctx: PageContext) -> tuple[LayerData, LayerData]:
    """The coarsest units (named) and the city boundary, drawn on every page (see ``territory_layers``)."""
    region = ctx.run.region
    level = region.levels[0]
    base, boundary = territory_layers(region.units[level], region.territory, lang=ctx.lang,
                                      offline=not ctx.tiles.layers)
    base.cache_key = f"territory:{level}:{len(region.units[level])}"
    boundary.cache_key = f"city_outline:{level}"
    return base, boundary


def layers_for(result: TargetResult, ctx: PageContext) -> list[LayerData]:
    """Every overlay of a target's page, bottom to top.

    The coarsest units with their names, the units judged, the geo layers, the city boundary, the
    facilities, the proposed sites. Over a grid (seismic detection and warning) the verdict is an outline drawn above it,
    so that the grid stays readable.
    """
    base, boundary = base_layers(ctx)
    out: list[LayerData] = [base]
    verdict: LayerData | None = None
    outline = "grid" in result.geo
    if result.units:
        levels = [u.level for u in result.units]
        level = max(dict.fromkeys(levels), key=levels.count)  # the units' own level (may differ from the result's)
        units = units_of(ctx.run, level)
        if units is not None:
            from ...targets.base import level_labels

            zh, en = level_labels(level)
            verdict = unit_layer(units, result, lang=ctx.lang, level_label=zh if ctx.lang == "zh" else en,
                                 outline=outline)
            if verdict is not None:
                verdict.cache_key = f"units:{level}:{len(units)}"  # same outlines on every page of the level
                if not outline:
                    out.append(verdict)
    cell_m = float(getattr(ctx.run.region.population, "cell_size_m", 0.0)) or None
    out.extend(geo_layers(result, LayerContext(result=result, lang=ctx.lang, cell_m=cell_m)))
    if verdict is not None and outline:
        out.append(verdict)
    out.append(boundary)
    out.extend(_facilities(result, ctx))
    # proposed sites on top: a siting study's "after" run counts them among the facilities too
    return [x for x in out if x.key != "proposed"] + [x for x in out if x.key == "proposed"]


def _web_rows(layer: LayerData, ctx: PageContext, tolerance_m: float) -> gpd.GeoDataFrame:
    """The layer's rows in lon/lat, simplified; shared geometry comes from the run's cache."""
    if layer.cache_key is None:
        return to_web(layer.gdf, tolerance_m=tolerance_m, gcj02=ctx.tiles.gcj02, coverage=layer.coverage)
    key = (layer.cache_key, tolerance_m, ctx.tiles.gcj02)
    geoms = ctx.cache.get(key)
    if geoms is None:
        geo_only = layer.gdf[[layer.gdf.geometry.name]]
        geoms = to_web(geo_only, tolerance_m=tolerance_m, gcj02=ctx.tiles.gcj02, coverage=layer.coverage).geometry
        ctx.cache[key] = geoms
    attrs = layer.gdf.drop(columns=layer.gdf.geometry.name).loc[geoms.index]
    return gpd.GeoDataFrame(attrs, geometry=geoms)


def _data_layer(layer: LayerData, ctx: PageContext) -> DataLayer:
    tolerance = ctx.tolerance_m
    web = _web_rows(layer, ctx, tolerance)
    data = encode_features(web, layer.columns)
    for _ in range(4):  # too heavy for a light page: coarser outlines (points cannot get lighter)
        if len(data) <= MAX_LAYER_BYTES or _all_points(web):
            break
        tolerance *= 2
        logger.info("layer %s: %.1f MB; simplifying again at %.0f m", layer.key, len(data) / 1e6, tolerance)
        web = _web_rows(layer, ctx, tolerance)
        data = encode_features(web, layer.columns)
    spec = {
        "name": layer.key, "styles": layer.styles, "style_key": layer.style_key, "tooltip": layer.tooltip or None,
        "popup": layer.popup, "title": layer.title, "labels": layer.labels, "pane": layer.pane, "pane_z": layer.pane_z,
        "lang": ctx.lang, "yes": t("yes", ctx.lang),
        "no": t("no", ctx.lang), "canvas": len(web) > CANVAS_ABOVE and not layer.cluster,
        "cluster": {"maxClusterRadius": 50, "chunkedLoading": True} if layer.cluster else None,
    }
    return DataLayer(layer.label, script_json(spec), data, cluster=layer.cluster, show=layer.show,
                     assets=ctx.assets)


def _all_points(gdf: gpd.GeoDataFrame) -> bool:
    return bool((shapely.get_type_id(gdf.geometry.to_numpy()) == 0).all())


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _head_panel(result: TargetResult, ctx: PageContext) -> str:
    lang = ctx.lang
    title = result.title_zh if lang == "zh" else result.title_en
    plan = " · ".join(x for x in (result.plan_title_in(lang), result.chapter) if x)
    parts = [
        f'<div class="cov-panel cov-head" id="cov-head"><h1>{_e(title)} — {_e(ctx.layer_set_name)}</h1>',
        f'<p><span class="cov-badge cov-{_e(result.status)}">{_e(t(result.status, lang))}</span> '
        f"{_e(t('measured', lang))}: <b>{_e(value_text(result, lang))}</b> · "
        f"{_e(t('target', lang))}: {_e(threshold_text(result, lang))}</p>",
        f"<p>{_e(result.summary_zh if lang == 'zh' else result.summary_en)}</p>",
    ]
    if result.quote:
        parts.append(f'<p class="cov-note">{_e(t("quote", lang))}: “{_e(result.quote)}”'
                     + (f" ({_e(plan)})" if plan else "") + "</p>")
    if result.approximate:
        parts.append(f'<p class="cov-warn">{_e(t("approximate", lang))}</p>')
    if ctx.run.layer_set.synthetic:
        parts.append(f'<p class="cov-warn">{_e(t("synthetic", lang))}</p>')
    if ctx.tiles.gcj02:
        parts.append(f'<p class="cov-note">{_e(t("gcj02_note", lang))}</p>')
    elif not ctx.tiles.layers:
        parts.append(f'<p class="cov-note">{_e(t("no_tiles_note", lang))}</p>')
    parts.append(f'<p class="cov-note">{_e(t("scenario", lang))} {ctx.run.scenario.year} · '
                 f'<a href="{_e(ctx.index_href)}">{_e(t("back", lang))}</a></p></div>')
    return "".join(parts)


def _legend_panel(layers: list[LayerData], lang: str) -> str:
    rows = [f'<div class="cov-panel cov-legend" id="cov-legend"><h2>{_e(t("legend", lang))}</h2>']
    for layer in layers:
        if not layer.legend:
            continue
        entries = layer.legend
        if len(entries) > 1:
            rows.append(f"<h3>{_e(layer.label)}</h3>")
        for entry in entries:
            cls = "cov-sw pt" if entry.point else "cov-sw"
            border = f";border-color:{_e(entry.outline)}" if entry.outline else ""
            label = entry.label if len(entries) > 1 else layer.label
            rows.append(f'<div><span class="{cls}" style="background:{_e(entry.colour)}{border}"></span>'
                        f"{_e(label)}</div>")
    rows.append("</div>")
    return "".join(rows)


def _bounds(ctx: PageContext) -> list[list[float]]:
    west, south, east, north = ctx.run.region.territory_wgs84_bounds
    if ctx.tiles.gcj02:
        corners = shift_to_gcj02(np.array([shapely.Point(west, south), shapely.Point(east, north)], dtype=object))
        (west, south), (east, north) = shapely.get_coordinates(corners)
    return [[round(float(south), 6), round(float(west), 6)], [round(float(north), 6), round(float(east), 6)]]


def render_page(result: TargetResult, ctx: PageContext) -> str:
    """The complete HTML of one target's map (same input, same bytes).

    Parameters
    ----------
    result
        The target's result (with ``units`` and ``geo`` as the kind filled them).
    ctx
        Run, language, basemap and asset settings.

    Returns
    -------
    str
        A standalone HTML page.
    """
    title = result.title_zh if ctx.lang == "zh" else result.title_en
    return render_layers_page(layers_for(result, ctx), ctx, title=title, head_html=_head_panel(result, ctx))


def render_layers_page(layers: list[LayerData], ctx: PageContext, *, title: str, head_html: str) -> str:
    """A map page of ``layers`` with a head panel and the legend (same input, same bytes).

    Parameters
    ----------
    layers
        Overlays, bottom to top.
    ctx
        Run, language, basemap and asset settings.
    title
        Page title (plain text; escaped here).
    head_html
        The head panel's HTML (already escaped).
    """
    bounds = _bounds(ctx)
    with deterministic_ids():
        centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
        m = PageMap(location=centre, zoom_start=10, tiles=None, control_scale=True, assets=ctx.assets, maxZoom=19)
        add_tiles(m, ctx.tiles)
        for layer in layers:
            _data_layer(layer, ctx).add_to(m)
        folium.LayerControl(collapsed=False).add_to(m)
        m.fit_bounds(bounds)
        MapHandle().add_to(m)
        fig = m.get_root()
        assert isinstance(fig, Figure)  # a map's root is the page
        fig.title = _e(f"{title} — {ctx.layer_set_name}")
        fig.html.add_child(RawHtml(head_html), name="cov_head")
        fig.html.add_child(RawHtml(_legend_panel(layers, ctx.lang)), name="cov_legend")
        if ctx.assets.online:  # say why the map is empty when the CDN cannot be reached
            fig.html.add_child(RawHtml(
                f'<div class="cov-panel cov-offline" id="cov-offline" hidden>{_e(t("leaflet_missing", ctx.lang))}</div>'
                '<script>if (typeof L === "undefined") '
                '{document.getElementById("cov-offline").hidden = false;}</script>'), name="cov_offline")
        return fig.render()
