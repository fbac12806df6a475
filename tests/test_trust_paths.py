"""Paths named by untrusted files (issue 19): one resolver, loops are bad input, scenarios report everything."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import rasterio
import yaml
from click.testing import CliRunner
from conftest import TINY_SCENARIO, write_tiny

from coverage_planner.cli.main import cli
from coverage_planner.model.scenario import SCENARIO_DIR


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _manifest(layers: Path) -> dict:
    return yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))


def _save(layers: Path, doc: dict) -> None:
    (layers / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def _outside_raster(tmp_path: Path, layers: Path) -> Path:
    """A group raster outside the layer set that would change the results (10x the children)."""
    with rasterio.open(layers / "population" / "age_0_2.tif") as ds:
        profile, data = ds.profile, ds.read(1)
    out = tmp_path / "elsewhere" / "kids.tif"
    out.parent.mkdir()
    with rasterio.open(out, "w", **profile) as ds:
        ds.write((data * 10).astype(np.float32), 1)
    return out


@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink"])
def test_population_group_path_leaving_the_folder_is_refused_before_reading(tiny, tmp_path: Path, how: str) -> None:
    layers, sc = tiny
    outside = _outside_raster(tmp_path, layers)
    doc = _manifest(layers)
    if how == "absolute":
        doc["population"]["groups"]["age_0_2"] = str(outside)
    elif how == "dotdot":
        doc["population"]["groups"]["age_0_2"] = "../elsewhere/kids.tif"
    else:
        (layers / "population" / "link.tif").symlink_to(outside)
        doc["population"]["groups"]["age_0_2"] = "population/link.tif"
    _save(layers, doc)
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero")
    assert r.exit_code == 2, r.output
    assert "population.groups.age_0_2" in r.output and "leaves the layer-set folder" in r.output, r.output
    assert "Traceback" not in r.output
    # the user may say they trust it: then it is read (and changes the result)
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero", "--allow-outside-paths")
    assert r.exit_code == 0, r.output


def _loop(folder: Path, name: str) -> None:
    (folder / f"{name}.a").symlink_to(folder / f"{name}.b")
    (folder / f"{name}.b").symlink_to(folder / f"{name}.a")


@pytest.mark.parametrize("key", ["units", "facility", "group"])
def test_symlink_loop_is_bad_input_exit_2_naming_the_key(tiny, key: str) -> None:
    layers, sc = tiny
    _loop(layers, "loop")
    doc = _manifest(layers)
    if key == "units":
        doc["units"]["district"]["path"] = "loop.a"
        named = "district.path"
    elif key == "facility":
        doc["facilities"]["hospital"]["path"] = "loop.a"
        named = "hospital.path"
    else:
        doc["population"]["groups"]["age_0_2"] = "loop.a"
        named = "population.groups.age_0_2"
    _save(layers, doc)
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers))
    assert r.exit_code == 2, r.output
    assert named in r.output and "symbolic-link loop" in r.output, r.output
    assert "Internal error" not in r.output and "Traceback" not in r.output


def test_symlink_loop_in_one_city_of_many_is_bad_input_not_internal(tmp_path: Path) -> None:
    good = write_tiny(tmp_path / "good")
    bad = write_tiny(tmp_path / "bad")
    _loop(bad, "loop")
    doc = _manifest(bad)
    doc["facilities"]["childcare"]["path"] = "loop.a"
    _save(bad, doc)
    sc = tmp_path / "sc.yaml"
    sc.write_text(TINY_SCENARIO, encoding="utf-8")
    r = _invoke("check", "--scenario", str(sc), "--layers", str(good), "--layers", str(bad),
                "--scheduler", "sequential", "--out", str(tmp_path / "out"), "--exit-zero")
    assert r.exit_code == 2, r.output  # bad input, not 3
    err = (tmp_path / "out" / "bad" / "error.txt").read_text(encoding="utf-8")
    assert "symbolic-link loop" in err and "childcare.path" in err


# ---------------------------------------------------------------------- scenario extends
def test_extends_absolute_path_is_refused_without_reading_it(tmp_path: Path, tiny) -> None:
    layers, _ = tiny
    secret = tmp_path / "secret" / "other.yaml"
    secret.parent.mkdir()
    secret.write_text("password_hint: hunter2\napi_key: abc\n", encoding="utf-8")
    sc = tmp_path / "scen" / "child.yaml"
    sc.parent.mkdir()
    sc.write_text(f"extends: {secret}\nyear: 2026\n", encoding="utf-8")
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers))
    assert r.exit_code == 2, r.output
    assert "`extends`" in r.output and "leaves the scenarios folder" in r.output, r.output
    assert "password_hint" not in r.output and "api_key" not in r.output


def test_extends_through_a_symlink_out_is_refused_and_a_year_is_allowed(tmp_path: Path, tiny) -> None:
    layers, _ = tiny
    (tmp_path / "outside.yaml").write_text(TINY_SCENARIO, encoding="utf-8")
    folder = tmp_path / "scen"
    folder.mkdir()
    (folder / "base.yaml").symlink_to(tmp_path / "outside.yaml")
    (folder / "child.yaml").write_text("extends: base.yaml\nyear: 2026\n", encoding="utf-8")
    r = _invoke("check", "--scenario", str(folder / "child.yaml"), "--layers", str(layers))
    assert r.exit_code == 2 and "leaves the scenarios folder" in r.output, r.output
    year = sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))[0]
    (folder / "child.yaml").write_text(f"extends: {year}\nyear: 2031\n", encoding="utf-8")
    from coverage_planner.model.scenario import load_scenario

    assert load_scenario(folder / "child.yaml").year == 2031  # the package's scenarios are allowed


def test_extended_scenario_reports_every_schema_error_in_one_run(tmp_path: Path) -> None:
    folder = tmp_path / "scen"
    folder.mkdir()
    (folder / "base.yaml").write_text(TINY_SCENARIO + "colour: blue\n", encoding="utf-8")
    (folder / "child.yaml").write_text(
        "extends: base.yaml\nyear: 20x5\ntargets: {id: x}\nplans: [a]\nunknown_key: 1\n", encoding="utf-8")
    from coverage_planner.errors import ScenarioError
    from coverage_planner.model.scenario import load_scenario

    with pytest.raises(ScenarioError) as info:
        load_scenario(folder / "child.yaml")
    text = str(info.value)
    for needle in ("year:", "20x5", "targets:", "plans:", "'unknown_key'", "'colour'"):
        assert needle in text, (needle, text)
    assert "5 problems" in text, text


def test_yaml_tag_gets_its_own_message_not_indentation(tmp_path: Path) -> None:
    sc = tmp_path / "tag.yaml"
    sc.write_text(TINY_SCENARIO + "extra: !!python/object:os.system {}\n", encoding="utf-8")
    from coverage_planner.errors import ScenarioError
    from coverage_planner.model.scenario import load_scenario

    with pytest.raises(ScenarioError) as info:
        load_scenario(sc)
    text = str(info.value)
    assert "!!python/object:os.system" in text and "not allowed" in text
    assert "indentation" not in text


def test_resolver_refuses_without_opening(tmp_path: Path) -> None:
    from coverage_planner.model.paths import PathRefused, resolve_inside

    root = tmp_path / "set"
    root.mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # opening it would block forever: the resolver must refuse it without opening
    with pytest.raises(PathRefused, match="leaves the layer-set folder"):
        resolve_inside(str(fifo), [root], label="layer-set")
    assert resolve_inside("a/../b.csv", [root], label="layer-set") == root.resolve() / "b.csv"
    with pytest.raises(PathRefused, match="empty"):
        resolve_inside("", [root], label="layer-set")
