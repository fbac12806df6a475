"""Shared pieces of every target kind: the evaluation context, filters, unit breakdowns."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..errors import LayerError, ScenarioError, message
from ..model.crs import representative_xy
from ..model.messages import Message
from ..model.population import GROUP_LABELS
from ..model.readers import coerce_bool, require_numeric
from ..model.region import Region, _points_in_polygons
from ..model.results import FAIL, PASS, TargetResult
from ..model.scenario import Scenario, TargetSpec
from ..model.words import words

__all__ = ["EvalContext", "apply_where", "describe_where", "facility_units", "new_result", "units_for"]

LEVEL_LABELS: dict[str, tuple[str, str]] = {
    "city": ("全市", "city"),
    "district": ("区县(市)", "district"),
    "street": ("乡镇(街道)", "street/township"),
    "community": ("社区(村)", "community/village"),
    "new_estates": ("新建住宅小区", "new estate"),
    "built_up": ("建成区", "built-up area"),
    "key_areas": ("重点地区", "key area"),
}


@dataclass
class EvalContext:
    """Everything a target kind may read: the region, the scenario year, shared caches."""

    region: Region
    scenario: Scenario
    cache: dict[Hashable, Any] = field(default_factory=dict)
    #: Build map geometry (service areas, gap polygons) too; off for plain reports, where it is not shown.
    want_geo: bool = True

    @property
    def year(self) -> int:
        """The scenario year: facilities opened later are not counted."""
        return self.scenario.year

    def facilities(self, spec: TargetSpec) -> gpd.GeoDataFrame:
        """The target's facility layer as it stands in the scenario year, after its `where:` filter."""
        key = ("facilities", spec.id, self.year, id(self.region))
        if key in self.cache:
            return self.cache[key]
        role = spec.param("layer")
        in_year = f"in_year:{role}:{self.year}:{id(self.region)}"  # one table for all targets of the layer
        if in_year not in self.cache:
            self.cache[in_year] = self.region.facilities_in_year(role, self.year, purpose=Message("err.for_target", tid=spec.id))
        gdf = self.cache[in_year]
        where = spec.param("where")
        if where:
            gdf = gdf[apply_where(gdf, where, role=role, purpose=Message("err.for_target", tid=spec.id), region=self.region)]
        self.cache[key] = gdf
        return gdf

    def counted(self, spec: TargetSpec) -> tuple[str, ...] | None:
        """Ids of the facilities the target counted, when it read its layer (None otherwise)."""
        got = self.cache.get(("facilities", spec.id, self.year, id(self.region)))
        if got is None:
            return None
        # the layer's own id strings (no new string per row: a list may hold millions)
        return tuple(v if isinstance(v, str) else str(v) for v in got["facility_id"].to_numpy(dtype=object))


def _where_src(region: Region, role: str) -> str:
    src = region.spec.facilities.get(role)
    return src.where() if src else role


def apply_where(gdf: pd.DataFrame, where: Mapping[str, Any], *, role: str, purpose: str,
                region: Region | None = None) -> NDArray[np.bool_]:
    """Boolean mask of rows meeting every condition of a scenario ``where:`` filter.

    Conditions: ``attr: true/false`` (yes/no columns, 是/否 accepted), ``attr: text`` (equality),
    ``attr: {'>=': 50}`` (numbers; also > < <= == !=), ``attr: {in: [a, b]}``.
    """
    where_txt = _where_src(region, role) if region else role
    mask = np.ones(len(gdf), dtype=bool)
    for attr, cond in where.items():
        if attr not in gdf.columns:
            cols = ", ".join(str(c) for c in gdf.columns if c != "geometry")
            raise LayerError(Message("err.filter_column", role=role, where=where_txt, column=attr, purpose=purpose,
                                     columns=cols))
        col = gdf[attr]
        if isinstance(cond, bool):
            mask &= coerce_bool(col) == cond
        elif isinstance(cond, Mapping):
            for op, ref in cond.items():
                if op == "in":
                    mask &= col.astype(str).isin([str(r) for r in ref]).to_numpy()
                    continue
                vals = require_numeric(gdf, attr, role=role, where=where_txt, purpose=Message("err.for_filter", purpose=purpose))
                ref = float(ref)
                mask &= {">=": vals >= ref, ">": vals > ref, "<=": vals <= ref, "<": vals < ref,
                         "==": vals == ref, "!=": vals != ref}[op]
        else:
            mask &= (col.astype(str) == str(cond)).to_numpy()
    return mask


#: Planner words for the yes/no columns of the standard layers (a filter ``puhui: true`` reads "普惠").
def describe_where(where: Mapping[str, Any] | None, lang: str = "en") -> str:
    """'slots ≥ 50, affordable (puhui)' style text for a filter, in planner words (``lang`` 'en' or 'zh')."""
    if not where:
        return ""
    zh = lang == "zh"
    parts = []
    for attr, cond in where.items():
        label = words(attr, lang)
        if cond is True:
            parts.append(label)
        elif cond is False:
            parts.append(f"非{label}" if zh else f"not {label}")
        elif isinstance(cond, Mapping):
            parts.extend(f"{label} {op.replace('>=', '≥').replace('<=', '≤')} {words(ref, lang)}" for op, ref in cond.items())
        else:
            parts.append(f"{label} {words(cond, lang)}")
    return ("、" if zh else ", ").join(parts)


#: Planner words for the facility roles (what one facility is called), when a target gives no facility_label.


def facility_words(spec: TargetSpec) -> tuple[str, str]:
    """(zh, en) name of one facility of the target: its ``facility_label``, else the role in plain words."""
    label = spec.param("facility_label") or {}
    role = str(spec.param("layer", ""))
    return str(label.get("zh") or words(role, "zh")), str(label.get("en") or words(role))


def units_for(ctx: EvalContext, spec: TargetSpec, level: str) -> gpd.GeoDataFrame:
    """Units of ``level`` ('city' gives one unit: the whole territory)."""
    if level == "city":
        r = ctx.region
        name = r.spec.name_zh or r.spec.name
        return gpd.GeoDataFrame({"unit_id": [r.spec.city_code or "city"], "name": [name], "class": ["city"],
                                 "parent_id": [""]}, geometry=[r.territory], crs=r.crs)
    return ctx.region.unit_level(level, purpose=Message("err.for_target", tid=spec.id))


def cell_index(ctx: EvalContext, level: str, units: gpd.GeoDataFrame) -> NDArray[np.int64]:
    """Unit index of every population cell for ``level``."""
    r = ctx.region
    if level == "city":
        return np.zeros(len(r.population), dtype=np.int64)
    if level in r.cell_unit:
        return r.cell_unit[level]
    key = f"cells:{level}"
    if key not in ctx.cache:
        ctx.cache[key] = r.population.polygon_index(units.geometry.values, r.crs)
    return ctx.cache[key]


def facility_units(facilities: gpd.GeoDataFrame, units: gpd.GeoDataFrame) -> NDArray[np.int64]:
    """Unit index of every facility (by its representative point; -1 outside every unit)."""
    if len(facilities) == 0:
        return np.zeros(0, dtype=np.int64)
    x, y = representative_xy(facilities.geometry.values, facilities.crs, facilities.crs)  # floats, no new points
    return _points_in_polygons(x, y, units.geometry.values)


def population_group(ctx: EvalContext, spec: TargetSpec) -> tuple[NDArray[np.float64], str, str]:
    """(counts per cell, zh label, en label) of the target's population group."""
    name = spec.param("population")
    counts = ctx.region.population.group(name, purpose=Message("err.for_target", tid=spec.id))
    zh, en = GROUP_LABELS.get(name, (name, name))
    return counts, zh, en


#: Labels of one class of a level (streets only, villages only ...), so that a label names what was checked.
CLASS_LABELS: dict[str, tuple[str, str]] = {
    "street": ("街道", "street"), "township": ("乡镇", "township"), "community": ("社区", "community"),
    "village": ("行政村", "village"), "urban_district": ("市辖区", "urban district"),
    "development_zone": ("开发区", "development zone"), "county": ("县(市)", "county"),
}


def level_labels(level: str, classes: list[str] | None = None) -> tuple[str, str]:
    """(zh, en) label of a unit level, or of the one class of it that is checked (``classes: [street]``)."""
    if classes and len(classes) == 1 and classes[0] in CLASS_LABELS:
        return CLASS_LABELS[classes[0]]
    return LEVEL_LABELS.get(level, (level, level))


# PLR0913: a result's fields, all keyword-only, as the dataclass takes them
def new_result(spec: TargetSpec, *, status: str, value: float | None, level: str, unit_en: str, unit_zh: str,  # noqa: PLR0913
               summary_en: str, summary_zh: str, region: Region) -> TargetResult:
    """A ``TargetResult`` with the spec's common fields filled in."""
    assumptions = list(spec.assumptions)
    if region.spec.synthetic:
        assumptions.insert(0, Message("say.data_synthetic", name=region.spec.name))
    return TargetResult(
        id=spec.id, kind=spec.kind, title_zh=spec.title_zh, title_en=spec.title_en, plan_key=spec.plan.key,
        plan_title=spec.plan.title, plan_title_en=spec.plan.title_en, plan_document=spec.plan.document,
        chapter=spec.chapter, quote=spec.quote,
        status=status, value=value, threshold_min=spec.threshold_min, threshold_max=spec.threshold_max,
        unit_en=spec.unit_en or unit_en, unit_zh=spec.unit_zh or unit_zh, level=level,
        summary_en=summary_en, summary_zh=summary_zh, assumptions=assumptions,
        references=list(spec.references),
    )


def meets(value: float | None, spec: TargetSpec, *, tol: float = 1e-9) -> bool:
    """Whether ``value`` meets the spec's min/max threshold."""
    if value is None or np.isnan(value):
        return False
    if spec.threshold_min is not None and value < spec.threshold_min - tol:
        return False
    return not (spec.threshold_max is not None and value > spec.threshold_max + tol)


def status_of(ok: bool) -> str:
    """PASS or FAIL."""
    return PASS if ok else FAIL


def require_param(spec: TargetSpec, key: str) -> Any:
    """A parameter the kind cannot do without (scenario validation normally catches this)."""
    if key not in spec.params:
        raise ScenarioError(message("err.target_needs_param", source=str(spec.source), tid=spec.id, kind=spec.kind,
                                    field=key))
    return spec.params[key]
