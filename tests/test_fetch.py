"""Fetching real data: downloader (offline, hand-made responses), boundaries, OSM, WorldPop, Zhengzhou build."""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
import urllib.error
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from coverage.errors import LayerError
from coverage.fetch import download as dl
from coverage.fetch.boundaries import district_class, street_class, voronoi_units

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
    assert "overpass.example" in msg and "attempt 3" in msg and "--osm-file" in msg and "internet" in msg
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
    from coverage.check import run_check
    from coverage.fetch.shared import build_from_shared
    from coverage.manifest import load_manifest

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
