"""Faults: interrupted runs, concurrent demo builds, read-only output folders.

(A corrupt network cache entry being detected and rebuilt is covered by
``tests/test_network_load.py::test_cache_hit_miss_and_corrupt_rebuild`` and
``test_graph_npz_checksum_detects_edits``; not repeated here.)
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import COVERAGE_EXE, write_tiny_with_network


def _env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["COVERAGE_CACHE_DIR"] = str(cache)
    return env


def _temps(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and ".tmp" in p.name]


def _interrupt(cmd: list[str], env: dict[str, str], watch: Path, sig: int, *, timeout: float = 120.0) -> tuple[int, str, bool]:
    """Start ``cmd``; send ``sig`` as soon as it has a temporary output beside ``watch`` (or, failing that,
    once it has run for a while). Returns (exit code, stderr, whether the temporary was seen)."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    start = time.monotonic()
    seen = False
    try:
        while proc.poll() is None and time.monotonic() - start < timeout:
            if any(p.name.startswith(f".{watch.name}.") for p in watch.parent.iterdir()):
                seen = True
                break
            time.sleep(0.002)
        if proc.poll() is None:
            proc.send_signal(sig)
        _, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, err, seen


@pytest.mark.parametrize("sig", [pytest.param(signal.SIGINT, marks=pytest.mark.slow), signal.SIGTERM],
                         ids=["SIGINT", "SIGTERM"])
def test_interrupted_map_keeps_previous_output_and_no_temp(tmp_path: Path, sig: int) -> None:
    layers, sc = write_tiny_with_network(tmp_path)
    out = tmp_path / "out" / "maps"
    out.mkdir(parents=True)
    from coverage_planner.render.web.publish import MARKER

    (out / "index.html").write_text("previous maps", encoding="utf-8")
    (out / MARKER).write_text("made by coverage-planner", encoding="utf-8")
    env = _env(tmp_path / "cache")
    cmd = [COVERAGE_EXE, "map", "--scenario", str(sc), "--layers", str(layers), "--tiles", "none", "--out", str(out)]
    for _ in range(3):  # the temporary folder must be caught while it exists
        code, err, seen = _interrupt(cmd, env, out, sig)
        if seen:
            break
    assert seen, f"the map run never showed its temporary folder (exit {code}): {err[-2000:]}"
    assert code != 0, err
    assert "Traceback" not in err, err
    assert (out / "index.html").read_text(encoding="utf-8") == "previous maps"
    assert _temps(out.parent) == [], f"left behind: {_temps(out.parent)}; stderr: {err[-2000:]}"


@pytest.mark.parametrize("sig", [pytest.param(signal.SIGINT, marks=pytest.mark.slow), signal.SIGTERM],
                         ids=["SIGINT", "SIGTERM"])
def test_interrupted_check_keeps_previous_report_and_no_temp(tmp_path: Path, sig: int) -> None:
    layers, sc = write_tiny_with_network(tmp_path)
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    out.write_text("previous report", encoding="utf-8")
    env = _env(tmp_path / "cache")
    cmd = [COVERAGE_EXE, "check", "--scenario", str(sc), "--layers", str(layers), "--format", "json", "--out", str(out),
           "--exit-zero"]
    # mid-way: once the interpreter is up and the run has started (the report is written only at the end)
    proc = subprocess.Popen([COVERAGE_EXE, "-vv", *cmd[1:]], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:  # debug log lines arrive as the run goes on
        if "population" in line or "network" in line:
            break
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert "Traceback" not in err, err
    assert out.read_text(encoding="utf-8") == "previous report"
    assert _temps(out.parent) == []


def test_two_demo_builds_at_once_share_one_layer_set(tmp_path: Path) -> None:
    cache = tmp_path / "fresh-cache"
    env = _env(cache)
    cmd = [COVERAGE_EXE, "demo", "--scale", "0.02"]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, e) in zip(procs, outs, strict=True):
        assert p.returncode == 0, e
    folders = {o.strip() for o, _ in outs}
    assert len(folders) == 1, folders
    folder = Path(folders.pop())
    assert (folder / "manifest.yaml").is_file()
    sets = list(cache.rglob("manifest.yaml"))
    assert sets == [folder / "manifest.yaml"], sets
    assert not [p for p in cache.rglob("*") if p.name.endswith(".tmp")]
    # the layer set is valid
    r = subprocess.run([COVERAGE_EXE, "doctor", "--layers", str(folder)], env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode in (0, 1), r.stderr


@pytest.mark.parametrize("command", ["check", pytest.param("map", marks=pytest.mark.slow)])
def test_read_only_output_folder_clear_error_exit_2(tmp_path: Path, command: str) -> None:
    layers, sc = write_tiny_with_network(tmp_path)
    ro = tmp_path / "ro"
    ro.mkdir()
    env = _env(tmp_path / "cache")
    if os.geteuid() == 0:
        # root ignores permission bits: a path under a regular file cannot be created by anyone
        (ro / "file").write_text("x")
        target = ro / "file" / ("report.json" if command == "check" else "maps")
    else:
        ro.chmod(0o555)
        target = ro / ("report.json" if command == "check" else "maps")
    args = [COVERAGE_EXE, command, "--scenario", str(sc), "--layers", str(layers), "--out", str(target)]
    args += ["--format", "json", "--exit-zero"] if command == "check" else ["--tiles", "none"]
    try:
        r = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    finally:
        ro.chmod(0o755)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert str(target.parent) in r.stderr or str(target) in r.stderr, r.stderr
    assert "write" in r.stderr.lower(), r.stderr
