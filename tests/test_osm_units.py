"""Units and land rebuilt from what an extract holds: boundary relations cut at its edge, coastline, water."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Transformer

from coverage_planner.sources.fetch.osm_pbf import AdminRelation
from coverage_planner.sources.fetch.osm_units import admin_levels, land_polygon

UTM = "EPSG:32635"
BOX = shapely.box(385_000, 6_672_000, 386_000, 6_673_000)
NONE = np.array([], dtype=object)


def _rel(i: int, name: str, lines_m: list[shapely.LineString], level: str = "10", **tags: str) -> AdminRelation:
    tr = Transformer.from_crs(UTM, "EPSG:4326", always_xy=True)
    lines = [shapely.LineString(np.column_stack(tr.transform(*np.asarray(g.coords).T))) for g in lines_m]
    return AdminRelation(i, {"name": name, "admin_level": level, **tags}, lines, [])


def test_coastline_land_is_on_the_left_and_islands_are_land() -> None:
    east = np.array([shapely.LineString([(385_100, 6_672_500), (385_900, 6_672_500)])], dtype=object)
    land = land_polygon(BOX, east, NONE)  # drawn west -> east: land north, sea south (cut ends reach the edge)
    assert land.area == pytest.approx(500_000) and land.bounds[1] == pytest.approx(6_672_500)
    west = np.array([shapely.LineString(list(east[0].coords)[::-1])], dtype=object)
    assert land_polygon(BOX, west, NONE).bounds[3] == pytest.approx(6_672_500)
    island = shapely.box(385_400, 6_672_400, 385_600, 6_672_600).exterior  # counter-clockwise: land inside
    assert land_polygon(BOX, np.array([island], dtype=object), NONE).area == pytest.approx(40_000)
    lake = np.array([shapely.box(385_000, 6_672_000, 385_100, 6_672_100)], dtype=object)
    assert land_polygon(BOX, NONE, lake).area == pytest.approx(1e6 - 1e4)


def test_boundaries_cut_by_the_extract_are_rebuilt_and_never_guessed() -> None:
    # A west of x = 385 400, B south-east and C north-east of it, split at y = 6 672 600; every line stops
    # 5 m short of the extract's edge (the extract cut it) and no relation is complete
    ab = shapely.LineString([(385_400, 6_672_005), (385_400, 6_672_600)])
    ac = shapely.LineString([(385_400, 6_672_600), (385_400, 6_672_995)])
    bc = shapely.LineString([(385_400, 6_672_600), (385_995, 6_672_600)])
    rels = [_rel(1, "A", [ab, ac]), _rel(2, "B", [ab, bc]), _rel(3, "C", [ac, bc], population="1200")]
    (lv,) = admin_levels(rels, BOX, UTM, None)  # the three lines meeting at a point decide every side
    got = lv.units.set_index("name")
    assert got.geometry["A"].area == pytest.approx(400_000, rel=1e-3)
    assert got.geometry["B"].area == pytest.approx(600 * 600, rel=1e-3)
    assert got.geometry["C"].area == pytest.approx(600 * 400, rel=1e-3)
    assert got.loc["C", "population"] == "1200"
    assert lv.share_of_extract == pytest.approx(1.0, rel=1e-3) and lv.unresolved_m2 == 0
    # one line between two relations cannot say which side is which: nothing is guessed ...
    full = shapely.LineString([(385_400, 6_672_005), (385_400, 6_672_995)])
    two = [_rel(1, "A", [full]), _rel(2, "B", [full])]
    assert admin_levels(two, BOX, UTM, None) == []
    # ... until a place node of the same name says it
    places = gpd.GeoDataFrame({"name": ["B"]}, geometry=[shapely.Point(385_700, 6_672_500)], crs=UTM)
    (lv,) = admin_levels(two, BOX, UTM, places)
    got = lv.units.set_index("name").geometry
    assert got["B"].area == pytest.approx(600_000, rel=1e-3) and got["A"].area == pytest.approx(400_000, rel=1e-3)
