"""Per-capita targets (shelter m² per person, childcare slots per 1,000 children, ...) met zone by zone.

Supply reaches people through the two-step floating catchment area (2SFCA, Luo & Wang 2003):

1. each facility ``j`` (existing or new) shares its capacity ``S_j`` among the people in its catchment:
   ``R_j = S_j / D_j`` with ``D_j = Σ_{i in catchment j} P_i`` (all demand points, any zone);
2. each demand point gets ``A_i = Σ_{j whose catchment holds i} R_j`` supply per person; a zone's ratio is
   ``Σ_{i in zone} P_i A_i / Σ_{i in zone} P_i``.

In plain 2SFCA a facility's ratio ``R_j`` does not depend on other facilities, so a new site adds
``c_jz = S_j · (people of zone z in its catchment) / D_j`` supply units to zone ``z`` and changes nothing
else; its supply is shared out entirely (when anyone lives in its catchment).

**What the greedy maximises.** The *shortfall* of zone ``z`` is ``max(0, target · P_z − supply_z)``, in
supply units (m², slots): what the zone lacks to meet the target. Each step adds the candidate that
removes the most total shortfall, ``Σ_z min(shortfall_z, c_jz)`` (divided by its cost when costs are
given), until every zone meets the target, no candidate helps, or ``max_sites`` is reached. Supply sent
to zones already at target counts for nothing. Total shortfall reduction is a monotone submodular
function of the chosen set, so the greedy order carries the usual (1 − 1/e) guarantee for any fixed
number of sites.

A callback variant (:func:`site_for_ratio_callback`) accepts any zone-ratio function of the open sites
(e.g. an enhanced 2SFCA with distance decay) and uses lazy (CELF) evaluation of the expensive callback.
"""

from __future__ import annotations

import heapq
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..model.messages import Code, Message
from .problem import SitingInputError, as_cover_matrix

logger = logging.getLogger(__name__)

__all__ = ["RatioSitingResult", "site_for_ratio", "site_for_ratio_callback", "two_step_fca_zone_supply"]


@dataclass(frozen=True, eq=False)
class RatioSitingResult:
    """New sites for a per-capita target, in rank order, with zone ratios before and after.

    Parameters
    ----------
    chosen
        Candidate indices in rank order.
    shortfall_reduction
        Supply units (m², slots, ...) each chosen site removes from the total shortfall, in rank order.
    zone_ids
        Zone labels, sorted.
    zone_population
        People (of the target group) per zone.
    zone_ratio_before, zone_ratio_after
        Supply per person per zone, before and after the new sites.
    target_per_person
        The target ratio (supply units per person).
    status
        {"met", "already_met", "unreachable", "site_limit"}: every zone meets the target; it was met
        already; the remaining candidates cannot close the shortfall (the sites chosen still reduce it);
        ``max_sites`` was reached first.
    solve_time_s
        Wall time (seconds).
    supply_unit
        Name of the supply unit for sentences (e.g. "m²", "slots").
    """

    chosen: np.ndarray
    shortfall_reduction: np.ndarray
    zone_ids: np.ndarray
    zone_population: np.ndarray
    zone_ratio_before: np.ndarray
    zone_ratio_after: np.ndarray
    target_per_person: float
    status: str
    solve_time_s: float
    supply_unit: str = "units"

    def _shortfall(self, ratio: np.ndarray) -> float:
        return _total_shortfall(ratio, self.zone_population, self.target_per_person)

    @property
    def shortfall_before(self) -> float:
        """Total supply missing in zones below target, before (supply units)."""
        return self._shortfall(self.zone_ratio_before)

    @property
    def shortfall_after(self) -> float:
        """Total supply missing in zones below target, after (supply units)."""
        return self._shortfall(self.zone_ratio_after)

    def _meeting(self, ratio: np.ndarray) -> int:
        tol = 1e-9 * max(1.0, self.target_per_person)
        return int(np.sum((ratio >= self.target_per_person - tol) | (self.zone_population <= 0)))

    @property
    def zones_meeting_before(self) -> int:
        """Zones at or above the target before (zones with nobody count as meeting it)."""
        return self._meeting(self.zone_ratio_before)

    @property
    def zones_meeting_after(self) -> int:
        """Zones at or above the target after."""
        return self._meeting(self.zone_ratio_after)

    @property
    def sentence(self) -> str:
        """One plain sentence for planners."""
        n_z = self.zone_ids.size
        u = Code(self.supply_unit)
        norm = f"{self.target_per_person:g}"
        if self.status == "already_met":
            return Message("say.ratio_siting_met", zones=n_z, norm=norm, unit=u)
        tail = {"unreachable": Message("say.ratio_siting_unreachable"),
                "site_limit": Message("say.ratio_siting_site_limit")}.get(self.status, "")
        return Message("say.ratio_siting", n=int(self.chosen.size), after=self.zones_meeting_after, zones=n_z,
                       norm=norm, unit=u, before=self.zones_meeting_before, short_before=f"{self.shortfall_before:,.0f}",
                       short_after=f"{self.shortfall_after:,.0f}", tail=tail)


def _total_shortfall(ratio: np.ndarray, zone_population: np.ndarray, target_per_person: float) -> float:
    """Σ_z max(0, target − ratio_z) · P_z over populated zones (supply units)."""
    populated = zone_population > 0
    gap = np.maximum(0.0, target_per_person - ratio[populated]) * zone_population[populated]
    return float(gap.sum())


def _zone_index(demand_zone: Any, n: int) -> tuple[np.ndarray, np.ndarray]:
    zones = np.asarray(demand_zone)
    if zones.shape != (n,):
        msg = f"`demand_zone` must hold one zone label per demand point: expected shape ({n},), got {zones.shape}."
        raise SitingInputError(msg)
    return np.unique(zones, return_inverse=True)


def _nonneg(values: Any, *, name: str, n: int) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.shape != (n,) or not np.all(np.isfinite(arr)) or np.any(arr < 0):
        msg = (
            f"`{name}` must be {n} finite non-negative numbers; got shape {arr.shape}"
            f"{'' if arr.shape != (n,) else ' with negative or missing values'}. Replace missing values with 0."
        )
        raise SitingInputError(msg)
    return arr


def two_step_fca_zone_supply(
    catchment: Any, demand_population: Any, capacity: Any, zone_index: np.ndarray, n_zone: int
) -> sp.csr_array:
    """Supply each facility delivers to each zone under plain 2SFCA, as a facility × zone sparse matrix.

    Parameters
    ----------
    catchment
        Demand × facility; true where the demand point lies in the facility's catchment.
    demand_population
        People per demand point.
    capacity
        Supply units per facility.
    zone_index
        Zone number (0..n_zone-1) of each demand point.
    n_zone
        Number of zones.

    Returns
    -------
    scipy.sparse.csr_array
        ``[j, z]`` = supply units of facility ``j`` reaching zone ``z``; each row sums to the facility's
        capacity, or to 0 when nobody lives in its catchment.
    """
    a = as_cover_matrix(catchment)
    pop = np.asarray(demand_population, dtype=np.float64)
    cap = np.asarray(capacity, dtype=np.float64)
    n_d = a.shape[0]
    zone_ind = sp.csr_array((pop, (np.arange(n_d), zone_index)), shape=(n_d, n_zone))
    people = (a.T.astype(np.float64) @ zone_ind).tocsr()  # facility × zone: people in catchment
    d = np.asarray(people.sum(axis=1)).ravel()
    scale = np.divide(cap, d, out=np.zeros_like(cap), where=d > 0)
    return sp.csr_array(sp.diags_array(scale) @ people)


# PLR0913: public solver API in spopt's style: data arrays then keyword options
def site_for_ratio(  # noqa: PLR0913
    catchment: Any,
    demand_population: Any,
    demand_zone: Any,
    candidate_capacity: Any,
    *,
    target_per_person: float,
    existing_catchment: Any = None,
    existing_capacity: Any = None,
    candidate_cost: Any = None,
    max_sites: int | None = None,
    supply_unit: str = "units",
) -> RatioSitingResult:
    """Add candidate sites until every zone's 2SFCA supply per person meets ``target_per_person``.

    Parameters
    ----------
    catchment
        Demand × candidate (sparse or dense); true where the demand point is within the candidate's
        service distance.
    demand_population
        People of the target group per demand point (e.g. children aged 0–3 for childcare).
    demand_zone
        Zone label per demand point (community, street, ...); the target must hold in each zone.
    candidate_capacity
        Supply units per candidate (m² of shelter, childcare slots, ...).
    target_per_person
        Supply units per person to reach in every zone; "6 slots per 1,000 people" is 0.006.
    existing_catchment, existing_capacity
        Existing facilities (kept): demand × facility catchments and their capacities.
    candidate_cost
        Optional cost per candidate; the greedy then picks the most shortfall removed per unit cost.
    max_sites
        Stop after this many sites (default: no limit).
    supply_unit
        Unit name used in the sentence ("m²", "slots").

    Returns
    -------
    RatioSitingResult
    """
    t0 = time.perf_counter()
    a = as_cover_matrix(catchment)
    n_d, n_c = a.shape
    pop = _nonneg(demand_population, name="demand_population", n=n_d)
    cap = _nonneg(candidate_capacity, name="candidate_capacity", n=n_c)
    if not (target_per_person > 0) or not math.isfinite(target_per_person):
        msg = f"`target_per_person` must be a positive number of supply units per person; got {target_per_person!r}."
        raise SitingInputError(msg)
    zone_ids, zone_index = _zone_index(demand_zone, n_d)
    n_z = zone_ids.size
    zone_pop = np.bincount(zone_index, weights=pop, minlength=n_z)
    supply = np.zeros(n_z)
    if existing_catchment is not None:
        ea = as_cover_matrix(existing_catchment)
        if ea.shape[0] != n_d:
            msg = f"`existing_catchment` has {ea.shape[0]} rows; it needs one per demand point ({n_d})."
            raise SitingInputError(msg)
        ecap = _nonneg(existing_capacity, name="existing_capacity", n=ea.shape[1])
        supply = np.asarray(two_step_fca_zone_supply(ea, pop, ecap, zone_index, n_z).sum(axis=0)).ravel()
    cost = None if candidate_cost is None else _nonneg(candidate_cost, name="candidate_cost", n=n_c)
    contrib = two_step_fca_zone_supply(a, pop, cap, zone_index, n_z)  # candidate × zone, supply units
    c_indptr, c_zone, c_val = contrib.indptr, contrib.indices, contrib.data
    nonempty = np.diff(c_indptr) > 0
    starts = c_indptr[:-1][nonempty]
    need = target_per_person * zone_pop
    shortfall = np.maximum(0.0, need - supply)
    tol = 1e-9 * max(1.0, float(need.sum()))
    ratio_before = np.divide(supply, zone_pop, out=np.full(n_z, np.inf), where=zone_pop > 0)
    available = nonempty.copy()
    chosen: list[int] = []
    reduction: list[float] = []
    limit: float = math.inf if max_sites is None else int(max_sites)
    status = "met"
    while True:
        if shortfall.sum() <= tol:
            status = "met" if chosen else "already_met"
            break
        if len(chosen) >= limit:
            status = "site_limit"
            break
        gains = np.zeros(n_c)
        if c_val.size:
            gains[nonempty] = np.add.reduceat(np.minimum(c_val, shortfall[c_zone]), starts)
        gains[~available] = 0.0
        score = (
            gains
            if cost is None
            else np.divide(gains, cost, out=np.where(gains > 0, np.inf, 0.0), where=cost > 0)
        )
        j = int(np.argmax(score))
        if not gains[j] > tol:
            status = "unreachable"
            break
        row = slice(c_indptr[j], c_indptr[j + 1])
        supply[c_zone[row]] += c_val[row]
        shortfall = np.maximum(0.0, need - supply)
        available[j] = False
        chosen.append(j)
        reduction.append(float(gains[j]))
    ratio_after = np.divide(supply, zone_pop, out=np.full(n_z, np.inf), where=zone_pop > 0)
    return RatioSitingResult(
        chosen=np.asarray(chosen, dtype=np.int64),
        shortfall_reduction=np.asarray(reduction),
        zone_ids=zone_ids,
        zone_population=zone_pop,
        zone_ratio_before=ratio_before,
        zone_ratio_after=ratio_after,
        target_per_person=float(target_per_person),
        status=status,
        solve_time_s=time.perf_counter() - t0,
        supply_unit=supply_unit,
    )


def site_for_ratio_callback(
    zone_ratio: Callable[[np.ndarray], np.ndarray],
    zone_population: Any,
    n_candidate: int,
    *,
    target_per_person: float,
    max_sites: int | None = None,
    zone_ids: Any = None,
    supply_unit: str = "units",
) -> RatioSitingResult:
    """Greedy per-capita siting for any zone-ratio model, with lazy (CELF) evaluation of the callback.

    Parameters
    ----------
    zone_ratio
        ``zone_ratio(open_mask) -> ratio per zone``: supply per person in each zone when the candidates
        flagged in the boolean ``open_mask`` (length ``n_candidate``) are built; existing facilities are
        the callback's business (always included).
    zone_population
        People per zone (weights of the shortfall).
    n_candidate
        Number of candidates.
    target_per_person
        Supply units per person to reach in every zone.
    max_sites
        Stop after this many sites (default: no limit).
    zone_ids
        Zone labels for the result (default 0..n_zone-1).
    supply_unit
        Unit name used in the sentence.

    Returns
    -------
    RatioSitingResult

    Notes
    -----
    Maximises the same shortfall reduction as :func:`site_for_ratio`. CELF re-evaluates a candidate only
    when its stale gain is at the top of the queue; that is exact when shortfall reduction is submodular
    (true for plain 2SFCA, where this returns the same sites as :func:`site_for_ratio`) and a heuristic
    otherwise.
    """
    t0 = time.perf_counter()
    zone_pop = np.asarray(zone_population, dtype=np.float64)
    n_z = zone_pop.size
    if not (target_per_person > 0):
        msg = f"`target_per_person` must be a positive number of supply units per person; got {target_per_person!r}."
        raise SitingInputError(msg)

    def shortfall_of(mask: np.ndarray) -> tuple[float, np.ndarray]:
        ratio = np.asarray(zone_ratio(mask), dtype=np.float64)
        if ratio.shape != (n_z,):
            msg = f"`zone_ratio` must return one ratio per zone ({n_z}); it returned shape {ratio.shape}."
            raise SitingInputError(msg)
        return _total_shortfall(ratio, zone_pop, target_per_person), ratio

    mask = np.zeros(int(n_candidate), dtype=bool)
    current, ratio_before = shortfall_of(mask)
    tol = 1e-9 * max(1.0, float(target_per_person * zone_pop.sum()))
    # Max-heap of (-gain, candidate, step at which the gain was computed).
    heap: list[tuple[float, int, int]] = []
    for j in range(mask.size):
        mask[j] = True
        heap.append((-(current - shortfall_of(mask)[0]), j, 0))
        mask[j] = False
    heapq.heapify(heap)
    chosen: list[int] = []
    reduction: list[float] = []
    limit: float = math.inf if max_sites is None else int(max_sites)
    status = "already_met" if current <= tol else "met"
    while current > tol:
        if len(chosen) >= limit:
            status = "site_limit"
            break
        if not heap or -heap[0][0] <= tol:
            status = "unreachable"
            break
        neg_gain, j, step = heapq.heappop(heap)
        if step == len(chosen):  # fresh: the best candidate
            mask[j] = True
            chosen.append(j)
            reduction.append(-neg_gain)
            current = shortfall_of(mask)[0]
            continue
        mask[j] = True
        gain = current - shortfall_of(mask)[0]
        mask[j] = False
        heapq.heappush(heap, (-gain, j, len(chosen)))
    ratio_after = np.asarray(zone_ratio(mask), dtype=np.float64)
    return RatioSitingResult(
        chosen=np.asarray(chosen, dtype=np.int64),
        shortfall_reduction=np.asarray(reduction),
        zone_ids=np.arange(n_z) if zone_ids is None else np.asarray(zone_ids),
        zone_population=zone_pop,
        zone_ratio_before=ratio_before,
        zone_ratio_after=ratio_after,
        target_per_person=float(target_per_person),
        status=status,
        solve_time_s=time.perf_counter() - t0,
        supply_unit=supply_unit,
    )
