"""What a page loads: Leaflet (and Leaflet.markercluster) from a CDN or a local copy, our CSS and JS.

Pages link only Leaflet and, when a layer is clustered, Leaflet.markercluster; folium's other
defaults (jQuery, Bootstrap, Font Awesome, awesome-markers) are not used. With ``assets=DIR`` the
files are copied next to the pages (``_assets/``) so the maps work without internet access
(combine with ``--tiles none``). Debian/Ubuntu ship them in ``libjs-leaflet`` and
``libjs-leaflet.markercluster`` (``/usr/share/javascript/leaflet``).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from ...errors import MapError

__all__ = ["ASSET_DIR_NAME", "CDN", "PAGE_CSS", "PAGE_JS", "AssetLinks", "copy_assets"]

ASSET_DIR_NAME = "_assets"

CDN: dict[str, str] = {
    "leaflet.js": "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
    "leaflet.css": "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css",
    "leaflet.markercluster.js": "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.5.3/dist/leaflet.markercluster.js",
    "MarkerCluster.css": "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.5.3/dist/MarkerCluster.css",
    "MarkerCluster.Default.css": "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.5.3/dist/MarkerCluster.Default.css",
}
_REQUIRED = ("leaflet.js", "leaflet.css")


@dataclass(frozen=True)
class AssetLinks:
    """Where pages find Leaflet: the CDN, or ``_assets/`` beside them."""

    local: bool = False

    def url(self, name: str) -> str:
        """The link to the asset ``name`` (a key of :data:`CDN`)."""
        return f"{ASSET_DIR_NAME}/{name}" if self.local else CDN[name]

    @property
    def leaflet_js(self) -> list[tuple[str, str]]:
        """folium ``default_js`` entries of a map."""
        return [("leaflet", self.url("leaflet.js"))]

    @property
    def leaflet_css(self) -> list[tuple[str, str]]:
        """folium ``default_css`` entries of a map."""
        return [("leaflet_css", self.url("leaflet.css"))]

    @property
    def cluster_js(self) -> list[tuple[str, str]]:
        """folium ``default_js`` entries of a clustered layer."""
        return [("markerclusterjs", self.url("leaflet.markercluster.js"))]

    @property
    def cluster_css(self) -> list[tuple[str, str]]:
        """folium ``default_css`` entries of a clustered layer."""
        return [("markerclustercss", self.url("MarkerCluster.css")),
                ("markerclusterdefaultcss", self.url("MarkerCluster.Default.css"))]


def copy_assets(src: Path, dest: Path) -> None:
    """Copy Leaflet's files (and its ``images/``) from ``src`` (searched recursively) into ``dest``.

    Raises
    ------
    MapError
        When ``src`` has no ``leaflet.js`` or ``leaflet.css``.
    """
    src = Path(src)
    found = {name: next(iter(sorted(src.rglob(name))), None) if src.is_dir() else None for name in CDN}
    missing = [n for n in _REQUIRED if found[n] is None]
    if missing:
        msg = (f"The asset folder {str(src)!r} has no {' or '.join(missing)}. Point --assets at a folder holding "
               "Leaflet's dist files (leaflet.js, leaflet.css, images/ and, for clustered markers, "
               "leaflet.markercluster.js, MarkerCluster.css, MarkerCluster.Default.css), e.g. "
               "/usr/share/javascript/leaflet from the Debian packages libjs-leaflet and "
               "libjs-leaflet.markercluster, or leave it out to load them from the CDN.")
        raise MapError(msg)
    dest.mkdir(parents=True, exist_ok=True)
    for name, path in found.items():
        if path is not None:
            shutil.copyfile(path, dest / name)
    images = found["leaflet.js"].parent / "images"  # type: ignore[union-attr]
    if images.is_dir():
        shutil.copytree(images, dest / "images", dirs_exist_ok=True)


PAGE_CSS = """
.cov-panel{position:absolute;z-index:1000;background:rgba(255,255,255,.94);border-radius:6px;
 box-shadow:0 1px 5px rgba(0,0,0,.4);font:13px/1.4 system-ui,-apple-system,"Segoe UI","PingFang SC",
 "Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#222;padding:8px 10px;max-width:380px}
.cov-head{top:10px;left:54px;max-height:45vh;overflow:auto}
.cov-head h1{font-size:15px;margin:0 0 4px}
.cov-head p{margin:3px 0}
.cov-legend{bottom:24px;right:10px;max-height:40vh;overflow:auto}
.cov-legend h2{font-size:13px;margin:0 0 4px}
.cov-legend h3{font-size:12px;margin:6px 0 2px;font-weight:600}
.cov-legend div{display:flex;align-items:center;gap:6px;font-size:12px}
.cov-sw{display:inline-block;width:14px;height:12px;border:1px solid rgba(0,0,0,.35);flex:none}
.cov-sw.pt{border-radius:50%;width:11px;height:11px}
.cov-badge{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-weight:600;font-size:12px}
.cov-pass{background:#1a9641}.cov-fail{background:#d7191c}.cov-no_data{background:#888}
.cov-warn{color:#8a4b00;font-weight:600}
.cov-note{color:#555;font-size:12px}
.cov-detail .cov-title{font-weight:600;margin-bottom:2px}
.cov-detail table{border-collapse:collapse}
.cov-detail th{text-align:left;padding:1px 8px 1px 0;font-weight:500;color:#555;vertical-align:top}
.cov-detail td{padding:1px 0;max-width:240px;overflow-wrap:anywhere}
"""

#: Builds the layers from columnar data; data strings are shown with textContent, never as HTML.
PAGE_JS = """
var coverage = window.coverage || (window.coverage = {layers: {}});
function coverageFmt(v, spec) {
  if (typeof v === "number") {
    return v.toLocaleString(spec.lang === "zh" ? "zh-CN" : "en", {maximumFractionDigits: 2});
  }
  if (typeof v === "boolean") { return v ? spec.yes : spec.no; }
  return String(v);
}
function coverageDetail(p, fields, spec) {
  var box = document.createElement("div"), table = document.createElement("table");
  box.className = "cov-detail";
  if (spec.title && p[spec.title] !== null && p[spec.title] !== undefined) {
    var head = document.createElement("div");
    head.className = "cov-title";
    head.textContent = coverageFmt(p[spec.title], spec);
    box.appendChild(head);
  }
  for (var i = 0; i < fields.length; i++) {
    var v = p[fields[i][0]];
    if (v === null || v === undefined || v === "") { continue; }
    var row = table.insertRow(), th = document.createElement("th");
    th.textContent = fields[i][1];
    row.appendChild(th);
    row.insertCell().textContent = coverageFmt(v, spec);
  }
  box.appendChild(table);
  return box;
}
function coverageLayer(spec, data) {
  var keys = Object.keys(data.p), feats = new Array(data.g.length);
  for (var i = 0; i < data.g.length; i++) {
    var props = {};
    for (var k = 0; k < keys.length; k++) { props[keys[k]] = data.p[keys[k]][i]; }
    feats[i] = {type: "Feature", geometry: data.g[i], properties: props};
  }
  var renderer = spec.canvas ? L.canvas({padding: 0.5}) : L.svg();
  function styleOf(f) {
    var s = spec.styles[spec.style_key ? f.properties[spec.style_key] : 0] || spec.styles[0];
    return Object.assign({renderer: renderer}, s);
  }
  var layer = L.geoJSON({type: "FeatureCollection", features: feats}, {
    renderer: renderer,
    style: styleOf,
    pointToLayer: function (f, ll) { return L.circleMarker(ll, styleOf(f)); },
    onEachFeature: function (f, l) {
      if (spec.tooltip) {
        l.bindTooltip(function () { return coverageDetail(f.properties, spec.tooltip, spec); }, {sticky: true});
      }
      if (spec.popup) {
        l.bindPopup(function () { return coverageDetail(f.properties, spec.popup, spec); }, {maxWidth: 340});
      }
    }
  });
  if (spec.cluster) {
    var group = L.markerClusterGroup(spec.cluster);
    group.addLayers(layer.getLayers());
    layer = group;
  }
  coverage.layers[spec.name] = {layer: layer, features: feats.length};
  return layer;
}
"""
