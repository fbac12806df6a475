"""Reading layers: GeoPackage, GeoJSON, Shapefile, CSV with lon/lat; coordinate systems; validation.

Every problem becomes a one-paragraph ``LayerError`` naming the file, the feature/row and the fix.
Layers come back in WGS84 (after GCJ-02/BD-09 conversion) or in their own projected CRS; the
region reprojects them to the working CRS.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from pyproj import CRS

from ..errors import LayerError, LayerNotFoundError
from .coords import COORD_SYSTEMS, COORD_SYSTEMS_ZH, transform_geometries_to_wgs84
from .crs import WGS84
from .manifest import LayerSource
from .messages import Both, Message
from .reasons import reason_words

__all__ = ["blank_ids", "coerce_bool", "numbers_or_nan", "read_layer", "release_unused_memory", "require_numeric",
           "require_unique_ids", "rows_preview"]

logger = logging.getLogger(__name__)

_LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度", "lon_wgs84", "lng_wgs84")
_LAT_NAMES = ("lat", "latitude", "y", "纬度", "lat_wgs84")
#: Most features a layer may hold (5 million facilities is far more than any city has; beyond it the
#: file is almost surely not a facility list). Checked before the features are read where possible.
MAX_FEATURES = 5_000_000

_TRUE = {"true", "1", "yes", "y", "t", "是", "有", "普惠", "公办", "√"}
_FALSE = {"false", "0", "no", "n", "f", "否", "无", "", "nan", "none"}


def rows_preview(rows: Iterable[int], *, limit: int = 5) -> str:
    """'rows 3, 7, 12 and 4 more' (1-based row numbers as a planner counts them)."""
    rows = [int(r) + 1 for r in rows]
    head = ", ".join(str(r) for r in rows[:limit])
    more = f" and {len(rows) - limit} more" if len(rows) > limit else ""
    return f"row{'s' if len(rows) > 1 else ''} {head}{more}"


def _on_layer(role: str, key: str, /, **params: object) -> Message:
    """``Layer 'role': ...`` (the sentence ``key``)."""
    return Message("err.on_layer", role=role, text=Message(key, **params))


def rows_words(rows: Iterable[int], *, limit: int = 5) -> Both:
    """:func:`rows_preview` in both languages: 'rows 3, 7, 12 and 4 more' / '第 3、7、12 行等 7 行'."""
    rows = [int(r) for r in rows]
    head = "、".join(str(r + 1) for r in rows[:limit])
    return Both(rows_preview(rows, limit=limit), f"第 {head} 行" + (f"等 {len(rows)} 行" if len(rows) > limit else ""))


#: CSVs larger than this are read with only the columns a run needs (when the run says which).
LARGE_CSV_BYTES = 64 * 1024 * 1024
#: Rows per chunk when a large CSV is read.
LEAN_CHUNK_ROWS = 250_000
#: Columns always kept: identity, status and the attributes read by name by the engines.
STANDARD_COLUMNS = frozenset({"id", "facility_id", "name", "status", "open_year", "level", "noise_um", "type"})


def csv_columns_to_read(src: LayerSource, header: list[str], wanted: Iterable[str] | None) -> list[str] | None:
    """The columns of a large CSV a run needs (None: all of them).

    Kept: the coordinates, every column the manifest maps in ``fields:``, the standard columns and the
    ``wanted`` ones (standard names a scenario's targets read, e.g. ``slots``, ``puhui``).
    """
    if wanted is None:
        return None
    keep = set(STANDARD_COLUMNS) | set(wanted) | set(src.fields.values())
    keep |= {src.fields[w] for w in wanted if w in src.fields}
    keep |= {c for c in (src.lon, src.lat) if c}
    coord = set(_LON_NAMES) | set(_LAT_NAMES)
    return [c for c in header if c in keep or str(c).lower() in coord]


def _read_csv_lean(path: Path, *, encoding: str, usecols: list[str] | None) -> pd.DataFrame:
    """A large CSV in chunks, each column of repeated values (yes/no, status, year, capacity) a categorical.

    Same values as a plain ``read_csv(dtype=str)``, but a column of a few distinct values costs one small
    integer code per row (instead of a text entry per row), and only one chunk of fresh strings exists at a time.
    """
    parts = []
    for chunk in pd.read_csv(path, encoding=encoding, dtype=str, keep_default_na=False, usecols=usecols,
                             chunksize=LEAN_CHUNK_ROWS):
        for col in chunk.columns:
            codes, uniques = pd.factorize(chunk[col])
            if uniques.size < len(chunk) // 2:
                chunk[col] = np.asarray(uniques, dtype=object)[codes]
        parts.append(chunk)
    if not parts:
        return pd.DataFrame(columns=usecols or [])
    df = pd.concat(parts, ignore_index=True)
    del parts
    for col in df.columns:
        codes, uniques = pd.factorize(df[col])
        if uniques.size < len(df) // 2:  # text categories: every comparison and conversion reads as before
            df[col] = pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=str))
        else:
            df[col] = _one_chunk(df[col])
    return df


def _one_chunk(text: pd.Series) -> pd.Series:
    """An Arrow text column in one piece (same values and dtype).

    The chunked read leaves a column of many Arrow chunks; taking rows from it (the facilities of a year) first
    joins them into a temporary copy each time: for 2.4 M names some 100 MB more at the peak of a check.
    """
    import pyarrow as pa

    arr = text.array
    if not isinstance(arr, pd.arrays.ArrowStringArray):
        return text
    chunked = pa.array(arr)  # the column's own chunks, not a copy
    if not isinstance(chunked, pa.ChunkedArray) or chunked.num_chunks < 2:
        return text
    joined = type(arr)(pa.chunked_array([chunked.combine_chunks()]), dtype=arr.dtype)  # type: ignore[call-arg]
    return pd.Series(joined, index=text.index,
                     name=text.name)


def release_unused_memory() -> None:
    """Hand memory freed by a large read back to the system (glibc's free lists, Arrow's pool).

    Freed blocks otherwise stay with the allocator that made them: reading a 2.4 M-row CSV leaves some 600 MB
    held by glibc and Arrow's mimalloc pool that later steps, allocating through the other allocator, cannot
    reuse. Only the resident size changes, never a value; a no-op where glibc or pyarrow is absent.
    """
    import ctypes
    import ctypes.util
    import sys

    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()
    name = ctypes.util.find_library("c") if sys.platform.startswith("linux") else None
    if name:
        with contextlib.suppress(OSError, AttributeError):  # not glibc (musl has no malloc_trim)
            ctypes.CDLL(name).malloc_trim(0)


def _read_csv(src: LayerSource, wanted: Iterable[str] | None = None) -> pd.DataFrame:
    big = wanted is not None and src.path.stat().st_size > LARGE_CSV_BYTES
    for enc in ("utf-8-sig", "gb18030"):
        try:
            usecols = None
            if big:
                header = list(pd.read_csv(src.path, encoding=enc, dtype=str, nrows=0).columns)
                usecols = csv_columns_to_read(src, header, wanted)
                logger.info("%s: large CSV, reading %d of %d columns (%s)", src.path.name, len(usecols or header),
                            len(header), ", ".join(map(str, usecols or header)))
            if not big:
                return pd.read_csv(src.path, encoding=enc, dtype=str, keep_default_na=False)
            return _read_csv_lean(src.path, encoding=enc, usecols=usecols)
        except UnicodeDecodeError:
            continue
        except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise LayerError(_on_layer(src.role, "err.csv_unreadable", where=src.where(), reason=reason_words(exc))) from exc
    raise LayerError(_on_layer(src.role, "err.csv_encoding", where=src.where()))


def _find_column(df: pd.DataFrame, given: str | None, names: tuple[str, ...], src: LayerSource, what: str) -> str:
    if given:
        if given not in df.columns:
            raise LayerError(_on_layer(src.role, "err.column_named_missing", what=what, column=given, where=src.where(),
                                       columns=", ".join(map(str, df.columns))))
        return given
    lower = {str(c).lower(): c for c in df.columns}
    for n in names:
        if n in lower:
            return str(lower[n])
    raise LayerError(_on_layer(src.role, "err.column_not_found", what=what, where=src.where(), names=", ".join(names),
                               columns=", ".join(map(str, df.columns))))


def _csv_to_gdf(src: LayerSource, wanted: Iterable[str] | None = None) -> gpd.GeoDataFrame:
    df = _read_csv(src, wanted)
    lon_col = _find_column(df, src.lon, _LON_NAMES, src, "lon")
    lat_col = _find_column(df, src.lat, _LAT_NAMES, src, "lat")
    lon = pd.to_numeric(df[lon_col].str.strip(), errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(df[lat_col].str.strip(), errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(lon) | ~np.isfinite(lat))
    if bad.size:
        raise LayerError(_on_layer(src.role, "err.bad_coordinates", where=src.where(), lon=lon_col, lat=lat_col,
                                   rows=rows_words(bad)))
    crs = src.crs or "EPSG:4326"
    if wanted is not None and src.path.stat().st_size > LARGE_CSV_BYTES:
        df = df.drop(columns=[lon_col, lat_col])  # the geometry holds them; their text would double the memory
        release_unused_memory()  # the chunks' text, before millions of points are made
    return gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(lon, lat), crs=crs)


def _too_many(src: LayerSource, n: int) -> LayerError:
    return LayerError(_on_layer(src.role, "err.too_many_features", where=src.where(), n=f"{n:,}",
                                limit=f"{MAX_FEATURES:,}"))


#: Uncompressed vector formats whose every feature takes at least :data:`MIN_BYTES_PER_FEATURE` bytes of the
#: file (a GeoPackage row: cell pointer, record header, rowid; a shapefile record header; a GeoJSON object).
PLAIN_VECTOR_SUFFIXES = frozenset({".gpkg", ".shp", ".geojson", ".json", ".fgb"})
MIN_BYTES_PER_FEATURE = 8


def _may_exceed_limit(path: Path) -> bool:
    """Whether the file could hold more than :data:`MAX_FEATURES` features (then its count is asked first).

    A smaller plain file cannot, and opening each layer a second time for its count costs more than reading
    it: such a file is read at once and its length checked after (a compressed or unknown format is counted).
    """
    if path.suffix.lower() not in PLAIN_VECTOR_SUFFIXES or not path.is_file():
        return True
    return path.stat().st_size > MAX_FEATURES * MIN_BYTES_PER_FEATURE


def _feature_count(src: LayerSource) -> int:
    """Features the layer declares (-1 when its driver cannot count them or the file cannot be read)."""
    import pyogrio

    try:
        declared = int(pyogrio.read_info(src.path, layer=src.layer).get("features", -1))
    except Exception:  # noqa: BLE001 - unreadable files get their message from read_dataframe
        declared = -1
    return declared


def _read_any(src: LayerSource, wanted: Iterable[str] | None = None) -> gpd.GeoDataFrame:
    if not src.path.exists():
        raise LayerNotFoundError(_on_layer(src.role, "err.layer_file_missing", path=str(src.path),
                                           at=f"{src.manifest}:{src.line}"))
    if src.path.suffix.lower() in {".csv", ".txt"}:
        gdf = _csv_to_gdf(src, wanted)
        if len(gdf) > MAX_FEATURES:
            raise _too_many(src, len(gdf))
        return gdf
    import pyogrio

    if _may_exceed_limit(src.path):
        declared = _feature_count(src)
        if declared > MAX_FEATURES:
            raise _too_many(src, declared)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gdf = pyogrio.read_dataframe(src.path, layer=src.layer)
    except Exception as exc:  # pyogrio raises several DataSourceError / DataLayerError types
        layers = ""
        try:
            layers = ", ".join(str(name) for name in pyogrio.list_layers(src.path)[:, 0])
        except Exception:  # noqa: BLE001 - only used to enrich the message
            layers = ""
        hint = Message("err.layers_in_file", layers=layers) if layers else ""
        raise LayerError(_on_layer(src.role, "err.layer_unreadable", where=src.where(), reason=reason_words(exc),
                                   hint=hint)) from exc
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise LayerError(_on_layer(src.role, "err.layer_no_geometry", where=src.where()))
    if len(gdf) > MAX_FEATURES:
        raise _too_many(src, len(gdf))
    if src.crs:
        gdf = gdf.set_crs(src.crs, allow_override=True)
    return gdf


def read_layer(src: LayerSource, *, geom_types: set[str] | None = None, wanted: Iterable[str] | None = None
               ) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read a layer, validate it and bring lon/lat coordinate systems to WGS84.

    Parameters
    ----------
    src
        The manifest entry.
    geom_types
        Allowed base geometry types, e.g. ``{"Polygon"}`` (multi-part variants are accepted too).
    wanted
        Standard column names the run reads; a large CSV is then read with only those it needs (see
        :func:`csv_columns_to_read`). None reads every column.

    Returns
    -------
    (GeoDataFrame, notes)
        The layer (standard field names applied) and sentences about repairs made.
    """
    gdf = _read_any(src, wanted)
    notes: list[str] = []
    if len(gdf) == 0:
        raise LayerError(_on_layer(src.role, "err.layer_empty", where=src.where()))
    if gdf.crs is None:
        raise LayerError(_on_layer(src.role, "err.layer_no_crs", where=src.where()))
    rename = {source: std for std, source in src.fields.items() if source in gdf.columns and source != std}
    missing = [f"{std} -> {source!r}" for std, source in src.fields.items()
               if source not in gdf.columns and std not in gdf.columns]
    if missing:
        raise LayerError(_on_layer(src.role, "err.fields_missing", where=src.where(), missing="; ".join(missing),
                                   columns=", ".join(map(str, gdf.columns.drop("geometry")))))
    gdf = gdf.rename(columns=rename)
    geoms = gdf.geometry.values
    null = np.flatnonzero(shapely.is_missing(np.asarray(geoms)) | shapely.is_empty(np.asarray(geoms)))
    if null.size:
        raise LayerError(_on_layer(src.role, "err.null_geometry", where=src.where(), rows=rows_words(null)))
    if geom_types:
        types = set(gdf.geom_type.str.replace("Multi", "", regex=False))
        if not types <= geom_types:
            raise LayerError(_on_layer(src.role, "err.geometry_types", where=src.where(), types=", ".join(sorted(types)),
                                       expected=", ".join(sorted(geom_types))))
    invalid = np.flatnonzero(~shapely.is_valid(np.asarray(geoms)))
    if invalid.size:
        repaired = shapely.make_valid(np.asarray(geoms)[invalid])
        if geom_types and "Polygon" in geom_types:
            repaired = np.array([_polygonal(g) for g in repaired], dtype=object)
        gdf.loc[gdf.index[invalid], "geometry"] = repaired
        notes.append(Message("note.invalid_geometries", n=len(invalid), layer=src.role, rows=rows_words(invalid)))
        logger.warning(notes[-1])
    if src.coord_system != "wgs84":
        crs = CRS.from_user_input(gdf.crs)
        if not crs.is_geographic:
            raise LayerError(_on_layer(src.role, "err.coord_system_projected", system=src.coord_system,
                                       system_name=Both(COORD_SYSTEMS[src.coord_system],
                                                        COORD_SYSTEMS_ZH.get(src.coord_system, COORD_SYSTEMS[src.coord_system])),
                                       where=src.where(), crs=crs.name))
        gdf = gdf.to_crs(WGS84)
        gdf = gdf.set_geometry(transform_geometries_to_wgs84(gdf.geometry.values, src.coord_system), crs=WGS84)
        notes.append(Message("say.layer_converted", layer=src.role,
                             system=Both(COORD_SYSTEMS[src.coord_system], COORD_SYSTEMS_ZH[src.coord_system])))
    return gdf, notes


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    if geom.geom_type in {"Polygon", "MultiPolygon"}:
        return geom
    parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in {"Polygon", "MultiPolygon"}]
    return shapely.union_all(parts) if parts else geom


def coerce_bool(values: pd.Series) -> np.ndarray:
    """Read yes/no columns written as true/false, 1/0, 是/否 ... as booleans (unknown text -> False)."""
    if values.dtype == bool:
        return values.to_numpy()
    if pd.api.types.is_numeric_dtype(values):
        return values.fillna(0).to_numpy() != 0
    return _by_distinct(values, lambda u: u.astype(str).str.strip().str.lower().isin(_TRUE).to_numpy())


def _by_distinct(values: pd.Series, convert: Callable[[pd.Series], np.ndarray]) -> np.ndarray:
    """``convert`` applied to each distinct value once, spread back to every row.

    A text column of a few distinct values (是/否, capacities) over millions of rows then costs one integer
    per row, not one converted string or object per row. Missing values are a distinct value of their own.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return np.asarray(convert(pd.Series(uniques, dtype=values.dtype)))[codes]


def numbers_or_nan(values: pd.Series) -> NDArray[np.float64]:
    """``pd.to_numeric(values, errors="coerce")`` as floats (NaN where not a number), text converted per distinct value.

    Converting an Arrow text column as a whole first makes one Python string per row (some 150 MB for a list of
    2.4 M rows); a capacity or year column holds a few hundred distinct values.
    """
    if pd.api.types.is_numeric_dtype(values):
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    return _by_distinct(values, lambda u: pd.to_numeric(u, errors="coerce").to_numpy(dtype=float))


def require_numeric(gdf: pd.DataFrame, column: str, *, role: str, where: str, purpose: str) -> np.ndarray:
    """Return ``gdf[column]`` as float, or raise a LayerError naming the column, rows and fix.

    Parameters
    ----------
    gdf
        The layer.
    column
        The attribute needed.
    role, where
        Layer role and file description for the message.
    purpose
        What the number is used for ("childcare slots for target childcare-slots-per-1000").
    """
    if column not in gdf.columns:
        cols = ", ".join(str(c) for c in gdf.columns if c != "geometry")
        raise LayerError(Message("err.column_missing", role=role, where=where, column=column, purpose=purpose,
                                 columns=cols))
    raw = gdf[column]
    values = numbers_or_nan(raw)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        sample = ", ".join(repr(raw.iloc[i]) for i in bad[:3])
        raise LayerError(Message("err.column_not_number", role=role, where=where, column=column, purpose=purpose,
                                 rows=rows_words(bad), sample=sample))
    if (values < 0).any():
        neg = np.flatnonzero(values < 0)
        raise LayerError(Message("err.column_negative", role=role, where=where, column=column, purpose=purpose,
                                 rows=rows_words(neg)))
    return values


def blank_ids(ids: pd.Series) -> NDArray[np.bool_]:
    """Which ids are missing: empty, only spaces, or NaN (read from an empty CSV cell)."""
    return _blank(ids, _stripped(ids))


def _blank(ids: pd.Series, stripped: pd.Series) -> NDArray[np.bool_]:
    return ids.isna().to_numpy() | stripped.isin(["", "nan"]).to_numpy()


def _stripped(ids: pd.Series) -> pd.Series:
    """Ids as text without surrounding spaces, kept in pandas (Arrow-backed where pandas stores text so)."""
    return ids.astype(str).str.strip()


def require_unique_ids(ids: pd.Series, *, role: str, where: str) -> None:
    """Refuse a facility layer in which one id appears on several rows (it would be counted twice).

    Parameters
    ----------
    ids
        The layer's ``facility_id`` column, in file order (blank ids are not compared).
    role, where
        Layer role and file description for the message.

    Raises
    ------
    LayerError
        Naming the repeated ids, the rows holding each (1-based data rows) and the fix.
    """
    values = _stripped(ids)
    blank = _blank(ids, values)
    repeated = values.duplicated(keep=False).to_numpy() & ~blank
    if not repeated.any():
        return
    rows_of: dict[str, list[int]] = {}
    for i in np.flatnonzero(repeated):
        rows_of.setdefault(str(values.iloc[i]), []).append(int(i))
    shown = Both("; ".join(f"{fid!r} at {rows_words(rows).en}" for fid, rows in list(rows_of.items())[:5]),
                 ";".join(f"{fid!r} 在{rows_words(rows).zh}" for fid, rows in list(rows_of.items())[:5]))
    more = Message("err.more_ids", n=len(rows_of) - 5) if len(rows_of) > 5 else ""
    raise LayerError(Message("err.duplicate_ids", role=role, where=where, n=len(rows_of), shown=shown, more=more))


def read_polygons(src: LayerSource) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read a polygon layer (units, areas)."""
    return read_layer(src, geom_types={"Polygon"})


def ensure_path(path: Path) -> Path:
    """Existence check with a planner message (for rasters and networks)."""
    if not path.exists():
        raise LayerNotFoundError(Message("err.file_missing", path=str(path)))
    return path
