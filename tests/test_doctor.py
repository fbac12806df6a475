"""coverage doctor lists every problem of a layer set at once, with exit 2."""

from __future__ import annotations

import yaml
from click.testing import CliRunner

from coverage_planner.cli.main import cli


def test_doctor_lists_all_problems(tiny):
    layers, scenario = tiny
    doc = yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))
    doc["facilities"]["hospital"]["path"] = "missing.gpkg"          # problem 1: missing file
    doc["facilities"]["childcare"]["fields"]["slots"] = "不存在的列"  # problem 2: unknown column
    (layers / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli, ["doctor", "-l", str(layers), "-s", str(scenario)], catch_exceptions=False)
    assert result.exit_code == 2
    out = result.output
    assert "[PROBLEM] facilities hospital" in out and "does not exist" in out
    assert "[PROBLEM] facilities childcare" in out and "不存在的列" in out
    assert "[ok] facilities shelter" in out  # the rest is still checked
    assert "[ok] units and population" in out
    assert "8 problems found." in out  # English plural, no "(s)"


def test_doctor_clean_layer_set(tiny):
    layers, scenario = tiny
    result = CliRunner().invoke(cli, ["doctor", "-l", str(layers), "-s", str(scenario)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "No problems found." in result.output
    assert "[ok] target slots: runs (fail)" in result.output
