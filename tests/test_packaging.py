"""The package installs and imports under its own name: coverage_planner (issue 16).

- every package folder is listed in pyproject.toml (the import name differs from the folder name, so
  setuptools cannot find them itself);
- coverage.py and numba import next to it (numba imports `coverage` and once found this package);
- a wheel built from the checkout, installed without `-e`, runs the main job from a folder that is not
  the checkout (scenarios and the tag mapping are package data).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_listed_in_pyproject() -> None:
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {"coverage_planner." + ".".join(p.parent.relative_to(REPO / "coverage").parts)
             for p in (REPO / "coverage").rglob("__init__.py") if "__pycache__" not in p.parts}
    found = {f.rstrip(".") for f in found} | {"coverage_planner.scenarios"}
    assert found == listed


def test_numba_and_coverage_py_import_beside_the_package(tmp_path: Path) -> None:
    code = ("import coverage_planner, coverage, numba\n"
            "assert hasattr(coverage, 'Coverage'), coverage.__file__\n"
            "print(coverage.__file__)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert not proc.stdout.startswith(str(REPO / "coverage"))  # coverage.py, not this checkout's coverage/ folder


def test_python_started_in_the_checkout_runs_the_engines() -> None:
    """`python -c` / a notebook in the checkout has the checkout on sys.path, where the folder coverage/ is
    found as `coverage`: numba's first use (the network kernel) imports it and failed with an internal
    error; the folder now hands the name back to coverage.py."""
    code = ("import coverage_planner as cp\n"
            "from coverage_planner.network import kernel\n"          # imports numba, which imports coverage
            "import coverage\n"
            "assert hasattr(coverage, 'Coverage'), coverage.__file__\n"
            "print(cp.check.__module__, coverage.__file__)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    module, where = proc.stdout.split()
    assert module == "coverage_planner.studies.check"
    assert not where.startswith(str(REPO / "coverage"))


def test_numba_imports_in_this_test_process() -> None:
    import coverage
    import numba

    assert hasattr(coverage, "Coverage") and numba.__version__


def _site_packages(python: Path) -> str:
    return subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.slow
def test_wheel_installed_without_e_runs_the_main_job(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels),
                    str(REPO)], check=True, capture_output=True, text=True)
    (wheel,) = wheels.glob("coverage_planner-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    new_py = venv / "bin" / "python"
    # the dependencies come from this environment's site-packages (a .pth line; its own .pth files, such as
    # the editable install's finder, are not processed from there), the package only from the wheel
    site = Path(_site_packages(new_py))
    site.mkdir(parents=True, exist_ok=True)
    (site / "deps.pth").write_text(_site_packages(Path(sys.executable)) + "\n")
    subprocess.run([str(new_py), "-m", "pip", "install", "-q", "--no-deps", "--no-compile", str(wheel)],
                   check=True, capture_output=True, text=True)
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONNOUSERSITE": "1"}
    where = subprocess.run([str(new_py), "-c", "import coverage_planner; print(coverage_planner.__file__)"],
                           cwd=work, capture_output=True, text=True, env=env, check=True).stdout
    assert str(venv) in where and str(REPO) not in where
    proc = subprocess.run([str(venv / "bin" / "coverage"), "check", "--scenario", "2025", "--demo-scale", "0.05",
                           "--format", "json"], cwd=work, capture_output=True, text=True, env=env, check=False)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    assert '"year": 2025' in proc.stdout
