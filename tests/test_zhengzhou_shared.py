"""Zhengzhou end to end from ../shared/data: fetch the real layer set, import bureau-style lists, check 2025.

The facility lists are test input written here (there are no real Zhengzhou bureau lists in the shared
data): small CSVs with Chinese headers, one facility at a point inside some of the real units. What is
asserted is the tool's behaviour on the real boundaries and population: every ratio/presence target of
2025 whose units exist answers pass/fail with the real district names, and the others say exactly what
to add.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from conftest import SHARED_DATA

from coverage_planner.cli.main import cli

pytestmark = pytest.mark.shared_data

DISTRICTS_2023 = {"中原区", "二七区", "管城回族区", "金水区", "上街区", "惠济区", "中牟县", "巩义市", "荥阳市", "新密市",
                  "新郑市", "登封市"}
#: Levels the shared data has no polygons for: those targets stay "no data" and must say what to add.
NO_POLYGONS = {"community", "new_estates", "built_up"}
#: Targets that need figures no layer of the shared data has (the 3-5 age group, the immunisation list per
#: street): "no data", naming what to add.
NEEDS_FIGURES = {"preschool-enrolment": "age_3_5", "vaccination-per-street-township": "children_due"}


def invoke(*args: str) -> str:
    res = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert res.exit_code in (0, 1), res.output
    assert "Traceback" not in res.output
    return res.output


def points(units: gpd.GeoDataFrame, every: int) -> pd.DataFrame:
    """lon/lat (WGS84) of a point inside every ``every``-th unit, with the unit's name."""
    sub = units.iloc[::every]
    pts = shapely.point_on_surface(sub.geometry.values)
    return pd.DataFrame({"unit": sub["name"].to_numpy(), "经度": shapely.get_x(pts).round(6),
                         "纬度": shapely.get_y(pts).round(6)})


def write_list(folder: Path, role: str, base: pd.DataFrame, **columns) -> Path:
    df = base.copy()
    df.insert(0, "名称", [f"{u}{role}{i}" for i, u in enumerate(df.pop("unit"))])
    for col, value in columns.items():
        df[col] = value
    path = folder / f"{role}.csv"
    df.to_csv(path, index=False, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def zhengzhou(tmp_path_factory) -> Path:
    if not (SHARED_DATA / "SOURCES.md").is_file():
        pytest.skip("../shared/data is not present (set COVERAGE_SHARED_DATA)")
    out = tmp_path_factory.mktemp("zz") / "zhengzhou"
    invoke("fetch", "--from-shared", str(SHARED_DATA), "--out", str(out))
    return out


def check_2025(layers: Path, tmp: Path) -> dict:
    report = tmp / "r.json"
    invoke("check", "-s", "2025", "--layers", str(layers), "--format", "json", "--out", str(report))
    return json.loads(report.read_text(encoding="utf-8"))


def test_before_import_every_target_names_the_role_and_the_import_command(zhengzhou, tmp_path):
    doc = check_2025(zhengzhou, tmp_path)
    by_id = {t["id"]: t for t in doc["targets"]}
    assert all(t["status"] == "no_data" for t in doc["targets"])
    msg = by_id["childcare-slots-per-1000"]["summary"]["en"]
    assert f"coverage layers import LIST.xlsx --role childcare --layers {zhengzhou}" in msg
    assert "slots" in msg  # the column the target reads
    assert "--role elderly_centre" in by_id["elderly-centre-per-street"]["summary"]["en"]
    assert "comprehensive" in by_id["elderly-centre-per-street"]["summary"]["en"]
    assert "units: {community:" in by_id["childcare-community"]["summary"]["en"]
    notes = " ".join(doc["data_notes"]) if isinstance(doc["data_notes"], list) else json.dumps(doc["data_notes"])
    assert "2000" in notes and "township" in notes


def test_with_lists_imported_every_ratio_and_presence_target_answers(zhengzhou, tmp_path):
    layers = tmp_path / "zz"
    import shutil

    shutil.copytree(zhengzhou, layers)
    units = gpd.read_file(layers / "units.gpkg", layer="district")
    streets = gpd.read_file(layers / "units.gpkg", layer="street")
    assert set(units["name"]) == DISTRICTS_2023
    d1, s2, s3 = points(units, 1), points(streets, 2), points(streets, 3)
    lists = [
        ("childcare", write_list(tmp_path, "childcare", s2, 托位数=60, 是否普惠="是", 是否公办="是")),
        ("kindergarten", write_list(tmp_path, "kindergarten", s3, 在园幼儿数=200, 是否普惠="是", 是否公办="是",
                                                       central="是")),
        ("senior_education", write_list(tmp_path, "senior_education", d1.iloc[::2])),
        ("hospital", write_list(tmp_path, "hospital", d1, 床位数=3000, 执业医师=900, 注册护士=1200)),
        ("maternal_child_health", write_list(tmp_path, "maternal_child_health", d1, government="是")),
        ("primary_care", write_list(tmp_path, "primary_care", s2, staff=40, gps=3, beds=40, nursing_beds=10)),
        ("elderly_health_centre", write_list(tmp_path, "elderly_health_centre", d1, level="county")),
        ("elderly_centre", write_list(tmp_path, "elderly_centre", s2, comprehensive="是")),
        ("elderly_institution", write_list(tmp_path, "elderly_institution", d1, 床位数=200, 护理型床位=120, medical_care="是",
                                           county_level="是")),
        ("social_work_station", write_list(tmp_path, "social_work_station", s2)),
        ("emergency_depot", write_list(tmp_path, "emergency_depot", d1.iloc[:6])),
        ("cemetery", write_list(tmp_path, "cemetery", s3, kind="rural_demonstration")),
        ("sports_venue", write_list(tmp_path, "sports_venue", s2, 场地面积=50000)),
        ("football_pitch", write_list(tmp_path, "football_pitch", s2, 块数=4)),
        ("culture_facility", write_list(tmp_path, "culture_facility", s2, 建筑面积=20000)),
        ("seismic_station", write_list(tmp_path, "seismic_station", d1)),
        ("shelter", write_list(tmp_path, "shelter", s2, 有效避难面积=30000, 场所类型="fixed")),
        ("quake_science_base", write_list(tmp_path, "quake_science_base", d1)),
        ("fitness", write_list(tmp_path, "fitness", s2)),
        ("fitness_centre", write_list(tmp_path, "fitness_centre", d1)),
        ("culture_centre", write_list(tmp_path, "culture_centre", s2, level="street")),
        ("social_work_centre", write_list(tmp_path, "social_work_centre", d1)),
        ("community_school", write_list(tmp_path, "community_school", s2, level="street")),
        ("funeral_facility", write_list(tmp_path, "funeral_facility", d1, level="county")),
        ("quake_command_centre", write_list(tmp_path, "quake_command_centre", d1, level="county")),
    ]
    for role, path in lists:
        invoke("layers", "import", str(path), "--role", role, "--layers", str(layers), "--coord-system", "wgs84")
    doc = check_2025(layers, tmp_path)
    answered = 0
    for t in doc["targets"]:
        if t["kind"] not in ("ratio", "presence"):
            continue
        if t["id"] in NEEDS_FIGURES:
            assert t["status"] == "no_data" and NEEDS_FIGURES[t["id"]] in t["summary"]["en"], t["summary"]["en"]
            continue
        if t["level"] in NO_POLYGONS or "built_up" in t["summary"]["en"]:
            assert t["status"] == "no_data", t["id"]
            assert "units: {" in t["summary"]["en"] or "areas: {" in t["summary"]["en"], t["summary"]["en"]
            continue
        assert t["status"] in ("pass", "fail"), (t["id"], t["summary"]["en"])
        answered += 1
        if t["level"] == "district":
            names = {u["name"] for u in t["units"]}
            assert names and names <= DISTRICTS_2023, (t["id"], names)
        if t["level"] == "street":
            assert any(u["name"].endswith(("街道", "镇", "乡")) for u in t["units"]), t["id"]
    assert answered >= 20
    by_id = {t["id"]: t for t in doc["targets"]}
    # one 普惠 60-slot institution in every other township: some districts pass the count, the per-street one fails
    assert by_id["childcare-street-township"]["status"] == "fail"
    assert {u["name"] for u in by_id["childcare-slots-per-1000"]["units"]} == DISTRICTS_2023


def test_offline_fetch_of_zhengzhou_points_at_the_shared_data(tmp_path):
    if not (SHARED_DATA / "SOURCES.md").is_file():
        pytest.skip("../shared/data is not present (set COVERAGE_SHARED_DATA)")
    out = tmp_path / "zz"
    res = CliRunner(env={"COVERAGE_SHARED_DATA": str(SHARED_DATA)}).invoke(
        cli, ["fetch", "--offline", "--region", "410100", "--out", str(out)], catch_exceptions=False)
    assert res.exit_code == 2, res.output
    assert f"coverage fetch --from-shared {SHARED_DATA} --out {out}" in res.output
    assert not out.exists()
