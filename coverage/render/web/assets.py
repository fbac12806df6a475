"""What a page loads: Leaflet (and Leaflet.markercluster), shipped with the package; our CSS and JS.

Leaflet 1.9.4 and Leaflet.markercluster 1.5.3 are package data (``static/``, with their licences and
``SHA256SUMS``), so every page opens with no network. How a page gets them (``assets=``):

``"folder"`` (default)
    Copied once into ``assets/`` beside the pages, which link them relatively.
``"inline"``
    Written into every page (each page is a single self-contained file, ~180 kB more).
``"cdn"``
    Linked from jsDelivr (same pinned versions): smaller folders, but the pages need internet access.
a folder
    Copied from that folder (searched recursively) into ``assets/``: another Leaflet build, e.g.
    Debian's ``/usr/share/javascript/leaflet`` (``libjs-leaflet``).

Pages link only Leaflet and, when a layer is clustered, Leaflet.markercluster; folium's other
defaults (jQuery, Bootstrap, Font Awesome, awesome-markers) are not used.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from ...errors import MapError, message
from ...model.messages import Both, Message

__all__ = [
    "ASSET_DIR_NAME",
    "ASSET_FILES",
    "ASSET_MODES",
    "CDN",
    "LEAFLET_VERSION",
    "MARKERCLUSTER_VERSION",
    "PAGE_CSS",
    "PAGE_JS",
    "AssetLinks",
    "asset_links",
    "copy_assets",
    "packaged_assets",
    "static_checksums",
    "write_assets",
]

#: The folder beside the pages that holds Leaflet (``assets="folder"`` or a folder path).
ASSET_DIR_NAME = "assets"
LEAFLET_VERSION = "1.9.4"
MARKERCLUSTER_VERSION = "1.5.3"
#: How pages get Leaflet: see the module docstring (anything else is a folder to copy from).
ASSET_MODES: tuple[str, ...] = ("folder", "inline", "cdn")

_JSDELIVR = "https://cdn.jsdelivr.net/npm"
CDN: dict[str, str] = {
    "leaflet.js": f"{_JSDELIVR}/leaflet@{LEAFLET_VERSION}/dist/leaflet.js",
    "leaflet.css": f"{_JSDELIVR}/leaflet@{LEAFLET_VERSION}/dist/leaflet.css",
    "leaflet.markercluster.js": f"{_JSDELIVR}/leaflet.markercluster@{MARKERCLUSTER_VERSION}/dist/leaflet.markercluster.js",
    "MarkerCluster.css": f"{_JSDELIVR}/leaflet.markercluster@{MARKERCLUSTER_VERSION}/dist/MarkerCluster.css",
    "MarkerCluster.Default.css": f"{_JSDELIVR}/leaflet.markercluster@{MARKERCLUSTER_VERSION}/dist/MarkerCluster.Default.css",
}
#: The script and style files a page may link (keys of :data:`CDN`).
ASSET_FILES: tuple[str, ...] = tuple(CDN)
_REQUIRED = ("leaflet.js", "leaflet.css")
_LICENCES = ("LICENSE-leaflet.txt", "LICENSE-leaflet.markercluster.txt")
_CSS_IMAGE = re.compile(r"url\((images/[A-Za-z0-9_.-]+\.png)\)")


def packaged_assets() -> Path:
    """The folder of the Leaflet files shipped with the package (``coverage_planner/render/web/static``)."""
    return Path(str(resources.files(__package__) / "static"))


def static_checksums() -> dict[str, str]:
    """File (relative to :func:`packaged_assets`) -> SHA-256 as recorded in ``static/SHA256SUMS``."""
    text = (packaged_assets() / "SHA256SUMS").read_text(encoding="utf-8")
    return {name.strip(): digest for digest, name in (ln.split(None, 1) for ln in text.splitlines() if ln.strip())}


def _verified(path: Path, relative: str) -> bytes:
    data = path.read_bytes()
    expected = static_checksums().get(relative)
    if expected is not None and hashlib.sha256(data).hexdigest() != expected:
        raise MapError(message("err.map_asset_damaged", path=str(path)))
    return data


@cache
def _inline_text(name: str) -> str:
    """A packaged asset as text for inlining; CSS images become data: URIs."""
    root = packaged_assets()
    text = _verified(root / name, name).decode("utf-8")
    if name.endswith(".css"):
        def data_uri(m: re.Match[str]) -> str:
            png = _verified(root / m.group(1), m.group(1))
            return f"url(data:image/png;base64,{base64.b64encode(png).decode('ascii')})"

        text = _CSS_IMAGE.sub(data_uri, text)
    closing = "</style" if name.endswith(".css") else "</script"
    if closing in text.lower():  # would end the inline element early; the pinned files have none
        msg = f"The packaged file {name} holds {closing!r} and cannot be inlined; use assets='folder'."
        raise MapError(msg)
    return text


@dataclass(frozen=True)
class AssetLinks:
    """How pages get Leaflet: ``mode`` is ``folder``, ``inline`` or ``cdn``; ``prefix`` leads to the folder."""

    mode: str = "folder"
    prefix: str = f"{ASSET_DIR_NAME}/"

    def __post_init__(self) -> None:
        if self.mode not in ASSET_MODES:
            msg = f"Unknown asset mode {self.mode!r}; choose one of {', '.join(ASSET_MODES)}."
            raise MapError(msg)

    @property
    def online(self) -> bool:
        """The pages need internet access to draw (Leaflet from the CDN)."""
        return self.mode == "cdn"

    def tag(self, name: str) -> str:
        """The HTML that loads ``name`` (a key of :data:`CDN`): a link, or the file itself when inlined."""
        css = name.endswith(".css")
        if self.mode == "inline":
            return f"<style>{_inline_text(name)}</style>" if css else f"<script>{_inline_text(name)}</script>"
        url = CDN[name] if self.mode == "cdn" else self.prefix + name
        return f'<link rel="stylesheet" href="{url}"/>' if css else f'<script src="{url}"></script>'

    @property
    def leaflet(self) -> list[tuple[str, str]]:
        """(element name, HTML) of Leaflet's script and style."""
        return [("leaflet", self.tag("leaflet.js")), ("leaflet_css", self.tag("leaflet.css"))]

    @property
    def cluster(self) -> list[tuple[str, str]]:
        """(element name, HTML) of Leaflet.markercluster's script and styles."""
        return [("markerclusterjs", self.tag("leaflet.markercluster.js")),
                ("markerclustercss", self.tag("MarkerCluster.css")),
                ("markerclusterdefaultcss", self.tag("MarkerCluster.Default.css"))]


def asset_links(assets: str | Path | None) -> AssetLinks:
    """The links of the ``assets`` option (None: the default ``folder``)."""
    if assets is None or (isinstance(assets, str) and assets in ASSET_MODES):
        return AssetLinks(mode=str(assets or "folder"))
    return AssetLinks(mode="folder")


def write_assets(assets: str | Path | None, dest_dir: Path) -> None:
    """Write what the pages of ``dest_dir`` link: ``dest_dir/assets/`` for the folder modes, nothing otherwise.

    Raises
    ------
    MapError
        A source folder without Leaflet.
    """
    if assets is None or assets == "folder":
        copy_assets(packaged_assets(), dest_dir / ASSET_DIR_NAME, packaged=True)
    elif not (isinstance(assets, str) and assets in ASSET_MODES):
        copy_assets(Path(assets), dest_dir / ASSET_DIR_NAME)


def copy_assets(src: Path, dest: Path, *, packaged: bool = False) -> None:
    """Copy Leaflet's files (and its ``images/``) from ``src`` (searched recursively) into ``dest``.

    The packaged copy (``packaged=True``) is checked against ``SHA256SUMS`` and brings its licences.

    Raises
    ------
    MapError
        When ``src`` has no ``leaflet.js`` or ``leaflet.css``, or a packaged file fails its checksum.
    """
    src = Path(src)
    found = {name: next(iter(sorted(src.rglob(name))), None) if src.is_dir() else None for name in ASSET_FILES}
    missing = [n for n in _REQUIRED if found[n] is None]
    if missing:
        raise MapError(Message("err.assets_folder", path=str(src), missing=Both(" or ".join(missing), "、".join(missing))))
    dest.mkdir(parents=True, exist_ok=True)
    for name, path in found.items():
        if path is not None:
            data = _verified(path, name) if packaged else path.read_bytes()
            (dest / name).write_bytes(data)
    images = found["leaflet.js"].parent / "images"  # type: ignore[union-attr]
    if images.is_dir():
        (dest / "images").mkdir(exist_ok=True)
        for png in sorted(images.glob("*.png")):
            rel = f"images/{png.name}"
            (dest / "images" / png.name).write_bytes(_verified(png, rel) if packaged else png.read_bytes())
    if packaged:
        for lic in _LICENCES:
            shutil.copyfile(src / lic, dest / lic)


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
.leaflet-tooltip.cov-label{background:none;border:none;box-shadow:none;padding:0;color:#555;font-weight:600;
 font-size:12px;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff}
.leaflet-tooltip.cov-label:before{display:none}
.cov-offline{top:40%;left:50%;transform:translate(-50%,-50%);max-width:480px;border:2px solid #d7191c}
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
  var opts = spec.pane ? {pane: spec.pane} : {};
  var renderer = spec.canvas ? L.canvas(Object.assign({padding: 0.5}, opts)) : L.svg(opts);
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
      if (spec.labels && spec.title && f.properties[spec.title]) {
        var tag = document.createElement("span");
        tag.textContent = coverageFmt(f.properties[spec.title], spec);
        l.bindTooltip(tag, {permanent: true, direction: "center", className: "cov-label", interactive: false});
      }
      if (spec.popup) {
        l.bindPopup(function () { return coverageDetail(f.properties, spec.popup, spec); }, {maxWidth: 340});
      }
    }
  });
  if (spec.pane) {  // a pane of its own (e.g. under the overlay pane, whose SVG would cover canvas layers)
    layer.beforeAdd = function (map) {
      if (!map.getPane(spec.pane)) { map.createPane(spec.pane).style.zIndex = String(spec.pane_z); }
    };
  }
  if (spec.cluster) {
    var group = L.markerClusterGroup(spec.cluster);
    group.addLayers(layer.getLayers());
    layer = group;
  }
  coverage.layers[spec.name] = {layer: layer, features: feats.length};
  return layer;
}
"""
