"""Every siting model by name: plain cost-matrix functions, and one ``solve`` for siting studies.

Cost-matrix functions (a demand × candidate cost matrix and a radius, as PySAL spopt's
``from_cost_matrix``; ``n_sites`` counts sites open in total, preselected ones included, as spopt's
``p_facilities``)::

    from coverage_planner.siting import models
    models.mclp(cost, people, radius=800, n_sites=5, preselected=[3])
    models.lscp(cost, radius=800)
    models.p_median(cost, people, n_sites=5)
    models.p_center(cost, n_sites=5)
    models.backup_coverage(cost, radius=800)
    models.capacitated_p_median(cost, people, capacity=cap, n_sites=5)
    models.capacitated_max_coverage(cost, people, capacity=cap, radius=800, n_sites=5)
    models.mclp(cost, people, radius=800, site_cost=price, budget=2e6)

:func:`solve` runs one model on a :class:`~coverage_planner.siting.problem.CoverageProblem` (people not yet
served × candidates, with the stored demand-to-candidate distances when the model needs them) and returns a
:class:`ModelOutcome` ranked like every other siting answer (each site with the people it newly serves).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..model.messages import Message
from . import greedy, milp
from .backup import backup_coverage
from .budget import budget_max_coverage
from .capacitated_assign import capacitated_max_coverage, capacitated_p_median
from .location import LocationResult, as_cost_matrix, as_preselected, cover_from_cost
from .pcenter import p_center
from .problem import CoverageProblem, SitingInputError

__all__ = [
    "MODELS",
    "ModelOutcome",
    "backup_coverage",
    "budget_max_coverage",
    "capacitated_max_coverage",
    "capacitated_p_median",
    "lscp",
    "mclp",
    "p_center",
    "p_median",
    "solve",
]

#: Model names accepted by :func:`solve` and ``coverage site --model``.
MODELS = ("mclp", "lscp", "p-median", "p-center", "backup", "capacitated")


def _weights(demand_weight: Any, n: int) -> np.ndarray:
    w = np.ones(n) if demand_weight is None else np.asarray(demand_weight, dtype=np.float64)
    if w.shape != (n,) or not np.all(np.isfinite(w)) or (w < 0).any():
        msg = f"`demand_weight` must be {n} finite non-negative numbers (one per demand row); got shape {w.shape}."
        raise SitingInputError(msg)
    return w


def _from_siting(res: Any, model: str, fixed: np.ndarray, name: str) -> LocationResult:
    chosen = np.union1d(res.chosen, fixed).astype(np.int64)
    bound = (res.covered_before_people + res.upper_bound_new_people) if res.upper_bound_new_people is not None \
        else (float(res.lower_bound_sites) if res.lower_bound_sites is not None else math.nan)
    objective = res.covered_after_people if model == "mclp" else float(chosen.size)
    return LocationResult(model=model, chosen=chosen, preselected=fixed, objective=objective, objective_name=name,
                          status=res.status, bound=bound, solve_time_s=res.solve_time_s, sentence=res.sentence,
                          figures={"covered_share": res.covered_share_after, "new_people": res.new_people})


def mclp(
    cost: Any,
    demand_weight: Any = None,
    *,
    radius: float,
    n_sites: int | None = None,
    preselected: Any = None,
    site_cost: Any = None,
    budget: float | None = None,
    time_limit_s: float = 60.0,
) -> LocationResult:
    """Maximal covering: ``n_sites`` sites (preselected included), or sites within ``budget``, covering the most.

    Parameters
    ----------
    cost
        Demand × candidate costs; covered when ``cost ≤ radius``.
    demand_weight
        People per demand point (default 1 each).
    radius
        Service radius, unit of ``cost``.
    n_sites
        Sites open in total, preselected ones included (spopt's ``p_facilities``). Optional with a budget.
    preselected
        Sites that must be open (existing facilities): candidate indices or one 0/1 flag per candidate.
        Their demand counts as covered.
    site_cost, budget
        Cost per candidate and the money available: the budgeted MCLP (preselected sites cost nothing).
    time_limit_s
        HiGHS time limit.

    Returns
    -------
    LocationResult
        ``objective`` is the weight covered (preselected coverage included).
    """
    d = as_cost_matrix(cost)
    n_d, n_c = d.shape
    w = _weights(demand_weight, n_d)
    fixed = as_preselected(preselected, n_c)
    cover = cover_from_cost(d, radius)
    existing = np.asarray(cover[:, fixed].sum(axis=1)).ravel() > 0 if fixed.size else np.zeros(n_d, dtype=bool)
    free = np.setdiff1d(np.arange(n_c), fixed)
    problem = CoverageProblem(cover[:, free], w, existing)
    n_new = None if n_sites is None else int(n_sites) - fixed.size
    if n_new is not None and n_new < 0:
        msg = f"`n_sites` counts sites open in total, preselected included: at least {fixed.size}; got {n_sites!r}."
        raise SitingInputError(msg)
    if budget is not None:
        sc = None if site_cost is None else np.asarray(site_cost, dtype=np.float64)
        if sc is None or sc.shape != (n_c,):
            msg = f"A budget needs `site_cost`, one cost per candidate ({n_c}); got {None if sc is None else sc.shape}."
            raise SitingInputError(msg)
        res = budget_max_coverage(problem, budget=budget, site_cost=sc[free], n_sites=n_new, time_limit_s=time_limit_s)
        return replace(res, chosen=np.union1d(free[res.chosen], fixed), preselected=fixed)
    if n_new is None:
        msg = "Give `n_sites` (sites open in total) or a `budget` with `site_cost`."
        raise SitingInputError(msg)
    sres = milp.max_coverage(problem, n_sites=n_new, time_limit_s=time_limit_s, mip_rel_gap=0.0)
    sres = replace(sres, chosen=free[sres.chosen])
    return _from_siting(sres, "mclp", fixed, "weight covered (preselected coverage included)")


def lscp(cost: Any, *, radius: float, preselected: Any = None, time_limit_s: float = 60.0) -> LocationResult:
    """Location set covering: the fewest sites (preselected included) putting every demand point within ``radius``.

    Parameters
    ----------
    cost
        Demand × candidate costs.
    radius
        Service radius, unit of ``cost``.
    preselected
        Sites that must be open.
    time_limit_s
        HiGHS time limit.

    Returns
    -------
    LocationResult
        ``objective`` is the number of sites open.
    """
    d = as_cost_matrix(cost)
    n_d, n_c = d.shape
    fixed = as_preselected(preselected, n_c)
    cover = cover_from_cost(d, radius)
    unreachable = np.diff(cover.indptr) == 0
    if unreachable.any():
        msg = (f"{int(unreachable.sum())} demand point(s) (first: row {int(np.flatnonzero(unreachable)[0])}) have no "
               f"candidate within {radius:,.6g}; LSCP needs everyone coverable. Raise the radius or add candidates.")
        raise SitingInputError(msg)
    existing = np.asarray(cover[:, fixed].sum(axis=1)).ravel() > 0 if fixed.size else np.zeros(n_d, dtype=bool)
    free = np.setdiff1d(np.arange(n_c), fixed)
    res = milp.min_sites(CoverageProblem(cover[:, free], np.ones(n_d), existing), target_share=1.0,
                         time_limit_s=time_limit_s)
    res = replace(res, chosen=free[res.chosen])
    return _from_siting(res, "lscp", fixed, "sites open (preselected included)")


def p_median(
    cost: Any,
    demand_weight: Any = None,
    *,
    n_sites: int,
    preselected: Any = None,
    capacity: Any = None,
    time_limit_s: float = 60.0,
) -> LocationResult:
    """p-median: ``n_sites`` sites (preselected included) minimising the weighted cost to the nearest open site.

    With ``capacity``, the capacitated p-median (:func:`capacitated_p_median`, demand assigned).

    Parameters
    ----------
    cost
        Demand × candidate costs; ``inf``/``nan`` pairs are never used.
    demand_weight
        People per demand point (default 1 each).
    n_sites
        Sites open in total, preselected included.
    preselected
        Sites that must be open.
    capacity
        Capacity per candidate (optional).
    time_limit_s
        HiGHS time limit.

    Returns
    -------
    LocationResult
        ``objective`` is the total weighted cost of the assigned demand; ``figures["mean_cost"]`` its weighted
        mean; ``figures["unassigned_weight"]`` the demand no open site can reach (then not in the objective).
    """
    d = as_cost_matrix(cost)
    n_d, n_c = d.shape
    w = _weights(demand_weight, n_d)
    fixed = as_preselected(preselected, n_c)
    if capacity is not None:
        return capacitated_p_median(d, w, capacity=capacity, n_sites=n_sites, preselected=fixed,
                                    time_limit_s=time_limit_s)
    r, c = np.nonzero(np.isfinite(d))
    dist = sp.csr_array((d[r, c], (r, c)), shape=d.shape)
    unreachable = np.diff(dist.indptr) == 0
    if unreachable.any():
        msg = (f"{int(unreachable.sum())} demand point(s) (first: row {int(np.flatnonzero(unreachable)[0])}) cannot "
               "reach any candidate. Drop those rows or add candidates.")
        raise SitingInputError(msg)
    t0 = time.perf_counter()
    res = milp.p_median(dist, w, n_sites=int(n_sites) - fixed.size, fixed_open=fixed, time_limit_s=time_limit_s,
                        mip_rel_gap=0.0, unassigned_penalty_m=10.0 * float(d[np.isfinite(d)].max() + 1.0))
    chosen = np.union1d(res.chosen, fixed)
    total = float((w * np.nan_to_num(res.distance_m)).sum())
    return LocationResult(model="p-median", chosen=chosen, preselected=fixed, objective=total,
                          objective_name="total demand-weighted cost to the nearest open site", status=res.status,
                          bound=total if res.status == "optimal" else math.nan,
                          solve_time_s=time.perf_counter() - t0, assignment=res.assignment, sentence=res.sentence,
                          figures={"mean_cost": res.mean_distance_m, "unassigned_weight": res.unassigned_people})


@dataclass(frozen=True, eq=False)
class ModelOutcome:
    """A siting model's answer in a study: new sites in rank order with the people each newly serves.

    Parameters
    ----------
    model
        One of :data:`MODELS` (``"mclp"`` with a budget is reported as ``"budget mclp"``).
    chosen
        Candidate indices, ranked (each adds the most people given the ones before it).
    marginal_people
        People newly served by each chosen site (within the coverage rule; for ``capacitated``, the
        people assigned to it).
    solver
        Solver name for the report.
    sentence
        One plain sentence for planners.
    status
        Solver status.
    details
        Model figures (objective, bound, shares, cost used ...).
    """

    model: str
    chosen: np.ndarray
    marginal_people: np.ndarray
    solver: str
    sentence: str
    status: str
    details: dict[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # JSON-ready: plain floats, and None where a figure is not finite (no bound, no gap)
        clean = {}
        for k, v in self.details.items():
            if isinstance(v, (float, np.floating)):
                v = float(v) if math.isfinite(v) else None
            clean[k] = v
        object.__setattr__(self, "details", clean)


def _rows_coverable(problem: CoverageProblem) -> np.ndarray:
    return ~problem.existing_covered & (np.diff(problem.cover.indptr) > 0) & (problem.demand_weight > 0)


def _cost_rows(cost: sp.csr_array | None, problem: CoverageProblem, rows: np.ndarray, model: str) -> np.ndarray:
    if cost is None:
        msg = f"The {model} model needs the demand-to-candidate distances (`cost`), not only who is in reach."
        raise SitingInputError(msg)
    c = sp.csr_array(cost)
    if c.shape != problem.cover.shape:
        msg = f"`cost` must have the coverage matrix's shape {problem.cover.shape}; got {c.shape}."
        raise SitingInputError(msg)
    return as_cost_matrix(c[rows])


def _reach_rows(problem: CoverageProblem, rows: np.ndarray, radius_m: float | None
                ) -> tuple[np.ndarray, float, str]:
    """0 / inf "cost" rows from the coverage matrix, with the radius and unit to print."""
    d = np.where(problem.cover[rows].toarray(), 0.0, np.inf)
    return (d, 0.0, "") if radius_m is None else (np.where(np.isfinite(d), radius_m, np.inf), float(radius_m), " m")


# PLR0913: the model dispatcher takes every model's option as a keyword (spopt's style)
def solve(  # noqa: PLR0913
    model: str,
    problem: CoverageProblem,
    *,
    cost: sp.csr_array | None = None,
    n_sites: int | None = None,
    target_share: float | None = None,
    budget: float | None = None,
    capacity: Any = None,
    radius_m: float | None = None,
    time_limit_s: float = 60.0,
) -> ModelOutcome:
    """Run siting model ``model`` on the people not yet served.

    Parameters
    ----------
    model
        One of :data:`MODELS`.
    problem
        Coverage of each demand row by each candidate (within the target's distance), people per row, rows
        already served (kept, never need a site), optional ``candidate_cost`` (budget) and
        ``candidate_capacity``.
    cost
        Sparse demand × candidate distances (metres) of the pairs in ``problem.cover``; needed by
        ``p-median`` and ``p-center`` (which can only use the stored pairs: give pairs beyond the coverage
        distance if p-center should be able to reach further).
    radius_m
        The coverage distance in metres, for sentences (backup, capacitated).
    n_sites
        New sites to open (mclp, p-median, p-center, capacitated; with a budget, an optional cap).
    target_share
        mclp/lscp without ``n_sites``: the fewest sites reaching this covered share (lscp default: all
        coverable people).
    budget
        mclp: money for new sites (needs ``problem.candidate_cost``).
    capacity
        capacitated: people each new site can serve (one value or one per candidate); default
        ``problem.candidate_capacity``.
    time_limit_s
        HiGHS time limit.

    Returns
    -------
    ModelOutcome
    """
    if model not in MODELS:
        msg = f"Unknown siting model {model!r}; choose one of {', '.join(MODELS)}."
        raise SitingInputError(msg)
    details: dict[str, object] = {"model": model}
    if model == "mclp" and budget is not None:
        res = budget_max_coverage(problem, budget=budget, n_sites=n_sites, time_limit_s=time_limit_s)
        order, marginal = greedy.rank_selection(problem, res.chosen)
        details.update(res.figures, objective=res.objective, bound=res.bound, gap=res.gap)
        return ModelOutcome("budget mclp", order, marginal, "HiGHS MILP (budget)", res.sentence, res.status, details)
    if model in ("mclp", "lscp"):
        if model == "mclp" and n_sites is not None:
            sres = milp.max_coverage(problem, n_sites=n_sites, time_limit_s=time_limit_s)
        else:
            if target_share is None:  # lscp: everyone a candidate can reach
                reach = problem.reachable_weight / problem.total_weight if problem.total_weight > 0 else 1.0
                target_share = reach * (1 - 1e-12)
            sres = milp.min_sites(problem, target_share=float(target_share), time_limit_s=time_limit_s)
        details.update(status=sres.status, gap=sres.gap, covered_share_after_solver=sres.covered_share_after)
        return ModelOutcome(model, sres.chosen, sres.marginal_people, sres.solver, sres.sentence, sres.status, details)
    if n_sites is None and model != "backup":
        msg = f"The {model} model places a given number of sites: give --new N (not --until-met)."
        raise SitingInputError(msg)
    n_new = 0 if n_sites is None else int(n_sites)  # backup: no count
    rows = np.flatnonzero(_rows_coverable(problem))
    if rows.size == 0:
        return ModelOutcome(model, np.zeros(0, np.int64), np.zeros(0), "HiGHS MILP",
                            Message("say.model_nobody"),
                            "optimal", details)
    w = problem.demand_weight[rows]
    skipped = float(problem.demand_weight[~problem.existing_covered].sum() - w.sum())
    details["people_out_of_reach_of_every_candidate"] = skipped
    if model == "p-median":
        d = _cost_rows(cost, problem, rows, model)
        k = min(n_new, d.shape[1])
        res = p_median(d, w, n_sites=k, time_limit_s=time_limit_s)
    elif model == "p-center":
        d = _cost_rows(cost, problem, rows, model)
        res = p_center(d, n_sites=min(n_new, d.shape[1]), time_limit_s=time_limit_s, unit=" m")
    elif model == "backup":
        d, r, unit = _reach_rows(problem, rows, radius_m)
        res = backup_coverage(d, radius=r, demand_weight=w, time_limit_s=time_limit_s, unit=unit)
    else:  # capacitated
        cap = problem.candidate_capacity if capacity is None else capacity
        if cap is None:
            msg = ("The capacitated model needs a capacity per new site: give --capacity (people one site can serve) "
                   "or a capacity field on the candidates.")
            raise SitingInputError(msg)
        cap = np.broadcast_to(np.asarray(cap, dtype=np.float64), (problem.n_candidate,))
        d, r, unit = _reach_rows(problem, rows, radius_m)
        res = capacitated_max_coverage(d, w, capacity=cap, radius=r, n_sites=min(n_new, d.shape[1]),
                                       single_source=False, time_limit_s=time_limit_s, unit=unit)
        served = res.site_load
        assert served is not None  # the capacitated model reports every site's load
        order = res.chosen[np.argsort(-served[res.chosen], kind="stable")]
        details.update(res.figures, objective=res.objective, bound=res.bound, gap=res.gap)
        return ModelOutcome(model, order, served[order], "HiGHS MILP (capacitated)", res.sentence, res.status, details)
    order, marginal = greedy.rank_selection(problem, res.chosen)
    details.update(res.figures, objective=res.objective, objective_name=res.objective_name, bound=res.bound,
                   gap=res.gap)
    return ModelOutcome(model, order, marginal, f"HiGHS MILP ({model})", res.sentence, res.status, details)
