"""What-if comparison of two runs: per target and per unit, the change in value, status and gap.

``compare_reports`` is pure and works on the JSON report form (``TargetResult.to_dict()``), so two
saved ``coverage check --format json`` reports compare as well as two fresh runs. ``region_with_planned``
and ``region_with_sites`` build the second run's region from the first (sharing units and population).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from ..errors import LayerError, ScenarioError
from ..model.messages import Message
from ..model.reasons import reason_words
from ..model.region import Region

if TYPE_CHECKING:
    from .check import CheckRun

__all__ = ["Change", "Comparison", "TargetDelta", "UnitDelta", "compare", "compare_reports", "read_report",
           "read_site_study", "region_with_planned", "region_with_sites", "with_planned", "with_sites"]

FAIL_TO_PASS, PASS_TO_FAIL = "fail→pass", "pass→fail"
PLANNED_STATUSES = frozenset({"planned", "under_construction"})


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else b - a


def _flip(a: str, b: str) -> str:
    if a == "fail" and b == "pass":
        return FAIL_TO_PASS
    if a == "pass" and b == "fail":
        return PASS_TO_FAIL
    return ""


@dataclass(frozen=True)
class Change:
    """Value, status and gap of one thing (target or unit) in both runs; None where a run lacks it."""

    value_before: float | None
    value_after: float | None
    status_before: str
    status_after: str
    gap_before: float | None
    gap_after: float | None

    @property
    def delta(self) -> float | None:
        """Change in value (after − before)."""
        return _delta(self.value_before, self.value_after)

    @property
    def flip(self) -> str:
        """``fail→pass``, ``pass→fail`` or ``""``."""
        return _flip(self.status_before, self.status_after)

    def change_dict(self) -> dict[str, Any]:
        """JSON-ready mapping of the change."""
        return {"value_before": self.value_before, "value_after": self.value_after, "delta": self.delta,
                "status_before": self.status_before, "status_after": self.status_after,
                "gap_before": self.gap_before, "gap_after": self.gap_after, "flip": self.flip}


@dataclass(frozen=True)
class UnitDelta(Change):
    """One unit in both runs."""

    level: str = ""
    unit_id: str = ""
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return {"level": self.level, "unit_id": self.unit_id, "name": self.name, **self.change_dict()}


@dataclass(frozen=True)
class TargetDelta(Change):
    """One target in both runs, with its units."""

    id: str = ""
    title_zh: str = ""
    title_en: str = ""
    unit_en: str = ""
    units: list[UnitDelta] = field(default_factory=list)

    def flips(self, kind: str = FAIL_TO_PASS) -> list[UnitDelta]:
        """Units that flip ``kind``."""
        return [u for u in self.units if u.flip == kind]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping."""
        return {"id": self.id, "title": {"zh": self.title_zh, "en": self.title_en}, "unit": self.unit_en,
                **self.change_dict(), "units_fail_to_pass": len(self.flips(FAIL_TO_PASS)),
                "units_pass_to_fail": len(self.flips(PASS_TO_FAIL)), "units": [u.to_dict() for u in self.units]}


def _gap(t: Mapping[str, Any]) -> float | None:
    g = t.get("gap")
    return g.get("quantity") if isinstance(g, Mapping) else None


def compare_reports(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]) -> list[TargetDelta]:
    """Per-target and per-unit differences of two runs given as JSON report targets.

    Parameters
    ----------
    before, after
        The ``targets`` lists of two JSON reports (or ``[r.to_dict() for r in results]``).

    Returns
    -------
    list of TargetDelta
        Targets present in both runs, in the order of ``before``.
    """
    by_id = {t["id"]: t for t in after}
    out = []
    for a in before:
        b = by_id.get(a["id"])
        if b is None:
            continue
        ua = {(u["level"], u["unit_id"]): u for u in a.get("units", [])}
        ub = {(u["level"], u["unit_id"]): u for u in b.get("units", [])}
        units = []
        for key in [*ua, *(k for k in ub if k not in ua)]:
            x, y = ua.get(key, {}), ub.get(key, {})
            units.append(UnitDelta(x.get("value"), y.get("value"), str(x.get("status", "")), str(y.get("status", "")),
                                   x.get("gap"), y.get("gap"), level=key[0], unit_id=key[1],
                                   name=str((x or y).get("name", key[1]))))
        title = b.get("title", {})
        unit = b.get("unit", {})
        out.append(TargetDelta(a.get("value"), b.get("value"), str(a.get("status", "")), str(b.get("status", "")),
                               _gap(a), _gap(b), id=a["id"], title_zh=str(title.get("zh", "")),
                               title_en=str(title.get("en", "")), unit_en=str(unit.get("en", "")), units=units))
    return out


def region_with_planned(region: Region) -> Region:
    """A copy of ``region`` in which planned and under-construction facilities count as open in every year."""
    return region.what_if(open_statuses=region.open_statuses | PLANNED_STATUSES)


@dataclass(frozen=True)
class SavedSiteStudy:
    """A ``coverage site --out`` folder as read back: the study's target and its proposed sites."""

    folder: Path
    target_id: str
    sites: Any  # GeoDataFrame in EPSG:4326


def read_site_study(folder: str | Path) -> SavedSiteStudy:
    """Read a siting study folder written by ``coverage site --out`` (``report.json`` and ``sites.gpkg``).

    Raises
    ------
    LayerError
        When the folder lacks those files or they cannot be read.
    """
    import geopandas as gpd

    root = Path(folder)
    report, sites = root / "report.json", root / "sites.gpkg"
    if not report.is_file() or not sites.is_file():
        raise LayerError(Message("err.compare_not_study", root=str(root)))
    try:
        doc = json.loads(report.read_text(encoding="utf-8"))
        gdf = gpd.read_file(sites, layer="proposed_sites")
    except (OSError, ValueError, KeyError) as exc:
        raise LayerError(Message("err.compare_study_unreadable", root=str(root), reason=reason_words(exc))) from exc
    target_id = doc.get("target_id") if isinstance(doc, dict) else None
    if not isinstance(target_id, str) or not target_id:
        raise LayerError(Message("err.compare_study_no_target", report=str(report), root=str(root)))
    return SavedSiteStudy(folder=root, target_id=target_id, sites=gdf)


def region_with_sites(region: Region, role: str, sites: Any) -> Region:
    """A copy of ``region`` whose facility layer ``role`` also holds ``sites`` (open in every year).

    Parameters
    ----------
    region
        The baseline region (left unchanged).
    role
        The facility layer the sites add to (the study target's ``layer``).
    sites
        GeoDataFrame of points (any CRS) with the study's attribute columns (e.g. the capacity).
    """
    from .site import add_sites

    pts = sites.to_crs(region.crs)
    xy = shapely.get_coordinates(pts.geometry.representative_point().values)
    attrs = {c: pts[c].to_numpy() for c in pts.columns
             if c not in {"geometry", "rank", "unit"} and pts[c].dtype.kind in "iuf"}
    return add_sites(region, role, np.asarray(xy[:, 0]), np.asarray(xy[:, 1]), attrs)


@dataclass
class Comparison:
    """Two runs side by side: per target and unit, the change in value, status and gap."""

    deltas: list[TargetDelta]
    before_label: str
    after_label: str
    #: The runs compared, when they were runs (not saved reports): maps colour the units that flip.
    before: CheckRun | None = None
    after: CheckRun | None = None
    #: Both sides' targets in the JSON report form, and whether either side is synthetic data.
    before_targets: list[dict[str, Any]] = field(default_factory=list)
    after_targets: list[dict[str, Any]] = field(default_factory=list)
    synthetic: bool = False

    def flips(self) -> list[TargetDelta]:
        """The targets whose verdict or any unit's verdict changes, in report order."""
        return [d for d in self.deltas if d.flip or d.flips(FAIL_TO_PASS) or d.flips(PASS_TO_FAIL)]


def read_report(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The ``targets`` of a saved ``coverage check --format json`` report (a clear error otherwise)."""
    return _read_doc(path)["targets"]


def _read_doc(path: str | os.PathLike[str]) -> dict[str, Any]:
    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ScenarioError(Message("err.compare_json_unreadable", path=str(p), reason=reason_words(exc))) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("targets"), list):
        raise ScenarioError(Message("err.compare_json_targets", path=str(p)))
    return doc


def _targets_of(side: CheckRun | str | os.PathLike[str]) -> tuple[list[dict[str, Any]], str, bool]:
    """(targets in report form, label, synthetic) of a run or a saved report."""
    if isinstance(side, str | os.PathLike):
        doc = _read_doc(side)
        return doc["targets"], str(side), bool(doc.get("layer_set", {}).get("synthetic"))
    return [r.to_dict() for r in side.results], Message("label.scenario_year", year=str(side.scenario.year)), \
        side.layer_set.synthetic


def compare(before: CheckRun | str | os.PathLike[str], after: CheckRun | str | os.PathLike[str], *,
            after_label: str | None = None) -> Comparison:
    """Compare two runs (or two saved JSON reports): per target and unit, value, status and gap before and after.

    Parameters
    ----------
    before, after
        :class:`~coverage_planner.CheckRun` objects (e.g. a run and :func:`with_planned` of it) or paths of
        ``coverage check --format json`` reports.
    after_label
        How the second run is named in the report (default: its scenario or file).

    Returns
    -------
    Comparison

    Examples
    --------
    >>> from coverage_planner import check
    >>> run = check(2025, "demo:0.05", targets=["childcare-slots-per-1000"])
    >>> cmp = compare(run, with_planned(run))
    >>> [d.id for d in cmp.deltas]
    ['childcare-slots-per-1000']
    """
    a, label_a, synth_a = _targets_of(before)
    b, label_b, synth_b = _targets_of(after)
    runs = [None if isinstance(x, str | os.PathLike) else x for x in (before, after)]
    return Comparison(deltas=compare_reports(a, b), before_label=label_a, after_label=after_label or label_b,
                      before=runs[0], after=runs[1], before_targets=a, after_targets=b,
                      synthetic=synth_a or synth_b)


def _rerun(run: CheckRun, region: Region) -> CheckRun:
    from dataclasses import replace

    from ..targets import evaluate_scenario

    results = evaluate_scenario(run.scenario, region, target_ids=[r.id for r in run.results], want_geo=run.geometry)
    return replace(run, region=region, results=results, measured_only=[])


def with_planned(run: CheckRun) -> CheckRun:
    """``run`` again with planned and under-construction facilities counted as open."""
    return _rerun(run, region_with_planned(run.region))


def with_sites(run: CheckRun, folder: str | os.PathLike[str]) -> tuple[CheckRun, str]:
    """``run`` again with a ``coverage site --out`` study's sites added to its target's layer, and a label."""
    study = read_site_study(str(folder))
    role = run.scenario.target(study.target_id).param("layer")
    label = Message("label.with_sites", n=len(study.sites), folder=str(folder), tid=study.target_id)
    return _rerun(run, region_with_sites(run.region, role, study.sites)), label
