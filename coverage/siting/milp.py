"""Exact siting as mixed-integer programs solved by HiGHS (via highspy, built in matrix form).

Maximal covering (MCLP, Church & ReVelle 1974)::

    maximise   Σ_i w_i y_i
    subject to y_i ≤ Σ_j a_ij x_j      for every demand row i not covered by existing facilities
               Σ_j x_j ≤ p
               x_j ∈ {0, 1},  0 ≤ y_i ≤ 1

``y`` may be continuous: with ``x`` integral, the best ``y_i`` is 1 exactly when some chosen site covers
``i``. Fewest sites (set covering with a share target) minimises ``Σ_j x_j`` subject to the same rows and
``Σ_i w_i y_i ≥ target·W − existing``. p-median assigns each demand point to its nearest open site.

Before building, demand is aggregated exactly (:func:`~coverage_planner.siting.problem.aggregate_demand`),
candidates with identical coverage sets are merged (any one of them is as good as another) and candidates whose
coverage set lies strictly inside another's are dropped (``_reduce`` proves it exact), which often shrinks the
model several-fold without changing the optimum. The greedy solution is passed to HiGHS as a
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
from typing import Any, Literal

import highspy
import numpy as np
import scipy.sparse as sp

from ..model.messages import Message
from . import greedy, neighbourhood
from .outcome import SitingResult, length_words, model_head
from .problem import CoverageProblem, SitingInputError, aggregate_demand, as_cover_matrix, unique_rows

logger = logging.getLogger(__name__)

__all__ = ["PMedianResult", "max_coverage", "min_sites", "p_median"]

#: Local search (:func:`_local_search`): it runs only when the root LP bound is more than
#: ``_DISTRICT_ROOT_GAP`` above the incumbent, for at most ``_DISTRICT_SHARE`` of the time left: random kicks
#: with swaps for ``_KICK_SHARE`` of that, then exact districts (``_DISTRICT_SUB_S`` each). Measured on
#: benchmarks/siting.py's 20,000 × 2,000 at p = 50, 10 s budget (load ~0.9), people covered with shares
#: (kicks, local search) = (0, 0.5), the districts alone as before, against (0.7, 0.8): seed 2026 2,051,047 →
#: 2,052,558; seed 2027 2,071,318 → 2,081,435; seed 2028 2,049,119 → 2,055,694. Shares (1, 0.5), (1, 0.9) and
#: (0.8, 0.9) gave the same or within 100 people. On 2,000 × 500 at p = 50 (root gap 0.33 %) the search does
#: not run: HiGHS closes that gap alone in 1.3-2.6 s.
_DISTRICT_ROOT_GAP = 0.005
_DISTRICT_SHARE = 0.8
_DISTRICT_SUB_S = 1.0
_KICK_SHARE = 0.7
#: Share of the time left kept back from the root LP, for a subgradient bound should the LP not finish.
_ROOT_RESERVE = 0.1
_SUBGRADIENT_PATIENCE = 20
_SUBGRADIENT_MIN_STEP = 1e-4  # Polyak step factor at which the subgradient search counts as converged
#: MIPs with more nonzeros than this solve their first LP by interior point (HiGHS ``mip_lp_solver="ipm"``;
#: node LPs stay dual simplex, warm-started from a basis). On benchmarks/siting.py's 20,000 × 2,000 at p = 50
#: the MIP left after fixing (13,605 rows, 15,176 columns, 221,946 nonzeros) spent 49.5 s in its root LP by
#: dual simplex and 3.9 s by interior point (load ~4, 2 cores); on 2,000 × 500 (12,124 nonzeros) both take the
#: same time, so small models keep HiGHS's choice.
_IPM_ROOT_NNZ = 100_000

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
    """The coverable part of an aggregated problem: duplicate candidate columns merged, dominated ones dropped."""

    a: sp.csc_array  # rows: coverable demand groups; columns: distinct candidate coverage sets
    weight: np.ndarray
    columns: np.ndarray  # original candidate index of each reduced column
    column_of: np.ndarray  # each original candidate's reduced column, or its dominator's (-1: covers nobody)


def _dominators(a: sp.csc_array) -> np.ndarray:
    """For each column of ``a`` (distinct coverage sets), an undominated column covering all it covers.

    Column ``j`` is dominated when another column ``k`` covers a strict superset of its rows. The column
    returned for ``j`` is, among those covering all ``j`` covers, the one covering the most rows: it is
    undominated (a column dominating it would be a larger superset of ``j``'s rows); an undominated column
    is its own answer. One sparse product ``AᵀA`` counts the rows each pair of columns shares: ``k``
    covers all ``j`` covers exactly when they share ``|S_j|`` rows.
    """
    n_c = a.shape[1]
    ones = sp.csc_array((np.ones(a.nnz, dtype=np.int32), a.indices, a.indptr), shape=a.shape)
    size = np.diff(ones.indptr).astype(np.int64)
    shared = sp.coo_array(ones.T @ ones)
    superset = (shared.data == size[shared.row]) & (size[shared.col] > size[shared.row])
    j, k = shared.row[superset], shared.col[superset]
    best = np.arange(n_c, dtype=np.int64)
    if j.size:
        order = np.lexsort((k, size[k], j))  # per j, the largest superset last (ties: highest index)
        last = np.flatnonzero(np.r_[j[order][1:] != j[order][:-1], True])
        best[j[order][last]] = k[order][last]
    return best


def _reduce(problem: CoverageProblem) -> tuple[CoverageProblem, _Reduced]:
    """The coverable demand groups and the candidates worth considering, exactly.

    Demand is aggregated (:func:`aggregate_demand`); rows nobody can newly cover (already covered, out
    of reach, no people) are left out; candidates with identical coverage sets are merged; candidates
    whose coverage set is a strict subset of another's are dropped (:func:`_dominators`).

    Why dropping dominated candidates keeps the optimum of every model built on ``_Reduced`` (at most p
    sites for the most people; fewest sites reaching a target): replace every chosen dominated candidate
    ``j`` by its undominated dominator ``d(j)``. The new selection has no more sites than the old one (two
    sites may even become one), and it covers every row the old one covered, since ``S_j ⊆ S_d(j)``. So
    some optimal selection uses undominated candidates only, whatever ``p`` is. ``column_of`` maps a
    dropped candidate to its dominator's column, so a start given in original candidates loses nothing.
    """
    agg, _ = aggregate_demand(problem)
    keep = ~agg.existing_covered & (np.diff(agg.cover.indptr) > 0) & (agg.demand_weight > 0)
    a_rows = agg.cover[np.flatnonzero(keep)]
    weight = agg.demand_weight[keep]
    at = as_cover_matrix(a_rows.T)  # candidate × demand group
    useful = np.flatnonzero(np.diff(at.indptr) > 0)
    reps, inverse = unique_rows(at[useful])
    distinct = sp.csc_array(a_rows[:, useful[reps]])
    dominator = _dominators(distinct)
    undominated = np.flatnonzero(dominator == np.arange(reps.size))
    position = np.full(reps.size, -1, dtype=np.int64)
    position[undominated] = np.arange(undominated.size)
    columns = useful[reps[undominated]]
    column_of = np.full(problem.n_candidate, -1, dtype=np.int64)
    column_of[useful] = position[dominator[inverse]]
    # Rows told apart only by a dropped candidate are now identical: merge them too (weights summed).
    rows, row_group = unique_rows(as_cover_matrix(distinct[:, undominated]))
    a = sp.csc_array(as_cover_matrix(distinct[:, undominated])[rows])
    weight = np.bincount(row_group, weights=weight, minlength=rows.size)
    logger.debug(
        "MILP model: %d demand points -> %d rows; %d candidates -> %d distinct, %d undominated columns",
        problem.n_demand,
        a.shape[0],
        problem.n_candidate,
        reps.size,
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
    col_upper: np.ndarray | None = None,
) -> None:
    n_row, n_col = m.shape
    integrality = np.zeros(n_col, dtype=np.int32)
    integrality[:n_integer] = 1
    upper = np.ones(n_col) if col_upper is None else np.ascontiguousarray(col_upper, dtype=np.float64)
    status = h.passModel(
        n_col, n_row, int(m.nnz), 1, -1 if maximise else 1, 0.0,
        np.ascontiguousarray(cost, dtype=np.float64), np.zeros(n_col), upper,
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
        highspy.HighsModelStatus.kObjectiveTarget: "target_reached",
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


@dataclass(frozen=True)
class _Outcome:
    chosen: np.ndarray  # candidate indices of the problem solved
    value: float  # people newly covered by `chosen`
    bound: float  # proven upper bound on the people any n_sites sites could newly cover
    status: str  # "optimal" | "time_limit" | ...


def _root_lp(red: _Reduced, n_sites: int, *, time_limit_s: float) -> tuple[np.ndarray, np.ndarray] | None:
    """LP relaxation in "uncovered" form, by interior point without crossover: duals λ and site values x.

    ``min Σ w_i z_i  s.t.  z_i + Σ_j a_ij x_j ≥ 1,  Σ x_j ≤ p,  0 ≤ x ≤ 1,  z ≥ 0``. Interior point is
    robust on these degenerate covering LPs (simplex can take 20–50× longer); the duals need not be exact,
    since any λ in [0, w] gives a valid Lagrangian bound (:func:`_lagrangian`).
    """
    n_r, n_c = red.a.shape
    h = _new_highs(time_limit_s=time_limit_s, mip_rel_gap=0.0)
    h.setOptionValue("solver", "ipm")
    h.setOptionValue("run_crossover", "off")
    body = sp.hstack([red.a.astype(np.float64), sp.eye_array(n_r, format="csc")], format="csc")
    budget = sp.csc_array(np.concatenate([np.ones(n_c), np.zeros(n_r)]).reshape(1, -1))
    _pass_model(
        h, sp.vstack([body, budget], format="csc"), cost=np.concatenate([np.zeros(n_c), red.weight]), maximise=False,
        row_lower=np.concatenate([np.ones(n_r), [-np.inf]]), row_upper=np.concatenate([np.full(n_r, np.inf), [n_sites]]),
        n_integer=0, col_upper=np.concatenate([np.ones(n_c), np.full(n_r, np.inf)]),
    )  # fmt: skip
    h.run()
    solution = h.getSolution()
    if not solution.dual_valid or not solution.value_valid:
        logger.debug("root LP gave no duals (%s)", h.modelStatusToString(h.getModelStatus()))
        return None
    lam = np.clip(np.abs(np.asarray(solution.row_dual[:n_r])), 0.0, red.weight)
    return lam, np.asarray(solution.col_value[:n_c])


def _lagrangian(red: _Reduced, lam: np.ndarray, n_sites: int) -> tuple[float, np.ndarray, np.ndarray]:
    """Bound ``L(λ) = Σ_i (w_i − λ_i) + (sum of the p largest c_j)``, ``c = Aᵀλ``; valid for any 0 ≤ λ ≤ w.

    Relaxing ``y_i ≤ Σ_j a_ij x_j`` with multipliers λ leaves a problem solved by inspection: take
    ``y_i = 1`` (worth ``w_i − λ_i``) and the p sites with the largest ``c_j``.
    """
    c = red.a.T @ lam
    order = np.argsort(-c, kind="stable")
    return float((red.weight - lam).sum() + c[order[:n_sites]].sum()), c, order


def _subgradient(red: _Reduced, n_sites: int, *, floor: float, deadline: float) -> np.ndarray:
    """Multipliers λ in [0, w] lowering the Lagrangian bound (:func:`_lagrangian`) by projected subgradient
    steps until ``deadline`` (Polyak steps towards ``floor``, a solution's value; the step halves after
    ``_SUBGRADIENT_PATIENCE`` steps without a better bound, and the search ends once it falls below
    ``_SUBGRADIENT_MIN_STEP``). Any λ gives a valid bound: this one is the best seen. A fallback for when the
    root LP did not finish: far weaker than the LP's duals in a short time."""
    a = sp.csr_array(red.a)
    at = sp.csr_array(a.T)
    w = red.weight
    # Start at λ = w (every site worth all it reaches): on benchmarks/siting.py's 20,000 × 2,000 at p = 50 the
    # bound after 30 and 150 steps was lower than from w/2, w/4 or w/(sites covering the row).
    lam = w.copy()
    best, best_lam = math.inf, lam
    theta, stale = 1.0, 0
    while True:
        bound, c, order = _lagrangian(red, lam, n_sites)
        if bound < best:
            best, best_lam, stale = bound, lam, 0
        else:
            stale += 1
            if stale >= _SUBGRADIENT_PATIENCE:
                theta, stale = theta / 2, 0
        if time.perf_counter() >= deadline or theta < _SUBGRADIENT_MIN_STEP:
            break
        top = np.zeros(at.shape[0])
        top[order[:n_sites]] = 1.0
        g = a @ top - 1.0  # ∂L/∂λ_i: sites of the top p covering i, minus one
        g[((lam <= 0) & (g > 0)) | ((lam >= w) & (g < 0))] = 0.0  # the projection would undo these
        norm2 = float(g @ g)
        if norm2 == 0.0 or bound - floor <= 0.0:
            break
        lam = np.clip(lam - theta * (bound - floor) / norm2 * g, 0.0, w)
    logger.debug("subgradient bound %.1f (solution %.1f)", best, floor)
    return best_lam


def _fixings(
    red: _Reduced, lam: np.ndarray, n_sites: int, *, threshold: float
) -> tuple[float, np.ndarray, np.ndarray]:
    """Sites that are out (resp. in) every solution worth at least ``threshold``, by Lagrangian bounds.

    With ``x_j`` forced to 1, the bound is ``L − c_(p) + c_j`` for a site outside the top p; with ``x_j``
    forced to 0 it is ``L − c_j + c_(p+1)`` for a site inside. A forced bound below the threshold fixes
    the site the other way.
    """
    bound, c, order = _lagrangian(red, lam, n_sites)
    n_c = c.size
    in_top = np.zeros(n_c, dtype=bool)
    in_top[order[:n_sites]] = True
    c_p = c[order[n_sites - 1]]
    c_p1 = c[order[n_sites]] if n_sites < n_c else 0.0
    with_site = np.where(in_top, bound, bound - c_p + c)
    without_site = np.where(in_top, bound - c + c_p1, bound)
    return bound, with_site < threshold, without_site < threshold


def _mip(
    red: _Reduced,
    n_sites: int,
    *,
    start: np.ndarray | None,
    time_limit_s: float,
    mip_rel_gap: float,
    target: float | None = None,
) -> _Outcome:
    """The compact MCLP model handed to HiGHS as is (columns and rows of ``red``)."""
    n_r, n_c = red.a.shape
    h = _new_highs(time_limit_s=max(time_limit_s, 0.01), mip_rel_gap=mip_rel_gap)
    # The model is already reduced; HiGHS's presolve only slowed the proof (2,000 × 500 at p = 50, gap 0:
    # 2.7-3.4 s of CPU without it against 6.7-7.8 s with it; benchmarks/siting.py).
    h.setOptionValue("presolve", "off")
    if red.a.nnz + n_r + n_c > _IPM_ROOT_NNZ:
        h.setOptionValue("mip_lp_solver", "ipm")
    if target is not None:
        h.setOptionValue("objective_target", float(target))  # stop as soon as a solution reaches it
    if logger.isEnabledFor(5):  # developer aid: HiGHS's own log at logging level 5
        h.setOptionValue("output_flag", True)
    budget_row = np.concatenate([np.ones(n_c), np.zeros(n_r)])
    _pass_model(
        h, _coverage_matrix(red, budget_row), cost=np.concatenate([np.zeros(n_c), red.weight]), maximise=True,
        row_lower=np.full(n_r + 1, -np.inf), row_upper=np.concatenate([np.zeros(n_r), [float(n_sites)]]),
        n_integer=n_c,
    )  # fmt: skip
    if start is not None:
        _set_start(h, red, red.columns[start])
    solved = _solve(h, red)
    chosen_cols = red.column_of[solved.chosen_original]
    value = float(red.weight[np.asarray(red.a[:, chosen_cols].sum(axis=1)).ravel() > 0].sum())
    bound = solved.bound if math.isfinite(solved.bound) else math.inf
    return _Outcome(chosen=solved.chosen_original, value=value, bound=max(bound, value), status=solved.status)


def _positions(subset: np.ndarray, items: np.ndarray, n: int) -> np.ndarray:
    """Positions in ``subset`` of those ``items`` that belong to it."""
    position = np.full(n, -1, dtype=np.int64)
    position[subset] = np.arange(subset.size)
    found = position[items]
    return found[found >= 0]


@dataclass(frozen=True)
class _Search:
    """One exact MCLP search: the reduced problem, its budget of sites and time, and what counts as better."""

    red: _Reduced
    space: CoverageProblem  # rows: demand groups of ``red``; columns: its reduced sites
    n_sites: int
    deadline: float  # time.perf_counter() value
    mip_rel_gap: float
    target: float | None  # only whether some solution reaches this matters (None: maximise)

    @property
    def eps(self) -> float:
        return 1e-9 * max(1.0, float(self.red.weight.sum()))

    def better_than(self, value: float) -> float:
        """What a solution worth finding is worth at least: strictly better (integral weights: one more
        person), and at least the target."""
        integral = bool(np.all(self.red.weight == np.round(self.red.weight)))
        floor = value + 1.0 - 1e3 * self.eps if integral else value + self.eps
        return floor if self.target is None else max(floor, self.target - self.eps)

    def reached(self, value: float) -> bool:
        return self.target is not None and value >= self.target - self.eps

    def outcome(self, sites: np.ndarray, *, bound: float, status: str) -> _Outcome:
        """The result for ``sites`` (reduced columns), in the candidate numbering of the problem solved."""
        return _Outcome(
            chosen=self.red.columns[sites], value=self.space.covered_weight(sites), bound=bound, status=status
        )


def _first_incumbent(search: _Search, start: np.ndarray | None) -> np.ndarray:
    """Reduced columns of a first solution: ``start`` (original candidates) or greedy, then swaps."""
    if start is not None:
        cols = search.red.column_of[np.asarray(start, dtype=np.int64)]
        inc = np.unique(cols[cols >= 0])[: search.n_sites]
    else:
        inc = greedy._run(search.space, max_sites=search.n_sites).chosen
    return greedy.improve_by_swaps(search.space, inc)


def _mclp(
    problem: CoverageProblem,
    n_sites: int,
    *,
    deadline: float,
    mip_rel_gap: float,
    start: np.ndarray | None,
    use_root: bool,
    target: float | None = None,
    heuristics: bool = True,
) -> _Outcome:
    """Exact MCLP: reduce; incumbent; root LP, LP-support sub-MIP and Lagrangian fixing; MIP on the rest.

    With ``target``, only whether some solution reaches it matters: the search stops as soon as one does
    (``value ≥ target``) or the bound proves none can (``bound < target``).
    """
    _, red = _reduce(problem)
    n_r, n_c = red.a.shape
    if n_sites <= 0 or n_r == 0:
        return _Outcome(chosen=np.empty(0, dtype=np.int64), value=0.0, bound=0.0, status="optimal")
    total = float(red.weight.sum())
    if n_c <= n_sites:  # every useful candidate fits in the budget
        return _Outcome(chosen=red.columns, value=total, bound=total, status="optimal")
    search = _Search(
        red=red, space=CoverageProblem(sp.csr_array(red.a), red.weight), n_sites=n_sites, deadline=deadline,
        mip_rel_gap=mip_rel_gap, target=target,
    )  # fmt: skip
    inc = _first_incumbent(search, start)
    if target is not None and target > total + search.eps:  # even every site falls short
        return search.outcome(inc, bound=total, status="optimal")
    if search.reached(search.space.covered_weight(inc)):
        return search.outcome(inc, bound=math.inf, status="target_reached")
    if not use_root:
        return _mip_from(search, inc, lagrange_bound=math.inf)
    left = max(0.01, deadline - time.perf_counter())
    root = _root_lp(red, n_sites, time_limit_s=(1.0 - _ROOT_RESERVE) * left)
    if root is not None:
        return _from_root(search, root, inc, heuristics=heuristics)
    # The LP ran out of time (a loaded machine, or a huge model): a subgradient bound from what is left.
    lam = _subgradient(
        red, n_sites, floor=search.space.covered_weight(inc),
        deadline=min(deadline, time.perf_counter() + _ROOT_RESERVE * left),
    )  # fmt: skip
    return _fix_and_solve(search, lam, inc)


def _mip_from(search: _Search, inc: np.ndarray, *, lagrange_bound: float) -> _Outcome:
    """HiGHS on the whole reduced model, started from ``inc``; keeps ``inc`` if HiGHS stops with worse."""
    result = _mip(
        search.red, search.n_sites, start=inc, time_limit_s=search.deadline - time.perf_counter(),
        mip_rel_gap=search.mip_rel_gap, target=search.target,
    )  # fmt: skip
    if result.value < search.space.covered_weight(inc):  # time limit with a worse incumbent than ours
        result = search.outcome(inc, bound=result.bound, status=result.status)
    return dataclasses.replace(result, bound=max(min(result.bound, lagrange_bound), result.value))


def _from_root(
    search: _Search, root: tuple[np.ndarray, np.ndarray], inc: np.ndarray, *, heuristics: bool
) -> _Outcome:
    """After the root LP: its rounding, the local search (kicks, districts), the LP-support sub-MIP, then
    Lagrangian fixing and the rest (the last three only while the incumbent is not yet within the gap of the LP
    bound)."""
    red, space, n_sites = search.red, search.space, search.n_sites
    lam, x_lp = root
    # Heuristic 1: round the LP (its largest x), then swaps.
    rounded = greedy.improve_by_swaps(space, np.lexsort((-(red.a.T @ lam), -x_lp))[:n_sites])
    if space.covered_weight(rounded) > space.covered_weight(inc):
        inc = rounded
    lagrange_bound = _lagrangian(red, lam, n_sites)[0]
    if search.reached(space.covered_weight(inc)):
        return search.outcome(inc, bound=lagrange_bound, status="target_reached")
    if heuristics:
        inc = _local_search(search, inc, lagrange_bound=lagrange_bound)
        if search.reached(space.covered_weight(inc)):
            return search.outcome(inc, bound=lagrange_bound, status="target_reached")
        inc = _support_submip(search, x_lp, inc, lagrange_bound=lagrange_bound)
        if search.reached(space.covered_weight(inc)):
            return search.outcome(inc, bound=lagrange_bound, status="target_reached")
    return _fix_and_solve(search, lam, inc)


def _local_search(search: _Search, inc: np.ndarray, *, lagrange_bound: float) -> np.ndarray:
    """Heuristic 2, while the root gap is wide (``_DISTRICT_ROOT_GAP``), for at most ``_DISTRICT_SHARE`` of the
    time left: random kicks with swaps (:func:`.neighbourhood.improve_by_kicks`) for ``_KICK_SHARE`` of it,
    then districts of the incumbent re-solved exactly (:mod:`.neighbourhood`) until no district helps."""
    inc_value = search.space.covered_weight(inc)
    if lagrange_bound - inc_value <= max(search.mip_rel_gap, _DISTRICT_ROOT_GAP) * inc_value:
        return inc
    if lagrange_bound < search.better_than(inc_value):  # e.g. a min-sites probe whose target is out of reach
        return inc
    start = time.perf_counter()
    share_s = _DISTRICT_SHARE * max(0.0, search.deadline - start)
    enough = math.inf if search.target is None else search.target - search.eps
    inc = neighbourhood.improve_by_kicks(search.space, inc, deadline=start + _KICK_SHARE * share_s, enough=enough)

    def solve(sub: CoverageProblem, n_sites: int, sub_start: np.ndarray, deadline: float) -> np.ndarray:
        out = _mclp(
            sub, n_sites, deadline=deadline, mip_rel_gap=0.0, start=sub_start, use_root=True, heuristics=False
        )
        return out.chosen

    return neighbourhood.improve_by_districts(
        search.space, inc, solve=solve, deadline=start + share_s, sub_time_s=_DISTRICT_SUB_S, enough=enough
    )


def _support_submip(
    search: _Search, x_lp: np.ndarray, inc: np.ndarray, *, lagrange_bound: float
) -> np.ndarray:
    """Heuristic 3: the MCLP restricted to the LP's support (usually holds the optimum), a quarter of the
    time left; returns the better of its answer and ``inc``."""
    n_c = search.red.a.shape[1]
    inc_value = search.space.covered_weight(inc)
    support = np.union1d(np.flatnonzero(x_lp > 1e-6), inc)
    worth_it = (lagrange_bound - inc_value) > search.mip_rel_gap * inc_value
    if not (worth_it and search.n_sites < support.size < n_c):
        return inc
    budget_s = 0.25 * max(0.0, search.deadline - time.perf_counter())
    sub = CoverageProblem(sp.csr_array(search.red.a[:, support]), search.red.weight)
    out = _mclp(
        sub, search.n_sites, deadline=time.perf_counter() + budget_s, mip_rel_gap=search.mip_rel_gap,
        start=_positions(support, inc, n_c), use_root=True, target=search.target, heuristics=False,
    )  # fmt: skip
    return support[out.chosen] if out.value > inc_value else inc


def _fix_and_solve(search: _Search, lam: np.ndarray, inc: np.ndarray) -> _Outcome:
    """Fix sites by the Lagrangian bounds against ``inc``; prove ``inc`` optimal or solve what is left."""
    red, n_sites = search.red, search.n_sites
    n_c = red.a.shape[1]
    inc_value = search.space.covered_weight(inc)
    worth = search.better_than(inc_value)
    lagrange_bound, out_, in_ = _fixings(red, lam, n_sites, threshold=worth)
    if lagrange_bound < worth or in_.sum() > n_sites:  # nothing better exists
        logger.debug("root: LP bound %.1f proves nothing beats %.1f", lagrange_bound, worth)
        return search.outcome(inc, bound=inc_value, status="optimal")
    if search.target is None and lagrange_bound - inc_value <= search.mip_rel_gap * inc_value:
        logger.debug("root: incumbent %.1f within the gap of the LP bound %.1f", inc_value, lagrange_bound)
        return search.outcome(inc, bound=lagrange_bound, status="optimal")
    logger.debug(
        "root: LP bound %.1f, incumbent %.1f; %d sites fixed out, %d fixed in, %d free",
        lagrange_bound, inc_value, out_.sum(), in_.sum(), n_c - out_.sum() - in_.sum(),
    )  # fmt: skip
    # What is left: free sites, with the fixed-in sites' demand counted and its rows dropped.
    ones = np.flatnonzero(in_)
    free = np.flatnonzero(~out_ & ~in_)
    rows_done = np.asarray(red.a[:, ones].sum(axis=1)).ravel() > 0
    const = float(red.weight[rows_done].sum())
    sub = CoverageProblem(sp.csr_array(red.a[~rows_done][:, free]), red.weight[~rows_done])
    fits = np.isin(inc, np.concatenate([free, ones])).all()
    out = _mclp(
        sub, n_sites - ones.size, deadline=search.deadline, mip_rel_gap=search.mip_rel_gap,
        start=_positions(free, inc, n_c) if fits else None, use_root=False,
        target=None if search.target is None else search.target - const,
    )  # fmt: skip
    # Every solution better than the incumbent lies in what was left.
    bound = min(lagrange_bound, max(inc_value, const + out.bound))
    if const + out.value > inc_value:
        inc, inc_value = np.concatenate([ones, free[out.chosen]]), const + out.value
    return search.outcome(inc, bound=max(bound, inc_value), status=out.status)


def max_coverage(
    problem: CoverageProblem,
    *,
    n_sites: int,
    time_limit_s: float = 60.0,
    mip_rel_gap: float = 1e-6,
    warm_start: bool = True,
    root_lp: bool = True,
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
        Start from the greedy solution (improved by swaps) rather than the greedy run inside.
    root_lp
        Solve the LP relaxation first (interior point) and fix every site that the Lagrangian bound
        proves out of (or in) any better solution; HiGHS then solves only what is left. Much faster
        on large instances, where HiGHS's own root LP (dual simplex) stalls.

    Returns
    -------
    SitingResult
        Sites ranked by the people each newly serves given the higher-ranked ones; ``status`` is
        ``"optimal"`` or ``"time_limit"``; ``upper_bound_new_people`` is the proven bound.

    Notes
    -----
    Steps: exact aggregation of demand and of identical candidates, and dropping of candidates whose coverage
    set lies strictly inside another's (each is replaced by a superset, so some optimum avoids them); an
    incumbent from greedy plus best-improvement swaps and from rounding the LP solution; the Lagrangian bound
    ``L(λ) = Σ_i (w_i − λ_i) + Σ_{p largest} (Aᵀλ)_j`` from the LP duals λ; while that bound is more than
    0.5 % above the incumbent, a local search (:mod:`.neighbourhood`: random kicks of a few sites followed by
    swaps, then districts of the solution re-solved exactly; up to 80 % of the time left); while it is above
    the requested gap, the MCLP on the LP's support (a quarter of what is then left); if the root LP does not finish in 90 % of the time, a subgradient
    Lagrangian bound instead of the LP's; sites whose bound with (without) them falls below the incumbent are fixed
    out (in); the rest goes to HiGHS, started from the incumbent. The optimum is the better of the
    incumbent and HiGHS's answer on what is left.

    HiGHS options: the root LP runs ``solver="ipm"`` with ``run_crossover="off"``; every MIP runs with
    ``presolve="off"`` (the model is reduced already, and HiGHS's presolve slowed the proofs measured) and
    otherwise HiGHS's defaults (``threads=0``: HiGHS picks, ``mip_heuristic_effort=0.05``; neither 0 nor
    0.3, nor one thread, was faster; ``simplex_strategy=4``, primal simplex, made the root LP slower still),
    except ``mip_lp_solver="ipm"`` for models above 100,000 nonzeros (``_IPM_ROOT_NNZ``: HiGHS's first LP by
    interior point, its node LPs by dual simplex from a basis), with ``time_limit`` (what is left of
    ``time_limit_s``), ``mip_rel_gap`` (as given) and, when a start is known, that start as the incumbent
    (HiGHS's cut-off: nodes whose bound cannot beat it are pruned). ``status`` is ``"optimal"`` only when the
    bound equals the solution; stopped by ``mip_rel_gap`` it is ``"within_gap"``, by the clock ``"time_limit"``, and ``gap`` is then
    the real distance to the proven bound. The bound is the LP (Lagrangian) bound or HiGHS's, whichever is
    lower: on instances where the LP relaxation is weak (``benchmarks/siting.py``, 20,000 × 2,000 at
    p = 50: 0.51 % above the best solution found by any method tried, 2,053,268) neither HiGHS's cuts nor
    its branching (nor SCIP's) close that gap quickly, and the answer says so (``"time_limit"`` with the gap;
    docs/siting-models.md gives the gap at 10 s and 60 s and what else was tried).
    """
    greedy_result = greedy.max_coverage(problem, n_sites=n_sites)  # also validates n_sites
    _check_limits(time_limit_s, mip_rel_gap)
    t0 = time.perf_counter()
    outcome = _mclp(
        problem, int(n_sites), deadline=t0 + time_limit_s, mip_rel_gap=mip_rel_gap,
        start=greedy_result.chosen if warm_start else None, use_root=root_lp,
    )  # fmt: skip
    status, chosen, bound = outcome.status, outcome.chosen, outcome.bound
    if status == "optimal" and bound - outcome.value > 1e-9 * max(1.0, outcome.value):
        status = "within_gap"  # stopped at mip_rel_gap, not at a proven optimum
    order, marginal = greedy.rank_selection(problem, chosen)
    keep = marginal > 0
    order, marginal = order[keep], marginal[keep]
    new = float(marginal.sum())
    if greedy_result.new_people > new * (1 + 1e-12):  # HiGHS stopped early with a worse incumbent
        order, marginal, new = greedy_result.chosen, greedy_result.marginal_people, greedy_result.new_people
    greedy_bound = greedy_result.upper_bound_new_people
    if bound is None or not math.isfinite(bound):
        bound = new if status == "optimal" or greedy_bound is None else greedy_bound
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
    method: Literal["search", "direct"] = "search",
) -> SitingResult:
    """The fewest new sites that bring the covered share to ``target_share``, exactly.

    Parameters
    ----------
    problem
        Coverage sets, people, existing coverage (kept; counted as covered).
    target_share
        Share of all people to cover, in [0, 1] (existing coverage counts).
    time_limit_s
        Stop after this many seconds with the best solution and the proven lower bound on the count.
    method
        {"search", "direct"}. ``"search"`` (default): bisect the number of sites ``k`` between the
        greedy count (feasible) and the greedy lower bound, asking for each ``k`` whether some ``k`` sites
        reach the target, with the maximal-covering engine (heuristics, LP bound, Lagrangian fixing,
        HiGHS stopping at the target). ``"direct"``: one set-covering MILP, ``min Σ x_j`` subject to
        ``y_i ≤ Σ_j a_ij x_j`` and ``Σ w_i y_i ≥ target · W − existing``, handed to HiGHS as is (fine for
        small problems; its root LP stalls on large ones).

    Returns
    -------
    SitingResult
        ``status`` is ``"optimal"``, ``"time_limit"``, ``"already_met"`` or ``"unreachable"`` (then no
        sites are proposed and the sentence gives the best reachable share); ``lower_bound_sites`` is the
        proven lower bound.
    """
    greedy_result = greedy.until_met(problem, target_share=target_share)
    _check_limits(time_limit_s, 0.0)
    if method not in ("search", "direct"):
        msg = f"`method` was {method!r}; expected one of ('search', 'direct')."
        raise SitingInputError(msg)
    if greedy_result.status in ("already_met", "unreachable"):
        return dataclasses.replace(greedy_result, solver="HiGHS MILP")
    t0 = time.perf_counter()
    deadline = t0 + time_limit_s
    need_new = greedy_result.covered_people_needed - problem.existing_weight
    best = greedy_result.chosen
    lower = max(1, greedy_result.lower_bound_sites or 1)
    if method == "direct":
        best, lower = _min_sites_direct(problem, need_new, start=best, lower=lower, time_limit_s=time_limit_s)
    else:
        upper = best.size
        tol = 1e-9 * max(1.0, problem.total_weight)
        # Cheap descent first: the greedy prefix of k - 1 sites improved by swaps, while it still reaches.
        while upper > lower and time.perf_counter() < deadline:
            trial = greedy.improve_by_swaps(problem, greedy_result.chosen[: upper - 1])
            if problem.covered_weight(trial) - problem.existing_weight < need_new - tol:
                break
            upper, best = trial.size, trial
        logger.debug("min sites: %d ≤ k* ≤ %d after the swap descent", lower, upper)
        # Bisection on k; a probe that runs out of its time share is set aside and the others go on.
        undecided: set[int] = set()
        retried = False
        while lower < upper and time.perf_counter() < deadline:
            open_ks = [k for k in range(lower, upper) if k not in undecided]
            if not open_ks:  # every k left ran out of time once: retry them with all the time left
                if retried:
                    break
                retried, undecided = True, set()
                continue
            k = open_ks[len(open_ks) // 2]
            remaining = deadline - time.perf_counter()
            share = remaining if retried else max(remaining / 3, min(remaining, 10.0))
            out = _mclp(
                problem, k, deadline=time.perf_counter() + share,
                mip_rel_gap=0.0, start=greedy_result.chosen[:k], use_root=True, target=need_new,
            )  # fmt: skip
            if out.value >= need_new - tol:
                upper, best = out.chosen.size, out.chosen
            elif out.bound < need_new - tol:
                lower = k + 1
            else:
                undecided.add(k)
            logger.debug("min sites: %d ≤ k* ≤ %d after testing k = %d", lower, upper, k)
    order, marginal = greedy.rank_selection(problem, best)
    keep = marginal > 0
    order, marginal = order[keep], marginal[keep]
    lower = min(lower, order.size)
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
        status="optimal" if lower >= order.size else "time_limit",
        solve_time_s=time.perf_counter() - t0,
        lower_bound_sites=lower,
        target_share=greedy_result.target_share,
    )


def _min_sites_direct(
    problem: CoverageProblem, need_new: float, *, start: np.ndarray, lower: int, time_limit_s: float
) -> tuple[np.ndarray, int]:
    """Set-covering MILP with a coverage row, solved by HiGHS; returns (sites, proven lower bound)."""
    _, red = _reduce(problem)
    n_r, n_c = red.a.shape
    # Rounding slack: ask for a hair less than the target so float sums cannot make it infeasible.
    need_row = need_new - 1e-9 * max(1.0, problem.total_weight)
    h = _new_highs(time_limit_s=time_limit_s, mip_rel_gap=0.0)
    cover_row = np.concatenate([np.zeros(n_c), red.weight])
    _pass_model(
        h, _coverage_matrix(red, cover_row), cost=np.concatenate([np.ones(n_c), np.zeros(n_r)]), maximise=False,
        row_lower=np.concatenate([np.full(n_r, -np.inf), [need_row]]),
        row_upper=np.concatenate([np.zeros(n_r), [np.inf]]), n_integer=n_c,
    )  # fmt: skip
    _set_start(h, red, start)
    solved = _solve(h, red)
    chosen = solved.chosen_original
    if chosen.size == 0 or chosen.size > start.size:
        chosen = start
    if math.isfinite(solved.bound):
        lower = max(lower, math.ceil(solved.bound - 1e-6))
    return chosen, lower


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
        tail = (Message("say.model_pmedian_unassigned", people=f"{self.unassigned_people:,.0f}")
                if self.unassigned_people > 0 else "")
        return Message("say.model_pmedian", head=model_head("p-median", self.status, self.gap, self.solve_time_s),
                       n=int(self.chosen.size), mean=length_words(self.mean_distance_m, " m", ",.0f"), tail=tail)


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
