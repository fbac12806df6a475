"""The layout keeps its promises: the CLI is a thin layer over the public API, and no import cycle exists.

- ``cli/*.py`` import only the package root (the public API), ``render``, ``errors``, ``_io``, ``progress_bar``, their own
  ``cli`` siblings and third-party libraries;
- no two modules import each other, directly or through others, at module level (``TYPE_CHECKING`` imports
  and imports inside functions are excluded: they run after every module exists);
- module names are unique in meaning: no two modules share a file name (``__init__`` excepted; a command in
  ``cli/`` is named after the study it runs);
- every name the public API lists resolves.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import coverage_planner

PKG = Path(__file__).resolve().parents[1] / "coverage"
CLI_ALLOWED = ("coverage_planner.render", "coverage_planner.errors", "coverage_planner._io", "coverage_planner.progress_bar",
               "coverage_planner.cli")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["coverage_planner", *parts])


def _imports(path: Path, *, top_level_only: bool) -> list[str]:
    """Absolute names of the package modules ``path`` imports (``from X import y`` gives X and X.y)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = _module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found: list[str] = []

    def visit(node: ast.AST, guarded: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            inner = guarded or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom) and not (top_level_only and inner):
                if child.level:
                    base = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    mod = ".".join([*base, *([child.module] if child.module else [])])
                else:
                    mod = child.module or ""
                if mod.startswith("coverage_planner"):
                    found.append(mod)
                    found.extend(f"{mod}.{a.name}" for a in child.names)
            elif isinstance(child, ast.Import) and not (top_level_only and inner):
                found.extend(a.name for a in child.names if a.name.startswith("coverage_planner"))
            visit(child, inner)

    visit(tree, False)
    return found


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PKG.rglob("*.py") if "__pycache__" not in p.parts}


def test_cli_imports_only_the_public_api_render_and_click() -> None:
    mods = _modules()
    bad = []
    for path in sorted((PKG / "cli").glob("*.py")):
        for name in _imports(path, top_level_only=False):
            if name in mods or name.rpartition(".")[0] in mods:  # a module, or a name from one
                module = name if name in mods else name.rpartition(".")[0]
                if module != "coverage_planner" and not module.startswith(CLI_ALLOWED):
                    bad.append(f"{path.name}: {name}")
    assert not bad, bad


def test_no_import_cycle_at_module_level() -> None:
    mods = _modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in mods.items():
        for dep in _imports(path, top_level_only=True):
            target = dep if dep in mods else dep.rpartition(".")[0]
            if target in mods and target != name and not name.startswith(target + "."):
                graph[name].add(target)
    # a package's __init__ importing its own submodules is fine; a submodule importing back up is a cycle
    state: dict[str, int] = {}
    cycle: list[str] = []

    def dfs(node: str, stack: list[str]) -> bool:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle.extend([*stack[stack.index(nxt):], nxt] if nxt in stack else [node, nxt])
                return True
            if state.get(nxt) is None and dfs(nxt, [*stack, nxt]):
                return True
        state[node] = 2
        return False

    for m in sorted(mods):
        if state.get(m) is None and dfs(m, [m]):
            break
    assert not cycle, " -> ".join(cycle)


def test_module_file_names_are_unique() -> None:
    by_name: dict[str, list[str]] = defaultdict(list)
    for p in PKG.rglob("*.py"):
        if p.name != "__init__.py" and "__pycache__" not in p.parts and p.parent.name != "cli":
            by_name[p.stem].append(str(p.relative_to(PKG)))
    assert {k: v for k, v in by_name.items() if len(v) > 1} == {}


def test_every_public_name_resolves() -> None:
    missing = [n for n in coverage_planner.__all__ if getattr(coverage_planner, n, None) is None]
    assert not missing
