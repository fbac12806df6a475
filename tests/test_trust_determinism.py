"""Determinism: the same inputs give byte-identical JSON reports and map pages across processes."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import COVERAGE_EXE, write_tiny_with_network


def _run(args: list[str], cache: Path, seed: str) -> None:
    env = dict(os.environ, COVERAGE_CACHE_DIR=str(cache), PYTHONHASHSEED=seed)
    r = subprocess.run([COVERAGE_EXE, *args], env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode in (0, 1), r.stderr


def test_json_report_and_map_pages_byte_identical_across_processes(tmp_path: Path) -> None:
    layers, sc = write_tiny_with_network(tmp_path)
    for i, seed in enumerate(("1", "2")):  # different hash seeds; the second run also hits the network cache
        _run(["check", "-s", str(sc), "--layers", str(layers), "-f", "json", "--out", str(tmp_path / f"r{i}.json")],
             tmp_path / "cache", seed)
        _run(["map", "-s", str(sc), "--layers", str(layers), "--tiles", "none", "--out", str(tmp_path / f"m{i}")],
             tmp_path / "cache", seed)
    assert (tmp_path / "r0.json").read_bytes() == (tmp_path / "r1.json").read_bytes()
    pages0 = sorted(p.relative_to(tmp_path / "m0") for p in (tmp_path / "m0").rglob("*") if p.is_file())
    pages1 = sorted(p.relative_to(tmp_path / "m1") for p in (tmp_path / "m1").rglob("*") if p.is_file())
    assert pages0 == pages1 and len(pages0) > 2
    differ = [str(p) for p in pages0 if (tmp_path / "m0" / p).read_bytes() != (tmp_path / "m1" / p).read_bytes()]
    assert differ == [], f"pages differ between processes: {differ}"
