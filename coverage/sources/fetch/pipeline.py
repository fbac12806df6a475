"""``coverage fetch``: boundaries + population + OSM facilities + walking network -> a layer set.

Each step either uses a local file the planner passed, or downloads (unless ``offline``), or fails
with a message saying what it needs and where to get it by hand. Boundaries and population are
required; facilities and the network are optional (without a network, walking targets fall back to
straight-line distance and say so). The layer set is written atomically: a failed fetch leaves
nothing half-written.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from ..._io import atomic_path
from ...errors import CoverageError, LayerError
from ...model.crs import WGS84
from ...model.messages import Both, Message
from ...model.population import GROUP_LABELS
from ...model.words import pad_cells, words
from .boundaries import (
    Districts,
    find_districts,
    read_boundary_file,
    shared_data_dir,
    street_class,
    voronoi_units,
)
from .facilities import load_mapping
from .manifest_writer import source_entry, write_manifest
from .osm import (
    OSM_LICENCE,
    OVERPASS_URL,
    download_facilities,
    download_network,
    facilities_from_file,
    network_from_file,
    points_inside,
)
from .worldpop import clip_raster, fetch_worldpop

__all__ = ["FetchOptions", "FetchReport", "fetch_layer_set", "write_facility_layers"]

logger = logging.getLogger(__name__)


@dataclass
class FetchOptions:
    """What ``coverage fetch`` was asked to do."""

    out: Path
    region: str | None = None
    boundary: Path | None = None
    boundary_coord_system: str = "wgs84"
    streets: Path | None = None
    osm_file: Path | None = None
    osm_facilities: Path | None = None
    population_tif: Path | None = None
    age_tifs: dict[str, Path] = field(default_factory=dict)
    offline: bool = False
    cache_dir: Path = Path.home() / ".cache" / "coverage-planner" / "downloads"
    timeout_s: float = 15.0
    retries: int = 3
    overpass_url: str = OVERPASS_URL


@dataclass
class FetchReport:
    """What was fetched: lines for the planner, facility counts, and the steps that failed."""

    out: Path
    lines: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def _download_kw(opt: FetchOptions) -> dict[str, Any]:
    return {"timeout_s": opt.timeout_s, "retries": opt.retries}


def _population(opt: FetchOptions, d: Districts, tmp: Path, rep: FetchReport) -> tuple[dict[str, Any], list]:
    folder = tmp / "population"
    if opt.population_tif is not None:
        paths = {"total": clip_raster(opt.population_tif, d.outline, folder / "total.tif")}
        for group, p in opt.age_tifs.items():
            paths[group] = clip_raster(p, d.outline, folder / f"{group}.tif")
        sources = [source_entry(f"Population raster {opt.population_tif.name}", licence="as supplied",
                                path=str(opt.population_tif))]
    elif opt.offline:
        shared = shared_data_dir()
        hint = (Message("err.fetch_offline_population_shared", shared=str(shared), out=str(opt.out))
                if shared is not None and d.city_code == "410100" else "")
        raise LayerError(Message("err.fetch_offline_population", hint=hint))
    else:
        paths, sources = fetch_worldpop(d.outline, folder, opt.cache_dir, **_download_kw(opt))
    words_of = [GROUP_LABELS.get(g, (g, g)) for g in paths]
    rep.lines.append(Message("note.fetch_population", groups=Both(", ".join(en for _, en in words_of),
                                                                  "、".join(zh for zh, _ in words_of))))
    entry: dict[str, Any] = {"kind": "raster", "path": "population/total.tif"}
    groups = {g: f"population/{g}.tif" for g in paths if g != "total"}
    if groups:
        entry["groups"] = groups
    return entry, sources


def _facility_tables(opt: FetchOptions, d: Districts, tmp: Path, rep: FetchReport
                     ) -> tuple[dict[str, pd.DataFrame], list[dict[str, Any]]]:
    local = opt.osm_facilities or opt.osm_file
    if local is not None:
        tables = facilities_from_file(Path(local))
        src = source_entry(f"OpenStreetMap features from {Path(local).name}", licence=OSM_LICENCE, path=str(local))
    elif opt.offline:
        rep.skipped.append(Message("note.fetch_skip_facilities"))
        return {}, []
    else:
        res = download_facilities(d.outline.bounds, opt.cache_dir / f"overpass_facilities_{d.city_code or 'x'}.json",
                                  url=opt.overpass_url, reuse=False, **_download_kw(opt))
        tables = facilities_from_file(res.path)
        src = source_entry("OpenStreetMap features via the Overpass API", licence=OSM_LICENCE, url=opt.overpass_url,
                           sha256=res.sha256)
    return {r: points_inside(t, d.outline) for r, t in tables.items()}, [src]


def _streets(opt: FetchOptions, d: Districts, offices: pd.DataFrame | None, rep: FetchReport
             ) -> tuple[gpd.GeoDataFrame | None, str]:
    if opt.streets is not None:
        s = read_boundary_file(opt.streets).gdf
        s["class"] = [street_class(c, n) for c, n in zip(s["code"], s["name"], strict=True)]
        note: str = Message("note.fetch_streets_file", file=opt.streets.name)
    elif offices is not None and len(offices):
        pts = gpd.GeoDataFrame(offices, geometry=gpd.points_from_xy(offices["lon"], offices["lat"]), crs=WGS84)
        s = voronoi_units(pts, d.gdf)
        note = Message("note.fetch_streets_voronoi", n=len(pts))
    else:
        rep.skipped.append(Message("note.fetch_skip_streets"))
        return None, ""
    utm = s.estimate_utm_crs()
    if "district_code" not in s.columns:
        su, du = s.to_crs(utm), d.gdf.to_crs(utm)
        si, di = du.sindex.query(su.geometry.values, predicate="intersects")
        area = shapely.area(shapely.intersection(su.geometry.values[si], du.geometry.values[di]))
        best = pd.DataFrame({"s": si, "d": di, "a": area}).sort_values("a").groupby("s")["d"].last()
        s["district_code"] = d.gdf["code"].to_numpy()[best.reindex(range(len(s))).fillna(0).astype(int).to_numpy()]
    rep.lines.append(Message("note.fetch_streets_line", n=len(s), note=note))
    return s.to_crs(WGS84), note


def _joined(parts: list[Message]) -> str:
    """Sentences shown one after the other, each still a catalogue sentence (its data kept apart)."""
    out: str = ""
    for part in parts:
        out = Message("note.fetch_then", a=out, b=part) if out else part
    return out


def note_for_manifest(note: str) -> str | dict[str, str]:
    """A note as the manifest stores it: ``{zh: ..., en: ...}`` for a catalogue sentence, else as it is."""
    return {"zh": note.text("zh"), "en": str(note)} if isinstance(note, Message) else note


def _shell(path: Path) -> str:
    """A path as a shell word (quoted only when needed)."""
    import shlex

    return shlex.quote(str(path))


def write_facility_layers(tables: dict[str, pd.DataFrame], tmp: Path, rep: FetchReport, *, out: Path | None = None,
                          chinese: bool = True) -> dict[str, Any]:
    """Write each role's OSM table as a CSV; return the manifest entries of the roles usable as they are.

    Roles whose targets need attributes OSM does not carry are written but left out of the manifest
    (the report says how to complete and import them, with a command that works when pasted where the
    planner ran ``coverage fetch``: paths as they gave ``--out``).

    Parameters
    ----------
    tables
        Per role, the OSM features.
    tmp
        The folder being written (renamed to ``out`` when complete).
    rep
        The report to add lines to.
    out
        The layer set's folder as the planner named it (default: ``rep.out``).
    chinese
        Whether the data is of a Chinese city (then the report says OSM is thin there).
    """
    facilities: dict[str, Any] = {}
    out = Path(rep.out if out is None else out)
    if tables:
        (tmp / "facilities").mkdir()
        rep.lines.append(Message("note.fetch_facilities_china" if chinese else "note.fetch_facilities"))
    for role in load_mapping():
        t = tables.get(role.role)
        if t is None:
            continue
        status: list[Message] = []
        area_cols = [std for std, spec in role.attributes.items() if spec.get("tag") == "_area_m2"]
        if area_cols and len(t):  # attributes from polygon areas: features without an area cannot count
            keep = t.reindex(columns=area_cols).notna().all(axis=1)
            if not keep.all():
                status.append(Message("note.fetch_no_area", n=int((~keep).sum())))
            t = t[keep].reset_index(drop=True)
        n = len(t)
        rep.counts[role.role] = n
        if n:
            rel = f"facilities/osm_{role.role}.csv"
            t.to_csv(tmp / rel, index=False, encoding="utf-8")
            if role.units_only:
                status.append(Message("note.fetch_units_only"))
            elif role.needs:
                status.append(Message(
                    "note.fetch_not_in_manifest", path=rel, needs=Both(", ".join(words(x) for x in role.needs),
                                                                       "、".join(words(x, "zh") for x in role.needs)),
                    command=f"coverage layers import {_shell(out / rel)} --role {role.role} --layers {_shell(out)}"))
            else:
                facilities[role.role] = {"path": rel, "lon": "lon", "lat": "lat", "crs": "EPSG:4326",
                                         "fields": {"id": "osm_id"}}
                status.append(Message("note.fetch_in_manifest"))
        rep.lines.append(Message("note.fetch_role_row", role=Both(pad_cells(words(role.role), _ROLE_CELLS),
                                                                pad_cells(words(role.role, "zh"), _ROLE_CELLS)),
                                 n=f"{n:6d}",
                                 status=_joined(status),
                                 note=Message("note.fetch_role_note", note=role.note) if role.note and n else ""))
    return facilities


#: Terminal columns of the role name in the rows of found facilities (CJK characters count two).
_ROLE_CELLS = 22


def fetch_layer_set(opt: FetchOptions) -> FetchReport:
    """Build a layer set for a city from local files and/or downloads (see module docstring).

    Raises
    ------
    CoverageError
        A required step (boundaries, population) failed; the message says what to supply.
    """
    rep = FetchReport(Path(opt.out))
    d = find_districts(opt.region, boundary=opt.boundary, boundary_coord_system=opt.boundary_coord_system,
                       cache_dir=opt.cache_dir, allow_download=not opt.offline, **_download_kw(opt))
    rep.lines.append(Message("note.fetch_districts_line", n=len(d.gdf), city=d.city_name, source=d.sources[0]["name"]))
    notes: list[str] = list(d.notes)
    sources = list(d.sources)
    with atomic_path(opt.out) as tmp:
        tmp.mkdir(parents=True)
        pop_entry, pop_sources = _population(opt, d, tmp, rep)
        sources += pop_sources
        try:
            tables, fac_sources = _facility_tables(opt, d, tmp, rep)
        except CoverageError as exc:
            rep.skipped.append(Message("note.fetch_skip_facilities_error", error=exc.message))
            tables, fac_sources = {}, []
        sources += fac_sources
        streets, street_note = _streets(opt, d, tables.get("street_office"), rep)
        if street_note:
            notes.append(street_note)
        units: dict[str, Any] = {"district": {"path": "units.gpkg", "layer": "district",
                                              "fields": {"id": "code", "name": "name", "class": "class"}}}
        d.gdf.to_file(tmp / "units.gpkg", layer="district", driver="GPKG")
        if streets is not None:
            streets.to_file(tmp / "units.gpkg", layer="street", driver="GPKG")
            units["street"] = {"path": "units.gpkg", "layer": "street", "fields": {
                "id": "code", "name": "name", "class": "class", "parent": "district_code"}}
        facilities = write_facility_layers(tables, tmp, rep)
        networks: dict[str, Any] = {}
        try:
            if opt.osm_file is not None:
                net = network_from_file(opt.osm_file, tmp / "network", d.outline)
                sources.append(source_entry(f"OpenStreetMap extract {opt.osm_file.name}", licence=OSM_LICENCE,
                                            path=str(opt.osm_file)))
            elif opt.offline:
                raise LayerError(Message("err.fetch_offline_network"))
            else:
                res = download_network(d.outline.bounds, opt.cache_dir / f"overpass_highways_{d.city_code or 'x'}.osm",
                                       url=opt.overpass_url, reuse=False, **_download_kw(opt))
                net = tmp / "network" / "walk.osm"
                net.parent.mkdir(exist_ok=True)
                shutil.copyfile(res.path, net)
                sources.append(source_entry("OpenStreetMap streets via the Overpass API", licence=OSM_LICENCE,
                                            url=opt.overpass_url, sha256=res.sha256))
            networks["walk"] = {"path": str(net.relative_to(tmp))}
            rep.lines.append(Message("note.fetch_network_line", path=str(net.relative_to(tmp))))
        except CoverageError as exc:
            rep.skipped.append(Message("note.fetch_skip_network", error=exc.message))
        doc: dict[str, Any] = {
            "name": f"{d.city_name} (fetched)", "synthetic": False, "city_code": d.city_code,
            "description": " ".join(notes) or "Fetched with coverage fetch.", "notes": [note_for_manifest(n) for n in notes],
            "sources": sources,
            "population": pop_entry, "units": units, "facilities": facilities, "networks": networks,
        }
        write_manifest(tmp, doc)
    rep.lines.insert(0, Message("note.fetch_written", path=str(opt.out)))
    rep.lines += [Message("note.fetch_skipped", text=s) for s in rep.skipped]
    return rep
