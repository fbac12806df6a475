"""The location models of issue 21 against PySAL spopt (PuLP + CBC) on the same instances: time and objective.

Instances: spopt's own test instances (the San Francisco stores for LSCP-B, the school journeys for the
capacitated p-median, read from the CSV files spopt ships), and seeded city-like layouts from
``benchmarks/siting.py`` (Euclidean costs, people per demand point). Both sides get the same dense cost
matrix; spopt builds with ``from_cost_matrix`` and solves with CBC (``msg=False``), this project with
HiGHS. Times are wall-clock, model building included, in the same process and run.

spopt has no budgeted MCLP; that row is checked against a brute force on a small instance instead.

Run::

    .venv/bin/python benchmarks/siting_models.py --quick     # small instances, < 1 min
    .venv/bin/python benchmarks/siting_models.py             # also 1,000 × 150
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.spatial.distance import cdist

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or os.curdir).resolve() != HERE.parent]  # coverage/ shadows coverage.py

from coverage_planner.siting import CoverageProblem, models  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_siting", HERE / "siting.py")
bench_siting = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["bench_siting"] = bench_siting
_spec.loader.exec_module(bench_siting)  # type: ignore[union-attr]
sys.path[:] = [p for p in sys.path if Path(p or os.curdir).resolve() != HERE.parent]  # siting.py adds it back


CBC_LIMIT_S = [300.0]


def timed(fn: Callable[[], object]) -> tuple[object, float]:
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def spopt_instances() -> dict[str, object]:
    import pandas as pd
    import spopt

    data = Path(spopt.__file__).parent / "tests" / "test_locate" / "data"
    nd = pd.read_csv(data / "SF_network_distance_candidateStore_16_censusTract_205_new.csv")
    sf = nd.pivot_table(values="distance", index="DestinationName", columns="name").to_numpy()
    journeys = pd.read_csv(data / "example_subject_student_school_journeys.csv")
    school = journeys.pivot_table(columns="school", fill_value=10000, index="student", sort=False,
                                  values="time").astype(int).values
    schools = pd.read_csv(data / "example_subject_schools.csv")
    return {"sf": sf, "school": school, "school_cap": schools["Count"].to_numpy(),
            "school_pre": np.array(schools[schools["priority"] == 1].index.tolist())}


def city(n_d: int, n_c: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    inst = bench_siting.make_instance(n_d, n_c, seed=seed, radius_m=1200.0)
    return cdist(inst.demand_xy_m, inst.candidate_xy_m), inst.people


def row(name: str, instance: str, what: str, ours: tuple[float, float, str], peer: tuple[float | None, float] | None
        ) -> None:
    """One table row: our objective, time and status beside spopt's (None: spopt gave no answer)."""
    obj, t, status = ours
    mark = "" if status == "optimal" else f" ({status})"
    if peer is None:
        print(f"| {name} | {instance} | {what} | {obj:,.6g}{mark} | {t:.3f} | — | — | — | — |", flush=True)
        return
    pobj, pt = peer
    limit = pt >= 0.98 * CBC_LIMIT_S[0]
    if pobj is None:
        note = f"CBC gave no answer within its {CBC_LIMIT_S[0]:.0f} s limit" if limit else "spopt raised an error"
        print(f"| {name} | {instance} | {what} | {obj:,.6g}{mark} | {t:.3f} | — | {pt:.3f} | {note} | > {pt / t:,.1f}× |",
              flush=True)
        return
    same = "yes" if abs(obj - pobj) <= 1e-6 * max(1.0, abs(pobj)) else f"no ({obj - pobj:+.6g})"
    if limit:
        same += f"; CBC stopped at its {CBC_LIMIT_S[0]:.0f} s limit"
    print(f"| {name} | {instance} | {what} | {obj:,.6g}{mark} | {t:.3f} | {pobj:,.6g} | {pt:.3f} | {same} | "
          f"{pt / t:,.1f}× |", flush=True)


def compare(name: str, instance: str, what: str, ours: Callable[[], object], our_value: Callable[[object], float],
            peer: Callable[[], object], peer_value: Callable[[object], float]) -> None:
    """Run ours and spopt's on the same instance, each timed, and print the row."""
    res, t = timed(ours)
    t0 = time.perf_counter()
    try:
        out, pt = timed(peer)
        pv: float | None = peer_value(out)
    except RuntimeError:  # spopt raises when CBC ends without an (optimal) solution
        pv, pt = None, time.perf_counter() - t0
    row(name, instance, what, (our_value(res), t, str(getattr(res, "status", "optimal"))), (pv, pt))


def city_rows(cost: np.ndarray, people: np.ndarray, name: str, cbc: object, *, n_c: int, limit_s: float) -> None:
    """Every model beside spopt's on one seeded city instance."""
    from spopt.locate import LSCPB, MCLP, PCenter, PMedian

    p = 8
    objective = lambda m: m.problem.objective.value()  # noqa: E731
    compare("p-center", f"{name}, p {p}", "largest m", lambda: models.p_center(cost, n_sites=p, time_limit_s=limit_s),
            lambda r: r.objective, lambda: PCenter.from_cost_matrix(cost, p_facilities=p).solve(cbc), objective)
    radius = 4000.0
    compare("LSCP-B", f"{name}, {radius:,.0f} m", "backup % (spopt's count)",
            lambda: models.backup_coverage(cost, radius=radius, time_limit_s=limit_s),
            lambda r: 100 * r.figures["backup_share_spopt"], lambda: LSCPB.from_cost_matrix(cost, radius, cbc).solve(),
            lambda m: m.backup_perc)
    pre_mask = np.zeros(n_c, dtype=int)
    pre_mask[:3] = 1
    compare("p-median, 3 preselected", f"{name}, p {p}", "people × m",
            lambda: models.p_median(cost, people, n_sites=p, preselected=pre_mask, time_limit_s=limit_s),
            lambda r: r.objective,
            lambda: PMedian.from_cost_matrix(cost, people, p, predefined_facilities_arr=pre_mask).solve(cbc), objective)
    capacity = np.full(n_c, 1.3 * people.sum() / p)
    compare("capacitated p-median", f"{name}, p {p}", "people × m",
            lambda: models.capacitated_p_median(cost, people, capacity=capacity, n_sites=p, time_limit_s=limit_s),
            lambda r: r.objective,
            lambda: PMedian.from_cost_matrix(cost, people, p, facility_capacities=capacity).solve(cbc), objective)
    compare("MCLP, 3 preselected", f"{name}, p {p}", "people",
            lambda: models.mclp(cost, people, radius=1200.0, n_sites=p, preselected=pre_mask, time_limit_s=limit_s),
            lambda r: r.objective,
            lambda: MCLP.from_cost_matrix(cost, people, service_radius=1200.0, p_facilities=p,
                                          predefined_facilities_arr=pre_mask).solve(cbc), objective)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="spopt's instances and a 300 × 60 city only")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--cbc-limit-s", type=float, default=None,
                    help="CBC time limit, and HiGHS's (quick 60 s, else 300 s)")
    args = ap.parse_args()
    CBC_LIMIT_S[0] = args.cbc_limit_s or (60.0 if args.quick else 300.0)
    warnings.simplefilter("ignore")
    import pulp
    from spopt.locate import LSCPB, PMedian

    cbc = pulp.PULP_CBC_CMD(msg=False, timeLimit=CBC_LIMIT_S[0])
    print(f"# Location models vs spopt ({platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"seed {args.seed})")
    print("ours = HiGHS (this project); spopt = from_cost_matrix + CBC; speed-up = spopt s / ours s; both get the "
          "same time limit\n")
    print("| model | instance | objective | ours | ours s | spopt | spopt s | same objective? | speed-up |")
    print("|---|---|---|---|---|---|---|---|---|")
    peers = spopt_instances()
    sf = peers["sf"]
    compare("LSCP-B", "spopt SF stores 205 × 16, 5 km", "backup % (spopt's count)",
            lambda: models.backup_coverage(sf, radius=5000.0), lambda r: 100 * r.figures["backup_share_spopt"],
            lambda: LSCPB.from_cost_matrix(sf, 5000.0, cbc).solve(), lambda m: m.backup_perc)
    school, cap, pre = peers["school"], peers["school_cap"], peers["school_pre"]
    ones = np.ones(school.shape[0])
    compare("capacitated p-median", "spopt schools 10 × 74", "mean minutes",
            lambda: models.capacitated_p_median(school, ones, capacity=cap, n_sites=10, preselected=pre,
                                                fill_preselected=True),
            lambda r: r.figures["mean_cost"],
            lambda: PMedian.from_cost_matrix(school, ones, 10, predefined_facilities_arr=pre, facility_capacities=cap,
                                             fulfill_predefined_fac=True).solve(cbc),
            lambda m: m.mean_dist)
    sizes = [(300, 60)] if args.quick else [(300, 60), (1_000, 150)]
    for n_d, n_c in sizes:
        cost, people = city(n_d, n_c, args.seed)
        city_rows(cost, people, f"city {n_d:,} × {n_c:,}", cbc, n_c=n_c, limit_s=CBC_LIMIT_S[0])

    # Budgeted MCLP: no spopt counterpart; brute force over every affordable set of a small instance.
    rng = np.random.default_rng(args.seed)
    cost, people = city(400, 14, args.seed)
    price = rng.integers(1, 6, 14).astype(float)
    problem = CoverageProblem(sp.csr_array(cost <= 1200.0), people, candidate_cost=price)
    res, t = timed(lambda: models.budget_max_coverage(problem, budget=10.0))
    t0 = time.perf_counter()
    best = max(problem.covered_weight(list(s)) for k in range(15) for s in itertools.combinations(range(14), k)
               if price[list(s)].sum() <= 10.0)
    bt = time.perf_counter() - t0
    row("budgeted MCLP (vs brute force)", "city 400 × 14, budget 10", "people", (res.objective, t, res.status),  # type: ignore[union-attr]
        (best, bt))


if __name__ == "__main__":
    main()
