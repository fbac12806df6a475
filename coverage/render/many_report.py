"""The many-cities summary: cities × targets as Markdown text and CSV, and the per-city report files."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .._io import write_text_atomic
from .catalogue import t
from .text import _md, clean

if TYPE_CHECKING:
    from ..studies.many import CityOutcome

__all__ = ["render_summary_csv", "render_summary_text", "write_outcomes"]

OK, BAD_INPUT = "ok", "bad_input"


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


def render_summary_text(outcomes: Sequence[CityOutcome], *, lang: str = "en") -> str:
    """Markdown: one row per city (result and counts), then targets × cities (cities numbered C1…), in ``lang``."""
    ids = _target_ids(outcomes)
    out = io.StringIO()
    n_bad = sum(o.state != OK for o in outcomes)
    out.write(t("many_head", lang, n=len(outcomes), ok=len(outcomes) - n_bad, bad=n_bad) + "\n\n")
    heads = [t(k, lang) for k in ("many_city", "many_result", "pass_word", "fail_word", "no_data_word")]
    out.write("| | " + " | ".join(heads) + " |\n|---|---|---|---|---|---|\n")
    for i, o in enumerate(outcomes, 1):
        n = [sum(s == k for s in o.statuses.values()) for k in ("pass", "fail", "no_data")]
        counts: list[int | str] = list(n)
        if o.state == OK:
            result = t("many_some_fail" if n[1] else "many_all_pass", lang)
        else:
            result = t("many_bad_input" if o.state == BAD_INPUT else "many_internal_error", lang)
            counts = ["", "", ""]
        out.write(f"| C{i} | {_md(o.name)} | {result} | " + " | ".join(map(str, counts)) + " |\n")
    if ids:
        cols = [t("many_target", lang), *(f"C{i}" for i in range(1, len(outcomes) + 1))]
        out.write("\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols) + "\n")
        for tid in ids:
            cells = [_mark(o.statuses.get(tid, ""), lang) for o in outcomes]
            out.write("| " + " | ".join([_md(tid), *cells]) + " |\n")
    failed = [o for o in outcomes if o.state != OK]
    if failed:
        out.write(f"\n{t('many_failed', lang)}\n\n" + "".join(f"- {clean(o.name)}: {clean(o.message)}\n" for o in failed))
    return out.getvalue()


def _mark(status: str, lang: str) -> str:
    """A city's verdict on one target in the cities × targets table ('—' for no data)."""
    return t(status, lang) if status in ("pass", "fail") else "—" if status == "no_data" else ""


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
