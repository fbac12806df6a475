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


def row(name: str, instance: str, ours: tuple[float, float], peer: tuple[float, float] | None, what: str) -> None:
    (obj, t) = ours
    if peer is None:
        print(f"| {name} | {instance} | {what} | {obj:,.6g} | {t:.3f} | — | — | — | — |")
        return
    pobj, pt = peer
    same = "yes" if abs(obj - pobj) <= 1e-6 * max(1.0, abs(pobj)) else f"no ({obj - pobj:+.6g})"
    if pt >= 0.98 * CBC_LIMIT_S[0]:
        same += f"; CBC stopped at its {CBC_LIMIT_S[0]:.0f} s limit"
    print(f"| {name} | {instance} | {what} | {obj:,.6g} | {t:.3f} | {pobj:,.6g} | {pt:.3f} | {same} | {pt / t:,.1f}× |",
          flush=True)


def city_rows(cost: np.ndarray, people: np.ndarray, name: str, cbc: object, *, n_c: int) -> None:
    """Every model beside spopt's on one seeded city instance."""
    from spopt.locate import LSCPB, MCLP, PCenter, PMedian

    p = 8
    res, t = timed(lambda: models.p_center(cost, n_sites=p))
    peer, pt = timed(lambda: PCenter.from_cost_matrix(cost, p_facilities=p).solve(cbc))
    row("p-center", f"{name}, p {p}", (res.objective, t), (peer.problem.objective.value(), pt), "largest m")  # type: ignore[union-attr]

    radius = 4000.0
    try:
        res, t = timed(lambda: models.backup_coverage(cost, radius=radius, demand_weight=None))
        peer, pt = timed(lambda: LSCPB.from_cost_matrix(cost, radius, cbc).solve())
        row("LSCP-B", f"{name}, {radius:,.0f} m", (100 * res.figures["backup_share_spopt"], t), (peer.backup_perc, pt),  # type: ignore[union-attr]
            "backup % (spopt's count)")
    except (RuntimeError, ValueError) as exc:  # infeasible: some demand out of reach of every candidate
        print(f"| LSCP-B | {name} | — | {exc} |||||")

    pre_mask = np.zeros(n_c, dtype=int)
    pre_mask[:3] = 1
    res, t = timed(lambda: models.p_median(cost, people, n_sites=p, preselected=pre_mask))
    peer, pt = timed(lambda: PMedian.from_cost_matrix(cost, people, p, predefined_facilities_arr=pre_mask).solve(cbc))
    row("p-median, 3 preselected", f"{name}, p {p}", (res.objective, t), (peer.problem.objective.value(), pt),  # type: ignore[union-attr]
        "people × m")

    capacity = np.full(n_c, 1.3 * people.sum() / p)
    res, t = timed(lambda: models.capacitated_p_median(cost, people, capacity=capacity, n_sites=p))
    peer, pt = timed(lambda: PMedian.from_cost_matrix(cost, people, p, facility_capacities=capacity).solve(cbc))
    row("capacitated p-median", f"{name}, p {p}", (res.objective, t), (peer.problem.objective.value(), pt),  # type: ignore[union-attr]
        "people × m")

    res, t = timed(lambda: models.mclp(cost, people, radius=1200.0, n_sites=p, preselected=pre_mask))
    peer, pt = timed(lambda: MCLP.from_cost_matrix(cost, people, service_radius=1200.0, p_facilities=p,
                                                   predefined_facilities_arr=pre_mask).solve(cbc))
    row("MCLP, 3 preselected", f"{name}, p {p}", (res.objective, t), (peer.problem.objective.value(), pt), "people")  # type: ignore[union-attr]



def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="spopt's instances and a 300 × 60 city only")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--cbc-limit-s", type=float, default=None, help="CBC time limit (quick 60 s, else 300 s)")
    args = ap.parse_args()
    CBC_LIMIT_S[0] = args.cbc_limit_s or (60.0 if args.quick else 300.0)
    warnings.simplefilter("ignore")
    import pulp
    from spopt.locate import LSCPB, PMedian

    cbc = pulp.PULP_CBC_CMD(msg=False, timeLimit=CBC_LIMIT_S[0])
    print(f"# Location models vs spopt ({platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"seed {args.seed})")
    print("ours = HiGHS (this project); spopt = from_cost_matrix + CBC; speed-up = spopt s / ours s\n")
    print("| model | instance | objective | ours | ours s | spopt | spopt s | same objective? | speed-up |")
    print("|---|---|---|---|---|---|---|---|---|")
    peers = spopt_instances()

    sf = peers["sf"]
    res, t = timed(lambda: models.backup_coverage(sf, radius=5000.0))
    peer, pt = timed(lambda: LSCPB.from_cost_matrix(sf, 5000.0, cbc).solve())
    row("LSCP-B", "spopt SF stores 205 × 16, 5 km", (100 * res.figures["backup_share_spopt"], t),  # type: ignore[union-attr]
        (peer.backup_perc, pt), "backup % (spopt's count)")  # type: ignore[union-attr]

    school, cap, pre = peers["school"], peers["school_cap"], peers["school_pre"]
    ones = np.ones(school.shape[0])
    res, t = timed(lambda: models.capacitated_p_median(school, ones, capacity=cap, n_sites=10, preselected=pre,
                                                       fill_preselected=True))
    peer, pt = timed(lambda: PMedian.from_cost_matrix(school, ones, 10, predefined_facilities_arr=pre,
                                                      facility_capacities=cap, fulfill_predefined_fac=True).solve(cbc))
    row("capacitated p-median", "spopt schools 10 × 74", (res.figures["mean_cost"], t),  # type: ignore[union-attr]
        (peer.mean_dist, pt), "mean minutes")  # type: ignore[union-attr]

    sizes = [(300, 60)] if args.quick else [(300, 60), (1_000, 150)]
    for n_d, n_c in sizes:
        cost, people = city(n_d, n_c, args.seed)
        name = f"city {n_d:,} × {n_c:,}"
        city_rows(cost, people, name, cbc, n_c=n_c)

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
    row("budgeted MCLP (vs brute force)", "city 400 × 14, budget 10", (res.objective, t), (best, bt), "people")  # type: ignore[union-attr]


if __name__ == "__main__":
    main()
