"""``count``: how many facilities of a type exist by the scenario year."""

from __future__ import annotations

import math

import numpy as np

from ..model.results import FAIL, PASS, Gap, TargetResult, UnitResult, fmt_number
from ..model.scenario import TargetSpec
from ..model.words import words
from .base import EvalContext, describe_where, facility_units, meets, new_result, units_for


def evaluate(spec: TargetSpec, ctx: EvalContext) -> TargetResult:
    """Count the target's facilities (opened by the scenario year, not closed), with a breakdown."""
    fac = ctx.facilities(spec)
    n = len(fac)
    level = spec.param("level", "district")
    units = units_for(ctx, spec, level)
    fidx = facility_units(fac, units)
    counts = np.bincount(fidx[fidx >= 0], minlength=len(units))
    results = [UnitResult(level=level, unit_id=str(units.iloc[i]["unit_id"]), name=str(units.iloc[i]["name"]),
                          unit_class=str(units.iloc[i]["class"]), parent_id=str(units.iloc[i].get("parent_id", "")),
                          value=float(counts[i]), status="info", supply=float(counts[i]))
               for i in range(len(units)) if counts[i] > 0]
    status = PASS if meets(float(n), spec) else FAIL
    role = spec.param("layer")
    status_counts = fac["status"].value_counts().to_dict()
    planned = int(status_counts.get("planned", 0) + status_counts.get("under_construction", 0))
    res = new_result(spec, status=status, value=float(n), level="city", unit_en="facilities", unit_zh="处",
                     summary_en=f"{n} {words(role)} facilities by {ctx.year} (target {fmt_number(spec.threshold_min)}).",
                     summary_zh=f"截至 {ctx.year} 年共 {n} 处(目标 {fmt_number(spec.threshold_min)} 处)。",
                     region=ctx.region)
    res.units = results
    res.details = {"by_status": {k: int(v) for k, v in sorted(status_counts.items())}}
    filt = describe_where(spec.param("where"))
    res.assumptions.append(f"Counted: layer {role!r}" + (f" where {filt}" if filt else "")
                           + f", open_year ≤ {ctx.year}, status not closed.")
    if planned:
        res.assumptions.append(f"{planned} of them are still marked planned/under construction with an opening year "
                               f"≤ {ctx.year}: verify they opened.")
    if status == FAIL and spec.threshold_min is not None:
        need = math.ceil(spec.threshold_min - n)
        res.gap = Gap(quantity=float(need), unit_en="facilities", unit_zh="处",
                      text_en=f"{need} more {words(role)} {'facility' if need == 1 else 'facilities'} needed.", text_zh=f"还需建设 {need} 处。")
    return res
