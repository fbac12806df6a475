"""The few page elements folium lacks: data layers drawn by our JavaScript, raw HTML, the map handle.

Content from the data never becomes template source: elements hold it in attributes that the
template prints, so a name such as ``{{ 7*7 }}`` is not evaluated by Jinja either.
"""

from __future__ import annotations

import html

import folium
from branca.element import Element, Figure, MacroElement
from folium.map import Layer
from folium.template import Template

from .assets import PAGE_CSS, PAGE_JS, AssetLinks

__all__ = ["DataLayer", "MapHandle", "PageMap", "RawHtml", "control_label"]


class RawHtml(Element):
    """A piece of HTML written as is (build it with ``html.escape`` for every data string)."""

    _template = Template("{{ this.content }}")

    def __init__(self, content: str) -> None:
        super().__init__()
        self._name = "RawHtml"
        self.content = content


class PageMap(folium.Map):
    """A folium map that loads Leaflet only (no jQuery, Bootstrap or icon fonts), as ``assets`` says."""

    def __init__(self, *args: object, assets: AssetLinks, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.default_js = []
        self.default_css = []
        self.assets = assets

    # folium's MacroElement.render returns None; branca's Element.render is annotated `-> str`
    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        """Put Leaflet (a link or the file itself) first in the page head, then render the map."""
        figure = self.get_root()
        assert isinstance(figure, Figure)
        for name, tag in self.assets.leaflet:
            figure.header.add_child(RawHtml(tag), name=name)
        super().render(**kwargs)


class DataLayer(Layer):
    """An overlay built in the browser by ``coverageLayer(spec, data)`` (see ``assets.PAGE_JS``).

    The data goes into a ``<script type="application/json">`` block (parsed with ``JSON.parse``, much
    faster than a JavaScript literal of the same size) and the call into the page script. Both are
    written through :class:`RawHtml`, never through folium's macro mechanism, which compiles rendered
    output as a Jinja template again (data such as ``{{ ... }}`` would be evaluated, and a 10 MB
    template is slow to compile).

    Parameters
    ----------
    label
        Plain-text name for the layer control (escaped here: Leaflet writes it as HTML).
    spec_json, data_json
        Script-safe JSON (``jsdata.script_json`` / ``jsdata.encode_features``).
    cluster
        The layer uses Leaflet.markercluster.
    show
        Shown when the page opens.
    assets
        Where Leaflet.markercluster is loaded from.
    """

    def __init__(self, label: str, spec_json: str, data_json: str, *, cluster: bool, show: bool,
                 assets: AssetLinks) -> None:
        super().__init__(name=control_label(label), overlay=True, control=True, show=show)
        self._name = "DataLayer"
        self.spec_json = spec_json
        self.data_json = data_json
        self.cluster_tags = assets.cluster if cluster else []

    # folium's MacroElement.render returns None; branca's Element.render is annotated `-> str`
    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        """Write the links, helpers, data block and the layer's script into the figure."""
        figure = self.get_root()
        assert isinstance(figure, Figure)
        for name, tag in self.cluster_tags:
            figure.header.add_child(RawHtml(tag), name=name)
        figure.header.add_child(RawHtml(f"<style>{PAGE_CSS}</style>\n<script>{PAGE_JS}</script>"),
                                name="coverage_helpers")
        var = self.get_name()
        figure.html.add_child(RawHtml(f'<script type="application/json" id="{var}_data">{self.data_json}</script>'),
                              name=f"{var}_data")
        code = (f"var {var} = coverageLayer({self.spec_json}, "
                f'JSON.parse(document.getElementById("{var}_data").textContent));')
        if self.show:
            assert self._parent is not None  # rendered only once added to the map
            code += f"\n{var}.addTo({self._parent.get_name()});"
        figure.script.add_child(RawHtml(code), name=var)


def control_label(text: str) -> str:
    """A layer name for Leaflet's layer control, which inserts it as HTML (and folium re-templates it).

    HTML special characters and Jinja braces become character references, so the name shows as written.
    """
    return html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")


class MapHandle(MacroElement):
    """Publishes the Leaflet map as ``window.coverage.map`` (for scripts and tests)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            window.coverage = window.coverage || {layers: {}};
            window.coverage.map = {{ this._parent.get_name() }};
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MapHandle"
