"""``coverage layers import``: a bureau's facility list (CSV/Excel) into a layer set, validated.

Lists from Chinese bureaus carry coordinates picked on web maps: WGS84 (Tianditu, GPS), GCJ-02
(Amap/Gaode, Tencent) or BD-09 (Baidu), 300–700 m apart. ``coord_system="auto"`` converts the points
with each system and keeps the one that puts them best inside the layer set's units (the finest
level) and, when the list has an address column, inside the unit its address names. When two
systems score alike it refuses and asks for ``--coord-system``. Lists without coordinates but with an
address naming a street/district are placed at that unit (approximate, and said so).

Validation (one paragraph, file, rows and fix): coordinates missing or swapped, duplicates, points
outside the city, capacities missing or not numbers. The layer is written as a UTF-8 CSV in WGS84
under ``facilities/`` and added to the manifest atomically, with a ``sources:`` entry.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..._io import write_text_atomic
from ...errors import LayerError
from ...model.coords import COORD_SYSTEMS, COORD_SYSTEMS_ZH, to_wgs84
from ...model.crs import WGS84, utm_crs_for
from ...model.manifest import load_manifest
from ...model.messages import Both, Code, Message
from ...model.readers import require_unique_ids, rows_words
from ...model.reasons import reason_words
from ...model.region import _units
from .manifest_writer import add_facility_layer, source_entry

__all__ = ["CAPACITY", "ImportResult", "detect_coord_system", "import_list", "read_table"]

logger = logging.getLogger(__name__)

_LON = ("lon", "lng", "longitude", "经度", "x", "lon_gcj02", "lng_gcj02", "lon_bd09", "经度(gcj02)")
_LAT = ("lat", "latitude", "纬度", "y", "lat_gcj02", "lat_bd09", "纬度(gcj02)")
_NAME = ("name", "名称", "机构名称", "单位名称", "场所名称", "站点名称", "设施名称")
_ADDRESS = ("address", "地址", "详细地址", "所在地址", "所在街道", "街道", "所属街道", "所在乡镇")
#: role -> (required capacity attribute, its usual column names)
CAPACITY: dict[str, tuple[str, tuple[str, ...]]] = {
    "childcare": ("slots", ("slots", "托位数", "托位", "托位数(个)", "核定托位")),
    "kindergarten": ("pupils", ("pupils", "在园幼儿数", "在园人数", "学位数")),
    "hospital": ("beds", ("beds", "床位数", "编制床位", "实有床位", "床位")),
    "elderly_institution": ("beds", ("beds", "床位数", "床位", "养老床位")),
    "shelter": ("effective_area_m2", ("effective_area_m2", "有效避难面积", "有效面积", "避难面积", "有效避难面积(平方米)")),
    "sports_venue": ("area_m2", ("area_m2", "场地面积", "面积")),
    "culture_facility": ("floor_area_m2", ("floor_area_m2", "建筑面积", "建筑面积(平方米)")),
    "football_pitch": ("pitches", ("pitches", "块数", "球场数")),
}
_OTHER = {"puhui": ("puhui", "是否普惠", "普惠"), "public": ("public", "是否公办", "公办"),
          "nursing_beds": ("nursing_beds", "护理型床位", "护理床位"), "open_year": ("open_year", "建成年份", "开办年份"),
          "status": ("status", "状态", "建设状态"), "physicians": ("physicians", "执业医师", "医师数"),
          "nurses": ("nurses", "注册护士", "护士数"), "shelter_class": ("shelter_class", "场所类型", "类型")}
#: A system must beat the next one by this share of points to be chosen automatically.
AUTO_MARGIN = 0.05
#: Points farther than this outside the city are refused.
OUTSIDE_TOLERANCE_M = 1000.0


@dataclass
class ImportResult:
    """What an import did."""

    path: Path
    rows: int
    coord_system: str
    how: str
    scores: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    role: str = ""

    def lines(self) -> list[Message]:
        """What was imported, then the notes: catalogue sentences (``line.text(lang)`` in either language)."""
        system = Both(COORD_SYSTEMS.get(self.coord_system, self.coord_system),
                      COORD_SYSTEMS_ZH.get(self.coord_system, self.coord_system))
        done = Message("note.import_done", n=self.rows, role=Code(self.role), path=str(self.path), system=system,
                       how=self.how)
        return [done, *(Message("note.fetch_note", text=w) for w in self.warnings)]


def read_table(path: Path) -> pd.DataFrame:
    """A CSV (UTF-8 or GB18030) or Excel sheet as text columns."""
    path = Path(path)
    if not path.is_file():
        raise LayerError(Message("err.list_missing", path=str(path)))
    suffix = path.suffix.lower()
    try:
        if suffix in {".xlsx", ".xlsm", ".xls"}:
            try:
                return pd.read_excel(path, dtype=str).fillna("")
            except ImportError as exc:
                raise LayerError(Message("err.list_openpyxl", path=str(path))) from exc
        for enc in ("utf-8-sig", "gb18030"):
            try:
                return pd.read_csv(path, dtype=str, encoding=enc, keep_default_na=False)
            except UnicodeDecodeError:
                continue
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise LayerError(Message("err.list_unreadable", path=str(path), reason=reason_words(exc))) from exc
    raise LayerError(Message("err.list_encoding", path=str(path)))


def _columns(df: pd.DataFrame) -> str:
    """The list's column names, for messages."""
    return ", ".join(map(str, df.columns))


def _col(df: pd.DataFrame, names: tuple[str, ...], given: str | None = None, *, path: Path, what: str) -> str | None:
    if given:
        if given not in df.columns:
            raise LayerError(Message("err.list_column", path=str(path), what=what, column=given, columns=_columns(df)))
        return given
    low = {str(c).strip().lower(): str(c) for c in df.columns}
    for n in names:
        if n.lower() in low:
            return low[n.lower()]
    return None


def _scores(lon: np.ndarray, lat: np.ndarray, units: gpd.GeoDataFrame, addresses: list[str] | None
            ) -> dict[str, tuple[float, float]]:
    """(share inside the units, share inside the unit their address names) per coordinate system."""
    names = units["name"].astype(str).to_numpy()
    wanted = None
    if addresses is not None:
        wanted = np.array([next((i for i, n in enumerate(names) if n and n in a), -1) for a in addresses])
    tree = shapely.STRtree(units.geometry.values)
    out = {}
    for cs in COORD_SYSTEMS:
        x, y = to_wgs84(lon, lat, cs)
        pi, ui = tree.query(shapely.points(x, y), predicate="within")
        where = np.full(lon.size, -1)
        where[pi] = ui
        inside = float(np.mean(where >= 0)) if lon.size else 0.0
        named = float(np.mean(where[wanted >= 0] == wanted[wanted >= 0])) if wanted is not None and (
            wanted >= 0).any() else float("nan")
        out[cs] = (inside, named)
    return out


def _in_china(lon: np.ndarray, lat: np.ndarray) -> bool:
    """Whether most points lie in China's box (73.5–135.1 °E, 18–53.6 °N), where GCJ-02 / BD-09 lists exist."""
    inside = (lon >= 73.5) & (lon <= 135.1) & (lat >= 18.0) & (lat <= 53.6)
    return bool(inside.mean() > 0.5) if inside.size else True


def detect_coord_system(lon: np.ndarray, lat: np.ndarray, units: gpd.GeoDataFrame,
                        addresses: list[str] | None = None, *, source: str = "the list") -> tuple[str, dict]:
    """Pick WGS84, GCJ-02 or BD-09 for lon/lat points, or refuse when the data cannot tell.

    Parameters
    ----------
    lon, lat
        Coordinates as given.
    units
        Unit polygons (WGS84) with a ``name`` column (the finest level of the layer set).
    addresses
        Address text per point, matched to unit names (optional but decisive).

    Returns
    -------
    (system, scores)

    Raises
    ------
    LayerError
        When the best system does not beat the next by :data:`AUTO_MARGIN`.
    """
    sc = _scores(lon, lat, units, addresses)
    use_named = all(np.isfinite(v[1]) for v in sc.values())
    key = {cs: (v[1] if use_named else v[0]) for cs, v in sc.items()}
    order = sorted(key, key=lambda c: key[c], reverse=True)
    best, second = order[0], order[1]
    if key[best] - key[second] < AUTO_MARGIN or key[best] == 0:
        scores = [Message("err.coord_score_named" if use_named else "err.coord_score", system=cs, inside=f"{v[0]:.0%}",
                          named=f"{v[1]:.0%}") for cs, v in sc.items()]
        table = Both(", ".join(scores), "、".join(m.text("zh") for m in scores))
        raise LayerError(Message("err.coord_system_undecided", source=source, table=table))
    return best, {cs: {"inside": v[0], "in_named_unit": v[1]} for cs, v in sc.items()}


@dataclass(frozen=True)
class _Placed:
    """Where the rows of a list stand (WGS84) and how their coordinate system was decided."""

    x: np.ndarray
    y: np.ndarray
    coord_system: str
    how: str
    scores: dict[str, Any]
    warnings: list[str]


# one keyword per option of `coverage layers import`; the public API keeps them flat, as the CLI does
def import_list(path: str | Path, *, role: str, layers: str | Path, coord_system: str = "auto",  # noqa: PLR0913
                lon_col: str | None = None, lat_col: str | None = None, address_col: str | None = None,
                fields: dict[str, str] | None = None, licence: str = "internal (bureau list)",
                allow_duplicates: bool = False) -> ImportResult:
    """Validate a facility list and add it to the layer set at ``layers`` as facility role ``role``.

    Parameters
    ----------
    path
        CSV or Excel list.
    role
        Facility role (childcare, shelter, ...; docs/ARCHITECTURE.md).
    layers
        Layer-set folder.
    coord_system
        ``auto``, ``wgs84``, ``gcj02`` or ``bd09``.
    lon_col, lat_col, address_col
        Column names when they are not found automatically.
    fields
        Standard attribute -> column (e.g. ``{"slots": "托位数"}``), added to the automatic matches.
    licence
        Terms of the list, recorded in ``sources:``.
    allow_duplicates
        Keep repeated rows (otherwise refused).
    """
    path, layers = Path(path), Path(layers)
    spec = load_manifest(layers)
    df = read_table(path)
    if df.empty:
        raise LayerError(Message("err.list_empty", path=str(path)))
    for idc in ("id", "facility_id"):
        if idc in df.columns:
            require_unique_ids(df[idc], role=role, where=str(path))
    level = list(spec.units)[-1]
    units, _ = _units(spec.units[level], level, None)
    units = units.to_crs(WGS84)
    namec = _col(df, _NAME, None, path=path, what="name")
    placed = _place(df, path, units, level, coord_system=coord_system, lon_col=lon_col, lat_col=lat_col,
                    address_col=address_col)
    x, y, coord_system, how = placed.x, placed.y, placed.coord_system, placed.how
    _check_inside(path, x, y, units, coord_system)
    _check_duplicates(df, path, x, y, namec, allow_duplicates=allow_duplicates)
    mapping = _field_mapping(df, path, role, fields)
    table = df.copy()
    table["lon_wgs84"] = np.round(x, 7)
    table["lat_wgs84"] = np.round(y, 7)
    if namec and "name" not in mapping:
        mapping["name"] = namec
    rel = f"facilities/{role}.csv"
    write_text_atomic(layers / rel, table.to_csv(index=False))
    entry = {"path": rel, "lon": "lon_wgs84", "lat": "lat_wgs84", "crs": "EPSG:4326",
             "fields": {k: v for k, v in mapping.items() if v != k}}
    note = [Message("note.src_import", system=Both(COORD_SYSTEMS[coord_system], COORD_SYSTEMS_ZH[coord_system]),
                    how=how), *placed.warnings]
    add_facility_layer(layers, role, entry, source_entry(f"{role} list {path.name}", licence=licence,
                                                         path=str(path), note=note, rows=len(df)))
    return ImportResult(layers / rel, len(df), coord_system, how, placed.scores, placed.warnings, role=role)


def _place(df: pd.DataFrame, path: Path, units: gpd.GeoDataFrame, level: str, *, coord_system: str,
           lon_col: str | None, lat_col: str | None, address_col: str | None) -> _Placed:
    """The rows' WGS84 positions: from their lon/lat columns, else inside the unit their address names."""
    lonc = _col(df, _LON, lon_col, path=path, what="longitude")
    latc = _col(df, _LAT, lat_col, path=path, what="latitude")
    addrc = _col(df, _ADDRESS, address_col, path=path, what="address")
    if lonc and latc:
        return _from_lonlat(df, path, units, lonc=lonc, latc=latc, addrc=addrc, coord_system=coord_system)
    if addrc:
        names = units["name"].astype(str).to_numpy()
        hit = np.array([next((i for i, n in enumerate(names) if n and n in str(a)), -1) for a in df[addrc]])
        miss = np.flatnonzero(hit < 0)
        if miss.size:
            raise LayerError(Message("err.list_address", path=str(path), column=addrc, level=Code(level),
                                     rows=rows_words(miss), example=repr(df[addrc].iloc[miss[0]])))
        pts = units.geometry.representative_point().to_numpy()[hit]
        return _Placed(shapely.get_x(pts), shapely.get_y(pts), "wgs84",
                       Message("note.import_by_address", level=Code(level)), {},
                       [Message("note.import_no_coordinates", level=Code(level))])
    raise LayerError(Message("err.list_no_position", path=str(path), names=", ".join(_LON[:5]), columns=_columns(df)))

def _from_lonlat(df: pd.DataFrame, path: Path, units: gpd.GeoDataFrame, *, lonc: str, latc: str, addrc: str | None,
                 coord_system: str) -> _Placed:
    """Positions from lon/lat columns, their coordinate system given or detected, converted to WGS84."""
    lon = pd.to_numeric(df[lonc].str.strip(), errors="coerce").to_numpy(float)
    lat = pd.to_numeric(df[latc].str.strip(), errors="coerce").to_numpy(float)
    bad = np.flatnonzero(~np.isfinite(lon) | ~np.isfinite(lat))
    if bad.size:
        raise LayerError(Message("err.list_bad_coordinates", path=str(path), lon=lonc, lat=latc, rows=rows_words(bad)))
    west, south, east, north = units.total_bounds
    swapped = (lat >= west - 1) & (lat <= east + 1) & (lon >= south - 1) & (lon <= north + 1)
    if swapped.mean() > 0.5:
        raise LayerError(Message("err.list_swapped", path=str(path), rows=rows_words(np.flatnonzero(swapped)),
                                 lon=lon[swapped][0], lat=lat[swapped][0], lon_col=lonc, lat_col=latc))
    scores: dict[str, Any] = {}
    if coord_system == "auto" and not _in_china(lon, lat):
        coord_system, how = "wgs84", Message("note.import_outside_china")
    elif coord_system == "auto":
        addresses = df[addrc].astype(str).tolist() if addrc else None
        coord_system, scores = detect_coord_system(lon, lat, units, addresses, source=str(path))
        how = Message("note.import_detected_address" if addrc else "note.import_detected_inside")
    elif coord_system not in COORD_SYSTEMS:
        raise LayerError(Message("err.list_coord_system", value=coord_system, valid=", ".join(COORD_SYSTEMS)))
    else:
        how = Message("note.import_given")
    x, y = to_wgs84(lon, lat, coord_system)
    return _Placed(x, y, coord_system, how, scores, [])


def _check_inside(path: Path, x: np.ndarray, y: np.ndarray, units: gpd.GeoDataFrame, coord_system: str) -> None:
    """Refuse points more than the tolerance outside the city's units."""
    utm = utm_crs_for(float(np.mean(x)), float(np.mean(y)))
    terr = gpd.GeoSeries([shapely.union_all(units.geometry.values)], crs=WGS84).to_crs(utm).iloc[0]
    pts_m = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=WGS84).to_crs(utm)
    dist = shapely.distance(pts_m.values, terr)
    out = np.flatnonzero(dist > OUTSIDE_TOLERANCE_M)
    if out.size:
        raise LayerError(Message("err.list_outside", path=str(path), n=int(out.size), m=f"{OUTSIDE_TOLERANCE_M:.0f}",
                                 rows=rows_words(out), lon=f"{x[out[0]]:.5f}", lat=f"{y[out[0]]:.5f}",
                                 system=coord_system))


def _check_duplicates(df: pd.DataFrame, path: Path, x: np.ndarray, y: np.ndarray, namec: str | None, *,
                      allow_duplicates: bool) -> None:
    """Refuse rows repeating an earlier row's name and place (unless allowed)."""
    key = pd.DataFrame({"n": df[namec].astype(str) if namec else "", "x": np.round(x, 4), "y": np.round(y, 4)})
    dup = np.flatnonzero(key.duplicated(keep="first").to_numpy())
    if dup.size and not allow_duplicates:
        raise LayerError(Message("err.list_duplicates", path=str(path), n=int(dup.size), rows=rows_words(dup),
                                 example=repr(key["n"].iloc[dup[0]])))


def _field_mapping(df: pd.DataFrame, path: Path, role: str, fields: dict[str, str] | None) -> dict[str, str]:
    """Standard attribute -> column: the given ones, then automatic matches; the role's capacity checked."""
    mapping = dict(fields or {})
    needed = CAPACITY.get(role)
    candidates = {**_OTHER, **({needed[0]: needed[1]} if needed else {})}
    for std, names in candidates.items():
        if std not in mapping:
            c = _col(df, names, None, path=path, what=std)
            if c:
                mapping[std] = c
    for std, c in mapping.items():
        if c not in df.columns:
            raise LayerError(Message("err.list_field", path=str(path), std=std, column=c, columns=_columns(df)))
    if needed:
        std = needed[0]
        if std not in mapping:
            raise LayerError(Message("err.list_capacity_missing", path=str(path), role=role, std=std,
                                     names=", ".join(needed[1]), columns=_columns(df)))
        vals = pd.to_numeric(df[mapping[std]].astype(str).str.strip(), errors="coerce").to_numpy(float)
        bad = np.flatnonzero(~np.isfinite(vals) | (vals < 0))
        if bad.size:
            raise LayerError(Message("err.list_capacity_bad", path=str(path), std=std, column=mapping[std],
                                     rows=rows_words(bad), example=repr(df[mapping[std]].iloc[bad[0]])))
    return mapping
