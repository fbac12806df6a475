"""MCLP benchmark: this project's greedy and HiGHS MILP against PySAL spopt (PuLP + CBC).

The same instances are solved by every solver: a seeded city-like layout (dense centres, sprawl,
population per demand point), Euclidean distances, a service radius. spopt gets what its API asks for,
the dense demand × candidate cost matrix (``MCLP.from_cost_matrix``); this project gets the same matrix and
turns it into the sparse coverage matrix itself, inside its timed region.

Run::

    .venv/bin/python benchmarks/siting.py --quick     # 2,000 × 500 only, < 1 min
    .venv/bin/python benchmarks/siting.py             # also 20,000 × 2,000 (spopt is time-limited)

spopt runs in a forked child process so it can be stopped at ``--spopt-limit-s`` (default 300 s, build and
solve together); a stopped run is reported as such, with the time it had used.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import sys
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.spatial.distance import cdist

# the package is imported by its installed name (the checkout is not put on sys.path: see network_access.py)
from coverage_planner.siting import greedy, milp
from coverage_planner.siting.problem import CoverageProblem

CITY_W_M, CITY_H_M = 24_000.0, 18_000.0


@dataclass(frozen=True)
class Instance:
    name: str
    demand_xy_m: np.ndarray
    candidate_xy_m: np.ndarray
    people: np.ndarray
    radius_m: float


def city_points(rng: np.random.Generator, n: int) -> np.ndarray:
    """Points on a city-like layout: 70 % around 9 centres of varied size, 30 % uniform sprawl."""
    centres = (
        np.array([[12, 9], [7, 6], [17, 12], [6, 13], [18, 5], [12, 15], [3, 3], [21, 15], [10, 3]]) * 1000.0
    )
    spread_m = np.array([2500, 1500, 1800, 1200, 1400, 1000, 900, 1100, 800.0])
    share = np.array([0.3, 0.15, 0.15, 0.1, 0.1, 0.06, 0.05, 0.05, 0.04])
    n_core = int(0.7 * n)
    k = rng.choice(centres.shape[0], size=n_core, p=share)
    core = centres[k] + rng.normal(size=(n_core, 2)) * spread_m[k, None]
    sprawl = rng.uniform((0, 0), (CITY_W_M, CITY_H_M), size=(n - n_core, 2))
    pts = np.vstack([core, sprawl])
    return np.clip(pts, (0, 0), (CITY_W_M, CITY_H_M))


def make_instance(n_demand: int, n_candidate: int, *, seed: int, radius_m: float) -> Instance:
    rng = np.random.default_rng(seed)
    demand = city_points(rng, n_demand)
    candidates = city_points(rng, n_candidate)
    people = np.round(rng.lognormal(mean=5.0, sigma=0.8, size=n_demand))  # ~200 people per point
    return Instance(f"{n_demand:,} × {n_candidate:,}", demand, candidates, people, radius_m)


def ours(cost_m: np.ndarray, inst: Instance, p: int, *, time_limit_s: float) -> dict[str, object]:
    """Greedy, HiGHS exact (gap 0) and HiGHS to a proven 0.5 % gap, each timed from the dense cost matrix."""
    t0 = time.perf_counter()
    problem = CoverageProblem(sp.csr_array(cost_m <= inst.radius_m), inst.people)
    setup_s = time.perf_counter() - t0
    out: dict[str, object] = {}
    runs = {
        "greedy": lambda: greedy.max_coverage(problem, n_sites=p),
        "exact": lambda: milp.max_coverage(problem, n_sites=p, time_limit_s=time_limit_s, mip_rel_gap=0.0),
        "fast": lambda: milp.max_coverage(problem, n_sites=p, time_limit_s=time_limit_s, mip_rel_gap=0.005),
    }
    for name, run in runs.items():
        t1 = time.perf_counter()
        r = run()
        out[name] = r
        out[f"{name}_s"] = setup_s + time.perf_counter() - t1
    return out


def _spopt_child(
    cost_m: np.ndarray, people: np.ndarray, radius_m: float, p: int, limit_s: float, conn
) -> None:
    import pulp
    from spopt.locate import MCLP

    t0 = time.perf_counter()
    model = MCLP.from_cost_matrix(cost_m, people, service_radius=radius_m, p_facilities=p)
    t_build = time.perf_counter() - t0
    conn.send({"build_s": t_build})
    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=max(1.0, limit_s - t_build))
    t1 = time.perf_counter()
    try:
        model.solve(solver, results=False)
    except RuntimeError as exc:  # spopt raises when CBC ends without an optimal status
        conn.send({"error": str(exc), "solve_s": time.perf_counter() - t1})
        return
    t_solve = time.perf_counter() - t1
    chosen = np.array([j for j, v in enumerate(model.fac_vars) if (v.value() or 0) > 0.5], dtype=np.int64)
    covered = (cost_m[:, chosen] <= radius_m).any(axis=1) if chosen.size else np.zeros(len(people), bool)
    conn.send(
        {
            "solve_s": t_solve,
            "obj": float(people[covered].sum()),
            "pulp_obj": float(pulp.value(model.problem.objective)),
            "sol_status": int(model.problem.sol_status),
        }
    )


def run_spopt(cost_m: np.ndarray, inst: Instance, p: int, *, limit_s: float) -> dict[str, object]:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_spopt_child, args=(cost_m, inst.people, inst.radius_m, p, limit_s, child))
    t0 = time.perf_counter()
    proc.start()
    child.close()
    out: dict[str, object] = {}
    deadline = t0 + limit_s + 30.0  # CBC gets the remaining budget itself; 30 s grace for its file I/O
    while time.perf_counter() < deadline:
        if parent.poll(min(1.0, max(0.0, deadline - time.perf_counter()))):
            try:
                out.update(parent.recv())
            except EOFError:
                break
            if "obj" in out or "error" in out:
                break
        elif not proc.is_alive():
            break
    if proc.is_alive():
        proc.kill()
        out["stopped_s"] = time.perf_counter() - t0
    proc.join()
    out["wall_s"] = time.perf_counter() - t0
    return out


def fmt_s(x: float) -> str:
    return f"{x:.3f}" if x < 1 else f"{x:.2f}" if x < 100 else f"{x:.0f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small instance only (2,000 × 500)")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--spopt-limit-s", type=float, default=300.0, help="wall-clock budget per spopt run")
    ap.add_argument(
        "--milp-limit-s", type=float, default=None, help="HiGHS time limit per run (quick 30 s, else 120 s)"
    )
    ap.add_argument("--no-spopt", action="store_true", help="skip spopt (it is slow at 20,000 × 2,000)")
    args = ap.parse_args()
    if args.milp_limit_s is None:
        args.milp_limit_s = 30.0 if args.quick else 120.0

    try:
        import spopt  # noqa: F401
    except ImportError:
        args.no_spopt = True
        print("spopt is not installed: its columns are left empty.")

    sizes = [(2_000, 500, 1_200.0)] if args.quick else [(2_000, 500, 1_200.0), (20_000, 2_000, 800.0)]
    print(
        f"# MCLP benchmark ({platform.processor() or platform.machine()}, {os.cpu_count()} cores, seed {args.seed})"
    )
    print(
        "objective = people covered; greedy/HiGHS times include turning the cost matrix into the sparse cover;"
    )
    print(
        "spopt = MCLP.from_cost_matrix + solve(PULP_CBC_CMD, results=False); speed-up = spopt total / ours;"
    )
    print(
        "'≤ 0.5 %' = HiGHS MILP stopped once proven within 0.5 % of the best possible (mip_rel_gap=0.005)\n"
    )
    header = (
        "| instance | p | greedy: people (% of best) | s | HiGHS exact: people | status | s "
        "| HiGHS ≤ 0.5 %: people | proven gap | s | spopt: people | build s | solve s | same objective? "
        "| speed-up exact | speed-up ≤ 0.5 % | speed-up greedy |"
    )
    print(header)
    print("|" + "|".join(["---"] * (header.count("|") - 1)) + "|")
    for n_d, n_c, radius_m in sizes:
        inst = make_instance(n_d, n_c, seed=args.seed, radius_m=radius_m)
        cost_m = cdist(inst.demand_xy_m, inst.candidate_xy_m)
        for p in (20, 50):
            o = ours(cost_m, inst, p, time_limit_s=args.milp_limit_s)
            g, ex, fa = o["greedy"], o["exact"], o["fast"]
            t_g, t_ex, t_fa = float(o["greedy_s"]), float(o["exact_s"]), float(o["fast_s"])  # type: ignore[arg-type]
            best = ex.covered_after_people if ex.status == "optimal" else None  # type: ignore[union-attr]
            share = f" ({100 * g.covered_after_people / best:.2f} %)" if best else ""  # type: ignore[union-attr]
            row = [
                f"{inst.name} ({radius_m:,.0f} m)", str(p),
                f"{g.covered_after_people:,.0f}{share}", fmt_s(t_g),  # type: ignore[union-attr]
                f"{ex.covered_after_people:,.0f}", ex.status + ("" if ex.status == "optimal" else f", gap {100 * ex.gap:.2f} %"), fmt_s(t_ex),  # type: ignore[union-attr]
                f"{fa.covered_after_people:,.0f}", f"{100 * fa.gap:.2f} %", fmt_s(t_fa),  # type: ignore[union-attr]
            ]  # fmt: skip
            if args.no_spopt:
                row += ["—"] * 7
            else:
                s = run_spopt(cost_m, inst, p, limit_s=args.spopt_limit_s)
                build = s.get("build_s")
                if "obj" in s:
                    total = float(build) + float(s["solve_s"])  # type: ignore[arg-type]
                    obj = float(s["obj"])  # type: ignore[arg-type]
                    rel = (obj - ex.covered_after_people) / max(1.0, ex.covered_after_people)  # type: ignore[union-attr]
                    same = (
                        "yes"
                        if abs(rel) < 1e-9
                        else f"{'+' if rel > 0 else '−'}{100 * abs(rel):.2f} % (spopt vs exact)"
                    )
                    if int(s.get("sol_status", 1)) != 1:  # type: ignore[call-overload]
                        same += "; CBC stopped at its time limit"
                    row += [
                        f"{obj:,.0f}", fmt_s(float(build)), fmt_s(float(s["solve_s"])), same,  # type: ignore[arg-type]
                        f"{total / t_ex:,.1f}×", f"{total / t_fa:,.1f}×", f"{total / t_g:,.0f}×",
                    ]  # fmt: skip
                else:
                    used = float(s.get("stopped_s", s["wall_s"]))  # type: ignore[arg-type]
                    if "error" in s:  # CBC returned without a solution within its share of the budget
                        note = (
                            f"no answer within the {args.spopt_limit_s:.0f} s limit: the build took "
                            f"{float(build):.0f} s, CBC stopped after {float(s['solve_s']):.0f} s without a solution"  # type: ignore[arg-type]
                        )
                    else:
                        where = "during the model build" if build is None else "during the CBC solve"
                        note = f"no answer: stopped at {used:.0f} s {where}"
                    row += [
                        "—", fmt_s(float(build)) if build is not None else f"> {used:.0f}", "—", note,  # type: ignore[arg-type]
                        f"> {used / t_ex:,.1f}×", f"> {used / t_fa:,.1f}×", f"> {used / t_g:,.0f}×",
                    ]  # fmt: skip
            print("| " + " | ".join(row) + " |", flush=True)
            for r in (g, ex, fa):
                print(f"  {r.sentence}", file=sys.stderr, flush=True)  # type: ignore[union-attr]
    if not args.quick:
        scale_check(seed=args.seed)


def scale_check(*, seed: int) -> None:
    """Greedy at city scale: 200,000 demand points × 5,000 candidates (no dense matrix; KD-tree coverage)."""
    from scipy.spatial import cKDTree

    rng = np.random.default_rng(seed)
    demand, candidates = city_points(rng, 200_000), city_points(rng, 5_000)
    people = np.round(rng.lognormal(mean=3.0, sigma=0.8, size=demand.shape[0]))
    radius_m = 1_000.0
    t0 = time.perf_counter()
    lists = cKDTree(candidates).query_ball_point(demand, radius_m)
    lengths = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    indices = np.fromiter((j for x in lists for j in x), dtype=np.int64, count=int(lengths.sum()))
    cover = sp.csr_array(
        (np.ones(indices.size, bool), indices, np.concatenate([[0], np.cumsum(lengths)])),
        shape=(len(lists), 5_000),
    )
    existing = rng.random(demand.shape[0]) < 0.3
    problem = CoverageProblem(cover, people, existing)
    t_build = time.perf_counter() - t0
    print(f"\n# Greedy at city scale: 200,000 × 5,000, radius {radius_m:,.0f} m, {cover.nnz:,} pairs")
    print(f"coverage sets (KD-tree, not timed below): {t_build:.2f} s")
    for p in (20, 50, 500):
        t1 = time.perf_counter()
        r = greedy.max_coverage(problem, n_sites=p)
        print(f"greedy p = {p}: {time.perf_counter() - t1:.3f} s. {r.sentence}")
    t1 = time.perf_counter()
    r = greedy.until_met(problem, target_share=0.9)
    print(f"until_met 90 %: {time.perf_counter() - t1:.3f} s. {r.sentence}")


if __name__ == "__main__":
    main()
