"""Three-step floating catchment (3SFCA) and the rational agent access model (RAAM), from a cost table.

Both take what PySAL ``access`` takes: a cost table of (origin, destination, cost) rows, demand per
origin and supply per destination, and give the same numbers (``tests/test_fca_methods.py`` checks them
against ``access`` on its own example data).

**3SFCA** (Wan, Zou & Sternberg 2012). With a distance-decay weight ``W(c)`` and ``c_ij ≤ max_cost``:

- selection weight of each pair, ``G_ij = W(c_ij) / Σ_k W(c_ik)`` (``k`` over every row of origin ``i`` in
  the cost table, as ``access`` does: cut the table at ``max_cost`` to normalise over reachable
  facilities only);
- demand felt by each facility, ``D_j = Σ_i P_i · W(c_ij) · G_ij``; its ratio ``R_j = S_j / D_j``;
- access of each origin, ``A_i = Σ_j R_j · W(c_ij) · G_ij``.

**RAAM** (Saxon & Snow 2019). Every person picks the facility minimising travel plus congestion,
``c_ij / τ + D_j / (ρ S_j)`` with ``ρ`` the mean demand per unit of supply; the assignment is found by the
published iterative exchange (demand moves from each origin's costliest used facility to its cheapest one,
in steps that shrink with a half-life), ported from ``access.raam.iterate_raam`` step for step, so the
result is that of ``access``, rounding of the moved amounts included. The RAAM cost of an origin is the
demand-weighted mean of travel plus congestion over the facilities it is assigned to (lower is better).
This module also returns the assignment itself, and the supply each person gets under it
(``Σ_j share_ij · S_j / D_j``), which is what a per-person norm is checked against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["RaamResult", "ThreeStepResult", "raam", "raam_arrays", "three_step_fca", "three_step_fca_arrays",
           "normalized_access"]

WeightFn = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class ThreeStepResult:
    """3SFCA per origin and per destination.

    Parameters
    ----------
    access
        ``A_i`` per origin (supply per unit of demand reachable; 0 where no destination is within reach).
    ratio
        ``R_j`` per destination (``nan`` where no weighted demand reaches it).
    """

    access: np.ndarray
    ratio: np.ndarray


def three_step_fca_arrays(
    origin: np.ndarray,
    destination: np.ndarray,
    cost: np.ndarray,
    *,
    demand: np.ndarray,
    supply: np.ndarray,
    max_cost: float,
    weight_fn: WeightFn,
) -> ThreeStepResult:
    """3SFCA on index arrays: pair ``k`` links origin ``origin[k]`` to destination ``destination[k]``.

    Parameters
    ----------
    origin, destination
        Integer indices into ``demand`` and ``supply``.
    cost
        Travel cost of each pair.
    demand, supply
        Demand per origin, supply per destination.
    max_cost
        Pairs costing more are outside the catchment (they still enter the selection weight's sum, as in
        ``access``).
    weight_fn
        Distance-decay weight, vectorised over a cost array (e.g. ``lambda c: 1 / c``).

    Returns
    -------
    ThreeStepResult
    """
    o = np.asarray(origin, dtype=np.int64)
    d = np.asarray(destination, dtype=np.int64)
    c = np.asarray(cost, dtype=np.float64)
    p = np.asarray(demand, dtype=np.float64)
    s = np.asarray(supply, dtype=np.float64)
    w = np.asarray(weight_fn(c), dtype=np.float64)
    w_sum = np.bincount(o, weights=w, minlength=p.size)
    g = np.divide(w, w_sum[o], out=np.zeros_like(w), where=w_sum[o] > 0)  # no weight at all: selects nothing
    inside = c <= max_cost
    wg = (w * g)[inside]
    oi, dj = o[inside], d[inside]
    felt = np.bincount(dj, weights=p[oi] * wg, minlength=s.size)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(felt > 0, s / felt, np.nan)
    reach = np.bincount(oi, minlength=p.size) > 0
    acc = np.bincount(oi, weights=np.nan_to_num(ratio[dj]) * wg, minlength=p.size)
    return ThreeStepResult(access=np.where(reach, acc, 0.0), ratio=ratio)


def _index(table: pd.DataFrame, origin: str, destination: str, cost: str, demand: pd.Series, supply: pd.Series
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Index, pd.Index]:
    missing = [c for c in (origin, destination, cost) if c not in table.columns]
    if missing:
        msg = (f"The cost table has no column(s) {missing}; it has {list(table.columns)}. Name the origin, destination "
               "and cost columns with origin=, destination=, cost=.")
        raise ValueError(msg)
    o_ids = pd.Index(demand.index)
    d_ids = pd.Index(supply.index)
    keep = table[origin].isin(o_ids) & table[destination].isin(d_ids)
    t = table.loc[keep]
    return (o_ids.get_indexer(t[origin]), d_ids.get_indexer(t[destination]), t[cost].to_numpy(dtype=np.float64),
            o_ids, d_ids)


def three_step_fca(
    costs: pd.DataFrame,
    demand: pd.Series,
    supply: pd.Series,
    *,
    max_cost: float,
    weight_fn: WeightFn,
    origin: str = "origin",
    destination: str = "destination",
    cost: str = "cost",
) -> pd.Series:
    """3SFCA from a cost table, as ``access.Access.three_stage_fca``.

    Parameters
    ----------
    costs
        One row per (origin, destination) pair with its travel cost.
    demand
        Demand (people) per origin id.
    supply
        Supply (doctors, m², slots) per destination id.
    max_cost
        Catchment: pairs costing more do not count.
    weight_fn
        Distance-decay weight, vectorised (e.g. ``lambda c: c ** -1.0`` for access's ``gravity(1, -1)``).
    origin, destination, cost
        Column names of ``costs``.

    Returns
    -------
    pandas.Series
        Access per origin id (name ``"3sfca"``).
    """
    o, d, c, o_ids, d_ids = _index(costs, origin, destination, cost, demand, supply)
    res = three_step_fca_arrays(o, d, c, demand=demand.to_numpy(dtype=np.float64),
                                supply=supply.to_numpy(dtype=np.float64), max_cost=max_cost, weight_fn=weight_fn)
    return pd.Series(res.access, index=o_ids, name="3sfca")


def normalized_access(access: pd.Series | np.ndarray, demand: pd.Series | np.ndarray) -> np.ndarray:
    """Access divided by its demand-weighted mean (1 = the area's average), as ``access``'s ``normalize=True``."""
    a = np.asarray(access, dtype=np.float64)
    w = np.asarray(demand, dtype=np.float64)
    mean = float((a * w).sum() / w.sum()) if w.sum() > 0 else np.nan
    return a / mean


@dataclass(frozen=True)
class RaamResult:
    """RAAM per origin.

    Parameters
    ----------
    cost
        RAAM cost per origin: demand-weighted travel (in units of τ) plus congestion over its assignment.
    assignment
        Demand of each origin (row) assigned to each destination (column), dense.
    supply_per_demand
        Supply each unit of demand gets under the assignment, ``Σ_j share_ij · S_j / D_j`` (``S`` unscaled).
    """

    cost: np.ndarray
    assignment: np.ndarray
    supply_per_demand: np.ndarray


def _iterate(demand: np.ndarray, supply: np.ndarray, travel: np.ma.MaskedArray, *, max_cycles: int,
             initial_step: float | int, min_step: float, half_life: float, limit_initial: int = 20
             ) -> tuple[np.ndarray, np.ndarray]:
    """``access.raam.iterate_raam``, step for step (same argmin/argmax tie-breaking and rounding)."""
    norig, ndest = travel.shape
    rows = np.arange(norig)
    assignment = np.zeros((norig, ndest))
    assignment[rows, travel.argmin(axis=1)] = demand
    total_cost = travel
    for i in range(max_cycles):
        at_supply = assignment.sum(axis=0)
        total_cost = at_supply / supply + travel
        max_loc = np.ma.masked_array(total_cost, assignment == 0).argmax(axis=1)
        min_loc = total_cost.argmin(axis=1)
        s_min, s_max = supply[min_loc], supply[max_loc]
        t_min, t_max = travel[rows, min_loc], travel[rows, max_loc]
        d_min, d_max = assignment[rows, min_loc], assignment[rows, max_loc]
        other_min = at_supply[min_loc] - d_min
        other_max = at_supply[max_loc] - d_max
        d_min_new = ((s_min * s_max) / (s_min + s_max)) * ((t_max - t_min) + (d_min + d_max + other_max) / s_max
                                                           - other_min / s_min)
        delta = np.minimum(d_min_new - d_min, d_max)
        delta = np.where(max_loc == min_loc, 0, delta)
        if type(initial_step) is float:
            step = max(initial_step * 0.5 ** (i / half_life), min_step)
            delta = np.minimum(delta, step * demand).astype(int)
        else:
            step = int(np.round(initial_step * 0.5 ** (i / half_life)))
            step = min_step if step < min_step else step
            delta = np.minimum(delta, step).astype(int)
        if i < limit_initial:  # keep attractive facilities from being mobbed in the first cycles
            moved = np.zeros(travel.shape)
            moved[rows, min_loc] += delta
            scale = np.maximum(moved.sum(axis=0) / supply, 1)
            delta = (moved / scale).round().astype(int).sum(axis=1)
        assignment[rows, min_loc] += delta
        assignment[rows, max_loc] -= delta
    cost = np.asarray((total_cost * assignment).sum(axis=1) / assignment.sum(axis=1))
    return cost, assignment


# PLR0913: access.raam's parameters one to one (the differential tests run both)
def raam_arrays(  # noqa: PLR0913
    origin: np.ndarray,
    destination: np.ndarray,
    cost: np.ndarray,
    *,
    demand: np.ndarray,
    supply: np.ndarray,
    tau: float = 60.0,
    rho: float | None = None,
    max_cycles: int = 150,
    initial_step: float | int = 0.2,
    min_step: float = 0.005,
    half_life: float = 50.0,
) -> RaamResult:
    """RAAM on index arrays (pairs absent from the table cannot be used).

    Parameters
    ----------
    origin, destination, cost
        The cost table as index arrays into ``demand`` / ``supply``.
    demand, supply
        Demand per origin, supply per destination; zero rows/columns take no part (cost ``nan``).
    tau
        Travel cost equivalent to congestion at 100 % of the mean demand per supply.
    rho
        Demand per unit of supply that counts as "full" (default: total demand / total supply).
    max_cycles, initial_step, min_step, half_life
        The exchange schedule (``access``'s defaults).

    Returns
    -------
    RaamResult
        Per origin, in the order of ``demand``; origins without demand or without any pair get ``nan``.
    """
    o = np.asarray(origin, dtype=np.int64)
    d = np.asarray(destination, dtype=np.int64)
    p = np.asarray(demand, dtype=np.float64)
    s = np.asarray(supply, dtype=np.float64)
    live_o = np.flatnonzero((p > 0) & (np.bincount(o, minlength=p.size) > 0))
    live_d = np.flatnonzero((s > 0) & (np.bincount(d, minlength=s.size) > 0))
    row = np.full(p.size, -1)
    row[live_o] = np.arange(live_o.size)
    col = np.full(s.size, -1)
    col[live_d] = np.arange(live_d.size)
    ok = (row[o] >= 0) & (col[d] >= 0)
    travel = np.full((live_o.size, live_d.size), np.nan)
    travel[row[o[ok]], col[d[ok]]] = np.asarray(cost, dtype=np.float64)[ok]
    travel = np.ma.masked_array(travel / tau, np.isnan(travel))
    if rho is None:
        rho = float(p[p > 0].sum() / s[s > 0].sum())
    out_cost = np.full(p.size, np.nan)
    assignment = np.zeros((p.size, s.size))
    per = np.zeros(p.size)
    if live_o.size and live_d.size:
        rc, a = _iterate(p[live_o], s[live_d] * rho, travel, max_cycles=max_cycles, initial_step=initial_step,
                         min_step=min_step, half_life=half_life)
        out_cost[live_o] = rc
        assignment[np.ix_(live_o, live_d)] = a
        at = a.sum(axis=0)
        ratio = np.divide(s[live_d], at, out=np.zeros(live_d.size), where=at > 0)
        per[live_o] = (a * ratio).sum(axis=1) / p[live_o]
    return RaamResult(cost=out_cost, assignment=assignment, supply_per_demand=per)


# PLR0913: access.raam's parameters one to one (the differential tests run both)
def raam(  # noqa: PLR0913
    costs: pd.DataFrame,
    demand: pd.Series,
    supply: pd.Series,
    *,
    tau: float = 60.0,
    rho: float | None = None,
    origin: str = "origin",
    destination: str = "destination",
    cost: str = "cost",
    max_cycles: int = 150,
    initial_step: float | int = 0.2,
    min_step: float = 0.005,
    half_life: float = 50.0,
) -> pd.Series:
    """RAAM cost per origin from a cost table, as ``access.Access.raam`` (lower is better).

    Parameters
    ----------
    costs
        One row per (origin, destination) pair with its travel cost.
    demand, supply
        Demand per origin id, supply per destination id.
    tau, rho, max_cycles, initial_step, min_step, half_life
        See :func:`raam_arrays`.
    origin, destination, cost
        Column names of ``costs``.

    Returns
    -------
    pandas.Series
        RAAM cost per origin id with demand and at least one pair (name ``"raam"``).
    """
    o, d, c, o_ids, d_ids = _index(costs, origin, destination, cost, demand, supply)
    order_o = np.argsort(o_ids.to_numpy(), kind="stable")  # access walks locations in set (ascending) order
    order_d = np.argsort(d_ids.to_numpy(), kind="stable")
    inv_o = np.empty_like(order_o)
    inv_o[order_o] = np.arange(order_o.size)
    inv_d = np.empty_like(order_d)
    inv_d[order_d] = np.arange(order_d.size)
    res = raam_arrays(inv_o[o], inv_d[d], c, demand=demand.to_numpy(dtype=np.float64)[order_o],
                      supply=supply.to_numpy(dtype=np.float64)[order_d], tau=tau, rho=rho, max_cycles=max_cycles,
                      initial_step=initial_step, min_step=min_step, half_life=half_life)
    out = pd.Series(res.cost, index=o_ids[order_o], name="raam")
    return out.dropna()
