"""``method:`` of a catchment_capacity target: 2SFCA (default), 3SFCA or RAAM (issue 21).

- ``2sfca``: each facility's capacity is shared among the people in its catchment (E2SFCA with ``decay``);
  evaluated in :func:`coverage_planner.targets.access.evaluate_catchment_capacity` itself.
- ``3sfca``: as 2SFCA, but a person's demand is split between the facilities in reach by a selection weight
  (Wan et al. 2012), so people near several facilities do not count in full at each
  (:func:`coverage_planner.network.fca_methods.three_step_fca_arrays`; decay ``none`` gives equal shares).
- ``raam``: people are assigned to the facilities in reach by the rational agent access model (Saxon & Snow
  2019: travel plus congestion, ``τ`` = the catchment distance); a person's figure is the capacity per
  person of the facilities they are assigned to
  (:func:`coverage_planner.network.fca_methods.raam_arrays`, ``supply_per_demand``).

Both work on the (demand cell, facility, network distance) pairs within the catchment, or without a network
on straight-line pairs × the detour factor (then marked approximate).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from .. import network as net
from ..errors import ScenarioError, message
from ..model.messages import Both, Message
from ..network.fca_methods import raam_arrays, three_step_fca_arrays

__all__ = ["METHODS", "method_access"]

#: Accepted values of ``method:``.
METHODS = ("2sfca", "3sfca", "raam")


def check_method(value: object, target_id: str) -> str:
    """The target's method in lower case, or a ScenarioError naming the choices."""
    method = str(value or "2sfca").strip().lower()
    if method not in METHODS:
        raise ScenarioError(message("err.target_method", tid=target_id, value=str(value), methods=", ".join(METHODS)))
    return method


def method_access(method: str, ctx, *, spec, graph, demand_weight: NDArray[np.float64], capacity: NDArray[np.float64],
                  catchment_m: float) -> tuple[NDArray[np.float64], str, bool]:
    """Capacity reachable per person for each population cell, by ``method`` (3sfca or raam).

    Parameters
    ----------
    method
        ``"3sfca"`` or ``"raam"``.
    ctx, spec
        Evaluation context and target.
    graph
        The network, or None (straight line × detour factor, approximate).
    demand_weight
        People per population cell counted by the target.
    capacity
        The capacity of the target's facilities (``ctx.facilities(spec)``, in their order).
    catchment_m
        Catchment distance (metres); the distance decay (3SFCA's selection and distance weight) is the
        target's ``decay``.

    Returns
    -------
    per_person : numpy.ndarray
        Capacity per person per cell.
    note : str
        Method sentence for the report.
    approximate : bool
        True without a network.
    """
    from .access import demand_snap, facility_entrances

    pop = ctx.region.population
    fac = ctx.facilities(spec)  # cached by the context: the facilities ``capacity`` was read from
    decay = spec.param("decay")
    fx, fy, owner = facility_entrances(fac)
    if graph is None:
        f = net.DEFAULT_DETOUR_FACTOR
        m = cKDTree(np.column_stack([fx, fy])).sparse_distance_matrix(
            cKDTree(np.column_stack([pop.x_m, pop.y_m])), catchment_m / f, output_type="coo_matrix")
        # several entrances of one facility: keep its nearest per cell
        fac_i, dem_i, dist = owner[m.row], m.col, m.data * f
        order = np.lexsort((dist, dem_i, fac_i))
        fac_i, dem_i, dist = fac_i[order], dem_i[order], dist[order]
        first = np.ones(fac_i.size, bool)
        first[1:] = (fac_i[1:] != fac_i[:-1]) | (dem_i[1:] != dem_i[:-1])
        fac_i, dem_i, dist = fac_i[first], dem_i[first], dist[first]
        where = Message("say.where_no_network", factor=f"{f:g}")
        approximate = True
    else:
        mode = spec.param("mode")
        fsnap = net.snap_points(graph, fx, fy, owner=owner, n_owners=len(fac))
        pairs = net.catchment_pairs(graph, demand_snap(ctx, graph, mode), fsnap, cutoff_m=catchment_m)
        fac_i, dem_i, dist = pairs.facility, pairs.demand, pairs.distance_m
        where = Message("say.where_network", mode=Message(f"mode.{mode}"))
        approximate = False
    cap = np.asarray(capacity, dtype=np.float64)
    w = np.asarray(demand_weight, dtype=np.float64)
    if method == "3sfca":
        res = three_step_fca_arrays(dem_i, fac_i, dist, demand=w, supply=cap, max_cost=catchment_m,
                                    weight_fn=lambda d: net.decay_weights(d, catchment_m, decay))
        note = Message("say.three_step_fca", decay=Both(f", {decay} decay", f",`{decay}` 距离衰减") if decay
                       else Both("", ""), catchment=f"{catchment_m:,.0f}", where=where)
        return res.access, note, approximate
    raam = raam_arrays(dem_i, fac_i, dist, demand=w, supply=cap, tau=catchment_m)
    note = Message("say.raam", catchment=f"{catchment_m:,.0f}", where=where)
    return raam.supply_per_demand, note, approximate
