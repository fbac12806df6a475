"""Exact reductions of the maximal-covering model (siting/milp.py ``_reduce``), checked by brute force.

Dropping a candidate whose coverage set is a strict subset of another's must keep the optimum of every model
built on the reduced problem: the most people with at most p sites, and the fewest sites reaching a share.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.sparse as sp

from coverage_planner.siting import milp
from coverage_planner.siting.problem import CoverageProblem


def _nested(seed: int, *, n_d: int = 40, n_c: int = 12) -> CoverageProblem:
    """Random coverage where half the candidates are random subsets of the others (some nested twice), with
    one duplicate candidate, existing coverage and people nobody can reach."""
    rng = np.random.default_rng(seed)
    base = rng.random((n_d, n_c // 2)) < 0.25
    cols = [base[:, j] for j in range(base.shape[1])]
    while len(cols) < n_c - 1:
        parent = cols[rng.integers(0, len(cols))]
        cols.append(parent & (rng.random(n_d) < 0.6))  # a subset of an earlier column (often of a subset)
    cols.append(cols[0].copy())  # identical to another candidate
    cover = np.column_stack(cols)[:, rng.permutation(n_c)]
    people = rng.integers(0, 60, n_d).astype(float)
    return CoverageProblem(sp.csr_array(cover), people, rng.random(n_d) < 0.15)


def _new_people(problem: CoverageProblem, sites: tuple[int, ...]) -> float:
    return problem.covered_weight(list(sites)) - problem.existing_weight


def _brute_best(problem: CoverageProblem, n_sites: int) -> float:
    return max(_new_people(problem, c) for c in itertools.combinations(range(problem.n_candidate), n_sites))


def test_the_dominator_of_a_nested_chain_is_its_largest_undominated_superset():
    #            rows:  0  1  2  3  4  5
    sets = [{0, 1}, {0, 1, 2}, {2, 3}, {4}, {0, 1, 2, 5}, {3, 4}]
    a = np.zeros((6, len(sets)), dtype=bool)
    for j, s in enumerate(sets):
        a[list(s), j] = True
    best = milp._dominators(sp.csc_array(a))
    # {0,1} ⊂ {0,1,2} ⊂ {0,1,2,5}: both smaller ones go to the top of the chain; {4} ⊂ {3,4}.
    assert best.tolist() == [4, 4, 2, 5, 4, 5]


@pytest.mark.parametrize("seed", range(8))
def test_reduction_drops_dominated_candidates_and_keeps_the_optimum(seed):
    problem = _nested(700 + seed)
    _, red = milp._reduce(problem)
    dense = problem.cover.toarray() & ~problem.existing_covered[:, None]
    nonempty = dense.any(axis=0)
    assert red.a.shape[1] < nonempty.sum() - 1  # the duplicate and at least one dominated candidate went
    # Every useful candidate maps to a kept column covering all it covers (that column's own candidate).
    for j in np.flatnonzero(nonempty):
        k = red.columns[red.column_of[j]]
        assert not (dense[:, j] & ~dense[:, k]).any()
    reduced = CoverageProblem(sp.csr_array(red.a), red.weight)
    for n_sites in (1, 2, 3, 4):
        best = _brute_best(problem, n_sites)
        k = min(n_sites, reduced.n_candidate)
        assert _brute_best(reduced, k) == pytest.approx(best, rel=1e-12)
        r = milp.max_coverage(problem, n_sites=n_sites, mip_rel_gap=0.0)
        assert r.status == "optimal"
        assert r.new_people == pytest.approx(best, rel=1e-12)
        assert r.upper_bound_new_people == pytest.approx(best, rel=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_fewest_sites_is_unchanged_by_dropping_dominated_candidates(seed):
    problem = _nested(800 + seed, n_c=10)
    for share in (0.3, 0.5, 0.7):
        need = share * problem.total_weight - 1e-9
        exact = next(
            (
                k
                for k in range(problem.n_candidate + 1)
                if any(problem.covered_weight(list(c)) >= need
                       for c in itertools.combinations(range(problem.n_candidate), k))
            ),
            None,
        )  # fmt: skip
        for method in ("search", "direct"):
            r = milp.min_sites(problem, target_share=share, method=method)
            if exact is None:
                assert r.status == "unreachable"
            elif exact == 0:
                assert r.status == "already_met"
            else:
                assert r.status == "optimal"
                assert r.chosen.size == exact
                assert problem.covered_weight(r.chosen) >= need


def test_a_start_made_of_dominated_candidates_maps_to_their_dominators():
    """A start given in original candidates is carried to the reduced columns without losing anyone."""
    problem = _nested(901)
    _, red = milp._reduce(problem)
    reduced = CoverageProblem(sp.csr_array(red.a), red.weight)
    dropped = np.flatnonzero((red.column_of >= 0) & ~np.isin(np.arange(problem.n_candidate), red.columns))
    assert dropped.size >= 2
    start = dropped[:3]
    mapped = np.unique(red.column_of[start])
    assert reduced.covered_weight(mapped) >= _new_people(problem, tuple(start)) - 1e-9


@pytest.mark.parametrize("seed", range(3))
def test_highs_with_its_first_lp_by_interior_point_still_proves_the_optimum(monkeypatch, seed):
    """Large models let HiGHS solve its first LP by interior point (``_IPM_ROOT_NNZ``); forced on small ones,
    with and without the engine's own root LP, the answer is still the brute-force optimum."""
    monkeypatch.setattr(milp, "_IPM_ROOT_NNZ", 0)
    problem = _nested(950 + seed)
    for n_sites in (2, 3):
        best = _brute_best(problem, n_sites)
        for root_lp in (False, True):
            r = milp.max_coverage(problem, n_sites=n_sites, mip_rel_gap=0.0, root_lp=root_lp)
            assert r.status == "optimal"
            assert r.new_people == pytest.approx(best, rel=1e-12)
