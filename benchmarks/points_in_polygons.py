"""Facilities matched to units: the tree's own ``intersects`` predicate against the box query + prepared polygons.

Run: ``python benchmarks/points_in_polygons.py [LAYER_SET]`` (default: the 5.1 demo city in
``$COVERAGE_CACHE_DIR``, built by ``coverage check --demo-scale 5.1``).

Every facility layer of the layer set is matched to every unit level, as the targets do, first with the
former method (``STRtree.query(points, predicate="intersects")``: each point tested against an unprepared
polygon) and then with :func:`coverage_planner.model.region._points_in_polygons` (box query, polygons prepared
once, ``intersects_xy``) on fresh unprepared copies of the polygons (one per level, as the targets share the region's units); the indices must be identical. Prints both times
(wall and CPU), their ratio and the load average.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
import shapely

from coverage_planner.model.manifest import load_manifest
from coverage_planner.model.region import _points_in_polygons, load_region


def _tree_predicate(x: np.ndarray, y: np.ndarray, polys: np.ndarray) -> np.ndarray:
    out = np.full(x.size, -1, dtype=np.int64)
    if x.size:
        pi, gi = shapely.STRtree(polys).query(shapely.points(x, y), predicate="intersects")
        order = np.argsort(pi, kind="stable")[::-1]
        out[pi[order]] = gi[order]
    return out


def _timed(fn, jobs):
    # unprepared copies of each level's polygons, made before the clock, shared by the pass's jobs as the
    # region's units are shared by the targets (the prepared method pays the preparation once per level)
    copies = {id(p): shapely.from_wkb(shapely.to_wkb(p)) for _, _, p in jobs}
    t, c = time.perf_counter(), time.process_time()
    res = [fn(x, y, copies[id(p)]) for x, y, p in jobs]
    return res, time.perf_counter() - t, time.process_time() - c


def main() -> None:
    cache = Path(os.environ.get("COVERAGE_CACHE_DIR", Path.home() / ".cache" / "coverage-planner"))
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else cache / "demo-v4-scale5.1-seed2025"
    region = load_region(load_manifest(folder))
    jobs = []
    levels = [np.asarray(u.geometry.values) for u in region.units.values()]
    for role in region.spec.facilities:
        fac = region.facilities(role, purpose="benchmark")
        x, y = shapely.get_x(fac.geometry.values), shapely.get_y(fac.geometry.values)
        jobs += [(x, y, polys) for polys in levels]
    print(f"{len(jobs)} matchings, {sum(j[0].size for j in jobs):,} points; load {os.getloadavg()}")
    old, t_old, c_old = _timed(_tree_predicate, jobs)
    new, t_new, c_new = _timed(_points_in_polygons, jobs)
    assert all(np.array_equal(a, b) for a, b in zip(old, new, strict=True)), "indices differ"
    print(f"tree predicate: {t_old:.2f} s wall {c_old:.2f} s CPU; prepared: {t_new:.2f} s wall {c_new:.2f} s CPU; "
          f"ratio {t_old / t_new:.1f}x wall; load {os.getloadavg()}")


if __name__ == "__main__":
    main()
