"""Siting solvers checked against brute force on instances small enough to enumerate."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import scipy.sparse as sp
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from coverage_planner.errors import CoverageError
from coverage_planner.siting import (
    CoverageProblem,
    SitingInputError,
    aggregate_demand,
    filter_candidates,
    greedy,
    milp,
    site_for_ratio,
    site_for_ratio_callback,
    thin_candidates,
)
from coverage_planner.siting import problem as problem_module
from coverage_planner.siting.capacitated import two_step_fca_zone_supply

GUARANTEE = 1 - 1 / math.e


@pytest.fixture
def make_problem():
    """Factory: a seeded random coverage problem with up to a dozen candidates."""

    def make(
        seed: int,
        *,
        n_demand: int = 30,
        n_candidate: int = 8,
        existing_share: float = 0.2,
        integral: bool = True,
    ) -> CoverageProblem:
        rng = np.random.default_rng(seed)
        density = rng.uniform(0.08, 0.35)
        cover = rng.random((n_demand, n_candidate)) < density
        people = rng.integers(0, 50, n_demand).astype(float) if integral else rng.uniform(0, 50, n_demand)
        existing = rng.random(n_demand) < existing_share
        return CoverageProblem(sp.csr_array(cover), people, existing)

    return make


def brute_force_best(problem: CoverageProblem, n_sites: int) -> float:
    """People covered by the best ``n_sites`` candidates, by enumeration."""
    return max(
        problem.covered_weight(list(combo))
        for combo in itertools.combinations(range(problem.n_candidate), n_sites)
    )


def brute_force_min_sites(problem: CoverageProblem, share: float) -> int | None:
    need = share * problem.total_weight
    for k in range(problem.n_candidate + 1):
        for combo in itertools.combinations(range(problem.n_candidate), k):
            if problem.covered_weight(list(combo)) >= need - 1e-9:
                return k
    return None


# --- maximal covering ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(12))
def test_milp_finds_the_true_optimum_and_greedy_keeps_its_guarantee(make_problem, seed):
    # Odd seeds: fractional weights (the MILP's fixing rules differ for integral objectives).
    problem = make_problem(seed, n_candidate=10 if seed % 2 else 12, integral=seed % 2 == 0)
    for n_sites in (1, 2, 3, 5):
        best = brute_force_best(problem, n_sites)
        exact = milp.max_coverage(problem, n_sites=n_sites)
        assert exact.covered_after_people == pytest.approx(best)
        assert exact.status == "optimal"
        assert problem.covered_weight(exact.chosen) == pytest.approx(best)
        g = greedy.max_coverage(problem, n_sites=n_sites)
        best_new = best - problem.existing_weight
        assert g.new_people >= GUARANTEE * best_new - 1e-9
        assert g.upper_bound_new_people >= best_new - 1e-9  # the bound greedy reports is a real bound
        assert g.upper_bound_new_people <= g.new_people / GUARANTEE + 1e-9
        assert problem.covered_weight(g.chosen) == pytest.approx(g.covered_after_people)


def test_greedy_ranks_sites_by_marginal_people():
    cover = sp.csr_array(np.array([[1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 1, 0], [0, 0, 1]], bool))
    people = [10, 10, 10, 10, 5]
    r = greedy.max_coverage(CoverageProblem(cover, people), n_sites=3)
    assert r.chosen.tolist() == [1, 0, 2]  # site 1 serves 30, then site 0 adds 10, then site 2 adds 5
    assert r.marginal_people.tolist() == [30.0, 10.0, 5.0]
    assert r.rank.tolist() == [1, 2, 3]
    assert r.rows()[0] == {"rank": 1, "candidate": 1, "new_people": 30.0}
    assert r.covered_share_after == 1.0


def test_sites_adding_nobody_are_not_proposed():
    cover = sp.csr_array(np.array([[1, 1], [1, 1]], bool))
    problem = CoverageProblem(cover, [3, 4])
    for solver in (greedy.max_coverage, milp.max_coverage):
        r = solver(problem, n_sites=2)
        assert r.n_sites == 1
        assert "further sites would add nobody" in r.sentence


def test_existing_coverage_is_kept_and_never_counted_as_new():
    # Demand 0 (100 people) is served already; candidate 0 covers only it, candidate 1 covers demand 1.
    cover = sp.csr_array(np.array([[1, 0], [0, 1], [0, 0]], bool))
    problem = CoverageProblem(cover, [100, 10, 5], existing_covered=[True, False, False])
    for solver in (greedy.max_coverage, milp.max_coverage):
        r = solver(problem, n_sites=1)
        assert r.chosen.tolist() == [1]
        assert r.covered_before_people == 100
        assert r.new_people == 10
        assert r.covered_after_people == 110
        assert r.covered_share_after == pytest.approx(110 / 115)


def test_mip_rel_gap_stops_early_and_says_so():
    rng = np.random.default_rng(11)
    xy = rng.uniform(0, 5000, (600, 2))
    sites = rng.uniform(0, 5000, (150, 2))
    cover = np.hypot(*(xy[:, None, :] - sites[None, :, :]).transpose(2, 0, 1)) <= 700
    problem = CoverageProblem(sp.csr_array(cover), rng.integers(1, 300, 600))
    exact = milp.max_coverage(problem, n_sites=15, mip_rel_gap=0.0)
    loose = milp.max_coverage(problem, n_sites=15, mip_rel_gap=0.05)
    assert exact.status == "optimal"
    assert loose.new_people >= exact.new_people / 1.05 - 1e-6
    assert loose.upper_bound_new_people >= exact.new_people - 1e-6  # still a real bound
    if loose.status == "within_gap":
        assert loose.sentence.startswith("HiGHS MILP: proven within ")
    plain = milp.max_coverage(problem, n_sites=15, root_lp=False, mip_rel_gap=0.0)
    assert plain.new_people == pytest.approx(exact.new_people)


def test_result_sentences_read_like_the_spec():
    rng = np.random.default_rng(3)
    problem = CoverageProblem(sp.csr_array(rng.random((300, 40)) < 0.05), rng.integers(1, 2000, 300))
    g = greedy.max_coverage(problem, n_sites=5)
    assert g.sentence.startswith("Greedy: 5 sites cover ")
    assert "proven at least" in g.sentence and "of the best possible" in g.sentence
    m = milp.max_coverage(problem, n_sites=5)
    assert m.sentence.startswith("HiGHS MILP: optimal (gap 0.0 %) in ")
    assert m.covered_after_people >= g.covered_after_people


# --- fewest sites ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(10))
def test_until_met_and_min_sites_against_brute_force(make_problem, seed):
    problem = make_problem(100 + seed, n_candidate=10, integral=seed % 2 == 0)
    for share in (0.4, 0.6, 0.8):
        exact_k = brute_force_min_sites(problem, share)
        g = greedy.until_met(problem, target_share=share)
        m = milp.min_sites(problem, target_share=share, method="search" if seed % 3 else "direct")
        if exact_k is None:
            assert g.status == m.status == "unreachable"
            assert g.n_sites == 0 and "cannot meet" in g.sentence
            continue
        if exact_k == 0:
            assert g.status == m.status == "already_met"
            continue
        need = share * problem.total_weight - 1e-9
        assert problem.covered_weight(g.chosen) >= need
        assert g.n_sites >= exact_k
        assert g.lower_bound_sites <= exact_k  # the bound greedy reports is a real bound
        assert problem.covered_weight(m.chosen) >= need
        assert m.n_sites == exact_k
        assert m.status == "optimal"


def test_until_met_says_when_the_target_cannot_be_met():
    cover = sp.csr_array(np.array([[1, 0], [0, 1], [0, 0]], bool))
    problem = CoverageProblem(cover, [40, 40, 20])
    r = greedy.until_met(problem, target_share=0.9)
    assert r.status == "unreachable" and r.target_met is False
    assert "cannot meet 90.0 %: even all 2 candidate sites reach only 80.0 %" in r.sentence
    ok = greedy.until_met(problem, target_share=0.8)
    assert ok.n_sites == 2 and ok.target_met
    none = greedy.until_met(
        CoverageProblem(cover, [40, 40, 20], existing_covered=[1, 1, 0]), target_share=0.8
    )
    assert none.status == "already_met" and none.n_sites == 0


# --- aggregation -----------------------------------------------------------------------------------------------


@st.composite
def small_problems(draw):
    n_d = draw(st.integers(1, 14))
    n_c = draw(st.integers(1, 6))
    cells = draw(st.lists(st.booleans(), min_size=n_d * n_c, max_size=n_d * n_c))
    people = draw(st.lists(st.integers(0, 9), min_size=n_d, max_size=n_d))
    existing = draw(st.lists(st.booleans(), min_size=n_d, max_size=n_d))
    cover = np.array(cells, dtype=bool).reshape(n_d, n_c)
    return CoverageProblem(sp.csr_array(cover), people, existing)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(small_problems())
def test_aggregation_preserves_the_objective_for_every_selection(problem):
    agg, mapping = aggregate_demand(problem)
    assert agg.total_weight == pytest.approx(problem.total_weight)
    assert agg.existing_weight == pytest.approx(problem.existing_weight)
    assert agg.reachable_weight == pytest.approx(problem.reachable_weight)
    assert mapping.shape == (problem.n_demand,) and agg.n_demand <= problem.n_demand
    for k in range(problem.n_candidate + 1):
        for combo in itertools.combinations(range(problem.n_candidate), k):
            assert agg.covered_weight(list(combo)) == pytest.approx(problem.covered_weight(list(combo)))
    # Every coverable, not-yet-served demand point maps to a row with exactly its covering set.
    dense, agg_dense = problem.cover.toarray(), agg.cover.toarray()
    for i in np.flatnonzero(~problem.existing_covered & dense.any(axis=1)):
        assert (agg_dense[mapping[i]] == dense[i]).all()


def test_aggregation_stays_exact_when_every_row_hash_collides(monkeypatch):
    """Force all rows onto one hash: the exact check must catch it and still group correctly."""
    monkeypatch.setattr(
        problem_module,
        "_row_keys",
        lambda indptr, indices, n_col, seed: np.zeros(indptr.size - 1, dtype=np.uint64),
    )
    cover = sp.csr_array(np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1], [0, 1, 1]], bool))
    agg, mapping = aggregate_demand(CoverageProblem(cover, [1, 2, 3, 4]))
    assert mapping.tolist() == [0, 1, 0, 2]
    assert agg.demand_weight.tolist() == [4.0, 2.0, 4.0]


def test_aggregation_merges_existing_and_unreachable_demand():
    cover = sp.csr_array(np.array([[1, 0], [1, 0], [0, 0], [0, 1], [1, 0]], bool))
    agg, mapping = aggregate_demand(
        CoverageProblem(cover, [1, 2, 4, 8, 16], existing_covered=[0, 0, 0, 1, 1])
    )
    assert agg.demand_weight.tolist() == [3.0, 24.0, 4.0]  # group {0}, existing row, unreachable row
    assert agg.existing_covered.tolist() == [False, True, False]
    assert mapping.tolist() == [0, 0, 2, 1, 1]


# --- per-capita targets (2SFCA) ---------------------------------------------------------------------------------


def _shelter_example():
    """Worked by hand in the test docstring below."""
    # Demand points: a1, a2 in zone A (100 people each); b1 in zone B (200 people).
    population = np.array([100.0, 100.0, 200.0])
    zone = np.array(["A", "A", "B"])
    existing_catchment = sp.csr_array(np.array([[1], [0], [0]], bool))  # existing shelter E reaches a1
    existing_m2 = np.array([150.0])
    # Candidates: c0 (300 m²) reaches a2 and b1; c1 (250 m²) reaches b1; c2 (150 m²) reaches a2.
    catchment = sp.csr_array(np.array([[0, 0, 0], [1, 0, 1], [1, 1, 0]], bool))
    capacity_m2 = np.array([300.0, 250.0, 150.0])
    return population, zone, existing_catchment, existing_m2, catchment, capacity_m2


def test_capacitated_greedy_meets_a_hand_worked_shelter_target():
    """Target 1.5 m² per person: zone A needs 300 m², zone B 300 m².

    Existing E: 150 m² over 100 people -> a1 gets 1.5 m²/person -> zone A has 150 m² (ratio 0.75), B has 0.
    Shortfall A 150 + B 300 = 450 m².
    Step 1: c0 shares 300 m² over 300 people (1 m²/person): A +100, B +200 -> removes 100 + 200 = 300;
            c1 removes min(300, 250) = 250; c2 removes min(150, 150) = 150 -> choose c0. Left: A 50, B 100.
    Step 2: c1 removes min(100, 250) = 100; c2 removes min(50, 150) = 50 -> choose c1. Left: A 50.
    Step 3: c2 removes 50 -> every zone meets 1.5. Ratios after: A 400/200 = 2.0, B 450/200 = 2.25.
    """
    population, zone, e_catch, e_m2, catchment, cap = _shelter_example()
    r = site_for_ratio(
        catchment, population, zone, cap, target_per_person=1.5,
        existing_catchment=e_catch, existing_capacity=e_m2, supply_unit="m²",
    )  # fmt: skip
    assert r.chosen.tolist() == [0, 1, 2]
    assert r.shortfall_reduction.tolist() == pytest.approx([300.0, 100.0, 50.0])
    assert r.zone_ids.tolist() == ["A", "B"]
    assert r.zone_ratio_before.tolist() == pytest.approx([0.75, 0.0])
    assert r.zone_ratio_after.tolist() == pytest.approx([2.0, 2.25])
    assert r.shortfall_before == pytest.approx(450.0) and r.shortfall_after == pytest.approx(0.0)
    assert r.status == "met" and r.zones_meeting_after == 2
    assert "3 new sites bring 2 of 2 zones to 1.5 m² per person (from 0)" in r.sentence

    limited = site_for_ratio(
        catchment, population, zone, cap, target_per_person=1.5,
        existing_catchment=e_catch, existing_capacity=e_m2, max_sites=1,
    )  # fmt: skip
    assert limited.status == "site_limit" and limited.chosen.tolist() == [0]

    too_high = site_for_ratio(catchment, population, zone, cap, target_per_person=5.0)
    assert too_high.status == "unreachable" and too_high.shortfall_after > 0


def test_callback_variant_matches_the_matrix_variant_on_plain_2sfca():
    rng = np.random.default_rng(5)
    n_d, n_c, n_e = 60, 15, 4
    catchment = rng.random((n_d, n_c)) < 0.15
    e_catch = rng.random((n_d, n_e)) < 0.2
    population = rng.integers(0, 300, n_d).astype(float)
    zone = rng.integers(0, 6, n_d)
    cap = rng.integers(50, 400, n_c).astype(float)
    e_cap = rng.integers(50, 200, n_e).astype(float)
    zone_pop = np.bincount(zone, weights=population, minlength=6)
    existing_supply = np.asarray(
        two_step_fca_zone_supply(e_catch, population, e_cap, zone, 6).sum(axis=0)
    ).ravel()
    per_candidate = two_step_fca_zone_supply(catchment, population, cap, zone, 6).toarray()

    def zone_ratio(open_mask):
        supply = existing_supply + per_candidate[open_mask].sum(axis=0)
        return np.divide(supply, zone_pop, out=np.full(6, np.inf), where=zone_pop > 0)

    a = site_for_ratio(
        catchment,
        population,
        zone,
        cap,
        target_per_person=1.0,
        existing_catchment=e_catch,
        existing_capacity=e_cap,
    )
    b = site_for_ratio_callback(zone_ratio, zone_pop, n_c, target_per_person=1.0)
    assert b.chosen.tolist() == a.chosen.tolist()
    assert b.shortfall_reduction == pytest.approx(a.shortfall_reduction)
    assert b.zone_ratio_after == pytest.approx(a.zone_ratio_after)


# --- p-median ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_p_median_matches_brute_force(seed):
    rng = np.random.default_rng(200 + seed)
    demand = rng.uniform(0, 3000, (25, 2))
    candidates = rng.uniform(0, 3000, (8, 2))
    people = rng.integers(1, 100, 25).astype(float)
    full = np.hypot(*(demand[:, None, :] - candidates[None, :, :]).transpose(2, 0, 1))
    cutoff_m = 1500.0
    distance = sp.csr_array(np.where(full <= cutoff_m, np.maximum(full, 1e-9), 0.0))
    penalty_m = 5000.0

    def cost(open_sites):
        d = np.where(full[:, open_sites] <= cutoff_m, full[:, open_sites], penalty_m).min(axis=1)
        return float((people * d).sum())

    for p in (2, 3):
        best = min(cost(list(c)) for c in itertools.combinations(range(8), p))
        r = milp.p_median(distance, people, n_sites=p, unassigned_penalty_m=penalty_m)
        assert r.status == "optimal"
        assert cost(list(r.chosen)) == pytest.approx(best, rel=1e-6)
        assigned = r.assignment >= 0
        assert set(r.assignment[assigned]) <= set(r.chosen.tolist())
        assert "HiGHS p-median: optimal" in r.sentence


def test_p_median_keeps_fixed_sites_open():
    distance = sp.csr_array(np.array([[100.0, 900.0, 0.0], [800.0, 100.0, 0.0], [0.0, 700.0, 50.0]]))
    r = milp.p_median(distance, [10, 10, 10], n_sites=1, fixed_open=[2])
    assert r.chosen.tolist() in ([0], [1])
    assert 2 in r.assignment.tolist()


# --- candidates --------------------------------------------------------------------------------------------------


def test_thin_candidates_keeps_the_best_and_respects_the_spacing():
    rng = np.random.default_rng(9)
    x, y = rng.uniform(0, 2000, 400), rng.uniform(0, 2000, 400)
    priority = rng.random(400)
    kept = thin_candidates(x, y, min_spacing_m=150.0, priority=priority)
    assert kept[0] == int(np.argmax(priority))
    pts = np.column_stack([x[kept], y[kept]])
    d = np.hypot(*(pts[:, None, :] - pts[None, :, :]).transpose(2, 0, 1))
    np.fill_diagonal(d, np.inf)
    assert d.min() >= 150.0
    # Maximal: every dropped point is within the spacing of a kept point of higher priority.
    dropped = np.setdiff1d(np.arange(400), kept)
    dd = np.hypot(x[dropped, None] - x[None, kept], y[dropped, None] - y[None, kept])
    assert (dd < 150.0).any(axis=1).all()


def test_filter_candidates_by_existing_distance_and_excluded_zones():
    x = np.array([0.0, 500.0, 1000.0, 2000.0])
    y = np.zeros(4)
    lake = shapely.box(1900, -100, 2100, 100)
    keep = filter_candidates(
        x,
        y,
        existing_x_m=[0.0],
        existing_y_m=[100.0],
        min_distance_to_existing_m=300.0,
        excluded_zones=[lake],
    )
    assert keep.tolist() == [False, True, True, False]


# --- errors ------------------------------------------------------------------------------------------------------


def test_bad_inputs_raise_coverage_errors_with_the_fix():
    cover = sp.csr_array(np.eye(3, dtype=bool))
    with pytest.raises(SitingInputError, match=r"one value per demand point: expected shape \(3,\)"):
        CoverageProblem(cover, [1, 2])
    with pytest.raises(SitingInputError, match="finite and non-negative"):
        CoverageProblem(cover, [1, -2, 3])
    problem = CoverageProblem(cover, [1, 2, 3])
    with pytest.raises(SitingInputError, match="whole number"):
        greedy.max_coverage(problem, n_sites=-1)
    with pytest.raises(SitingInputError, match="Write 90 % as 0.9"):
        greedy.until_met(problem, target_share=90)
    with pytest.raises(SitingInputError, match="time_limit_s"):
        milp.max_coverage(problem, n_sites=1, time_limit_s=0)
    with pytest.raises(SitingInputError, match="min_spacing_m"):
        thin_candidates([0], [0], min_spacing_m=0)
    with pytest.raises(CoverageError):
        site_for_ratio(cover, [1, 2, 3], [0, 0, 1], [1, 1, 1], target_per_person=-1)


# --- the exact engine's proofs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_lagrangian_bound_and_fixings_are_valid_for_any_multipliers(seed):
    """For any 0 ≤ λ ≤ w: L(λ) bounds every p-subset, and a site fixed out (in) is in no (every) p-subset
    worth at least the threshold. Checked against all subsets."""
    rng = np.random.default_rng(300 + seed)
    n_d, n_c, p = 25, 9, 3
    a = rng.random((n_d, n_c)) < 0.3
    a[:, 0] = False
    a[rng.integers(0, n_d), 0] = True  # keep every column useful
    w = rng.integers(1, 30, n_d).astype(float)
    red = milp._Reduced(
        a=sp.csc_array(a), weight=w, columns=np.arange(n_c), column_of=np.arange(n_c, dtype=np.int64)
    )
    values = {c: float(w[a[:, list(c)].any(axis=1)].sum()) for c in itertools.combinations(range(n_c), p)}
    best = max(values.values())
    for _ in range(20):
        lam = w * rng.random(n_d) * (rng.random(n_d) < 0.8)
        threshold = best - rng.uniform(0, 0.3) * best
        bound, out_, in_ = milp._fixings(red, lam, p, threshold=threshold)
        assert bound >= best - 1e-9
        for combo, value in values.items():
            if value >= threshold:
                assert not out_[list(combo)].any()
                assert in_[[j for j in range(n_c) if j not in combo]].sum() == 0


def test_exact_engine_proves_the_optimum_from_a_poor_start(monkeypatch):
    """Without swap improvement the incumbents are weak, so fixing and the sub-MIP on the free sites must
    carry the proof; the answer must match HiGHS on the whole model."""
    monkeypatch.setattr(greedy, "improve_by_swaps", lambda problem, chosen, **kw: np.asarray(chosen))
    rng = np.random.default_rng(12)
    xy = rng.uniform(0, 4000, (500, 2))
    sites = rng.uniform(0, 4000, (120, 2))
    cover = np.hypot(*(xy[:, None, :] - sites[None, :, :]).transpose(2, 0, 1)) <= 600
    problem = CoverageProblem(sp.csr_array(cover), rng.uniform(1, 300, 500), rng.random(500) < 0.1)
    for n_sites in (8, 20):
        engine = milp.max_coverage(problem, n_sites=n_sites, mip_rel_gap=0.0, warm_start=False)
        plain = milp.max_coverage(problem, n_sites=n_sites, mip_rel_gap=0.0, root_lp=False, warm_start=False)
        assert engine.status == plain.status == "optimal"
        assert engine.new_people == pytest.approx(plain.new_people, rel=1e-9)
        assert engine.upper_bound_new_people == pytest.approx(engine.new_people, rel=1e-9)


@pytest.mark.parametrize(
    "problem",
    [
        CoverageProblem(sp.csr_array((5, 4), dtype=bool), [1, 2, 3, 4, 5]),  # no coverage at all
        CoverageProblem(sp.csr_array(np.eye(4, dtype=bool)), [0, 0, 0, 0]),  # nobody lives anywhere
        CoverageProblem(sp.csr_array(np.eye(4, dtype=bool)), [1, 1, 1, 1], [1, 1, 1, 1]),  # all served
        CoverageProblem(sp.csr_array((0, 3), dtype=bool), []),  # no demand points
        CoverageProblem(sp.csr_array((3, 0), dtype=bool), [1, 2, 3]),  # no candidates
    ],
    ids=["no-coverage", "zero-weights", "all-existing", "no-demand", "no-candidates"],
)
def test_degenerate_problems_give_answers_not_crashes(problem):
    for r in (greedy.max_coverage(problem, n_sites=2), milp.max_coverage(problem, n_sites=2)):
        assert r.n_sites == 0 and r.new_people == 0
        assert r.sentence
    for r in (greedy.until_met(problem, target_share=0.5), milp.min_sites(problem, target_share=0.5)):
        assert r.status in ("already_met", "unreachable")
    assert greedy.improve_by_swaps(problem, np.arange(min(2, problem.n_candidate))).size == min(
        2, problem.n_candidate
    )


# --- the reduced-and-bounded engine against the plain model (issue 20) ------------------------------------------


def _small_city(seed: int, n_d: int = 60, n_c: int = 14) -> CoverageProblem:
    """Disc coverage on a small random layout, with repeated candidates (identical columns), repeated demand
    points (identical rows), people who live nowhere in reach, zero weights and existing coverage."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 3000, (n_d, 2))
    xy[: n_d // 6] = xy[n_d // 6 : 2 * (n_d // 6)]  # identical demand rows
    sites = rng.uniform(0, 3000, (n_c, 2))
    sites[-2:] = sites[:2]  # identical candidate columns
    cover = np.hypot(*(xy[:, None, :] - sites[None, :, :]).transpose(2, 0, 1)) <= 650
    people = rng.integers(0, 400, n_d).astype(float)
    return CoverageProblem(sp.csr_array(cover), people, rng.random(n_d) < 0.1)


def _plain_milp_new_people(problem: CoverageProblem, n_sites: int) -> float:
    """HiGHS on the textbook model over the raw rows and columns: no aggregation, no bound, no fixing."""
    cover = problem.cover.toarray() & ~problem.existing_covered[:, None]
    n_c = cover.shape[1]
    plain = milp._Reduced(
        a=sp.csc_array(cover), weight=problem.demand_weight, columns=np.arange(n_c),
        column_of=np.arange(n_c, dtype=np.int64),
    )  # fmt: skip
    out = milp._mip(plain, n_sites, start=None, time_limit_s=60.0, mip_rel_gap=0.0)
    assert out.status == "optimal"
    return out.value


def _brute_force_new_people(problem: CoverageProblem, n_sites: int) -> float:
    w = np.where(problem.existing_covered, 0.0, problem.demand_weight)
    a = problem.cover.toarray()
    return max(
        float(w[a[:, list(c)].any(axis=1)].sum()) for c in itertools.combinations(range(a.shape[1]), n_sites)
    )


@pytest.mark.parametrize("seed", range(4))
def test_reduced_and_bounded_engine_equals_the_plain_milp_and_brute_force(seed):
    problem = _small_city(500 + seed)
    for n_sites in (1, 2, 4):
        best = _brute_force_new_people(problem, n_sites)
        assert _plain_milp_new_people(problem, n_sites) == pytest.approx(best, rel=1e-12)
        for root_lp in (True, False):
            r = milp.max_coverage(problem, n_sites=n_sites, mip_rel_gap=0.0, root_lp=root_lp)
            assert r.status == "optimal"
            assert r.new_people == pytest.approx(best, rel=1e-12)
            assert r.upper_bound_new_people == pytest.approx(best, rel=1e-12)
            assert problem.covered_weight(r.chosen) - problem.existing_weight == pytest.approx(
                best, rel=1e-12
            )


@pytest.mark.parametrize("seed", range(3))
def test_root_lagrangian_bound_is_the_lp_bound_and_above_the_optimum(seed):
    """λ from the root LP: L(λ) is at least the integer optimum and equals the LP relaxation's value, solved
    here independently (scipy's linprog on the un-aggregated model)."""
    from scipy.optimize import linprog

    problem = _small_city(600 + seed, n_d=80, n_c=16)
    n_sites = 3
    _, red = milp._reduce(problem)
    lam, _ = milp._root_lp(red, n_sites, time_limit_s=30.0)
    bound = milp._lagrangian(red, lam, n_sites)[0]
    # LP over the raw rows: variables [x (n_c), y (n_d)], maximise Σ w y, y_i ≤ Σ_j a_ij x_j, Σ x ≤ p.
    w = np.where(problem.existing_covered, 0.0, problem.demand_weight)
    a = problem.cover.toarray().astype(float)
    n_d, n_c = a.shape
    a_ub = np.vstack([np.hstack([-a, np.eye(n_d)]), np.concatenate([np.ones(n_c), np.zeros(n_d)])[None, :]])
    b_ub = np.concatenate([np.zeros(n_d), [n_sites]])
    lp = linprog(-np.concatenate([np.zeros(n_c), w]), A_ub=a_ub, b_ub=b_ub, bounds=(0, 1), method="highs")
    assert lp.status == 0
    assert bound >= _brute_force_new_people(problem, n_sites) - 1e-9
    assert bound >= -lp.fun - 1e-6 * max(1.0, -lp.fun)  # any λ bounds the LP too
    assert bound <= -lp.fun * (1 + 1e-5) + 1e-6  # and the root's λ is (near) the LP dual optimum


def test_reported_gap_and_bound_are_the_real_ones():
    """Stopped early (by the gap, or by a time limit too short for a proof), the engine's bound still holds
    the true optimum and its gap is exactly (bound − found) / found; the sentence says it."""
    rng = np.random.default_rng(41)
    xy = rng.uniform(0, 6000, (900, 2))
    sites = rng.uniform(0, 6000, (220, 2))
    cover = np.hypot(*(xy[:, None, :] - sites[None, :, :]).transpose(2, 0, 1)) <= 650
    problem = CoverageProblem(sp.csr_array(cover), rng.integers(1, 300, 900))
    exact = milp.max_coverage(problem, n_sites=25, mip_rel_gap=0.0)
    assert exact.status == "optimal"
    for kwargs in ({"mip_rel_gap": 0.02}, {"mip_rel_gap": 0.0, "time_limit_s": 0.05}):
        r = milp.max_coverage(problem, n_sites=25, **kwargs)
        assert r.upper_bound_new_people >= exact.new_people - 1e-6
        assert r.new_people <= exact.new_people + 1e-6
        assert r.gap == pytest.approx((r.upper_bound_new_people - r.new_people) / r.new_people)
        assert exact.new_people <= r.new_people * (1 + r.gap) + 1e-6
        if r.status == "optimal":
            assert r.new_people == pytest.approx(exact.new_people)
        elif r.status == "within_gap":
            assert r.sentence.startswith(
                f"HiGHS MILP: proven within {100 * r.gap:.2f} % of the best possible"
            )
