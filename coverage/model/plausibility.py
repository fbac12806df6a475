"""Plausibility bounds: a figure no real city has (107,489 slots per 1000 people) is a data warning, not a pass.

Bounds are per kind of capacity (slots, beds, floor or shelter area) for a ratio target's city-wide value
and for single facilities of a role. They are generous on purpose: they catch unit mix-ups (m² vs ha,
slots typed into the population column, a total row left in a list), not ambitious plans. A value outside
them changes no verdict; it is written beside it (``TargetResult.details["data_warnings"]``) and into the
report's data notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import CoverageError
from .messages import Message
from .readers import numbers_or_nan, rows_preview

__all__ = ["CAPACITY_BOUNDS", "CapacityBound", "bound_for", "check_result"]


@dataclass(frozen=True)
class CapacityBound:
    """Highest plausible values for one kind of capacity."""

    what: str
    #: City-wide ratio against the whole population, per ``per_people`` people.
    ratio_max: float
    per_people: float
    ratio_unit: str
    #: One facility.
    facility_max: float
    #: Words (lower case) that name a column of this kind.
    words: tuple[str, ...]


#: Sources: China's national figures and world extremes (beds ~7 per 1000 in China, ~13 in Japan/Korea;
#: childcare plans 4.5 slots per 1000; shelter plans 1.5–3 m² per person; the largest hospitals ~10,000 beds,
#: the largest kindergartens ~1,500 children). The bounds are several times those.
CAPACITY_BOUNDS: tuple[CapacityBound, ...] = (
    CapacityBound("childcare / nursery slots", 60.0, 1000.0, "slots per 1000 people", 2_000.0,
                  ("slot", "托位", "学位", "place")),
    CapacityBound("beds", 40.0, 1000.0, "beds per 1000 people", 15_000.0, ("bed", "床")),
    CapacityBound("area", 200.0, 1.0, "m² per person", 5_000_000.0, ("area", "m2", "面积")),
)
#: Against a population group (children, elderly) a ratio above one per person of the group is implausible.
GROUP_RATIO_MAX_PER_PERSON = 1.0


def bound_for(column: str) -> CapacityBound | None:
    """The bound for a capacity column by its name (``slots``, ``beds``, ``effective_area_m2`` ...), or None."""
    name = column.lower()
    for b in CAPACITY_BOUNDS:
        if any(w in name for w in b.words):
            return b
    return None


def _finite(x: Any) -> bool:
    return x is not None and bool(np.isfinite(float(x)))


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}"


def check_result(spec: Any, res: Any, region: Any) -> list[str]:
    """Data warnings for one evaluated target; added to ``res.details`` and ``region.notes``.

    Parameters
    ----------
    spec
        The ``TargetSpec``.
    res
        Its ``TargetResult`` (only ratio-like kinds with a capacity column are checked).
    region
        The ``Region`` (its facility layer is read from its cache).
    """
    column = spec.param("capacity")
    role = spec.param("layer")
    if not isinstance(column, str) or column == "count" or not isinstance(role, str):
        return []
    bound = bound_for(column)
    if bound is None:
        return []
    warnings: list[str] = []
    per = float(spec.param("per") or 1)  # the kind's typed default (ratio: 1000); 1 for kinds without one
    group = spec.param("population")
    if spec.kind == "ratio":
        values = [(float(res.value), "the city" if res.level == "city" else "the target")] if _finite(res.value) else []
        values += [(float(u.value), f"{u.level} {u.name} ({u.unit_id})") for u in res.units if _finite(u.value)]
        if values:
            value, where = max(values, key=lambda v: v[0])
            if group in (None, "total"):
                scaled = value * bound.per_people / per
                if scaled > bound.ratio_max:
                    warnings.append(
                        f"{_fmt(scaled)} {bound.ratio_unit} in {where} is implausible (real cities stay below "
                        f"{bound.ratio_max:,.0f}): check the {column!r} column of layer {role!r} (units, a total "
                        "row, a value typed in the wrong column) and the population layer.")
            elif value / per > GROUP_RATIO_MAX_PER_PERSON:
                warnings.append(
                    f"{_fmt(value / per)} {column} per person of {group} in {where} is implausible (more than one "
                    f"each): check the {column!r} column of layer {role!r} and the {group!r} population group.")
    try:
        fac = region.facilities(role, purpose=Message("err.for_plausibility", tid=spec.id))
    except CoverageError:
        fac = None
    if fac is not None and column in fac.columns:
        vals = numbers_or_nan(fac[column])  # per distinct value: no Python string per row
        high = np.flatnonzero(np.isfinite(vals) & (vals > bound.facility_max))
        if high.size:
            warnings.append(
                f"{high.size} {role} facilit{'y has' if high.size == 1 else 'ies have'} more than "
                f"{_fmt(bound.facility_max)} {column} each ({rows_preview(high)}, e.g. {_fmt(vals[high[0]])}): "
                "no single facility is that large; check for a total row or a unit mix-up.")
    if warnings:
        res.details["data_warnings"] = warnings
        region.notes.extend(f"WARNING: target {spec.id!r}: {w}" for w in warnings)
    return warnings
