"""Comparison reports: terminal text, JSON, CSV (one row per target and unit) and Markdown."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..model.results import fmt_value
from ..studies.compare import FAIL_TO_PASS, PASS_TO_FAIL, TargetDelta
from .text import _md, clean, csv_safe, json_text

__all__ = ["render_compare"]

MAX_UNITS_LISTED = 15


def _change(d: TargetDelta) -> str:
    sign = "" if d.delta is None or d.delta < 0 else "+"
    return "—" if d.delta is None else sign + fmt_value(d.delta, d.unit_en)


def render_text(deltas: Sequence[TargetDelta], before: str, after: str) -> str:
    """One block per target: value, status and gap before and after, and the units that flip."""
    out = io.StringIO()
    title = f"coverage compare — {clean(before)} vs {clean(after)}"
    out.write(title + "\n" + "=" * len(title) + "\n")
    for d in deltas:
        out.write(f"\n{clean(d.id)} — {clean(d.title_en)}\n")
        out.write(f"  value:  {fmt_value(d.value_before, d.unit_en)} -> {fmt_value(d.value_after, d.unit_en)} "
                  f"({_change(d)})\n")
        out.write(f"  status: {d.status_before} -> {d.status_after}{'  [' + d.flip + ']' if d.flip else ''}\n")
        if d.gap_before is not None or d.gap_after is not None:
            out.write(f"  gap:    {fmt_value(d.gap_before, '')} -> {fmt_value(d.gap_after, '')}\n")
        for kind in (FAIL_TO_PASS, PASS_TO_FAIL):
            units = d.flips(kind)
            if units:
                names = ", ".join(clean(u.name) for u in units[:MAX_UNITS_LISTED])
                more = f" and {len(units) - MAX_UNITS_LISTED} more" if len(units) > MAX_UNITS_LISTED else ""
                out.write(f"  units {kind}: {len(units)} ({names}{more})\n")
    return out.getvalue()


def render_json(deltas: Sequence[TargetDelta], before: str, after: str) -> str:
    """The JSON comparison (keys sorted)."""
    doc = {"before": before, "after": after, "targets": [d.to_dict() for d in deltas]}
    return json_text(doc)


def render_csv(deltas: Sequence[TargetDelta], before: str, after: str) -> str:
    """One row per target (level 'all') and per unit."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["target_id", "level", "unit_id", "unit_name", "value_before", "value_after", "delta",
                "status_before", "status_after", "flip", "gap_before", "gap_after", "unit"])
    for d in deltas:
        w.writerow([csv_safe(d.id), "all", "", "", d.value_before, d.value_after, d.delta, d.status_before,
                    d.status_after, d.flip, d.gap_before, d.gap_after, d.unit_en])
        for u in d.units:
            w.writerow([csv_safe(d.id), csv_safe(u.level), csv_safe(u.unit_id), csv_safe(u.name), u.value_before,
                        u.value_after, u.delta, u.status_before, u.status_after, u.flip, u.gap_before, u.gap_after,
                        d.unit_en])
    return buf.getvalue()


def render_md(deltas: Sequence[TargetDelta], before: str, after: str) -> str:
    """A Markdown table of targets, then the flipping units of each."""
    out = io.StringIO()
    out.write(f"# What-if: {_md(before)} vs {_md(after)}\n\n")
    out.write("| target | value before | value after | change | status | units fail→pass | units pass→fail |\n"
              "|---|---|---|---|---|---|---|\n")
    for d in deltas:
        out.write(f"| {_md(d.id)} | {_md(fmt_value(d.value_before, d.unit_en))} | "
                  f"{_md(fmt_value(d.value_after, d.unit_en))} | {_md(_change(d))} | {d.status_before} → "
                  f"{d.status_after} | {len(d.flips(FAIL_TO_PASS))} | {len(d.flips(PASS_TO_FAIL))} |\n")
    for d in deltas:
        flips = [u for u in d.units if u.flip]
        if flips:
            out.write(f"\n## {_md(d.id)}\n\n| unit | before | after | flip |\n|---|---|---|---|\n")
            out.writelines(f"| {_md(u.name)} | {_md(fmt_value(u.value_before, d.unit_en))} | "
                           f"{_md(fmt_value(u.value_after, d.unit_en))} | {u.flip} |\n" for u in flips)
    return out.getvalue()


def render_compare(deltas: Sequence[TargetDelta], *, before: str, after: str, fmt: str = "text") -> str:
    """Render the comparison as ``fmt`` ({"text", "json", "csv", "md"})."""
    fn = {"json": render_json, "csv": render_csv, "md": render_md}.get(fmt, render_text)
    return fn(deltas, before, after)
