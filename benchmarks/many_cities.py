"""Many cities: N generated demo cities checked one after the other vs as Dask tasks on a LocalCluster.

Run: ``python benchmarks/many_cities.py`` (6 cities at scale 0.05, about a minute on 2 cores) or
``python benchmarks/many_cities.py --cities 18 --scale 0.1`` (a province such as Henan, 18 cities).

The cities (seeds 1..N) are generated first, into a fresh cache folder, by a throw-away cluster; they are the
same files for both runs. Each run then starts with an empty network cache, so every city loads its layers,
builds its walking network and evaluates every target of the scenario: the same work in both runs, through
the same ``coverage_planner.studies.many.check_many``. Prints the seconds of each run, their ratio (sequential / Dask), the
cluster start-up inside the Dask figure, the peak memory (RSS) of the sequential process and of every
Dask worker, and where a sequential city's time goes (layers + region, network build, the rest) for scaling
to hundreds of cities on paper (docs/many-cities.md).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn, bucket: list[float]):  # noqa: ANN001, ANN202 - a tiny local wrapper
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            bucket.append(time.perf_counter() - t0)

    return wrapper


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _warm() -> None:
    """Import what a check needs (a fresh worker process has imported nothing yet; the sequential one has)."""
    import osmnx  # noqa: F401
    import pyogrio  # noqa: F401
    import rasterio.features  # noqa: F401
    import scipy.ndimage  # noqa: F401

    import coverage_planner.render.web  # noqa: F401
    import coverage_planner.studies.check  # noqa: F401


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cities", type=int, default=6, help="number of demo cities (seeds 1..N); default 6")
    parser.add_argument("--scale", type=float, default=0.05, help="demo city size (1.0 = ~10 M people); 0.05")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes; default 2")
    parser.add_argument("--scenario", default="2025", help="scenario year or file; default 2025")
    args = parser.parse_args()

    cache = Path(tempfile.mkdtemp(prefix="coverage-many-bench-"))
    os.environ["COVERAGE_CACHE_DIR"] = str(cache)  # before any cluster starts: the workers inherit it
    import logging

    from distributed import Client, LocalCluster

    import coverage_planner.network as net_mod
    import coverage_planner.studies.check as check_mod
    from coverage_planner.sources.demo import demo_layer_dir
    from coverage_planner.studies.many import check_city, check_many

    logging.getLogger("distributed").setLevel(logging.WARNING)
    _warm()
    values = [f"demo:{args.scale:g}:{seed}" for seed in range(1, args.cities + 1)]
    cluster_kw = {"threads_per_worker": 1, "processes": True, "dashboard_address": ":0",
                  "silence_logs": logging.ERROR}
    try:
        t0 = time.perf_counter()
        with LocalCluster(n_workers=args.workers, **cluster_kw) as c, Client(c) as client:
            client.gather([client.submit(demo_layer_dir, scale=args.scale, seed=seed, pure=False)
                           for seed in range(1, args.cities + 1)])
        print(f"{args.cities} demo cities at scale {args.scale:g} generated in {time.perf_counter() - t0:.1f} s "
              f"(not part of the comparison)")

        shutil.rmtree(cache / "networks", ignore_errors=True)
        loads: list[float] = []
        nets: list[float] = []
        check_mod.load_region = _timed(check_mod.load_region, loads)
        net_mod.load_walk_network = _timed(net_mod.load_walk_network, nets)
        t0, cpu0 = time.perf_counter(), _cpu_s()
        seq = check_many(values, args.scenario, scheduler="sequential")
        t_seq, cpu_seq = time.perf_counter() - t0, _cpu_s() - cpu0
        peak_seq = _peak_rss_mb()

        shutil.rmtree(cache / "networks", ignore_errors=True)
        t0 = time.perf_counter()
        with LocalCluster(n_workers=args.workers, **cluster_kw) as c, Client(c) as client:
            t_start = time.perf_counter() - t0
            client.run(_warm)
            t_warm = time.perf_counter() - t0
            cpu0 = client.run(_cpu_s)
            futures = client.map(check_city, values, values, [args.scenario] * len(values), pure=False)
            par = client.gather(futures)
            t_dask = time.perf_counter() - t0
            cpu_dask = sum(v - cpu0[k] for k, v in client.run(_cpu_s).items())
            peaks = client.run(_peak_rss_mb)
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    bad = [o.message for o in [*seq, *par] if o.state != "ok"]
    if bad:
        raise SystemExit("a city failed: " + bad[0])
    same = [a.report == b.report for a, b in zip(seq, par, strict=True)]
    print(f"\n{args.cities} cities x scale {args.scale:g}, scenario {args.scenario}, cold network cache each run")
    print(f"  sequential (one process)          {t_seq:7.1f} s   {t_seq / args.cities:5.2f} s per city")
    print(f"  Dask LocalCluster, {args.workers} workers      {t_dask:7.1f} s   (of which cluster start {t_start:.1f} s, "
          f"worker imports {t_warm - t_start:.1f} s)")
    print(f"  ratio sequential / Dask           {t_seq / t_dask:7.2f}x  (on {os.cpu_count()} cores; the sequential "
          "process had imported everything before its clock started)")
    print(f"  ratio without cluster start-up    {t_seq / (t_dask - t_warm):7.2f}x  (tasks only)")
    print(f"  CPU seconds per city: sequential {cpu_seq / args.cities:.2f} s, Dask workers "
          f"{cpu_dask / args.cities:.2f} s; cores kept busy: sequential {cpu_seq / t_seq:.2f}, "
          f"Dask {cpu_dask / (t_dask - t_warm):.2f} (of {os.cpu_count()}; "
          f"load average now {os.getloadavg()[0]:.1f})")
    print(f"  reports identical in both runs:   {sum(same)}/{len(same)}")
    print(f"  peak RSS, sequential process:     {peak_seq:7.0f} MB")
    for addr, mb in sorted(peaks.items()):
        print(f"  peak RSS, worker {addr:<22} {mb:7.0f} MB")
    rest = t_seq - sum(loads) - sum(nets)
    print(f"\nwhere a sequential city's time goes (mean of {args.cities}):")
    print(f"  layers + region (load_region)     {sum(loads) / args.cities:5.2f} s")
    print(f"  walking/cycling network builds    {sum(nets) / args.cities:5.2f} s  ({len(nets)} builds)")
    print(f"  targets, rendering, rest          {rest / args.cities:5.2f} s")


if __name__ == "__main__":
    main()
