"""Generated city-like street networks (for tests, benchmarks and the demo city).

A jittered street grid at urban block spacing with a share of streets removed at random and a
meandering river crossed by a few bridges, so network distances differ from straight lines the way
they do in a real city.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
from pyproj import CRS, Transformer
from scipy.sparse.csgraph import connected_components

from .._io import atomic_path
from .graph import WalkGraph, symmetric_csr

__all__ = ["city_network", "write_osm_xml"]


# PLR0913: the generator's independent knobs, each documented with its unit
def city_network(  # noqa: PLR0913
    n_nodes: int,
    *,
    spacing_m: float = 80.0,
    jitter_m: float = 12.0,
    removal_fraction: float = 0.12,
    river: bool = True,
    bridge_spacing_m: float = 2000.0,
    river_width_m: float = 120.0,
    seed: int = 0,
    crs: str = "EPSG:32649",
    origin_m: tuple[float, float] = (500_000.0, 3_800_000.0),
) -> WalkGraph:
    """A generated city street network of about ``n_nodes`` intersections.

    Parameters
    ----------
    n_nodes
        Approximate number of nodes (the grid is ``ceil(sqrt(n_nodes))`` on a side before removals).
    spacing_m
        Street spacing (block size); 80 m is a dense urban grid.
    jitter_m
        Random displacement of each intersection.
    removal_fraction
        Share of street segments removed at random (dead ends, superblocks).
    river, bridge_spacing_m, river_width_m
        A meandering east-west river through the middle, crossed only by bridges this far apart.
    seed
        Random seed.
    crs, origin_m
        Projected CRS and the south-west corner (default: UTM 49N, around Zhengzhou's latitude).

    Returns
    -------
    WalkGraph
        The largest connected piece; the rest is recorded as dropped.
    """
    rng = np.random.default_rng(seed)
    side = max(2, math.ceil(math.sqrt(n_nodes)))
    gi, gj = np.meshgrid(np.arange(side), np.arange(side), indexing="xy")
    x = origin_m[0] + gi.ravel() * spacing_m + rng.uniform(-jitter_m, jitter_m, side * side)
    y = origin_m[1] + gj.ravel() * spacing_m + rng.uniform(-jitter_m, jitter_m, side * side)
    idx = np.arange(side * side).reshape(side, side)
    u = np.concatenate([idx[:, :-1].ravel(), idx[:-1, :].ravel()])
    v = np.concatenate([idx[:, 1:].ravel(), idx[1:, :].ravel()])
    keep = rng.random(u.size) >= removal_fraction
    if river:
        extent = side * spacing_m
        xr = x - origin_m[0]
        ry = origin_m[1] + 0.5 * extent + 0.08 * extent * np.sin(3 * np.pi * xr / max(extent, 1.0))
        in_band = np.abs(y - ry) < river_width_m / 2
        north = y > ry
        wet = in_band[u] | in_band[v] | (north[u] != north[v])
        vertical = np.concatenate([np.zeros(side * (side - 1), bool), np.ones(side * (side - 1), bool)])
        every = max(1, round(bridge_spacing_m / spacing_m))
        col = gi.ravel()
        bridge_col = (col % every) == every // 2
        is_bridge = wet & vertical & bridge_col[u]
        keep = (keep & ~wet) | is_bridge
    u, v = u[keep], v[keep]
    used = np.zeros(side * side, dtype=bool)
    used[u] = used[v] = True
    length = np.hypot(x[u] - x[v], y[u] - y[v])
    adj = symmetric_csr(side * side, u, v, length)
    _, label = connected_components(adj, directed=False)
    sizes = np.bincount(label[used], minlength=label.max() + 1)
    main = int(np.argmax(sizes))
    in_main = used & (label == main)
    dropped = used & ~in_main
    new_index = np.cumsum(in_main) - 1
    e_keep = in_main[u]
    return WalkGraph.from_edges(
        x[in_main],
        y[in_main],
        new_index[u[e_keep]],
        new_index[v[e_keep]],
        crs=crs,
        dropped_x_m=x[dropped],
        dropped_y_m=y[dropped],
        dropped_component=label[dropped],
        source=f"generated city network (seed {seed}, {side}x{side} grid, {spacing_m:g} m blocks)",
    )


def write_osm_xml(
    graph: WalkGraph,
    path: str | os.PathLike[str],
    *,
    highway: str = "residential",
    footway_share: float = 0.2,
    shape_points: int = 0,
    seed: int = 0,
) -> Path:
    """Write a graph as an OpenStreetMap XML file (for testing readers on city-sized inputs).

    Each edge becomes a two-node way (``highway`` or, for ``footway_share`` of them, ``footway``);
    intermediate geometry points become way nodes. Node ids are ``1..``; coordinates are converted to
    WGS84.

    Parameters
    ----------
    graph
        The network to write.
    path
        Destination ``.osm`` file (written atomically).
    highway, footway_share, seed
        Tagging of the ways.
    shape_points
        Extra bend points added inside every straight edge (so readers have chains to simplify).

    Returns
    -------
    Path
    """
    rng = np.random.default_rng(seed)
    if shape_points > 0:
        graph = _with_bends(graph, shape_points, rng)
    to_wgs = Transformer.from_crs(CRS.from_user_input(graph.crs), "EPSG:4326", always_xy=True)
    counts = np.diff(graph.geom_offsets)
    # node ids: graph nodes 1..n, interior geometry points after that
    n = graph.n_nodes
    interior_mask = np.ones(graph.geom_x_m.size, dtype=bool)
    interior_mask[graph.geom_offsets[:-1]] = False
    interior_mask[graph.geom_offsets[1:] - 1] = False
    point_id = np.zeros(graph.geom_x_m.size, dtype=np.int64)
    point_id[graph.geom_offsets[:-1]] = graph.edge_u + 1
    point_id[graph.geom_offsets[1:] - 1] = graph.edge_v + 1
    point_id[interior_mask] = n + 1 + np.arange(int(interior_mask.sum()))
    lon, lat = to_wgs.transform(graph.node_x_m, graph.node_y_m)
    ilon, ilat = to_wgs.transform(graph.geom_x_m[interior_mask], graph.geom_y_m[interior_mask])
    tags = np.where(rng.random(graph.n_edges) < footway_share, "footway", highway)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        fh.write("<?xml version='1.0' encoding='UTF-8'?>\n<osm version=\"0.6\" generator=\"coverage\">\n")
        fh.writelines(
            f'  <node id="{i + 1}" lat="{la:.7f}" lon="{lo:.7f}"/>\n'
            for i, (lo, la) in enumerate(zip(lon, lat, strict=True))
        )
        fh.writelines(
            f'  <node id="{n + 1 + i}" lat="{la:.7f}" lon="{lo:.7f}"/>\n'
            for i, (lo, la) in enumerate(zip(ilon, ilat, strict=True))
        )
        starts = graph.geom_offsets[:-1]
        for e in range(graph.n_edges):
            refs = "".join(f'<nd ref="{r}"/>' for r in point_id[starts[e] : starts[e] + counts[e]])
            fh.write(f'  <way id="{e + 1}">{refs}<tag k="highway" v={quoteattr(str(tags[e]))}/></way>\n')
        fh.write("</osm>\n")
    return Path(path)


def _with_bends(graph: WalkGraph, k: int, rng: np.random.Generator) -> WalkGraph:
    """Copy of a straight-edged graph with ``k`` slightly displaced points inside every edge."""
    u, v = graph.edge_u, graph.edge_v
    f = (np.arange(k + 2) / (k + 1))[None, :]
    gx = graph.node_x_m[u][:, None] + f * (graph.node_x_m[v] - graph.node_x_m[u])[:, None]
    gy = graph.node_y_m[u][:, None] + f * (graph.node_y_m[v] - graph.node_y_m[u])[:, None]
    gx[:, 1:-1] += rng.normal(0, 2.0, (u.size, k))
    gy[:, 1:-1] += rng.normal(0, 2.0, (u.size, k))
    return WalkGraph.from_edges(
        graph.node_x_m, graph.node_y_m, u, v, crs=graph.crs,
        geom_offsets=np.arange(0, (k + 2) * u.size + 1, k + 2), geom_x_m=gx.ravel(), geom_y_m=gy.ravel(),
        source=graph.source,
    )  # fmt: skip
