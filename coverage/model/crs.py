"""The working CRS: every metric computation happens in metres, never in degrees."""

from __future__ import annotations

import math
from typing import Any

from pyproj import CRS

__all__ = ["WGS84", "representative_xy", "require_metric", "utm_crs_for"]

WGS84 = CRS.from_epsg(4326)


def utm_crs_for(lon: float, lat: float) -> CRS:
    """Return the WGS84 / UTM zone CRS (EPSG:326xx or 327xx) containing ``lon``, ``lat`` (degrees).

    Parameters
    ----------
    lon, lat
        A point of the region, typically its centroid, in WGS84 degrees.

    Returns
    -------
    pyproj.CRS
        A projected CRS with metre units.

    Examples
    --------
    >>> utm_crs_for(113.65, 34.75).to_epsg()
    32649
    """
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0) or math.isnan(lon) or math.isnan(lat):
        msg = f"lon/lat ({lon}, {lat}) is not a valid WGS84 position; expected -180..180, -90..90 degrees"
        raise ValueError(msg)
    zone = int((lon + 180.0) // 6.0) + 1
    zone = min(max(zone, 1), 60)
    return CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


def require_metric(crs: CRS | None, *, what: str) -> CRS:
    """Raise unless ``crs`` is projected with metre units; return it otherwise.

    Parameters
    ----------
    crs
        The CRS to check.
    what
        A description of the data, used in the message (e.g. ``"population grid"``).
    """
    if crs is None:
        msg = f"{what} has no CRS; metric operations need a projected CRS in metres."
        raise ValueError(msg)
    crs = CRS.from_user_input(crs)
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if not crs.is_projected or unit not in {"metre", "meter"}:
        msg = (
            f"{what} is in {crs.name!r} ({unit or 'no unit'}); metric operations need a projected CRS "
            "in metres. Reproject it first (coverage does this automatically for layers it loads)."
        )
        raise ValueError(msg)
    return crs


def representative_xy(geoms: Any, src_crs: Any, dst_crs: Any) -> tuple[Any, Any]:
    """x, y arrays (in ``dst_crs``) of one point per geometry (the point itself, else a point on its surface).

    Works on coordinate arrays: no reprojected copy of a layer and no new point objects for point layers, so
    millions of facilities cost a few arrays of floats. Coordinates that cannot be transformed come back inf.
    """
    import numpy as np
    import shapely
    from pyproj import Transformer

    geoms = np.asarray(geoms, dtype=object)
    points = shapely.get_type_id(geoms) == 0
    x = np.full(geoms.size, np.nan)
    y = np.full(geoms.size, np.nan)
    x[points], y[points] = shapely.get_x(geoms[points]), shapely.get_y(geoms[points])
    if (~points).any():
        reps = shapely.point_on_surface(geoms[~points])
        x[~points], y[~points] = shapely.get_x(reps), shapely.get_y(reps)
    if src_crs is dst_crs or CRS.from_user_input(src_crs) == CRS.from_user_input(dst_crs):
        return x, y
    tx, ty = Transformer.from_crs(src_crs, dst_crs, always_xy=True).transform(x, y, errcheck=False)
    return np.asarray(tx, dtype=float), np.asarray(ty, dtype=float)
