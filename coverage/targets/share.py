"""``share``: one attribute's share of another over a facility layer (普惠 slots / all slots, ...)."""

from __future__ import annotations

import math

import numpy as np

from ..model.messages import Both, Code, Message
from ..model.readers import require_numeric
from ..model.results import FAIL, PASS, Gap, TargetResult, UnitResult, fmt_number
from ..model.scenario import TargetSpec
from .base import (
    EvalContext,
    apply_where,
    describe_where,
    facility_units,
    level_labels,
    meets,
    new_result,
    units_for,
)
from .ratio import capacity_label


def _values(fac, name: str, spec: TargetSpec, ctx: EvalContext) -> np.ndarray:
    if name == "count":
        return np.ones(len(fac))
    role = spec.param("layer")
    return require_numeric(fac, name, role=role, where=ctx.region.spec.facilities[role].where(),
                           purpose=Message("err.for_target", tid=spec.id))


def evaluate(spec: TargetSpec, ctx: EvalContext) -> TargetResult:
    """Σ numerator / Σ denominator over the layer, overall and per unit of ``level``."""
    fac = ctx.facilities(spec)
    num_name = spec.param("numerator")
    den_name = spec.param("denominator", num_name)
    num = _values(fac, num_name, spec, ctx)
    den = _values(fac, den_name, spec, ctx)
    nw = spec.param("numerator_where")
    if nw:
        num = np.where(apply_where(fac, nw, role=spec.param("layer"), purpose=Message("err.for_target", tid=spec.id), region=ctx.region),
                       num, 0.0)
    level = spec.param("level")
    units = units_for(ctx, spec, level)
    fidx = facility_units(fac, units)
    ok = fidx >= 0
    u_num = np.bincount(fidx[ok], weights=num[ok], minlength=len(units))
    u_den = np.bincount(fidx[ok], weights=den[ok], minlength=len(units))
    total_num, total_den = float(num.sum()), float(den.sum())
    value = total_num / total_den if total_den > 0 else None
    cap_zh, cap_en = capacity_label(den_name)
    part = describe_where(nw) or capacity_label(num_name)[1]
    part_zh = describe_where(nw, "zh") or capacity_label(num_name)[0]
    results = []
    for i in range(len(units)):
        if u_den[i] <= 0:
            continue
        row = units.iloc[i]
        v = float(u_num[i] / u_den[i])
        results.append(UnitResult(level=level, unit_id=str(row["unit_id"]), name=str(row["name"]),
                                  unit_class=str(row["class"]), parent_id=str(row.get("parent_id", "")), value=v,
                                  status=PASS if meets(v, spec) else FAIL, threshold=spec.threshold_min,
                                  supply=float(u_den[i])))
    lvl_zh, lvl_en = level_labels(level)
    if value is None:
        return new_result(spec, status="no_data", value=None, level="city", unit_en="%", unit_zh="%",
                          summary_en=f"Layer {spec.param('layer')!r} has no {cap_en} in {ctx.year}.",
                          summary_zh=f"{ctx.year} 年无{cap_zh}数据。", region=ctx.region)
    status = PASS if meets(value, spec) else FAIL
    res = new_result(spec, status=status, value=value, level="city", unit_en="%", unit_zh="%",
                     summary_en=f"{value * 100:.1f} % of {fmt_number(total_den)} {cap_en} are {part}.",
                     summary_zh=f"{fmt_number(total_den)} {cap_zh}中 {part_zh} 占 {value * 100:.1f}%。", region=ctx.region)
    res.units = results
    res.details = {"numerator": total_num, "denominator": total_den, "breakdown_level": level}
    terms = {"num": Code(num_name), "den": Code(den_name), "layer": spec.param("layer"), "year": ctx.year}
    res.assumptions.append(Message("say.share_formula_where", **terms,
                                   where=Both(describe_where(nw), describe_where(nw, "zh")))
                           if nw else Message("say.share_formula", **terms))
    if status == FAIL and spec.threshold_min is not None:
        need = math.ceil(spec.threshold_min * total_den - total_num - 1e-9)
        res.gap = Gap(quantity=float(need), unit_en=cap_en, unit_zh=cap_zh,
                      text_en=f"{fmt_number(float(need))} more {cap_en} must become {part} (at today's total) to reach "
                              f"{spec.threshold_min * 100:.0f} %; {sum(u.status == FAIL for u in results)} {lvl_en} units are below.",
                      text_zh=f"需再有 {fmt_number(float(need))} {cap_zh}成为{part_zh}才能达到 {spec.threshold_min * 100:.0f}%;"
                              f"{sum(u.status == FAIL for u in results)} 个{lvl_zh}低于目标。")
    return res
