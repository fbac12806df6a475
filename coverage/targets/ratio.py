"""``ratio``: capacity per N people in every unit of a level (slots per 1000, m² per person, ...)."""

from __future__ import annotations

import math

import numpy as np

from ..errors import MissingDataError
from ..model.readers import require_numeric
from ..model.results import FAIL, NO_DATA, PASS, Gap, TargetResult, UnitResult, fmt_number, fmt_value
from ..model.scenario import TargetSpec
from .base import (
    EvalContext,
    cell_index,
    describe_where,
    facility_units,
    level_labels,
    meets,
    new_result,
    population_group,
    units_for,
)
from .roles import spec_roles, unit_roles

CAPACITY_LABELS: dict[str, tuple[str, str]] = {
    "count": ("个设施", "facilities"),
    "slots": ("个托位", "slots"),
    "beds": ("张床位", "beds"),
    "nursing_beds": ("张护理型床位", "nursing beds"),
    "physicians": ("名执业(助理)医师", "physicians"),
    "nurses": ("名注册护士", "nurses"),
    "staff": ("名基层卫技人员", "primary-care health workers"),
    "gps": ("名全科医生", "general practitioners"),
    "area_m2": ("平方米体育场地面积", "m² of sports ground"),
    "floor_area_m2": ("平方米公共文化设施建筑面积", "m² of cultural floor area"),
    "effective_area_m2": ("平方米有效避难面积", "m² of effective shelter area"),
    "pitches": ("块足球场", "football pitches"),
    "childcare_slots": ("个托位", "childcare slots"),
    "pupils": ("名在园幼儿", "enrolled children"),
    "children_vaccinated": ("名接种儿童", "vaccinated children"),
}


def capacity_label(name: str) -> tuple[str, str]:
    """(zh, en) words for a capacity attribute."""
    return CAPACITY_LABELS.get(name, (name, name))


def _worst_finest_unit(ctx: EvalContext, spec: TargetSpec, counts: np.ndarray,
                       supplies: list[tuple[object, np.ndarray]], per: float) -> tuple[str, str, float] | None:
    """For a city-level target: (level, name, value) of the worst unit of the coarsest level with 2 units or more."""
    for level in ctx.region.levels:
        units = units_for(ctx, spec, level)
        if len(units) >= 2:
            break
    else:
        return None
    idx = cell_index(ctx, level, units)
    ok = idx >= 0
    pop = np.bincount(idx[ok], weights=counts[ok], minlength=len(units))
    supply = np.zeros(len(units))
    for fac, cap in supplies:
        fidx = facility_units(fac, units)
        inside = fidx >= 0
        supply += np.bincount(fidx[inside], weights=cap[inside], minlength=len(units))
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(pop > 0, supply / pop * per, np.nan)
    if not np.isfinite(value).any():
        return None
    j = int(np.nanargmin(value))
    return level, str(units["name"].iloc[j]), float(value[j])
def _supply_layers(spec: TargetSpec, ctx: EvalContext, cap_name: str, notes: list[str]):
    """The target's facility layer, then each of ``also_layers`` that the layer set has with the column.

    医疗卫生机构 (health institutions) are hospitals, primary care, maternal and child health ...: a target
    sums beds or staff over all of them. An extra layer that is absent, or lacks the column, is left out
    and the assumptions say so (the figure may then be low).
    """
    yield ctx.facilities(spec), spec.param("layer")
    for role in spec.param("also_layers") or []:
        if role not in ctx.region.spec.facilities:
            notes.append(f"Layer {role!r} is not in the layer set: its {capacity_label(cap_name)[1]} are not "
                         "counted, so the figure may be low.")
            continue
        fac = ctx.region.facilities_in_year(role, ctx.year, purpose=f"target {spec.id}")
        if cap_name != "count" and cap_name not in fac.columns:
            notes.append(f"Layer {role!r} has no {capacity_label(cap_name)[1]} column ({cap_name}): not counted, "
                         "so the figure may be low.")
            continue
        yield fac, role


def _unit_field(units, name: str, level: str, spec: TargetSpec) -> None:
    """A figure the units must carry (from a bureau list): missing is "no data", naming what to add."""
    if name not in units.columns:
        cols = ", ".join(str(c) for c in units.columns if c != "geometry")
        msg = (f"the {level} units have no column {name!r} (target {spec.id} reads it from the unit layer; its "
               f"columns are: {cols}). Add the figure per unit to the {level} layer, or map it with "
               f"`units: {{{level}: {{fields: {{{name}: YOUR_COLUMN}}}}}}` in the manifest.")
        raise MissingDataError(msg)


def evaluate(spec: TargetSpec, ctx: EvalContext) -> TargetResult:
    """Capacity per ``per`` people, for the city and every unit of ``level``.

    Passes when every checked unit meets the threshold (``judge: units``, the default) and the
    reported value is the worst unit's; with ``judge: city`` the city figure decides and the units
    are detail.
    """
    region = ctx.region
    level = spec.param("level")
    per = float(spec.param("per"))
    units = units_for(ctx, spec, level)
    n = len(units)
    cap_name = spec.param("capacity_field") or spec.param("capacity")
    cap_zh, cap_en = capacity_label(cap_name)
    pop_field = spec.param("population_field")
    for name in (pop_field, spec.param("capacity_field")):
        if name:
            _unit_field(units, name, level, spec)
    assumptions: list[str] = []
    counts = None
    supplies: list[tuple[object, np.ndarray]] = []  # (facilities, capacity) of each layer counted
    if pop_field:
        pop = require_numeric(units, pop_field, role=level, where=level, purpose=f"residents for {spec.id}")
        grp_zh, grp_en = "居民", "residents"
    else:
        counts, grp_zh, grp_en = population_group(ctx, spec)
        idx = cell_index(ctx, level, units)
        area_name = spec.param("area")
        if area_name:
            area = region.area(area_name, purpose=f"target {spec.id}")
            inside = region.cells_in(area) >= 0
            idx = np.where(inside, idx, -1)
            assumptions.append(f"Only people and facilities inside the {level_labels(area_name)[1]} layer count.")
        ok = idx >= 0
        pop = np.bincount(idx[ok], weights=counts[ok], minlength=n)
    if spec.param("capacity_field"):
        supply = require_numeric(units, cap_name, role=level, where=level, purpose=f"supply for {spec.id}")
    else:
        supply = np.zeros(n)
        outside = 0
        for fac, role in _supply_layers(spec, ctx, cap_name, assumptions):
            if spec.param("area"):
                area = region.area(spec.param("area"), purpose=f"target {spec.id}")
                fac = fac[facility_units(fac, area) >= 0]
            if cap_name == "count":
                cap = np.ones(len(fac))
            else:
                src = region.spec.facilities[role]
                cap = require_numeric(fac, cap_name, role=role, where=src.where(),
                                      purpose=f"{cap_en} for target {spec.id}")
            fidx = facility_units(fac, units)
            inside = fidx >= 0
            supply += np.bincount(fidx[inside], weights=cap[inside], minlength=n)
            outside += int((~inside).sum())
            supplies.append((fac, cap))
        if outside:
            assumptions.append(f"{outside} facilities outside every {level_labels(level)[1]} unit are not counted.")
        filt = describe_where(spec.param("where"))
        supply_roles = [spec.param("layer"), *(spec.param("also_layers") or [])]
        assumptions.append(f"Supply: {cap_en} of {', '.join(repr(r) for r in supply_roles)}"
                           + (f" where {filt}" if filt else "") + f", existing in {ctx.year}.")
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(pop > 0, supply / pop * per, np.nan)
    unit_en = f"{cap_en} per {per:g} {grp_en}" if per != 1 else f"{cap_en} per person"
    unit_zh = f"{cap_zh}/{per:g}{grp_zh}" if per != 1 else f"{cap_zh}/人"
    unit_en, unit_zh = spec.unit_en or unit_en, spec.unit_zh or unit_zh
    classes = spec.param("classes")
    wanted = spec_roles(spec)
    roles = unit_roles(units) if wanted is not None else None
    by_city = spec.param("judge") == "city"
    results: list[UnitResult] = []
    failing: list[UnitResult] = []
    lvl_zh, lvl_en = level_labels(level, classes)
    for i in range(n):
        row = units.iloc[i]
        if classes and row["class"] not in classes:
            continue
        if roles is not None and wanted is not None and roles[i] not in wanted:
            continue
        v = None if math.isnan(value[i]) else float(value[i])
        need = 0.0
        if spec.threshold_min is not None and pop[i] > 0:
            need = max(0.0, math.ceil(spec.threshold_min * pop[i] / per - supply[i] - 1e-9))
        # a unit with no residents is not judged (no residents, not "pass")
        status = NO_DATA if v is None and pop[i] == 0 else PASS if meets(v, spec) else FAIL
        u = UnitResult(level=level, unit_id=str(row["unit_id"]), name=str(row["name"]), unit_class=str(row["class"]),
                       parent_id=str(row.get("parent_id", "")), value=v, status=status, threshold=spec.threshold_min,
                       gap=need, population=float(pop[i]), supply=float(supply[i]))
        results.append(u)
        if status == FAIL:
            failing.append(u)
    checked = [u for u in results if u.value is not None]
    empty = [u.name for u in results if u.status == NO_DATA and not u.population]
    if empty:
        assumptions.append(f"No residents, not judged: {', '.join(empty[:10])}" + (" …" if len(empty) > 10 else "")
                           + ".")
    total_pop, total_supply = float(np.sum(pop)), float(np.sum(supply))
    city_value = total_supply / total_pop * per if total_pop > 0 else None
    if not checked:
        res = new_result(spec, status="no_data", value=None, level=level, unit_en=unit_en, unit_zh=unit_zh,
                         summary_en="No population in the checked units.", summary_zh="所查单元内无人口数据。",
                         region=region)
        res.units = results
        return res
    worst = min(checked, key=lambda u: u.value if u.value is not None else math.inf)  # checked: all have a value
    status = FAIL if failing else PASS
    gap_total = float(sum(u.gap for u in failing))
    if level == "city" or n == 1:
        summary_en = f"{fmt_value(worst.value, unit_en)} (target {fmt_value(spec.threshold_min, unit_en if unit_en == '%' else '')})."
        summary_zh = f"{fmt_value(worst.value, unit_zh)}(目标 {fmt_value(spec.threshold_min, unit_zh)})。"
        beside = (_worst_finest_unit(ctx, spec, counts, supplies, per) if level == "city" and counts is not None
                  and supplies and not spec.param("area") else None)
        if beside is not None:  # the plan's level is the headline; the worst unit beside it
            b_zh, b_en = level_labels(beside[0])
            summary_en = summary_en[:-1] + f"; worst {b_en} unit {beside[1]} {fmt_number(beside[2])}."
            summary_zh = summary_zh[:-1] + f";最低{b_zh} {beside[1]} {fmt_number(beside[2])}。"
    else:
        summary_en = (f"{len(failing)} of {len(checked)} {lvl_en} units below target; worst {worst.name} "
                      f"{fmt_value(worst.value, unit_en)}; whole area {fmt_value(city_value, unit_en)}.")
        summary_zh = (f"{len(checked)} 个{lvl_zh}中 {len(failing)} 个未达标;最低 {worst.name} {fmt_number(worst.value)};"
                      f"全域 {fmt_number(city_value)} {unit_zh}。")
    res = new_result(spec, status=status, value=worst.value, level=level, unit_en=unit_en, unit_zh=unit_zh,
                     summary_en=summary_en, summary_zh=summary_zh, region=region)
    res.units = results
    res.assumptions.extend(assumptions)
    res.details = {"city_value": city_value, "population": total_pop, "supply": total_supply,
                   "units_failing": len(failing), "units_checked": len(checked)}
    if by_city and level != "city":
        return _judge_city(res, spec, city_value=city_value, total_pop=total_pop, total_supply=total_supply,
                           per=per, worst=worst, failing=failing, checked=checked, level=level,
                           cap=(cap_zh, cap_en), unit=(unit_zh, unit_en))
    if failing:
        top = sorted(failing, key=lambda u: -u.gap)[:5]
        en = "; ".join(f"{u.name} needs {fmt_number(u.gap)} more {cap_en}" for u in top)
        zh = ";".join(f"{u.name} 需新增 {fmt_number(u.gap)} {cap_zh}" for u in top)
        more = len(failing) - len(top)
        res.gap = Gap(quantity=gap_total, unit_en=cap_en, unit_zh=cap_zh,
                      text_en=en + (f"; and {more} more units" if more > 0 else "")
                      + f" (total {fmt_number(gap_total)} {cap_en}).",
                      text_zh=zh + (f";另有 {more} 个单元" if more > 0 else "") + f"(合计 {fmt_number(gap_total)} {cap_zh})。")
    return res


def _judge_city(res: TargetResult, spec: TargetSpec, *, city_value: float | None, total_pop: float,
                total_supply: float, per: float, worst: UnitResult, failing: list[UnitResult],
                checked: list[UnitResult], level: str, cap: tuple[str, str], unit: tuple[str, str]) -> TargetResult:
    """A city figure (每万人…, a plan indicator): the city value decides; the units are shown as detail."""
    cap_zh, cap_en = cap
    unit_zh, unit_en = unit
    lvl_zh, lvl_en = level_labels(level)
    res.value = city_value
    res.status = PASS if meets(city_value, spec) else FAIL
    res.summary_en = (f"City figure {fmt_value(city_value, unit_en)} (target {fmt_value(spec.threshold_min, '')}); "
                      f"detail: {len(failing)} of {len(checked)} {lvl_en} units below it, lowest {worst.name} "
                      f"{fmt_number(worst.value)}.")
    res.summary_zh = (f"全市 {fmt_number(city_value)} {unit_zh}(目标 {fmt_number(spec.threshold_min)});"
                      f"分区明细:{len(checked)} 个{lvl_zh}中 {len(failing)} 个低于该值,最低 {worst.name} "
                      f"{fmt_number(worst.value)}。")
    res.assumptions.append(f"The plan's figure is a city-wide indicator: the city value decides; the {lvl_en} "
                           "values are detail, not a requirement on each unit.")
    res.gap = None
    if res.status == FAIL and spec.threshold_min is not None:
        need = max(0.0, math.ceil(spec.threshold_min * total_pop / per - total_supply - 1e-9))
        res.gap = Gap(quantity=need, unit_en=cap_en, unit_zh=cap_zh,
                      text_en=f"The city needs {fmt_number(need)} more {cap_en} to reach the target.",
                      text_zh=f"全市还需新增 {fmt_number(need)} {cap_zh}才能达标。")
    return res
