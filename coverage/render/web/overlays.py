"""What goes on a target's map: facilities, the units choropleth and one renderer per ``geo`` layer.

A renderer turns a GeoDataFrame (working CRS) into a :class:`LayerData`: the rows to draw, the
columns sent to the page, the styles, tooltip/popup fields and legend entries. Target kinds only
fill ``TargetResult.geo``; a new layer name gets a renderer here with :func:`renderer` (names without
one are drawn by :func:`render_generic`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ...model.results import FAIL, NO_DATA, PASS, TargetResult, fmt_value
from ..geo_tables import COUNT_VALUED_KINDS
from .geometry import aggregate_cells
from .i18n import fmt_year, t, term

__all__ = [
    "GEO_ORDER",
    "PAGE_LAYERS",
    "RENDERERS",
    "LayerContext",
    "LayerData",
    "LegendEntry",
    "facility_layers",
    "geo_layers",
    "renderer",
    "territory_layers",
    "unit_layer",
]

logger = logging.getLogger(__name__)

STATUS_COLOURS: dict[str, str] = {PASS: "#1a9641", FAIL: "#d7191c", "info": "#2c7bb6", NO_DATA: "#969696",
                                  "not_checked": "#d9d9d9"}
#: Sequential colours (ColorBrewer YlOrRd 6) for people per cell, low to high.
PEOPLE_COLOURS = ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
#: Sequential colours (viridis 6) for grid values, low to high.
GRID_COLOURS = ("#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#fde725")
#: Draw order of the known geo layers (bottom to top); other names follow, sorted.
GEO_ORDER = ("grid", "uncovered_cells", "service_area", "gaps", "proposed")
#: Geo layers the page draws itself ("facilities": the facilities a kind counted, shown with the others).
PAGE_LAYERS = frozenset({"facilities"})
#: More facilities than this are clustered.
CLUSTER_ABOVE = 200
#: At most this many attribute columns go into a facility popup.
MAX_POPUP_COLUMNS = 14
#: Mantissas of class breaks ("nice" numbers).
_NICE = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)
_INTERNAL = {"geometry", "facility_id", "name", "status", "open_year", "_s"}


@dataclass(frozen=True)
class LegendEntry:
    """One swatch of the legend."""

    label: str
    colour: str
    point: bool = False
    outline: str = ""


@dataclass
class LayerData:
    """One overlay: rows in the working CRS plus how the page draws them.

    Attributes
    ----------
    key
        Stable name (page registry, tests).
    label
        Name in the layer control and the legend (plain text; escaped when written).
    gdf
        Rows to draw, in the working CRS, with every column listed in ``columns``.
    columns
        Columns sent to the page.
    styles
        Leaflet path options; the row's style is ``styles[row[style_key]]`` (or ``styles[0]``).
    style_key
        Integer column choosing the style.
    tooltip, popup
        ``(column, label)`` rows shown on hover / click.
    title
        Column shown in bold above the tooltip/popup rows.
    legend
        Legend entries.
    cluster
        Cluster the points (Leaflet.markercluster).
    coverage
        The polygons tile the territory (simplified edge by edge).
    show
        Shown when the page opens.
    cache_key
        Rows with the same key have the same geometry on every page of a run (units of a level):
        their simplified web geometry is computed once.
    labels
        Write the ``title`` column on the map (permanent labels at the shapes' centres).
    pane
        Draw in a Leaflet pane of this name at z-index ``pane_z`` (None: the overlay pane, z 400).
        Leaflet stacks SVG above canvas within a pane, so a base drawn under canvas layers needs its own.
    """

    key: str
    label: str
    gdf: gpd.GeoDataFrame
    columns: list[str]
    styles: list[dict[str, Any]]
    style_key: str | None = None
    tooltip: list[tuple[str, str]] = field(default_factory=list)
    popup: list[tuple[str, str]] | None = None
    title: str | None = None
    legend: list[LegendEntry] = field(default_factory=list)
    cluster: bool = False
    coverage: bool = False
    show: bool = True
    cache_key: str | None = None
    labels: bool = False
    pane: str | None = None
    pane_z: int = 400


@dataclass(frozen=True)
class LayerContext:
    """What renderers may read besides the layer itself."""

    result: TargetResult
    lang: str
    cell_m: float | None = None


Renderer = Callable[[gpd.GeoDataFrame, LayerContext], "LayerData | None"]
RENDERERS: dict[str, Renderer] = {}


def renderer(name: str) -> Callable[[Renderer], Renderer]:
    """Register the renderer of the geo layer ``name`` (decorator)."""

    def wrap(fn: Renderer) -> Renderer:
        RENDERERS[name] = fn
        return fn

    return wrap


# ---------------------------------------------------------------- helpers


def _is_points(gdf: gpd.GeoDataFrame) -> bool:
    types = shapely.get_type_id(gdf.geometry.to_numpy())
    return bool(len(types)) and bool(np.isin(types, (0, 4)).all())


def _data_columns(gdf: gpd.GeoDataFrame, skip: set[str], limit: int) -> list[str]:
    cols = [str(c) for c in gdf.columns if c != gdf.geometry.name and str(c) not in skip and not str(c).startswith("_")]
    return cols[:limit]


def _plain(gdf: gpd.GeoDataFrame, columns: Sequence[str]) -> gpd.GeoDataFrame:
    """A copy with string column names, only ``columns`` and the geometry."""
    out = gdf[[*columns, gdf.geometry.name]].copy()
    out.columns = [str(c) for c in out.columns]
    return out.set_geometry(str(gdf.geometry.name))


def _bins(values: np.ndarray, colours: Sequence[str]) -> tuple[np.ndarray, list[float]]:
    """Class breaks at 'nice' quantiles (1-2-5 steps); the class index of every value."""
    v = values[np.isfinite(values)]
    if v.size == 0:
        return np.zeros(values.size, dtype=np.int64), []
    qs = np.quantile(v, np.linspace(0, 1, len(colours) + 1)[1:-1])
    breaks: list[float] = []
    for q in qs:
        if q <= 0:
            continue
        mag = 10 ** np.floor(np.log10(q))
        nice = float(min((m * mag for m in _NICE), key=lambda c: abs(c - q)))
        if (not breaks or nice > breaks[-1]) and nice < v.max():
            breaks.append(nice)
    idx = np.searchsorted(np.asarray(breaks), np.nan_to_num(values, nan=0.0), side="right")
    return idx.astype(np.int64), breaks


def _bin_labels(breaks: Sequence[float], fmt: Callable[[float], str]) -> list[str]:
    if not breaks:
        return [""]
    labels = [f"< {fmt(breaks[0])}"]
    labels += [f"{fmt(a)}–{fmt(b)}" for a, b in zip(breaks[:-1], breaks[1:], strict=True)]
    labels.append(f"≥ {fmt(breaks[-1])}")
    return labels


def _num(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 100 else f"{x:.3g}"


def _column_label(col: str, lang: str) -> str:
    label = t(col, lang)
    return label if label != col else col


# ---------------------------------------------------------------- facilities


def facility_layers(fac: gpd.GeoDataFrame, qualifies: np.ndarray | None, *, role: str, capacity: str | None,
                    lang: str, hide: Sequence[str] = ()) -> list[LayerData]:
    """Facilities of the target's layer as points: those counted, and (hidden) the others.

    Parameters
    ----------
    fac
        Facilities existing in the scenario year (working CRS).
    qualifies
        Which rows meet the target's ``where:`` filter (None: all).
    role
        The facility role (layer name in the manifest), shown as the type.
    capacity
        The capacity column the target sums (shown first), if any.
    lang
        Label language.
    hide
        Columns left out of the popups (e.g. the CSV's coordinate columns).
    """
    if len(fac) == 0:
        return []
    gdf = fac.copy()
    pts = shapely.point_on_surface(gdf.geometry.to_numpy())
    gdf = gdf.set_geometry(gpd.GeoSeries(pts, crs=fac.crs, index=fac.index))
    gdf["_type"] = term(role, lang) + (" · " + gdf["kind"].astype(str).map(lambda k: term(k, lang))
                                       if "kind" in gdf.columns else "")
    if "status" in gdf.columns:
        gdf["status"] = gdf["status"].map(lambda v: term(v, lang) if isinstance(v, str) else v)
    if "open_year" in gdf.columns:  # 0 means long-standing: show nothing rather than "0"; a year has no comma
        years = pd.to_numeric(gdf["open_year"], errors="coerce")
        gdf["open_year"] = years.where(years > 0).map(lambda y: fmt_year(y) if pd.notna(y) else None)
    cap = capacity if capacity and capacity in gdf.columns and capacity != "count" else None
    extra = _data_columns(gdf, _INTERNAL | {"_type", "kind", cap or "", *hide}, MAX_POPUP_COLUMNS)  # kind: in _type
    base = ["name", "_type", "status", "open_year"] + ([cap] if cap else [])
    columns = [c for c in base if c in gdf.columns] + extra
    popup = [("_type", t("type", lang)), ("status", t("facility_status", lang)), ("open_year", t("open_year", lang))]
    if cap:
        popup.append((cap, f"{t('capacity', lang)} ({term(cap, lang)})"))
    popup += [(c, term(c, lang)) for c in extra]
    out: list[LayerData] = []
    mask = np.ones(len(gdf), dtype=bool) if qualifies is None else np.asarray(qualifies, dtype=bool)
    groups = [("facilities", mask, "#6a3d9a", 6, True)]
    if qualifies is not None:
        groups.append(("facilities_other", ~mask, "#9e9e9e", 4, False))
    for key, sel, colour, radius, show in groups:
        part = _plain(gdf[sel], columns)
        if len(part) == 0:
            continue
        label = f"{t(key, lang)}: {term(role, lang)}" if key == "facilities" else t(key, lang)
        style = {"radius": radius, "color": "#ffffff", "weight": 1.5, "fillColor": colour, "fillOpacity": 0.9}
        out.append(LayerData(
            key=key, label=f"{label} ({len(part):,})", gdf=part, columns=columns, styles=[style],
            tooltip=[("_type", t("type", lang))], popup=popup, title="name",
            legend=[LegendEntry(label, colour, point=True)], cluster=len(part) > CLUSTER_ABOVE, show=show))
    return out


# ---------------------------------------------------------------- units




def unit_layer(units: gpd.GeoDataFrame, result: TargetResult, *, lang: str, level_label: str = "",
               outline: bool = False) -> LayerData | None:
    """Units of the result's level coloured pass / fail / not checked, with value, threshold and gap.

    Parameters
    ----------
    units
        Every unit of the level (working CRS) with ``unit_id``, ``name`` and ``class``.
    result
        The target's result (its ``units`` hold the per-unit verdicts).
    lang
        Label language.
    level_label
        The level's name, added to the layer label.
    outline
        Draw the verdict as a coloured outline with no fill, so that a grid drawn below it stays readable
        (seismic detection and warning maps).
    """
    if not result.units or len(units) == 0:
        return None
    zh = lang == "zh"
    unit = "" if result.kind in COUNT_VALUED_KINDS else (result.unit_zh if zh and result.unit_zh != "%" else result.unit_en)
    gap_unit = (result.gap.unit_zh if zh else result.gap.unit_en) if result.gap else ""
    rows = pd.DataFrame({
        "unit_id": [u.unit_id for u in result.units],
        "status": [u.status for u in result.units],
        "value_text": [fmt_value(u.value, unit) if u.value is not None else None for u in result.units],
        "threshold_text": [fmt_value(u.threshold, unit) if u.threshold is not None else None for u in result.units],
        "gap_text": [(fmt_value(u.gap, "") + (f" {gap_unit}" if gap_unit else "")) if u.gap else None
                     for u in result.units],
        "population": [u.population for u in result.units],
    }).drop_duplicates("unit_id")
    gdf = units[["unit_id", "name", "class", units.geometry.name]].copy()
    gdf["unit_id"] = gdf["unit_id"].astype(str)
    gdf = gdf.merge(rows, on="unit_id", how="left")
    all_info = (rows["status"] == "info").all()
    missing = gdf["status"].isna()
    if all_info:  # count breakdowns list only units with facilities: the others hold none
        gdf.loc[missing, "value_text"] = fmt_value(0.0, unit)
        gdf.loc[missing, "status"] = "info"
    gdf["status"] = gdf["status"].fillna("not_checked")
    keys = [k for k in (PASS, FAIL, "info", NO_DATA, "not_checked") if (gdf["status"] == k).any()]
    gdf["_s"] = gdf["status"].map({k: i for i, k in enumerate(keys)}).astype(np.int64)
    gdf["status_text"] = gdf["status"].map({k: t(k, lang) for k in keys})
    if outline:
        styles = [{"color": STATUS_COLOURS.get(k, "#969696"), "weight": 3.5 if k != "not_checked" else 1.5,
                   "opacity": 0.95, "fill": False} for k in keys]
    else:
        styles = [{"color": "#444444", "weight": 1, "opacity": 0.8, "fillColor": STATUS_COLOURS.get(k, "#969696"),
                   "fillOpacity": 0.45 if k != "not_checked" else 0.25} for k in keys]
    columns = ["name", "class", "_s", "status_text", "value_text", "threshold_text", "gap_text", "population"]
    if outline:
        label = t("verdict_outline", lang, level=level_label or t("units", lang))
    else:
        label = t("units", lang) + (f" ({level_label})" if level_label else "")
    return LayerData(
        key="units", label=label, gdf=_plain(gpd.GeoDataFrame(gdf, geometry=units.geometry.name, crs=units.crs), columns),
        columns=columns, styles=styles, style_key="_s", title="name", coverage=True,
        tooltip=[("class", t("class", lang)), ("status_text", t("status", lang)), ("value_text", t("value", lang)),
                 ("threshold_text", t("threshold", lang)), ("gap_text", t("gap", lang)),
                 ("population", t("population", lang))],
        legend=[LegendEntry(t(k, lang), "#ffffff" if outline else STATUS_COLOURS.get(k, "#969696"),
                            outline=STATUS_COLOURS.get(k, "#969696") if outline else "") for k in keys])


# ---------------------------------------------------------------- territory


def territory_layers(units: gpd.GeoDataFrame, territory: shapely.Geometry, *, lang: str,
                     offline: bool) -> tuple[LayerData, LayerData]:
    """The base of every page: the coarsest units named on the map, and the city boundary.

    Parameters
    ----------
    units
        The coarsest unit level (working CRS) with ``name``.
    territory
        The whole territory (same CRS).
    lang
        Label language.
    offline
        No basemap: fill the territory (light land colour) so that the map reads without tiles.

    Returns
    -------
    (LayerData, LayerData)
        The districts (drawn first, under everything) and the boundary (drawn above the data layers).
    """
    districts = gpd.GeoDataFrame({"name": units["name"].astype(str).to_numpy()},
                                 geometry=units.geometry.to_numpy(), crs=units.crs)
    fill = {"fillColor": "#f2efe9", "fillOpacity": 1.0} if offline else {"fill": False}
    base = LayerData(
        key="territory", label=t("territory", lang), gdf=districts,
        columns=["name"], styles=[{"color": "#8c8c8c", "weight": 1, "opacity": 0.9, "interactive": False, **fill}],
        title="name", labels=True, coverage=True, pane="coverage-base", pane_z=350,  # above tiles (200)
        legend=[LegendEntry(t("territory", lang), "#f2efe9" if offline else "#ffffff", outline="#8c8c8c")])
    boundary = LayerData(
        key="city_outline", label=t("city_outline", lang),
        gdf=gpd.GeoDataFrame(geometry=[territory], crs=units.crs), columns=[],
        styles=[{"color": "#252525", "weight": 3, "opacity": 0.9, "fill": False, "interactive": False}],
        legend=[LegendEntry(t("city_outline", lang), "#ffffff", outline="#252525")])
    return base, boundary


# ---------------------------------------------------------------- geo layers


def geo_layers(result: TargetResult, ctx: LayerContext) -> list[LayerData]:
    """Render every layer of ``result.geo`` (known names in :data:`GEO_ORDER` first)."""
    names = [n for n in GEO_ORDER if n in result.geo]
    names += sorted(n for n in result.geo if n not in GEO_ORDER and n not in PAGE_LAYERS)
    out: list[LayerData] = []
    for name in names:
        gdf = result.geo[name]
        if not isinstance(gdf, gpd.GeoDataFrame) or len(gdf) == 0:
            continue
        if gdf.crs is None:
            logger.warning("geo layer %r of %s has no CRS: left off the map", name, result.id)
            continue
        fn = RENDERERS.get(name, render_generic)
        layer = fn(gdf, ctx) if fn is not render_generic else render_generic(gdf, ctx, name=name)
        if layer is not None:
            out.append(layer)
    return out


def _detail_columns(gdf: gpd.GeoDataFrame, lang: str, *, skip: set[str] | None = None,
                    limit: int = 8) -> tuple[list[str], list[tuple[str, str]], str | None]:
    cols = _data_columns(gdf, skip or set(), limit)
    title = "name" if "name" in cols else None
    return cols, [(c, _column_label(c, lang)) for c in cols if c != title], title


def render_generic(gdf: gpd.GeoDataFrame, ctx: LayerContext, *, name: str = "layer") -> LayerData:
    """Any layer without its own renderer: grey shapes or points with their attributes on hover."""
    cols, tip, title = _detail_columns(gdf, ctx.lang)
    pts = _is_points(gdf)
    style = {"color": "#525252", "weight": 1.5, "fillColor": "#969696", "fillOpacity": 0.35, "radius": 5}
    return LayerData(key=name, label=t(name, ctx.lang), gdf=_plain(gdf, cols), columns=cols, styles=[style],
                     tooltip=tip, title=title, legend=[LegendEntry(t(name, ctx.lang), "#969696", point=pts)])


@renderer("service_area")
def render_service_area(gdf: gpd.GeoDataFrame, ctx: LayerContext) -> LayerData:
    """Areas within reach of a facility (walking isochrones or buffers): translucent blue."""
    cols, tip, title = _detail_columns(gdf, ctx.lang)
    style = {"color": "#2171b5", "weight": 1, "opacity": 0.7, "fillColor": "#6baed6", "fillOpacity": 0.25}
    label = t("service_area", ctx.lang)
    return LayerData(key="service_area", label=label, gdf=_plain(gdf, cols), columns=cols, styles=[style],
                     tooltip=tip, title=title, legend=[LegendEntry(label, "#6baed6", outline="#2171b5")])


@renderer("uncovered_cells")
def render_uncovered_cells(gdf: gpd.GeoDataFrame, ctx: LayerContext) -> LayerData | None:
    """People outside every service area, as grid squares coloured by people per cell.

    Cells are merged into coarser squares (people summed) when there are too many for a light page.
    """
    if "people" not in gdf.columns:
        return render_generic(gdf, ctx, name="uncovered_cells")
    pts = gdf[np.asarray(gdf["people"], dtype=np.float64) > 0]
    if len(pts) == 0:
        return None
    cells, size = aggregate_cells(pts, "people", cell_m=ctx.cell_m)
    idx, breaks = _bins(cells["people"].to_numpy(dtype=np.float64), PEOPLE_COLOURS)
    cells["people"] = np.round(cells["people"].to_numpy(dtype=np.float64), 1)
    cells["_s"] = idx
    colours = PEOPLE_COLOURS[-(len(breaks) + 1):] if breaks else PEOPLE_COLOURS[-1:]
    styles = [{"stroke": False, "fillColor": c, "fillOpacity": 0.7} for c in colours]
    label = t("uncovered_cells_grid", ctx.lang, size=_num(size))
    labels = _bin_labels(breaks, _num)  # the layer's name says what the bins count (people per cell)
    legend = [LegendEntry(lab or label, c) for lab, c in zip(labels, colours, strict=True)]
    return LayerData(key="uncovered_cells", label=label, gdf=_plain(cells, ["people", "_s"]),
                     columns=["people", "_s"], styles=styles, style_key="_s",
                     tooltip=[("people", t("people", ctx.lang))], legend=legend)


@renderer("gaps")
def render_gaps(gdf: gpd.GeoDataFrame, ctx: LayerContext) -> LayerData:
    """Seismic monitoring gaps (areas, or points) in dashed orange."""
    cols, tip, title = _detail_columns(gdf, ctx.lang)
    pts = _is_points(gdf)
    style = {"color": "#e66101", "weight": 2, "dashArray": "5 4", "fillColor": "#fdb863", "fillOpacity": 0.4,
             "radius": 6}
    label = t("gaps", ctx.lang)
    return LayerData(key="gaps", label=label, gdf=_plain(gdf, cols), columns=cols, styles=[style], tooltip=tip,
                     title=title, legend=[LegendEntry(label, "#fdb863", point=pts, outline="#e66101")])


def _value_column(gdf: gpd.GeoDataFrame) -> str | None:
    cols = [c for c in gdf.columns if c != gdf.geometry.name]
    if "value" in cols:
        return "value"
    nums = [c for c in cols if pd.api.types.is_numeric_dtype(gdf[c]) and not pd.api.types.is_bool_dtype(gdf[c])]
    return str(nums[0]) if nums else None


def _grid_spacing(xy: np.ndarray, default: float = 1000.0) -> float:
    """The spacing of point grids: the median distance to the nearest other point.

    Robust where several grids with their own origins are drawn together (one per key area), which
    defeats the smallest coordinate step.
    """
    if len(xy) < 2:
        return default
    from scipy.spatial import cKDTree

    dist, _ = cKDTree(xy).query(xy, k=2)
    step = float(np.median(dist[:, 1]))
    return step if step > 0 else default


@renderer("grid")
def render_grid(gdf: gpd.GeoDataFrame, ctx: LayerContext) -> LayerData:
    """Detection / warning grids: cells (squares for point grids) coloured by their value."""
    col = _value_column(gdf)
    if col is None:
        return render_generic(gdf, ctx, name="grid")
    cells = gdf
    if _is_points(gdf):
        pts = shapely.get_coordinates(gdf.geometry.to_numpy())
        size = _grid_spacing(pts)
        squares = shapely.box(pts[:, 0] - size / 2, pts[:, 1] - size / 2, pts[:, 0] + size / 2, pts[:, 1] + size / 2)
        cells = gdf.set_geometry(gpd.GeoSeries(squares, crs=gdf.crs, index=gdf.index))
    cols, tip, title = _detail_columns(cells, ctx.lang)
    values = np.asarray(cells[col], dtype=np.float64)
    idx, breaks = _bins(values, GRID_COLOURS)
    cells = _plain(cells, cols)
    cells["_s"] = idx
    n = len(breaks) + 1  # spread the classes over the whole ramp (two classes: its two ends)
    colours = tuple(GRID_COLOURS[round(i)] for i in np.linspace(0, len(GRID_COLOURS) - 1, n)) if n > 1 else GRID_COLOURS[:1]
    styles = [{"stroke": False, "fillColor": c, "fillOpacity": 0.6} for c in colours]
    labels = _bin_labels(breaks, lambda x: f"{x:,.6g}")
    if len(labels) == 1 and not labels[0]:  # one class: say the value
        labels = [f"{_num(float(np.nanmin(values)))}"] if np.isfinite(values).any() else ["—"]
    legend = [LegendEntry(lab, c) for lab, c in zip(labels, colours, strict=True)]
    label = f"{t('grid', ctx.lang)}: {_column_label(col, ctx.lang)}"
    return LayerData(key="grid", label=label, gdf=cells, columns=[*cols, "_s"], styles=styles,
                     style_key="_s", tooltip=tip, title=title, legend=legend)


@renderer("proposed")
def render_proposed(gdf: gpd.GeoDataFrame, ctx: LayerContext) -> LayerData:
    """Proposed new sites (siting results): large gold points with a black ring."""
    cols, tip, title = _detail_columns(gdf, ctx.lang)
    pts = gdf
    if not _is_points(gdf):
        pts = gdf.set_geometry(gpd.GeoSeries(shapely.point_on_surface(gdf.geometry.to_numpy()), crs=gdf.crs,
                                             index=gdf.index))
    style = {"radius": 8, "color": "#000000", "weight": 2, "fillColor": "#ffd700", "fillOpacity": 0.95}
    label = t("proposed", ctx.lang)
    return LayerData(key="proposed", label=label, gdf=_plain(pts, cols), columns=cols, styles=[style], tooltip=tip,
                     popup=tip, title=title, legend=[LegendEntry(label, "#ffd700", point=True, outline="#000000")])
