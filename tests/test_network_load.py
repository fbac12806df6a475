"""Loading networks: the OSM tag filter, topology clean-up, readers, the verified cache, Overpass offline."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
import shapely

from coverage_planner.errors import LayerError, LayerNotFoundError
from coverage_planner.network import WalkGraph, keep_way, load_walk_network, walk_network_from_overpass
from coverage_planner.network import load as load_mod
from coverage_planner.network.synthetic import city_network, write_osm_xml
from coverage_planner.network.topology import EdgeSet, consolidate, largest_component, simplify


def _shared_data() -> Path:
    env = os.environ.get("COVERAGE_SHARED_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "data"


OSM_DIR = _shared_data() / "osm"
OAKLAND = OSM_DIR / "West-Oakland.osm.bz2"
PLANET = OSM_DIR / "planet_10.068,48.135_10.071,48.137.osm"
needs_shared = pytest.mark.skipif(not OAKLAND.is_file(), reason=f"shared OSM data not found under {OSM_DIR}")


def _osm(tmp_path: Path, body: str, name: str = "tiny.osm") -> Path:
    p = tmp_path / name
    p.write_text(
        f"<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6'>\n{body}\n</osm>\n", encoding="utf-8"
    )
    return p


def _node_xml(i: int, lon: float, lat: float) -> str:
    return f"<node id='{i}' lat='{lat:.7f}' lon='{lon:.7f}'/>"


def _way_xml(i: int, refs: list[int], **tags: str) -> str:
    nds = "".join(f"<nd ref='{r}'/>" for r in refs)
    tg = "".join(f"<tag k='{k}' v='{v}'/>" for k, v in tags.items())
    return f"<way id='{i}'>{nds}{tg}</way>"


# ---------------------------------------------------------------------- tag filter
@pytest.mark.parametrize(
    ("tags", "walk", "bike"),
    [
        ({"highway": "footway"}, True, False),
        ({"highway": "footway", "bicycle": "yes"}, True, True),
        ({"highway": "residential"}, True, True),
        ({"highway": "steps"}, True, False),
        ({"highway": "cycleway"}, False, True),
        ({"highway": "cycleway", "foot": "designated"}, True, True),
        ({"highway": "motorway"}, False, False),
        ({"highway": "trunk_link", "foot": "yes"}, True, False),
        ({"highway": "residential", "foot": "no"}, False, True),
        ({"highway": "service", "access": "private"}, False, False),
        ({"highway": "service", "access": "private", "foot": "yes"}, True, False),
        ({"highway": "pedestrian", "area": "yes"}, False, False),
        ({"highway": "construction"}, False, False),
        ({"building": "yes"}, False, False),
        ({"highway": ["motorway", "footway"]}, True, False),
    ],
)
def test_keep_way(tags: dict[str, object], walk: bool, bike: bool) -> None:
    assert keep_way(tags, "walk") is walk
    assert keep_way(tags, "bike") is bike


# ---------------------------------------------------------------------- topology
def test_simplify_merges_chains_and_drops_isolated_rings() -> None:
    # a - b - c - d is one street (b, c have two neighbours); d - e and d - f branch off at d.
    # g - h - i - g is an isolated ring of degree-2 nodes (dropped, as OSMnx does).
    x = np.array([0, 10, 20, 30, 40, 30, 100, 110, 105], dtype=float)
    y = np.array([0, 1, 0, 0, 0, 10, 100, 100, 110], dtype=float)
    u = np.array([0, 1, 2, 3, 3, 6, 7, 8])
    v = np.array([1, 2, 3, 4, 5, 7, 8, 6])
    es = simplify(EdgeSet.straight(x, y, np.arange(9), u, v))
    assert es.n_nodes == 4 and es.n_edges == 3  # a, d, e, f
    assert sorted(es.osmid.tolist()) == [0, 3, 4, 5]
    counts = np.diff(es.offsets)
    assert sorted(counts.tolist()) == [2, 2, 4]  # the merged street keeps its 4 points
    long_edge = int(np.argmax(counts))
    assert es.lengths()[long_edge] == pytest.approx(2 * np.hypot(10, 1) + 10)


def test_consolidate_merges_close_intersections_but_not_a_bridge_over_a_path() -> None:
    # two intersections 6 m apart joined by a short edge -> one node; a footpath passing 5 m under a
    # bridge node without a shared edge stays separate.
    x = np.array([0, 6, -100, 106, 3, 3, 50, 55, 50, 55], dtype=float)
    y = np.array([0, 0, 0, 0, 100, -100, 50, 50, 150, -50], dtype=float)
    u = np.array([0, 0, 1, 0, 1, 6, 7, 6, 6, 7])
    v = np.array([1, 2, 3, 4, 5, 8, 9, 2, 4, 3])
    es = EdgeSet.straight(x, y, np.arange(10) + 100, u, v)
    out = consolidate(es, 10.0)
    assert out.n_nodes == es.n_nodes - 1
    merged = np.flatnonzero(np.isclose(out.x, 3.0) & np.isclose(out.y, 0.0))
    assert merged.size == 1 and out.osmid[merged[0]] == 100
    assert np.isclose(out.x, 50).any() and np.isclose(out.x, 55).any()  # 5 m apart, not connected
    main, dx, _, _ = largest_component(out)
    assert main.n_nodes == out.n_nodes and dx.size == 0


# ---------------------------------------------------------------------- readers and cache
def test_tiny_osm_file_filter_and_dropped_piece(tmp_path: Path) -> None:
    # a footway chain 1-2-3 (node 2 is a bend), a motorway 3-4 (dropped), a private drive 3-5 (dropped),
    # and a separate residential street 6-7 far away (a second piece, reported as dropped)
    lon0, lat0 = 113.6, 34.7
    nodes = [
        _node_xml(1, lon0, lat0),
        _node_xml(2, lon0 + 0.001, lat0 + 0.0001),
        _node_xml(3, lon0 + 0.002, lat0),
        _node_xml(4, lon0 + 0.003, lat0),
        _node_xml(5, lon0 + 0.002, lat0 + 0.001),
        _node_xml(6, lon0 + 0.01, lat0),
        _node_xml(7, lon0 + 0.011, lat0),
    ]
    ways = [
        _way_xml(10, [1, 2, 3], highway="footway"),
        _way_xml(11, [3, 4], highway="motorway"),
        _way_xml(12, [3, 5], highway="service", access="private"),
        _way_xml(13, [6, 7, 99], highway="residential"),  # 99 is missing from the extract
    ]
    path = _osm(tmp_path, "\n".join(nodes + ways))
    g = load_walk_network(path, crs="EPSG:32649")
    assert g.n_nodes == 2 and g.n_edges == 1
    assert sorted(g.node_osmid.tolist()) == [1, 3]
    assert g.geom_offsets[-1] == 3  # the bend is kept in the geometry
    assert g.dropped_x_m.size == 2 and g.n_dropped_components == 1
    assert 180 < g.edge_length_m[0] < 200  # ~0.002 deg of longitude at 34.7 N
    bike = load_walk_network(path, crs="EPSG:32649", mode="bike")  # footway is not for bikes
    assert bike.n_edges == 1 and sorted(bike.node_osmid.tolist()) == [6, 7]


def test_synthetic_city_round_trip_through_osm_xml(tmp_path: Path) -> None:
    city = city_network(900, seed=5)
    path = write_osm_xml(city, tmp_path / "city.osm", shape_points=2, footway_share=0.3)
    g = load_walk_network(path, crs=city.crs, consolidate_m=0)
    # the written bends are small, so lengths grow a little; degree-2 grid nodes are simplified away
    assert g.edge_length_m.sum() == pytest.approx(city.edge_length_m.sum(), rel=0.01)
    deg = np.bincount(np.concatenate([city.edge_u, city.edge_v]), minlength=city.n_nodes)
    assert g.n_nodes == int((deg != 2).sum())


def test_cache_hit_miss_and_corrupt_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    city = city_network(400, seed=6)
    path = write_osm_xml(city, tmp_path / "c.osm")
    cache = tmp_path / "cache"
    builds: list[Path] = []
    real_build = load_mod._build

    def counting_build(p: Path, **kw: object) -> WalkGraph:
        builds.append(p)
        return real_build(p, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(load_mod, "_build", counting_build)
    g1 = load_walk_network(path, crs=city.crs, cache_dir=cache)
    files = list(cache.glob("*.npz"))
    assert len(builds) == 1 and len(files) == 1
    assert not list(cache.glob(".*tmp*"))  # atomic write left no temporary behind
    g2 = load_walk_network(path, crs=city.crs, cache_dir=cache)  # hit
    assert len(builds) == 1
    np.testing.assert_array_equal(g1.node_x_m, g2.node_x_m)
    assert (g1.adjacency != g2.adjacency).nnz == 0 and g2.crs == g1.crs and g2.source == g1.source
    load_walk_network(path, crs=city.crs, cache_dir=cache, consolidate_m=5)  # other options: miss
    assert len(builds) == 2
    # corrupt the first cache file: rebuilt with a warning, not a crash
    files[0].write_bytes(files[0].read_bytes()[:200])
    with caplog.at_level(logging.WARNING, logger="coverage_planner.network.load"):
        g3 = load_walk_network(path, crs=city.crs, cache_dir=cache)
    assert len(builds) == 3 and "Rebuilding" in caplog.text
    np.testing.assert_array_equal(g3.edge_length_m, g1.edge_length_m)
    WalkGraph.load(files[0])  # the rebuilt file verifies
    # a changed file is a different key
    path.write_text(path.read_text().replace("residential", "living_street"))
    load_walk_network(path, crs=city.crs, cache_dir=cache)
    assert len(builds) == 4


def test_graph_npz_checksum_detects_edits(tmp_path: Path) -> None:
    g = city_network(100, seed=1)
    f = g.save(tmp_path / "g.npz", key="k")
    arrays = dict(np.load(f))
    arrays["node_x_m"] = arrays["node_x_m"] + 1.0
    np.savez_compressed(tmp_path / "bad.npz", **arrays)
    with pytest.raises(LayerError, match="checksum"):
        WalkGraph.load(tmp_path / "bad.npz")
    with pytest.raises(LayerError, match="different inputs"):
        WalkGraph.load(f, key="other")
    assert WalkGraph.load(f, key="k").n_nodes == g.n_nodes


def test_unsupported_missing_and_broken_files(tmp_path: Path) -> None:
    pbf = tmp_path / "city.osm.pbf"
    pbf.write_bytes(b"\x00\x00")
    with pytest.raises(LayerError, match="not a readable OpenStreetMap PBF"):
        load_walk_network(pbf, crs="EPSG:32649")
    with pytest.raises(LayerNotFoundError, match="does not exist"):
        load_walk_network(tmp_path / "nope.osm", crs="EPSG:32649")
    broken = tmp_path / "broken.osm"
    broken.write_text("<osm><node id='1' lat='1' lon='1'>")
    with pytest.raises(LayerError, match="not valid OpenStreetMap XML"):
        load_walk_network(broken, crs="EPSG:32649")
    empty = _osm(tmp_path, _node_xml(1, 113.6, 34.7), "empty.osm")
    with pytest.raises(LayerError, match="no walkable streets"):
        load_walk_network(empty, crs="EPSG:32649")
    with pytest.raises(LayerError, match="format"):
        load_walk_network(pbf.rename(tmp_path / "city.shp"), crs="EPSG:32649")


def test_overpass_fails_fast_and_clearly_offline() -> None:
    import osmnx  # noqa: F401  (importing it is slow; time only the download attempt)

    square = shapely.box(113.60, 34.70, 113.61, 34.71)
    t0 = time.perf_counter()
    with pytest.raises(LayerError, match="internet"):
        walk_network_from_overpass(
            square, crs="EPSG:32649", timeout_s=1, overpass_url="http://127.0.0.1:9/api"
        )
    assert time.perf_counter() - t0 < 10


# ---------------------------------------------------------------------- shared real OSM files
@pytest.mark.shared_data
@needs_shared
@pytest.mark.parametrize(("path", "crs"), [(OAKLAND, "EPSG:32610"), (PLANET, "EPSG:32632")])
def test_real_osm_files_fast_reader_matches_osmnx(path: Path, crs: str) -> None:
    fast = load_walk_network(path, crs=crs)
    ref = load_walk_network(path, crs=crs, reader="osmnx")
    assert fast.n_nodes == ref.n_nodes and fast.n_edges == ref.n_edges
    assert fast.edge_length_m.sum() == pytest.approx(ref.edge_length_m.sum(), rel=1e-3)
    assert fast.n_dropped_components == ref.n_dropped_components >= 1
    np.testing.assert_allclose(np.sort(fast.node_x_m), np.sort(ref.node_x_m), atol=0.5)


@pytest.mark.shared_data
@needs_shared
def test_graphml_saved_by_osmnx(tmp_path: Path) -> None:
    import osmnx as ox

    G = ox.graph_from_xml(OAKLAND, bidirectional=True, simplify=True, retain_all=True)
    gml = tmp_path / "oakland.graphml"
    ox.save_graphml(G, gml)
    g = load_walk_network(gml, crs="EPSG:32610", consolidate_m=0)
    fast = load_walk_network(OAKLAND, crs="EPSG:32610", consolidate_m=0)
    # OSMnx kept every highway (no walk filter in graph_from_xml); our filter then drops some ways
    assert g.n_edges > 0 and g.mode == "walk"
    assert abs(g.edge_length_m.sum() - fast.edge_length_m.sum()) < 0.05 * fast.edge_length_m.sum()
    # a file named without its format: the manifest's format is used, compression is sniffed
    odd = tmp_path / "network.data"
    odd.write_bytes(OAKLAND.read_bytes())
    as_osm = load_walk_network(odd, crs="EPSG:32610", file_format="osm.bz2")
    assert as_osm.n_nodes == load_walk_network(OAKLAND, crs="EPSG:32610").n_nodes
    with pytest.raises(LayerError, match="Unknown network format"):
        load_walk_network(odd, crs="EPSG:32610", file_format="shp")


@pytest.mark.shared_data
@needs_shared
def test_west_oakland_walk_and_bike(tmp_path: Path) -> None:
    walk = load_walk_network(OAKLAND, crs="EPSG:32610", cache_dir=tmp_path)
    bike = load_walk_network(OAKLAND, crs="EPSG:32610", mode="bike", cache_dir=tmp_path)
    assert walk.mode == "walk" and bike.mode == "bike"
    assert walk.n_nodes > 30 and bike.n_edges <= walk.n_edges
    assert walk.edge_length_m.sum() > 5_000
    assert len(list(tmp_path.glob("*.npz"))) == 2
    # all nodes lie in West Oakland (UTM 10N, ~563 km E, ~4185 km N)
    assert walk.node_x_m.min() > 555_000 and walk.node_x_m.max() < 570_000
    assert walk.node_y_m.min() > 4_180_000 and walk.node_y_m.max() < 4_190_000


# ---------------------------------------------------------------------- barriers and the third dimension (issue 17)
def _lonlat(x_m: float, y_m: float) -> tuple[float, float]:
    """A point x_m east, y_m north of a point of Helsinki, in UTM 35N metres (the CRS the tests load in)."""
    from pyproj import Transformer

    lon, lat = Transformer.from_crs("EPSG:32635", "EPSG:4326", always_xy=True).transform(385_000 + x_m, 6_672_000 + y_m)
    return float(lon), float(lat)


def _xml_and_pbf(tmp_path: Path, body: str) -> list[Path]:
    import osmium

    tmp_path = Path(tempfile.mkdtemp(dir=tmp_path))
    xml = _osm(tmp_path, body)
    pbf = tmp_path / "tiny.osm.pbf"
    w = osmium.SimpleWriter(str(pbf))
    for o in osmium.FileProcessor(str(xml)):
        (w.add_node if o.is_node() else w.add_way if o.is_way() else w.add_relation)(o)
    w.close()
    return [xml, pbf]


@pytest.mark.parametrize(
    ("tags", "walk", "bike"),
    [
        ({"barrier": "lift_gate", "access": "no"}, False, True),  # a vehicle gate: people walk round it
        ({"barrier": "lift_gate", "access": "private"}, False, True),
        ({"barrier": "lift_gate", "access": "no", "foot": "no"}, True, True),
        ({"barrier": "lift_gate", "access": "no", "bicycle": "yes"}, False, False),
        ({"barrier": "bollard", "access": "no"}, False, True),
        ({"barrier": "gate", "access": "private"}, True, True),  # a private gate into a compound
        ({"barrier": "gate", "access": "private", "foot": "yes"}, False, True),
        ({"barrier": "gate"}, False, False),
        ({"barrier": "fence"}, True, True),
        ({"barrier": "kissing_gate"}, False, True),
        ({"highway": "crossing"}, False, False),
    ],
)
def test_barrier_rule_for_pedestrians_and_cyclists(tags: dict[str, str], walk: bool, bike: bool) -> None:
    from coverage_planner.network.barriers import blocks_passage

    assert blocks_passage(tags, "walk") is walk
    assert blocks_passage(tags, "bike") is bike


def test_lift_gate_with_access_no_does_not_make_walkers_detour(tmp_path: Path) -> None:
    """A street through a lift gate (access=no) and a 1 km detour: walkers go through, cyclists round."""
    pts = {1: (0, 0), 2: (100, 0), 3: (200, 0), 4: (0, 400), 5: (200, 400), 6: (-50, 0), 7: (250, 0)}
    nodes = [_node_xml(i, *_lonlat(*xy)) for i, xy in pts.items() if i != 2]
    lon, lat = _lonlat(*pts[2])
    nodes.append(f"<node id='2' lat='{lat:.7f}' lon='{lon:.7f}'><tag k='barrier' v='lift_gate'/>"
                 "<tag k='access' v='no'/></node>")
    body = "\n".join([*nodes, _way_xml(100, [1, 2, 3], highway="service"),
                      _way_xml(101, [1, 4, 5, 3], highway="residential"),
                      _way_xml(102, [6, 1], highway="residential"), _way_xml(103, [3, 7], highway="residential")])
    from scipy.sparse.csgraph import dijkstra

    for path in _xml_and_pbf(tmp_path, body):
        for mode, want in (("walk", 300.0), ("bike", 1100.0)):
            g = load_walk_network(path, crs="EPSG:32635", mode=mode)
            a, b = (int(np.flatnonzero(g.node_osmid == k)[0]) for k in (6, 7))
            assert dijkstra(g.adjacency, indices=a)[b] == pytest.approx(want, rel=0.01), (path.name, mode)
    body_no_foot = body.replace("<tag k='access' v='no'/>", "<tag k='access' v='no'/><tag k='foot' v='no'/>")
    for path in _xml_and_pbf(tmp_path, body_no_foot):
        g = load_walk_network(path, crs="EPSG:32635")
        a, b = (int(np.flatnonzero(g.node_osmid == k)[0]) for k in (6, 7))
        assert dijkstra(g.adjacency, indices=a)[b] == pytest.approx(1100.0, rel=0.01)


def _tunnel_town(tmp_path: Path) -> list[Path]:
    """A street along y=0 and, 30 m north of it, a road tunnel (layer -1) joined to it at both ends."""
    pts = {1: (0, 0), 2: (200, 0), 3: (400, 0), 11: (0, 30), 12: (200, 30), 13: (400, 30)}
    body = "\n".join([*(_node_xml(i, *_lonlat(*xy)) for i, xy in pts.items()),
                      _way_xml(100, [1, 2, 3], highway="residential"),
                      _way_xml(101, [1, 11], highway="residential"), _way_xml(102, [3, 13], highway="residential"),
                      _way_xml(103, [11, 12, 13], highway="primary", tunnel="yes", layer="-1")])
    return _xml_and_pbf(tmp_path, body)


def test_home_above_a_tunnel_snaps_to_the_street_it_stands_on(tmp_path: Path) -> None:
    from pyproj import Transformer

    from coverage_planner.network import snap_points

    tr = Transformer.from_crs("EPSG:4326", "EPSG:32635", always_xy=True)
    graphs = [load_walk_network(p, crs="EPSG:32635") for p in _tunnel_town(tmp_path)]
    np.testing.assert_array_equal(graphs[0].edge_off_ground, graphs[1].edge_off_ground)  # XML == PBF
    g = graphs[0]
    assert g.edge_off_ground.sum() == 1 and g.edge_off_ground.size == g.n_edges == 2  # a ring: street, tunnel
    # a home standing over the tunnel (2 m from it, 28 m from the street), and one 320 m from the street
    x, y = tr.transform(*np.array([_lonlat(200, 28), _lonlat(200, 320)]).T)
    s = snap_points(g, x, y)
    street_y = tr.transform(*_lonlat(200, 0))[1]
    assert not g.edge_off_ground[s.edge[0]] and s.offset_m[0] == pytest.approx(28.0, abs=0.5)
    assert s.snapped_y_m[0] == pytest.approx(street_y, abs=0.5)
    # nothing on the ground within 300 m: the tunnel, said so
    assert g.edge_off_ground[s.edge[1]] and s.offset_m[1] == pytest.approx(290.0, abs=1.0)
    assert s.off_ground_fallback.tolist() == [False, True] and s.n_off_ground_fallback == 1
    # without the rule the home would be put in the tunnel
    s_any = snap_points(g, x, y, ground_first=False)
    assert g.edge_off_ground[s_any.edge[0]] and s_any.offset_m[0] == pytest.approx(2.0, abs=0.5)


def test_off_ground_ways() -> None:
    from coverage_planner.network.load import off_ground

    assert off_ground({"highway": "primary", "tunnel": "yes"})
    assert off_ground({"highway": "footway", "bridge": "yes", "layer": "1"})
    assert off_ground({"highway": "footway", "layer": "-2"})
    assert off_ground({"highway": "footway", "covered": "yes"})
    assert not off_ground({"highway": "footway", "tunnel": "building_passage"})  # through a building, at street level
    assert not off_ground({"highway": "residential", "layer": "0", "bridge": "no"})
    assert off_ground({"highway": ["residential", "primary"], "tunnel": [None, "yes"]})


def test_osm_nodes_are_not_merged_by_default_and_the_graph_says_so(tmp_path: Path) -> None:
    pts = {1: (0, 0), 2: (100, 0), 3: (104, 0), 4: (200, 0), 5: (100, 100), 6: (104, -100)}
    body = "\n".join([*(_node_xml(i, *_lonlat(*xy)) for i, xy in pts.items()),
                      _way_xml(100, [1, 2, 3, 4], highway="residential"),
                      _way_xml(101, [2, 5], highway="residential"), _way_xml(102, [3, 6], highway="residential")])
    path = _osm(tmp_path, body)
    g = load_walk_network(path, crs="EPSG:32635")
    assert {2, 3} <= set(g.node_osmid.tolist())  # two intersections 4 m apart stay two
    assert "none merged" in g.source
    g10 = load_walk_network(path, crs="EPSG:32635", consolidate_m=10)
    assert g10.n_nodes == g.n_nodes - 1 and "within 10 m merged" in g10.source


def test_cache_file_keeps_the_adjacency_and_older_files_still_load(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """Issue 20: the graph file stores its CSR adjacency (checksummed), so loading sorts no edges; a file
    written before (no CSR arrays) is rebuilt from the edges, to the same adjacency."""
    from coverage_planner.network import graph as graph_module
    from coverage_planner.network.graph import array_checksum, symmetric_csr

    g = city_network(300, seed=2)
    f = g.save(tmp_path / "g.npz", key="k")
    stored = dict(np.load(f))
    assert {"csr_indptr", "csr_indices", "csr_data"} <= set(stored)
    built = symmetric_csr(g.n_nodes, g.edge_u, g.edge_v, g.edge_length_m)

    def same(a, b) -> None:  # noqa: ANN001
        for name in ("indptr", "indices", "data"):
            x, y = getattr(a, name), getattr(b, name)
            assert x.dtype == y.dtype, name
            np.testing.assert_array_equal(x, y, err_msg=name)

    with monkeypatch.context() as m:
        m.setattr(graph_module, "symmetric_csr", lambda *a, **k: pytest.fail("a cache hit must not rebuild it"))
        loaded = WalkGraph.load(f, key="k")
    same(loaded.adjacency, built)
    older = {k: v for k, v in stored.items() if not k.startswith("csr_") and k != "checksum"}
    older["checksum"] = np.array([array_checksum(older)])
    np.savez_compressed(tmp_path / "old.npz", **older)
    same(WalkGraph.load(tmp_path / "old.npz", key="k").adjacency, built)


def test_a_loaded_graph_keeps_its_stored_content_digest(tmp_path: Path) -> None:
    """The network's identity (the key of every cache built on it) is stored with the file and read back, not
    hashed again per run; it equals the digest of the loaded arrays."""
    g = city_network(200, seed=3)
    loaded = WalkGraph.load(g.save(tmp_path / "g.npz", key="k"), key="k")
    assert "content_digest" in loaded.__dict__  # read from the file
    fresh = WalkGraph.from_edges(loaded.node_x_m, loaded.node_y_m, loaded.edge_u, loaded.edge_v, crs=loaded.crs,
                                 edge_length_m=loaded.edge_length_m, geom_offsets=loaded.geom_offsets,
                                 geom_x_m=loaded.geom_x_m, geom_y_m=loaded.geom_y_m, node_osmid=loaded.node_osmid,
                                 dropped_x_m=loaded.dropped_x_m, dropped_y_m=loaded.dropped_y_m,
                                 dropped_component=loaded.dropped_component, mode=loaded.mode, source=loaded.source,
                                 edge_off_ground=loaded.edge_off_ground)
    assert loaded.content_digest == fresh.content_digest == g.content_digest
