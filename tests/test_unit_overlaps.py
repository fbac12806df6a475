"""Overlapping units are a data warning; neighbours that only share a border are not."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from coverage_planner.model.data_warnings import unit_overlaps
from coverage_planner.model.population import PopulationGrid

UTM = CRS.from_epsg(32650)


def _units(extra: list[shapely.Geometry]) -> gpd.GeoDataFrame:
    squares = [shapely.box(x, y, x + 1000, y + 1000) for x in range(0, 4000, 1000) for y in range(0, 3000, 1000)]
    geoms = squares + extra
    return gpd.GeoDataFrame({"unit_id": [f"u{i}" for i in range(len(geoms))], "name": [f"n{i}" for i in range(len(geoms))]},
                            geometry=geoms, crs=UTM)


def _people() -> PopulationGrid:
    xs, ys = np.meshgrid(np.arange(50.0, 4000, 100), np.arange(50.0, 3000, 100))
    return PopulationGrid(xs.ravel(), ys.ravel(), {"total": np.full(xs.size, 2.0)}, 100.0, UTM, (), None)


def test_touching_neighbours_give_no_warning() -> None:
    assert unit_overlaps(_units([]), "street", _people()) == []


def test_overlaps_and_a_unit_inside_another_are_counted() -> None:
    overlap = shapely.box(3500, 2500, 4500, 3500)  # a quarter (500 x 500 m) inside the corner square
    inside = shapely.box(1200, 1200, 1400, 1400)  # 200 x 200 m within square (1000, 1000)
    sliver = shapely.box(999.95, 0, 1000.05, 1000)  # 0.05 m x 1000 m over each neighbour: 50 m², ignored
    notes = unit_overlaps(_units([overlap, inside, sliver]), "street", _people())
    assert len(notes) == 1
    params = notes[0].params
    assert params["pairs"] == 2
    assert params["ha"] == f"{(500 * 500 + 200 * 200) / 1e4:,.1f}"
    assert params["people"] == f"{(25 + 4) * 2:,.0f}"  # cell centres inside the two shared areas
