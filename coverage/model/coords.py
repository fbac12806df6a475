"""Chinese web-map coordinate systems: GCJ-02 (Amap, Tencent, DataV) and BD-09 (Baidu) <-> WGS84.

All functions are vectorised over numpy arrays and take/return ``(lon, lat)`` in degrees.
GCJ-02 is an obfuscation of WGS84 applied inside mainland China only; points outside the
published rough bounding box are returned unchanged, as every reference implementation does.
The inverse (GCJ-02 -> WGS84) has no closed form: it is solved by fixed-point iteration to
better than 1e-9 degree (about 0.1 mm).

References: the algorithm as published in ``googollee/eviltransform`` (test vectors used in
``tests/test_coords.py``) and Baidu's BD-09 formula as reproduced there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "COORD_SYSTEMS",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "offset_evidence",
    "outside_china",
    "to_wgs84",
    "undeclared_offset",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

CoordSystem = Literal["wgs84", "gcj02", "bd09"]
COORD_SYSTEMS: dict[str, str] = {
    "wgs84": "WGS84 / CGCS2000 (GPS, Tianditu, OpenStreetMap)",
    "gcj02": "GCJ-02 (Amap/Gaode, Tencent, DataV GeoAtlas)",
    "bd09": "BD-09 (Baidu)",
}
#: The same in Chinese (reports in Chinese).
COORD_SYSTEMS_ZH: dict[str, str] = {
    "wgs84": "WGS84 / CGCS2000(GPS、天地图、开放街道地图)",
    "gcj02": "GCJ-02(高德、腾讯等)",
    "bd09": "BD-09(百度)",
}

_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0

Float = NDArray[np.float64]


def _arr(v: ArrayLike) -> Float:
    return np.asarray(v, dtype=np.float64)


def outside_china(lon: ArrayLike, lat: ArrayLike) -> NDArray[np.bool_]:
    """True where a point lies outside the rough box in which GCJ-02 offsets apply."""
    lon, lat = _arr(lon), _arr(lat)
    return (lon < 72.004) | (lon > 137.8347) | (lat < 0.8293) | (lat > 55.8271)


def _delta(lon: Float, lat: Float) -> tuple[Float, Float]:
    x = lon - 105.0
    y = lat - 35.0
    sx = np.sqrt(np.abs(x))
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sx + common
    d_lat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    d_lat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sx + common
    d_lon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    d_lon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad_lat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    return d_lon, d_lat


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[Float, Float]:
    """Convert WGS84 lon/lat (degrees) to GCJ-02."""
    lon, lat = _arr(lon), _arr(lat)
    d_lon, d_lat = _delta(lon, lat)
    out = outside_china(lon, lat)
    return np.where(out, lon, lon + d_lon), np.where(out, lat, lat + d_lat)


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike, *, tol_deg: float = 1e-10) -> tuple[Float, Float]:
    """Convert GCJ-02 lon/lat (degrees) to WGS84 by fixed-point iteration (error < ``tol_deg``)."""
    g_lon, g_lat = _arr(lon), _arr(lat)
    w_lon, w_lat = g_lon.copy(), g_lat.copy()
    for _ in range(30):
        f_lon, f_lat = wgs84_to_gcj02(w_lon, w_lat)
        e_lon, e_lat = f_lon - g_lon, f_lat - g_lat
        w_lon = w_lon - e_lon
        w_lat = w_lat - e_lat
        if np.all(np.abs(e_lon) < tol_deg) and np.all(np.abs(e_lat) < tol_deg):
            break
    return w_lon, w_lat


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[Float, Float]:
    """Convert GCJ-02 lon/lat to Baidu BD-09."""
    x, y = _arr(lon), _arr(lat)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike, *, tol_deg: float = 1e-10) -> tuple[Float, Float]:
    """Convert Baidu BD-09 lon/lat to GCJ-02.

    Starts from Baidu's published closed form (accurate to about 1e-6 degree, 0.1 m) and refines it
    by fixed-point iteration until ``gcj02_to_bd09`` reproduces the input to ``tol_deg``.
    """
    b_lon, b_lat = _arr(lon), _arr(lat)
    x, y = b_lon - 0.0065, b_lat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    g_lon, g_lat = z * np.cos(theta), z * np.sin(theta)
    for _ in range(10):
        f_lon, f_lat = gcj02_to_bd09(g_lon, g_lat)
        e_lon, e_lat = f_lon - b_lon, f_lat - b_lat
        g_lon, g_lat = g_lon - e_lon, g_lat - e_lat
        if np.all(np.abs(e_lon) < tol_deg) and np.all(np.abs(e_lat) < tol_deg):
            break
    return g_lon, g_lat


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[Float, Float]:
    """Convert WGS84 lon/lat to Baidu BD-09."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[Float, Float]:
    """Convert Baidu BD-09 lon/lat to WGS84."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def to_wgs84(lon: ArrayLike, lat: ArrayLike, coord_system: str) -> tuple[Float, Float]:
    """Convert lon/lat in ``coord_system`` ({"wgs84", "gcj02", "bd09"}) to WGS84."""
    if coord_system == "wgs84":
        return _arr(lon), _arr(lat)
    if coord_system == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if coord_system == "bd09":
        return bd09_to_wgs84(lon, lat)
    msg = f"coordinate system was {coord_system!r}; expected one of {sorted(COORD_SYSTEMS)}"
    raise ValueError(msg)


def transform_geometries_to_wgs84(geoms: ArrayLike, coord_system: str) -> NDArray[np.object_]:
    """Convert an array of shapely geometries in lon/lat ``coord_system`` to WGS84 (vectorised)."""
    import shapely

    geoms = np.asarray(geoms, dtype=object)
    if coord_system == "wgs84":
        return geoms

    def _fn(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        lon, lat = to_wgs84(xy[:, 0], xy[:, 1], coord_system)
        return np.column_stack([lon, lat])

    return shapely.transform(geoms, _fn)


#: An undeclared offset is reported when converting brings the median distance below this share of the
#: distance as given ...
OFFSET_RATIO = 0.5
#: ... by at least this many metres (a dense street grid keeps any point within half a block of a street) ...
OFFSET_MIN_GAIN_M = 8.0
#: ... and brings at least this share of the points individually closer (a real offset moves nearly all of
#: them; chance moves about half).
OFFSET_MIN_CLOSER = 0.8
#: Fewer points than this cannot tell a systematic offset from chance.
OFFSET_MIN_POINTS = 10


def offset_evidence(lon: ArrayLike, lat: ArrayLike, distance_m: Callable[[Float, Float], Float]
                    ) -> dict[str, tuple[float, float]]:
    """Median distance (m) from the points to a reference (streets, boundaries) as given and converted.

    Parameters
    ----------
    lon, lat
        Points as declared (WGS84) in degrees.
    distance_m
        Distance in metres from WGS84 lon/lat arrays to the reference.

    Returns
    -------
    dict
        Per system (``wgs84`` = as given, ``gcj02`` / ``bd09`` = if the points were in that system):
        (median distance in metres, share of points closer than as given).
    """
    lon, lat = _arr(lon), _arr(lat)
    dist = {cs: _arr(distance_m(*to_wgs84(lon, lat, cs))) for cs in COORD_SYSTEMS}
    return {cs: (float(np.median(d)), float(np.mean(d < dist["wgs84"])) if d.size else 0.0)
            for cs, d in dist.items()}


def undeclared_offset(evidence: dict[str, tuple[float, float]], n_points: int) -> str | None:
    """The coordinate system the points more likely use than declared WGS84, or None (never flips anything)."""
    if n_points < OFFSET_MIN_POINTS:
        return None
    given = evidence["wgs84"][0]
    best = min(("gcj02", "bd09"), key=lambda cs: evidence[cs][0])
    median, closer = evidence[best]
    if median < OFFSET_RATIO * given and given - median >= OFFSET_MIN_GAIN_M and closer >= OFFSET_MIN_CLOSER:
        return best
    return None
