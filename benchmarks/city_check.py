"""Whole-city check: every 2025 target on the full-size demo city, cold and warm network cache.

Run: ``python benchmarks/city_check.py [--scale 1.0]``. Prints the time of each target, the total and
the peak memory of this process. The budget (issue "walking-network access engine"): all walk
targets of ``coverage check --scenario 2025`` in <= 60 s with a warm network cache, <= 4 GB peak.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from collections import defaultdict
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="demo city size (1.0 = full size)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile the warm pass (cProfile) and print its N costliest functions")
    args = parser.parse_args()
    # a fresh network cache so the first pass really builds the network; the demo city itself is reused
    os.environ.setdefault("COVERAGE_CACHE_DIR", str(Path.home() / ".cache" / "coverage-planner"))
    from coverage_planner.model.manifest import load_manifest
    from coverage_planner.model.region import load_region
    from coverage_planner.model.scenario import load_scenario
    from coverage_planner.sources.demo import demo_layer_dir
    from coverage_planner.studies.check import resolve_layers
    from coverage_planner.targets import EvalContext, evaluate_target
    from coverage_planner.targets import access as access_mod

    t0 = time.perf_counter()
    folder = demo_layer_dir(scale=args.scale)
    print(f"demo city (scale {args.scale}): {time.perf_counter() - t0:.1f} s (cached after the first run)")
    with tempfile.TemporaryDirectory() as net_cache:
        access_mod.cache_dir = lambda: Path(net_cache)  # cold network cache for pass 1
        for label in ("cold network cache", "warm network cache"):
            prof = None
            if args.profile and label.startswith("warm"):
                import cProfile

                prof = cProfile.Profile()
                prof.enable()
            t0 = time.perf_counter()
            c0 = time.process_time()
            spec = load_manifest(resolve_layers(str(folder)))
            region = load_region(spec)
            t_region = time.perf_counter() - t0
            sc = load_scenario(2025)
            ctx = EvalContext(region=region, scenario=sc, want_geo=False)
            by_kind: dict[str, float] = defaultdict(float)
            cpu_kind: dict[str, float] = defaultdict(float)
            for t in sc.targets:
                t1 = time.perf_counter()
                c1 = time.process_time()
                evaluate_target(t, ctx)
                by_kind[t.kind] += time.perf_counter() - t1
                cpu_kind[t.kind] += time.process_time() - c1
            total = time.perf_counter() - t0
            cpu = time.process_time() - c0
            walk = sum(by_kind[k] for k in ("walk_access", "catchment_capacity", "radius_coverage"))
            with open("/proc/loadavg") as fh:
                load = " ".join(fh.read().split()[:3])
            print(f"\n{label}: {len(sc.targets)} targets in {total:.1f} s wall, {cpu:.1f} s CPU, load {load} "
                  f"(region {t_region:.1f} s; {len(region.population):,} population cells)")
            for kind, sec in sorted(by_kind.items(), key=lambda kv: -kv[1]):
                print(f"  {kind:<20} {sec:7.2f} s wall {cpu_kind[kind]:7.2f} s CPU")
            print(f"  walk/catchment/radius targets together: {walk:.1f} s (budget 60 s with a warm cache)")
            for key in ("network:walk", "network:bike"):
                if ctx.cache.get(key) is not None:
                    print(f"  {ctx.cache[key].summary()}")
            if prof is not None:
                import pstats

                prof.disable()
                pstats.Stats(prof).sort_stats("tottime").print_stats(args.profile)
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    print(f"\npeak memory: {peak_gb:.2f} GB (budget 4 GB)")


if __name__ == "__main__":
    main()
