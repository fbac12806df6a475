"""``count``: how many facilities of a type exist by the scenario year (or were built in the period)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..model.results import FAIL, PASS, Gap, TargetResult, UnitResult, fmt_number
from ..model.scenario import TargetSpec
from ..model.words import words
from .base import EvalContext, describe_where, facility_units, level_labels, meets, new_result, units_for


def _year_column(fac: pd.DataFrame, name: str) -> np.ndarray:
    """A year column as floats (absent or blank = never)."""
    if name not in fac.columns:
        return np.full(len(fac), np.nan)
    return pd.to_numeric(fac[name], errors="coerce").to_numpy(dtype=float)


def built_in_period(fac: pd.DataFrame, start: int, end: int) -> np.ndarray:
    """Facilities opened (``open_year``) or extended (``extended_year``) from ``start`` to ``end``."""
    opened, extended = _year_column(fac, "open_year"), _year_column(fac, "extended_year")
    return ((opened >= start) & (opened <= end)) | ((extended >= start) & (extended <= end))


def evaluate(spec: TargetSpec, ctx: EvalContext) -> TargetResult:
    """Count the target's facilities (opened by the scenario year, not closed), with a breakdown.

    With ``built_from: YEAR`` only facilities opened or extended from that year to the scenario year
    count (the plan's 建设/新建/改扩建 in the period); the stock is given beside it.
    """
    fac = ctx.facilities(spec)
    stock = len(fac)
    label = spec.param("facility_label") or {}
    role_words = words(spec.param("layer"))
    what_en = label.get("en") or (role_words if role_words.endswith(("facility", "facilities")) else f"{role_words} facilities")
    what_zh = label.get("zh") or words(spec.param("layer"), "zh")
    notes: list[str] = []
    area_name = spec.param("area")
    if area_name:
        area = ctx.region.area(area_name, purpose=f"target {spec.id}")
        fac = fac[facility_units(fac, area) >= 0]
        notes.append(f"Only {what_en} inside the {level_labels(area_name)[1]} layer count "
                     f"({stock - len(fac)} outside it are left out).")
    start = spec.param("built_from")
    in_area = len(fac)
    if start is not None:
        fac = fac[built_in_period(fac, int(start), ctx.year)]
        ext = "extended_year" in fac.columns
        notes.append(f"Counted: {what_en} opened" + (" or extended" if ext else "") + f" in {int(start)}–{ctx.year} "
                     f"(the plan period); {in_area} exist in all, {in_area - len(fac)} of them older."
                     + ("" if ext else " The layer records no extensions (no extended_year column), so extended "
                                       "facilities are not counted."))
    n = len(fac)
    level = spec.param("level")
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
    when_en = f"built or extended {int(start)}–{ctx.year}" if start is not None else f"by {ctx.year}"
    when_zh = f"{int(start)}—{ctx.year} 年新建或改扩建" if start is not None else f"截至 {ctx.year} 年共有"
    target = fmt_number(spec.threshold_min) if spec.threshold_min is not None else "—"
    res = new_result(spec, status=status, value=float(n), level="city", unit_en=what_en, unit_zh="处",
                     summary_en=f"{n} {what_en} {when_en} (target {target}).",
                     summary_zh=f"{when_zh}{what_zh} {n} 处(目标 {target} 处)。",
                     region=ctx.region)
    res.units = results
    res.details = {"by_status": {k: int(v) for k, v in sorted(status_counts.items())}, "stock": in_area,
                   "counted": n}
    filt = describe_where(spec.param("where"))
    res.assumptions.extend(notes)
    res.assumptions.append(f"Layer {role!r}" + (f" where {filt}" if filt else "")
                           + f": opened by {ctx.year} and not closed.")
    if planned:
        res.assumptions.append(f"{planned} of them are still marked planned/under construction with an opening year "
                               f"≤ {ctx.year}: verify they opened.")
    if status == FAIL and spec.threshold_min is not None:
        need = math.ceil(spec.threshold_min - n)
        res.gap = Gap(quantity=float(need), unit_en=what_en, unit_zh="处",
                      text_en=f"{need} more {what_en} needed.", text_zh=f"还需建设{what_zh} {need} 处。")
    return res
