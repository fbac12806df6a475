"""Progress across scenario years: per target and per unit, the value of each year against that year's target.

Pure: results per year in, series out. The pace is a straight line (least squares) through the years
before the final year, projected to the final year and set against the final year's target; the
sentences say so in words (English and Chinese). :func:`build_progress` is pure; :func:`progress` is the
study: it checks the years and builds the series.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import ScenarioError
from ..model.messages import Message
from ..model.results import TargetResult, UnitResult, fmt_value
from ..targets.baseline import BaselineCheck, check_baseline

if TYPE_CHECKING:
    import os

    from .check import CheckRun

__all__ = ["NOT_SET", "Pace", "TargetSeries", "UnitSeries", "YearPoint", "build_progress", "line_fit", "pace_of", "target_text", "Progress", "progress"]

#: A slope smaller than this share of the values' size per year is "flat".
FLAT_SHARE_PER_YEAR = 1e-3
#: Status of a year in which the target is not set (its value measured with a later year's definition).
NOT_SET = "not_set"


@dataclass(frozen=True)
class YearPoint:
    """One year's value and target (``value`` None when the year had no data)."""

    year: int
    value: float | None
    threshold_min: float | None
    threshold_max: float | None
    status: str
    level: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return {"year": self.year, "value": self.value, "threshold_min": self.threshold_min,
                "threshold_max": self.threshold_max, "status": self.status, "level": self.level}


@dataclass(frozen=True)
class Pace:
    """Trend and straight-line projection to the final year, with the verdict in words."""

    trend: str  # rising, falling, flat, unknown
    slope_per_year: float | None
    projected: float | None
    final_year: int
    final_threshold: float | None
    on_pace: bool | None  # None: cannot tell (too few years, or no final-year target)
    sentence_en: str
    sentence_zh: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return {"trend": self.trend, "slope_per_year": self.slope_per_year, "projected": self.projected,
                "final_year": self.final_year, "final_threshold": self.final_threshold, "on_pace": self.on_pace,
                "sentence": {"en": self.sentence_en, "zh": self.sentence_zh}}


@dataclass
class UnitSeries:
    """One unit's values by year (only the years in which the target was checked at its level)."""

    level: str
    unit_id: str
    name: str
    points: list[YearPoint]
    pace: Pace

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return {"level": self.level, "unit_id": self.unit_id, "name": self.name,
                "points": [p.to_dict() for p in self.points], "pace": self.pace.to_dict()}


@dataclass
class TargetSeries:
    """One target across the years: its values, each year's target, the pace and the units."""

    id: str
    title_zh: str
    title_en: str
    unit_en: str
    unit_zh: str
    years: list[int]  # every year of the report
    points: list[YearPoint]  # years with the target set, and years measured only (status NOT_SET)
    pace: Pace
    units: list[UnitSeries] = field(default_factory=list)
    #: The plan's own figure for a baseline year (the baseline scenario's threshold), by year.
    plan_baseline: dict[int, float] = field(default_factory=dict)
    baseline_sentence_en: str = ""
    baseline_sentence_zh: str = ""
    #: Does the data reproduce the plan's stated figure (value, official, difference, verdict), by year.
    baseline_checks: dict[int, BaselineCheck] = field(default_factory=dict)
    #: The level every point of ``points`` is at (years checked at another level are left out of them).
    level: str = ""
    #: The city figure by year, where every year gives one (a series of its own when levels differ).
    city_points: list[YearPoint] = field(default_factory=list)

    @property
    def missing_years(self) -> list[int]:
        """Years of the report in which the target is not set."""
        have = {p.year for p in self.points if p.status != NOT_SET}
        return [y for y in self.years if y not in have]

    def point(self, year: int) -> YearPoint | None:
        """The point of ``year`` or None."""
        return next((p for p in self.points if p.year == year), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return {"id": self.id, "title": {"zh": self.title_zh, "en": self.title_en},
                "unit": {"en": self.unit_en, "zh": self.unit_zh}, "years": list(self.years),
                "missing_years": self.missing_years, "points": [p.to_dict() for p in self.points],
                "pace": self.pace.to_dict(), "plan_baseline": {str(k): v for k, v in self.plan_baseline.items()},
                "baseline_sentence": {"en": self.baseline_sentence_en, "zh": self.baseline_sentence_zh},
                "baseline_checks": {str(k): v.to_dict() for k, v in self.baseline_checks.items()},
                "level": self.level, "city_points": [p.to_dict() for p in self.city_points],
                "units": [u.to_dict() for u in self.units]}


def line_fit(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float]:
    """Least-squares straight line ``y = slope * x + intercept`` through at least two points.

    Returns
    -------
    (slope, intercept)
    """
    n = len(xs)
    if n < 2 or len(ys) != n:
        msg = "a straight line needs at least two points"
        raise ValueError(msg)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        msg = "a straight line needs at least two different years"
        raise ValueError(msg)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    return slope, my - slope * mx


def _slope_text(slope: float, unit: str, zh: bool) -> str:
    if unit == "%":
        return f"{abs(slope) * 100:.2f} 个百分点" if zh else f"{abs(slope) * 100:.2f} percentage points"
    return fmt_value(abs(slope), unit)


def _meets(value: float, tmin: float | None, tmax: float | None) -> bool:
    return (tmin is None or value >= tmin - 1e-12) and (tmax is None or value <= tmax + 1e-12)


def target_text(tmin: float | None, tmax: float | None, unit: str) -> str:
    """'≥ 6 slots' style text of a target ('—' when none)."""
    parts = [f"≥ {fmt_value(tmin, unit)}" if tmin is not None else "", f"≤ {fmt_value(tmax, unit)}" if tmax is not None else ""]
    return ", ".join(p for p in parts if p) or "—"


def pace_of(points: Sequence[YearPoint], final_year: int, unit: str) -> Pace:
    """The trend of ``points`` before ``final_year`` and whether its straight line meets the final target.

    Parameters
    ----------
    points
        Values by year (any order); years without a value are left out of the line.
    final_year
        The year whose target the projection is set against (e.g. 2025).
    unit
        Unit of the values (``%`` values are fractions).

    Returns
    -------
    Pace
        ``on_pace`` is None when fewer than two earlier years have values or the final year has no target.
    """
    pts = sorted(points, key=lambda p: p.year)
    final = next((p for p in pts if p.year == final_year), None)
    obs = [p for p in pts if p.year < final_year and p.value is not None]
    tmin = final.threshold_min if final else None
    tmax = final.threshold_max if final else None
    goal = tmin if tmin is not None else tmax
    goal_txt = target_text(tmin, tmax, unit)
    if len(obs) < 2:
        yrs = "、".join(str(p.year) for p in obs) or "无"
        return Pace("unknown", None, None, final_year, goal, None,
                    f"Too few years to show a pace: a straight line needs values in two years before {final_year} "
                    f"(have {', '.join(str(p.year) for p in obs) or 'none'}).",
                    f"年份不足,无法判断进度:直线外推需要 {final_year} 年之前至少两个年份的数值(现有:{yrs})。")
    xs, ys = [float(p.year) for p in obs], [float(p.value) for p in obs]  # type: ignore[arg-type]
    slope, intercept = line_fit(xs, ys)
    projected = slope * final_year + intercept
    scale = max(abs(v) for v in ys) or 1.0
    trend = "flat" if abs(slope) <= FLAT_SHARE_PER_YEAR * scale else ("rising" if slope > 0 else "falling")
    span = f"{obs[0].year}–{obs[-1].year}"
    rate_en = {"rising": f"rising by {_slope_text(slope, unit, False)} a year",
               "falling": f"falling by {_slope_text(slope, unit, False)} a year", "flat": "flat"}[trend]
    rate_zh = {"rising": f"每年上升 {_slope_text(slope, unit, True)}", "falling": f"每年下降 {_slope_text(slope, unit, True)}",
               "flat": "基本持平"}[trend]
    head_en = (f"{span}: {rate_en}; a straight line through these years reaches {fmt_value(projected, unit)} "
               f"by {final_year}")
    head_zh = f"{span}年{rate_zh};按这几年的直线外推,{final_year}年将达到 {fmt_value(projected, unit)}"
    if final is None or goal is None:
        return Pace(trend, slope, projected, final_year, None, None,
                    head_en + f"; the target is not set for {final_year}, so no verdict on the pace.",
                    head_zh + f";{final_year}年未设此目标,无法判断进度。")
    on_pace = _meets(projected, tmin, tmax)
    if final.value is not None:  # the layers' own final-year value (facilities opening by then), beside the line
        met = _meets(float(final.value), tmin, tmax)
        head_en = (f"{final_year} as the layers stand (facilities opening by then): {fmt_value(final.value, unit)}, "
                   f"{'meets' if met else 'misses'} the target. " + head_en)
        head_zh = (f"按图层({final_year}年前开办的设施),{final_year}年为 {fmt_value(final.value, unit)},"
                   f"{'达到' if met else '未达到'}目标。" + head_zh)
    last = obs[-1]
    years_left = final_year - last.year
    need = (goal - float(last.value)) / years_left  # type: ignore[arg-type]
    if on_pace:
        tail_en = f" against the {final_year} target {goal_txt}: on pace."
        tail_zh = f",{final_year}年目标 {goal_txt}:按目前进度可以达标。"
    else:
        tail_en = (f" against the {final_year} target {goal_txt}: not on pace (from {last.year} it needs "
                   f"{'+' if need >= 0 else '−'}{_slope_text(need, unit, False)} a year).")
        tail_zh = (f",{final_year}年目标 {goal_txt}:按目前进度无法达标({last.year}年起每年需"
                   f"{'提高' if need >= 0 else '降低'} {_slope_text(need, unit, True)})。")
    return Pace(trend, slope, projected, final_year, goal, on_pace, head_en + tail_en, head_zh + tail_zh)


def _unit_point(year: int, u: UnitResult, lower_is_better: bool) -> YearPoint:
    tmin, tmax = (None, u.threshold) if lower_is_better else (u.threshold, None)
    return YearPoint(year, u.value, tmin, tmax, u.status, u.level)


def _baseline(series: TargetSeries, year: int, measured: float | None, stated: float) -> None:
    chk = check_baseline(year, measured, stated, series.unit_en)
    series.plan_baseline[year] = stated
    series.baseline_checks[year] = chk
    series.baseline_sentence_en, series.baseline_sentence_zh = chk.sentence_en, chk.sentence_zh


def _city_value(r: TargetResult) -> float | None:
    """The city figure of a result: its value at city level, else the city value a ratio reports beside."""
    if r.level == "city":
        return r.value
    v = (r.details or {}).get("city_value")
    return None if v is None else float(v)


def _one_level(s: TargetSeries, both: list[tuple[int, TargetResult]], final_year: int, unit: str) -> None:
    """Keep the points at the final year's level; years at another level go to the city series, in words."""
    level = s.level
    other = [y for y, r in both if r.level != level]
    if not other:
        return
    s.points = [p for p in s.points if p.level == level]
    city = [YearPoint(y, _city_value(r), r.threshold_min if r.level == "city" else None,
                      r.threshold_max if r.level == "city" else None,
                      r.status if r.level == "city" else NOT_SET, "city") for y, r in both]
    s.city_points = [p for p in city if p.value is not None]
    s.pace = pace_of(s.points, final_year, unit)
    lvl = {"city": ("the city figure", "全市数值"), "district": ("the worst district", "最低的区县"),
           "street": ("the worst street/township", "最低的乡镇(街道)")}
    a_en, a_zh = lvl.get(level, (level, level))
    yrs = ", ".join(map(str, other))
    city_txt = "; ".join(f"{p.year} {fmt_value(p.value, unit)}" for p in s.city_points)
    note_en = (f" {yrs} checked another level than {a_en}, so {'it is' if len(other) == 1 else 'they are'} left out "
               f"of this series (one level across years); the city figure by year: {city_txt}.")
    note_zh = (f"{'、'.join(map(str, other))}年检查的层级与{a_zh}不同,不计入该序列(逐年比较同一层级);"
               f"全市数值逐年为:{';'.join(f'{p.year}年 {fmt_value(p.value, unit)}' for p in s.city_points)}。")
    s.pace = Pace(s.pace.trend, s.pace.slope_per_year, s.pace.projected, s.pace.final_year, s.pace.final_threshold,
                  s.pace.on_pace, s.pace.sentence_en + note_en, s.pace.sentence_zh + note_zh)


def build_progress(results_by_year: Mapping[int, Sequence[TargetResult]], *,
                   baseline_years: Sequence[int] = (),
                   measured_only: Mapping[int, Sequence[TargetResult]] | None = None) -> list[TargetSeries]:
    """Series per target across the years, with the pace to the last year.

    Parameters
    ----------
    results_by_year
        Year -> that year's results (as ``coverage_planner.targets.evaluate_scenario`` returns them).
    baseline_years
        Years whose scenario states the plan's baseline (基期值) as its threshold: that figure is shown
        beside the measured value.
    measured_only
        Year -> results of targets that year does not set, measured there with a later year's
        definition: their values join the series (status ``not_set``, no threshold), so the pace has
        more years; the target stays shown as not set in those years.

    Returns
    -------
    list of TargetSeries
        In order of first appearance (earliest year first, then scenario order).
    """
    years = sorted(results_by_year)
    final_year = years[-1]
    order: dict[str, TargetSeries] = {}
    by_id: dict[str, dict[int, TargetResult]] = {}
    for y in years:
        for r in results_by_year[y]:
            by_id.setdefault(r.id, {})[y] = r
    extra: dict[str, dict[int, TargetResult]] = {}
    for y, rs in (measured_only or {}).items():
        for r in rs:
            if r.id in by_id and y not in by_id[r.id]:
                extra.setdefault(r.id, {})[y] = r
    for tid, per_year in by_id.items():
        latest = per_year[max(per_year)]
        more = extra.get(tid, {})
        both = sorted([*per_year.items(), *more.items()])
        points = [YearPoint(y, r.value, None, None, NOT_SET, r.level) if y in more else
                  YearPoint(y, r.value, r.threshold_min, r.threshold_max, r.status, r.level) for y, r in both]
        s = TargetSeries(id=tid, title_zh=latest.title_zh, title_en=latest.title_en, unit_en=latest.unit_en,
                         unit_zh=latest.unit_zh, years=years, points=points,
                         pace=pace_of(points, final_year, latest.unit_en), level=latest.level)
        _one_level(s, both, final_year, latest.unit_en)
        lower_is_better = latest.threshold_min is None and latest.threshold_max is not None
        units: dict[tuple[str, str], tuple[str, list[YearPoint]]] = {}
        for y, r in both:
            for u in r.units:
                key = (u.level, u.unit_id)
                pt = _unit_point(y, u, lower_is_better)
                if y in more:
                    pt = YearPoint(y, pt.value, None, None, NOT_SET, pt.level)
                units.setdefault(key, (u.name, []))[1].append(pt)
        s.units = [UnitSeries(level, uid, name, pts, pace_of(pts, final_year, latest.unit_en))
                   for (level, uid), (name, pts) in units.items()]
        for by in baseline_years:
            base = per_year.get(by)
            if base is None:
                continue
            stated = base.threshold_min if base.threshold_min is not None else base.threshold_max
            if stated is not None:
                _baseline(s, by, base.value, stated)
        order[tid] = s
    return list(order.values())


@dataclass
class Progress:
    """Every target across scenario years on one layer set: the runs (oldest first) and one series per target."""

    runs: list[CheckRun]
    series: list[TargetSeries]

    @property
    def years(self) -> list[int]:
        """The scenario years, oldest first."""
        return [r.scenario.year for r in self.runs]

    @property
    def last(self) -> CheckRun:
        """The last year's run (with geometry when :func:`progress` was asked for it)."""
        return self.runs[-1]


def progress(scenarios: Sequence[int | str | os.PathLike[str]], layers: str | os.PathLike[str] = "demo", *,
             targets: list[str] | None = None, only_set_years: bool = False, allow_outside_paths: bool = False,
             want_geo: bool = False) -> Progress:
    """Check several scenario years on one layer set and build each target's series and pace.

    Parameters
    ----------
    scenarios
        Two or more years (or scenario files) of different years, in any order.
    layers
        As for :func:`~coverage_planner.check`.
    targets
        Only these target ids (a target set only in some years is followed where it is set).
    only_set_years
        Measure a target only in the years that set it (default: also measure the latest year's targets in
        earlier years, so the pace has more years).
    allow_outside_paths
        Let the manifest name files outside its folder.
    want_geo
        Build the last year's map geometry too (for maps with progress charts).

    Returns
    -------
    Progress

    Examples
    --------
    >>> p = progress([2022, 2025], "demo:0.05", targets=["childcare-slots-per-1000"])
    >>> p.years, [s.id for s in p.series]
    ([2022, 2025], ['childcare-slots-per-1000'])
    """
    from .check import run_years

    names = [str(s) for s in scenarios]
    runs = run_years(names, str(layers), targets=targets, allow_outside_paths=allow_outside_paths, want_geo=False,
                     measure_all_years=not only_set_years, geo_last=want_geo)
    years = [r.scenario.year for r in runs]
    if len(set(years)) != len(years) or len(years) < 2:
        raise ScenarioError(Message("err.progress_years", years=", ".join(map(str, years)), names=", ".join(names)))
    runs.sort(key=lambda r: r.scenario.year)
    baseline = [r.scenario.year for r in runs if r.scenario.baseline]
    series = build_progress({r.scenario.year: r.results for r in runs}, baseline_years=baseline,
                            measured_only={r.scenario.year: r.measured_only for r in runs})
    return Progress(runs=runs, series=series)

