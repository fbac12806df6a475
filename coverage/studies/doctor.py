"""``coverage doctor``: every check on a layer set at once, before a planner runs anything long.

Where ``coverage check`` stops at the first bad layer, the doctor carries on and lists every problem
with its fix: manifest, units, population, each area, facility and network layer, and (with a
scenario) every target's columns and filters. Every item and message is a catalogue sentence
(``doctor.*``, ``err.*``): ``str`` is its English, ``in_lang`` renders it in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import CoverageError, MissingDataError
from ..model.manifest import load_manifest
from ..model.messages import Both, Message, in_lang
from ..model.population import GROUP_LABELS
from ..model.region import load_region
from ..model.results import NO_DATA
from ..model.words import VOCABULARY, words

__all__ = ["Finding", "diagnose"]


@dataclass(frozen=True)
class Finding:
    """One line of the diagnosis: what was checked, whether it is fine, and the message."""

    item: str
    ok: bool
    message: str
    #: Fine to run, but the planner must read it (data warnings: overlapping units, network islands ...).
    warning: bool = False
    #: A target the layer set cannot answer yet (a layer, group or column is missing): not an error, not ok.
    no_data: bool = False

    @property
    def label(self) -> str:
        """``ok``, ``WARNING``, ``NO DATA`` or ``PROBLEM``."""
        if not self.ok:
            return "PROBLEM"
        return "NO DATA" if self.no_data else "WARNING" if self.warning else "ok"

    @property
    def label_key(self) -> str:
        """The catalogue key of :attr:`label`."""
        return f"doctor.label_{self.label.lower().replace(' ', '_')}"

    def words(self, lang: str) -> tuple[str, str]:
        """The item and the message in ``lang`` ('en' or 'zh'); a warning's own "WARNING:" is left to the label."""
        text = in_lang(self.message, lang)
        if self.warning:
            text = _WARNING_WORD.sub("", text, count=1)
        return in_lang(self.item, lang), text


#: The word a data note starts with when it is a warning (the doctor's label already says so).
_WARNING_WORD = re.compile(r"^\s*(?:WARNING:\s*|警告[:：]\s*)")


def _code(code: str) -> Both:
    """A code of the layer set (level, area, role, group) in words; in Chinese as it is typed (`code`) when the
    vocabulary has no Chinese for it (a name the manifest chose)."""
    return Both(code, words(code, "zh") if code in VOCABULARY else f"`{code}`")


def _groups(names: list[str]) -> Both:
    """Population groups in words (the names population notes use), a group the tool does not know as typed."""
    pairs = [GROUP_LABELS.get(g, (f"`{g}`", f"`{g}`")) for g in names]
    return Both(", ".join(en for _, en in pairs), "、".join(zh for zh, _ in pairs))


def _codes(counts: dict[str, object] | list[tuple[str, object]], *, sep: str = ": ") -> Both:
    """``code: n, code: n`` in both languages (codes in words in Chinese)."""
    items = list(counts.items()) if isinstance(counts, dict) else counts
    return Both(", ".join(f"{k}{sep}{v}" for k, v in items), "、".join(f"{_code(k).zh}{sep}{v}" for k, v in items))


def _status(status: object) -> Both:
    from ..render.catalogue import has_key, t

    key = f"{status}_word"
    if has_key(key):
        return Both(t(key, "en"), t(key, "zh"))
    return Both(str(status), words(str(status), "zh"))


def diagnose(folder: str | Path, *, scenario: str | Path | None = None, networks: bool = True,
             allow_outside_paths: bool = False) -> list[Finding]:
    """Check a layer set (and optionally a scenario against it); never stops at the first problem.

    Parameters
    ----------
    folder
        The layer-set folder (or manifest).
    scenario
        Also evaluate every target of this scenario, reporting the ones that cannot run.
    networks
        Also load the networks (slow the first time; cached afterwards).
    allow_outside_paths
        Let the manifest name files outside its folder.
    """
    out: list[Finding] = []
    try:
        spec = load_manifest(folder, allow_outside_paths=allow_outside_paths)
    except CoverageError as exc:
        return [Finding(Message("doctor.item_manifest"), False, exc.message)]
    out.append(Finding(Message("doctor.item_manifest"), True, f"{spec.root / 'manifest.yaml'}: {spec.name}"))
    try:
        region = load_region(spec)
    except CoverageError as exc:
        return [*out, Finding(Message("doctor.item_units"), False, exc.message)]
    pop = region.population
    out.append(Finding(Message("doctor.item_units"), True, Message(
        "doctor.units_ok", levels=_codes({k: f"{len(v):,}" for k, v in region.units.items()}), cells=f"{len(pop):,}",
        people=f"{pop.total.sum():,.0f}", groups=_groups(sorted(pop.counts)),
        crs=region.crs.to_string())))
    purpose = Message("doctor.purpose")
    for name in spec.areas:
        item = Message("doctor.item_area", name=_code(name))
        try:
            out.append(Finding(item, True, Message("doctor.area_ok", n=len(region.area(name, purpose=purpose)))))
        except CoverageError as exc:
            out.append(Finding(item, False, exc.message))
    for role in sorted(spec.facilities):
        item = Message("doctor.item_facilities", role=_code(role))
        try:
            gdf = region.facilities(role, purpose=purpose)
            counts = [(f"{n:,}", str(k)) for k, n in gdf["status"].value_counts().items()]
            statuses = Both(", ".join(f"{n} {k.replace('_', ' ')}" for n, k in counts),
                            "、".join(f"{words(k, 'zh')} {n} 处" for n, k in counts))
            out.append(Finding(item, True, Message("doctor.facilities_ok", n=len(gdf), statuses=statuses)))
        except CoverageError as exc:
            out.append(Finding(item, False, exc.message))
    if networks and spec.networks:
        from .. import network as net
        from .._io import network_cache_dir

        for mode, src in spec.networks.items():
            item = Message("doctor.item_network", mode=_code(mode))
            try:
                g = net.load_walk_network(src.path, crs=region.crs.to_string(), cache_dir=network_cache_dir(),
                                          mode="bike" if mode == "bike" else "walk")
                snap = net.snap_points(g, pop.x_m, pop.y_m)
                islands = region.network_islands_note(g, snap.on_dropped_piece, mode=mode)
                summary = Message("doctor.network_ok", nodes=f"{g.n_nodes:,}", edges=f"{g.n_edges:,}",
                                  km=f"{g.edge_length_m.sum() / 1000:,.1f}", n=g.n_dropped_components,
                                  dropped=f"{g.dropped_x_m.size:,}", crs=g.crs)
                out.append(Finding(item, True, summary, warning=islands is not None))
            except CoverageError as exc:
                out.append(Finding(item, False, exc.message))
    out.extend(Finding(Message("doctor.item_note"), True, n, warning=n.startswith("WARNING"))
               for n in dict.fromkeys(region.notes))
    if scenario is not None:
        out.extend(_scenario_findings(region, scenario))
    return out


def _scenario_findings(region, scenario: str | Path) -> list[Finding]:
    """Every target of ``scenario`` tried on ``region``: runs, lacks data (what to add) or a problem."""
    from ..model.scenario import load_scenario
    from ..targets import KINDS
    from ..targets.base import EvalContext

    try:
        sc = load_scenario(scenario)
    except CoverageError as exc:
        return [Finding(Message("doctor.item_scenario"), False, exc.message)]
    ctx = EvalContext(region=region, scenario=sc, want_geo=False)
    out: list[Finding] = []
    for spec_t in sc.targets:
        item = Message("doctor.item_target", tid=spec_t.id)
        try:
            res = KINDS[spec_t.kind](spec_t, ctx)
        except MissingDataError as exc:
            out.append(Finding(item, True, Message("doctor.target_no_data", text=exc.message), no_data=True))
            continue
        except CoverageError as exc:
            out.append(Finding(item, False, exc.message))
            continue
        if res.status == NO_DATA:  # a kind that answers "no data" itself (e.g. no unit of a class)
            said = Both(res.summary_en, res.summary_zh)
            out.append(Finding(item, True, Message("doctor.target_no_data", text=said), no_data=True))
        else:
            out.append(Finding(item, True, Message("doctor.target_runs", status=_status(res.status))))
    return out
