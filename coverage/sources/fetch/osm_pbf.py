"""Features of an OpenStreetMap PBF file in one pass (pyosmium): facilities, buildings, land use, places.

* facilities: every tagged node, way and multipolygon as Overpass-like JSON elements, so the same
  tag mapping (:mod:`coverage_planner.sources.fetch.facilities`) sorts them into roles. Ways sit at the mean of
  their nodes (as the XML reader places them); closed ways and multipolygons also carry their area
  (``_area_m2``, on an equal-area projection), which the mapping can turn into attributes (a park's open area).
* buildings: footprints with ``building``, ``building:levels``, ``height``, ``building:use``, whether the
  building's own tags name a non-residential use (``amenity``, ``shop``, ``office`` …) or make it a landmark
  (``name``, ``wikidata``, ``heritage``), and how many points of interest (``n_pois``) and offices or
  hotels (``n_work_pois``) are mapped inside its footprint, for dasymetric population;
* land use: ``landuse=*`` polygons (and school / hospital / university grounds) with their kind;
  ``landuse=residential`` ones also as ``residential_land``;
* water: ``natural=water``, ``waterway=riverbank``, ``landuse=reservoir|basin`` polygons, and the
  ``natural=coastline`` lines (land on their left);
* places: ``place=*`` points with a name (and ``population``, ``population:date``, ``source:population``);
* admin boundaries: ``boundary=administrative`` relations with their tags, their member ways' lines
  (read in a second pass: members are often untagged) and their ``label``/``admin_centre`` nodes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from ...errors import LayerError
from ...model.crs import WGS84
from ...model.messages import Message
from ...model.reasons import reason_words

__all__ = ["PLACE_KINDS", "AdminRelation", "PbfFeatures", "read_pbf_features"]

logger = logging.getLogger(__name__)

PLACE_KINDS = ("suburb", "quarter", "neighbourhood")
#: WGS 84 / NSIDC EASE-Grid 2.0 Global: cylindrical equal-area, so planar areas are true areas (vectorised).
EQUAL_AREA_CRS = "EPSG:6933"


#: Ground (not building) areas whose use is not housing: a building standing in one holds no residents
#: unless its own ``building=*`` says it is a dwelling.
NON_RESIDENTIAL_GROUNDS = {
    "amenity": ("school", "university", "college", "kindergarten", "hospital", "clinic", "place_of_worship",
                "parking", "prison", "fire_station", "police"),
    "leisure": ("stadium", "sports_centre", "marina"),
    "aeroway": ("aerodrome",),
}
#: Keys on a building itself that say what it is used for (a shop, an office, a school ...).
USE_KEYS = ("amenity", "shop", "office", "tourism", "craft", "industrial", "healthcare", "public_transport",
            "railway", "aeroway", "man_made", "military", "leisure")
#: Keys that make a building of unstated type a landmark (not homes): its own name, a Wikidata item, heritage.
LANDMARK_KEYS = ("name", "wikidata", "heritage")
#: ``tourism=*`` values of a node inside a building that make it a workplace (whole floors, not a shopfront).
WORKPLACE_TOURISM = ("hotel", "hostel", "motel", "apartment")
WATER_TAGS = {"natural": ("water", "bay", "strait"), "waterway": ("riverbank", "dock", "canal"),
              "landuse": ("reservoir", "basin")}
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")


def first_number(value: str | None) -> float:
    """The first number in an OSM value (``"5"``, ``"4;5"``, ``"12.5 m"``, ``"3,5"``), NaN when none."""
    if not value:
        return float("nan")
    m = _NUMBER.search(value)
    return float(m.group(0).replace(",", ".")) if m else float("nan")


@dataclass(frozen=True)
class AdminRelation:
    """A ``boundary=administrative`` relation as the extract holds it (possibly cut by the extract's edge)."""

    osm_id: int
    tags: dict[str, str]
    lines: list[Any]  # shapely LineStrings (WGS84) of the member ways present in the file
    label_points: list[tuple[float, float]]  # lon/lat of label / admin_centre member nodes present

    @property
    def admin_level(self) -> str:
        return self.tags.get("admin_level", "")

    @property
    def name(self) -> str:
        return self.tags.get("name:zh") or self.tags.get("name") or f"relation {self.osm_id}"


@dataclass(frozen=True)
class PbfFeatures:
    """What :func:`read_pbf_features` found (all geometry in WGS84 lon/lat)."""

    elements: list[dict[str, Any]]
    buildings: gpd.GeoDataFrame
    residential_land: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    bounds_wsen: tuple[float, float, float, float]
    land_use: gpd.GeoDataFrame | None = None
    water: gpd.GeoDataFrame | None = None
    coastline: gpd.GeoDataFrame | None = None
    admin: tuple[AdminRelation, ...] = ()


def _area_m2(geoms_wgs84: np.ndarray) -> np.ndarray:
    return np.asarray(gpd.GeoSeries(geoms_wgs84, crs=WGS84).to_crs(EQUAL_AREA_CRS).area, dtype=np.float64)


class _Collector:
    """What one pass over the file keeps, element by element (geometry as WKB until the end)."""

    def __init__(self) -> None:
        import osmium

        self.wkb = osmium.geom.WKBFactory()
        self.elements: list[dict[str, Any]] = []
        self.area_wkb: list[Any] = []
        self.area_of: list[int] = []  # index into elements
        self.way_index: dict[int, int] = {}
        self.buildings: list[tuple[str, float, float, bool, bool, str, Any]] = []
        self.land: list[Any] = []
        self.land_use: list[tuple[str, Any]] = []
        self.water: list[Any] = []
        self.coast: list[Any] = []
        self.places: list[tuple[str, str, str, str, str, float, float]] = []
        self.admin_rel: list[tuple[int, dict[str, str], list[int], list[int]]] = []

    def add(self, obj: Any) -> None:  # noqa: ANN401 (an osmium object)
        tags = {t.k: t.v for t in obj.tags}
        if obj.is_node():
            self.node(obj, tags)
        elif obj.is_way():
            self.way(obj, tags)
        elif obj.is_relation():
            if tags.get("boundary") == "administrative" and tags.get("admin_level"):
                ways = [m.ref for m in obj.members if m.type == "w"]
                labels = [m.ref for m in obj.members if m.type == "n" and m.role in ("label", "admin_centre")]
                self.admin_rel.append((obj.id, tags, ways, labels))
        elif obj.is_area():
            self.area(obj, tags)

    def node(self, obj: Any, tags: dict[str, str]) -> None:  # noqa: ANN401
        loc = obj.location
        if not loc.valid():
            return
        self.elements.append({"type": "node", "id": obj.id, "lon": loc.lon, "lat": loc.lat, "tags": tags})
        if tags.get("place") and tags.get("name"):
            self.places.append((tags.get("name:zh") or tags["name"], tags["place"], tags.get("population", ""),
                                tags.get("population:date", ""), tags.get("source:population", ""), loc.lon, loc.lat))

    def way(self, obj: Any, tags: dict[str, str]) -> None:  # noqa: ANN401
        pts = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
        if pts:
            lon, lat = np.mean(np.asarray(pts), axis=0)
            self.way_index[obj.id] = len(self.elements)
            self.elements.append({"type": "way", "id": obj.id, "center": {"lon": float(lon), "lat": float(lat)},
                                  "tags": tags})
        if tags.get("natural") == "coastline" and len(pts) >= 2:
            self.coast.append(shapely.to_wkb(shapely.linestrings(pts)))

    def area(self, obj: Any, tags: dict[str, str]) -> None:  # noqa: ANN401
        try:
            geom = self.wkb.create_multipolygon(obj)
        except RuntimeError:  # an incomplete ring (clipped extract): no polygon
            return
        if "building" in tags:
            self.buildings.append(_building_row(tags, geom))
        elif tags.get("boundary") != "administrative":
            self.ground(tags, geom)
        if obj.from_way():  # the way itself is an element already: give it the area
            if obj.orig_id() in self.way_index:
                self.area_wkb.append(geom)
                self.area_of.append(self.way_index[obj.orig_id()])
        else:
            c = shapely.from_wkb(geom).representative_point()
            self.elements.append({"type": "relation", "id": obj.orig_id(), "center": {"lon": c.x, "lat": c.y},
                                  "tags": tags})
            self.area_wkb.append(geom)
            self.area_of.append(len(self.elements) - 1)

    def ground(self, tags: dict[str, str], geom: Any) -> None:  # noqa: ANN401
        """Land use, school grounds and the like, and water."""
        if tags.get("landuse") == "residential":
            self.land.append(geom)
        if "landuse" in tags:
            self.land_use.append((tags["landuse"], geom))
        else:
            for k, vals in NON_RESIDENTIAL_GROUNDS.items():
                if tags.get(k) in vals:
                    self.land_use.append((f"{k}={tags[k]}", geom))
                    break
        if any(tags.get(k) in vals for k, vals in WATER_TAGS.items()):
            self.water.append(geom)


def _building_row(tags: dict[str, str], geom: Any) -> tuple[str, float, float, bool, bool, str, Any]:  # noqa: ANN401
    """building, levels, height, a use tagged on it, a landmark (name, wikidata, heritage), building:use, WKB."""
    used = any(k in tags for k in USE_KEYS)
    landmark = any(k in tags for k in LANDMARK_KEYS)
    return (tags["building"], first_number(tags.get("building:levels")), first_number(tags.get("height")), used,
            landmark, tags.get("building:use", ""), geom)


def read_pbf_features(path: str | Path) -> PbfFeatures:
    """Read the tagged features of an ``.osm.pbf`` file.

    Parameters
    ----------
    path
        The PBF file.

    Raises
    ------
    LayerError
        The file is missing or not a readable PBF file.
    """
    import osmium

    path = Path(path)
    if not path.is_file():
        raise LayerError(Message("err.osm_pbf_missing", path=str(path)))
    c = _Collector()
    try:
        reader = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING)
        box = reader.header().box()
        reader.close()
        for obj in osmium.FileProcessor(str(path)).with_areas().with_filter(osmium.filter.EmptyTagFilter()):
            c.add(obj)
    except RuntimeError as exc:
        raise LayerError(Message("err.osm_pbf_unreadable", path=str(path), reason=reason_words(exc))) from exc
    elements = c.elements
    if c.area_wkb:
        areas = _area_m2(shapely.from_wkb(np.asarray(c.area_wkb, dtype=object)))
        for i, a in zip(c.area_of, areas, strict=True):
            elements[i]["tags"] = {**elements[i]["tags"], "_area_m2": f"{a:.1f}"}
    b = _buildings_frame(c.buildings, elements)
    lu = gpd.GeoDataFrame(geometry=_geoms(c.land), crs=WGS84)
    luse = gpd.GeoDataFrame({"kind": [x[0] for x in c.land_use]}, geometry=_geoms([x[1] for x in c.land_use]),
                            crs=WGS84)
    places = c.places
    pl = gpd.GeoDataFrame({"name": [p[0] for p in places], "place": [p[1] for p in places],
                           "population": [p[2] for p in places], "population_date": [p[3] for p in places],
                           "population_source": [p[4] for p in places]},
                          geometry=shapely.points([p[5] for p in places], [p[6] for p in places]), crs=WGS84)
    admin = _admin_relations(path, c.admin_rel) if c.admin_rel else ()
    if box.valid():
        bounds = (box.bottom_left.lon, box.bottom_left.lat, box.top_right.lon, box.top_right.lat)
    else:
        xy = np.array([[e["lon"], e["lat"]] for e in elements if e["type"] == "node"])
        bounds = (*xy.min(axis=0), *xy.max(axis=0)) if len(xy) else (0.0, 0.0, 0.0, 0.0)
    logger.info("%s: %d tagged features, %d buildings, %d residential areas, %d places", path.name,
                len(elements), len(b), len(lu), len(pl))
    west, south, east, north = (float(v) for v in bounds)
    return PbfFeatures(elements, b, lu, pl, (west, south, east, north), land_use=luse,
                       water=gpd.GeoDataFrame(geometry=_geoms(c.water), crs=WGS84),
                       coastline=gpd.GeoDataFrame(geometry=_geoms(c.coast), crs=WGS84), admin=admin)


def _buildings_frame(rows: list[tuple[str, float, float, bool, bool, str, Any]], elements: list[dict[str, Any]]
                     ) -> gpd.GeoDataFrame:
    b = gpd.GeoDataFrame(
        {"building": [x[0] for x in rows], "levels": np.asarray([x[1] for x in rows], dtype=float),
         "height_m": np.asarray([x[2] for x in rows], dtype=float),
         "use_tagged": np.asarray([x[3] for x in rows], dtype=bool),
         "named": np.asarray([x[4] for x in rows], dtype=bool),
         "building_use": [x[5] for x in rows]},
        geometry=_geoms([x[6] for x in rows]), crs=WGS84)
    b["n_pois"] = _pois_inside(b, elements, _is_poi)
    b["n_work_pois"] = _pois_inside(b, elements, _is_workplace)
    return b


def _is_poi(tags: dict[str, str]) -> bool:
    return any(k in tags for k in USE_KEYS)


def _is_workplace(tags: dict[str, str]) -> bool:
    """An office or a hotel: it takes whole floors, not a ground-floor shopfront."""
    return "office" in tags or tags.get("tourism") in WORKPLACE_TOURISM


def _pois_inside(buildings: gpd.GeoDataFrame, elements: list[dict[str, Any]], keep: Callable[[dict[str, str]], bool]
                 ) -> np.ndarray:
    """Per building, how many nodes that ``keep`` accepts (shops, offices …) stand inside its footprint."""
    xy = np.array([(e["lon"], e["lat"]) for e in elements
                   if e["type"] == "node" and keep(e["tags"])], dtype=float).reshape(-1, 2)
    out = np.zeros(len(buildings), dtype=np.int64)
    if len(buildings) and len(xy):
        _, bi = shapely.STRtree(buildings.geometry.values).query(shapely.points(xy), predicate="within")
        np.add.at(out, bi, 1)
    return out


def _geoms(wkbs: list[Any]) -> np.ndarray:
    return shapely.from_wkb(np.asarray(wkbs, dtype=object)) if wkbs else np.zeros(0, dtype=object)


def _admin_relations(path: Path, rels: list[tuple[int, dict[str, str], list[int], list[int]]]
                     ) -> tuple[AdminRelation, ...]:
    """Second pass: the lines of the boundary relations' member ways (often untagged) and label nodes."""
    import osmium

    way_ids = {w for r in rels for w in r[2]}
    node_ids = {n for r in rels for n in r[3]}
    lines: dict[int, list[Any]] = {}
    label: dict[int, tuple[float, float]] = {}
    fp = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY).with_locations()
    way_filter, node_filter = osmium.filter.IdFilter(way_ids), osmium.filter.IdFilter(node_ids)
    way_filter.enable_for(osmium.osm.WAY)  # in place (the stub says it returns nothing)
    node_filter.enable_for(osmium.osm.NODE)
    for obj in fp.with_filter(way_filter).with_filter(node_filter):
        if isinstance(obj, osmium.osm.Node):
            if obj.location.valid():
                label[obj.id] = (obj.location.lon, obj.location.lat)
            continue
        assert isinstance(obj, osmium.osm.Way)  # the processor reads nodes and ways only
        # a way cut by the extract: keep each run of nodes the file has
        run: list[tuple[float, float]] = []
        parts: list[Any] = []
        for n in obj.nodes:
            if n.location.valid():
                run.append((n.lon, n.lat))
            else:
                if len(run) >= 2:
                    parts.append(shapely.linestrings(run))
                run = []
        if len(run) >= 2:
            parts.append(shapely.linestrings(run))
        lines[obj.id] = parts
    out = []
    for rid, tags, ways, labels in rels:
        ls = [g for w in ways for g in lines.get(w, [])]
        out.append(AdminRelation(rid, tags, ls, [label[n] for n in labels if n in label]))
    return tuple(out)
