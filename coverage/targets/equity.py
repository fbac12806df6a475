"""Equity view of an access target: how the figure is spread over people, units and population groups.

Not only "what share is covered" but who is left: quantiles over people, the Gini coefficient over people
and over units, the worst units, and for each population group (the 60+, young children ...) the share
beyond reach (walk_access) or below the norm (catchment_capacity), per unit with the worst first.

:func:`equity_summary` returns plain JSON-ready values; ``evaluate_walk_access`` and
``evaluate_catchment_capacity`` store it in ``TargetResult.details["equity"]``.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["QUANTILES", "UnitSums", "equity_for", "equity_summary", "gini", "per_unit_sum", "quantiles_and_gini",
           "weighted_quantiles"]

#: Quantiles reported, as fractions of people (or of units, people-weighted).
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


def weighted_quantiles(values: NDArray[np.float64], weights: ArrayLike, qs=QUANTILES) -> list[float | None]:
    """People-weighted quantiles (the smallest value with at least a share ``q`` of the weight at or below it).

    ``inf`` values sort last (e.g. "beyond reach"); a quantile falling on them is returned as None.
    """
    return _ByValue(values, weights).quantiles(qs)


def gini(values: NDArray[np.float64], weights: ArrayLike | None = None) -> float | None:
    """Weighted Gini coefficient of non-negative values (0 = everyone equal, 1 = one holds everything).

    Uses the Lorenz-curve area: ``G = 1 − Σ_k w_k (L_{k−1} + L_k) / W`` over values sorted ascending, with
    ``L`` the cumulative share of the total value. None when there is no weight or no value.
    """
    v = np.asarray(values, dtype=np.float64)
    return _ByValue(v, np.ones_like(v) if weights is None else weights).gini()


def quantiles_and_gini(values: NDArray[np.float64], weights: ArrayLike, qs=QUANTILES
                       ) -> tuple[list[float | None], float | None]:
    """:func:`weighted_quantiles` and :func:`gini` of the same values from one sort (1.8 M cells: one argsort)."""
    by_value = _ByValue(values, weights)
    return by_value.quantiles(qs), by_value.gini()


class _ByValue:
    """Values with a weight (> 0, not NaN) and their weights, and the same sorted by value (stable sort).

    Keeping only the finite ones of the sorted values gives exactly the stable sort of the finite values, so
    the quantiles (``inf`` included) and the Gini (finite values only) share one sort.
    """

    def __init__(self, values: ArrayLike, weights: ArrayLike) -> None:
        v = np.asarray(values, dtype=np.float64)
        w = np.asarray(weights, dtype=np.float64)
        keep = (w > 0) & ~np.isnan(v)
        self.v, self.w = v[keep], w[keep]  # in the given order
        order = np.argsort(self.v, kind="stable")
        self.sv, self.sw = self.v[order], self.w[order]

    def quantiles(self, qs) -> list[float | None]:
        v = self.sv
        if v.size == 0:
            return [None for _ in qs]
        cum = np.cumsum(self.sw)
        out: list[float | None] = []
        for q in qs:
            k = int(np.searchsorted(cum, q * cum[-1] - 1e-9 * cum[-1]))
            x = float(v[min(k, v.size - 1)])
            out.append(x if np.isfinite(x) else None)
        return out

    def gini(self) -> float | None:
        v, w, sv, sw = self.v, self.w, self.sv, self.sw
        if not (np.isfinite(sv[:1]).all() and np.isfinite(sv[-1:]).all()):  # ±inf sort to the ends: drop them
            fin, sfin = np.isfinite(v), np.isfinite(sv)
            v, w, sv, sw = v[fin], w[fin], sv[sfin], sw[sfin]
        if v.size == 0 or (v < 0).any():
            return None
        total = float((v * w).sum())  # summed in the given order, as always
        if total <= 0:
            return None
        lorenz = np.cumsum(sv * sw) / total
        prev = np.concatenate([[0.0], lorenz[:-1]])
        return float(1.0 - (sw * (lorenz + prev)).sum() / sw.sum())


class UnitSums:
    """Sums per unit of several weights over one cell → unit index (``-1``: outside every unit, left out).

    The index is shifted once for all the sums (a full pass over the 1.8 M cells that each call would repeat);
    every sum is the same ``bincount`` as :func:`per_unit_sum`'s, so the same bits.

    Examples
    --------
    >>> sums = UnitSums(np.array([0, -1, 1, 0]), 2)
    >>> sums(np.array([1.0, 5.0, 2.0, 3.0])).tolist(), sums(np.ones(4)).tolist()
    ([4.0, 2.0], [2.0, 1.0])
    """

    def __init__(self, cell_unit: NDArray[np.int64], n: int) -> None:
        self._bins = np.asarray(cell_unit) + 1  # the cells outside go to an extra first bin
        self.n = int(n)

    def __call__(self, weights: NDArray[np.float64]) -> NDArray[np.float64]:
        sums = np.bincount(self._bins, weights=weights, minlength=self.n + 1)[1:]  # float64 with weights
        return np.asarray(sums, dtype=np.float64)


def per_unit_sum(cell_unit: NDArray[np.int64], weights: NDArray[np.float64], n: int) -> NDArray[np.float64]:
    """Sum of ``weights`` per unit (``cell_unit`` -1: outside every unit, left out), ``n`` units.

    The cells outside go to an extra first bin instead of being masked out first (no copies of the
    1.8 M-cell arrays); every unit's bin adds the same values in the same order, so the sums are the same bits.
    Several sums over the same cells: :class:`UnitSums`.
    """
    return UnitSums(cell_unit, n)(weights)


def _unit_rows(units: gpd.GeoDataFrame, idx: NDArray[np.int64]) -> list[dict[str, object]]:
    return [{"unit_id": str(units["unit_id"].iloc[i]), "name": str(units["name"].iloc[i])} for i in idx]


# PLR0913: the equity summary's inputs, keyword-only, each one array of the target
def equity_summary(  # noqa: PLR0913
    *,
    value: NDArray[np.float64],
    good: NDArray[np.bool_],
    weight: NDArray[np.float64],
    cell_unit: NDArray[np.int64],
    units: gpd.GeoDataFrame,
    level: str,
    groups: Mapping[str, NDArray[np.float64]],
    value_name: str,
    good_name: str,
    scope: NDArray[np.bool_] | None = None,
    n_worst: int = 5,
) -> dict[str, object]:
    """Distribution of a target's figure over people, units and population groups.

    Parameters
    ----------
    value
        Per population cell: the figure people get (walking distance in metres, ``inf`` beyond reach; or
        capacity per person).
    good
        Per cell: meets the target (within reach, or at the norm).
    weight
        People per cell counted by the target.
    cell_unit
        Unit index per cell at ``level`` (-1 outside every unit).
    units
        Units of ``level`` (``unit_id``, ``name``).
    level
        Unit level of the target (e.g. ``street``).
    groups
        Population groups by name (people per cell), e.g. ``{"age_60_plus": ...}``.
    value_name
        What ``value`` is, with its unit (``"walking distance (m)"``).
    good_name
        What ``good`` means (``"within reach"``, ``"at the norm"``).
    scope
        Cells in the target's scope (default: ``weight > 0``); groups are counted there.
    n_worst
        Units listed as worst.

    Returns
    -------
    dict
        ``people`` (quantiles; Gini and mean over people with a finite value), ``units`` (per-unit share meeting the target:
        quantiles, Gini, worst units) and ``groups`` (per group: people, share not meeting the target,
        worst units by that share).
    """
    v = np.asarray(value, dtype=np.float64)
    w = np.asarray(weight, dtype=np.float64)
    ok = np.asarray(good, dtype=bool)
    in_scope = (w > 0) if scope is None else np.asarray(scope, dtype=bool)
    finite = np.isfinite(v) & (w > 0)
    qs, people_gini = quantiles_and_gini(v, w)
    people = {
        "value_name": value_name,
        "quantiles": {f"p{round(q * 100)}": x for q, x in zip(QUANTILES, qs, strict=True)},
        "mean": float((v[finite] * w[finite]).sum() / w[finite].sum()) if w[finite].sum() > 0 else None,
        "mean_and_gini_over": "people with a finite value (walk: those the search reached)",
        "gini": people_gini,  # over people with a finite value
        "share_meeting": float(w[ok].sum() / w.sum()) if w.sum() > 0 else None,
    }
    n = len(units)
    unit_sum = UnitSums(cell_unit, n)
    tot = unit_sum(w)
    met = unit_sum(w * ok)
    live = np.flatnonzero(tot > 0)
    share = met[live] / tot[live]
    worst = live[np.lexsort((-(tot[live] - met[live]), share))][:n_worst]
    unit_qs, unit_gini = quantiles_and_gini(share, tot[live])
    unit_part = {
        "level": level,
        "count": int(live.size),
        "quantiles": {f"p{round(q * 100)}": x for q, x in zip(QUANTILES, unit_qs, strict=True)},
        "gini": unit_gini,
        "worst": [{**row, "share": float(met[i] / tot[i]), "people": float(tot[i]), "not_meeting": float(tot[i] - met[i])}
                  for row, i in zip(_unit_rows(units, worst), worst, strict=True)],
    }
    group_part: dict[str, object] = {}
    not_ok = ~ok
    for name, counts in groups.items():
        c = np.where(in_scope, np.asarray(counts, dtype=np.float64), 0.0)
        total = float(c.sum())
        if total <= 0:
            continue
        c_out = c * not_ok
        g_tot = unit_sum(c)
        g_out = unit_sum(c_out)
        g_live = np.flatnonzero(g_tot > 0)
        g_share = g_out[g_live] / g_tot[g_live]
        g_worst = g_live[np.lexsort((-g_out[g_live], -g_share))][:n_worst]
        group_part[name] = {
            "people": total,
            "share_not_meeting": float(c_out.sum() / total),
            "worst_units": [{**row, "share_not_meeting": float(g_out[i] / g_tot[i]), "people": float(g_tot[i]),
                             "not_meeting": float(g_out[i])}
                            for row, i in zip(_unit_rows(units, g_worst), g_worst, strict=True) if g_out[i] > 0],
        }
    return {"meaning": good_name, "people": people, "units": unit_part, "groups": group_part}


def equity_for(ctx, demand, *, value: NDArray[np.float64], good: NDArray[np.bool_], value_name: str,
               good_name: str) -> dict[str, object]:
    """:func:`equity_summary` for a target's :class:`~coverage_planner.targets.access.Demand`, with every
    population group of the layer set (all but ``total``) counted within the target's scope."""
    counts = ctx.region.population.counts
    groups = {k: v for k, v in counts.items() if k != "total"}
    return equity_summary(value=value, good=good, weight=demand.weight, cell_unit=demand.cell_unit,
                          units=demand.units, level=demand.level, groups=groups, value_name=value_name,
                          good_name=good_name, scope=demand.weight > 0)
