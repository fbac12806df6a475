"""Basemaps: OpenStreetMap (default), none (offline), 天地图 Tianditu (key needed) and Amap/Gaode.

Tianditu's ``*_w`` layers are Web Mercator tiles in CGCS2000, which agrees with WGS84 to well under a
metre: overlays go on unchanged. Amap tiles are drawn in GCJ-02, so every overlay must be shifted from
WGS84 to GCJ-02 (``TileChoice.gcj02``) and the page says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import folium

from ...errors import MapError, message

__all__ = ["TILE_CHOICES", "TileChoice", "add_tiles", "tile_choice"]

TILE_CHOICES: tuple[str, ...] = ("osm", "none", "tianditu", "amap")
_TIANDITU_KEY = re.compile(r"^[A-Za-z0-9]{8,64}$")
_TIANDITU_URL = ("https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
                 "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}"
                 "&TILECOL={{x}}&tk={key}")


@dataclass(frozen=True)
class TileLayerSpec:
    """One Leaflet tile layer."""

    url: str
    attribution: str
    name: str
    subdomains: str = "abc"
    max_zoom: int = 18
    overlay: bool = False


@dataclass(frozen=True)
class TileChoice:
    """A basemap: its tile layers and whether overlays must be shifted to GCJ-02."""

    key: str
    layers: tuple[TileLayerSpec, ...]
    gcj02: bool = False


def tile_choice(name: str, *, tianditu_key: str | None = None, lang: str = "en") -> TileChoice:
    """The basemap called ``name`` (one of :data:`TILE_CHOICES`).

    Parameters
    ----------
    name
        ``osm``, ``none``, ``tianditu`` or ``amap``.
    tianditu_key
        A Tianditu browser key (天地图 "浏览器端" 密钥); required for ``tianditu``. It is written into the
        pages, as every Tianditu web map does: use a key restricted to your domain.
    lang
        ``zh`` or ``en``: the language of the Amap labels.

    Raises
    ------
    MapError
        Unknown basemap, or Tianditu without a valid key.
    """
    if name == "osm":
        return TileChoice("osm", (TileLayerSpec(
            url="https://tile.openstreetmap.org/{z}/{x}/{y}.png", subdomains="", max_zoom=19,
            attribution='&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
            name="OpenStreetMap"),))
    if name == "none":
        return TileChoice("none", ())
    if name == "tianditu":
        if not tianditu_key:
            raise MapError(message("err.map_tianditu_key"))
        if not _TIANDITU_KEY.match(tianditu_key):
            raise MapError(message("err.map_tianditu_bad_key", value=tianditu_key[:80]))
        attr = '&copy; <a href="https://www.tianditu.gov.cn/">天地图 Tianditu</a>'
        return TileChoice("tianditu", (
            TileLayerSpec(url=_TIANDITU_URL.format(layer="vec", key=tianditu_key), subdomains="01234567",
                          attribution=attr, name="天地图 矢量" if lang == "zh" else "Tianditu vector"),
            TileLayerSpec(url=_TIANDITU_URL.format(layer="cva", key=tianditu_key), subdomains="01234567",
                          attribution=attr, name="天地图 注记" if lang == "zh" else "Tianditu labels", overlay=True),
        ))
    if name == "amap":
        amap_lang = "zh_cn" if lang == "zh" else "en"
        return TileChoice("amap", (TileLayerSpec(
            url=f"https://webrd0{{s}}.is.autonavi.com/appmaptile?lang={amap_lang}&size=1&scale=1&style=8&x={{x}}&y={{y}}&z={{z}}",
            subdomains="1234", max_zoom=18, name="高德地图" if lang == "zh" else "Amap",
            attribution='&copy; <a href="https://www.amap.com/">高德地图 AutoNavi</a> (GCJ-02)'),), gcj02=True)
    raise MapError(message("err.map_tiles", name=name, choices=", ".join(TILE_CHOICES)))


def add_tiles(m: folium.Map, choice: TileChoice) -> None:
    """Add the basemap's tile layers to ``m`` (nothing for ``none``)."""
    for spec in choice.layers:
        kwargs: dict[str, Any] = {"subdomains": spec.subdomains} if spec.subdomains else {}
        folium.TileLayer(tiles=spec.url, attr=spec.attribution, name=spec.name, max_zoom=spec.max_zoom,
                         overlay=spec.overlay, control=len(choice.layers) > 1, **kwargs).add_to(m)
