"""Exact siting as mixed-integer programs solved by HiGHS (via highspy, built in matrix form).

Maximal covering (MCLP, Church & ReVelle 1974)::

    maximise   Σ_i w_i y_i
    subject to y_i ≤ Σ_j a_ij x_j      for every demand row i not covered by existing facilities
               Σ_j x_j ≤ p
               x_j ∈ {0, 1},  0 ≤ y_i ≤ 1

``y`` may be continuous: with ``x`` integral, the best ``y_i`` is 1 exactly when some chosen site covers
``i``. Fewest sites (set covering with a share target) minimises ``Σ_j x_j`` subject to the same rows and
``Σ_i w_i y_i ≥ target·W − existing``. p-median assigns each demand point to its nearest open site.

Before building, demand is aggregated exactly (:func:`~coverage.siting.problem.aggregate_demand`) and
candidates with identical coverage sets are merged (any one of them is as good as another), which often
shrinks the model several-fold without changing the optimum. The greedy solution is passed to HiGHS as a
starting incumbent.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
import os
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import highspy
import numpy as np
import scipy.sparse as sp

from . import greedy
from .problem import CoverageProblem, SitingInputError, aggregate_demand, as_cover_matrix, unique_rows
from .report import SitingResult

logger = logging.getLogger(__name__)

__all__ = ["PMedianResult", "max_coverage", "min_sites", "p_median"]

_BANNER_LOCK = threading.Lock()
_banner_done = False


@contextlib.contextmanager
def _stdout_silenced() -> Iterator[None]:
    """Silence file descriptor 1 (C-level stdout) for the duration of the block."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError, AttributeError):
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _new_highs(*, time_limit_s: float, mip_rel_gap: float) -> highspy.Highs:
    """A silent HiGHS instance. HiGHS prints a licence banner to C stdout on its first construction in a
    process, before any option can be set; stdout is kept for data, so the banner is swallowed once."""
    global _banner_done
    with _BANNER_LOCK:
        if not _banner_done:
            with _stdout_silenced():
                h = highspy.Highs()
            _banner_done = True
        else:
            h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit_s))
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    return h


def _check_limits(time_limit_s: float, mip_rel_gap: float) -> None:
    if not (time_limit_s > 0):
        msg = f"`time_limit_s` must be a positive number of seconds; got {time_limit_s!r}."
        raise SitingInputError(msg)
    if not (0 <= mip_rel_gap < 1):
        msg = (
            f"`mip_rel_gap` must be a relative gap in [0, 1); got {mip_rel_gap!r}. Use 0 for a proven optimum, "
            "1e-4 (HiGHS's default) to stop within 0.01 % of it."
        )
        raise SitingInputError(msg)


@dataclass(frozen=True)
class _Reduced:
    """The coverable part of an aggregated problem, with duplicate candidate columns merged."""

    a: sp.csc_array  # rows: coverable demand groups; columns: distinct candidate coverage sets
    weight: np.ndarray
    columns: np.ndarray  # original candidate index of each reduced column
    column_of: np.ndarray  # reduced column of each original candidate (-1: covers nobody coverable)


def _reduce(problem: CoverageProblem) -> tuple[CoverageProblem, _Reduced]:
    agg, _ = aggregate_demand(problem)
    keep = ~agg.existing_covered & (np.diff(agg.cover.indptr) > 0) & (agg.demand_weight > 0)
    a_rows = agg.cover[np.flatnonzero(keep)]
    weight = agg.demand_weight[keep]
    at = as_cover_matrix(a_rows.T)  # candidate × demand group
    useful = np.flatnonzero(np.diff(at.indptr) > 0)
    reps, inverse = unique_rows(at[useful])
    columns = useful[reps]
    column_of = np.full(problem.n_candidate, -1, dtype=np.int64)
    column_of[useful] = inverse
    a = sp.csc_array(a_rows[:, columns])
    logger.debug(
        "MILP model: %d demand points -> %d rows; %d candidates -> %d distinct columns",
        problem.n_demand,
        a.shape[0],
        problem.n_candidate,
        a.shape[1],
    )
    return agg, _Reduced(a=a, weight=weight, columns=columns, column_of=column_of)


def _coverage_matrix(red: _Reduced, extra_row: np.ndarray) -> sp.csc_array:
    """Constraint matrix over [x (columns), y (rows)]: rows ``y_i - Σ_j a_ij x_j ≤ 0`` plus ``extra_row``."""
    n_r, n_c = red.a.shape
    body = sp.hstack([-red.a.astype(np.float64), sp.eye_array(n_r, format="csc")], format="csc")
    return sp.vstack([body, sp.csc_array(extra_row.reshape(1, -1))], format="csc")


def _pass_model(
    h: highspy.Highs,
    m: sp.csc_array,
    *,
    cost: np.ndarray,
    maximise: bool,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    n_integer: int,
) -> None:
    n_row, n_col = m.shape
    integrality = np.zeros(n_col, dtype=np.int32)
    integrality[:n_integer] = 1
    status = h.passModel(
        n_col, n_row, int(m.nnz), 1, -1 if maximise else 1, 0.0,
        np.ascontiguousarray(cost, dtype=np.float64), np.zeros(n_col), np.ones(n_col),
        np.ascontiguousarray(row_lower, dtype=np.float64), np.ascontiguousarray(row_upper, dtype=np.float64),
        m.indptr.astype(np.int32), m.indices.astype(np.int32), m.data.astype(np.float64), integrality,
    )  # fmt: skip
    if status == highspy.HighsStatus.kError:
        msg = "HiGHS rejected the siting model (internal error building the matrix); please report this."
        raise SitingInputError(msg)


def _set_start(h: highspy.Highs, red: _Reduced, chosen_original: np.ndarray) -> None:
    """Give HiGHS a feasible starting solution (the greedy sites)."""
    n_r, n_c = red.a.shape
    x = np.zeros(n_c)
    cols = red.column_of[chosen_original]
    x[cols[cols >= 0]] = 1.0
    y = np.minimum(red.a @ x, 1.0)
    sol = highspy.HighsSolution()
    sol.col_value = np.concatenate([x, y]).tolist()
    h.setSolution(sol)


@dataclass(frozen=True)
class _Solved:
    status: str
    chosen_original: np.ndarray
    bound: float
    run_time_s: float


def _solve(h: highspy.Highs, red: _Reduced) -> _Solved:
    h.run()
    model_status = h.getModelStatus()
    status = {
        highspy.HighsModelStatus.kOptimal: "optimal",
        highspy.HighsModelStatus.kTimeLimit: "time_limit",
        highspy.HighsModelStatus.kInfeasible: "infeasible",
    }.get(model_status, h.modelStatusToString(model_status).lower())
    info = h.getInfo()
    n_c = red.a.shape[1]
    solution = h.getSolution()
    if info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
        x = np.asarray(solution.col_value[:n_c])
        chosen = red.columns[x > 0.5]
    else:
        chosen = np.empty(0, dtype=np.int64)
    return _Solved(
        status=status, chosen_original=chosen, bound=float(info.mip_dual_bound), run_time_s=h.getRunTime()
    )


def max_coverage(
    problem: CoverageProblem,
    *,
    n_sites: int,
    time_limit_s: float = 60.0,
    mip_rel_gap: float = 1e-6,
    warm_start: bool = True,
) -> SitingResult:
    """Choose up to ``n_sites`` candidates covering the most people, exactly (MCLP solved by HiGHS).

    Parameters
    ----------
    problem
        Coverage sets, people, existing coverage (kept; counted as covered).
    n_sites
        Number of new sites to place (at most; sites that would add nobody are not proposed).
    time_limit_s
        Stop HiGHS after this many seconds and return its best solution and proven bound.
    mip_rel_gap
        Stop once the solution is proven within this relative gap of the optimum (default 1e-6: in
        practice, the optimum).
    warm_start
        Start HiGHS from the greedy solution.

    Returns
    -------
    SitingResult
        Sites ranked by the people each newly serves given the higher-ranked ones; ``status`` is
        ``"optimal"`` or ``"time_limit"``; ``upper_bound_new_people`` is HiGHS's proven bound.
    """
    greedy_result = greedy.max_coverage(problem, n_sites=n_sites)  # also validates n_sites
    _check_limits(time_limit_s, mip_rel_gap)
    t0 = time.perf_counter()
    agg, red = _reduce(problem)
    n_r, n_c = red.a.shape
    if n_c <= n_sites or n_r == 0:
        # Every useful candidate fits in the budget: building all of them is optimal.
        chosen = red.columns
        status, bound = "optimal", None
    else:
        h = _new_highs(time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap)
        budget_row = np.concatenate([np.ones(n_c), np.zeros(n_r)])
        _pass_model(
            h, _coverage_matrix(red, budget_row), cost=np.concatenate([np.zeros(n_c), red.weight]), maximise=True,
            row_lower=np.full(n_r + 1, -np.inf), row_upper=np.concatenate([np.zeros(n_r), [float(n_sites)]]),
            n_integer=n_c,
        )  # fmt: skip
        if warm_start:
            _set_start(h, red, greedy_result.chosen)
        solved = _solve(h, red)
        status, chosen, bound = solved.status, solved.chosen_original, solved.bound
        if chosen.size == 0 and greedy_result.n_sites:  # no incumbent (e.g. time limit before any)
            chosen = greedy_result.chosen
    order, marginal = greedy.rank_selection(agg, chosen)
    keep = marginal > 0
    order, marginal = order[keep], marginal[keep]
    new = float(marginal.sum())
    if greedy_result.new_people > new * (1 + 1e-12):  # HiGHS stopped early with a worse incumbent
        order, marginal, new = greedy_result.chosen, greedy_result.marginal_people, greedy_result.new_people
    if bound is None or not math.isfinite(bound):
        bound = new if status == "optimal" else greedy_result.upper_bound_new_people
    bound = min(max(bound, new), greedy_result.upper_bound_new_people or math.inf)
    before = problem.existing_weight
    elapsed = time.perf_counter() - t0
    logger.debug("HiGHS MCLP: %s, +%.1f people (bound %.1f) in %.2f s", status, new, bound, elapsed)
    return SitingResult(
        solver="HiGHS MILP",
        goal="max_coverage",
        chosen=order,
        marginal_people=marginal,
        total_people=problem.total_weight,
        covered_before_people=before,
        covered_after_people=before + new,
        reachable_people=problem.reachable_weight,
        n_candidate=problem.n_candidate,
        status=status,
        solve_time_s=elapsed,
        upper_bound_new_people=bound,
        n_sites_requested=int(n_sites),
    )


def min_sites(
    problem: CoverageProblem,
    *,
    target_share: float,
    time_limit_s: float = 60.0,
    mip_rel_gap: float = 0.0,
    warm_start: bool = True,
) -> SitingResult:
    """The fewest new sites that bring the covered share to ``target_share``, exactly (HiGHS).

    Parameters
    ----------
    problem
        Coverage sets, people, existing coverage (kept; counted as covered).
    target_share
        Share of all people to cover, in [0, 1] (existing coverage counts).
    time_limit_s
        Stop HiGHS after this many seconds and return its best solution and proven lower bound.
    mip_rel_gap
        Relative gap at which to stop (default 0: prove the minimum).
    warm_start
        Start HiGHS from the greedy solution (:func:`coverage.siting.greedy.until_met`).

    Returns
    -------
    SitingResult
        ``status`` is ``"optimal"``, ``"time_limit"``, ``"already_met"`` or ``"unreachable"`` (then no
        sites are proposed and the sentence gives the best reachable share); ``lower_bound_sites`` is
        HiGHS's proven lower bound.
    """
    greedy_result = greedy.until_met(problem, target_share=target_share)
    _check_limits(time_limit_s, mip_rel_gap)
    if greedy_result.status in ("already_met", "unreachable"):
        return dataclasses.replace(greedy_result, solver="HiGHS MILP")
    t0 = time.perf_counter()
    agg, red = _reduce(problem)
    n_r, n_c = red.a.shape
    need_new = greedy_result.covered_people_needed - problem.existing_weight
    # Rounding slack: ask for a hair less than the target so float sums cannot make it infeasible.
    need_row = need_new - 1e-9 * max(1.0, problem.total_weight)
    h = _new_highs(time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap)
    cover_row = np.concatenate([np.zeros(n_c), red.weight])
    _pass_model(
        h, _coverage_matrix(red, cover_row), cost=np.concatenate([np.ones(n_c), np.zeros(n_r)]), maximise=False,
        row_lower=np.concatenate([np.full(n_r, -np.inf), [need_row]]),
        row_upper=np.concatenate([np.zeros(n_r), [np.inf]]), n_integer=n_c,
    )  # fmt: skip
    if warm_start:
        _set_start(h, red, greedy_result.chosen)
    solved = _solve(h, red)
    chosen = solved.chosen_original
    if chosen.size == 0 or chosen.size > greedy_result.n_sites:
        chosen = greedy_result.chosen
    order, marginal = greedy.rank_selection(agg, chosen)
    keep = marginal > 0
    order, marginal = order[keep], marginal[keep]
    lb = greedy_result.lower_bound_sites or 1
    if math.isfinite(solved.bound):
        lb = max(lb, math.ceil(solved.bound - 1e-6))
    status = solved.status
    if lb >= order.size:
        status = "optimal"
    before = problem.existing_weight
    return SitingResult(
        solver="HiGHS MILP",
        goal="min_sites",
        chosen=order,
        marginal_people=marginal,
        total_people=problem.total_weight,
        covered_before_people=before,
        covered_after_people=before + float(marginal.sum()),
        reachable_people=problem.reachable_weight,
        n_candidate=problem.n_candidate,
        status=status,
        solve_time_s=time.perf_counter() - t0,
        lower_bound_sites=min(lb, order.size),
        target_share=greedy_result.target_share,
    )


@dataclass(frozen=True, eq=False)
class PMedianResult:
    """p-median solution: which sites to open and where everyone goes.

    Parameters
    ----------
    chosen
        New sites (candidate indices), ascending.
    assignment
        Candidate index serving each demand point (its nearest open site within the cutoff), or -1 if
        none is within the cutoff.
    distance_m
        Distance from each demand point to its assigned site (``nan`` if unassigned).
    mean_distance_m
        People-weighted mean distance over assigned demand.
    unassigned_people
        People with no open site within the cutoff.
    status
        {"optimal", "time_limit", ...}.
    gap
        HiGHS's relative MIP gap on the objective (people-metres plus penalties).
    solve_time_s
        Wall time (seconds).
    """

    chosen: np.ndarray
    assignment: np.ndarray
    distance_m: np.ndarray
    mean_distance_m: float
    unassigned_people: float
    status: str
    gap: float
    solve_time_s: float

    @property
    def sentence(self) -> str:
        """One plain sentence for planners."""
        gap = f"gap {100 * self.gap:.1f} %"
        head = f"HiGHS p-median: {self.status} ({gap}) in {self.solve_time_s:.1f} s: "
        body = f"{self.chosen.size} new sites; people travel {self.mean_distance_m:,.0f} m on average to their nearest site"
        if self.unassigned_people > 0:
            body += f"; {self.unassigned_people:,.0f} people have no site within the cutoff"
        return head + body + "."


def p_median(
    distance_m: Any,
    demand_weight: Any,
    *,
    n_sites: int,
    fixed_open: Any = (),
    unassigned_penalty_m: float | None = None,
    time_limit_s: float = 60.0,
    mip_rel_gap: float = 1e-6,
) -> PMedianResult:
    """Open ``n_sites`` new sites minimising people-weighted distance to the nearest open site (HiGHS).

    Parameters
    ----------
    distance_m
        Sparse demand × candidate distances in metres; only stored pairs (e.g. within a cutoff) may be
        assigned. Store a zero distance explicitly (scipy keeps explicit zeros unless told otherwise).
    demand_weight
        People per demand point.
    n_sites
        New sites to open, on top of ``fixed_open``.
    fixed_open
        Candidate indices that are open already (existing facilities entered as candidates); kept.
    unassigned_penalty_m
        Distance charged for a person left with no open site within the cutoff (default: the largest
        stored distance, i.e. at least the cutoff). Makes every instance feasible.
    time_limit_s
        HiGHS time limit in seconds.
    mip_rel_gap
        Relative gap at which to stop.

    Returns
    -------
    PMedianResult
    """
    if not sp.issparse(distance_m):
        msg = (
            "`distance_m` must be a scipy.sparse demand × candidate matrix of distances in metres holding only "
            f"the pairs within your cutoff; got {type(distance_m).__name__}."
        )
        raise SitingInputError(msg)
    d = sp.csr_array(distance_m, copy=True)
    d.sum_duplicates()
    n_d, n_c = d.shape
    w = np.asarray(demand_weight, dtype=np.float64)
    if w.shape != (n_d,) or not np.all(np.isfinite(w)) or np.any(w < 0):
        msg = f"`demand_weight` must be {n_d} finite non-negative numbers (one per demand row); got shape {w.shape}."
        raise SitingInputError(msg)
    if np.any(d.data < 0) or not np.all(np.isfinite(d.data)):
        msg = "`distance_m` holds negative or non-finite distances; store only real distances (metres) within the cutoff."
        raise SitingInputError(msg)
    fixed = np.unique(np.asarray(fixed_open, dtype=np.int64))
    if fixed.size and (fixed.min() < 0 or fixed.max() >= n_c):
        msg = f"`fixed_open` holds candidate indices outside 0..{n_c - 1}; got {fixed.tolist()[:5]}..."
        raise SitingInputError(msg)
    if isinstance(n_sites, bool) or int(n_sites) != n_sites or n_sites < 0 or n_sites + fixed.size > n_c:
        msg = f"`n_sites` must be a whole number between 0 and {n_c - fixed.size} (candidates not already open); got {n_sites!r}."
        raise SitingInputError(msg)
    _check_limits(time_limit_s, mip_rel_gap)
    penalty = float(d.data.max(initial=0.0)) if unassigned_penalty_m is None else float(unassigned_penalty_m)
    t0 = time.perf_counter()
    # Variables: x_j (n_c, binary), z_k for each stored pair k=(i,j) (continuous), u_i (unassigned share).
    nnz = d.nnz
    pair_row = np.repeat(np.arange(n_d), np.diff(d.indptr))
    pair_col = d.indices.astype(np.int64)
    cost = np.concatenate([np.zeros(n_c), w[pair_row] * d.data, w * penalty])
    n_var = n_c + nnz + n_d
    # Rows: (1) Σ_j z_ij + u_i = 1 per demand; (2) z_ij - x_j ≤ 0 per pair; (3) Σ x_j = p + |fixed|.
    r1 = sp.csr_array(
        (np.ones(nnz + n_d), (np.concatenate([pair_row, np.arange(n_d)]),
                              np.concatenate([n_c + np.arange(nnz), n_c + nnz + np.arange(n_d)]))),
        shape=(n_d, n_var),
    )  # fmt: skip
    r2 = sp.csr_array(
        (np.concatenate([np.ones(nnz), -np.ones(nnz)]),
         (np.concatenate([np.arange(nnz), np.arange(nnz)]), np.concatenate([n_c + np.arange(nnz), pair_col]))),
        shape=(nnz, n_var),
    )  # fmt: skip
    r3 = sp.csr_array((np.ones(n_c), (np.zeros(n_c, dtype=np.int64), np.arange(n_c))), shape=(1, n_var))
    m = sp.vstack([r1, r2, r3], format="csc")
    n_open = float(n_sites + fixed.size)
    h = _new_highs(time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap)
    _pass_model(
        h, m, cost=cost, maximise=False,
        row_lower=np.concatenate([np.ones(n_d), np.full(nnz, -np.inf), [n_open]]),
        row_upper=np.concatenate([np.ones(n_d), np.zeros(nnz), [n_open]]), n_integer=n_c,
    )  # fmt: skip
    if fixed.size:
        h.changeColsBounds(fixed.size, fixed.astype(np.int32), np.ones(fixed.size), np.ones(fixed.size))
    h.run()
    model_status = h.getModelStatus()
    status = (
        "optimal"
        if model_status == highspy.HighsModelStatus.kOptimal
        else h.modelStatusToString(model_status).lower()
    )
    info = h.getInfo()
    x = np.asarray(h.getSolution().col_value[:n_c])
    open_mask = x > 0.5
    # Assign each demand point to its nearest open site among stored pairs.
    dist = np.where(open_mask[pair_col], d.data, np.inf)
    assignment = np.full(n_d, -1, dtype=np.int64)
    best = np.full(n_d, np.inf)
    nonempty = np.diff(d.indptr) > 0
    if nnz:
        best[nonempty] = np.minimum.reduceat(dist, d.indptr[:-1][nonempty])
        hit = np.isfinite(best)
        is_best = dist == best[pair_row]
        first = np.full(n_d, nnz, dtype=np.int64)
        np.minimum.at(first, pair_row[is_best], np.flatnonzero(is_best))
        assignment[hit] = pair_col[first[hit]]
    assigned = assignment >= 0
    people = float(w[assigned].sum())
    mean = float((w[assigned] * best[assigned]).sum() / people) if people > 0 else float("nan")
    chosen = np.setdiff1d(np.flatnonzero(open_mask), fixed)
    return PMedianResult(
        chosen=chosen,
        assignment=assignment,
        distance_m=np.where(assigned, best, np.nan),
        mean_distance_m=mean,
        unassigned_people=float(w[~assigned].sum()),
        status=status,
        gap=float(info.mip_gap) if math.isfinite(info.mip_gap) else float("nan"),
        solve_time_s=time.perf_counter() - t0,
    )
