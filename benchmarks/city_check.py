"""Whole-city check: ``coverage check -s 2025`` on a demo city, cold and warm network cache, before and after.

Run: ``python benchmarks/city_check.py --scale 5.1 [--before main] [--profile 15]``.

Each pass is the real command line in a fresh process (``/usr/bin/time``: wall, user + system CPU, peak
RSS), with the load average printed beside it (2 shared cores: wall time follows the load, CPU time much
less). *Cold*: an empty network cache (the network is built from the OSM file, every snap is made);
*warm*: the same cache again (issue 20's goal: <= 10 s wall, <= 3 GB at >= 500k walking nodes; cold
<= 60 s). ``--before REF`` runs the same passes with the package as it is at git ref ``REF`` (exported to a
temporary folder, put first on ``PYTHONPATH``) and checks the two JSON reports are identical.
Before its timed passes each tree checks a small city once, untimed, so a tree's one-off costs (numba's
compilation in trees before issue 20) are not counted in either. ``--profile N`` profiles one more warm pass of this tree (cProfile, in process) and prints its N costliest
functions by own time. The demo city itself is built once (``$COVERAGE_CACHE_DIR`` or the default cache)
and shared by every pass through a symbolic link; its build time is printed when it had to be built.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _exported import build_compiled

ROOT = Path(__file__).resolve().parents[1]
#: A small city checked first by each tree, untimed (numba compiles its kernels there, not in a timed pass).
WARM_UP_SCALE = 0.05
RUN_CLI = "import sys; from coverage_planner.cli.main import cli; sys.exit(cli())"


def _load() -> str:
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def _export(ref: str, into: Path) -> Path:
    """The package as it is at ``ref``, importable as ``coverage_planner`` from the returned folder."""
    src = into / "src"
    src.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "coverage"], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive.stdout, check=True)
    build_compiled(src / "coverage")
    (into / "coverage_planner").symlink_to(src / "coverage")
    return into


def _pass(label: str, *, scale: float, cache: Path, out: Path, pythonpath: Path | None, show: bool = True) -> None:
    """One ``coverage check`` in a fresh process; prints wall, CPU, peak RSS and the load average."""
    env = dict(os.environ, COVERAGE_CACHE_DIR=str(cache))
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    timing = out.with_suffix(".time")
    cmd = ["/usr/bin/time", "-o", str(timing), "-f", "%e %U %S %M", sys.executable, "-c", RUN_CLI, "check",
           "-s", "2025", "--demo-scale", f"{scale:g}", "--exit-zero", "-f", "json", "-o", str(out)]
    before = _load()
    done = subprocess.run(cmd, env=env, cwd=cache, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:])
        raise SystemExit(f"{label}: exit {done.returncode}")
    wall, user, system, rss_kb = timing.read_text().split()[-4:]
    if not show:
        return
    print(f"  {label:<28} {float(wall):7.1f} s wall {float(user) + float(system):7.1f} s CPU "
          f"{int(rss_kb) / 1024 / 1024:5.2f} GB peak   load {before} -> {_load()}", flush=True)


def _report(path: Path, cache: Path) -> str:
    """A JSON report with its run's cache folder (in the layer-set path) written as ``<cache>``."""
    return path.read_text(encoding="utf-8").replace(str(cache), "<cache>")


def _profile(scale: float, cache: Path, top: int) -> None:
    import cProfile
    import pstats

    os.environ["COVERAGE_CACHE_DIR"] = str(cache)
    os.chdir(cache)  # numba imports `coverage`: never from the repository folder
    from coverage_planner.cli.main import cli

    prof = cProfile.Profile()
    with tempfile.TemporaryDirectory() as tmp:
        t0, c0 = time.perf_counter(), time.process_time()
        prof.enable()
        with contextlib.suppress(SystemExit):
            cli.main(["check", "-s", "2025", "--demo-scale", f"{scale:g}", "--exit-zero", "-f", "json", "-o",
                      str(Path(tmp) / "p.json")], standalone_mode=False)
        prof.disable()
    print(f"\nwarm pass under cProfile: {time.perf_counter() - t0:.1f} s wall, {time.process_time() - c0:.1f} s CPU "
          f"(profiling slows it), load {_load()}; the {top} costliest functions by own time:")
    pstats.Stats(prof).sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=5.1, help="demo city size (1.0 = full size; 5.1: 510k nodes)")
    parser.add_argument("--before", metavar="REF", help="also run the package as at this git ref (e.g. main)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile one more warm pass of this tree and print its N costliest functions")
    args = parser.parse_args()
    from coverage_planner.sources.demo import demo_layer_dir

    t0, c0 = time.perf_counter(), time.process_time()
    folder = Path(demo_layer_dir(scale=args.scale))
    print(f"demo city (scale {args.scale:g}) at {folder}: {time.perf_counter() - t0:.1f} s wall, "
          f"{time.process_time() - c0:.1f} s CPU (nothing to build when it was cached), load {_load()}")
    with tempfile.TemporaryDirectory(prefix="city-check-") as tmp:
        trees: list[tuple[str, Path | None]] = [("this tree", None)]
        if args.before:
            trees.insert(0, (args.before, _export(args.before, Path(tmp) / "before")))
        reports: dict[str, Path] = {}
        small = Path(demo_layer_dir(scale=WARM_UP_SCALE))
        for name, pythonpath in trees:
            cache = Path(tmp) / f"cache-{len(reports)}"
            cache.mkdir()
            # untimed: compiles the tree's numba kernels (an exported tree has no compiled cache yet)
            warm_up = Path(tmp) / f"warm-up-{len(reports)}"
            warm_up.mkdir()
            (warm_up / small.name).symlink_to(small)
            _pass(f"(warm-up, scale {WARM_UP_SCALE:g})", scale=WARM_UP_SCALE, cache=warm_up, out=warm_up / "w.json",
                  pythonpath=pythonpath, show=False)
            (cache / folder.name).symlink_to(folder)  # the demo city, shared; the network cache starts empty
            print(f"\n{name}:")
            for kind in ("cold", "warm"):
                out = cache / f"{kind}.json"
                _pass(f"{kind} network cache", scale=args.scale, cache=cache, out=out, pythonpath=pythonpath)
            reports[name] = cache / "warm.json"
            if _report(cache / "cold.json", cache) == _report(cache / "warm.json", cache):
                print("  cold and warm JSON reports identical")
            else:
                print("  WARNING: the cold and warm JSON reports differ")
        if args.before:
            same = len({_report(path, path.parent) for path in reports.values()}) == 1
            print(f"\nJSON report of {args.before} and of this tree: {'identical' if same else 'DIFFERENT'}")
        if args.profile:
            _profile(args.scale, Path(tmp) / f"cache-{len(reports) - 1}", args.profile)


if __name__ == "__main__":
    main()
