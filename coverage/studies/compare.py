"""What-if comparison of two runs: per target and per unit, the change in value, status and gap.

``compare_reports`` is pure and works on the JSON report form (``TargetResult.to_dict()``), so two
saved ``coverage check --format json`` reports compare as well as two fresh runs. ``region_with_planned``
and ``region_with_sites`` build the second run's region from the first (sharing units and population).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ..errors import LayerError
from ..model.region import Region

__all__ = ["Change", "TargetDelta", "UnitDelta", "compare_reports", "read_site_study", "region_with_planned",
           "region_with_sites"]

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
    return replace(region, _facilities=dict(region._facilities), open_statuses=region.open_statuses | PLANNED_STATUSES)


@dataclass(frozen=True)
class SiteStudy:
    """A ``coverage site --out`` folder as read back: the study's target and its proposed sites."""

    folder: Path
    target_id: str
    sites: Any  # GeoDataFrame in EPSG:4326


def read_site_study(folder: str | Path) -> SiteStudy:
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
        msg = (f"{root} is not a siting study folder: it needs report.json and sites.gpkg as `coverage site ... "
               "--out DIR` writes them. Run the study with --out first, then pass that folder to --with-sites.")
        raise LayerError(msg)
    try:
        doc = json.loads(report.read_text(encoding="utf-8"))
        gdf = gpd.read_file(sites, layer="proposed_sites")
    except (OSError, ValueError, KeyError) as exc:
        msg = f"Cannot read the siting study in {root}: {exc}. Write it again with `coverage site ... --out {root}`."
        raise LayerError(msg) from exc
    target_id = doc.get("target_id") if isinstance(doc, dict) else None
    if not isinstance(target_id, str) or not target_id:
        msg = f"{report}: no target_id. Write the study again with `coverage site ... --out {root}`."
        raise LayerError(msg)
    return SiteStudy(folder=root, target_id=target_id, sites=gdf)


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

    out = replace(region, _facilities=dict(region._facilities))
    pts = sites.to_crs(region.crs)
    xy = shapely.get_coordinates(pts.geometry.representative_point().values)
    attrs = {c: pts[c].to_numpy() for c in pts.columns
             if c not in {"geometry", "rank", "unit"} and pts[c].dtype.kind in "iuf"}
    add_sites(out, role, np.asarray(xy[:, 0]), np.asarray(xy[:, 1]), attrs)
    return out
