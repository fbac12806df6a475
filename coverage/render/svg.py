"""Static maps for printed reports: a target's units as an inline SVG, coloured pass / fail.

The interactive maps (``coverage_planner.render.web``) need a browser and tiles; a printed brief needs a picture that
is part of the page. The units of the target's level are simplified together (neighbours keep their
shared borders) to about a pixel of the picture and drawn as SVG paths, north up, no basemap.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import shapely

from ..model.results import TargetResult
from .web.geometry import simplify
from .web.overlays import STATUS_COLOURS

if TYPE_CHECKING:
    from ..studies.check import CheckRun

__all__ = ["UnitShapes", "unit_map_svg", "unit_map_svgs", "unit_shapes"]

#: Width of the picture's coordinate system (the SVG scales to the page).
VIEW_W = 1000.0


@dataclass(frozen=True)
class UnitShapes:
    """The units of one level as SVG path data in a shared view box."""

    unit_ids: tuple[str, ...]
    paths: tuple[str, ...]
    width: float
    height: float


def _ring_path(coords: np.ndarray) -> str:
    pts = [f"{x:.1f} {y:.1f}" for x, y in coords[:-1]]
    return "M" + "L".join(pts) + "Z" if len(pts) >= 3 else ""


def unit_shapes(units: gpd.GeoDataFrame, *, width: float = VIEW_W) -> UnitShapes | None:
    """Project and simplify ``units`` (working CRS, metres) into SVG path data, north up.

    Parameters
    ----------
    units
        Polygons with a ``unit_id`` column.
    width
        Width of the view box; the height follows the territory's aspect ratio.

    Returns
    -------
    UnitShapes or None
        None when there is nothing to draw.
    """
    geoms = np.asarray(units.geometry.values, dtype=object)
    if len(geoms) == 0:
        return None
    x0, y0, x1, y1 = shapely.total_bounds(geoms)
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
    return UnitShapes(tuple(units["unit_id"].astype(str)), tuple(paths), width, height)


def unit_map_svg(shapes: UnitShapes, result: TargetResult) -> str:
    """The units coloured by the result's per-unit status (grey where the target did not check a unit)."""
    status = {u.unit_id: u.status for u in result.units}
    by_colour: dict[str, list[str]] = {}
    for uid, d in zip(shapes.unit_ids, shapes.paths, strict=True):
        if d:
            colour = STATUS_COLOURS.get(status.get(uid, "not_checked"), STATUS_COLOURS["not_checked"])
            by_colour.setdefault(colour, []).append(d)
    body = "".join(f'<path fill="{c}" fill-opacity="0.75" d="{"".join(ds)}"/>' for c, ds in sorted(by_colour.items()))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="unit-map" viewBox="0 0 {shapes.width:.0f} '
            f'{shapes.height:.0f}" preserveAspectRatio="xMidYMid meet" role="img">'
            f'<g stroke="#444" stroke-width="0.6" fill-rule="evenodd">{body}</g></svg>')


def unit_map_svgs(run: CheckRun, results: Mapping[str, TargetResult] | None = None) -> dict[str, str]:
    """Target id -> static map of its units, for every result whose level has polygons.

    Each level is projected and simplified once, whatever the number of targets on it.
    """
    from .web.page import units_of

    shapes: dict[str, UnitShapes | None] = {}
    out: dict[str, str] = {}
    for r in (results or {x.id: x for x in run.results}).values():
        if not r.units:
            continue
        if r.level not in shapes:
            units = units_of(run, r.level)
            shapes[r.level] = unit_shapes(units) if units is not None and "unit_id" in units else None
        if (s := shapes[r.level]) is not None:
            out[r.id] = unit_map_svg(s, r)
    return out
