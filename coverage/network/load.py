"""Loading walking / cycling networks from OpenStreetMap files, with a verified on-disk cache.

Readers:

* ``.osm`` / ``.osm.bz2`` (default ``reader="fast"``): a streaming expat (SAX-style) reader that
  keeps only the walkable ways (:func:`keep_way`) and builds arrays directly, then
  :mod:`coverage_planner.network.topology` simplifies, consolidates and keeps the largest component. It is
  ~two orders of magnitude faster than going through OSMnx on city-sized files (see
  ``benchmarks/network_access.py --load``).
* ``reader="osmnx"``: ``osmnx.graph_from_xml`` + the same tag filter + ``osmnx.simplify_graph`` +
  ``osmnx.consolidate_intersections`` (kept for cross-checking and for exotic files).
* ``.graphml``: ``osmnx.load_graphml`` (a graph saved by OSMnx), then the same tag filter and clean-up.
* ``.osm.pbf``: pyosmium (libosmium's C++ decoder, :mod:`coverage_planner.network.pbf`), the same tag filter,
  barrier rule and clean-up as the XML reader (``benchmarks/osm_readers.py``: same graph, faster).

The cache key is a SHA-256 of the file bytes, the options and :data:`ENGINE_VERSION`; cache files are
written atomically and their checksum is verified when read (a corrupt file is rebuilt, with a warning).
"""

from __future__ import annotations

import bz2
import hashlib
import json
import logging
import os
import re
import time
from array import array
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from xml.parsers import expat

import numpy as np

from ..errors import LayerError, LayerNotFoundError
from ..model.messages import Both, Code, Message
from ..model.reasons import reason_words
from ..progress_bar import tracked
from .barriers import blocks_passage
from .graph import WalkGraph
from .topology import EdgeSet, consolidate, largest_component, simplify

logger = logging.getLogger(__name__)


def _crs(text: str) -> Any:
    """``pyproj.CRS.from_user_input``: pyproj is imported on first use (~0.15 s, ssl included), so the arrays
    API (graph, snapping, searches) starts without it."""
    from pyproj import CRS

    return CRS.from_user_input(text)

__all__ = [
    "ENGINE_VERSION",
    "WALK_HIGHWAYS",
    "BIKE_HIGHWAYS",
    "keep_way",
    "off_ground",
    "load_walk_network",
    "walk_network_from_overpass",
    "network_cache_key",
]

#: Part of every cache key: bump when loading or clean-up changes what a file turns into.
ENGINE_VERSION = "network-3"  # 2: blocking barrier nodes removed; 3: off-ground edges kept apart, pedestrian gates

#: ``highway=*`` values a pedestrian may use (unless ``foot=no`` / private access).
WALK_HIGHWAYS = frozenset(
    {
        "footway", "path", "pedestrian", "steps", "living_street", "residential", "service",
        "unclassified", "tertiary", "tertiary_link", "secondary", "secondary_link", "primary",
        "primary_link", "track", "road",
    }
)  # fmt: skip
#: Only with an explicit ``foot=yes|designated|permissive``.
WALK_IF_ALLOWED = frozenset(
    {"motorway", "motorway_link", "trunk", "trunk_link", "cycleway", "bridleway", "busway"}
)
#: ``highway=*`` values a cyclist may use (unless ``bicycle=no`` / private access).
BIKE_HIGHWAYS = frozenset(
    {
        "cycleway", "path", "track", "living_street", "residential", "service", "unclassified",
        "tertiary", "tertiary_link", "secondary", "secondary_link", "primary", "primary_link", "road",
    }
)  # fmt: skip
#: Only with an explicit ``bicycle=yes|designated|permissive``.
BIKE_IF_ALLOWED = frozenset(
    {"footway", "pedestrian", "steps", "bridleway", "trunk", "trunk_link", "motorway", "motorway_link"}
)
_ALLOWED = frozenset({"yes", "designated", "permissive", "official"})
_FORBIDDEN_ACCESS = frozenset({"private", "no"})
_MODES = ("walk", "bike")


def keep_way(tags: Mapping[str, Any], mode: str = "walk") -> bool:
    """Whether an OSM way with these tags belongs to the walking (or cycling) network.

    Walking: ``highway`` in :data:`WALK_HIGHWAYS`, or in :data:`WALK_IF_ALLOWED` with ``foot=yes``
    (``designated`` / ``permissive``); never ``foot=no``, never ``access=private|no`` or
    ``service=private`` unless foot access is explicitly allowed; never ``area=yes`` (a plaza outline).
    Cycling: the same with ``bicycle`` and :data:`BIKE_HIGHWAYS` / :data:`BIKE_IF_ALLOWED`.
    Multi-valued tags (OSMnx lists after simplification) pass when any value passes.
    Both networks are treated as two-way: ``oneway`` is ignored, which is exact on foot and slightly
    optimistic by bicycle.
    """
    highway = tags.get("highway")
    if highway is None:
        return False
    if isinstance(highway, (list, tuple)):
        return any(keep_way({**tags, "highway": h}, mode) for h in highway)
    who = "foot" if mode == "walk" else "bicycle"
    always = WALK_HIGHWAYS if mode == "walk" else BIKE_HIGHWAYS
    if_allowed = WALK_IF_ALLOWED if mode == "walk" else BIKE_IF_ALLOWED
    own = _first(tags.get(who))
    if own == "no":
        return False
    allowed = own in _ALLOWED
    if _first(tags.get("area")) == "yes":
        return False
    if not allowed and (
        _first(tags.get("access")) in _FORBIDDEN_ACCESS or _first(tags.get("service")) == "private"
    ):
        return False
    if highway in always:
        return True
    return highway in if_allowed and allowed


def off_ground(tags: Mapping[str, Any]) -> bool:
    """Whether a way runs off the ground: homes and facilities snap to it only when nothing else is in reach.

    A tunnel (``tunnel=*`` except ``no`` and ``building_passage``, a passage through a building at
    street level), a bridge (``bridge=*`` except ``no``), a covered way (``covered=yes``) or a non-zero
    ``layer``. Multi-valued tags (OSMnx lists) count when any value does.
    """
    def values(key: str) -> list[Any]:
        v = tags.get(key)
        return list(v) if isinstance(v, (list, tuple)) else [v]

    if any(t not in (None, "no", "building_passage") for t in values("tunnel")):
        return True
    if any(b not in (None, "no") for b in values("bridge")):
        return True
    if any(c == "yes" for c in values("covered")):
        return True
    for layer in values("layer"):
        try:
            if layer is not None and int(str(layer).split(";")[0].strip()) != 0:
                return True
        except ValueError:
            continue
    return False


def _first(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    return value


# ---------------------------------------------------------------------- fast OSM XML reader
def _open_osm(path: Path) -> Any:
    with open(path, "rb") as fh:
        magic = fh.read(3)
    if magic == b"BZh":  # bzip2, whatever the file is called
        return bz2.open(path, "rb")
    return open(path, "rb")


def read_osm_xml(
    path: Path, *, mode: str = "walk"
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stream an OSM XML file; return (node ids, lon, lat) of all nodes, the kept ways' node pairs, barriers.

    Uses the expat parser with callbacks (no element tree is built: about twice as fast as
    ``ElementTree.iterparse``, in constant memory besides the output arrays).

    Returns
    -------
    node_id, lon, lat, edges, blocked, pair_off_ground
        ``edges`` is an (k, 2) array of OSM node id pairs: consecutive nodes of every kept way;
        ``blocked`` the ids of barrier nodes that block ``mode`` (:func:`~coverage_planner.network.barriers.blocks_passage`);
        ``pair_off_ground`` (bool, k) whether each pair's way is off the ground (:func:`off_ground`).
    """
    ids = array("q")
    lons = array("d")
    lats = array("d")
    pair_a = array("q")
    pair_b = array("q")
    blocked = array("q")
    pair_og = array("b")
    refs: list[int] = []
    tags: dict[str, str] = {}
    counts = {"ways": 0, "kept": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        if name == "node":
            ids.append(int(attrs["id"]))
            lons.append(float(attrs["lon"]))
            lats.append(float(attrs["lat"]))
            if tags:
                tags.clear()
        elif name == "nd":
            refs.append(int(attrs["ref"]))
        elif name == "tag":
            tags[attrs["k"]] = attrs["v"]
        elif name == "way":
            refs.clear()
            tags.clear()

    def end(name: str) -> None:
        if name == "node":
            if "barrier" in tags and blocks_passage(tags, mode):
                blocked.append(ids[-1])
        elif name == "way":
            counts["ways"] += 1
            if len(refs) >= 2 and "highway" in tags and keep_way(tags, mode):
                counts["kept"] += 1
                pair_a.extend(refs[:-1])
                pair_b.extend(refs[1:])
                pair_og.extend([int(off_ground(tags))] * (len(refs) - 1))

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    with _open_osm(path) as fh:
        parser.ParseFile(fh)
    logger.info(
        "%s: %d nodes, %d ways, %d kept for %s", path.name, len(ids), counts["ways"], counts["kept"], mode
    )
    return (
        np.frombuffer(ids, dtype=np.int64).copy(),
        np.frombuffer(lons, dtype=np.float64).copy(),
        np.frombuffer(lats, dtype=np.float64).copy(),
        np.column_stack([np.frombuffer(pair_a, dtype=np.int64), np.frombuffer(pair_b, dtype=np.int64)]),
        np.unique(np.frombuffer(blocked, dtype=np.int64)),
        np.frombuffer(pair_og, dtype=np.int8).astype(bool),
    )


def _edges_from_pairs(
    node_id: np.ndarray, lon: np.ndarray, lat: np.ndarray, pairs: np.ndarray, crs: str,
    blocked: np.ndarray | None = None, pair_off_ground: np.ndarray | None = None,
) -> EdgeSet:
    og = np.zeros(len(pairs), dtype=bool) if pair_off_ground is None else np.asarray(pair_off_ground, dtype=bool)
    if blocked is not None and blocked.size:
        through = np.isin(pairs, blocked).any(axis=1)
        if through.any():
            logger.info("%d way segment(s) end at a blocking barrier node; removed", int(through.sum()))
        pairs = pairs[~through]
        og = og[~through]
    order = np.argsort(node_id, kind="stable")
    sid = node_id[order]
    pos = np.searchsorted(sid, pairs)
    pos_c = np.minimum(pos, max(sid.size - 1, 0))
    found = (pos < sid.size) & (sid[pos_c] == pairs) if sid.size else np.zeros(pairs.shape, bool)
    ok = found.all(axis=1)
    missing = int((~ok).sum())
    if missing:
        logger.info(
            "%d way segment(s) reference nodes missing from the file (clipped extract); skipped", missing
        )
    idx = order[pos_c[ok]]
    used, inv = np.unique(idx, return_inverse=True)
    inv = inv.reshape(-1, 2)
    x, y = _project(lon[used], lat[used], crs)
    return EdgeSet.straight(x, y, node_id[used], inv[:, 0], inv[:, 1], og[ok])


def _project(
    lon: np.ndarray, lat: np.ndarray, crs: str, src: str = "EPSG:4326"
) -> tuple[np.ndarray, np.ndarray]:
    from pyproj import Transformer

    tr = Transformer.from_crs(_crs(src), _crs(crs), always_xy=True)
    x, y = tr.transform(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


_AS_MAPPED = "street nodes as mapped, none merged"
_MERGED = re.compile(r"intersections within ([0-9.]+) m merged")


def _merging(consolidate_m: float) -> str:
    """How intersections were treated, for the graph's ``source`` (quoted in reports)."""
    if consolidate_m > 0:
        return f"intersections within {consolidate_m:g} m merged"
    return _AS_MAPPED


def source_words(source: str) -> Both:
    """A graph's ``source`` (file; how intersections were treated) in both languages.

    The graph keeps its source as one English string (it is cached with the graph); the file name stays as
    written and the part :func:`_merging` wrote is put in Chinese.
    """
    zh = _MERGED.sub(lambda m: f"{m.group(1)} 米内的路口已合并", source.replace(_AS_MAPPED, "道路节点按原图,未合并"))
    return Both(source, zh.replace("; ", ";"))


def _finish(
    es: EdgeSet, *, crs: str, mode: str, source: str, consolidate_m: float, simplified: bool,
    merged_m: float | None = None,
) -> WalkGraph:
    if not simplified:
        es = simplify(es)
    if consolidate_m > 0:
        es = consolidate(es, consolidate_m)
    source += "; " + _merging(consolidate_m if merged_m is None else merged_m)
    es, dx, dy, dc = largest_component(es)
    return WalkGraph.from_edges(
        es.x, es.y, es.u, es.v,
        crs=crs, geom_offsets=es.offsets, geom_x_m=es.gx, geom_y_m=es.gy, node_osmid=es.osmid,
        dropped_x_m=dx, dropped_y_m=dy, dropped_component=dc, mode=mode, source=source,
        edge_off_ground=es.off_ground,
    )  # fmt: skip


# ---------------------------------------------------------------------- networkx / osmnx conversion
def _from_networkx(G: Any, *, crs: str, mode: str, filter_tags: bool = True) -> EdgeSet:
    """Nodes and edges of an OSMnx graph (any CRS, simplified or not) as an EdgeSet in ``crs``."""
    nodes = list(G.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    nx_ = np.array([G.nodes[n]["x"] for n in nodes], dtype=np.float64)
    ny_ = np.array([G.nodes[n]["y"] for n in nodes], dtype=np.float64)
    src_crs = str(G.graph.get("crs", "EPSG:4326"))
    same = _crs(src_crs) == _crs(crs)
    x, y = (nx_, ny_) if same else _project(nx_, ny_, crs, src=src_crs)
    osmid = np.array([n if isinstance(n, (int, np.integer)) else -1 for n in nodes], dtype=np.int64)
    us: list[int] = []
    vs: list[int] = []
    counts: list[int] = []
    gxs: list[np.ndarray] = []
    gys: list[np.ndarray] = []
    ogs: list[bool] = []
    seen: set[tuple[int, int, int]] = set()
    for a, b, k, data in G.edges(keys=True, data=True):
        if filter_tags and not keep_way(data, mode):
            continue
        ia, ib = index[a], index[b]
        # bidirectional walking graphs hold each street twice; keep one copy
        key = (min(ia, ib), max(ia, ib), k)
        if key in seen:
            continue
        seen.add(key)
        geom = data.get("geometry")
        if geom is not None:
            c = np.asarray(geom.coords, dtype=np.float64)
            if not same:
                cx, cy = _project(c[:, 0], c[:, 1], crs, src=src_crs)
            else:
                cx, cy = c[:, 0], c[:, 1]
            # orient from a to b
            if np.hypot(cx[0] - x[ia], cy[0] - y[ia]) > np.hypot(cx[-1] - x[ia], cy[-1] - y[ia]):
                cx, cy = cx[::-1], cy[::-1]
            cx = np.concatenate([[x[ia]], cx[1:-1], [x[ib]]])
            cy = np.concatenate([[y[ia]], cy[1:-1], [y[ib]]])
        else:
            cx, cy = np.array([x[ia], x[ib]]), np.array([y[ia], y[ib]])
        us.append(ia)
        vs.append(ib)
        ogs.append(off_ground(data))
        counts.append(cx.size)
        gxs.append(cx)
        gys.append(cy)
    offsets = np.concatenate([[0], np.cumsum(np.asarray(counts, dtype=np.int64))]).astype(np.int64)
    return EdgeSet(
        x, y, osmid, np.asarray(us, dtype=np.int64), np.asarray(vs, dtype=np.int64), offsets,
        np.concatenate(gxs) if gxs else np.zeros(0), np.concatenate(gys) if gys else np.zeros(0),
        np.asarray(ogs, dtype=bool),
    )  # fmt: skip


def _osmnx_settings(**overrides: Any) -> dict[str, Any]:
    import osmnx as ox

    old = {k: getattr(ox.settings, k) for k in overrides}
    for k, v in overrides.items():
        setattr(ox.settings, k, v)
    return old


def _read_with_osmnx(path: Path, *, crs: str, mode: str, consolidate_m: float) -> WalkGraph:
    import osmnx as ox

    tags = list(dict.fromkeys([*ox.settings.useful_tags_way, "foot", "bicycle", "access", "area", "service",
                               "tunnel", "bridge", "covered", "layer"]))
    old = _osmnx_settings(useful_tags_way=tags, log_console=False)
    try:
        G = ox.graph_from_xml(path, bidirectional=True, simplify=False, retain_all=True)
    finally:
        _osmnx_settings(**old)
    drop = [(a, b, k) for a, b, k, d in G.edges(keys=True, data=True) if not keep_way(d, mode)]
    G.remove_edges_from(drop)
    G.remove_nodes_from([n for n in list(G.nodes) if G.degree(n) == 0])
    if len(G) == 0:
        z, zi = np.zeros(0), np.zeros(0, dtype=np.int64)
        empty = EdgeSet.straight(z, z, zi, zi, zi)
        return _finish(empty, crs=crs, mode=mode, source=path.name, consolidate_m=0, simplified=True,
                       merged_m=consolidate_m)
    G = ox.simplify_graph(G)
    G = ox.project_graph(G, to_crs=crs)
    if consolidate_m > 0:
        G = ox.consolidate_intersections(G, tolerance=consolidate_m / 2, rebuild_graph=True, dead_ends=False)
        G = ox.project_graph(G, to_crs=crs)
    es = _from_networkx(G, crs=crs, mode=mode, filter_tags=False)
    return _finish(es, crs=crs, mode=mode, source=f"{path.name} (osmnx)", consolidate_m=0, simplified=True,
                   merged_m=consolidate_m)


# ---------------------------------------------------------------------- public API
_FORMATS = {
    "osm": "osm",
    "osm.bz2": "osm",
    "xml": "osm",
    "osm.pbf": "pbf",
    "pbf": "pbf",
    "graphml": "graphml",
}


def _kind(path: Path) -> str:
    name = path.name.lower()
    for suffix, kind in (
        (".osm.pbf", "pbf"), (".pbf", "pbf"), (".osm.bz2", "osm"), (".osm", "osm"), (".xml", "osm"),
        (".graphml", "graphml"),
    ):  # fmt: skip
        if name.endswith(suffix):
            return kind
    raise LayerError(Message("err.network_format_unknown", path=str(path)))


#: SHA-256 states after a file's bytes, per (path, size, times, inode): the walk and bike networks of one
#: run read one file, hashed once. Only this process; any change to the file's stat reads it again.
_FILE_HASHES: dict[tuple[str, int, int, int, int], Any] = {}


def _file_hash(path: Path) -> Any:
    st = path.stat()
    stamp = (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    if stamp not in _FILE_HASHES:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 22), b""):
                h.update(chunk)
        if len(_FILE_HASHES) >= 8:  # a run reads a few network files; never grow without bound
            _FILE_HASHES.clear()
        _FILE_HASHES[stamp] = h
    return _FILE_HASHES[stamp]


def network_cache_key(
    path: str | os.PathLike[str], *, crs: str, mode: str, consolidate_m: float, reader: str
) -> str:
    """SHA-256 over the file bytes, the options and :data:`ENGINE_VERSION`."""
    h = _file_hash(Path(path)).copy()
    params = {
        "crs": _crs(crs).to_string(),
        "mode": mode,
        "consolidate_m": float(consolidate_m),
        "reader": reader,
        "engine": ENGINE_VERSION,
    }
    h.update(json.dumps(params, sort_keys=True).encode())
    return h.hexdigest()


@tracked("step.network")
def load_walk_network(
    path: str | os.PathLike[str],
    *,
    crs: str,
    cache_dir: str | os.PathLike[str] | None = None,
    mode: str = "walk",
    consolidate_m: float = 0.0,
    reader: str = "fast",
    file_format: str | None = None,
) -> WalkGraph:
    """Read a walking (or cycling) network from an OpenStreetMap file, using a cache when given.

    Parameters
    ----------
    path
        ``.osm``, ``.osm.bz2``, ``.osm.pbf`` or ``.graphml``.
    crs
        Projected CRS (metres) to work in, e.g. ``"EPSG:32649"``.
    cache_dir
        Folder for the ``.npz`` cache; ``None`` disables caching.
    mode
        ``"walk"`` or ``"bike"`` (tag filter, see :func:`keep_way`).
    consolidate_m
        Intersection nodes closer than this become one node. Default 0: OpenStreetMap nodes are kept as
        mapped (merging within 10 m moved the 90th-percentile distance error against an independent graph
        from 6 m to 16 m on a real extract); the graph's ``source`` says so, and reports quote it.
    reader
        ``"fast"`` (default) or ``"osmnx"`` for ``.osm`` files.
    file_format
        ``{"osm", "osm.bz2", "osm.pbf", "graphml"}`` (the manifest's ``format``); default: from the
        file name. A ``.bz2`` name is always read compressed.

    Returns
    -------
    WalkGraph
        The largest connected component; dropped pieces' nodes are in ``dropped_*``.

    Raises
    ------
    LayerError
        The file is missing, unreadable, of an unsupported format, or contains no usable streets.
    """
    path = Path(path)
    if mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}, not {mode!r}")
    if reader not in ("fast", "osmnx"):
        raise ValueError("reader must be 'fast' or 'osmnx'")
    if not path.is_file():
        raise LayerNotFoundError(Message("err.network_missing", path=str(path)))
    kind = _kind(path) if file_format is None else _FORMATS.get(file_format.lower().lstrip("."), "")
    if not kind:
        raise LayerError(Message("err.network_format", value=repr(file_format), path=str(path),
                                 formats=", ".join(sorted(_FORMATS))))
    if kind == "pbf" and reader == "osmnx":
        raise LayerError(Message("err.network_pbf_osmnx", path=str(path)))
    try:
        _crs(crs)
    except Exception as exc:
        raise LayerError(Message("err.network_crs", crs=crs, reason=reason_words(exc))) from exc
    cache_file: Path | None = None
    key = ""
    if cache_dir is not None:
        key = network_cache_key(path, crs=crs, mode=mode, consolidate_m=consolidate_m, reader=reader)
        cache_file = Path(cache_dir) / f"{path.name.split('.')[0]}-{mode}-{key[:20]}.npz"
        if cache_file.is_file():
            try:
                graph = WalkGraph.load(cache_file, key=key)
            except LayerError as exc:
                logger.warning("%s Rebuilding the network cache.", exc)
            else:
                logger.info("network cache hit: %s", cache_file)
                return graph
    t0 = time.perf_counter()
    try:
        graph = _build(path, kind=kind, crs=crs, mode=mode, consolidate_m=consolidate_m, reader=reader)
    except expat.ExpatError as exc:
        raise LayerError(Message("err.network_xml", path=str(path), reason=reason_words(exc))) from exc
    except (OSError, EOFError) as exc:
        raise LayerError(Message("err.network_unreadable", path=str(path), reason=reason_words(exc))) from exc
    logger.info("built %s in %.2f s", graph.summary(), time.perf_counter() - t0)
    if graph.n_edges == 0:
        raise LayerError(Message("err.network_no_streets", path=str(path), mode=mode,
                                 streets=Both(f"{mode}able", "可骑行" if mode == "bike" else "可步行")))
    if cache_file is not None:
        graph.save(cache_file, key=key)
    return graph


def _build(path: Path, *, kind: str, crs: str, mode: str, consolidate_m: float, reader: str) -> WalkGraph:
    if kind == "graphml":
        import osmnx as ox

        G = ox.load_graphml(path)
        es = _from_networkx(G, crs=crs, mode=mode)
        simplified = bool(G.graph.get("simplified", False))
        return _finish(
            es, crs=crs, mode=mode, source=path.name, consolidate_m=consolidate_m, simplified=simplified
        )
    if reader == "osmnx":
        return _read_with_osmnx(path, crs=crs, mode=mode, consolidate_m=consolidate_m)
    if kind == "pbf":
        from .pbf import read_osm_pbf

        node_id, lon, lat, pairs, blocked, pair_og = read_osm_pbf(path, mode=mode)
    else:
        node_id, lon, lat, pairs, blocked, pair_og = read_osm_xml(path, mode=mode)
    es = _edges_from_pairs(node_id, lon, lat, pairs, crs, blocked, pair_og)
    return _finish(es, crs=crs, mode=mode, source=path.name, consolidate_m=consolidate_m, simplified=False)


def walk_network_from_overpass(
    polygon_wgs84: Any,
    *,
    crs: str,
    mode: str = "walk",
    consolidate_m: float = 0.0,
    timeout_s: float = 10.0,
    overpass_url: str | None = None,
) -> WalkGraph:
    """Download a network for a polygon from the Overpass API (needs internet) via OSMnx.

    Parameters
    ----------
    polygon_wgs84
        Shapely (Multi)Polygon in lon/lat.
    crs
        Projected CRS to work in.
    mode
        ``"walk"`` or ``"bike"``.
    consolidate_m
        See :func:`load_walk_network`.
    timeout_s
        Network timeout; offline machines fail after at most this long.
    overpass_url
        Another Overpass endpoint (default: OSMnx's).

    Raises
    ------
    LayerError
        The download failed (offline, timeout, server error) or returned no streets.
    """
    import osmnx as ox

    if mode not in _MODES:
        raise ValueError(f"mode must be one of {_MODES}, not {mode!r}")
    tags = list(dict.fromkeys([*ox.settings.useful_tags_way, "foot", "bicycle", "access", "area", "service",
                               "tunnel", "bridge", "covered", "layer"]))
    overrides: dict[str, Any] = {
        "requests_timeout": timeout_s,
        "overpass_rate_limit": False,
        "use_cache": False,
        "doh_url_template": None,
        "log_console": False,
        "useful_tags_way": tags,
    }
    if overpass_url is not None:
        overrides["overpass_url"] = overpass_url
    old = _osmnx_settings(**overrides)
    try:
        G = ox.graph_from_polygon(polygon_wgs84, network_type=mode, simplify=False, retain_all=True)
    except Exception as exc:  # requests errors, osmnx InsufficientResponseError, ...
        raise LayerError(Message("err.network_download", mode=Code(mode), reason=f"{type(exc).__name__}: {exc}")) from exc
    finally:
        _osmnx_settings(**old)
    es = _from_networkx(G, crs=crs, mode=mode)
    graph = _finish(
        es, crs=crs, mode=mode, source="Overpass API", consolidate_m=consolidate_m, simplified=False
    )
    if graph.n_edges == 0:
        raise LayerError(Message("err.network_download_empty"))
    return graph
