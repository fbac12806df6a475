"""Budgeted maximal covering: a cost per candidate site and a budget instead of a number of sites (HiGHS).

::

    maximise   Σ_i w_i y_i
    subject to y_i ≤ Σ_j a_ij x_j      for every demand row not served already
               Σ_j cost_j x_j ≤ budget   (and optionally Σ_j x_j ≤ n_sites)
               x_j ∈ {0, 1},  0 ≤ y_i ≤ 1

Demand served by existing (or preselected) facilities counts as covered and needs no site; preselected
sites are open at no charge against the budget. Demand is aggregated exactly first
(:func:`~coverage_planner.siting.problem.aggregate_demand`), as the MCLP solver does.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from ..model.messages import Message
from .location import LocationResult, solve_mip
from .outcome import model_head
from .problem import CoverageProblem, SitingInputError, aggregate_demand

__all__ = ["budget_max_coverage"]


def budget_max_coverage(
    problem: CoverageProblem,
    *,
    budget: float,
    site_cost: Any = None,
    n_sites: int | None = None,
    time_limit_s: float = 60.0,
    mip_rel_gap: float = 1e-6,
) -> LocationResult:
    """The sites whose total cost fits ``budget`` and that cover the most people not yet served.

    Parameters
    ----------
    problem
        Coverage sets, people, existing coverage (kept, counted as covered).
    budget
        Money (any currency) available for new sites.
    site_cost
        Cost per candidate; default ``problem.candidate_cost``.
    n_sites
        Optional cap on the number of new sites as well.
    time_limit_s, mip_rel_gap
        HiGHS limits.

    Returns
    -------
    LocationResult
        ``objective`` is people covered (existing coverage included); ``figures`` has ``cost_used``,
        ``budget``, ``new_people``, ``covered_share``.
    """
    t0 = time.perf_counter()
    cost = problem.candidate_cost if site_cost is None else np.asarray(site_cost, dtype=np.float64)
    if cost is None:
        msg = ("Budgeted siting needs a cost per candidate site: pass `site_cost`, set `candidate_cost` on the "
               "problem, or give --cost-field naming the cost column of the candidates layer.")
        raise SitingInputError(msg)
    cost = CoverageProblem(problem.cover, problem.demand_weight, candidate_cost=cost).candidate_cost  # validates
    assert cost is not None  # given just above
    if not (budget >= 0 and math.isfinite(budget)):
        msg = f"The budget must be a finite non-negative amount; got {budget!r}."
        raise SitingInputError(msg)
    agg, _ = aggregate_demand(problem)
    keep = ~agg.existing_covered & (np.diff(agg.cover.indptr) > 0) & (agg.demand_weight > 0)
    a = sp.csc_array(agg.cover[np.flatnonzero(keep)], dtype=np.float64)
    w = agg.demand_weight[keep]
    n_r, n_c = a.shape
    # Columns [x (n_c), y (n_r)]; rows: y_i - Σ a_ij x_j ≤ 0; Σ cost_j x_j ≤ budget; [Σ x_j ≤ n_sites].
    rows = [sp.hstack([-a, sp.eye_array(n_r, format="csc")], format="csc"),
            sp.csc_array(np.concatenate([cost, np.zeros(n_r)]).reshape(1, -1))]
    upper: list[NDArray[np.float64] | list[float]] = [np.zeros(n_r), [float(budget)]]
    if n_sites is not None:
        rows.append(sp.csc_array(np.concatenate([np.ones(n_c), np.zeros(n_r)]).reshape(1, -1)))
        upper.append([float(n_sites)])
    col_upper = np.concatenate([(cost <= budget).astype(np.float64), np.ones(n_r)])
    sol = solve_mip(sp.vstack(rows, format="csc"), cost=np.concatenate([np.zeros(n_c), w]),
                    row_lower=np.full(sum(len(u) for u in upper), -np.inf), row_upper=np.concatenate(upper),
                    integer=np.concatenate([np.ones(n_c, bool), np.zeros(n_r, bool)]), maximise=True,
                    col_upper=col_upper, time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap)
    x = np.zeros(n_c) if sol.x is None else sol.x[:n_c]
    chosen = np.flatnonzero(x > 0.5)
    # Drop sites that add nobody (a zero-gain site may be left open by the solver).
    covered = problem.covered_weight(chosen)
    for j in chosen[np.argsort(-cost[chosen])]:
        rest = chosen[chosen != j]
        if problem.covered_weight(rest) >= covered - 1e-9:
            chosen = rest
    used = float(cost[chosen].sum())
    total = problem.total_weight
    new = covered - problem.existing_weight
    bound = problem.existing_weight + sol.bound if math.isfinite(sol.bound) else math.nan
    elapsed = time.perf_counter() - t0
    res = LocationResult(
        model="budget mclp", chosen=chosen, preselected=np.zeros(0, dtype=np.int64), objective=covered,
        objective_name="people covered (existing coverage included)", status=sol.status, bound=bound,
        solve_time_s=elapsed, sentence="",
        figures={"cost_used": used, "budget": float(budget), "new_people": new,
                 "covered_share": covered / total if total > 0 else 1.0,
                 "covered_share_before": problem.existing_weight / total if total > 0 else 1.0},
    )
    sentence = Message("say.model_budget", head=model_head("budget mclp", sol.status, res.gap, elapsed),
                       n=int(chosen.size), used=f"{used:,.0f}", budget=f"{budget:,.0f}", people=f"{new:,.0f}",
                       before=f"{100 * res.figures['covered_share_before']:.1f} %",
                       after=f"{100 * res.figures['covered_share']:.1f} %")
    return replace(res, sentence=sentence)
