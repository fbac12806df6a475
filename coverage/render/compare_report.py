"""Comparison reports: terminal text, JSON, CSV (one row per target and unit) and Markdown."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from ..model.messages import in_lang
from ..model.results import fmt_value
from ..model.words import display_width
from ..studies.compare import FAIL_TO_PASS, PASS_TO_FAIL, TargetDelta, UnitDelta
from .catalogue import t
from .progress_report import fmt_change
from .text import _md, clean, csv_safe, json_text

__all__ = ["headlines", "render_compare", "units_of"]

MAX_UNITS_LISTED = 15


def _change(d: TargetDelta, lang: str = "en", units: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The change of value: shares in percentage points, other values with their unit."""
    if d.delta is None:
        return "—"
    if d.unit_en == "%":
        return fmt_change(d.delta, "%", lang)
    return ("+" if d.delta >= 0 else "−") + _value(abs(d.delta), d, lang, units or {})


def units_of(targets: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, str]]:
    """Target id -> its units in words (``value_zh``, ``gap_en``, ``gap_zh``), from JSON-report targets."""
    out: dict[str, dict[str, str]] = {}
    for tgt in targets:
        entry = out.setdefault(str(tgt.get("id")), {})
        unit = tgt.get("unit")
        if isinstance(unit, Mapping) and unit.get("zh"):
            entry.setdefault("value_zh", str(unit["zh"]))
        gap = (tgt.get("gap") or {}).get("unit") or {}
        if gap:
            entry.setdefault("gap_en", str(gap.get("en", "")))
            entry.setdefault("gap_zh", str(gap.get("zh", "")))
    return out


def _value(x: float | None, d: TargetDelta, lang: str, units: Mapping[str, Mapping[str, str]]) -> str:
    unit = units.get(d.id, {}).get("value_zh", d.unit_en) if lang == "zh" and d.unit_en != "%" else d.unit_en
    return fmt_value(x, unit)


def _gap_text(d: TargetDelta, lang: str, units: Mapping[str, Mapping[str, str]]) -> str:
    unit = units.get(d.id, {}).get("gap_zh" if lang == "zh" else "gap_en", "")
    def one(x: float | None) -> str:
        return "—" if x is None else fmt_value(x, "") + (f" {unit}" if unit else "")
    return f"{one(d.gap_before)} → {one(d.gap_after)}"


def _names(units: Sequence[UnitDelta], lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    names = sep.join(clean(u.name) for u in units[:MAX_UNITS_LISTED])
    more = f" {t('and_more', lang, n=len(units) - MAX_UNITS_LISTED)}" if len(units) > MAX_UNITS_LISTED else ""
    return names + more


def _flip_words(kind: str, lang: str) -> str:
    return t("fail_to_pass" if kind == FAIL_TO_PASS else "pass_to_fail", lang)


def headlines(deltas: Sequence[TargetDelta], *, lang: str = "en",
              units: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """What changes, first: the targets whose verdict flips, then per target the units that flip."""
    out = io.StringIO()
    out.write(f"{t('flips_headline', lang)}\n")
    flipped = [d for d in deltas if d.flip]
    out.write(f"  {t('targets_flip', lang)} ({len(flipped)}):\n" if flipped else f"  {t('no_target_flips', lang)}\n")
    for d in flipped:
        title = d.title_zh if lang == "zh" else d.title_en
        out.write(f"    {_flip_words(d.flip, lang)}  {clean(d.id)} — {clean(title)}: "
                  f"{_value(d.value_before, d, lang, units or {})} → {_value(d.value_after, d, lang, units or {})} "
                  f"({_change(d, lang, units)})\n")
    with_units = [d for d in deltas if d.flips(FAIL_TO_PASS) or d.flips(PASS_TO_FAIL)]
    out.write(f"  {t('units_flip_headline', lang)}:\n" if with_units else f"  {t('no_unit_flips', lang)}\n")
    for d in with_units:
        for kind in (FAIL_TO_PASS, PASS_TO_FAIL):
            flips = d.flips(kind)
            if flips:
                out.write(f"    {clean(d.id)}: {t('n_units', lang, n=len(flips))} {_flip_words(kind, lang)} "
                          f"({_names(flips, lang)})\n")
    return out.getvalue()


def render_text(deltas: Sequence[TargetDelta], before: str, after: str, *, lang: str = "en", synthetic: bool = False,
                units: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The headlines (what flips), then one block per target: value, status and gap before and after."""
    out = io.StringIO()
    title = t("compare_title", lang, before=clean(before), after=clean(after))
    out.write(title + "\n" + "=" * display_width(title) + "\n")
    if synthetic:
        out.write(t("synthetic_note", lang) + "\n")
    units = units or {}
    out.write("\n" + headlines(deltas, lang=lang, units=units))
    out.write(f"\n{t('details', lang)}\n")
    colon = ":" if lang == "zh" else ": "
    for d in deltas:
        title = d.title_zh if lang == "zh" else d.title_en
        out.write(f"\n{clean(d.id)} — {clean(title)}\n")
        out.write(f"  {t('value_line', lang)}{colon}{_value(d.value_before, d, lang, units)} → "
                  f"{_value(d.value_after, d, lang, units)} ({_change(d, lang, units)})\n")
        flip = f"  [{_flip_words(d.flip, lang)}]" if d.flip else ""
        out.write(f"  {t('status_line', lang)}{colon}{t(d.status_before, lang)} → {t(d.status_after, lang)}{flip}\n")
        if d.gap_before is not None or d.gap_after is not None:
            out.write(f"  {t('gap_change_line', lang)}{colon}{_gap_text(d, lang, units)}\n")
        for kind in (FAIL_TO_PASS, PASS_TO_FAIL):
            flips = d.flips(kind)
            if flips:
                out.write(f"  {t('units_line', lang)} {_flip_words(kind, lang)}{colon}{len(flips)} "
                          f"({_names(flips, lang)})\n")
    return out.getvalue()


def render_json(deltas: Sequence[TargetDelta], before: str, after: str, *, synthetic: bool = False) -> str:
    """The JSON comparison (keys sorted)."""
    doc: dict[str, Any] = {"before": before, "after": after, "targets": [d.to_dict() for d in deltas]}
    if synthetic:
        doc["synthetic"] = True
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


def render_md(deltas: Sequence[TargetDelta], before: str, after: str, *, lang: str = "en", synthetic: bool = False,
              units: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The headlines, a Markdown table of targets, then the flipping units of each (in ``lang``)."""
    out = io.StringIO()
    units = units or {}
    out.write(f"# {_md(t('compare_title', lang, before=before, after=after))}\n\n")
    if synthetic:
        out.write(f"> **{_md(t('synthetic', lang))}**\n\n")
    out.write("".join(f"{_md(line.strip())}  \n" if line.startswith("    ") else f"**{_md(line.strip())}**  \n"
                      for line in headlines(deltas, lang=lang, units=units).splitlines()) + "\n")
    heads = [t("col_target", lang), t("md_value_before", lang), t("md_value_after", lang), t("md_change", lang),
             t("col_status", lang), t("units_kind", lang, kind=t("fail_to_pass", lang)),
             t("units_kind", lang, kind=t("pass_to_fail", lang))]
    out.write("| " + " | ".join(heads) + " |\n|---|---|---|---|---|---|---|\n")
    for d in deltas:
        out.write(f"| {_md(d.id)} | {_md(_value(d.value_before, d, lang, units))} | "
                  f"{_md(_value(d.value_after, d, lang, units))} | {_md(_change(d, lang, units))} | "
                  f"{t(d.status_before, lang)} → {t(d.status_after, lang)} | {len(d.flips(FAIL_TO_PASS))} | "
                  f"{len(d.flips(PASS_TO_FAIL))} |\n")
    for d in deltas:
        flips = [u for u in d.units if u.flip]
        if flips:
            heads = [t("unit", lang), t("site_before", lang), t("site_after", lang), t("md_flip", lang)]
            out.write(f"\n## {_md(d.id)}\n\n| " + " | ".join(heads) + " |\n|---|---|---|---|\n")
            out.writelines(f"| {_md(u.name)} | {_md(_value(u.value_before, d, lang, units))} | "
                           f"{_md(_value(u.value_after, d, lang, units))} | {_flip_words(u.flip, lang)} |\n"
                           for u in flips)
    return out.getvalue()


def render_compare(deltas: Sequence[TargetDelta], *, before: str, after: str, fmt: str = "text", lang: str = "en",
                   synthetic: bool = False, units: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """Render the comparison as ``fmt`` ({"text", "json", "csv", "md"}).

    ``synthetic`` adds the synthetic-data notice (text, md, and a flag in JSON); ``units`` (see
    :func:`units_of`) puts each gap's unit beside it and the Chinese value units; ``lang`` is the text's language.
    """
    before, after = in_lang(before, lang), in_lang(after, lang)  # the sides' names (a scenario, planned ...)
    if fmt == "json":
        return render_json(deltas, before, after, synthetic=synthetic)
    if fmt == "csv":
        return render_csv(deltas, before, after)
    if fmt == "md":
        return render_md(deltas, before, after, lang=lang, synthetic=synthetic, units=units)
    return render_text(deltas, before, after, lang=lang, synthetic=synthetic, units=units)
