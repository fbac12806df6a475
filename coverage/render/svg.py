"""Static maps for printed reports: a target's units as an inline SVG, coloured pass / fail.

The interactive maps (``coverage_planner.render.web``) need a browser and tiles; a printed brief needs a picture that
is part of the page. The units of the target's level are simplified together (neighbours keep their
shared borders) to about a pixel of the picture and drawn as SVG paths, north up, no basemap.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import shapely

from ..model.results import TargetResult, UnitResult
from .web.geometry import simplify
from .web.overlays import STATUS_COLOURS

if TYPE_CHECKING:
    from ..studies.check import CheckRun

__all__ = ["TERRITORY_KINDS", "UnitShapes", "judged_level", "judged_units", "unit_map_svg", "unit_map_svgs",
           "unit_shapes"]

#: Width of the picture's coordinate system (the SVG scales to the page).
VIEW_W = 1000.0


@dataclass(frozen=True)
class UnitShapes:
    """The units of one level as SVG path data in a shared view box."""

    unit_ids: tuple[str, ...]
    paths: tuple[str, ...]
    width: float
    height: float
    #: The projection: x_svg = (x - x0) * scale, y_svg = (y1 - y) * scale.
    x0: float = 0.0
    y1: float = 0.0
    scale: float = 1.0
    #: The city's outline as path data ("" when not drawn).
    outline: str = ""


def _ring_path(coords: np.ndarray) -> str:
    pts = [f"{x:.1f} {y:.1f}" for x, y in coords[:-1]]
    return "M" + "L".join(pts) + "Z" if len(pts) >= 3 else ""


def unit_shapes(units: gpd.GeoDataFrame, *, width: float = VIEW_W, territory: object = None) -> UnitShapes | None:
    """Project and simplify ``units`` (working CRS, metres) into SVG path data, north up.

    Parameters
    ----------
    units
        Polygons with a ``unit_id`` column.
    width
        Width of the view box; the height follows the territory's aspect ratio.
    territory
        The city's outline (a polygon in the same CRS): the picture spans it too and draws it, so units
        that do not tile the city (key areas, new estates) are seen where they lie.

    Returns
    -------
    UnitShapes or None
        None when there is nothing to draw.
    """
    geoms = np.asarray(units.geometry.values, dtype=object)
    if len(geoms) == 0:
        return None
    x0, y0, x1, y1 = shapely.total_bounds(geoms if territory is None else np.append(geoms, np.array([territory], dtype=object)))
    span = max(x1 - x0, y1 - y0)
    if not np.isfinite(span) or span <= 0:
        return None
    scale = width / (x1 - x0 if x1 > x0 else span)
    height = max(1.0, (y1 - y0) * scale)
    geoms = simplify(geoms, 0.8 / scale, coverage=True)  # under a pixel of the 1000-wide picture
    paths = []
    for g in geoms:
        rings = shapely.get_rings(shapely.get_parts(g)) if g is not None and not g.is_empty else []
        parts = []
        for ring in rings:
            xy = shapely.get_coordinates(ring)
            xy = np.column_stack([(xy[:, 0] - x0) * scale, (y1 - xy[:, 1]) * scale])
            parts.append(_ring_path(xy))
        paths.append("".join(parts))
    out = UnitShapes(tuple(units["unit_id"].astype(str)), tuple(paths), width, height, float(x0), float(y1),
                     float(scale))
    if territory is not None:
        outline = simplify(np.asarray([territory], dtype=object), 0.8 / scale)
        out = replace(out, outline="".join(_project(out, outline)))
    return out


#: Target kinds judged over the territory: the map draws their gaps or grid over the units.
TERRITORY_KINDS = frozenset({"spacing", "detection", "warning_time"})


def judged_level(result: TargetResult) -> str:
    """The level whose units the target judged: the result's level when units of it exist, else theirs.

    A share over the city is judged district by district, the spacing of the whole territory county by
    county: the map and the table of a printed page show that level and no other.
    """
    levels = [u.level for u in result.units]
    if not levels or result.level in levels:
        return result.level
    return max(dict.fromkeys(levels), key=levels.count)


def judged_units(result: TargetResult) -> list[UnitResult]:
    """The units of :func:`judged_level` (one level, never a district beside its own streets)."""
    level = judged_level(result)
    return [u for u in result.units if u.level == level]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _project(shapes: UnitShapes, geoms: np.ndarray) -> list[str]:
    out = []
    for g in geoms:
        if g is None or g.is_empty:
            continue
        rings = shapely.get_rings(shapely.get_parts(g))
        parts = []
        for ring in rings:
            xy = shapely.get_coordinates(ring)
            xy = np.column_stack([(xy[:, 0] - shapes.x0) * shapes.scale, (shapes.y1 - xy[:, 1]) * shapes.scale])
            parts.append(_ring_path(xy))
        out.append("".join(parts))
    return out


def _grid_pass(result: TargetResult, grid: gpd.GeoDataFrame) -> np.ndarray | None:
    """Pass / fail of each grid point of a territory target, or None when the grid has no judged column."""
    if "mc" in grid and result.details.get("target_ml") is not None:
        return grid["mc"].to_numpy(dtype=float) <= float(result.details["target_ml"]) + 1e-12
    if "alert_time_s" in grid and result.details.get("within_s") is not None:
        return grid["alert_time_s"].to_numpy(dtype=float) <= float(result.details["within_s"])
    return None


def _territory_overlay(shapes: UnitShapes, result: TargetResult) -> str:
    """The gaps (polygons) or the failing grid cells of a territory target, outlined over the units."""
    out = []
    gaps = result.geo.get("gaps")
    if gaps is not None and len(gaps):
        ds = _project(shapes, np.asarray(gaps.geometry.values, dtype=object))
        out.append(f'<path class="gap" fill-rule="evenodd" fill="#67000d" fill-opacity="0.45" stroke="#3f0008" '
                   f'stroke-width="2.5" stroke-dasharray="7,3" d="{"".join(ds)}"/>')
    grid = result.geo.get("grid")
    if grid is not None and len(grid):
        ok = _grid_pass(result, grid)
        if ok is not None and (~ok).any():
            xy = shapely.get_coordinates(np.asarray(grid.geometry.values, dtype=object))
            step = float(result.details.get("grid_m") or 1000.0) * shapes.scale
            cells = [f"M{(x - shapes.x0) * shapes.scale - step / 2:.1f} {(shapes.y1 - y) * shapes.scale - step / 2:.1f}"
                     f"h{step:.1f}v{step:.1f}h{-step:.1f}Z" for x, y in xy[~ok]]
            out.append(f'<path class="grid-fail" fill="none" stroke="#7a0000" stroke-width="0.8" d="{"".join(cells)}"/>')
    return "".join(out)


def unit_map_svg(shapes: UnitShapes, result: TargetResult) -> str:
    """The judged units coloured by their status (grey where the target did not check a unit).

    Each unit is one ``<path>`` carrying ``data-unit`` (its id) and ``data-status``, so a reader (or a
    test) can tell exactly which units the picture shows failing. Territory targets (spacing, detection,
    early warning) add their gaps or failing grid cells, outlined over the units.
    """
    status = {u.unit_id: u.status for u in judged_units(result)}
    body = []
    for uid, d in zip(shapes.unit_ids, shapes.paths, strict=True):
        if d:
            st = status.get(uid, "not_checked")
            colour = STATUS_COLOURS.get(st, STATUS_COLOURS["not_checked"])
            body.append(f'<path data-unit="{_e(uid)}" data-status="{_e(st)}" fill="{colour}" fill-opacity="0.75" '
                        f'd="{d}"/>')
    overlay = _territory_overlay(shapes, result) if result.kind in TERRITORY_KINDS else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="unit-map" viewBox="0 0 {shapes.width:.0f} '
            f'{shapes.height:.0f}" preserveAspectRatio="xMidYMid meet" role="img">'
            f'{_outline(shapes)}<g stroke="#444" stroke-width="0.6" fill-rule="evenodd">{"".join(body)}</g>'
            f'{overlay}</svg>')


def _outline(shapes: UnitShapes) -> str:
    if not shapes.outline:
        return ""
    return (f'<path class="territory" fill="#f4f4f4" stroke="#666" stroke-width="1.2" fill-rule="evenodd" '
            f'd="{shapes.outline}"/>')


def unit_map_svgs(run: CheckRun, results: Mapping[str, TargetResult] | None = None) -> dict[str, str]:
    """Target id -> static map of its judged units, for every result whose judged level has polygons.

    Each level is projected and simplified once, whatever the number of targets on it.
    """
    from .web.page import units_of

    shapes: dict[str, UnitShapes | None] = {}
    out: dict[str, str] = {}
    for r in (results or {x.id: x for x in run.results}).values():
        if not r.units:
            continue
        level = judged_level(r)
        if level not in shapes:
            units = units_of(run, level)
            shapes[level] = (unit_shapes(units, territory=run.region.territory)
                             if units is not None and "unit_id" in units else None)
        if (s := shapes[level]) is not None:
            out[r.id] = unit_map_svg(s, r)
    return out
