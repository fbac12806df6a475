"""WorldPop 100 m population for a region: total and the 0–2 and 60+ groups, clipped and cached.

Rasters (WorldPop Global 2000–2020 constrained, 2020, people per ~100 m cell, CC BY 4.0):

* total: ``chn_ppp_2020_constrained.tif``;
* age/sex: ``chn_{f,m}_{age}_2020_constrained.tif`` for age classes 0 (under 1), 1 (1–4), 5, 10 … 80 (80+).

The groups are sums of those: ``age_60_plus`` = classes 60…80 of both sexes (exact); ``age_0_2`` =
class 0 + half of class 1 (1–4 holds four single years, of which 1 and 2 are wanted: an even split is
assumed and recorded in the manifest). The national files are large (hundreds of MB each): they are
downloaded once into the cache and only the region's window is written into the layer set.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ...errors import LayerError
from ...model.messages import Message
from ...model.reasons import reason_words
from .download import download

__all__ = ["AGE_GROUPS", "WORLDPOP_LICENCE", "clip_raster", "fetch_worldpop", "sum_rasters", "worldpop_url"]

logger = logging.getLogger(__name__)

WORLDPOP_LICENCE = "CC BY 4.0 (WorldPop, www.worldpop.org)"
BASE = "https://data.worldpop.org/GIS"
#: age group -> {(sex, age class): weight}
AGE_GROUPS: dict[str, dict[tuple[str, int], float]] = {
    "age_0_2": {(s, a): w for s in ("f", "m") for a, w in ((0, 1.0), (1, 0.5))},
    "age_60_plus": {(s, a): 1.0 for s in ("f", "m") for a in (60, 65, 70, 75, 80)},
}
_MANUAL = Message("err.manual_worldpop")


def worldpop_url(iso3: str = "CHN", year: int = 2020, sex: str | None = None, age: int | None = None) -> str:
    """URL of a WorldPop constrained raster (total when ``sex``/``age`` are None)."""
    low = iso3.lower()
    if sex is None:
        return f"{BASE}/Population/Global_2000_2020_Constrained/{year}/BSGM/{iso3}/{low}_ppp_{year}_constrained.tif"
    return f"{BASE}/AgeSex_structures/Global_2000_2020_Constrained/{year}/{iso3}/{low}_{sex}_{age}_{year}_constrained.tif"


def check_geotiff(path: Path) -> None:
    """Raise unless ``path`` is a single-band GeoTIFF with a CRS (the downloader's format check)."""
    import rasterio

    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic not in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        raise ValueError(Message("err.not_tiff"))
    with rasterio.open(path) as ds:
        if ds.crs is None or ds.count < 1:
            raise ValueError(Message("err.tiff_no_crs"))


def clip_raster(src: Path, outline_wgs84: shapely.Geometry, dest: Path) -> Path:
    """Write the window of ``src`` covering the region (cells outside the outline set to 0) to ``dest``."""
    import rasterio
    from rasterio import features, windows
    from rasterio.warp import transform_geom

    try:
        ds = rasterio.open(src)
    except rasterio.errors.RasterioIOError as exc:
        raise LayerError(Message("err.raster_fetch_unreadable", path=str(src), reason=reason_words(exc),
                                 manual=_MANUAL)) from exc
    with ds:
        geom = transform_geom("EPSG:4326", ds.crs, shapely.geometry.mapping(outline_wgs84))
        shape = shapely.geometry.shape(geom)
        win = windows.from_bounds(*shape.bounds, transform=ds.transform).round_offsets().round_lengths()
        win = win.intersection(windows.Window(0, 0, ds.width, ds.height))
        if win.width <= 0 or win.height <= 0:
            raise LayerError(Message("err.raster_outside", path=str(src)))
        data = ds.read(1, window=win, masked=True).astype("float32").filled(0)
        tr = ds.window_transform(win)
        inside = features.geometry_mask([geom], out_shape=data.shape, transform=tr, invert=True, all_touched=False)
        data[~inside] = 0
        data[~np.isfinite(data) | (data < 0)] = 0
        profile = {"driver": "GTiff", "height": data.shape[0], "width": data.shape[1], "count": 1,
                   "dtype": "float32", "crs": ds.crs, "transform": tr, "nodata": 0, "compress": "deflate"}
    dest.parent.mkdir(parents=True, exist_ok=True)
    with rasterio.open(dest, "w", **profile) as out:
        out.write(data, 1)
    return dest


def sum_rasters(parts: Mapping[Path, float], dest: Path) -> Path:
    """Weighted sum of aligned rasters (the clipped age/sex classes) into ``dest``."""
    import rasterio

    total = None
    profile: dict[str, Any] = {}
    for path, weight in parts.items():
        with rasterio.open(path) as ds:
            arr = ds.read(1).astype("float64") * weight
            profile = dict(ds.profile)
        total = arr if total is None else total + arr
    if total is None:
        raise LayerError(Message("err.raster_none_to_add"))
    with rasterio.open(dest, "w", **profile) as out:
        out.write(total.astype("float32"), 1)
    return dest


def fetch_worldpop(outline_wgs84: shapely.Geometry, out_dir: Path, cache_dir: Path, *, iso3: str = "CHN",
                   year: int = 2020, groups: tuple[str, ...] = ("age_0_2", "age_60_plus"),
                   **download_kw: Any) -> tuple[dict[str, Path], list[dict[str, Any]]]:
    """Download (cached) and clip WorldPop total and age-group rasters for the region.

    Returns
    -------
    (paths, sources)
        ``{"total": path, "age_0_2": path, ...}`` inside ``out_dir`` and the ``sources:`` entries.
    """
    from .manifest_writer import source_entry

    out_dir.mkdir(parents=True, exist_ok=True)
    url = worldpop_url(iso3, year)
    res = download(url, cache_dir / Path(url).name, check=check_geotiff, label=Message("err.dl_worldpop"),
                   manual=_MANUAL, **download_kw)
    paths = {"total": clip_raster(res.path, outline_wgs84, out_dir / "total.tif")}
    sources = [source_entry(f"WorldPop {year} constrained population, {iso3}, 100 m", licence=WORLDPOP_LICENCE,
                            url=url, sha256=res.sha256)]
    for group in groups:
        parts: dict[Path, float] = {}
        for (sex, age), weight in AGE_GROUPS[group].items():
            u = worldpop_url(iso3, year, sex, age)
            r = download(u, cache_dir / Path(u).name, check=check_geotiff, label=Message("err.dl_worldpop_group", sex=sex, age=age),
                         manual=_MANUAL, **download_kw)
            parts[clip_raster(r.path, outline_wgs84, out_dir / f"_{sex}_{age}.tif")] = weight
        paths[group] = sum_rasters(parts, out_dir / f"{group}.tif")
        for p in parts:
            p.unlink(missing_ok=True)
        note = Message("note.src_age_0_2" if group == "age_0_2" else "note.src_age_60")
        sources.append(source_entry(f"WorldPop {year} age/sex structures, {iso3} ({group})",
                                    licence=WORLDPOP_LICENCE, url=worldpop_url(iso3, year, "f", 0).rsplit("/", 1)[0],
                                    note=note))
    return paths, sources
