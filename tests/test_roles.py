"""Units by role, never by name: the plan's groups select the same units on the demo and on real names."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

from coverage_planner.cli.main import cli
from coverage_planner.sources.demo import generate_demo_city
from coverage_planner.targets.roles import (
    GROUPS,
    ROLES,
    expand_roles,
    judged_without,
    missing_roles,
    unit_roles,
)

#: The 12 statutory units of the real layer set (the development zones have no polygons).
STATUTORY = ["中原区", "二七区", "管城回族区", "金水区", "上街区", "惠济区", "中牟县", "巩义市", "荥阳市", "新密市", "新郑市",
             "登封市"]
ROLE_TARGETS = {"2022": ["childcare-district-institutions"],
                "2025": ["public-cemetery", "seismic-one-per-county", "seismic-new-stations-named"]}


def _units(names: list[str], roles: list[str] | None = None) -> gpd.GeoDataFrame:
    data = {"unit_id": [str(i) for i in range(len(names))], "name": names}
    if roles is not None:
        data["role"] = roles
    return gpd.GeoDataFrame(data, geometry=[shapely.box(i, 0, i + 1, 1) for i in range(len(names))])


def test_the_plan_groups_cover_the_16_units_once():
    parts = ["inner_district", "district_zone", "county_like_district", "county_city", "rural_county"]
    members = [r for g in parts for r in GROUPS[g][0]]
    assert sorted(members) == sorted(ROLES) and len(members) == 16
    assert expand_roles(["counties"]) == expand_roles(["county_city", "rural_county"])
    assert expand_roles(["county_like_district"]) == {"shangjie", "airport"}
    with pytest.raises(KeyError):
        expand_roles(["上街区"])  # names are not roles


def test_real_names_map_to_roles_and_the_missing_zones_are_named():
    real = _units([*STATUTORY, "郑州航空港经济综合实验区"])
    roles = unit_roles(real)
    assert list(roles[:12]) == ["zhongyuan", "erqi", "guancheng", "jinshui", "shangjie", "huiji", "zhongmou",
                                "gongyi", "xingyang", "xinmi", "xinzheng", "dengfeng"]
    assert roles[12] == "airport"  # the long official name too
    statutory = _units(STATUTORY)
    assert missing_roles(statutory, ROLES) == ["zhengdong", "jingkai", "gaoxin", "airport"]
    en, zh = judged_without(statutory, None)
    assert "郑东新区、郑州经开区、郑州高新区、郑州航空港区" in en and "units.gpkg" in en and "role" in en
    assert "无法判断" in zh
    # a target over the counties alone loses nothing without the zones
    assert judged_without(statutory, expand_roles(["counties"])) is None
    assert "郑州航空港区" in judged_without(statutory, expand_roles(["county_like_district"]))[0]
    # invented names without a role column carry no role: no note, nothing selected
    assert judged_without(_units(["甲区", "乙县"]), None) is None


def test_a_role_column_wins_over_the_name():
    units = _units(["金水区", "某某区"], roles=["airport", "not-a-role"])
    assert list(unit_roles(units)) == ["airport", ""]


@pytest.fixture(scope="module")
def two_cities(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The 0.05 demo city, and a copy whose districts carry the real names of their roles (no role column)."""
    demo = generate_demo_city(tmp_path_factory.mktemp("demo") / "d", scale=0.05).parent
    real = tmp_path_factory.mktemp("real") / "r"
    shutil.copytree(demo, real)
    d = gpd.read_file(real / "units.gpkg", layer="district")
    assert d["role"].nunique() == len(d)  # one role per district
    d["name"] = [ROLES[r][0] for r in d["role"]]
    d.drop(columns="role").to_file(real / "units.gpkg", layer="district", driver="GPKG")
    return demo, real


def _selected(layers: Path, year: str, tmp: Path) -> dict[str, list[tuple[str, float]]]:
    out = tmp / f"{layers.name}-{year}.json"
    args = ["check", "-s", year, "--layers", str(layers), "--format", "json", "--out", str(out)]
    for t in ROLE_TARGETS[year]:
        args += ["--target", t]
    res = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert res.exit_code in (0, 1), res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    return {t["id"]: sorted((u["unit_id"], u["threshold"]) for u in t["units"]) for t in doc["targets"]}


@pytest.mark.parametrize("year", sorted(ROLE_TARGETS))
def test_the_same_scenario_selects_the_same_units_on_demo_and_real_names(two_cities, year, tmp_path):
    demo, real = two_cities
    on_demo, on_real = _selected(demo, year, tmp_path), _selected(real, year, tmp_path)
    assert on_demo == on_real
    assert all(on_demo.values()), on_demo  # every target selects some unit on the 0.05 city
    if year == "2022":  # inner districts and zones need 2, the rest 1
        d = gpd.read_file(demo / "units.gpkg", layer="district")
        need = {str(c): (2.0 if r in GROUPS["inner_district"][0] + GROUPS["district_zone"][0] else 1.0)
                for c, r in zip(d["code"], d["role"], strict=True)}
        assert dict(on_demo["childcare-district-institutions"]) == need
