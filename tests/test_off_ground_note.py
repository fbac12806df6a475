"""Homes and facilities that could only be placed on a tunnel or bridge are reported (issue 17).

A generated network: the tiny city's street grid (conftest) with every street east of the river raised
onto bridges (``bridge=yes``, ``layer=1``), except the one street at y = 950 m that crosses the river on
the ground. Points farther than the snapping reach from every ground street can only go onto a bridge.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
import yaml
from conftest import TINY_SCENARIO, X0, Y0, pt, to_wgs, write_grid_osm, write_tiny

from coverage_planner.network.snap import DEFAULT_MAX_SNAP_M
from coverage_planner.render.text import render
from coverage_planner.studies.check import run_check

TARGET = """
  - id: fit
    kind: walk_access
    title: {zh: 健身圈, en: Fitness walk}
    plan: ps
    quote: "q"
    layer: fitness
    distance_m: 800
    level: street
    threshold: {min: 0.5}
"""
#: Two fitness places: one by a ground street (west), one among the bridges (east, 450 m from the ground).
FITNESS = [(300.0, 50.0), (1550.0, 150.0)]


def _raise_east_streets(osm: Path) -> None:
    """Tag every way whose nodes all lie east of the river (x > 1000 m) as a bridge on layer 1."""
    text = osm.read_text(encoding="utf-8")
    # conftest numbers the grid nodes column by column from x = 50 m, 10 rows per column
    east = {i for i in range(1, 201) if 50 + 100 * ((i - 1) // 10) > 1000}

    def lift(m: re.Match[str]) -> str:
        refs = {int(r) for r in re.findall(r'<nd ref="(\d+)"/>', m.group(0))}
        if refs <= east:
            return m.group(0).replace("</way>", '<tag k="bridge" v="yes"/><tag k="layer" v="1"/></way>')
        return m.group(0)

    osm.write_text(re.sub(r"<way .*?</way>", lift, text, flags=re.S), encoding="utf-8")


def _town(tmp_path: Path, *, east_on_bridges: bool) -> tuple[Path, Path]:
    """The tiny city with the two fitness facilities and a walk grid (its east streets raised, if asked)."""
    layers = write_tiny(tmp_path / "tiny")
    osm = write_grid_osm(layers / "walk.osm")
    if east_on_bridges:
        _raise_east_streets(osm)
    to_wgs(gpd.GeoDataFrame({"name": ["西", "东"]}, geometry=[pt(*xy) for xy in FITNESS])).to_file(
        layers / "facilities.gpkg", layer="fitness")
    doc = yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))
    doc["facilities"]["fitness"] = {"path": "facilities.gpkg", "layer": "fitness"}
    doc["networks"] = {"walk": {"path": "walk.osm"}}
    (layers / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    sc = tmp_path / "town.yaml"
    sc.write_text(TINY_SCENARIO + TARGET, encoding="utf-8")
    return layers, sc


@pytest.fixture
def bridge_town(tmp_path: Path) -> tuple[Path, Path]:
    return _town(tmp_path, east_on_bridges=True)


def _ground_streets() -> shapely.Geometry:
    """The streets left on the ground, drawn independently: the west grid and the crossing at y = 950 m."""
    c = np.arange(50.0, 1000.0, 100.0)
    lines = [shapely.LineString([(X0 + x, Y0 + 50), (X0 + x, Y0 + 950)]) for x in c]
    lines += [shapely.LineString([(X0 + 50, Y0 + y), (X0 + 950, Y0 + y)]) for y in c]
    lines.append(shapely.LineString([(X0 + 50, Y0 + 950), (X0 + 1950, Y0 + 950)]))
    return shapely.union_all(lines)


def test_points_only_on_bridges_are_a_data_note_in_both_languages(bridge_town: tuple[Path, Path]) -> None:
    layers, sc = bridge_town
    with rasterio.open(layers / "population" / "total.tif") as ds:
        rows, cols = np.nonzero(ds.read(1) > 0)
        xs, ys = rasterio.transform.xy(ds.transform, rows, cols)
    ground = _ground_streets()
    d = shapely.distance(shapely.points(xs, ys), ground)
    # cell centres and streets lie on a 100 m lattice: some homes sit exactly at the reach (300 m), where the
    # round trip through WGS84 decides by millimetres; they may go either way
    far, tie = int((d > DEFAULT_MAX_SNAP_M + 1).sum()), int((np.abs(d - DEFAULT_MAX_SNAP_M) <= 1).sum())
    assert far == 42 and tie > 0  # x ≥ 1350 m and y ≤ 550 m: 7 columns × 6 rows
    fac = shapely.distance(shapely.points([X0 + x for x, _ in FITNESS], [Y0 + y for _, y in FITNESS]), ground)
    assert fac[0] < 100 and fac[1] > DEFAULT_MAX_SNAP_M + 100

    run = run_check(sc, layers, want_geo=False)
    meta = run.meta()
    en = render(run.results, meta, fmt="text", lang="en")
    zh = render(run.results, meta, fmt="text", lang="zh")
    m = re.search(r"(\d+) homes could only be placed on a tunnel or bridge within 300 m \(no street on the ground that "
                  r"near in the walking network\); their distances start there\.", en)
    assert m, en
    homes = int(m.group(1))
    assert far <= homes <= far + tie
    assert ("fitness facility: 1 facility could only be placed on a tunnel or bridge within 300 m (no street on the "
            "ground that near in the walking network); its distances start there.") in en
    assert f"{homes} 处住所只能落在 300 米内的隧道或桥梁上(步行路网中附近没有地面道路),距离从那里起算。" in zh
    assert "健身设施:1 处设施只能落在 300 米内的隧道或桥梁上" in zh
    assert "could only" not in zh
    notes = json.loads(render(run.results, meta, fmt="json"))["data_notes"]
    assert sum("could only be placed on a tunnel or bridge" in n for n in notes) == 2


def test_no_note_when_every_point_reaches_a_ground_street(tmp_path: Path) -> None:
    layers, sc = _town(tmp_path, east_on_bridges=False)
    run = run_check(sc, layers, want_geo=False)
    assert not any("tunnel or bridge" in n for n in run.meta().notes)
