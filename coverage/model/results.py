"""Results of a target check: the stable structure every report and map reads.

JSON keys (stable; documented in README "JSON report"): see ``TargetResult.to_dict``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .words import singular_en

__all__ = ["FAIL", "NO_DATA", "PASS", "Gap", "TargetResult", "UnitResult", "fmt_number", "fmt_value"]

PASS, FAIL, NO_DATA = "pass", "fail", "no_data"


def fmt_number(x: float | None, *, digits: int = 2) -> str:
    """'1,240' for whole numbers, '5.43' otherwise, '—' for missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, float) and math.isinf(x):
        return "∞"
    if float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


def fmt_value(x: float | None, unit: str) -> str:
    """Format a measured value with its unit ('%' values are stored as fractions)."""
    if x is not None and unit == "%":
        return f"{x * 100:.1f} %"
    number = fmt_number(x)
    return number + (f" {singular_en(unit) if number == '1' else unit}" if unit else "")


@dataclass
class UnitResult:
    """The target evaluated for one unit (district, street, community, area)."""

    level: str
    unit_id: str
    name: str
    unit_class: str
    value: float | None
    status: str
    threshold: float | None = None
    gap: float = 0.0
    population: float | None = None
    supply: float | None = None
    parent_id: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return {
            "level": self.level, "unit_id": self.unit_id, "name": self.name, "class": self.unit_class,
            "parent_id": self.parent_id, "value": _num(self.value), "threshold": _num(self.threshold),
            "status": self.status, "gap": _num(self.gap), "population": _num(self.population),
            "supply": _num(self.supply),
        }


@dataclass
class Gap:
    """What is missing, in planner terms."""

    quantity: float
    unit_en: str
    unit_zh: str
    text_en: str
    text_zh: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return {"quantity": _num(self.quantity), "unit": {"en": self.unit_en, "zh": self.unit_zh},
                "text": {"en": self.text_en, "zh": self.text_zh}}


@dataclass
class TargetResult:
    """One target's verdict with its evidence."""

    id: str
    kind: str
    title_zh: str
    title_en: str
    plan_key: str
    plan_title: str
    plan_document: str
    chapter: str
    quote: str
    status: str
    value: float | None
    threshold_min: float | None
    threshold_max: float | None
    unit_en: str
    unit_zh: str
    level: str
    summary_en: str
    summary_zh: str
    units: list[UnitResult] = field(default_factory=list)
    gap: Gap | None = None
    assumptions: list[str] = field(default_factory=list)
    approximate: bool = False
    references: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    #: Geometry for maps, never serialised to JSON: name -> GeoDataFrame in the working CRS, e.g.
    #: "service_area", "uncovered_cells" (points with a `people` column), "gaps", "grid", "proposed".
    geo: dict[str, Any] = field(default_factory=dict, repr=False)
    #: What the target counted: the facility layer and the ids of the facilities that passed its filters in
    #: the scenario year (maps, briefs and comparisons read these instead of re-running the filters).
    counted_role: str = ""
    counted_ids: tuple[str, ...] = field(default=(), repr=False)
    #: The target's parameters as resolved (the scenario's values over the kind's typed defaults).
    parameters: dict[str, Any] = field(default_factory=dict, repr=False)
    #: The plan's English name when the scenario gives one (``plan_title`` is the name as written, or Chinese).
    plan_title_en: str = ""

    def plan_title_in(self, lang: str) -> str:
        """The plan's name in ``lang`` (as written when the scenario gives it in one language only)."""
        return self.plan_title_en if lang != "zh" and self.plan_title_en else self.plan_title

    @property
    def threshold_text(self) -> str:
        """'≥ 6 slots per 1000 people' style text."""
        parts = []
        if self.threshold_min is not None:
            parts.append("≥ " + fmt_value(self.threshold_min, self.unit_en))
        if self.threshold_max is not None:
            parts.append("≤ " + fmt_value(self.threshold_max, self.unit_en))
        return ", ".join(parts) or "—"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping (the documented report schema)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "title": {"zh": self.title_zh, "en": self.title_en},
            "plan": {"key": self.plan_key, "title": self.plan_title, "title_en": self.plan_title_en,
                     "document": self.plan_document},
            "chapter": self.chapter,
            "quote": self.quote,
            "status": self.status,
            "value": _num(self.value),
            "threshold": {"min": _num(self.threshold_min), "max": _num(self.threshold_max)},
            "unit": {"en": self.unit_en, "zh": self.unit_zh},
            "level": self.level,
            "summary": {"en": self.summary_en, "zh": self.summary_zh},
            "gap": self.gap.to_dict() if self.gap else None,
            "approximate": self.approximate,
            "assumptions": list(self.assumptions),
            "references": list(self.references),
            "units": [u.to_dict() for u in self.units],
            "details": {k: _jsonable(v) for k, v in sorted(self.details.items())},
        }


def _num(x: float | None) -> float | int | None:
    if x is None:
        return None
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return None
    if x.is_integer() and abs(x) < 2**53:
        return int(x)
    return round(x, 6)


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    try:
        return _num(float(v))
    except (TypeError, ValueError):
        return str(v)
