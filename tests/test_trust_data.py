"""Data the planner did not mean (issue 19): MultiPoints, undeclared GCJ-02/BD-09, stations, implausible values."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import shapely
from click.testing import CliRunner
from conftest import pt, to_wgs

from coverage_planner.cli.main import cli


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _hospitals(layers: Path, geoms: list) -> None:
    shelters = gpd.read_file(layers / "facilities.gpkg", layer="shelter")
    hosp = to_wgs(gpd.GeoDataFrame({"name": [f"院{i}" for i in range(len(geoms))], "beds": [9] * len(geoms),
                                    "status": ["existing"] * len(geoms)}, geometry=geoms))
    (layers / "facilities.gpkg").unlink()
    hosp.to_file(layers / "facilities.gpkg", layer="hospital")
    shelters.to_file(layers / "facilities.gpkg", layer="shelter")


def test_multipoint_facilities_with_several_points_are_refused_with_rows(tiny) -> None:
    layers, sc = tiny
    _hospitals(layers, [pt(500, 500), shapely.MultiPoint([pt(1500, 500), pt(1600, 600), pt(1700, 700)])])
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers))
    assert r.exit_code == 2, r.output
    assert "MultiPoint" in r.output and "row 2" in r.output and "3 points" in r.output, r.output
    assert "Traceback" not in r.output


def test_single_point_multipoint_is_taken_as_a_point_with_a_note(tiny) -> None:
    layers, sc = tiny
    _hospitals(layers, [pt(500, 500), shapely.MultiPoint([pt(1500, 500)])])
    r = _invoke("check", "--scenario", str(sc), "--layers", str(layers), "--exit-zero")
    assert r.exit_code == 0, r.output
    assert "single-point MultiPoint" in r.output, r.output
