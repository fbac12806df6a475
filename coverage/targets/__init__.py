"""Target kinds: each module evaluates one kind; ``evaluate_scenario`` runs a whole scenario."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from ..errors import MissingDataError
from ..model.messages import Message
from ..model.plausibility import check_result as check_plausibility
from ..model.region import Region
from ..model.results import NO_DATA, TargetResult
from ..model.scenario import Scenario, TargetSpec
from ..progress_bar import track
from . import access, count, presence, ratio, seismic, share
from .base import EvalContext, new_result
from .baseline import apply_baseline

__all__ = ["KINDS", "columns_hint", "columns_read", "evaluate_scenario", "evaluate_target"]

logger = logging.getLogger(__name__)

Evaluator = Callable[[TargetSpec, EvalContext], TargetResult]
KINDS: dict[str, Evaluator] = {
    "ratio": ratio.evaluate,
    "presence": presence.evaluate,
    "share": share.evaluate,
    "count": count.evaluate,
    "spacing": seismic.evaluate_spacing,
    "detection": seismic.evaluate_detection,
    "warning_time": seismic.evaluate_warning,
    "walk_access": access.evaluate_walk_access,
    "catchment_capacity": access.evaluate_catchment_capacity,
    "radius_coverage": access.evaluate_radius_coverage,
}


def columns_read(spec: TargetSpec) -> list[str]:
    """The facility columns a target reads (capacity, filter and radius attributes), in a stable order."""
    cols: list[str] = []
    for key in ("capacity", "capacity_field", "radius_field", "numerator", "denominator"):
        v = spec.param(key)
        if isinstance(v, str) and v != "count":
            cols.append(v)
    for key in ("where", "numerator_where"):
        cols.extend(str(k) for k in (spec.param(key) or {}))
    return list(dict.fromkeys(cols))


def columns_hint(spec: TargetSpec) -> Message:
    """' This target reads its columns slots, puhui (...).', or that it needs the facilities' locations only."""
    cols = columns_read(spec)
    if not cols:
        return Message("say.hint_locations_only")
    return Message("say.hint_columns", n=len(cols), cols=", ".join(cols), first=cols[0])


def evaluate_target(spec: TargetSpec, ctx: EvalContext) -> TargetResult:
    """Evaluate one target; a missing layer gives a "no data" result naming what is missing."""
    fn = KINDS.get(spec.kind)
    if fn is None:
        res = new_result(spec, status=NO_DATA, value=None, level="", unit_en="", unit_zh="",
                         summary_en=f"Kind {spec.kind!r} is not implemented in this version.",
                         summary_zh=f"此版本尚不支持 {spec.kind} 类指标。", region=ctx.region)
        return res
    t0 = time.perf_counter()
    try:
        res = fn(spec, ctx)
    except MissingDataError as exc:
        hint = columns_hint(spec) if exc.role else None
        said = {lang: exc.text(lang) + (hint.text(lang) if hint is not None else "") for lang in ("en", "zh")}
        res = new_result(spec, status=NO_DATA, value=None, level=str(spec.param("level", "")), unit_en="", unit_zh="",
                         summary_en=f"No data: {said['en']}", summary_zh=f"缺少数据:{said['zh']}", region=ctx.region)
    else:
        check_plausibility(spec, res, ctx.region)  # data warnings beside the verdict (issue 19)
    counted = ctx.counted(spec)
    if counted is not None:
        res.counted_role, res.counted_ids = str(spec.param("layer")), counted
    res.parameters = _resolved(spec)
    logger.info("%s: %s in %.2fs", spec.id, res.status, time.perf_counter() - t0)
    return res


def _resolved(spec: TargetSpec) -> dict[str, Any]:
    """The scenario's values over the kind's typed defaults."""
    base = spec.settings.model_dump() if spec.settings is not None else {}
    return {**base, **dict(spec.params)}


def evaluate_scenario(scenario: Scenario, region: Region, *, target_ids: list[str] | None = None,
                      want_geo: bool = True) -> list[TargetResult]:
    """Evaluate every target of ``scenario`` (or only ``target_ids``) on ``region``, in file order.

    ``want_geo=False`` skips geometry that only maps show (service areas), which is the slow part.
    """
    ctx = EvalContext(region=region, scenario=scenario, want_geo=want_geo)
    specs = [scenario.target(t) for t in target_ids] if target_ids else list(scenario.targets)
    for s in specs:  # large facility lists are then read with only these columns
        if isinstance(s.param("layer"), str):
            region.want_columns(s.param("layer"), columns_read(s))
    region.preload(roles=[s.param("layer") for s in specs if isinstance(s.param("layer"), str)],
                   areas=[s.param("area") for s in specs if isinstance(s.param("area"), str)])  # all problems at once
    results = [evaluate_target(s, ctx) for s in track(specs, "step.check")]
    if scenario.baseline:  # the plan's stated figures: reproduced or not, never "reached"
        results = [apply_baseline(r, scenario.year) for r in results]
    return results
