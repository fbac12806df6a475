"""Progress over four years: one region for every year (``run_years``) against loading the region again for each year (as one ``coverage check`` per year does).

Run: ``python benchmarks/progress_years.py [--scale 0.25] [--targets N]``. Prints both times and their ratio,
measured in the same run, and checks that both give the same values.
"""

from __future__ import annotations

import argparse
import time

YEARS = ["2020", "2022", "2023", "2025"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.25, help="demo city size (1.0 = full size)")
    parser.add_argument("--targets", type=int, default=0, help="only the first N targets of 2025 (0: all)")
    args = parser.parse_args()
    from coverage_planner.model.scenario import load_scenario
    from coverage_planner.sources.demo import demo_layer_dir
    from coverage_planner.studies.check import run_years

    folder = demo_layer_dir(scale=args.scale)  # built (or found) before timing
    ids = [t.id for t in load_scenario(2025).targets][: args.targets or None]
    every = {t.id for y in YEARS for t in load_scenario(y).targets}
    ids = [i for i in ids if i in every]
    t0 = time.perf_counter()
    shared = run_years(YEARS, str(folder), targets=ids or None)
    t_shared = time.perf_counter() - t0
    t0 = time.perf_counter()
    separate = []
    for y in YEARS:  # the same work, but the layer set is read and the region built again for every year
        have = [i for i in ids if i in {t.id for t in load_scenario(y).targets}]
        separate.extend(run_years([y], str(folder), targets=have) if have else shared[len(separate):len(separate) + 1])
    t_separate = time.perf_counter() - t0
    for a, b in zip(shared, separate, strict=True):
        assert [r.value for r in a.results] == [r.value for r in b.results], a.scenario.year
    print(f"{len(ids) or 'all'} targets x {len(YEARS)} years, demo scale {args.scale}")
    print(f"one region for all years (run_years): {t_shared:.2f} s")
    print(f"region loaded again for each year:    {t_separate:.2f} s")
    print(f"ratio separate / shared:              {t_separate / t_shared:.2f}x")


if __name__ == "__main__":
    main()
