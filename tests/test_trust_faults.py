"""Faults: interrupted runs, concurrent demo builds, read-only output folders.

(A corrupt network cache entry being detected and rebuilt is covered by
``tests/test_network_load.py::test_cache_hit_miss_and_corrupt_rebuild`` and
``test_graph_npz_checksum_detects_edits``; not repeated here.)
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from conftest import COVERAGE_EXE, write_tiny_with_network


def _env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["COVERAGE_CACHE_DIR"] = str(cache)
    return env


def _temps(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(".") and ".tmp" in p.name]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _held_run(cmd: list[str], env: dict[str, str], *, name: str, at: str, sig: int) -> tuple[int, str, Path | None]:
    """Run ``cmd`` until it announces (test hook in coverage_planner._io) that it holds the point ``at`` of the
    atomic write of ``name``; check the temporary exists then; send ``sig``. No timing: the child waits.

    Returns (exit code, stderr, the temporary announced or None when the run never got there).
    """
    from coverage_planner import _io

    r, w = os.pipe()
    env = {**env, _io.HOLD_FD_ENV: str(w), _io.HOLD_AT_ENV: at, _io.HOLD_NAME_ENV: name}
    # SIGINT back to its default in the child: a suite started in the background (`cmd &` in a script) passes
    # SIGINT on as ignored, and Python then never turns it into KeyboardInterrupt
    proc = subprocess.Popen(cmd, env=env, pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, preexec_fn=_default_sigint)  # noqa: PLW1509 - signal dispositions only
    os.close(w)
    tmp: Path | None = None
    try:
        with os.fdopen(r) as pipe:
            line = pipe.readline()  # blocks until the child holds, or exits (end of file)
        if line:
            tmp = Path(line.split(" ", 1)[1].strip())
            assert tmp.parent.is_dir(), f"announced temporary {tmp.parent} does not exist"
            proc.send_signal(sig)
        _, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, err, tmp


def _previous_maps(out: Path) -> None:
    from coverage_planner.render.web.publish import MARKER

    out.mkdir(parents=True)
    (out / "index.html").write_text("previous maps", encoding="utf-8")
    (out / MARKER).write_text("made by coverage-planner", encoding="utf-8")


@pytest.mark.parametrize("at", ["temp", "commit"])
@pytest.mark.parametrize("sig", [pytest.param(signal.SIGINT, marks=pytest.mark.slow), signal.SIGTERM],
                         ids=["SIGINT", "SIGTERM"])
def test_interrupted_map_keeps_previous_output_and_no_temp(tmp_path: Path, sig: int, at: str) -> None:
    layers, sc = write_tiny_with_network(tmp_path)
    out = tmp_path / "out" / "maps"
    _previous_maps(out)
    env = _env(tmp_path / "cache")
    cmd = [COVERAGE_EXE, "map", "--scenario", str(sc), "--layers", str(layers), "--tiles", "none", "--out", str(out)]
    code, err, tmp = _held_run(cmd, env, name="maps", at=at, sig=sig)
    assert tmp is not None, f"the map run never reached its atomic write (exit {code}): {err[-2000:]}"
    assert code == 130, err
    assert "Interrupted: nothing was written." in err, err
    assert "Traceback" not in err, err
    assert (out / "index.html").read_text(encoding="utf-8") == "previous maps"
    assert _temps(out.parent) == [], f"left behind: {_temps(out.parent)}; stderr: {err[-2000:]}"


def test_killed_map_leaves_a_temp_the_next_run_removes(tmp_path: Path) -> None:
    layers, sc = write_tiny_with_network(tmp_path)
    out = tmp_path / "out" / "maps"
    _previous_maps(out)
    env = _env(tmp_path / "cache")
    cmd = [COVERAGE_EXE, "map", "--scenario", str(sc), "--layers", str(layers), "--tiles", "none", "--out", str(out)]
    code, err, tmp = _held_run(cmd, env, name="maps", at="commit", sig=signal.SIGKILL)
    assert tmp is not None and code == -signal.SIGKILL, err
    assert (out / "index.html").read_text(encoding="utf-8") == "previous maps"
    assert _temps(out.parent) == [tmp.parent]  # kill -9 cannot be caught: the temporary stays ...
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert _temps(out.parent) == []  # ... until the next run writing there removes it
    assert "previous maps" not in (out / "index.html").read_text(encoding="utf-8")


def test_killed_demo_build_leaves_nothing_after_the_next_command(tmp_path: Path) -> None:
    from coverage_planner.sources.demo import demo_folder_name

    cache = tmp_path / "cache"
    env = _env(cache)
    name = demo_folder_name(scale=0.02, seed=2025)
    code, err, tmp = _held_run([COVERAGE_EXE, "demo", "--scale", "0.02"], env, name=name, at="temp",
                               sig=signal.SIGKILL)
    assert tmp is not None and code == -signal.SIGKILL, err
    assert _temps(cache) == [tmp.parent]
    r = subprocess.run([COVERAGE_EXE, "doctor", "--help"], env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert _temps(cache) == []  # any command clears the cache of what killed runs left


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
    code, err, tmp = _held_run(cmd, env, name="report.json", at="commit", sig=sig)
    assert tmp is not None, err
    assert code == 130, err
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


def _dead_pid() -> int:
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def test_sweep_removes_only_dead_unlocked_older_temps_and_restores_a_half_replaced_output(tmp_path: Path) -> None:
    from coverage_planner import _io

    past = _io.PROCESS_START - 60
    # killed between moving the previous output aside and the new one in: the previous output comes back
    dead = tmp_path / f".maps.{_dead_pid()}.0123abcd.tmp"
    (dead / "maps.old").mkdir(parents=True)
    (dead / "maps.old" / "index.html").write_text("previous", encoding="utf-8")
    (dead / "maps").mkdir()
    os.utime(dead, (past, past))
    # a living writer's temporary (it holds the lock): kept, even when old
    alive = tmp_path / f".report.json.{_dead_pid()}.4567cdef.tmp"  # the lock decides, whatever the name says
    alive.mkdir()
    os.utime(alive, (past, past))
    holder = subprocess.Popen(["python3", "-c", "import fcntl,os,sys,time; fd=os.open(sys.argv[1], os.O_RDONLY); "
                               "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(600)",
                               str(alive)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    # a recent one (made after this run started) of a dead process: kept (could be a concurrent run's)
    recent = tmp_path / f".maps.{_dead_pid()}.89abcdef.tmp"
    recent.mkdir()
    # a stranger's file that only looks similar: kept
    other = tmp_path / ".notes.tmp"
    other.write_text("x")
    try:
        removed = _io.sweep_stale_temps(tmp_path)
    finally:
        holder.kill()
        holder.wait()
    assert removed == [dead]
    assert (tmp_path / "maps" / "index.html").read_text(encoding="utf-8") == "previous"
    assert alive.exists() and recent.exists() and other.exists()
    # once its holder is gone, the old temporary goes too
    assert _io.sweep_stale_temps(tmp_path, name="maps") == []  # name filter: report.json is not considered
    assert _io.sweep_stale_temps(tmp_path) == [alive]


def test_signal_inside_a_held_section_is_acted_on_when_it_ends() -> None:
    from coverage_planner import _io

    old = signal.signal(signal.SIGTERM, _io.raise_terminated)
    steps: list[str] = []
    try:
        with pytest.raises(_io.Terminated), _io._signals_held():
            os.kill(os.getpid(), signal.SIGTERM)
            for _ in range(1000):  # give the handler every chance to run (it must not, here)
                steps.append("x")
            steps.append("section finished")
        assert steps[-1] == "section finished"
        assert signal.getsignal(signal.SIGTERM) is _io.raise_terminated  # handlers put back
    finally:
        signal.signal(signal.SIGTERM, old)
