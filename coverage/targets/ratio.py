"""``ratio``: capacity per N people in every unit of a level (slots per 1000, m² per person, ...)."""

from __future__ import annotations

import math

import numpy as np

from ..errors import MissingDataError, message
from ..model.messages import Both, Code, Message
from ..model.readers import require_numeric
from ..model.results import FAIL, NO_DATA, PASS, Gap, TargetResult, UnitResult, fmt_number, fmt_value
from ..model.scenario import TargetSpec
from ..model.words import capacity_words, singular_en
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
from .equity import per_unit_sum
from .roles import spec_roles, unit_roles


def capacity_label(name: str, *, measure: bool = True) -> tuple[str, str]:
    """(zh, en) words for a capacity attribute (the vocabulary of :mod:`coverage_planner.model.words`)."""
    return capacity_words(name, measure=measure)


def _worst_finest_unit(ctx: EvalContext, spec: TargetSpec, counts: np.ndarray,
                       supplies: list[tuple[object, np.ndarray]], per: float) -> tuple[str, str, float] | None:
    """For a city-level target: (level, name, value) of the worst unit of the coarsest level with 2 units or more."""
    for level in ctx.region.levels:
        units = units_for(ctx, spec, level)
        if len(units) >= 2:
            break
    else:
        return None
    pop = per_unit_sum(cell_index(ctx, level, units), counts, len(units))
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
            notes.append(Message("say.layer_missing", layer=role, cap=Both(*reversed(capacity_words(cap_name, measure=False)))))
            continue
        fac = ctx.region.facilities_in_year(role, ctx.year, purpose=Message("err.for_target", tid=spec.id))
        if cap_name != "count" and cap_name not in fac.columns:
            notes.append(Message("say.layer_no_column", layer=role, column=cap_name,
                                 cap=Both(*reversed(capacity_words(cap_name, measure=False)))))
            continue
        yield fac, role


def _unit_field(units, name: str, level: str, spec: TargetSpec) -> None:
    """A figure the units must carry (from a bureau list): missing is "no data", naming what to add."""
    if name not in units.columns:
        cols = ", ".join(str(c) for c in units.columns if c != "geometry")
        mapping = f"units: {{{level}: {{fields: {{{name}: YOUR_COLUMN}}}}}}"
        raise MissingDataError(message("err.units_no_column", level=Both(level, Code(level).text("zh")), column=name, tid=spec.id, columns=cols,
                                       mapping=mapping))


def _population(spec: TargetSpec, ctx: EvalContext, units, level: str,
                notes: list[str]) -> tuple[np.ndarray, np.ndarray | None, tuple[str, str]]:
    """People per unit, the population per cell (None when the units carry residents) and (zh, en) group words."""
    if spec.param("population_field"):
        pop = require_numeric(units, spec.param("population_field"), role=level, where=level,
                              purpose=Message("err.for_residents", tid=spec.id))
        return pop, None, ("居民", "residents")
    counts, grp_zh, grp_en = population_group(ctx, spec)
    idx = cell_index(ctx, level, units)
    area_name = spec.param("area")
    if area_name:
        area = ctx.region.area(area_name, purpose=Message("err.for_target", tid=spec.id))
        idx = np.where(ctx.region.cells_in(area) >= 0, idx, -1)
        notes.append(Message("say.only_inside_ratio", area=Both(*reversed(level_labels(area_name)))))
    return per_unit_sum(idx, counts, len(units)), counts, (grp_zh, grp_en)


def _supply(spec: TargetSpec, ctx: EvalContext, units, level: str, cap_name: str,
            notes: list[str]) -> tuple[np.ndarray, list[tuple[object, np.ndarray]]]:
    """Capacity per unit and the (facilities, capacity) of each layer counted (none when the units carry it)."""
    region, n = ctx.region, len(units)
    if spec.param("capacity_field"):
        return require_numeric(units, cap_name, role=level, where=level, purpose=Message("err.for_supply", tid=spec.id)), []
    cap_words = Both(*reversed(capacity_words(cap_name, measure=False)))
    supply = np.zeros(n)
    outside = 0
    supplies: list[tuple[object, np.ndarray]] = []
    for fac, role in _supply_layers(spec, ctx, cap_name, notes):
        if spec.param("area"):
            area = region.area(spec.param("area"), purpose=Message("err.for_target", tid=spec.id))
            fac = fac[facility_units(fac, area) >= 0]
        if cap_name == "count":
            cap = np.ones(len(fac))
        else:
            cap = require_numeric(fac, cap_name, role=role, where=region.spec.facilities[role].where(),
                                  purpose=Message("err.for_what", what=cap_words, tid=spec.id))
        fidx = facility_units(fac, units)
        inside = fidx >= 0
        supply += np.bincount(fidx[inside], weights=cap[inside], minlength=n)
        outside += int((~inside).sum())
        supplies.append((fac, cap))
    if outside:
        notes.append(Message("say.facilities_outside", n=outside, level=Both(*reversed(level_labels(level)))))
    where = spec.param("where")
    layers = ", ".join(repr(r) for r in [spec.param("layer"), *(spec.param("also_layers") or [])])
    notes.append(Message("say.supply_where", cap=cap_words, layers=layers, year=ctx.year,
                         where=Both(describe_where(where), describe_where(where, "zh")))
                 if where else Message("say.supply", cap=cap_words, layers=layers, year=ctx.year))
    return supply, supplies


def _unit_results(spec: TargetSpec, units, level: str, *, value: np.ndarray, pop: np.ndarray,
                  supply: np.ndarray, per: float) -> list[UnitResult]:
    """One result per checked unit (its classes and roles); a unit with no residents is not judged."""
    classes = spec.param("classes")
    wanted = spec_roles(spec)
    roles = unit_roles(units) if wanted is not None else None
    results: list[UnitResult] = []
    for i in range(len(units)):
        row = units.iloc[i]
        if (classes and row["class"] not in classes) or (roles is not None and wanted is not None
                                                          and roles[i] not in wanted):
            continue
        v = None if math.isnan(value[i]) else float(value[i])
        need = 0.0
        if spec.threshold_min is not None and pop[i] > 0:
            need = max(0.0, math.ceil(spec.threshold_min * pop[i] / per - supply[i] - 1e-9))
        status = NO_DATA if v is None and pop[i] == 0 else PASS if meets(v, spec) else FAIL
        results.append(UnitResult(level=level, unit_id=str(row["unit_id"]), name=str(row["name"]),
                                  unit_class=str(row["class"]), parent_id=str(row.get("parent_id", "")), value=v,
                                  status=status, threshold=spec.threshold_min, gap=need, population=float(pop[i]),
                                  supply=float(supply[i])))
    return results


def _value_of(u: UnitResult) -> float:
    """A checked unit's value (checked units have one), for ``min``."""
    return float(u.value) if u.value is not None else math.inf


def _units_words(spec: TargetSpec, *, cap: tuple[str, str], group: tuple[str, str], per: float) -> tuple[str, str]:
    """(zh, en) unit of the figure ('个托位/1000居民', 'slots per 1000 residents'), the scenario's own first."""
    (cap_zh, cap_en), (grp_zh, grp_en) = cap, group
    unit_en = f"{cap_en} per {per:g} {grp_en}" if per != 1 else f"{cap_en} per person"
    unit_zh = f"{cap_zh}/{per:g}{grp_zh}" if per != 1 else f"{cap_zh}/人"
    return spec.unit_zh or unit_zh, spec.unit_en or unit_en


def _summaries(spec: TargetSpec, *, level: str, one_unit: bool, worst: UnitResult, failing_of: tuple[int, int],
               city_value: float | None, unit: tuple[str, str],
               beside: tuple[str, str, float] | None) -> tuple[str, str]:
    """(en, zh) summary: the worst unit's figure (with the worst finer unit beside a city figure), or the count."""
    unit_zh, unit_en = unit
    failing, checked = failing_of
    if one_unit:
        summary_en = f"{fmt_value(worst.value, unit_en)} (target {fmt_value(spec.threshold_min, unit_en if unit_en == '%' else '')})."
        summary_zh = f"{fmt_value(worst.value, unit_zh)}(目标 {fmt_value(spec.threshold_min, unit_zh)})。"
        if beside is not None:  # the plan's level is the headline; the worst unit beside it
            b_zh, b_en = level_labels(beside[0])
            summary_en = summary_en[:-1] + f"; worst {b_en} unit {beside[1]} {fmt_number(beside[2])}."
            summary_zh = summary_zh[:-1] + f";最低{b_zh} {beside[1]} {fmt_number(beside[2])}。"
        return summary_en, summary_zh
    lvl_zh, lvl_en = level_labels(level, spec.param("classes"))
    return ((f"{failing} of {checked} {lvl_en} units below target; worst {worst.name} "
             f"{fmt_value(worst.value, unit_en)}; whole area {fmt_value(city_value, unit_en)}."),
            (f"{checked} 个{lvl_zh}中 {failing} 个未达标;最低 {worst.name} {fmt_number(worst.value)};"
             f"全域 {fmt_number(city_value)} {unit_zh}。"))


def _more(x: float, noun: str) -> str:
    """'1 more childcare slot', '3 more childcare slots'."""
    number = fmt_number(x)
    return f"{number} more {singular_en(noun) if number == '1' else noun}"


def _units_gap(failing: list[UnitResult], cap: tuple[str, str]) -> Gap:
    """The five largest unit gaps in words, and the total."""
    cap_zh, cap_en = cap
    gap_total = float(sum(u.gap for u in failing))
    top = sorted(failing, key=lambda u: -u.gap)[:5]
    en = "; ".join(f"{u.name} needs {_more(u.gap, cap_en)}" for u in top)
    zh = ";".join(f"{u.name} 需新增 {fmt_number(u.gap)} {cap_zh}" for u in top)
    more = len(failing) - len(top)
    return Gap(quantity=gap_total, unit_en=cap_en, unit_zh=cap_zh,
               text_en=en + (f"; and {_more(more, 'units')}" if more > 0 else "") + f" (total {fmt_value(gap_total, cap_en)}).",
               text_zh=zh + (f";另有 {more} 个单元" if more > 0 else "") + f"(合计 {fmt_number(gap_total)} {cap_zh})。")


def evaluate(spec: TargetSpec, ctx: EvalContext) -> TargetResult:
    """Capacity per ``per`` people, for the city and every unit of ``level``.

    Passes when every checked unit meets the threshold (``judge: units``, the default) and the
    reported value is the worst unit's; with ``judge: city`` the city figure decides and the units
    are detail.
    """
    level = spec.param("level")
    per = float(spec.param("per"))
    units = units_for(ctx, spec, level)
    cap_name = spec.param("capacity_field") or spec.param("capacity")
    cap = capacity_words(cap_name)
    for name in (spec.param("population_field"), spec.param("capacity_field")):
        if name:
            _unit_field(units, name, level, spec)
    assumptions: list[str] = []
    pop, counts, group = _population(spec, ctx, units, level, assumptions)
    supply, supplies = _supply(spec, ctx, units, level, cap_name, assumptions)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(pop > 0, supply / pop * per, np.nan)
    unit_zh, unit_en = _units_words(spec, cap=cap, group=group, per=per)
    results = _unit_results(spec, units, level, value=value, pop=pop, supply=supply, per=per)
    failing = [u for u in results if u.status == FAIL]
    checked = [u for u in results if u.value is not None]
    empty = [u.name for u in results if u.status == NO_DATA and not u.population]
    if empty:
        assumptions.append(Message("say.no_residents", names=", ".join(empty[:10]) + (" …" if len(empty) > 10 else "")))
    total_pop, total_supply = float(np.sum(pop)), float(np.sum(supply))
    city_value = total_supply / total_pop * per if total_pop > 0 else None
    if not checked:
        res = new_result(spec, status="no_data", value=None, level=level, unit_en=unit_en, unit_zh=unit_zh,
                         summary_en="No population in the checked units.", summary_zh="所查单元内无人口数据。",
                         region=ctx.region)
        res.units = results
        return res
    worst = min(checked, key=_value_of)
    beside = (_worst_finest_unit(ctx, spec, counts, supplies, per) if level == "city" and counts is not None
              and supplies and not spec.param("area") else None)
    summary_en, summary_zh = _summaries(spec, level=level, one_unit=level == "city" or len(units) == 1, worst=worst,
                                        failing_of=(len(failing), len(checked)), city_value=city_value,
                                        unit=(unit_zh, unit_en), beside=beside)
    res = new_result(spec, status=FAIL if failing else PASS, value=worst.value, level=level, unit_en=unit_en,
                     unit_zh=unit_zh, summary_en=summary_en, summary_zh=summary_zh, region=ctx.region)
    res.units = results
    res.assumptions.extend(assumptions)
    res.details = {"city_value": city_value, "population": total_pop, "supply": total_supply,
                   "units_failing": len(failing), "units_checked": len(checked)}
    if spec.param("judge") == "city" and level != "city":
        return _judge_city(res, spec, per=per, failing=failing, checked=checked, level=level, cap=cap,
                           unit=(unit_zh, unit_en))
    if failing:
        res.gap = _units_gap(failing, cap)
    return res


def _judge_city(res: TargetResult, spec: TargetSpec, *, per: float, failing: list[UnitResult],
                checked: list[UnitResult], level: str, cap: tuple[str, str], unit: tuple[str, str]) -> TargetResult:
    """A city figure (每万人…, a plan indicator): the city value decides; the units are shown as detail.

    ``res.details`` carries the city figure, population and supply (``city_value``, ``population``, ``supply``).
    """
    city_value, total_pop, total_supply = res.details["city_value"], res.details["population"], res.details["supply"]
    worst = min(checked, key=_value_of)
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
    res.assumptions.append(Message("say.city_indicator", level=Both(lvl_en, lvl_zh)))
    res.gap = None
    if res.status == FAIL and spec.threshold_min is not None:
        need = max(0.0, math.ceil(spec.threshold_min * total_pop / per - total_supply - 1e-9))
        res.gap = Gap(quantity=need, unit_en=cap_en, unit_zh=cap_zh,
                      text_en=f"The city needs {_more(need, cap_en)} to reach the target.",
                      text_zh=f"全市还需新增 {fmt_number(need)} {cap_zh}才能达标。")
    return res
