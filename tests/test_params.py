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


def test_a_call_site_fallback_never_overrides_a_typed_default(tmp_path: Path) -> None:
    # A catchment target without `level:` is judged by street (its typed default); siting it once used
    # `param("level", "city")` and labelled the proposed sites by city. The fallback now applies only where
    # the model sets no default (None) or the key is not in the model.
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.replace("MODE", "walk"), encoding="utf-8")
    spec = load_scenario(str(path)).target("fit")
    assert spec.param("level", "city") == "street"
    assert spec.param("minutes", 99) == 15
    assert spec.param("speed_m_per_min", 60.0) == 60.0  # typed default None: the caller's fallback
    assert spec.param("unknown_key", "x") == "x"
    path.write_text(SCENARIO.replace("MODE", "walk").replace("layer: fitness", "layer: fitness\n    level: district"),
                    encoding="utf-8")
    assert load_scenario(str(path)).target("fit").param("level", "city") == "district"  # as written wins


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


def _with_assumptions(tmp_path: Path, block: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(SCENARIO.replace("MODE", "walk") + "    assumptions:\n" + block, encoding="utf-8")
    return path


def test_a_scenario_assumption_in_both_languages_follows_the_report_language(tmp_path: Path) -> None:
    from coverage_planner.model.messages import Message, in_lang, message_dicts

    path = _with_assumptions(tmp_path, '      - {zh: 仅计城市街道。, en: "Urban streets only."}\n'
                                       '      - "Written once, shown as written."\n')
    both, plain = load_scenario(str(path)).target("fit").assumptions
    assert isinstance(both, Message) and not isinstance(plain, Message)
    assert (in_lang(both, "zh"), in_lang(both, "en")) == ("仅计城市街道。", "Urban streets only.")
    assert in_lang(plain, "zh") == in_lang(plain, "en") == "Written once, shown as written."
    assert message_dicts([both])[0] == {"key": "say.as_given",
                                        "params": {"text": {"en": "Urban streets only.", "zh": "仅计城市街道。"}}}


@pytest.mark.parametrize("entry", ["{zh: 只有中文}", "{zh: 中文, en: English, fr: Français}", "{zh: '', en: x}", "[a, b]"])
def test_a_half_written_assumption_names_file_line_and_fix(tmp_path: Path, entry: str) -> None:
    path = _with_assumptions(tmp_path, f"      - {entry}\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(str(path))
    msg = str(err.value)
    assert f"{path}:13" in msg and "'assumptions', entry 1" in msg and "{zh: ..., en: ...}" in msg


def test_the_schema_describes_bilingual_assumptions() -> None:
    validator = jsonschema.Draft202012Validator(scenario_json_schema())
    doc = yaml.safe_load(SCENARIO.replace("MODE", "walk"))
    for ok in (["plain"], [{"zh": "中", "en": "en"}]):
        doc["targets"][0]["assumptions"] = ok
        validator.validate(doc)
    doc["targets"][0]["assumptions"] = [{"zh": "只有中文"}]
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(doc)


@pytest.mark.parametrize("name", sorted(p.relative_to(SCENARIO_DIR).as_posix() for p in SCENARIO_DIR.rglob("*.yaml")))
def test_every_shipped_assumption_is_written_in_both_languages(name: str) -> None:
    doc = yaml.safe_load((SCENARIO_DIR / name).read_text(encoding="utf-8"))
    for target in doc.get("targets", []):
        for a in target.get("assumptions", []):
            assert isinstance(a, dict) and set(a) == {"zh", "en"}, (name, target["id"], a)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in a["zh"]), (name, target["id"], a)
