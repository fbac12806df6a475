"""The demo city's street network, built on a 50 m lattice with density-dependent block sizes.

Every lattice line is a potential street. Where people live densely a street runs along every 2nd
line (100 m blocks); the spacing doubles as density falls (200 m, 400 m, 800 m) down to a 1.6 km
grid of country roads (3.2 km in the hills, where they are paths). Street hierarchy follows the line
index (every 64th line a primary road, ...). Mid-block footways, dead-end service lanes, missing
segments and a smooth warp make it less regular. Barriers are applied last: the river is crossed
only on a few bridges, the railways only at arterial roads, the motorways at tertiary roads and
above. Villages are tied to the country-road grid by a lane each. Motorways, an elevated
expressway (``foot=no``) and railways are separate ways that share no node with the streets.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Transformer

from .geography import WORK_CRS, Geography
from .names import NamePool
from .population_grid import CELL_SIZE_M, DemoPopulation

__all__ = ["HIGHWAY_CLASSES", "LATTICE_STEP_M", "DemoNetwork", "build_network"]

logger = logging.getLogger(__name__)

LATTICE_STEP_M = 50.0
_PER_CELL = int(CELL_SIZE_M // LATTICE_STEP_M)
#: (smoothed density people/km², street spacing in lattice steps), densest first.
ZONE_SPACING = ((9_000.0, 2), (3_000.0, 4), (1_000.0, 8), (300.0, 16))
RURAL_SPACING = 32
HILL_SPACING = 64
HILL_MIN_HILLINESS = 0.45
#: Every n-th lattice line is an arterial of that class (urban / rural).
URBAN_PRIMARY_EVERY, URBAN_SECONDARY_EVERY, URBAN_TERTIARY_EVERY = 64, 32, 16
RURAL_PRIMARY_EVERY, RURAL_SECONDARY_EVERY = 128, 64
#: Railways are crossed only on lines that are multiples of this, motorways on multiples of that.
RAIL_CROSSING_EVERY = 64
MOTORWAY_CROSSING_EVERY = 16
#: Bridges: every arterial column near the core, a few elsewhere.
BRIDGE_EVERY = 64
BRIDGE_CORE_HALF_WIDTH_KM = 14.0
BRIDGE_RURAL_EVERY = 256
FOOTWAY_SHARE = 0.12
SERVICE_STUB_SHARE, SERVICE_LONG_STUB_SHARE = 0.25, 0.10
#: Share of minor street segments (between junctions) missing, by street spacing.
MISSING_SEGMENT_SHARE = {2: 0.03, 4: 0.06, 8: 0.06, 16: 0.12, 32: 0.12, 64: 0.15}
WARP_AMPLITUDE_M = 30.0
WARP_WAVELENGTHS_M = (3_700.0, 6_100.0)
JITTER_M = 4.0
MAX_WAY_EDGES = 120
#: Rows of the lattice processed at once (bounds the memory of the big temporaries).
BAND_ROWS = 256
EXTRA_NODE_STEP_M = 100.0
MAX_WAY_NODES = 200

PRIMARY, SECONDARY, TERTIARY, RESIDENTIAL, UNCLASSIFIED, SERVICE, FOOTWAY, PATH = range(1, 9)
HIGHWAY_CLASSES = {PRIMARY: "primary", SECONDARY: "secondary", TERTIARY: "tertiary", RESIDENTIAL: "residential",
                   UNCLASSIFIED: "unclassified", SERVICE: "service", FOOTWAY: "footway", PATH: "path"}


@dataclass(frozen=True, eq=False)
class DemoNetwork:
    """Nodes (ids 1..n in order) and ways of the OSM file.

    ``way_nodes[way_offsets[k]:way_offsets[k + 1]]`` are the node ids of way ``k`` and
    ``way_tags[k]`` its tags.
    """

    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    way_offsets: NDArray[np.int64]
    way_nodes: NDArray[np.int64]
    way_tags: list[tuple[tuple[str, str], ...]]
    n_street_nodes: int

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.lon.size)

    @property
    def n_ways(self) -> int:
        """Number of ways."""
        return len(self.way_tags)


def _hash01(a: NDArray[np.integer[Any]], b: NDArray[np.integer[Any]], salt: int) -> NDArray[np.float64]:
    """Deterministic uniform [0, 1) from two integer arrays (splitmix64-style mixing)."""
    with np.errstate(over="ignore"):
        z = (np.asarray(a, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
             ^ np.asarray(b, dtype=np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
             ^ np.uint64(salt) * np.uint64(0x165667B19E3779F9))
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def _zone_spacing(geo: Geography, pop: DemoPopulation) -> NDArray[np.int16]:
    """Street spacing (lattice steps) per lattice point, 0 outside the territory (south-up rows)."""
    dens = pop.density_per_km2[::-1]
    k = np.full(dens.shape, RURAL_SPACING, dtype=np.int16)
    for threshold, spacing in ZONE_SPACING[::-1]:
        k[dens >= threshold] = spacing
    cx, cy = pop.centres()
    hills = geo.hilliness(cx, cy)[::-1]
    k[(hills >= HILL_MIN_HILLINESS) & (dens < ZONE_SPACING[-1][0])] = HILL_SPACING
    k[~pop.territory[::-1]] = 0
    return np.repeat(np.repeat(k, _PER_CELL, axis=0), _PER_CELL, axis=1)


def _classify(line: NDArray[np.integer[Any]], spacing: NDArray[np.integer[Any]]) -> NDArray[np.uint8]:
    urban = spacing <= 8
    urban_cls = np.select([line % URBAN_PRIMARY_EVERY == 0, line % URBAN_SECONDARY_EVERY == 0,
                           line % URBAN_TERTIARY_EVERY == 0], [PRIMARY, SECONDARY, TERTIARY], RESIDENTIAL)
    rural_cls = np.select([line % RURAL_PRIMARY_EVERY == 0, line % RURAL_SECONDARY_EVERY == 0,
                           spacing >= HILL_SPACING], [PRIMARY, SECONDARY, PATH], UNCLASSIFIED)
    return np.where(urban, urban_cls, rural_cls).astype(np.uint8)


def _edge_band(ka: NDArray[np.int16], kb: NDArray[np.int16], line: NDArray[np.int32], other: NDArray[np.int32],
               axis: int) -> NDArray[np.uint8]:
    """Edge classes for edges joining lattice points with spacings ``ka`` and ``kb`` (one band of rows)."""
    valid = (ka > 0) & (kb > 0)
    ke = np.maximum(ka, kb)
    ke_safe = np.where(valid, ke, 1).astype(np.int32)
    line_b, other_b = np.broadcast_arrays(line, other)
    salt_line = line_b + axis * 7_919
    cls = np.where(valid & (line % ke_safe == 0), _classify(line_b, ke_safe), 0).astype(np.uint8)
    # missing minor segments (whole stretches between junctions)
    minor = (cls == RESIDENTIAL) | (cls == UNCLASSIFIED) | (cls == PATH)
    p_missing = np.zeros(ke.shape)
    for spacing, share in MISSING_SEGMENT_SHARE.items():
        p_missing[ke == spacing] = share
    seg = other_b // ke_safe
    cls[minor & (_hash01(salt_line, seg, 3) < p_missing)] = 0
    # mid-block footways in the densest blocks
    fw = valid & (ke == 2) & (line % 2 == 1) & (cls == 0) & (_hash01(salt_line, other_b // 2, 1) < FOOTWAY_SHARE)
    cls[fw] = FOOTWAY
    # dead-end service lanes into larger blocks
    mid = valid & ((ke == 4) | (ke == 8)) & (line % ke_safe == ke_safe // 2) & (cls == 0)
    h = _hash01(salt_line, seg, 2)
    pos = other_b % ke_safe
    cls[mid & (((pos == 0) & (h < SERVICE_STUB_SHARE)) | ((pos == 1) & (h < SERVICE_LONG_STUB_SHARE)))] = SERVICE
    return cls


def _edges(k: NDArray[np.int16], axis: int) -> NDArray[np.uint8]:
    """Edge classes (0 = no edge) along ``axis`` (1: west-east edges, 0: south-north), in bands of rows."""
    ny, nx = k.shape
    shape = (ny, nx - 1) if axis == 1 else (ny - 1, nx)
    cls = np.zeros(shape, dtype=np.uint8)
    for a in range(0, shape[0], BAND_ROWS):
        b = min(a + BAND_ROWS, shape[0])
        rows = np.arange(a, b, dtype=np.int32)[:, None]
        if axis == 1:
            cols = np.arange(nx - 1, dtype=np.int32)[None, :]
            cls[a:b] = _edge_band(k[a:b, :-1], k[a:b, 1:], rows, cols, axis)
        else:
            cols = np.arange(nx, dtype=np.int32)[None, :]
            cls[a:b] = _edge_band(k[a:b], k[a + 1:b + 1], cols, rows, axis)
    return cls


def _connect_settlements(geo: Geography, v_cls: NDArray[np.uint8], k: NDArray[np.int16],
                         x0: float, y0: float) -> None:
    """A country lane (south-north) from every village and township seat to the nearest country road."""
    xs = np.concatenate([geo.village_x_m, [t.x_m for t in geo.townships]])
    ys = np.concatenate([geo.village_y_m, [t.y_m for t in geo.townships]])
    ny = k.shape[0]
    iv = np.clip(np.round((ys - y0) / LATTICE_STEP_M).astype(np.int64), 0, ny - 1)
    jc = np.clip(np.round((xs - x0) / LATTICE_STEP_M / 8).astype(np.int64) * 8, 0, k.shape[1] - 1)
    every = np.where(k[iv, jc] >= HILL_SPACING, HILL_SPACING, RURAL_SPACING)
    ir = np.clip(np.round(iv / every).astype(np.int64) * every, 0, ny - 1)
    for a, b, j in zip(np.minimum(iv, ir), np.maximum(iv, ir), jc, strict=True):
        seg = v_cls[a:b, j]
        inside = (k[a:b, j] > 0) & (k[a + 1:b + 1, j] > 0)
        seg[(seg == 0) & inside] = UNCLASSIFIED


def _crossings(s: NDArray[np.float64], axis: int) -> NDArray[np.bool_]:
    """Edges whose two ends lie on different sides of a curve (``s`` = signed offset per node)."""
    pos = s > 0
    return pos[:, :-1] != pos[:, 1:] if axis == 1 else pos[:-1] != pos[1:]


def _bridge_columns(geo: Geography, nx: int, x0: float) -> NDArray[np.int64]:
    """Lattice columns that cross the river: every arterial column near the core, a few elsewhere."""
    cols = np.arange(0, nx, BRIDGE_EVERY)
    col_x = x0 + LATTICE_STEP_M * cols
    near_core = np.abs(col_x - geo.centre_x_m) < BRIDGE_CORE_HALF_WIDTH_KM * 1000.0 * geo.linear
    bridge_cols = cols[near_core | (cols % BRIDGE_RURAL_EVERY == 0)]
    if bridge_cols.size < 2:
        bridge_cols = cols[np.argsort(np.abs(col_x - geo.centre_x_m), kind="stable")[:2]]
    return bridge_cols


def _cut_barriers(geo: Geography, X: NDArray[np.float64], Y: NDArray[np.float64], h_cls: NDArray[np.uint8],
                  v_cls: NDArray[np.uint8], bridge_cols: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Remove edges crossing the river (except bridges), railways and motorways (except at arterials).

    Works in bands of rows; returns the bridge flag of the south-north edges.
    """
    ny, nx = X.shape
    on_bridge_col = np.zeros(nx, dtype=bool)
    on_bridge_col[bridge_cols] = True
    v_bridge = np.zeros(v_cls.shape, dtype=bool)
    colsj = np.arange(nx)[None, :]
    half = geo.river_width_m / 2
    lines = [*((c, RAIL_CROSSING_EVERY) for c in geo.rails), *((c, MOTORWAY_CROSSING_EVERY) for c in geo.motorways)]
    for a in range(0, ny, BAND_ROWS):
        b = min(a + BAND_ROWS, ny)
        c = min(b + 1, ny)  # one more row for the south-north edges leaving the band
        xb, yb = X[a:c], Y[a:c]
        hv, vv = slice(a, b), slice(a, c - 1)
        nh = b - a
        s = geo.river.signed(xb, yb)
        wet = np.abs(s) < half
        h_cls[hv][(wet[:nh, :-1] | wet[:nh, 1:]) | _crossings(s[:nh], 1)] = 0
        v_river = (wet[:-1] | wet[1:]) | _crossings(s, 0)
        near = np.abs(s) < half + 20.0
        v_bridge[vv] = (v_river | near[:-1] | near[1:]) & on_bridge_col[None, :] & (v_cls[vv] > 0)
        v_cls[vv][v_river & ~on_bridge_col[None, :]] = 0
        rows = np.arange(a, b)[:, None]
        for curve, every in lines:
            s = curve.signed(xb, yb)
            h_cls[hv][_crossings(s[:nh], 1) & (rows % every != 0)] = 0
            v_cls[vv][_crossings(s, 0) & (colsj % every != 0)] = 0
    return v_bridge


def _runs(code: NDArray[np.int64], max_len: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Start (flat index) and length of runs of equal non-zero codes along rows of ``code``."""
    prev = np.zeros_like(code)
    prev[:, 1:] = code[:, :-1]
    start = ((code > 0) & (code != prev)).ravel()
    flat = code.ravel()
    valid = flat > 0
    if not valid.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(start)
    run = np.cumsum(start) - 1
    pos = np.arange(flat.size) - starts[np.clip(run, 0, None)]
    start |= valid & (pos > 0) & (pos % max_len == 0)
    starts = np.flatnonzero(start)
    run = np.cumsum(start) - 1
    lengths = np.bincount(run[valid], minlength=starts.size)
    return starts, lengths


Tags = tuple[tuple[str, str], ...]


def _positions(nx: int, ny: int, x0: float, y0: float, rng: np.random.Generator
               ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Lattice point positions with a smooth warp (gently curving streets) and a little jitter."""
    gx = x0 + LATTICE_STEP_M * np.arange(nx, dtype=np.float64)[None, :]
    gy = y0 + LATTICE_STEP_M * np.arange(ny, dtype=np.float64)[:, None]
    ph = rng.uniform(0, 2 * np.pi, 4)
    l1, l2 = WARP_WAVELENGTHS_M
    X = np.empty((ny, nx))
    Y = np.empty((ny, nx))
    for a in range(0, ny, BAND_ROWS):
        gyb = gy[a:a + BAND_ROWS]
        X[a:a + BAND_ROWS] = gx + WARP_AMPLITUDE_M * (np.sin(2 * np.pi * gyb / l1 + ph[0])
                                                      + 0.6 * np.sin(2 * np.pi * (gx + gyb) / l2 + ph[1]))
        Y[a:a + BAND_ROWS] = gyb + WARP_AMPLITUDE_M * (np.sin(2 * np.pi * gx / l1 + ph[2])
                                                       + 0.6 * np.sin(2 * np.pi * (gx - gyb) / l2 + ph[3]))
    X += rng.uniform(-JITTER_M, JITTER_M, X.shape)
    Y += rng.uniform(-JITTER_M, JITTER_M, Y.shape)
    return X, Y


def _filler(k: NDArray[np.int16], h_cls: NDArray[np.uint8], v_cls: NDArray[np.uint8]) -> NDArray[np.bool_]:
    """Every other node of straight country-road stretches (left out: 100 m vertex spacing there)."""
    ny, nx = k.shape
    h_on, v_on = h_cls > 0, v_cls > 0
    deg_h = np.zeros((ny, nx), dtype=np.int8)
    deg_h[:, :-1] += h_on
    deg_h[:, 1:] += h_on
    deg_v = np.zeros((ny, nx), dtype=np.int8)
    deg_v[:-1] += v_on
    deg_v[1:] += v_on
    rows, cols = np.arange(ny)[:, None], np.arange(nx)[None, :]
    return ((k >= 16) & (((deg_h == 2) & (deg_v == 0) & (cols % 2 == 1))
                         | ((deg_v == 2) & (deg_h == 0) & (rows % 2 == 1)))).ravel()


def _street_tags(cls: int, bridge: bool, name: str, cache: dict[tuple[int, bool, str], Tags]) -> Tags:
    key = (cls, bridge, name)
    if key not in cache:
        t = [("highway", HIGHWAY_CLASSES[cls])]
        if name:
            t.append(("name", name))
        if bridge:
            t += [("bridge", "yes"), ("layer", "1")]
        cache[key] = tuple(t)
    return cache[key]


def _street_ways(h_cls: NDArray[np.uint8], v_cls: NDArray[np.uint8], v_bridge: NDArray[np.bool_],
                 rng: np.random.Generator) -> tuple[list[NDArray[np.int64]], list[Tags]]:
    """Ways along lattice rows and columns: runs of edges of one class (flat lattice node indices)."""
    ny, nx = h_cls.shape[0], v_cls.shape[1]
    names_ew = NamePool(rng).take(ny // URBAN_TERTIARY_EVERY + 1)
    names_ns = NamePool(rng).take(nx // URBAN_TERTIARY_EVERY + 1)
    ways: list[NDArray[np.int64]] = []
    tags: list[Tags] = []
    cache: dict[tuple[int, bool, str], Tags] = {}
    for axis in (1, 0):
        if axis == 1:
            code = h_cls.astype(np.int64) * 2
            ne = nx - 1
        else:
            code = np.where(v_cls > 0, v_cls.astype(np.int64) * 2 + v_bridge, 0).T
            ne = ny - 1
        starts, lens = _runs(code, MAX_WAY_EDGES)
        line, first = np.divmod(starts, ne)
        c_flat = code.ravel()[starts]
        for ln, f, n_e, c in zip(line.tolist(), first.tolist(), lens.tolist(), c_flat.tolist(), strict=True):
            cls, bridge = c // 2, bool(c % 2)
            along = np.arange(f, f + n_e + 1, dtype=np.int64)
            ways.append(ln * nx + along if axis == 1 else along * nx + ln)
            name = ""
            if cls in (PRIMARY, SECONDARY, TERTIARY):
                stem = (names_ew if axis == 1 else names_ns)[ln // URBAN_TERTIARY_EVERY]
                name = stem + ("大道" if cls == PRIMARY else ("路" if axis == 1 else "街"))
            tags.append(_street_tags(cls, bridge, name, cache))
    return ways, tags


def _drop_filler(ways: list[NDArray[np.int64]], filler: NDArray[np.bool_]
                 ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Leave filler nodes out of the ways (never a way's ends); number the remaining nodes 1..n.

    Returns the lattice index of each node (sorted, so ids follow the rows south to north), the
    node ids of all ways end to end, and each way's length.
    """
    lengths = np.array([w.size for w in ways], dtype=np.int64)
    flat = np.concatenate(ways)
    ends = np.cumsum(lengths)
    keep = ~filler[flat]
    keep[ends - lengths] = True
    keep[ends - 1] = True
    new_lengths = np.add.reduceat(keep.astype(np.int64), ends - lengths)
    flat = flat[keep]
    lattice_nodes = np.unique(flat)
    return lattice_nodes, np.searchsorted(lattice_nodes, flat) + 1, new_lengths


def _separate_lines(geo: Geography, rng: np.random.Generator) -> list[tuple[shapely.LineString, Tags]]:
    """Railways, motorways and the elevated expressway (``foot=no``): lines with their tags."""
    names = NamePool(rng)
    ring = geo.motorways[0]
    th = np.linspace(0, 2 * np.pi, 256)
    inner = shapely.Polygon(np.column_stack([ring.ox_m + 0.95 * ring.offset_m * np.cos(th),
                                             ring.oy_m + 0.95 * ring.offset_m * np.sin(th)]))
    specials: list[tuple[list[shapely.LineString], Tags]] = []
    for c in geo.rails:
        specials.append((c.lines(geo.territory), (("railway", "rail"), ("name", names.one() + "铁路"),
                                                  ("usage", "main"))))
    specials.append((ring.lines(geo.territory), (("highway", "motorway"), ("name", names.one() + "绕城高速"))))
    for c in geo.motorways[1:]:
        specials.append((c.lines(geo.territory), (("highway", "motorway"), ("name", names.one() + "高速"))))
    specials.append((geo.elevated.lines(shapely.intersection(inner, geo.territory)),
                     (("highway", "trunk"), ("name", names.one() + "快速路"), ("foot", "no"),
                      ("bridge", "yes"), ("layer", "1"))))
    return [(ln, tg) for lines, tg in specials for ln in lines]


def _line_ways(lines: list[tuple[shapely.LineString, Tags]], first_id: int
               ) -> tuple[NDArray[np.float64], list[NDArray[np.int64]], list[Tags]]:
    """Nodes every ``EXTRA_NODE_STEP_M`` along each line (ids from ``first_id``) and ways of at most
    ``MAX_WAY_NODES`` nodes."""
    xy: list[NDArray[np.float64]] = []
    ways: list[NDArray[np.int64]] = []
    tags: list[Tags] = []
    next_id = first_id
    for ln, tg in lines:
        pts = shapely.get_coordinates(shapely.segmentize(ln, EXTRA_NODE_STEP_M))
        if ln.is_closed:
            pts = pts[:-1]
        node_ids = np.arange(next_id, next_id + len(pts))
        if ln.is_closed:
            node_ids = np.append(node_ids, next_id)
        next_id += len(pts)
        xy.append(pts)
        for a in range(0, node_ids.size - 1, MAX_WAY_NODES - 1):
            ways.append(node_ids[a:a + MAX_WAY_NODES])
            tags.append(tg)
    return (np.concatenate(xy) if xy else np.zeros((0, 2))), ways, tags


def build_network(geo: Geography, pop: DemoPopulation, *, seed: int) -> DemoNetwork:
    """Build the walking network of the demo city.

    Parameters
    ----------
    geo, pop
        Layout and population grid (its smoothed density sets the block size).
    seed
        Seed of the network's random generator.

    Returns
    -------
    DemoNetwork
        Nodes in WGS84 and ways with OSM tags.
    """
    rng = np.random.default_rng([seed, 6])
    nr, nc = pop.shape
    x0 = pop.x0_m + LATTICE_STEP_M / 2
    y0 = pop.y_top_m - nr * CELL_SIZE_M + LATTICE_STEP_M / 2
    k = _zone_spacing(geo, pop)
    ny, nx = k.shape
    h_cls = _edges(k, 1)
    v_cls = _edges(k, 0)
    _connect_settlements(geo, v_cls, k, x0, y0)
    X, Y = _positions(nx, ny, x0, y0, rng)
    bridge_cols = _bridge_columns(geo, nx, x0)
    v_bridge = _cut_barriers(geo, X, Y, h_cls, v_cls, bridge_cols)
    filler = _filler(k, h_cls, v_cls)
    lattice_ways, tags = _street_ways(h_cls, v_cls, v_bridge, rng)
    lattice_nodes, way_nodes, lengths = _drop_filler(lattice_ways, filler)
    del lattice_ways, filler, h_cls, v_cls, v_bridge
    node_x, node_y = X.ravel()[lattice_nodes], Y.ravel()[lattice_nodes]
    del X, Y
    n_street = int(lattice_nodes.size)
    extra_xy, extra_ways, extra_tags = _line_ways(_separate_lines(geo, rng), n_street + 1)
    to_wgs84 = Transformer.from_crs(WORK_CRS, "EPSG:4326", always_xy=True)
    lon, lat = to_wgs84.transform(np.concatenate([node_x, extra_xy[:, 0]]), np.concatenate([node_y, extra_xy[:, 1]]))
    all_lengths = np.concatenate([lengths, [w.size for w in extra_ways]]).astype(np.int64)
    offsets = np.zeros(all_lengths.size + 1, dtype=np.int64)
    np.cumsum(all_lengths, out=offsets[1:])
    net = DemoNetwork(lon=np.asarray(lon), lat=np.asarray(lat), way_offsets=offsets,
                      way_nodes=np.concatenate([way_nodes, *extra_ways]), way_tags=tags + extra_tags,
                      n_street_nodes=n_street)
    logger.info("demo network: %d nodes (%d on streets), %d ways, %d bridges", net.n_nodes, n_street, net.n_ways,
                bridge_cols.size)
    return net
