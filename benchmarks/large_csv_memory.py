"""Peak memory of a large facility CSV: reading it (every column vs the needed ones) and a whole check.

A generated childcare list (``--rows`` rows, about 160 bytes each: 2.4 M rows ≈ 390 MB, as in issue 19) with
fifteen columns (name, address, phone, operator, notes ... and the slots, puhui, lon, lat a scenario reads)
is read by :func:`coverage_planner.model.readers.read_layer` in a fresh process each way:

* ``all``: no ``wanted`` columns (what every run did before issue 19, and still does for small files);
* ``needed``: ``wanted=["slots", "puhui"]`` as ``evaluate_scenario`` passes for a childcare ratio target.

Reports each peak resident set size (``ru_maxrss``) and their ratio, measured in the same run.

With ``--check-demo``, also runs ``coverage check`` (the two childcare targets of 2025) on a copy of the 0.05
demo city whose childcare list is replaced by the generated one, and reports that process's peak memory
(``/usr/bin/time``) and its plausibility warnings. With ``--before REV`` (a git revision, e.g. ``main`` or the
commit before a change) the same check is run first with the package as it was at REV (exported with
``git archive`` and put first on ``PYTHONPATH``), in a fresh process too, and the two peaks are compared; both
runs must give the same JSON report.

Run: ``python benchmarks/large_csv_memory.py [--rows 2400000] [--check-demo [--before REV]] [--csv FILE]``
(``--csv`` reuses a list generated before, e.g. one kept with ``--keep FILE``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _exported import build_compiled

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from coverage_planner.model.manifest import LayerSource
from coverage_planner.model.readers import read_layer
src = LayerSource(role="childcare", path=Path(sys.argv[1]), lon="lon", lat="lat", crs="EPSG:4326",
                  fields={"name": "名称", "slots": "托位数", "puhui": "普惠"})
wanted = None if sys.argv[2] == "all" else ["slots", "puhui"]
t0 = time.perf_counter()
gdf, _ = read_layer(src, wanted=wanted)
print(json.dumps({"rows": len(gdf), "columns": len(gdf.columns), "seconds": time.perf_counter() - t0,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_csv(path: Path, rows: int, seed: int = 0, *, bounds: tuple[float, float, float, float] = (
        113.6, 34.7, 113.8, 34.8)) -> Path:
    """Write the generated list in chunks (so generating it does not itself need gigabytes)."""
    rng = np.random.default_rng(seed)
    first = True
    for lo in range(0, rows, 200_000):
        n = min(200_000, rows - lo)
        i = np.arange(lo, lo + n)
        df = pd.DataFrame({
            "编号": [f"TY{k:08d}" for k in i],
            "状态": np.where(rng.random(n) < 0.9, "现有", "规划"),
            "开办年份": rng.integers(2000, 2030, n).astype(str),
            "公办": np.where(rng.random(n) < 0.4, "是", "否"),
            "名称": [f"幸福路第{k % 997}托育中心{k}" for k in i],
            "地址": [f"金水区花园路{k % 503}号{k % 37}栋" for k in i],
            "电话": [f"0371-{k % 10_000_000:07d}" for k in i],
            "托位数": rng.integers(10, 200, n).astype(str),
            "普惠": np.where(rng.random(n) < 0.6, "是", "否"),
            "举办者": np.where(rng.random(n) < 0.5, "民办", "公办"),
            "街道": [f"街道{k % 211}" for k in i],
            "备案": np.where(rng.random(n) < 0.9, "已备案", "未备案"),
            "备注": ["" if k % 3 else "含乳儿班" for k in i],
            "lon": (bounds[0] + rng.random(n) * (bounds[2] - bounds[0])).round(6),
            "lat": (bounds[1] + rng.random(n) * (bounds[3] - bounds[1])).round(6),
        })
        df.to_csv(path, mode="w" if first else "a", header=first, index=False)
        first = False
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_400_000)
    ap.add_argument("--check-demo", action="store_true", help="also measure a whole `coverage check` on it")
    ap.add_argument("--before", metavar="REV", help="with --check-demo: also run the check at this git revision")
    ap.add_argument("--csv", type=Path, help="use this generated list instead of generating one")
    ap.add_argument("--keep", type=Path, help="copy the generated list here (for --csv next time)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "childcare.csv"
        t0 = time.perf_counter()
        if args.csv:
            shutil.copy(args.csv, path)
        else:
            make_csv(path, args.rows, bounds=_demo_bounds() if args.check_demo else (113.6, 34.7, 113.8, 34.8))
            if args.keep:
                shutil.copy(path, args.keep)
        print(f"list: {path.stat().st_size / 1e6:,.0f} MB in {time.perf_counter() - t0:.0f} s")
        out = {}
        for how in ("all", "needed"):
            r = subprocess.run([sys.executable, "-c", _CHILD, str(path), how], capture_output=True, text=True,
                               check=True)
            out[how] = json.loads(r.stdout.strip().splitlines()[-1])
            print(f"{how:>6}: {out[how]['rows']:,} rows, {out[how]['columns']} columns, peak "
                  f"{out[how]['peak_mb']:,.0f} MiB, {out[how]['seconds']:.1f} s")
        print(f"needed / all peak memory: {out['needed']['peak_mb'] / out['all']['peak_mb']:.2f}")
        if args.check_demo:
            _compare_checks(_demo_copy(path, Path(tmp)), Path(tmp), before=args.before)


def _demo_bounds() -> tuple[float, float, float, float]:
    from coverage_planner.model.manifest import load_manifest
    from coverage_planner.model.region import load_region
    from coverage_planner.sources.demo import demo_layer_dir

    return tuple(load_region(load_manifest(demo_layer_dir(scale=0.05))).territory_wgs84_bounds)


def _demo_copy(csv: Path, tmp: Path) -> Path:
    """A copy of the 0.05 demo city whose childcare list is ``csv`` (moved there)."""
    import yaml

    from coverage_planner.sources.demo import demo_layer_dir

    layers = tmp / "city"
    shutil.copytree(demo_layer_dir(scale=0.05), layers)
    shutil.move(csv, layers / "facilities" / "childcare.csv")
    doc = yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))
    doc["facilities"]["childcare"] = {"path": "facilities/childcare.csv", "lon": "lon", "lat": "lat",
                                      "crs": "EPSG:4326", "fields": {"facility_id": "编号", "name": "名称",
                                                                     "slots": "托位数", "puhui": "普惠",
                                                                     "public": "公办", "status": "状态",
                                                                     "open_year": "开办年份"}}
    (layers / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return layers


def _package_at(rev: str, tmp: Path) -> Path:
    """The package as it was at git revision ``rev``, importable as coverage_planner from the returned folder."""
    repo = Path(__file__).resolve().parents[1]
    root = tmp / f"at-{rev.replace('/', '_')}"
    root.mkdir()
    archive = subprocess.run(["git", "-C", str(repo), "archive", rev, "coverage", "scenarios"], capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    build_compiled(root / "coverage")
    (root / "coverage" / "scenarios").symlink_to("../scenarios")  # package data, as pyproject maps it
    # only the import name on the path: a folder named coverage there would shadow coverage.py (numba imports it)
    (root / "path").mkdir()
    (root / "path" / "coverage_planner").symlink_to("../coverage")
    return root / "path"


def _check(layers: Path, *, pythonpath: Path | None) -> tuple[dict, float, int, float]:
    """(JSON report, peak MiB, exit code, seconds) of one `coverage check` in a fresh process."""
    import os

    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    code = "import sys; from coverage_planner.cli.main import cli; sys.argv[0] = 'coverage'; cli()"
    t0 = time.perf_counter()
    # -P and a neutral folder: the repository's own coverage/ folder must not shadow the installed package
    r = subprocess.run(["/usr/bin/time", "-f", "peak_kb=%M", sys.executable, "-P", "-c", code, "check", "-s", "2025",
                        "--layers", str(layers), "--target", "childcare-slots-per-1000",
                        "--target", "childcare-public-benefit-share", "--format", "json", "--exit-zero"],
                       capture_output=True, text=True, env=env, cwd=layers)
    seconds = time.perf_counter() - t0
    if "peak_kb=" not in r.stderr or r.returncode not in (0, 1):
        print(r.stderr[-2000:])
    peak = int(r.stderr.rsplit("peak_kb=", 1)[1].split()[0]) / 1024 if "peak_kb=" in r.stderr else float("nan")
    return (json.loads(r.stdout) if r.returncode == 0 else {}), peak, r.returncode, seconds


def _compare_checks(layers: Path, tmp: Path, *, before: str | None) -> None:
    runs = {}
    if before:
        runs[f"before ({before})"] = _check(layers, pythonpath=_package_at(before, tmp))
    runs["after (this tree)"] = _check(layers, pythonpath=None)
    for label, (doc, peak, code, seconds) in runs.items():
        warned = [n for n in doc.get("data_notes", []) if "implausible" in n]
        print(f"coverage check, {label}: exit {code}, {seconds:.0f} s, peak {peak:,.0f} MiB; plausibility warnings: "
              f"{len(warned)}")
        for n in warned:
            print("  ", n[:200])
    if before:
        (b, pb, _, _), (a, pa, _, _) = runs.values()
        b.pop("tool", None), a.pop("tool", None)
        same = "yes" if a and a == b else "no" if a and b else "n/a (a run failed)"
        print(f"after / before peak memory: {pa / pb:.2f}; same JSON report: {same}")


if __name__ == "__main__":
    main()
