"""Baseline years (``baseline: true``): does the data reproduce the plan's stated figure?

A baseline figure (基期值, e.g. 2020's 35.84 %) is not a minimum to reach: the check is whether the layer
set gives the same figure at the plan's precision (the decimals the plan prints). Shares are compared
in percentage points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model.messages import Message
from ..model.results import FAIL, PASS, TargetResult

__all__ = ["REPRODUCES", "DIFFERS", "BaselineCheck", "apply_baseline", "check_baseline", "fmt_plan", "plan_decimals"]

REPRODUCES = "reproduces"
DIFFERS = "differs"


def plan_decimals(stated: float, unit: str) -> int:
    """Decimals the plan prints for ``stated`` (``0.8185`` as a share → 81.85 % → 2)."""
    shown = stated * 100 if unit == "%" else stated
    txt = f"{round(shown, 6):.6f}".rstrip("0").rstrip(".")
    return len(txt.split(".")[1]) if "." in txt else 0


def fmt_plan(value: float, unit: str, decimals: int) -> str:
    """A value at the plan's precision: ``81.85 %``, ``8.31 beds per 1000 residents``."""
    if unit == "%":
        return f"{value * 100:.{decimals}f} %"
    return f"{value:,.{decimals}f}" + (f" {unit}" if unit else "")


@dataclass(frozen=True)
class BaselineCheck:
    """The measured value against the plan's stated baseline figure."""

    year: int
    value: float | None
    official: float
    decimals: int
    unit: str
    #: measured − official, in the plan's unit (percentage points for shares); None without a value
    difference: float | None
    verdict: str  # reproduces | differs | no_data
    sentence_en: str
    sentence_zh: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return {"year": self.year, "value": self.value, "official": self.official, "decimals": self.decimals,
                "difference": self.difference, "difference_unit": "percentage points" if self.unit == "%" else self.unit,
                "verdict": self.verdict, "sentence": {"en": self.sentence_en, "zh": self.sentence_zh}}


def check_baseline(year: int, value: float | None, official: float, unit: str) -> BaselineCheck:
    """Whether ``value`` reproduces ``official`` at the plan's precision (half a unit of its last decimal)."""
    d = plan_decimals(official, unit)
    off_txt = fmt_plan(official, unit, d)
    if value is None:
        return BaselineCheck(year, None, official, d, unit, None, "no_data",
                             f"{year} baseline: the plan states {off_txt}; the layers give no {year} value.",
                             f"{year}年基期:规划值 {off_txt};图层无{year}年数值。")
    scale = 100.0 if unit == "%" else 1.0
    diff = (value - official) * scale
    same = round(value * scale, d) == round(official * scale, d)
    verdict = REPRODUCES if same else DIFFERS
    diff_unit_en = " percentage points" if unit == "%" else (f" {unit}" if unit else "")
    diff_unit_zh = " 个百分点" if unit == "%" else ""
    sign = "+" if diff >= 0 else "−"
    en = (f"{year} baseline: measured {fmt_plan(value, unit, d)}, official {off_txt}, difference "
          f"{sign}{abs(diff):.{d}f}{diff_unit_en}: the data {'reproduces' if same else 'differs from'} the official "
          "figure.")
    zh = (f"{year}年基期:实测 {fmt_plan(value, unit, d)},官方 {off_txt},相差 {sign}{abs(diff):.{d}f}{diff_unit_zh}:"
          f"{'与官方数据一致' if same else '与官方数据不一致'}。")
    return BaselineCheck(year, value, official, d, unit, diff, verdict, en, zh)


def apply_baseline(res: TargetResult, year: int) -> TargetResult:
    """Turn a result of a baseline scenario into the reproduction check: pass = reproduces, fail = differs."""
    official = res.threshold_min if res.threshold_min is not None else res.threshold_max
    if official is None or res.status not in (PASS, FAIL):
        return res
    chk = check_baseline(year, res.value, official, res.unit_en)
    res.status = PASS if chk.verdict == REPRODUCES else FAIL
    res.summary_en = chk.sentence_en + " " + res.summary_en
    res.summary_zh = chk.sentence_zh + res.summary_zh
    res.gap = None
    res.details = {**(res.details or {}), "baseline": chk.to_dict()}
    res.assumptions.append(Message("say.baseline_rule"))
    return res
