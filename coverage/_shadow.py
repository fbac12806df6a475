"""The repository folder ``coverage/`` found as ``coverage`` (coverage.py's name) through the current directory.

This package's source folder is called ``coverage/`` and installs as ``coverage_planner``. Python started in a
checkout with the current directory on ``sys.path`` (``python -c``, ``python -m``, a notebook opened in the
checkout) finds the folder when any library asks for ``import coverage`` -- numba does, on its first use --
and that library then fails deep inside. :func:`hand_back_name` gives the name back: it loads the real
coverage.py from the rest of ``sys.path`` in its place, or, when coverage.py is not installed, raises the
``ImportError`` the library expects (numba then runs without coverage support, as it would anyway).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from pathlib import Path

__all__ = ["hand_back_name"]


def hand_back_name(init_file: str) -> None:
    """Put coverage.py (or an ImportError) where this folder was found as ``coverage``.

    Parameters
    ----------
    init_file
        The ``__file__`` of the package's ``__init__``: the folder whose parent is left out of the search.
    """
    checkout = Path(init_file).resolve().parent.parent
    path = [p for p in sys.path if Path(p or ".").resolve() != checkout]
    spec = importlib.machinery.PathFinder.find_spec("coverage", path)
    if spec is None or spec.loader is None:
        msg = (f"`import coverage` found the folder {checkout / 'coverage'}, the source of coverage_planner "
               "(import coverage_planner instead); coverage.py itself is not installed")
        raise ImportError(msg, name="coverage")
    module = importlib.util.module_from_spec(spec)
    sys.modules["coverage"] = module
    spec.loader.exec_module(module)
