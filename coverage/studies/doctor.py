"""``coverage doctor``: every check on a layer set at once, before a planner runs anything long.

Where ``coverage check`` stops at the first bad layer, the doctor carries on and lists every problem
with its fix: manifest, units, population, each area, facility and network layer, and (with a
scenario) every target's columns and filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import CoverageError, MissingDataError
from ..model.manifest import load_manifest
from ..model.region import load_region

__all__ = ["Finding", "diagnose"]


@dataclass(frozen=True)
class Finding:
    """One line of the diagnosis: what was checked, whether it is fine, and the message."""

    item: str
    ok: bool
    message: str
    #: Fine to run, but the planner must read it (data warnings: overlapping units, network islands ...).
    warning: bool = False

    @property
    def label(self) -> str:
        """``ok``, ``WARNING`` or ``PROBLEM``."""
        return "PROBLEM" if not self.ok else "WARNING" if self.warning else "ok"


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
        return [Finding("manifest", False, str(exc))]
    out.append(Finding("manifest", True, f"{spec.root / 'manifest.yaml'}: {spec.name}"))
    try:
        region = load_region(spec)
    except CoverageError as exc:
        return [*out, Finding("units and population", False, str(exc))]
    pop = region.population
    out.append(Finding("units and population", True,
                       f"{', '.join(f'{k}: {len(v)}' for k, v in region.units.items())}; {len(pop):,} population cells, "
                       f"{pop.total.sum():,.0f} people; groups {', '.join(sorted(pop.counts))}; working CRS "
                       f"{region.crs.to_string()}"))
    for name in spec.areas:
        try:
            n = len(region.area(name, purpose="doctor"))
            out.append(Finding(f"area {name}", True, f"{n} polygon(s)"))
        except CoverageError as exc:
            out.append(Finding(f"area {name}", False, str(exc)))
    for role in sorted(spec.facilities):
        try:
            gdf = region.facilities(role, purpose="doctor")
            statuses = ", ".join(f"{n:,} {str(k).replace('_', ' ')}" for k, n in gdf["status"].value_counts().items())
            out.append(Finding(f"facilities {role}", True, f"{len(gdf):,} features: {statuses}"))
        except CoverageError as exc:
            out.append(Finding(f"facilities {role}", False, str(exc)))
    if networks and spec.networks:
        from .. import network as net
        from ..targets.access import cache_dir

        for mode, src in spec.networks.items():
            try:
                g = net.load_walk_network(src.path, crs=region.crs.to_string(), cache_dir=cache_dir(),
                                          mode="bike" if mode == "bike" else "walk")
                snap = net.snap_points(g, pop.x_m, pop.y_m)
                islands = region.network_islands_note(g, snap.on_dropped_piece, mode=mode)
                out.append(Finding(f"network {mode}", True, g.summary(), warning=islands is not None))
            except CoverageError as exc:
                out.append(Finding(f"network {mode}", False, str(exc)))
    out.extend(Finding("data note", True, n, warning=n.startswith("WARNING")) for n in dict.fromkeys(region.notes))
    if scenario is not None:
        from ..model.scenario import load_scenario
        from ..targets import KINDS
        from ..targets.base import EvalContext

        try:
            sc = load_scenario(scenario)
        except CoverageError as exc:
            return [*out, Finding("scenario", False, str(exc))]
        ctx = EvalContext(region=region, scenario=sc, want_geo=False)
        for spec_t in sc.targets:
            try:
                res = KINDS[spec_t.kind](spec_t, ctx)
                out.append(Finding(f"target {spec_t.id}", True, f"runs ({res.status})"))
            except MissingDataError as exc:
                out.append(Finding(f"target {spec_t.id}", True, f"no data: {exc}"))
            except CoverageError as exc:
                out.append(Finding(f"target {spec_t.id}", False, str(exc)))
    return out
