"""Features of an OpenStreetMap PBF file in one pass (pyosmium): facilities, buildings, land use, places.

* facilities: every tagged node, way and multipolygon as Overpass-like JSON elements, so the same
  tag mapping (:mod:`coverage_planner.sources.fetch.facilities`) sorts them into roles. Ways sit at the mean of
  their nodes (as the XML reader places them); closed ways and multipolygons also carry their area
  (``_area_m2``, on an equal-area projection), which the mapping can turn into attributes (a park's open area).
* buildings: footprints with ``building`` and ``building:levels`` (for dasymetric population);
* residential land: ``landuse=residential`` polygons;
* places: ``place=suburb|quarter|neighbourhood`` points (to name approximate units).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ...errors import LayerError
from ...model.crs import WGS84

__all__ = ["PLACE_KINDS", "PbfFeatures", "read_pbf_features"]

logger = logging.getLogger(__name__)

PLACE_KINDS = ("suburb", "quarter", "neighbourhood")
#: WGS 84 / NSIDC EASE-Grid 2.0 Global: cylindrical equal-area, so planar areas are true areas (vectorised).
EQUAL_AREA_CRS = "EPSG:6933"


@dataclass(frozen=True)
class PbfFeatures:
    """What :func:`read_pbf_features` found (all geometry in WGS84 lon/lat)."""

    elements: list[dict[str, Any]]
    buildings: gpd.GeoDataFrame
    residential_land: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    bounds_wsen: tuple[float, float, float, float]


def _area_m2(geoms_wgs84: np.ndarray) -> np.ndarray:
    return np.asarray(gpd.GeoSeries(geoms_wgs84, crs=WGS84).to_crs(EQUAL_AREA_CRS).area, dtype=np.float64)


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
        raise LayerError(f"The OSM file {path} does not exist. Pass an .osm.pbf extract with --osm-file.")
    wkb = osmium.geom.WKBFactory()
    elements: list[dict[str, Any]] = []
    area_wkb: list[str] = []
    area_of: list[int] = []  # index into elements
    way_index: dict[int, int] = {}
    buildings: list[tuple[str, Any, str]] = []
    land: list[str] = []
    places: list[tuple[str, str, float, float]] = []
    try:
        reader = osmium.io.Reader(str(path), osmium.osm.osm_entity_bits.NOTHING)
        box = reader.header().box()
        reader.close()
        fp = osmium.FileProcessor(str(path)).with_areas().with_filter(osmium.filter.EmptyTagFilter())
        for obj in fp:
            tags = {t.k: t.v for t in obj.tags}
            if obj.is_node():
                loc = obj.location
                if not loc.valid():
                    continue
                elements.append({"type": "node", "id": obj.id, "lon": loc.lon, "lat": loc.lat, "tags": tags})
                if tags.get("place") in PLACE_KINDS and tags.get("name"):
                    places.append((tags.get("name:zh") or tags["name"], tags["place"], loc.lon, loc.lat))
            elif obj.is_way():
                pts = [(n.lon, n.lat) for n in obj.nodes if n.location.valid()]
                if pts:
                    lon, lat = np.mean(np.asarray(pts), axis=0)
                    way_index[obj.id] = len(elements)
                    elements.append({"type": "way", "id": obj.id, "center": {"lon": float(lon), "lat": float(lat)},
                                     "tags": tags})
            elif obj.is_area():
                try:
                    geom = wkb.create_multipolygon(obj)
                except RuntimeError:  # an incomplete ring (clipped extract): no polygon
                    continue
                if "building" in tags:
                    buildings.append((tags["building"], tags.get("building:levels"), geom))
                if tags.get("landuse") == "residential":
                    land.append(geom)
                if obj.from_way():  # the way itself is an element already: give it the area
                    if obj.orig_id() in way_index:
                        area_wkb.append(geom)
                        area_of.append(way_index[obj.orig_id()])
                else:
                    g = shapely.from_wkb(geom)
                    c = g.representative_point()
                    elements.append({"type": "relation", "id": obj.orig_id(), "center": {"lon": c.x, "lat": c.y},
                                     "tags": tags})
                    area_wkb.append(geom)
                    area_of.append(len(elements) - 1)
    except RuntimeError as exc:
        raise LayerError(f"{path} is not a readable OpenStreetMap PBF file ({exc}). Download it again.") from exc
    if area_wkb:
        areas = _area_m2(shapely.from_wkb(np.asarray(area_wkb, dtype=object)))
        for i, a in zip(area_of, areas, strict=True):
            elements[i]["tags"] = {**elements[i]["tags"], "_area_m2": f"{a:.1f}"}
    b = gpd.GeoDataFrame(
        {"building": [x[0] for x in buildings], "levels": pd.to_numeric(pd.Series([x[1] for x in buildings],
                                                                                  dtype=object), errors="coerce")},
        geometry=shapely.from_wkb(np.asarray([x[2] for x in buildings], dtype=object)), crs=WGS84)
    lu = gpd.GeoDataFrame(geometry=shapely.from_wkb(np.asarray(land, dtype=object)), crs=WGS84)
    pl = gpd.GeoDataFrame({"name": [p[0] for p in places], "place": [p[1] for p in places]},
                          geometry=shapely.points([p[2] for p in places], [p[3] for p in places]), crs=WGS84)
    if box.valid():
        bounds = (box.bottom_left.lon, box.bottom_left.lat, box.top_right.lon, box.top_right.lat)
    else:
        xy = np.array([[e["lon"], e["lat"]] for e in elements if e["type"] == "node"])
        bounds = (*xy.min(axis=0), *xy.max(axis=0)) if len(xy) else (0.0, 0.0, 0.0, 0.0)
    logger.info("%s: %d tagged features, %d buildings, %d residential areas, %d places", path.name,
                len(elements), len(b), len(lu), len(pl))
    return PbfFeatures(elements, b, lu, pl, tuple(float(v) for v in bounds))
