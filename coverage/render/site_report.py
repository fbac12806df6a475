"""The siting study as terminal text: the target before and after, the units that change, the sites in rank order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..model.messages import in_lang
from ..model.results import fmt_value
from ..model.words import display_width, pad_cells
from .catalogue import t, term
from .text import clean

if TYPE_CHECKING:
    from ..studies.site import SiteStudy

__all__ = ["render_site_text"]

#: Rows of units and of sites shown (the files hold every one).
MAX_UNITS, MAX_SITES = 15, 30


def _column(name: str, lang: str) -> str:
    """A site column in words: a catalogue entry, a known code, or its name with spaces (never a field name)."""
    key = f"col.{name}"
    text = t(key, lang)
    if text != key:
        return text
    words = term(name, lang)
    return words if words != name else name.replace("_", " ")


def render_site_text(study: SiteStudy, *, lang: str = "en", synthetic: bool = False) -> str:
    """The siting study for the terminal and ``report.txt``.

    Parameters
    ----------
    study
        What :func:`coverage_planner.studies.site.run_siting` found.
    lang
        ``"en"`` or ``"zh"`` for every fixed word (the solver's sentence and notes are the study's own).
    synthetic
        The layer set is synthetic: say so first.
    """
    zh = lang == "zh"
    b, a = study.before, study.after
    unit = a.unit_zh if zh and a.unit_zh else a.unit_en
    colon = ":" if zh else ": "
    lines = [t("site_heading", lang, target=study.target_id, kind=term(study.kind, lang))]
    if synthetic:
        lines.append(t("synthetic_note", lang))
    threshold = ", ".join(f"{sign} {fmt_value(v, unit)}" for sign, v in (("≥", b.threshold_min), ("≤", b.threshold_max))
                          if v is not None) or "—"
    lines += [
        f"  {t('site_before', lang)}{colon}{t(b.status, lang)}  {fmt_value(b.value, unit)}   "
        f"({t('target_word', lang)} {threshold})",
        f"  {t('site_after', lang)}{colon}{t(a.status, lang)}  {fmt_value(a.value, unit)}   "
        f"{t('with_new_sites', lang, n=len(study.sites))}",
        f"  {t('solver', lang)}{colon}{clean(in_lang(study.sentence, lang))}",
        f"  {t('candidates', lang)}{colon}{study.n_candidates:,}",
    ]
    changed = (study.to_dict()["units_before_after"] or [])[:MAX_UNITS]  # type: ignore[index]
    if changed:
        lines.append(f"  {t('site_units_heading', lang)}{colon.rstrip()}")
    names = [clean(u["name"]) + colon.rstrip() for u in changed]
    name_w = max((display_width(n) for n in names), default=0)
    for name, u in zip(names, changed, strict=True):
        lines.append(f"    {pad_cells(name, name_w)} {fmt_value(u['before'], unit)} → {fmt_value(u['after'], unit)}"
                     f" ({t(u['status_before'], lang)} → {t(u['status_after'], lang)})")
    lines.append(f"  {t('sites_heading', lang)}{colon.rstrip()}")
    cols = [c for c in study.sites.columns if c not in {"geometry", "rank", "unit"} and study.sites[c].dtype.kind in "iuf"]
    shown = study.sites.head(MAX_SITES)
    where_w = max((display_width(clean(u)) for u in shown["unit"]), default=0)
    for row in shown.itertuples(index=False):
        extra = ", ".join(f"{_column(c, lang)} {getattr(row, c):,.{0 if abs(getattr(row, c)) >= 10 else 2}f}"
                          for c in cols)
        lines.append(f"    #{row.rank:<3} {pad_cells(clean(row.unit), where_w)}  {extra}")
    if len(study.sites) > MAX_SITES:
        lines.append(f"    {t('more_sites', lang, n=len(study.sites) - MAX_SITES)}")
    lines.extend(f"  · {clean(in_lang(n, lang))}" for n in study.notes)
    return "\n".join(lines) + "\n"
