"""Streaming OSM XML writer for the demo network (plain string building, deterministic output)."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np

from .network import DemoNetwork

__all__ = ["write_osm"]

NODE_CHUNK = 50_000
WAY_CHUNK = 5_000


def write_osm(net: DemoNetwork, path: Path, *, generator: str) -> Path:
    """Write ``net`` as OSM XML 0.6 (nodes sorted by id, lon/lat with 7 decimals).

    Parameters
    ----------
    net
        The network.
    path
        Output file (``.osm``).
    generator
        Text for the root element's ``generator`` attribute.

    Returns
    -------
    Path
        ``path``.
    """
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write("<?xml version='1.0' encoding='UTF-8'?>\n")
        f.write(f"<osm version=\"0.6\" generator={quoteattr(generator)}>\n")
        f.write(f'  <bounds minlat="{net.lat.min():.7f}" minlon="{net.lon.min():.7f}" '
                f'maxlat="{net.lat.max():.7f}" maxlon="{net.lon.max():.7f}"/>\n')
        for a in range(0, net.n_nodes, NODE_CHUNK):
            ids = range(a + 1, min(a + NODE_CHUNK, net.n_nodes) + 1)
            lat = np.round(net.lat[a:a + NODE_CHUNK], 7).tolist()
            lon = np.round(net.lon[a:a + NODE_CHUNK], 7).tolist()
            f.write("".join([f'  <node id="{i}" lat="{y:.7f}" lon="{x:.7f}"/>\n'
                             for i, y, x in zip(ids, lat, lon, strict=True)]))
        offsets, refs = net.way_offsets, net.way_nodes.tolist()
        tag_xml: dict[tuple[tuple[str, str], ...], str] = {}
        for a in range(0, net.n_ways, WAY_CHUNK):
            out: list[str] = []
            for w in range(a, min(a + WAY_CHUNK, net.n_ways)):
                tags = net.way_tags[w]
                if tags not in tag_xml:
                    tag_xml[tags] = "".join(f"    <tag k={quoteattr(k)} v={quoteattr(v)}/>\n" for k, v in tags)
                out.append(f'  <way id="{w + 1}">\n')
                out.extend([f'    <nd ref="{r}"/>\n' for r in refs[offsets[w]:offsets[w + 1]]])
                out.append(tag_xml[tags])
                out.append("  </way>\n")
            f.write("".join(out))
        f.write("</osm>\n")
    return path
