"""p-center: open ``p`` sites so that the farthest demand point is as close as possible (HiGHS).

::

    minimise   W
    subject to every demand point i has an open site j with d_ij ≤ W,   Σ_j x_j = p,   x_j ∈ {0, 1}

The optimum ``W*`` is one of the distinct costs in the matrix, and "can ``p`` sites put everyone within
``r``?" is a set-covering question that only gets easier as ``r`` grows. The solver therefore bisects on
the sorted distinct costs, asking HiGHS each time for the fewest sites covering everyone within ``r``
(preselected sites forced open). That is exact, and each set-covering model is far tighter than the
textbook assignment formulation (``x_ij ≤ y_j``, ``Σ_j d_ij x_ij ≤ W``) that spopt hands to CBC.
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

__all__ = ["p_center"]


def _nearest_open(cost: np.ndarray, open_sites: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest open site per demand row (-1 when none is finite) and its cost."""
    sub = cost[:, open_sites]
    k = np.argmin(sub, axis=1)
    d = sub[np.arange(cost.shape[0]), k]
    return np.where(np.isfinite(d), open_sites[k], -1), d


def _fewest_within(cost: np.ndarray, r: float, fixed: np.ndarray, *, time_limit_s: float) -> tuple[float, np.ndarray | None, str]:
    """Fewest sites putting every demand point within ``r`` (fixed sites open): (count or bound, sites, status)."""
    a = sp.csr_array(cost <= r, dtype=np.float64)
    if (np.diff(a.indptr) == 0).any():
        return math.inf, None, "optimal"
    n_c = cost.shape[1]
    lower = np.zeros(n_c)
    lower[fixed] = 1.0
    sol = solve_mip(a, cost=np.ones(n_c), row_lower=np.ones(a.shape[0]), row_upper=np.full(a.shape[0], np.inf),
                    integer=np.ones(n_c, bool), maximise=False, col_lower=lower, time_limit_s=time_limit_s)
    if sol.x is None:
        return (sol.bound if math.isfinite(sol.bound) else 0.0), None, sol.status
    return (sol.objective if sol.status == "optimal" else sol.bound), np.flatnonzero(sol.x > 0.5), sol.status


def p_center(
    cost: Any,
    *,
    n_sites: int,
    preselected: Any = None,
    time_limit_s: float = 60.0,
    unit: str = "",
) -> LocationResult:
    """Open ``n_sites`` sites (preselected ones included) minimising the largest demand-to-site cost.

    Parameters
    ----------
    cost
        Demand × candidate costs (metres, minutes, ...), as spopt's ``PCenter.from_cost_matrix``;
        ``inf``/``nan`` where a candidate cannot serve a demand point.
    n_sites
        Sites open in total, preselected ones included (spopt's ``p_facilities``).
    preselected
        Sites that must be open: candidate indices, or one 0/1 flag per candidate.
    time_limit_s
        Time limit for all HiGHS calls together.
    unit
        Unit of the costs for the sentence (e.g. ``" m"``).

    Returns
    -------
    LocationResult
        ``objective`` is the largest cost from a demand point to its nearest open site; ``assignment`` is
        that nearest site. ``status`` is ``"optimal"``, or ``"time_limit"`` with ``bound`` the largest
        radius proven too small.

    Examples
    --------
    >>> import numpy as np
    >>> r = p_center(np.array([[1.0, 5.0], [4.0, 2.0], [9.0, 3.0]]), n_sites=1)
    >>> r.chosen.tolist(), r.objective
    ([1], 5.0)
    """
    t0 = time.perf_counter()
    d = as_cost_matrix(cost)
    n_d, n_c = d.shape
    fixed = as_preselected(preselected, n_c)
    if isinstance(n_sites, bool) or int(n_sites) != n_sites or not (max(1, fixed.size) <= n_sites <= n_c):
        raise SitingInputError(message("err.siting_n_sites", low=max(1, fixed.size), high=n_c, got=repr(n_sites)))
    unreachable = ~np.isfinite(d).any(axis=1)
    if unreachable.any():
        raise SitingInputError(message("err.siting_pcenter_unreachable", n=int(unreachable.sum()),
                                       first=int(np.flatnonzero(unreachable)[0])))
    values = np.unique(d[np.isfinite(d)])
    deadline = t0 + time_limit_s
    need, sites_at_max, st = _fewest_within(d, values[-1], fixed, time_limit_s=time_limit_s)
    if st == "optimal" and need > n_sites:
        raise SitingInputError(message("err.siting_pcenter_too_few", sites=n_sites, cost=f"{values[-1]:,.6g}{unit}",
                                       need=int(round(need))))
    lo = int(np.searchsorted(values, d.min(axis=1).max()))  # everyone needs some site: W* ≥ this
    hi = values.size - 2
    best = sites_at_max if sites_at_max is not None and sites_at_max.size <= n_sites else None
    status = "optimal" if st == "optimal" else "time_limit"
    proven_below = -1  # index of the largest radius proven infeasible
    while lo <= hi:
        mid = (lo + hi) // 2
        left = deadline - time.perf_counter()
        if left <= 0:
            status = "time_limit"
            break
        need, sites, st = _fewest_within(d, values[mid], fixed, time_limit_s=left)
        if sites is not None and sites.size <= n_sites:
            best, hi = sites, mid - 1
        elif st == "optimal" or need > n_sites:
            proven_below, lo = mid, mid + 1
        else:  # undecided within the time left: treat as too small, but the optimum is no longer proven
            status, lo = "time_limit", mid + 1
    if best is None:  # only reachable on a time limit: the preselected sites, filled up below
        best = fixed
        status = "time_limit"
    # Fill up to n_sites with sites that keep the radius (any extra site only lowers distances).
    if best.size < n_sites:
        spare = np.setdiff1d(np.arange(n_c), best)
        best = np.sort(np.concatenate([best, spare[: n_sites - best.size]]))
    assignment, dist = _nearest_open(d, best)
    objective = float(dist.max())
    bound = objective if status == "optimal" else (float(values[proven_below]) if proven_below >= 0 else math.nan)
    elapsed = time.perf_counter() - t0
    res = LocationResult(
        model="p-center", chosen=best, preselected=fixed, objective=objective,
        objective_name="largest cost from a demand point to its nearest open site", status=status, bound=bound,
        solve_time_s=elapsed, assignment=assignment, sentence="",
        figures={"mean_cost": float(dist.mean())},
    )
    pre = Message("say.model_pcenter_fixed", n=int(fixed.size)) if fixed.size else ""
    sentence = Message("say.model_pcenter", head=model_head("p-center", status, res.gap, elapsed), n=int(best.size),
                       pre=pre, max=length_words(objective, unit), mean=length_words(float(dist.mean()), unit, ",.4g"))
    return replace(res, sentence=sentence)
