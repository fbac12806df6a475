"""The examples of docs/api.md and of the public functions' docstrings run (doctest) on the demo city."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs" / "api.md"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
PKG = Path(__file__).resolve().parents[1] / "coverage"
#: Every module whose docstrings hold examples (found by looking, so a new example is run without listing it).
MODULES = sorted(
    "coverage_planner." + ".".join(p.relative_to(PKG).with_suffix("").parts).removesuffix(".__init__")
    for p in PKG.rglob("*.py") if "__pycache__" not in p.parts and ">>>" in p.read_text(encoding="utf-8"))


def test_docs_api_examples_run() -> None:
    res = doctest.testfile(str(DOCS), module_relative=False, optionflags=FLAGS)
    assert res.attempted > 20 and res.failed == 0, res


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    res = doctest.testmod(importlib.import_module(name), optionflags=FLAGS)
    assert res.attempted > 0 and res.failed == 0, res
