"""Typed target parameters (issue 16): one model per kind, every default in one place, errors with their line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from coverage_planner.errors import ScenarioError
from coverage_planner.model.params import PARAM_MODELS, scenario_json_schema
from coverage_planner.model.scenario import SCENARIO_DIR, load_scenario
from coverage_planner.model.schema import KIND_KEYS

SCENARIO = """\
year: 2025
title: t
plans: {ps: {title: P}}
targets:
  - id: fit
    kind: walk_access
    title: {zh: 健身圈, en: Fitness walk}
    plan: ps
    quote: "q"
    layer: fitness
    mode: MODE
    threshold: {min: 0.5}
"""


def test_loader_key_table_is_derived_from_the_models() -> None:
    assert set(KIND_KEYS) == set(PARAM_MODELS)
    for kind, model in PARAM_MODELS.items():
        assert set(KIND_KEYS[kind]) == set(model.model_fields)
        assert {k for k, (_, req, _) in KIND_KEYS[kind].items() if req} == {
            k for k, f in model.model_fields.items() if f.is_required()}


def test_defaults_come_from_the_model(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.replace("MODE", "walk"), encoding="utf-8")
    spec = load_scenario(str(path)).target("fit")
    assert spec.param("minutes") == 15 and spec.param("level") == "street" and spec.param("population") == "total"
    assert spec.settings is not None and spec.settings.mode == "walk"
    assert spec.param("mode") == "walk" and spec.param("unknown_key") is None


def test_a_value_the_model_refuses_names_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.replace("MODE", "car"), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(str(path))
    msg = str(err.value)
    assert f"{path}:11" in msg and "'mode'" in msg and "'walk' or 'bike'" in msg


@pytest.mark.parametrize("name", sorted(p.name for p in SCENARIO_DIR.glob("*.yaml")))
def test_shipped_scenarios_validate_against_the_json_schema(name: str) -> None:
    doc = yaml.safe_load((SCENARIO_DIR / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(scenario_json_schema()).validate(doc)


def test_the_schema_refuses_a_wrong_key() -> None:
    doc = yaml.safe_load((SCENARIO_DIR / "2025.yaml").read_text(encoding="utf-8"))
    doc["targets"][0]["levle"] = "district"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(scenario_json_schema()).validate(doc)


def test_coverage_schema_command_prints_it() -> None:
    exe = str(Path(sys.executable).with_name("coverage-planner"))
    out = subprocess.run([exe, "schema"], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == json.loads(json.dumps(scenario_json_schema()))
