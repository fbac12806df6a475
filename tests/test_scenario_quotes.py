"""Every quote of every scenario appears verbatim in the plan texts (../shared/plans).

Whitespace and full-width punctuation are normalised (the plan files mix ``,`` and ``，``, ``(`` and
``（``); a quote may join pieces of one sentence or of one indicator-table row with ``…`` (words left
out) or ``→`` (the table's baseline → target columns), and every piece must appear as it is.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from coverage_planner.model.scenario import load_scenario

pytestmark = pytest.mark.shared_data

PLANS = Path(__file__).resolve().parents[2] / "shared" / "plans"
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "、": ","})


def normalise(text: str) -> str:
    """NFKC (full-width → ASCII punctuation), curly quotes → straight, no whitespace."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).replace('"', "'")
    return re.sub(r"\s+", "", text)


def pieces(quote: str) -> list[str]:
    """The verbatim pieces of a quote: split on … (omission) and → (table columns)."""
    return [p for p in (normalise(x) for x in re.split(r"…+|→", quote)) if p]


def test_normalise_treats_full_width_and_spaces_alike():
    assert normalise("市、县两级，地震 应急（指挥）") == normalise("市,县两级,地震应急(指挥)")
    assert pieces("每千人口 1.46 → 6") == ["每千人口1.46", "6"]


@pytest.fixture(scope="module")
def plan_text() -> str:
    if not PLANS.is_dir():
        pytest.skip("../shared/plans is not present")
    return normalise("".join(p.read_text(encoding="utf-8") for p in sorted(PLANS.glob("*.txt"))))


@pytest.mark.parametrize("year", sorted(p.stem for p in SCENARIOS.glob("*.yaml")))
def test_every_quote_is_in_the_plans(year, plan_text):
    scenario = load_scenario(SCENARIOS / f"{year}.yaml")
    missing = [(t.id, piece) for t in scenario.targets for piece in pieces(t.quote) if piece not in plan_text]
    assert not missing, missing


def test_the_scenario_files_quote_every_target():
    for path in SCENARIOS.glob("*.yaml"):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        for t in raw["targets"]:
            assert "quote" in t or "kind" not in t, (path.name, t["id"])
