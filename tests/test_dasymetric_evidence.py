"""Residential share of a building's floor area from the evidence in an OpenStreetMap extract (issue 17).

A generated extract (written as OSM XML, converted to PBF with pyosmium, read by the same reader as a real
city): buildings of equal footprint and levels that differ only in what is mapped on or inside them.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from pyproj import Transformer

from coverage_planner.model.dasymetric import CONTEXT_PRIOR_M2, spread_counts
from coverage_planner.sources.fetch.osm_pbf import read_pbf_features

UTM35 = "EPSG:32635"
X0, Y0 = 385_000.0, 6_672_000.0
_TO_LONLAT = Transformer.from_crs(UTM35, "EPSG:4326", always_xy=True)


class _Osm:
    """A tiny OSM XML document: square buildings (x, y, side in metres) and point-of-interest nodes."""

    def __init__(self) -> None:
        self.nodes: list[str] = []
        self.ways: list[str] = []
        self.next_id = 1

    def node(self, x_m: float, y_m: float, tags: dict[str, str] | None = None) -> int:
        lon, lat = _TO_LONLAT.transform(X0 + x_m, Y0 + y_m)
        i, self.next_id = self.next_id, self.next_id + 1
        body = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in (tags or {}).items())
        self.nodes.append(f'<node id="{i}" version="1" lat="{lat:.8f}" lon="{lon:.8f}">{body}</node>')
        return i

    def building(self, x_m: float, y_m: float, side_m: float, tags: dict[str, str],
                 inside: tuple[dict[str, str], ...] = ()) -> None:
        corners = [self.node(x_m + dx, y_m + dy) for dx, dy in ((0, 0), (side_m, 0), (side_m, side_m), (0, side_m))]
        refs = "".join(f'<nd ref="{n}"/>' for n in [*corners, corners[0]])
        body = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        i, self.next_id = self.next_id, self.next_id + 1
        self.ways.append(f'<way id="{i}" version="1">{refs}{body}</way>')
        for k, poi in enumerate(inside):  # points of interest inside the footprint
            self.node(x_m + side_m * (k + 1) / (len(inside) + 1), y_m + side_m / 2, poi)

    def pbf(self, tmp_path: Path) -> Path:
        import osmium

        xml = tmp_path / "city.osm"
        xml.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">' + "".join(self.nodes)
                       + "".join(self.ways) + "</osm>", encoding="utf-8")
        pbf = tmp_path / "city.osm.pbf"
        w = osmium.SimpleWriter(str(pbf))
        for o in osmium.FileProcessor(str(xml)):
            (w.add_node if o.is_node() else w.add_way)(o)
        w.close()
        return pbf


PLAIN = {"building": "yes", "building:levels": "4"}
#: name -> (x, y) of a 20 m × 20 m building, its tags and the points of interest mapped inside it
CASES: dict[str, tuple[float, float, dict[str, str], tuple[dict[str, str], ...]]] = {
    "plain": (0, 0, PLAIN, ()),
    "shops": (300, 0, PLAIN, ({"shop": "bakery"}, {"amenity": "cafe"})),
    "office": (600, 0, PLAIN, ({"office": "company"},)),
    "hotel": (900, 0, PLAIN, ({"tourism": "hotel"},)),
    "heritage": (1200, 0, {**PLAIN, "heritage": "2"}, ()),
    "use": (1500, 0, {**PLAIN, "building:use": "commercial"}, ()),
    "apartments_with_shop": (1800, 0, {"building": "apartments", "building:levels": "4"}, ({"shop": "kiosk"},)),
    "residential_use": (2100, 0, {**PLAIN, "building:use": "residential"}, ({"office": "company"},)),
    "beside_offices": (2400, 0, PLAIN, ()),
}


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    osm = _Osm()
    for x, y, tags, inside in CASES.values():
        osm.building(x, y, 20.0, tags, inside)
    # a 60 m × 60 m labelled office block 50 m from "beside_offices": 3,600 m² of non-residential footprint
    osm.building(2400, 50, 60.0, {"building": "office", "building:levels": "4"})
    f = read_pbf_features(osm.pbf(tmp_path_factory.mktemp("evidence")))
    units = gpd.GeoDataFrame({"unit_id": ["u"], "count": [10_000]},
                             geometry=[shapely.box(X0 - 100, Y0 - 100, X0 + 2600, Y0 + 200)], crs=UTM35)
    res = spread_counts(units, f.buildings)
    assert res.points["count"].sum() == 10_000  # the unit's count is conserved
    pts = res.points.to_crs(UTM35)
    out = {}
    for name, (x, y, _, _) in CASES.items():
        inside = shapely.contains_xy(shapely.box(X0 + x, Y0 + y, X0 + x + 20, Y0 + y + 20), pts.geometry.x,
                                     pts.geometry.y)
        out[name] = float(pts.loc[inside, "count"].sum())
    return out


def test_a_building_with_shops_inside_gets_fewer_residents_than_a_plain_one(people: dict[str, float]) -> None:
    assert people["plain"] > 0
    assert people["shops"] < people["plain"]
    assert people["shops"] == pytest.approx(0.75 * people["plain"], abs=1)  # 3 of its 4 levels are homes
    assert people["apartments_with_shop"] == pytest.approx(people["shops"], abs=1)  # a dwelling's ground floor too


@pytest.mark.parametrize("name", ["office", "hotel", "heritage", "use"])
def test_offices_hotels_landmarks_and_building_use_hold_no_homes(people: dict[str, float], name: str) -> None:
    assert people[name] == 0


def test_building_use_residential_stays_homes_despite_an_office_inside(people: dict[str, float]) -> None:
    assert people["residential_use"] == pytest.approx(people["shops"], abs=1)  # only its ground floor is not


def test_unstated_building_beside_labelled_offices_takes_their_share(people: dict[str, float]) -> None:
    share = CONTEXT_PRIOR_M2 / (CONTEXT_PRIOR_M2 + 60.0 * 60.0)  # no labelled homes within 100 m
    assert people["beside_offices"] == pytest.approx(share * people["plain"], abs=1)
    assert sum(people.values()) == 10_000  # the labelled office block itself holds nobody
