"""Large facility lists (issue 19): the memory-lean paths give exactly what the plain ones gave.

Chunked point-in-unit matching, reprojection through coordinate arrays and per-distinct-value conversions
are checked against the straightforward computation on the same inputs (no memory or time figure here:
benchmarks/large_csv_memory.py measures those).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from coverage_planner.model import region as region_mod
from coverage_planner.model.crs import utm_crs_for
from coverage_planner.model.readers import coerce_bool, require_numeric


def _reference_points_in_polygons(x, y, polys):  # noqa: ANN001, ANN202 - the loop the chunks must reproduce
    out = np.full(x.size, -1, dtype=np.int64)
    for i, (px, py) in enumerate(zip(x, y, strict=True)):
        for j, poly in enumerate(polys):
            if shapely.intersects_xy(poly, px, py):
                out[i] = j  # the first polygon (in layer order) that holds the point
                break
    return out


def test_points_are_matched_to_units_chunk_by_chunk_with_the_first_match_kept(monkeypatch) -> None:
    rng = np.random.default_rng(3)
    polys = np.array([shapely.box(0, 0, 6, 6), shapely.box(4, 4, 10, 10), shapely.box(20, 20, 21, 21)],
                     dtype=object)  # the first two overlap
    x, y = rng.uniform(-1, 11, 200), rng.uniform(-1, 11, 200)
    x[:3], y[:3] = [5.0, 6.0, 0.0], [5.0, 6.0, 0.0]  # inside both; on both edges; on a corner
    whole = region_mod._points_in_polygons(x, y, polys)
    monkeypatch.setattr(region_mod, "POINTS_PER_CHUNK", 7)  # chunks that do not divide the 200 points
    chunked = region_mod._points_in_polygons(x, y, polys)
    np.testing.assert_array_equal(chunked, whole)
    np.testing.assert_array_equal(chunked, _reference_points_in_polygons(x, y, polys))
    assert chunked[0] == 0 and chunked[1] == 0 and (chunked == 1).any() and (chunked == -1).any()


def test_point_layers_are_reprojected_through_arrays_exactly_as_to_crs() -> None:
    rng = np.random.default_rng(5)
    lon, lat = 113.6 + rng.random(50) * 0.2, 34.7 + rng.random(50) * 0.1
    gdf = gpd.GeoDataFrame({"name": [f"托育{i}" for i in range(50)]}, geometry=gpd.points_from_xy(lon, lat),
                           crs="EPSG:4326")
    crs = utm_crs_for(113.7, 34.75)
    attrs, x, y = region_mod._attributes_and_xy(gdf, crs)
    assert "geometry" not in attrs.columns and list(attrs["name"]) == list(gdf["name"])
    expected = gdf.to_crs(crs)
    np.testing.assert_array_equal(x, shapely.get_x(expected.geometry.values))
    np.testing.assert_array_equal(y, shapely.get_y(expected.geometry.values))
    polygons = gdf.copy()
    polygons.loc[0, "geometry"] = shapely.box(113.6, 34.7, 113.61, 34.71)
    assert region_mod._attributes_and_xy(polygons, crs) is None  # not every feature a point: to_crs instead


@pytest.mark.parametrize("dtype", [object, str])
def test_yes_no_and_number_columns_convert_per_distinct_value_as_per_row(dtype) -> None:  # noqa: ANN001
    words = ["是", "否", " 是 ", "YES", "1", "0", "", "nan", "普惠", "无"]
    rng = np.random.default_rng(7)
    text = pd.Series(rng.choice(words, 500), dtype=dtype)
    text.iloc[3] = None
    per_row = np.array([str(v).strip().lower() in {"true", "1", "yes", "y", "t", "是", "有", "普惠", "公办", "√"}
                        for v in text.astype(object).where(text.notna(), "nan")])
    np.testing.assert_array_equal(coerce_bool(text), per_row)
    numbers = pd.DataFrame({"slots": pd.Series(rng.choice(["10", "25.5", " 40", "0"], 500), dtype=dtype)})
    got = require_numeric(numbers, "slots", role="childcare", where="childcare.csv", purpose="slots")
    np.testing.assert_array_equal(got, pd.to_numeric(numbers["slots"].astype(object)).to_numpy(dtype=float))
