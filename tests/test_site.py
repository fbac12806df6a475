"""Siting studies end to end: the target is re-checked with the proposed sites, and agrees with the solver."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from click.testing import CliRunner

from coverage_planner.cli.main import cli
from coverage_planner.model.manifest import load_manifest
from coverage_planner.model.region import load_region
from coverage_planner.model.scenario import load_scenario
from coverage_planner.studies.check import resolve_layers
from coverage_planner.studies.site import SiteOptions, run_siting
from coverage_planner.targets.base import EvalContext

SCALE = 0.05


@pytest.fixture
def ctx() -> EvalContext:
    region = load_region(load_manifest(resolve_layers("demo", demo_scale=SCALE)))
    return EvalContext(region=region, scenario=load_scenario(2025))


def test_max_covering_after_matches_solver(ctx):
    study = run_siting(ctx, "fitness-15min-circle", SiteOptions(new=8, solver="milp"))
    assert len(study.sites) == 8
    # the target re-evaluated with the sites added gives the solver's own covered share
    assert study.after.value == pytest.approx(study.details["covered_share_after_solver"], abs=1e-9)
    assert study.after.value > study.before.value
    ranks = study.sites["people_newly_served"].to_numpy()
    assert (ranks[:-1] >= ranks[1:] - 1e-6).all()  # ranked by people newly served
    assert "optimal" in study.sentence


def test_greedy_is_never_better_than_milp(ctx):
    greedy = run_siting(ctx, "fitness-15min-circle", SiteOptions(new=5, solver="greedy"))
    ctx2 = EvalContext(region=load_region(ctx.region.spec), scenario=ctx.scenario)
    exact = run_siting(ctx2, "fitness-15min-circle", SiteOptions(new=5, solver="milp"))
    assert exact.after.value >= greedy.after.value - 1e-12
    assert "proven at least" in greedy.sentence  # the greedy states its (1 - 1/e) or better bound


def test_until_met_for_a_ratio_target(ctx):
    study = run_siting(ctx, "childcare-slots-per-1000", SiteOptions(until_met=True, capacity=100))
    assert study.before.status == "fail"
    assert study.after.status == "pass"
    # every proposed site stands in a unit that failed before
    failing = {u.name for u in study.before.units if u.status == "fail"}
    assert set(study.sites["unit"]) <= failing


def test_cli_writes_sites_report_and_map(tmp_path):
    out = tmp_path / "study"
    result = CliRunner().invoke(cli, ["site", "-s", "2025", "--demo-scale", str(SCALE), "-t",
                                      "shelter-check-emergency-500m", "--new", "3", "--capacity", "20000",
                                      "--out", str(out), "--tiles", "none", "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert doc["n_sites"] == 3 and doc["after"]["value"] >= doc["before"]["value"]
    sites = gpd.read_file(out / "sites.gpkg")
    assert len(sites) == 3 and sites.crs.to_epsg() == 4326
    assert (out / "map" / "index.html").exists()


def test_cli_refuses_unsupported_kind():
    result = CliRunner().invoke(cli, ["site", "-s", "2025", "--demo-scale", str(SCALE), "-t", "high-schools-built",
                                      "--new", "3"], catch_exceptions=False)
    assert result.exit_code == 2 and "siting studies take" in result.output


def test_station_siting_closes_spacing_gaps(tmp_path):
    from coverage_planner.model.scenario import SCENARIO_DIR

    sc = tmp_path / "dense.yaml"
    sc.write_text(f"year: 2025\nextends: {SCENARIO_DIR / '2025.yaml'}\ntargets:\n"
                  "  - id: seismic-station-spacing\n    spacing_km: 10\n    threshold: {max: 10}\n"
                  "    metric: coverage_triangular\n", encoding="utf-8")
    region = load_region(load_manifest(resolve_layers("demo", demo_scale=SCALE)))
    ctx = EvalContext(region=region, scenario=load_scenario(sc))
    study = run_siting(ctx, "seismic-station-spacing", SiteOptions(until_met=True))
    assert study.before.status == "fail" and study.after.status == "pass"
    assert study.after.value <= 10 + 1e-6 < study.before.value
    assert len(study.sites) >= 1 and study.details["criterion_met"] is True
    assert study.details["max_distance_km_after"] <= 10 / 3**0.5 + 1e-6


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_site_text_lists_changed_units_and_sites_in_aligned_columns(ctx, lang):
    import re

    from coverage_planner.model.words import display_width
    from coverage_planner.render.catalogue import t
    from coverage_planner.render.site_report import _column, render_site_text

    study = run_siting(ctx, "fitness-15min-circle", SiteOptions(new=6, solver="milp"))
    lines = render_site_text(study, lang=lang).splitlines()
    assert all(line == line.rstrip() for line in lines), [line for line in lines if line != line.rstrip()]
    units_at = next(i for i, line in enumerate(lines) if line.strip().startswith(t("site_units_heading", lang)))
    sites_at = next(i for i, line in enumerate(lines) if line.strip().startswith(t("sites_heading", lang)))
    unit_rows = lines[units_at + 1 : sites_at]
    assert unit_rows and all("→" in row for row in unit_rows)
    names = {row.split(":" if lang == "zh" else ":")[0].strip() for row in unit_rows}
    assert len({display_width(n) for n in names}) > 1  # names of different widths (districts and streets) ...
    # ... and the figures start in one column all the same (a CJK character takes two)
    assert len({display_width(row[: re.search(r"\d", row).start()]) for row in unit_rows}) == 1
    site_rows = [line for line in lines[sites_at + 1 :] if line.lstrip().startswith("#")]
    assert len(site_rows) == 6
    served = _column("people_newly_served", lang)
    assert len({display_width(row.split(served)[0]) for row in site_rows}) == 1
