"""What the classic location models (p-center, LSCP-B, capacitated, budgeted) share: inputs and one result.

These models take a demand × candidate *cost matrix* (metres, minutes, any unit; ``inf`` or ``nan`` where a
candidate cannot serve a demand point), as PySAL spopt's ``from_cost_matrix`` does, and are solved
exactly by HiGHS through :func:`solve_mip`. Every model returns a :class:`LocationResult`: the chosen sites,
who is assigned where (when the model assigns), the objective in its own words and a plain sentence.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import scipy.sparse as sp

from .milp import _check_limits, _new_highs, _pass_model
from .problem import SitingInputError

__all__ = ["LocationResult", "MipSolution", "as_cost_matrix", "as_preselected", "cover_from_cost", "solve_mip"]


def as_cost_matrix(cost: Any, *, name: str = "cost") -> np.ndarray:
    """Return ``cost`` as a dense float demand × candidate matrix; ``nan`` becomes ``inf`` (no service).

    Parameters
    ----------
    cost
        Dense 2-D array-like, or a scipy.sparse matrix (only stored pairs can serve; others are ``inf``).
    name
        Name used in error messages.

    Returns
    -------
    numpy.ndarray
    """
    if sp.issparse(cost):
        m = sp.coo_array(cost)
        arr = np.full(m.shape, np.inf)
        arr[m.row, m.col] = m.data
    else:
        arr = np.array(cost, dtype=np.float64)
    if arr.ndim != 2 or 0 in arr.shape:
        msg = (
            f"`{name}` must be a non-empty 2-D matrix (demand points × candidate sites); got shape {arr.shape}. "
            "Pass one row per demand point and one column per candidate site."
        )
        raise SitingInputError(msg)
    arr[np.isnan(arr)] = np.inf
    if (arr < 0).any():
        i, j = np.argwhere(arr < 0)[0]
        msg = (
            f"`{name}` holds negative costs (first at demand row {i}, candidate {j}: {arr[i, j]!r}). "
            "Costs are distances or times; use inf (or nan) where a candidate cannot serve a demand point."
        )
        raise SitingInputError(msg)
    return arr


def cover_from_cost(cost: np.ndarray, radius: float) -> sp.csr_array:
    """Boolean demand × candidate coverage: cost within ``radius`` (inclusive, as spopt's ``aij``)."""
    if not (radius >= 0 and math.isfinite(radius)):
        msg = f"The service radius must be a finite non-negative number (same unit as the costs); got {radius!r}."
        raise SitingInputError(msg)
    return sp.csr_array(np.asarray(cost) <= radius)


def as_preselected(preselected: Any, n_candidate: int) -> np.ndarray:
    """Candidate indices that must be open (existing facilities entered as candidates), sorted, unique.

    Accepts indices, or one 0/1 (boolean) flag per candidate, with spopt's rule for
    ``predefined_facilities_arr``: an array as long as the candidates holds flags, a shorter one indices.
    """
    if preselected is None:
        return np.zeros(0, dtype=np.int64)
    arr = np.asarray(preselected)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.dtype == np.bool_ or arr.size == n_candidate:  # one flag per candidate (spopt's rule)
        idx = np.flatnonzero(arr.reshape(-1).astype(bool))
    else:
        idx = np.unique(arr.reshape(-1).astype(np.int64))
    if idx.size and (idx.min() < 0 or idx.max() >= n_candidate):
        msg = (
            f"Preselected sites must be candidate indices in 0..{n_candidate - 1} (or one 0/1 flag per candidate); "
            f"got {arr.tolist()[:8]}."
        )
        raise SitingInputError(msg)
    return idx


@dataclass(frozen=True)
class MipSolution:
    """A HiGHS answer: status, variable values (None when no feasible point), objective, proven bound."""

    status: str
    x: np.ndarray | None
    objective: float
    bound: float
    run_time_s: float


_STATUS = {
    highspy.HighsModelStatus.kOptimal: "optimal",
    highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kInfeasible: "infeasible",
}


# PLR0913: HiGHS's model arrays (matrix, costs, row and column bounds, integrality)
def solve_mip(  # noqa: PLR0913
    matrix: sp.csc_array | sp.csr_array,
    *,
    cost: np.ndarray,
    row_lower: np.ndarray,
    row_upper: np.ndarray,
    integer: np.ndarray,
    maximise: bool,
    col_lower: np.ndarray | None = None,
    col_upper: np.ndarray | None = None,
    time_limit_s: float = 60.0,
    mip_rel_gap: float = 0.0,
) -> MipSolution:
    """Solve ``opt cost·x  s.t.  row_lower ≤ A x ≤ row_upper,  col_lower ≤ x ≤ col_upper`` with HiGHS.

    Parameters
    ----------
    matrix
        Constraint matrix (rows × columns).
    cost
        Objective coefficient per column.
    row_lower, row_upper
        Row bounds (``-inf``/``inf`` for one-sided rows).
    integer
        Boolean mask of integer columns.
    maximise
        Maximise instead of minimise.
    col_lower, col_upper
        Column bounds; default ``[0, 1]``.
    time_limit_s, mip_rel_gap
        HiGHS limits.

    Returns
    -------
    MipSolution
    """
    _check_limits(time_limit_s, mip_rel_gap)
    m = sp.csc_array(matrix, dtype=np.float64)
    n_col = m.shape[1]
    h = _new_highs(time_limit_s=time_limit_s, mip_rel_gap=mip_rel_gap)
    integer = np.asarray(integer, dtype=bool)
    # _pass_model marks the first n_integer columns integral; pass the mask by reordering nothing: set after.
    _pass_model(h, m, cost=cost, maximise=maximise, row_lower=row_lower, row_upper=row_upper, n_integer=0,
                col_upper=col_upper)
    if col_lower is not None:
        lower = np.ascontiguousarray(col_lower, dtype=np.float64)
        upper = np.ones(n_col) if col_upper is None else np.ascontiguousarray(col_upper, dtype=np.float64)
        h.changeColsBounds(n_col, np.arange(n_col, dtype=np.int32), lower, upper)
    idx = np.flatnonzero(integer).astype(np.int32)
    if idx.size:
        h.changeColsIntegrality(idx.size, idx, np.ones(idx.size, dtype=np.uint8))
    t0 = time.perf_counter()
    h.run()
    model_status = h.getModelStatus()
    status = _STATUS.get(model_status, h.modelStatusToString(model_status).lower())
    info = h.getInfo()
    feasible = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    x = np.asarray(h.getSolution().col_value) if feasible else None
    objective = float(info.objective_function_value) if feasible else math.nan
    bound = float(info.mip_dual_bound) if idx.size else objective
    if not math.isfinite(bound):
        bound = objective if status == "optimal" else math.nan
    return MipSolution(status=status, x=x, objective=objective, bound=bound, run_time_s=time.perf_counter() - t0)


@dataclass(frozen=True, eq=False)
class LocationResult:
    """The answer of a location model, in the model's own terms.

    Parameters
    ----------
    model
        {"p-center", "backup", "capacitated p-median", "capacitated mclp", "budget mclp", "mclp", "lscp",
        "p-median"}.
    chosen
        Open sites (candidate indices, ascending), preselected ones included.
    preselected
        The candidates that were required to be open.
    objective
        The model's objective value (see ``objective_name``).
    objective_name
        What ``objective`` measures, in words with its unit.
    status
        {"optimal", "time_limit", "infeasible", ...} as HiGHS reports.
    bound
        HiGHS's proven bound on the objective (equals ``objective`` when optimal), ``nan`` if none.
    solve_time_s
        Wall time, model building included.
    assignment
        Candidate serving each demand point (-1: none), for the models that assign; else None.
    figures
        Further figures by name (e.g. ``backup_share``, ``covered_weight``, ``cost_used``).
    site_load
        Demand weight assigned to each candidate (zeros for closed ones), for the models that assign.
    sentence
        One plain sentence for planners.
    """

    model: str
    chosen: np.ndarray
    preselected: np.ndarray
    objective: float
    objective_name: str
    status: str
    bound: float
    solve_time_s: float
    sentence: str
    assignment: np.ndarray | None = None
    figures: dict[str, float] = field(default_factory=dict)
    site_load: np.ndarray | None = None

    @property
    def new_sites(self) -> np.ndarray:
        """Open sites that were not preselected."""
        return np.setdiff1d(self.chosen, self.preselected)

    @property
    def gap(self) -> float:
        """Relative gap between objective and proven bound (0 when proven optimal; nan if unknown)."""
        if not (math.isfinite(self.objective) and math.isfinite(self.bound)):
            return math.nan
        return abs(self.bound - self.objective) / max(abs(self.objective), 1e-12)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready summary (no per-demand arrays)."""
        return {"model": self.model, "chosen": self.chosen.tolist(), "preselected": self.preselected.tolist(),
                "objective": self.objective, "objective_name": self.objective_name, "status": self.status,
                "bound": self.bound, "solve_time_s": self.solve_time_s, "sentence": self.sentence,
                **{k: float(v) for k, v in self.figures.items()}}
