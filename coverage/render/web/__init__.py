"""Interactive maps of a check: one Folium/Leaflet page per target and an index.

``publish(run, out_dir)`` is the entry point; ``coverage map`` is its command line. Modules:
``page`` (one target's page), ``layers`` (what is drawn: facilities, units, one renderer per
``TargetResult.geo`` layer), ``index`` (the index page), ``geometry`` (simplify / reproject / aggregate),
``jsdata`` (script-safe JSON), ``ids`` (deterministic element ids), ``tiles`` (basemaps), ``assets``
(Leaflet links, page CSS/JS), ``i18n`` (labels).
"""

from __future__ import annotations

from ...errors import MapError
from .overlays import RENDERERS, LayerData, renderer
from .page import PageContext, render_page
from .publish import publish

__all__ = ["RENDERERS", "LayerData", "MapError", "PageContext", "publish", "render_page", "renderer"]
