"""Building the compiled module of a package tree exported with ``git archive`` (benchmarks that compare
revisions: city_check.py, large_csv_memory.py). An exported tree has sources only; from issue 20 on, its
shortest-path searches are ``network/_bucket.pyx``, built here in place with Cython (a test dependency)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def build_compiled(package_dir: Path) -> None:
    """Compile ``network/_bucket.pyx`` next to itself when the tree has one (older trees used numba)."""
    pyx = package_dir / "network" / "_bucket.pyx"
    if pyx.is_file():
        subprocess.run([sys.executable, "-m", "Cython.Build.Cythonize", "-i", "-q", str(pyx)], check=True,
                       capture_output=True)  # fmt: skip
