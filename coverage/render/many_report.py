"""The many-cities summary: cities × targets as Markdown text and CSV, and the per-city report files."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .._io import write_text_atomic
from .text import _md, clean

if TYPE_CHECKING:
    from ..studies.many import CityOutcome

__all__ = ["render_summary_csv", "render_summary_text", "write_outcomes"]

OK, BAD_INPUT = "ok", "bad_input"
_MARK = {"pass": "PASS", "fail": "FAIL", "no_data": "—"}


def _target_ids(outcomes: Sequence[CityOutcome]) -> list[str]:
    ids: list[str] = []
    for o in outcomes:
        ids.extend(t for t in o.statuses if t not in ids)
    return ids


def render_summary_csv(outcomes: Sequence[CityOutcome]) -> str:
    """Cities × targets: one row per city, one column per target holding pass / fail / no_data."""
    ids = _target_ids(outcomes)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["city", "layers", "state", "exit_code", "pass", "fail", "no_data", *ids, "message"])
    for o in outcomes:
        counts = [sum(s == k for s in o.statuses.values()) for k in ("pass", "fail", "no_data")]
        w.writerow([o.name, o.layers, o.state, o.exit_code, *counts, *(o.statuses.get(t, "") for t in ids),
                    o.message])
    return buf.getvalue()


def render_summary_text(outcomes: Sequence[CityOutcome]) -> str:
    """Markdown: one row per city (result and counts), then targets × cities (cities numbered C1…)."""
    ids = _target_ids(outcomes)
    out = io.StringIO()
    n_bad = sum(o.state != OK for o in outcomes)
    out.write(f"{len(outcomes)} layer sets: {len(outcomes) - n_bad} checked, {n_bad} failed\n\n")
    out.write("| | city | result | pass | fail | no data |\n|---|---|---|---|---|---|\n")
    for i, o in enumerate(outcomes, 1):
        n = [sum(s == k for s in o.statuses.values()) for k in ("pass", "fail", "no_data")]
        counts: list[int | str] = list(n)
        if o.state == OK:
            result = "targets fail" if n[1] else "all pass"
        else:
            result = "BAD INPUT" if o.state == BAD_INPUT else "INTERNAL ERROR"
            counts = ["", "", ""]
        out.write(f"| C{i} | {_md(o.name)} | {result} | " + " | ".join(map(str, counts)) + " |\n")
    if ids:
        cols = ["target", *(f"C{i}" for i in range(1, len(outcomes) + 1))]
        out.write("\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols) + "\n")
        for t in ids:
            cells = [_MARK.get(o.statuses.get(t, ""), "") for o in outcomes]
            out.write("| " + " | ".join([_md(t), *cells]) + " |\n")
    failed = [o for o in outcomes if o.state != OK]
    if failed:
        out.write("\nFailed layer sets:\n\n" + "".join(f"- {clean(o.name)}: {clean(o.message)}\n" for o in failed))
    return out.getvalue()


def write_outcomes(outcomes: Sequence[CityOutcome], out: Path, *, fmt: str) -> list[Path]:
    """Write ``<out>/<city>/report.<fmt>`` for every checked city and ``<out>/summary.csv`` (atomically).

    A failed city gets ``<out>/<city>/error.txt`` with its message instead of a report.
    """
    ext = {"text": "txt"}.get(fmt, fmt)
    paths = []
    for o in outcomes:
        if o.state == OK:
            paths.append(write_text_atomic(Path(out) / o.name / f"report.{ext}", o.report))
        else:
            paths.append(write_text_atomic(Path(out) / o.name / "error.txt", o.message + "\n"))
    paths.append(write_text_atomic(Path(out) / "summary.csv", render_summary_csv(outcomes)))
    return paths
