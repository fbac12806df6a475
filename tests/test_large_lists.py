"""Large facility lists (issue 19): the memory-lean paths give exactly what the plain ones gave.

Chunked point-in-unit matching, reprojection through coordinate arrays and per-distinct-value conversions
are checked against the straightforward computation on the same inputs (no memory or time figure here:
benchmarks/large_csv_memory.py measures those).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from coverage_planner.model import readers
from coverage_planner.model import region as region_mod
from coverage_planner.model.crs import utm_crs_for
from coverage_planner.model.readers import coerce_bool, numbers_or_nan, require_numeric


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


@pytest.mark.parametrize("dtype", [object, str, "category"])
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


def test_a_large_csv_reads_repeated_values_as_categoricals_with_the_plain_reads_values(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import pyarrow as pa

    monkeypatch.setattr(readers, "LEAN_CHUNK_ROWS", 500)  # several chunks, as a list of millions has
    rng = np.random.default_rng(3)
    n = 3000
    plain_df = pd.DataFrame({"编号": [f"TY{k:06d}" for k in range(n)], "状态": rng.choice(["现有", "规划", "在建"], n),
                             "开办年份": rng.choice(["2001", "2024", "", "2030"], n), "托位数": rng.choice(["10", "25", " 40"], n),
                             "名称": [f"托育中心{k}" for k in range(n)], "lon": rng.random(n).round(6).astype(str)})
    path = tmp_path / "big.csv"
    plain_df.to_csv(path, index=False)
    plain = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    lean = readers._read_csv_lean(path, encoding="utf-8-sig", usecols=None)
    assert list(lean.columns) == list(plain.columns)
    for col in ("状态", "开办年份", "托位数"):  # a few distinct values over thousands of rows
        assert isinstance(lean[col].dtype, pd.CategoricalDtype), (col, lean[col].dtype)
    for col in ("编号", "名称", "lon"):  # one value per row: kept as text, joined into one Arrow piece
        assert lean[col].dtype == plain[col].dtype, (col, lean[col].dtype)
        got = pa.array(lean[col].array)  # the column's Arrow data as it is held
        assert not isinstance(got, pa.ChunkedArray) or got.num_chunks == 1, (col, got.num_chunks)
    for col in plain.columns:
        assert lean[col].astype(object).tolist() == plain[col].astype(object).tolist(), col
    np.testing.assert_array_equal(numbers_or_nan(lean["托位数"]), pd.to_numeric(plain["托位数"], errors="coerce"))
    np.testing.assert_array_equal(numbers_or_nan(lean["开办年份"]), pd.to_numeric(plain["开办年份"], errors="coerce"))


@pytest.mark.parametrize(("statuses", "years"), [
    (["现有", " Planned ", "关闭"], ["2001", "", "2030", "2024"]),
    (["现有", " Planned ", "关闭"], ["2001", "", "二〇一〇", "2024"]),
    (["现有", "拆除", "关闭"], ["2001", "", "2030", "2024"]),
])
def test_standardised_status_and_years_are_the_same_from_categoricals_and_text(statuses, years) -> None:  # noqa: ANN001
    from coverage_planner.errors import LayerError
    from coverage_planner.model.manifest import LayerSource

    src = LayerSource(role="childcare", path=Path("childcare.csv"))
    rng = np.random.default_rng(5)
    n = 400
    base = pd.DataFrame({"facility_id": [f"c{k}" for k in range(n)], "status": rng.choice(statuses, n),
                         "open_year": rng.choice(years, n)})
    outs = []
    for dtype in (str, "category"):
        gdf = gpd.GeoDataFrame(base.astype({"status": dtype, "open_year": dtype}),
                               geometry=shapely.points(np.arange(n), np.zeros(n)), crs="EPSG:32650")
        try:
            out = region_mod._standardise(gdf, src)
        except LayerError as exc:
            outs.append(str(exc))
            continue
        outs.append((out["status"].tolist(), out["open_year"].tolist(), str(out["open_year"].dtype)))
    assert outs[0] == outs[1]
    if "拆除" in statuses:
        assert isinstance(outs[0], str) and "status '拆除' at rows" in outs[0] and "is not known" in outs[0]
    elif "二〇一〇" in years:
        assert isinstance(outs[0], str) and "open_year is not a year" in outs[0]
    else:
        assert set(outs[0][0]) == {"existing", "planned", "closed"} and 0 in outs[0][1]
