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


def test_doctor_says_which_targets_lack_data_and_never_calls_them_ok(tiny):
    """A target the layer set cannot answer is neither ok nor a problem: its own label, what to add, a count."""
    layers, _ = tiny
    for lang, label, count in (("en", "[NO DATA] target preschool-enrolment: The population layer has no group "
                                      "'age_3_5'", "targets cannot be checked until their data is added"),
                               ("zh", "[缺数据] 指标 preschool-enrolment:人口图层没有人群 'age_3_5'",
                                "项指标缺少数据")):
        result = CliRunner().invoke(cli, ["doctor", "-l", str(layers), "-s", "2025", "--no-networks", "--lang", lang],
                                    catch_exceptions=False)
        out = result.output
        assert label in out, out
        assert count in out.splitlines()[-1]
        no_data = [line for line in out.splitlines() if line.startswith(("[NO DATA]", "[缺数据]"))]
        assert len(no_data) > 10 and not any("no_data" in line or "(no data)" in line for line in out.splitlines())
        assert f"{len(no_data)} " in out.splitlines()[-1]
        assert "[ok] target childcare-slots-per-1000: runs (fail)" in out or "可运行(未达标)" in out
