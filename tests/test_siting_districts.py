"""Local search for maximal covering (siting/neighbourhood.py): districts re-solved exactly, and random kicks."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
import scipy.sparse as sp

from coverage_planner.siting import greedy, milp, neighbourhood
from coverage_planner.siting.problem import CoverageProblem


def _discs(seed: int, *, n_d: int, n_c: int, size_m: float, radius_m: float) -> CoverageProblem:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, size_m, (n_d, 2))
    sites = rng.uniform(0, size_m, (n_c, 2))
    cover = np.hypot(*(xy[:, None, :] - sites[None, :, :]).transpose(2, 0, 1)) <= radius_m
    people = rng.integers(1, 400, n_d).astype(float)
    return CoverageProblem(sp.csr_array(cover), people, rng.random(n_d) < 0.1)


def _brute_force(sub: CoverageProblem, n_sites: int, start: np.ndarray, deadline: float) -> np.ndarray:
    """Exact district solver by enumeration (at most ``n_sites`` sites)."""
    best, best_value = np.asarray(start, dtype=np.int64), sub.covered_weight(start)
    for combo in itertools.combinations(range(sub.n_candidate), min(n_sites, sub.n_candidate)):
        value = sub.covered_weight(list(combo))
        if value > best_value:
            best, best_value = np.asarray(combo, dtype=np.int64), value
    return best


def _engine(sub: CoverageProblem, n_sites: int, start: np.ndarray, deadline: float) -> np.ndarray:
    return milp._mclp(
        sub, n_sites, deadline=deadline, mip_rel_gap=0.0, start=start, use_root=True, heuristics=False
    ).chosen


@pytest.mark.parametrize("seed", range(4))
def test_one_district_spanning_the_city_gives_the_optimum_from_the_worst_start(seed):
    """Radius as wide as the city: every site overlaps every other, so the first district is the whole
    problem and its exact answer is the optimum, whatever the start."""
    problem = _discs(seed, n_d=40, n_c=9, size_m=1000.0, radius_m=800.0)
    n_sites = 3
    weights = np.bincount(problem.cover.indices, minlength=problem.n_candidate)
    worst = np.argsort(weights)[:n_sites]
    out = neighbourhood.improve_by_districts(
        problem, worst, solve=_brute_force, deadline=float("inf"), sub_time_s=1.0
    )
    best = max(problem.covered_weight(list(c)) for c in itertools.combinations(range(9), n_sites))
    assert problem.covered_weight(out) == pytest.approx(best)
    assert out.size <= n_sites


def test_the_district_problem_leaves_out_demand_the_kept_sites_cover():
    problem = _discs(3, n_d=300, n_c=40, size_m=6000.0, radius_m=700.0)
    start = greedy.max_coverage(problem, n_sites=6).chosen
    seen: list[tuple[CoverageProblem, int, np.ndarray]] = []

    def spy(sub: CoverageProblem, n_sites: int, sub_start: np.ndarray, deadline: float) -> np.ndarray:
        seen.append((sub, n_sites, sub_start))
        return sub_start

    out = neighbourhood.improve_by_districts(problem, start, solve=spy, deadline=float("inf"))
    assert np.array_equal(out, np.sort(start))  # nothing better offered: the start comes back
    assert 1 <= len(seen) <= start.size  # each distinct district of the unchanged solution once
    for sub, n_sites, sub_start in seen:
        assert sub_start.size == n_sites >= 1
        # the demand the kept sites cover is left out; the released sites cover people in what remains
        assert sub.n_demand < problem.n_demand
        assert sub.covered_weight(sub_start) > 0


@pytest.mark.parametrize("seed", range(3))
def test_districts_never_lose_people_and_improve_a_poor_start(seed):
    """Engine sub-solver on a 900 × 150 disc instance: from greedy's first sites shuffled into a poor
    start, the search gains, and it never returns less than it was given."""
    problem = _discs(40 + seed, n_d=900, n_c=150, size_m=8000.0, radius_m=700.0)
    n_sites = 12
    rng = np.random.default_rng(seed)
    poor = rng.choice(problem.n_candidate, n_sites, replace=False)
    out = neighbourhood.improve_by_districts(problem, poor, solve=_engine, deadline=float("inf"), seed=seed)
    assert out.size <= n_sites
    assert problem.covered_weight(out) > problem.covered_weight(poor)
    swapped = greedy.improve_by_swaps(problem, out)
    # a district-optimal solution is also (nearly always) swap-optimal: one swap lies inside one district
    assert problem.covered_weight(swapped) >= problem.covered_weight(out)


def test_engine_with_the_district_search_always_on_still_proves_the_brute_force_optimum(monkeypatch):
    monkeypatch.setattr(milp, "_DISTRICT_ROOT_GAP", 0.0)
    calls: list[int] = []
    real = neighbourhood.improve_by_districts

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(neighbourhood, "improve_by_districts", counted)
    kicks: list[int] = []
    real_kicks = neighbourhood.improve_by_kicks
    monkeypatch.setattr(
        neighbourhood, "improve_by_kicks", lambda *a, **k: kicks.append(1) or real_kicks(*a, **k)
    )
    # instances whose root LP bound is at least one person above the root incumbent (checked: the search runs)
    for seed, n_sites in ((1, 4), (7, 3)):
        problem = _discs(seed, n_d=100, n_c=14, size_m=2500.0, radius_m=700.0)
        w = np.where(problem.existing_covered, 0.0, problem.demand_weight)
        a = problem.cover.toarray()
        best = max(
            float(w[a[:, list(c)].any(axis=1)].sum()) for c in itertools.combinations(range(14), n_sites)
        )
        r = milp.max_coverage(problem, n_sites=n_sites, mip_rel_gap=0.0)
        assert r.status == "optimal"
        assert r.new_people == pytest.approx(best, rel=1e-12)
    assert calls, "the district search never ran"
    assert kicks, "the kick search never ran"


def test_the_search_stops_once_the_target_is_reached():
    problem = _discs(5, n_d=200, n_c=30, size_m=5000.0, radius_m=700.0)
    start = greedy.max_coverage(problem, n_sites=4).chosen
    calls: list[int] = []

    def spy(sub: CoverageProblem, n_sites: int, sub_start: np.ndarray, deadline: float) -> np.ndarray:
        calls.append(1)
        return _brute_force(sub, n_sites, sub_start, deadline)

    enough = problem.covered_weight(start)
    out = neighbourhood.improve_by_districts(problem, start, solve=spy, deadline=float("inf"), enough=enough)
    assert not calls and problem.covered_weight(out) == enough
    out = neighbourhood.improve_by_districts(problem, start, solve=spy, deadline=float("inf"))
    assert calls and problem.covered_weight(out) >= enough


def test_no_local_search_when_the_bound_already_rules_the_target_out(monkeypatch):
    """A min-sites probe asking k sites for more than the LP bound allows: proven at once, no search."""
    monkeypatch.setattr(milp, "_DISTRICT_ROOT_GAP", 0.0)
    calls: list[int] = []
    monkeypatch.setattr(neighbourhood, "improve_by_districts", lambda *a, **k: calls.append(1) or a[1])
    monkeypatch.setattr(neighbourhood, "improve_by_kicks", lambda *a, **k: calls.append(1) or a[1])
    problem = _discs(11, n_d=300, n_c=40, size_m=6000.0, radius_m=700.0)
    reachable = problem.reachable_weight - problem.existing_weight
    out = milp._mclp(
        problem,
        2,
        deadline=time.perf_counter() + 60,
        mip_rel_gap=0.0,
        start=None,
        use_root=True,
        target=reachable,
    )
    assert out.bound < reachable and out.status == "optimal"
    assert not calls


@pytest.mark.parametrize("seed", range(3))
def test_without_the_root_lp_a_subgradient_bound_still_holds_the_optimum(monkeypatch, seed):
    """The root LP times out (monkeypatched away): the subgradient multipliers give the bound and the fixings;
    the answer is still the optimum and the bound is valid and far below greedy's."""
    problem = _discs(60 + seed, n_d=400, n_c=60, size_m=6000.0, radius_m=800.0)
    n_sites = 3
    w = np.where(problem.existing_covered, 0.0, problem.demand_weight)
    a = problem.cover.toarray()
    best = max(float(w[a[:, list(c)].any(axis=1)].sum()) for c in itertools.combinations(range(60), n_sites))
    _, red = milp._reduce(problem)
    lam = milp._subgradient(red, n_sites, floor=0.9 * best, deadline=time.perf_counter() + 0.5)
    bound = milp._lagrangian(red, lam, n_sites)[0]
    assert bound >= best - 1e-6
    assert bound < milp._lagrangian(red, red.weight.copy(), n_sites)[0]  # the steps lowered it from λ = w
    monkeypatch.setattr(milp, "_root_lp", lambda *a, **k: None)
    r = milp.max_coverage(problem, n_sites=n_sites, mip_rel_gap=0.0)
    assert r.new_people == pytest.approx(best, rel=1e-12)
    assert r.upper_bound_new_people >= best - 1e-6
    assert r.status == "optimal"


@pytest.mark.parametrize("seed", [1, 2])
def test_kicks_get_out_of_a_swap_optimum(seed):
    """900 × 150 disc instance, 12 sites: greedy then swaps stops where no single swap helps; kicks (several
    sites moved, then swaps) find more people, keep the number of sites, and end swap-optimal themselves."""
    problem = _discs(40 + seed, n_d=900, n_c=150, size_m=8000.0, radius_m=700.0)
    start = greedy.improve_by_swaps(problem, greedy.max_coverage(problem, n_sites=12).chosen)
    assert problem.covered_weight(greedy.improve_by_swaps(problem, start)) == problem.covered_weight(start)
    out = neighbourhood.improve_by_kicks(problem, start, deadline=float("inf"), seed=seed, max_stale=300)
    assert out.size == 12 and np.unique(out).size == 12
    assert problem.covered_weight(out) > problem.covered_weight(start)
    assert problem.covered_weight(greedy.improve_by_swaps(problem, out)) == problem.covered_weight(out)
    again = neighbourhood.improve_by_kicks(problem, start, deadline=float("inf"), seed=seed, max_stale=300)
    assert np.array_equal(again, out)  # reproducible for a seed


def test_kicks_never_lose_people_and_stop_once_enough():
    problem = _discs(40, n_d=900, n_c=150, size_m=8000.0, radius_m=700.0)
    rng = np.random.default_rng(0)
    poor = rng.choice(problem.n_candidate, 12, replace=False)
    out = neighbourhood.improve_by_kicks(problem, poor, deadline=float("inf"), max_stale=50)
    assert problem.covered_weight(out) > problem.covered_weight(poor)
    enough = problem.covered_weight(poor)
    same = neighbourhood.improve_by_kicks(problem, poor, deadline=float("inf"), enough=enough)
    assert np.array_equal(same, np.sort(poor))
