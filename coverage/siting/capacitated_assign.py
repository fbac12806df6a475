"""Capacitated p-median and capacitated maximal covering, with every demand point assigned to a site (HiGHS).

Each candidate ``j`` can serve at most ``capacity_j`` (people, pupils, beds: the unit of the demand weight).
Demand is assigned, not merely "in reach": an open site within reach that is full does not serve.

Capacitated p-median (spopt ``PMedian`` with ``facility_capacities``)::

    minimise   Σ_ij w_i d_ij z_ij
    subject to Σ_j z_ij = 1                    every demand point assigned
               Σ_i w_i z_ij ≤ c_j x_j           capacity of open sites
               z_ij ≤ x_j,   Σ_j x_j = p,   x ∈ {0, 1},   z ∈ {0, 1} (single source) or [0, 1] (split)

Capacitated MCLP (Current & Storbeck 1988) assigns as much demand as possible within the radius::

    maximise   Σ_ij w_i z_ij  over pairs with d_ij ≤ radius
    subject to Σ_j z_ij ≤ 1,   Σ_i w_i z_ij ≤ c_j x_j,   z_ij ≤ x_j,   Σ_j x_j ≤ p

Preselected sites are forced open; with ``fill_preselected`` each must be filled to its capacity (spopt's
``fulfill_predefined_fac``). Only finite pairs (p-median) or pairs within the radius (MCLP) get variables,
so a sparse cost matrix with a cutoff keeps the model small.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..errors import message
from ..model.messages import Message
from .location import LocationResult, as_cost_matrix, as_preselected, solve_mip
from .outcome import length_words, model_head
from .problem import SitingInputError

__all__ = ["capacitated_max_coverage", "capacitated_p_median"]


def _inputs(cost: Any, demand_weight: Any, capacity: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = as_cost_matrix(cost)
    n_d, n_c = d.shape
    w = np.asarray(demand_weight, dtype=np.float64)
    if w.shape != (n_d,) or not np.all(np.isfinite(w)) or (w < 0).any():
        msg = f"`demand_weight` must be {n_d} finite non-negative numbers (one per demand row); got shape {w.shape}."
        raise SitingInputError(msg)
    c = np.asarray(capacity, dtype=np.float64)
    if c.shape != (n_c,) or not np.all(np.isfinite(c)) or (c < 0).any():
        msg = (f"`capacity` must be {n_c} finite non-negative numbers (one per candidate, in the unit of the demand "
               f"weight); got shape {c.shape}. Fill missing capacities before siting.")
        raise SitingInputError(msg)
    return d, w, c


def _check_p(n_sites: int, fixed: np.ndarray, n_c: int) -> int:
    if isinstance(n_sites, bool) or int(n_sites) != n_sites or not (fixed.size <= n_sites <= n_c):
        msg = (f"`n_sites` (sites open in total, preselected included) must be a whole number between "
               f"{fixed.size} and {n_c}; got {n_sites!r}.")
        raise SitingInputError(msg)
    return int(n_sites)


def _assignment_model(
    pair_row: np.ndarray, pair_col: np.ndarray, w: np.ndarray, c: np.ndarray, *, fixed: np.ndarray,
    fill_fixed: bool, n_sites: int, serve_all: bool,
) -> tuple[sp.csc_array, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Rows: assignment per demand; capacity per site; z ≤ x per pair; site count. Columns [x, z].

    ``serve_all`` (p-median): every demand point is assigned in full and exactly ``n_sites`` open; else
    (maximal coverage) assignments are at most full and at most ``n_sites`` open.
    """
    n_d, n_c = w.size, c.size
    assign_lower, exact_count = (1.0, True) if serve_all else (-np.inf, False)
    n_p = pair_row.size
    n_var = n_c + n_p
    zcol = n_c + np.arange(n_p)
    assign = sp.csr_array((np.ones(n_p), (pair_row, zcol)), shape=(n_d, n_var))
    cap = sp.csr_array((np.concatenate([w[pair_row], -c]), (np.concatenate([pair_col, np.arange(n_c)]),
                                                             np.concatenate([zcol, np.arange(n_c)]))), shape=(n_c, n_var))
    link = sp.csr_array((np.concatenate([np.ones(n_p), -np.ones(n_p)]),
                         (np.concatenate([np.arange(n_p)] * 2), np.concatenate([zcol, pair_col]))), shape=(n_p, n_var))
    count = sp.csr_array((np.ones(n_c), (np.zeros(n_c, dtype=np.int64), np.arange(n_c))), shape=(1, n_var))
    m = sp.vstack([assign, cap, link, count], format="csc")
    cap_lower = np.full(n_c, -np.inf)
    if fill_fixed:
        cap_lower[fixed] = 0.0  # Σ_i w_i z_ij - c_j x_j = 0 for a preselected site: filled to capacity
    lo = np.concatenate([np.full(n_d, assign_lower), cap_lower, np.full(n_p, -np.inf),
                         [n_sites if exact_count else -np.inf]])
    hi = np.concatenate([np.ones(n_d), np.zeros(n_c), np.zeros(n_p), [n_sites]])
    col_lower = np.zeros(n_var)
    col_lower[fixed] = 1.0
    return m, lo, hi, col_lower, zcol


def _assignment_of(x: np.ndarray, pair_row: np.ndarray, pair_col: np.ndarray, n_d: int, n_c: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Site with the largest share of each demand point (-1 if unassigned) and the assigned share."""
    z = np.clip(x[n_c:], 0.0, 1.0)
    share = np.bincount(pair_row, weights=z, minlength=n_d)
    assignment = np.full(n_d, -1, dtype=np.int64)
    order = np.lexsort((-z, pair_row))  # per row, largest z first
    first = np.ones(order.size, dtype=bool)
    first[1:] = pair_row[order][1:] != pair_row[order][:-1]
    take = order[first]
    take = take[z[take] > 1e-6]
    assignment[pair_row[take]] = pair_col[take]
    return assignment, np.clip(share, 0.0, 1.0)


# PLR0913: public solver API in spopt's style: data arrays then keyword options
def capacitated_p_median(  # noqa: PLR0913
    cost: Any,
    demand_weight: Any,
    *,
    capacity: Any,
    n_sites: int,
    preselected: Any = None,
    fill_preselected: bool = False,
    single_source: bool = True,
    time_limit_s: float = 60.0,
    mip_rel_gap: float = 0.0,
) -> LocationResult:
    """Open ``n_sites`` capacitated sites minimising the weighted cost of assigning every demand point.

    Parameters
    ----------
    cost
        Demand × candidate costs (spopt's ``PMedian.from_cost_matrix``); ``inf``/``nan`` pairs are never
        assigned.
    demand_weight
        Demand per point (people, pupils), in the unit of ``capacity``.
    capacity
        Capacity per candidate.
    n_sites
        Sites open in total, preselected ones included.
    preselected
        Sites that must be open: candidate indices, or one 0/1 flag per candidate.
    fill_preselected
        Each preselected site must be filled exactly to its capacity (spopt's ``fulfill_predefined_fac``).
    single_source
        Each demand point goes to one site (spopt); False lets demand split between sites.
    time_limit_s, mip_rel_gap
        HiGHS limits.

    Returns
    -------
    LocationResult
        ``objective`` is the total weighted cost; ``figures["mean_cost"]`` is it divided by the total
        weight (spopt's ``mean_dist``); ``assignment`` the serving site of each demand point.
    """
    t0 = time.perf_counter()
    d, w, c = _inputs(cost, demand_weight, capacity)
    n_d, n_c = d.shape
    fixed = as_preselected(preselected, n_c)
    p = _check_p(n_sites, fixed, n_c)
    if c[np.argsort(-c)[:p]].sum() < w.sum() - 1e-9:
        raise SitingInputError(message("err.siting_capacity_short", p=p, capacity=f"{c[np.argsort(-c)[:p]].sum():,.6g}",
                                       demand=f"{w.sum():,.6g}"))
    if fill_preselected and c[fixed].sum() > w.sum() + 1e-9:
        msg = (f"The preselected sites cannot be filled: their capacity ({c[fixed].sum():,.6g}) exceeds the whole "
               f"demand ({w.sum():,.6g}). Drop fill_preselected or some preselected sites.")
        raise SitingInputError(msg)
    finite = np.isfinite(d)
    pair_row, pair_col = np.nonzero(finite)
    m, lo, hi, col_lower, _ = _assignment_model(pair_row, pair_col, w, c, fixed=fixed, fill_fixed=fill_preselected,
                                                n_sites=p, serve_all=True)
    obj = np.concatenate([np.zeros(n_c), w[pair_row] * d[pair_row, pair_col]])
    integer = np.concatenate([np.ones(n_c, bool), np.full(pair_row.size, single_source)])
    sol = solve_mip(m, cost=obj, row_lower=lo, row_upper=hi, integer=integer, maximise=False, col_lower=col_lower,
                    time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap)
    if sol.x is None:
        raise SitingInputError(message("err.siting_capacitated_infeasible", status=sol.status, p=p))
    chosen = np.flatnonzero(sol.x[:n_c] > 0.5)
    assignment, _ = _assignment_of(sol.x, pair_row, pair_col, n_d, n_c)
    total_w = float(w.sum())
    mean = sol.objective / total_w if total_w > 0 else math.nan
    elapsed = time.perf_counter() - t0
    res = LocationResult(
        model="capacitated p-median", chosen=chosen, preselected=fixed, objective=sol.objective,
        objective_name="total demand-weighted cost of the assignment", status=sol.status, bound=sol.bound,
        solve_time_s=elapsed, assignment=assignment, sentence="", site_load=_load(sol.x, pair_row, pair_col, w, n_c),
        figures={"mean_cost": mean, "capacity_used": float(sol.x[n_c:] @ w[pair_row]),
                 "capacity_open": float(c[chosen].sum())},
    )
    sentence = Message("say.model_capacitated_median", head=model_head("capacitated p-median", sol.status, res.gap,
                                                                          elapsed),
                       n=int(chosen.size), demand=f"{total_w:,.0f}", mean=f"{mean:,.4g}")
    return _replace_sentence(res, sentence)


# PLR0913: public solver API in spopt's style: data arrays then keyword options
def capacitated_max_coverage(  # noqa: PLR0913
    cost: Any,
    demand_weight: Any,
    *,
    capacity: Any,
    radius: float,
    n_sites: int,
    preselected: Any = None,
    single_source: bool = True,
    time_limit_s: float = 60.0,
    mip_rel_gap: float = 1e-6,
    unit: str = "",
) -> LocationResult:
    """Open up to ``n_sites`` capacitated sites serving the most demand within ``radius``, assigned.

    Parameters
    ----------
    cost
        Demand × candidate costs; a pair serves only when ``cost ≤ radius``.
    demand_weight
        Demand per point, in the unit of ``capacity``.
    capacity
        Capacity per candidate.
    radius
        Service radius, unit of ``cost``.
    n_sites
        Sites open at most, preselected ones included.
    preselected
        Sites that must be open: candidate indices, or one 0/1 flag per candidate.
    single_source
        Each demand point is served whole by one site or not at all; False lets it split.
    time_limit_s, mip_rel_gap
        HiGHS limits.
    unit
        Unit of the costs for the sentence (e.g. ``" m"``).

    Returns
    -------
    LocationResult
        ``objective`` is the demand served (within reach *and* within capacity); ``figures`` has
        ``served_share``, ``in_reach_share`` (demand with an open site in reach, full or not).
    """
    t0 = time.perf_counter()
    d, w, c = _inputs(cost, demand_weight, capacity)
    n_d, n_c = d.shape
    fixed = as_preselected(preselected, n_c)
    p = _check_p(n_sites, fixed, n_c)
    if not (radius >= 0 and math.isfinite(radius)):
        msg = f"The service radius must be a finite non-negative number (unit of the costs); got {radius!r}."
        raise SitingInputError(msg)
    pair_row, pair_col = np.nonzero(d <= radius)
    m, lo, hi, col_lower, _ = _assignment_model(pair_row, pair_col, w, c, fixed=fixed, fill_fixed=False, n_sites=p,
                                                serve_all=False)
    obj = np.concatenate([np.zeros(n_c), w[pair_row]])
    integer = np.concatenate([np.ones(n_c, bool), np.full(pair_row.size, single_source)])
    sol = solve_mip(m, cost=obj, row_lower=lo, row_upper=hi, integer=integer, maximise=True, col_lower=col_lower,
                    time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap)
    if sol.x is None:
        msg = f"HiGHS found no feasible capacitated covering ({sol.status}); please report this with the inputs."
        raise SitingInputError(msg)
    chosen = np.flatnonzero(sol.x[:n_c] > 0.5)
    assignment, share = _assignment_of(sol.x, pair_row, pair_col, n_d, n_c)
    total_w = float(w.sum())
    in_reach = (d[:, chosen] <= radius).any(axis=1) if chosen.size else np.zeros(n_d, bool)
    elapsed = time.perf_counter() - t0
    res = LocationResult(
        model="capacitated mclp", chosen=chosen, preselected=fixed, objective=sol.objective,
        objective_name="demand served within the radius and the sites' capacities", status=sol.status,
        bound=sol.bound, solve_time_s=elapsed, assignment=assignment, sentence="",
        site_load=_load(sol.x, pair_row, pair_col, w, n_c),
        figures={"served_share": sol.objective / total_w if total_w else 0.0,
                 "in_reach_share": float(w[in_reach].sum()) / total_w if total_w else 0.0,
                 "served_fraction_mean": float(share.mean()), "radius": float(radius)},
    )
    sentence = Message("say.model_capacitated_cover", head=model_head("capacitated mclp", sol.status, res.gap, elapsed),
                       n=int(chosen.size), served=f"{sol.objective:,.0f}", demand=f"{total_w:,.0f}",
                       share=f"{100 * res.figures['served_share']:.1f} %", radius=length_words(radius, unit),
                       reach=f"{100 * res.figures['in_reach_share']:.1f} %")
    return _replace_sentence(res, sentence)


def _load(x: np.ndarray, pair_row: np.ndarray, pair_col: np.ndarray, w: np.ndarray, n_c: int) -> np.ndarray:
    """Demand weight assigned to each candidate."""
    return np.bincount(pair_col, weights=np.clip(x[n_c:], 0.0, 1.0) * w[pair_row], minlength=n_c)


def _replace_sentence(res: LocationResult, sentence: str) -> LocationResult:
    return replace(res, sentence=sentence)
