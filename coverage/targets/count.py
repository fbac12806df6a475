"""``count``: how many facilities of a type exist by the scenario year (or were built in the period)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..model.messages import Both, Message
from ..model.results import FAIL, PASS, Gap, TargetResult, UnitResult, fmt_number
from ..model.scenario import TargetSpec
from ..model.words import singular_en, words
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
        area = ctx.region.area(area_name, purpose=Message("err.for_target", tid=spec.id))
        fac = fac[facility_units(fac, area) >= 0]
        notes.append(Message("say.only_inside_count", what=Both(what_en, what_zh),
                             area=Both(*reversed(level_labels(area_name))), n=stock - len(fac)))
    start = spec.param("built_from")
    in_area = len(fac)
    if start is not None:
        fac = fac[built_in_period(fac, int(start), ctx.year)]
        ext = "extended_year" in fac.columns
        notes.append(Message("say.counted_built_or_extended" if ext else "say.counted_built",
                             what=Both(what_en, what_zh), start=int(start), end=ctx.year, stock=in_area,
                             older=in_area - len(fac)))
        if not ext:
            notes.append(Message("say.no_extension_column"))
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
                     summary_en=f"{n} {singular_en(what_en) if n == 1 else what_en} {when_en} (target {target}).",
                     summary_zh=f"{when_zh}{what_zh} {n} 处(目标 {target} 处)。",
                     region=ctx.region)
    res.units = results
    res.details = {"by_status": {k: int(v) for k, v in sorted(status_counts.items())}, "stock": in_area,
                   "counted": n}
    where = spec.param("where")
    res.assumptions.extend(notes)
    res.assumptions.append(Message("say.count_layer_where", layer=role, year=ctx.year,
                                   where=Both(describe_where(where), describe_where(where, "zh")))
                           if where else Message("say.count_layer", layer=role, year=ctx.year))
    if planned:
        res.assumptions.append(Message("say.count_planned", n=planned, year=ctx.year))
    if status == FAIL and spec.threshold_min is not None:
        need = math.ceil(spec.threshold_min - n)
        res.gap = Gap(quantity=float(need), unit_en=what_en, unit_zh="处",
                      text_en=f"{need} more {singular_en(what_en) if need == 1 else what_en} needed.", text_zh=f"还需建设{what_zh} {need} 处。")
    return res
