"""Greedy maximal covering with exact incremental gains, and "fewest sites to reach a share".

Greedy picks, one at a time, the candidate that newly covers the most people. People covered is a
monotone submodular function of the chosen set, so greedy with ``p`` sites covers at least
``(1 - 1/e) ≈ 63.2 %`` of the best possible ``p`` sites (Nemhauser, Wolsey & Fisher 1978), i.e.
``OPT ≤ greedy / (1 - 1/e)``. Submodularity also gives a data-dependent bound that is often
tighter for large p (Minoux 1978; Leskovec et al. 2007, the "online bound"): at every greedy step ``t``,
``OPT ≤ f(S_t) + (sum of the p largest current marginal gains)``. Both bounds are reported; the smaller
one is used.

Implementation: the marginal gain of every candidate is kept exact at all times. When a site is chosen,
only the demand points it newly covers are visited, and their weight is subtracted from the gain of
every candidate covering them (one ``numpy.bincount`` over those rows of the sparse matrix). Each demand
point is visited once in the whole run, so the total work is one pass over the matrix plus ``O(n_candidate)``
per chosen site. This is the limit CELF's lazy evaluation approaches (CELF re-evaluates stale gains
on demand; here no gain is ever stale), without a Python-level priority queue.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import numpy as np

from .outcome import SitingResult
from .problem import CoverageProblem, SitingInputError

logger = logging.getLogger(__name__)

__all__ = ["GREEDY_GUARANTEE", "improve_by_swaps", "max_coverage", "rank_selection", "until_met"]

GREEDY_GUARANTEE = 1.0 - 1.0 / math.e
"""Greedy covers at least this share of the best possible new coverage for the same number of sites."""


@dataclass(frozen=True)
class _Trace:
    chosen: np.ndarray
    marginal: np.ndarray
    new_weight: float
    online_bound: float  # min over steps of f(S_t) + top-p gains (p = bound_budget); inf if not asked
    lower_bound_sites: int  # max over steps of the sites still provably needed (0 if not asked)


def _gather_rows(indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Concatenated column indices of CSR ``rows``, and the row length of each."""
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, dtype=indices.dtype), lengths
    offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return indices[offsets + np.arange(total)], lengths


def _run(
    problem: CoverageProblem,
    *,
    max_sites: int,
    need_new: float | None = None,
    bound_budget: int | None = None,
    sites_bound: bool = False,
    allowed: np.ndarray | None = None,
) -> _Trace:
    """The greedy engine: see the module docstring."""
    cover = problem.cover
    n_cand = problem.n_candidate
    w = np.where(problem.existing_covered, 0.0, problem.demand_weight)
    tol = 1e-9 * max(1.0, float(w.sum()))
    colT = cover.T.tocsr()  # candidate -> demand rows
    c_indptr, c_indices = colT.indptr.astype(np.int64), colT.indices
    r_indptr, r_indices = cover.indptr.astype(np.int64), cover.indices
    gains = np.bincount(r_indices, weights=np.repeat(w, np.diff(r_indptr)), minlength=n_cand).astype(float)
    if allowed is not None:
        gains[~allowed] = -np.inf

    chosen: list[int] = []
    marginal: list[float] = []
    f = 0.0
    online = math.inf
    lb_sites = 0
    while True:
        if bound_budget is not None:
            k = min(bound_budget, n_cand)
            top = np.partition(gains, n_cand - k)[n_cand - k :] if k else np.empty(0)
            online = min(online, f + float(np.maximum(top, 0.0).sum()))
        t = len(chosen)
        # The bound holds at every step; on big instances evaluate it only at steps 0, 1, 2, 4, 8, ...
        if sites_bound and need_new is not None and (n_cand <= 20_000 or t & (t - 1) == 0):
            remaining = need_new - f
            if remaining > tol:
                pos = np.sort(gains[gains > tol])[::-1]
                csum = np.cumsum(pos)
                # Any set reaching the target needs at least k_needed sites (submodularity).
                k_needed = min(int(np.searchsorted(csum, remaining - tol)) + 1, n_cand)
                lb_sites = max(lb_sites, k_needed)
        if len(chosen) >= max_sites or (need_new is not None and f >= need_new - tol):
            break
        if n_cand == 0:
            break
        j = int(np.argmax(gains))
        if not gains[j] > tol:
            break
        rows = c_indices[c_indptr[j] : c_indptr[j + 1]]
        newly = rows[w[rows] > 0]
        g = float(w[newly].sum())
        if g <= tol:  # drifted gain (float round-off): refresh it and try again
            gains[j] = g
            continue
        cols, lengths = _gather_rows(r_indptr, r_indices, newly)
        gains -= np.bincount(cols, weights=np.repeat(w[newly], lengths), minlength=n_cand)
        w[newly] = 0.0
        gains[j] = -np.inf  # chosen; never again
        chosen.append(j)
        marginal.append(g)
        f += g
    return _Trace(
        chosen=np.asarray(chosen, dtype=np.int64),
        marginal=np.asarray(marginal, dtype=np.float64),
        new_weight=f,
        online_bound=online,
        lower_bound_sites=lb_sites,
    )


def rank_selection(problem: CoverageProblem, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Order a given set of sites greedily and return the people each newly serves in that order.

    Parameters
    ----------
    problem
        The coverage problem.
    chosen
        Candidate indices (any order), e.g. a MILP solution.

    Returns
    -------
    order : numpy.ndarray
        ``chosen`` reordered: each site adds the most people given the ones before it. Sites adding nobody
        come last, in index order.
    marginal_people : numpy.ndarray
        People newly served by each site in that order.
    """
    chosen = np.unique(np.asarray(chosen, dtype=np.int64))
    allowed = np.zeros(problem.n_candidate, dtype=bool)
    allowed[chosen] = True
    trace = _run(problem, max_sites=chosen.size, allowed=allowed)
    rest = np.setdiff1d(chosen, trace.chosen)
    return (
        np.concatenate([trace.chosen, rest]),
        np.concatenate([trace.marginal, np.zeros(rest.size)]),
    )


def improve_by_swaps(
    problem: CoverageProblem,
    chosen: np.ndarray,
    *,
    max_rounds: int | None = None,
    max_cells: int = 20_000_000,
) -> np.ndarray:
    """Local search: repeatedly make the single swap (one chosen site out, one other in) that adds the most people.

    Every round evaluates all ``len(chosen) × n_candidate`` swaps exactly and at once: with ``c_i`` the
    number of chosen sites covering demand ``i``, swapping ``j`` out and ``k`` in changes coverage by
    ``gain_k − loss_j + overlap_jk``, where ``gain_k`` is the uncovered weight ``k`` covers, ``loss_j`` the
    weight only ``j`` covers, and ``overlap_jk`` the weight only ``j`` covers that ``k`` covers too.

    Parameters
    ----------
    problem
        The coverage problem.
    chosen
        Starting sites (candidate indices), e.g. the greedy solution.
    max_rounds
        At most this many swaps (default ``10 × len(chosen) + 10``).
    max_cells
        Skip the search when ``len(chosen) × n_candidate`` exceeds this (memory guard).

    Returns
    -------
    numpy.ndarray
        Sites after the last improving swap (same count); never covers fewer people than ``chosen``.
    """
    sites = np.asarray(chosen, dtype=np.int64).copy()
    k, n_cand = sites.size, problem.n_candidate
    if k == 0 or k >= n_cand or k * n_cand > max_cells:
        return sites
    w = np.where(problem.existing_covered, 0.0, problem.demand_weight)
    tol = 1e-9 * max(1.0, float(w.sum()))
    colT = problem.cover.T.tocsr()
    c_indptr, c_indices = colT.indptr.astype(np.int64), colT.indices
    r_indptr, r_indices = problem.cover.indptr.astype(np.int64), problem.cover.indices
    row_len = np.diff(r_indptr)
    rounds = 10 * k + 10 if max_rounds is None else int(max_rounds)
    for _ in range(rounds):
        rows, lengths = _gather_rows(c_indptr, c_indices, sites)
        slot = np.repeat(np.arange(k), lengths)
        count = np.bincount(rows, minlength=problem.n_demand)
        owner = np.bincount(rows, weights=slot, minlength=problem.n_demand).astype(
            np.int64
        )  # exact where count == 1
        uncovered_w = np.where(count == 0, w, 0.0)
        gain = np.bincount(r_indices, weights=np.repeat(uncovered_w, row_len), minlength=n_cand).astype(float)
        single = np.flatnonzero((count == 1) & (w > 0))
        loss = np.bincount(owner[single], weights=w[single], minlength=k)
        cols, lens = _gather_rows(r_indptr, r_indices, single)
        overlap = np.bincount(
            np.repeat(owner[single], lens) * n_cand + cols,
            weights=np.repeat(w[single], lens),
            minlength=k * n_cand,
        ).reshape(k, n_cand)
        delta = (gain[None, :] - loss[:, None] + overlap).astype(float)
        delta[:, sites] = -np.inf
        out, new = np.unravel_index(int(np.argmax(delta)), delta.shape)
        if not delta[out, new] > tol:
            break
        sites[out] = new
    return sites


def max_coverage(problem: CoverageProblem, *, n_sites: int) -> SitingResult:
    """Choose up to ``n_sites`` candidates that newly cover the most people (greedy).

    Parameters
    ----------
    problem
        Coverage sets, people, existing coverage.
    n_sites
        Number of new sites to place. Fewer are returned when further sites would cover nobody new.

    Returns
    -------
    SitingResult
        ``upper_bound_new_people`` is a proven bound on what the best ``n_sites`` sites could add:
        the smaller of ``greedy / (1 - 1/e)`` and the online submodularity bound.

    Raises
    ------
    SitingInputError
        If ``n_sites`` is negative.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> cover = sp.csr_array(np.array([[1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1]], bool))
    >>> r = max_coverage(CoverageProblem(cover, [10, 10, 10, 5]), n_sites=2)
    >>> r.chosen.tolist(), r.marginal_people.tolist()
    ([0, 1], [20.0, 10.0])
    """
    if isinstance(n_sites, bool) or not isinstance(n_sites, (int, np.integer)) or n_sites < 0:
        msg = f"`n_sites` must be a whole number ≥ 0; got {n_sites!r}. Ask for the number of new sites to place."
        raise SitingInputError(msg)
    t0 = time.perf_counter()
    trace = _run(problem, max_sites=int(n_sites), bound_budget=int(n_sites))
    elapsed = time.perf_counter() - t0
    a_priori = trace.new_weight / GREEDY_GUARANTEE
    bound = min(a_priori, trace.online_bound)
    before = problem.existing_weight
    logger.debug(
        "greedy max coverage: %d sites, +%.1f people in %.3f s", trace.chosen.size, trace.new_weight, elapsed
    )
    return SitingResult(
        solver="greedy",
        goal="max_coverage",
        chosen=trace.chosen,
        marginal_people=trace.marginal,
        total_people=problem.total_weight,
        covered_before_people=before,
        covered_after_people=before + trace.new_weight,
        reachable_people=problem.reachable_weight,
        n_candidate=problem.n_candidate,
        status="heuristic",
        solve_time_s=elapsed,
        upper_bound_new_people=max(bound, trace.new_weight),
        n_sites_requested=int(n_sites),
    )


def _check_share(target_share: float) -> float:
    share = float(target_share)
    if not 0.0 <= share <= 1.0 or math.isnan(share):
        msg = f"`target_share` must be a share between 0 and 1; got {target_share!r}. Write 90 % as 0.9."
        raise SitingInputError(msg)
    return share


def until_met(problem: CoverageProblem, *, target_share: float, max_sites: int | None = None) -> SitingResult:
    """Add greedy sites until the covered share reaches ``target_share`` (fewest sites, greedily).

    Parameters
    ----------
    problem
        Coverage sets, people, existing coverage.
    target_share
        Share of all people to cover, in [0, 1] (existing coverage counts).
    max_sites
        Stop after this many sites even if the target is not met (default: no limit).

    Returns
    -------
    SitingResult
        ``status`` is ``"already_met"`` (no site needed), ``"unreachable"`` (even every candidate falls
        short; no sites are proposed and the sentence says the best reachable share), ``"heuristic"``
        (met) or ``"site_limit"`` (``max_sites`` reached first). ``lower_bound_sites`` is a proven lower
        bound on the fewest sites that could reach the target (from submodularity).
    """
    share = _check_share(target_share)
    t0 = time.perf_counter()
    total = problem.total_weight
    before = problem.existing_weight
    need = share * total
    tol = 1e-9 * max(1.0, total)
    common = {
        "solver": "greedy",
        "goal": "min_sites",
        "total_people": total,
        "covered_before_people": before,
        "reachable_people": problem.reachable_weight,
        "n_candidate": problem.n_candidate,
        "target_share": share,
    }
    empty = np.empty(0, dtype=np.int64)
    if before >= need - tol:
        return SitingResult(
            chosen=empty,
            marginal_people=np.empty(0),
            covered_after_people=before,
            status="already_met",
            solve_time_s=time.perf_counter() - t0,
            lower_bound_sites=0,
            **common,  # type: ignore[arg-type]
        )
    if problem.reachable_weight < need - tol:
        return SitingResult(
            chosen=empty,
            marginal_people=np.empty(0),
            covered_after_people=before,
            status="unreachable",
            solve_time_s=time.perf_counter() - t0,
            **common,  # type: ignore[arg-type]
        )
    limit = problem.n_candidate if max_sites is None else int(max_sites)
    trace = _run(problem, max_sites=limit, need_new=need - before, sites_bound=True)
    after = before + trace.new_weight
    status = "heuristic" if after >= need - tol else "site_limit"
    return SitingResult(
        chosen=trace.chosen,
        marginal_people=trace.marginal,
        covered_after_people=after,
        status=status,
        solve_time_s=time.perf_counter() - t0,
        lower_bound_sites=max(1, trace.lower_bound_sites),
        **common,  # type: ignore[arg-type]
    )
