"""Static checks CI enforces: mypy finds no error in the package; ruff's complexity limits hold.

Both tools read their settings from ``pyproject.toml`` (``[tool.mypy]``, ``[tool.ruff.lint]``), so what
runs here is what a developer runs by hand:

    python -m mypy coverage
    ruff check coverage tests benchmarks
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, input=stdin, capture_output=True, text=True,
                          timeout=600, check=False)


def test_mypy_finds_no_error_in_the_package() -> None:
    res = _run("mypy", "coverage")
    assert res.returncode == 0, f"mypy found errors (fix them; see docs/STATUS.md #16):\n{res.stdout[-6000:]}{res.stderr}"


def test_ruff_complexity_limits_hold_in_the_package() -> None:
    res = _run("ruff", "check", "coverage", "--select", "C901,PLR0913", "--output-format", "concise")
    assert res.returncode == 0, f"functions over the complexity limits:\n{res.stdout}{res.stderr}"


def test_the_limits_are_on_and_bite() -> None:
    """The configured limits are 15 and 8, and a package module over them fails (cli/ excepted)."""
    lint = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]["lint"]
    assert {"C901", "PLR0913"} <= set(lint["select"])
    assert lint["mccabe"]["max-complexity"] == 15
    assert lint["pylint"]["max-args"] == 8
    nine = "def f(a, b, c, d, e, f, g, h, i):\n    return a\n"
    branches = "def g(x):\n" + "".join(f"    if x == {k}:\n        return {k}\n" for k in range(16)) + "    return -1\n"
    probe = _run("ruff", "check", "--select", "C901,PLR0913", "--output-format", "concise",
                 "--stdin-filename", "coverage/studies/probe.py", "-", stdin=nine + branches)
    assert "PLR0913" in probe.stdout and "C901" in probe.stdout, probe.stdout + probe.stderr
    cli = _run("ruff", "check", "--select", "C901,PLR0913", "--stdin-filename", "coverage/cli/probe.py", "-",
               stdin=nine + branches)
    assert cli.returncode == 0, cli.stdout
