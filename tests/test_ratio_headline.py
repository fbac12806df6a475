"""A ratio target's headline is the value at the level the plan sets, with the worst unit beside it (issue 17)."""

from __future__ import annotations

import pytest

from coverage_planner.studies.check import run_check


def test_city_level_ratio_headline_is_the_city_value_with_the_worst_district_beside_it(tiny) -> None:  # noqa: ANN001
    layers, scenario = tiny
    r = {x.id: x for x in run_check(scenario, layers).results}["beds"]
    # 9 beds (一院, in 甲区) over 1500 residents: 6 per 1000 for the city; 乙县 (500 residents) has none
    assert r.value == pytest.approx(6.0)
    assert r.summary_en.startswith("6 beds per 1000 residents")
    assert r.summary_en.endswith("; worst district unit 乙县 0.")
    assert r.summary_zh.endswith(";最低区县(市) 乙县 0。")
