"""The Markdown report carries each target's per-unit table, failing units first (issue 18.5)."""

from __future__ import annotations

from pathlib import Path

from coverage_planner.render.text import render
from coverage_planner.studies.check import run_check


def test_md_report_lists_every_unit_failing_first(tiny: tuple[Path, Path]) -> None:
    layers, scenario = tiny
    run = run_check(scenario, layers, want_geo=False)
    md = render(run.results, run.meta(), fmt="md")
    for r in run.results:
        if not r.units:
            continue
        section = md.split(f"\n## {r.id} ", 1)[1].split("\n## ", 1)[0]
        assert f"; {len(r.units)}):" in section  # the table header counts the units
        rows = [ln for ln in section.splitlines()
                if ln.startswith(("| FAIL", "| PASS", "| NO DATA", "| for information"))]
        assert len(rows) == min(len(r.units), 40)
        statuses = [ln.split("|")[1].strip() for ln in rows]
        assert statuses == sorted(statuses, key=lambda s: {"FAIL": 0, "NO DATA": 1, "PASS": 2, "for information": 3}[s])
        names = {u.name for u in r.units}
        assert {ln.split("|")[2].strip() for ln in rows} <= names


def test_md_report_follows_the_language(tiny: tuple[Path, Path]) -> None:
    layers, scenario = tiny
    run = run_check(scenario, layers, want_geo=False)
    md = render(run.results, run.meta(), fmt="md", lang="zh")
    r = next(r for r in run.results if r.units)
    section = md.split(f"\n## {r.id} ", 1)[1].split("\n## ", 1)[0]
    assert f"共 {len(r.units)} 个)" in section and "| 结果 | 单元 | 编码 |" in section
    assert "Assumptions" not in md and "假设与说明" in md
