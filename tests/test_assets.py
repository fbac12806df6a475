"""Leaflet ships with the package: pinned versions, licences, checksums, and package data that installs them."""

from __future__ import annotations

import fnmatch
import hashlib
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from coverage_planner.errors import MapError
from coverage_planner.render.web import assets
from coverage_planner.render.web.assets import (
    CDN,
    LEAFLET_VERSION,
    MARKERCLUSTER_VERSION,
    packaged_assets,
    static_checksums,
    write_assets,
)

REPO = Path(__file__).resolve().parents[1]
STATIC = REPO / "coverage" / "render" / "web" / "static"
#: The npm tarballs the files were taken from (sha1 as `npm pack` prints it), also in static/README.md.
NPM_SHA1 = {"leaflet-1.9.4": "23fae724e282fa25745aff82ca4d394748db7d8d",
            "leaflet.markercluster-1.5.3": "9cdb52a4eab92671832e1ef9899669e80efc4056"}


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_every_shipped_file_matches_its_checksum() -> None:
    sums = static_checksums()
    assert set(sums) == _files(STATIC) - {"SHA256SUMS", "README.md"}  # nothing unlisted, nothing missing
    for name, digest in sums.items():
        assert hashlib.sha256((packaged_assets() / name).read_bytes()).hexdigest() == digest, name


def test_versions_are_pinned_and_licensed() -> None:
    head = (STATIC / "leaflet.js").read_text(encoding="utf-8")[:200]
    assert f"Leaflet {LEAFLET_VERSION}," in head
    assert "MarkerClusterGroup" in (STATIC / "leaflet.markercluster.js").read_text(encoding="utf-8")
    assert all(f"@{LEAFLET_VERSION}/" in url or f"@{MARKERCLUSTER_VERSION}/" in url for url in CDN.values())
    readme = (STATIC / "README.md").read_text(encoding="utf-8")
    assert all(sha1 in readme for sha1 in NPM_SHA1.values())
    assert "BSD 2-Clause" in (STATIC / "LICENSE-leaflet.txt").read_text(encoding="utf-8")
    assert "MIT" in (STATIC / "LICENSE-leaflet.markercluster.txt").read_text(encoding="utf-8").upper() or \
        "Permission is hereby granted" in (STATIC / "LICENSE-leaflet.markercluster.txt").read_text(encoding="utf-8")


def test_package_data_globs_cover_every_file() -> None:
    data = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    globs = data["coverage_planner.render.web"]
    for name in _files(STATIC):
        assert any(fnmatch.fnmatch(f"static/{name}", g) for g in globs), name


def test_a_damaged_copy_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = tmp_path / "static"
    shutil.copytree(STATIC, damaged)
    (damaged / "leaflet.js").write_bytes((damaged / "leaflet.js").read_bytes().replace(b"1.9.4", b"6.6.6", 1))
    monkeypatch.setattr(assets, "packaged_assets", lambda: damaged)
    with pytest.raises(MapError, match="does not match its checksum"):
        write_assets("folder", tmp_path / "pages")
    monkeypatch.undo()
    write_assets("folder", tmp_path / "ok")
    assert (tmp_path / "ok" / "assets" / "leaflet.js").read_bytes() == (STATIC / "leaflet.js").read_bytes()


@pytest.mark.slow
def test_the_wheel_carries_leaflet(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(REPO)],
                   check=True, capture_output=True, text=True)
    (wheel,) = tmp_path.glob("coverage_planner-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in _files(STATIC):
        assert f"coverage_planner/render/web/static/{name}" in names, name
