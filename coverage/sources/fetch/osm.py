"""OpenStreetMap for a region: the walking network and tagged facilities, via Overpass or local files.

Online, both come from the Overpass API through :func:`coverage_planner.sources.fetch.download.download` (timeouts,
retries, checks; nothing hangs). Offline, the planner passes a local extract:

* network: ``.osm`` / ``.osm.bz2`` is copied into the layer set as is (the loader keeps walkable ways);
  ``.osm.pbf`` is clipped to the region with ``osmium extract`` when osmium-tool is installed, else
  copied as it is when small enough to read whole (it is read with pyosmium);
* facilities: an Overpass JSON answer saved elsewhere, or the same ``.osm`` / ``.osm.bz2`` file
  (tagged nodes, and ways placed at the mean of their nodes).
"""

from __future__ import annotations

import bz2
import json
import logging
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.parsers import expat

import pandas as pd
import shapely

from ...errors import LayerError
from ...model.messages import Message
from ...model.reasons import reason_words
from .download import DownloadResult, download
from .facilities import overpass_query, tables_from_overpass

__all__ = ["OVERPASS_URL", "download_facilities", "download_network", "elements_from_osm_xml",
           "facilities_from_file", "network_from_file", "points_inside"]

logger = logging.getLogger(__name__)

OVERPASS_URL = "https://overpass-api.de/api/interpreter"
OSM_LICENCE = "ODbL 1.0 (© OpenStreetMap contributors)"
#: A PBF up to this size is put into a layer set unclipped when osmium-tool is missing.
MAX_UNCLIPPED_PBF_BYTES = 200_000_000
_MANUAL_NET = Message("err.osm_manual")


def _check_osm_xml(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head[:3] == b"BZh":
        with bz2.open(path) as fh:
            head = fh.read(4096)
    if b"<osm" not in head:
        raise ValueError(Message("err.osm_not_osm_xml"))
    if b"runtime error" in head or b"<remark>" in head and b"error" in head:
        raise ValueError(Message("err.overpass_error"))


def _check_overpass_json(path: Path) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or "elements" not in doc:
        raise ValueError(Message("err.overpass_no_elements"))
    if "error" in str(doc.get("remark", "")).lower():
        raise ValueError(Message("err.overpass_remark", remark=doc["remark"]))


def _bbox_text(bbox_wsen: tuple[float, float, float, float]) -> str:
    w, s, e, n = bbox_wsen
    return f"{s:.5f},{w:.5f},{n:.5f},{e:.5f}"


def download_network(bbox_wsen: tuple[float, float, float, float], dest: Path, *, url: str = OVERPASS_URL,
                     **download_kw: Any) -> DownloadResult:
    """Download every ``highway=*`` way in the box as OSM XML (the network loader filters walkable ones)."""
    query = f'[out:xml][timeout:600][bbox:{_bbox_text(bbox_wsen)}];\n(way["highway"];>;);\nout body qt;'
    return download(url, dest, params={"data": query}, check=_check_osm_xml, label=Message("err.dl_osm_network"),
                    manual=_MANUAL_NET, **download_kw)


def download_facilities(bbox_wsen: tuple[float, float, float, float], dest: Path, *, url: str = OVERPASS_URL,
                        **download_kw: Any) -> DownloadResult:
    """Download the features the tag mapping can classify, as Overpass JSON."""
    return download(url, dest, params={"data": overpass_query(bbox_wsen)}, check=_check_overpass_json,
                    label=Message("err.dl_osm_facilities"), manual=Message("err.manual_overpass"), **download_kw)


def network_from_file(src: Path, dest_dir: Path, outline_wgs84: shapely.Geometry) -> Path:
    """Put a local OSM extract into the layer set (PBF clipped by osmium). Returns the file written."""
    src = Path(src)
    if not src.is_file():
        raise LayerError(Message("err.osm_missing", path=str(src), manual=_MANUAL_NET))
    dest_dir.mkdir(parents=True, exist_ok=True)
    name = src.name.lower()
    if name.endswith(".pbf"):
        osmium = shutil.which("osmium")
        if osmium is None:
            if src.stat().st_size <= MAX_UNCLIPPED_PBF_BYTES:  # read as it is (pyosmium); no clipping needed
                out = dest_dir / "walk.osm.pbf"
                shutil.copyfile(src, out)
                return out
            raise LayerError(Message("err.osm_pbf_too_large", path=str(src), mb=f"{src.stat().st_size / 1e6:,.0f}",
                                     bbox=",".join(f"{v:.4f}" for v in outline_wgs84.bounds)))
        out = dest_dir / "walk.osm.pbf"
        poly = dest_dir / "_clip.geojson"
        poly.write_text(json.dumps({"type": "Feature", "properties": {},
                                    "geometry": shapely.geometry.mapping(outline_wgs84)}), encoding="utf-8")
        try:
            subprocess.run([osmium, "extract", "-p", str(poly), str(src), "-o", str(out), "--overwrite"],
                           check=True, capture_output=True, timeout=3600)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise LayerError(Message("err.osm_clip", path=str(src), reason=reason_words(exc))) from exc
        finally:
            poly.unlink(missing_ok=True)
        return out
    try:
        _check_osm_xml(src)
    except (ValueError, OSError) as exc:
        raise LayerError(Message("err.osm_not_xml", path=str(src), reason=reason_words(exc), manual=_MANUAL_NET)) from exc
    out = dest_dir / ("walk.osm.bz2" if name.endswith(".bz2") else "walk.osm")
    shutil.copyfile(src, out)
    return out


def elements_from_osm_xml(path: Path) -> dict[str, Any]:
    """Tagged nodes and ways of an OSM XML file as Overpass-like JSON (ways at the mean of their nodes)."""
    coords: dict[int, tuple[float, float]] = {}
    elements: list[dict[str, Any]] = []
    cur: dict[str, Any] = {}

    def start(name: str, attrs: Mapping[str, str]) -> None:
        if name == "node":
            coords[int(attrs["id"])] = (float(attrs["lon"]), float(attrs["lat"]))
            cur.clear()
            cur.update(type="node", id=int(attrs["id"]), lon=float(attrs["lon"]), lat=float(attrs["lat"]), tags={})
        elif name == "way":
            cur.clear()
            cur.update(type="way", id=int(attrs["id"]), nds=[], tags={})
        elif name == "nd" and cur.get("type") == "way":
            cur["nds"].append(int(attrs["ref"]))
        elif name == "tag" and cur:
            cur["tags"][attrs["k"]] = attrs["v"]

    def end(name: str) -> None:
        if name in {"node", "way"} and cur.get("tags"):
            el = dict(cur)
            if name == "way":
                pts = [coords[r] for r in el.pop("nds") if r in coords]
                if not pts:
                    return
                el["center"] = {"lon": sum(p[0] for p in pts) / len(pts), "lat": sum(p[1] for p in pts) / len(pts)}
            elements.append(el)
        if name in {"node", "way"}:
            cur.clear()

    parser = expat.ParserCreate()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with open(path, "rb") as fh:
        opener = bz2.open if fh.read(3) == b"BZh" else open
    try:
        with opener(path, "rb") as stream:
            parser.ParseFile(stream)
    except expat.ExpatError as exc:
        raise LayerError(Message("err.osm_invalid_xml", path=str(path), reason=reason_words(exc))) from exc
    return {"elements": elements}


def facilities_from_file(path: Path) -> dict[str, pd.DataFrame]:
    """Facility tables from a local Overpass JSON answer, an OSM XML extract or an ``.osm.pbf`` file."""
    path = Path(path)
    if not path.is_file():
        raise LayerError(Message("err.osm_facilities_missing", path=str(path)))
    if path.suffix.lower() == ".json":
        try:
            _check_overpass_json(path)
        except (ValueError, OSError) as exc:
            raise LayerError(Message("err.osm_not_overpass", path=str(path), reason=reason_words(exc))) from exc
        return tables_from_overpass(json.loads(path.read_text(encoding="utf-8")))
    if path.name.lower().endswith(".pbf"):
        from .osm_pbf import read_pbf_features

        return tables_from_overpass({"elements": read_pbf_features(path).elements})
    return tables_from_overpass(elements_from_osm_xml(path))


def points_inside(table: pd.DataFrame, outline_wgs84: shapely.Geometry) -> pd.DataFrame:
    """Rows whose lon/lat fall inside the region."""
    if table.empty:
        return table
    inside = shapely.contains_xy(outline_wgs84, table["lon"].to_numpy(float), table["lat"].to_numpy(float))
    return table[inside].reset_index(drop=True)
