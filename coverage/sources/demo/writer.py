"""Writing the demo city as a layer set: rasters, GeoPackages, a GCJ-02 CSV, a GeoJSON, OSM XML, manifest.

Formats are mixed on purpose, to exercise every loader: most layers in GeoPackages (EPSG:4326),
childcare as a CSV with Chinese column names in GCJ-02 coordinates, seismic stations as GeoJSON,
population rasters in EPSG:32649. Text outputs (CSV, GeoJSON, OSM, manifest) carry no timestamps
and are byte-identical for the same inputs.
"""

from __future__ import annotations

import contextlib
import csv
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import rasterio
import yaml

from ...model.coords import wgs84_to_gcj02
from .areas import DemoAreas
from .geography import WORK_CRS
from .network import DemoNetwork
from .osm_writer import write_osm
from .population_grid import DemoPopulation
from .units import CITY_CODE, DemoUnits

__all__ = ["CHILDCARE_COLUMNS", "write_layer_set"]

logger = logging.getLogger(__name__)

WGS84 = "EPSG:4326"
COORD_DECIMALS = 7
#: Standard name -> column of the childcare CSV.
CHILDCARE_COLUMNS = {"facility_id": "编号", "name": "名称", "slots": "托位数", "puhui": "普惠", "public": "公办",
                     "status": "状态", "open_year": "开办年份"}
CHILDCARE_LON, CHILDCARE_LAT = "经度", "纬度"
STATUS_ZH = {"existing": "现有", "under_construction": "在建", "planned": "规划", "closed": "关闭"}
SEPARATE_FILES = {"childcare": "facilities/childcare.csv", "seismic_station": "facilities/seismic_station.geojson"}


def _write_raster(path: Path, data: np.ndarray, pop: DemoPopulation) -> None:
    profile = {"driver": "GTiff", "height": data.shape[0], "width": data.shape[1], "count": 1, "dtype": "int32",
               "crs": WORK_CRS, "transform": pop.transform, "nodata": 0, "compress": "deflate", "predictor": 2,
               "tiled": True, "blockxsize": 256, "blockysize": 256}
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data.astype(np.int32), 1)


def _to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return gdf.to_crs(WGS84)


@contextlib.contextmanager
def _fast_sqlite() -> Iterator[None]:
    """No fsync per GeoPackage layer (4x faster; the cache renames the finished folder into place)."""
    key = "OGR_SQLITE_SYNCHRONOUS"
    old = pyogrio.get_gdal_config_option(key)
    pyogrio.set_gdal_config_options({key: "OFF"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({key: old})


def _write_gpkg(path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    with _fast_sqlite():
        for name, gdf in layers.items():
            pyogrio.write_dataframe(_to_wgs84(gdf), path, layer=name, driver="GPKG")


def _lonlat(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    g = _to_wgs84(gdf).geometry
    return g.x.to_numpy(), g.y.to_numpy()


def _write_childcare_csv(path: Path, gdf: gpd.GeoDataFrame) -> None:
    lon, lat = wgs84_to_gcj02(*_lonlat(gdf))
    yes = {True: "是", False: "否"}
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([*CHILDCARE_COLUMNS.values(), CHILDCARE_LON, CHILDCARE_LAT])
        for row, x, y in zip(gdf.itertuples(index=False), lon, lat, strict=True):
            w.writerow([row.facility_id, row.name, int(row.slots), yes[bool(row.puhui)], yes[bool(row.public)],
                        STATUS_ZH[row.status], int(row.open_year) or "", f"{x:.{COORD_DECIMALS}f}",
                        f"{y:.{COORD_DECIMALS}f}"])


def _json_value(v: Any) -> Any:
    if isinstance(v, np.bool_ | bool):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


def _write_geojson(path: Path, gdf: gpd.GeoDataFrame, name: str) -> None:
    lon, lat = _lonlat(gdf)
    props = gdf.drop(columns=gdf.geometry.name)
    lines = []
    for rec, x, y in zip(props.to_dict("records"), lon, lat, strict=True):
        feat = {"type": "Feature", "properties": {k: _json_value(v) for k, v in rec.items()},
                "geometry": {"type": "Point", "coordinates": [round(float(x), COORD_DECIMALS),
                                                               round(float(y), COORD_DECIMALS)]}}
        lines.append(json.dumps(feat, ensure_ascii=False, separators=(",", ":")))
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","name":' + json.dumps(name) + ',"features":[\n')
        f.write(",\n".join(lines))
        f.write("\n]}\n")


#: Children aged 3-5 as a share of all residents (about three birth cohorts of ~1.4 %; the demo
#: raster has no such band, so the manifest states the share).
AGE_3_5_SHARE = 0.042


def _manifest(*, scale: float, seed: int, version: int, date: str, roles: list[str]) -> dict[str, Any]:
    facilities: dict[str, Any] = {}
    for role in roles:
        if role == "childcare":
            facilities[role] = {"path": SEPARATE_FILES[role], "lon": CHILDCARE_LON, "lat": CHILDCARE_LAT,
                                "crs": WGS84, "coord_system": "gcj02", "fields": dict(CHILDCARE_COLUMNS)}
        elif role in SEPARATE_FILES:
            facilities[role] = {"path": SEPARATE_FILES[role]}
        else:
            facilities[role] = {"path": "facilities.gpkg", "layer": role}
    return {
        "name": "Demo City (synthetic data)",
        "name_zh": "演示城市（合成数据）",
        "synthetic": True,
        "city_code": CITY_CODE,
        "description": (f"Generated by coverage.demo (version {version}, scale {scale:g}, seed {seed}): an invented "
                        "city placed at Zhengzhou's location so that basemaps line up. No feature is real."),
        "sources": [{"name": f"coverage demo generator v{version} (scale {scale:g}, seed {seed})",
                     "licence": "generated", "date": date}],
        "population": {"kind": "raster", "path": "population/total.tif",
                       "groups": {"age_0_2": "population/age_0_2.tif", "age_60_plus": "population/age_60_plus.tif"},
                       "group_shares": {"age_3_5": AGE_3_5_SHARE}},
        "units": {
            "district": {"path": "units.gpkg", "layer": "district",
                         "fields": {"id": "code", "name": "name", "class": "class"}},
            "street": {"path": "units.gpkg", "layer": "street",
                       "fields": {"id": "code", "name": "name", "class": "class", "parent": "district_code"}},
            "community": {"path": "units.gpkg", "layer": "community",
                          "fields": {"id": "code", "name": "name", "class": "class", "parent": "street_code"}},
        },
        "areas": {
            "built_up": {"path": "areas.gpkg", "layer": "built_up"},
            "key_areas": {"path": "areas.gpkg", "layer": "key_areas", "fields": {"name": "name"}},
            "new_estates": {"path": "areas.gpkg", "layer": "new_estates"},
            "high_intensity": {"path": "areas.gpkg", "layer": "high_intensity", "fields": {"name": "name"}},
        },
        "facilities": facilities,
        "networks": {"walk": {"path": "network/walk.osm", "format": "osm"}},
    }


# PLR0913: the demo city's parts, each written to its own layer
def write_layer_set(out_dir: Path, *, pop: DemoPopulation, units: DemoUnits, areas: DemoAreas,  # noqa: PLR0913
                    facilities: dict[str, gpd.GeoDataFrame], network: DemoNetwork, scale: float, seed: int,
                    version: int, date: str) -> Path:
    """Write every file of the layer set and, last, ``manifest.yaml``.

    Parameters
    ----------
    out_dir
        Target folder (created if needed).
    pop, units, areas, facilities, network
        The generated city.
    scale, seed, version, date
        Recorded in the manifest's description and sources.

    Returns
    -------
    Path
        The manifest path.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for sub in ("population", "facilities", "network"):
        (out_dir / sub).mkdir(exist_ok=True)
    for name, data in (("total", pop.total), ("age_0_2", pop.age_0_2), ("age_60_plus", pop.age_60_plus)):
        _write_raster(out_dir / "population" / f"{name}.tif", data, pop)
    for path in ("units.gpkg", "areas.gpkg", "facilities.gpkg"):
        (out_dir / path).unlink(missing_ok=True)
    _write_gpkg(out_dir / "units.gpkg", {lvl: getattr(units, lvl).drop(columns="population")
                                         for lvl in ("district", "street", "community")})
    _write_gpkg(out_dir / "areas.gpkg", {"built_up": areas.built_up, "key_areas": areas.key_areas,
                                         "new_estates": areas.new_estates, "high_intensity": areas.high_intensity})
    _write_gpkg(out_dir / "facilities.gpkg", {r: g for r, g in facilities.items() if r not in SEPARATE_FILES})
    _write_childcare_csv(out_dir / SEPARATE_FILES["childcare"], facilities["childcare"])
    _write_geojson(out_dir / SEPARATE_FILES["seismic_station"], facilities["seismic_station"], "seismic_station")
    write_osm(network, out_dir / "network" / "walk.osm", generator=f"coverage demo generator v{version}")
    manifest = out_dir / "manifest.yaml"
    doc = _manifest(scale=scale, seed=seed, version=version, date=date, roles=list(facilities))
    text = "# Layer set of the generated demo city: entirely synthetic data (see docs/ARCHITECTURE.md).\n"
    text += yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)
    manifest.write_text(text, encoding="utf-8")
    return manifest
