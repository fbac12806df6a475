"""The main job: a scenario year's targets on a layer set -> results (library entry point)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import __version__
from ..errors import ManifestError
from ..model.manifest import LayerSetSpec, load_manifest
from ..model.region import Region, load_region
from ..model.results import TargetResult
from ..model.scenario import Scenario, load_scenario
from ..render.text import ReportMeta
from ..targets import evaluate_scenario

__all__ = ["CheckRun", "resolve_layers", "run_check", "run_years"]

LAYERS_DIR = Path(__file__).resolve().parents[2] / "layers"
DEFAULT_DEMO_SCALE = float(os.environ.get("COVERAGE_DEMO_SCALE", "1.0"))


def resolve_layers(value: str | Path | None, *, demo_scale: float | None = None) -> Path:
    """Turn ``--layers`` into a layer-set folder.

    ``demo`` (the default) is the generated demo city, built on first use and cached; a NAME is
    ``layers/NAME`` in this project; anything else is a folder (or manifest file) path.
    ``demo:SCALE`` and ``demo:SCALE:SEED`` name a demo city of that scale (and seed).
    """
    text = "demo" if value is None else str(value)
    if text == "demo" or text.startswith("demo:"):
        from ..sources.demo import demo_layer_dir

        scale, seed = _demo_spec(text, demo_scale)
        return demo_layer_dir(scale=scale) if seed is None else demo_layer_dir(scale=scale, seed=seed)
    named = LAYERS_DIR / text
    if (named / "manifest.yaml").exists():
        return named
    path = Path(text)
    if path.exists():
        return path
    available = sorted(p.name for p in LAYERS_DIR.iterdir() if (p / "manifest.yaml").exists()) if LAYERS_DIR.exists() else []
    msg = (f"Layer set {text!r} not found: it is neither a folder nor a name under {LAYERS_DIR} "
           f"({', '.join(['demo', *available])}). Pass --layers demo, a name, or a folder with a manifest.yaml.")
    raise ManifestError(msg)


def _demo_spec(text: str, demo_scale: float | None) -> tuple[float, int | None]:
    """``demo`` / ``demo:SCALE`` / ``demo:SCALE:SEED`` -> (scale, seed or None for the default seed)."""
    parts = text.split(":")[1:]
    try:
        if len(parts) > 2:
            raise ValueError(text)
        scale = float(parts[0]) if parts else (demo_scale or DEFAULT_DEMO_SCALE)
        seed = int(parts[1]) if len(parts) == 2 else None
        if not 0.001 <= scale <= 6.0:  # sources.demo.MAX_DEMO_SCALE (not imported: it loads the generator)
            raise ValueError(text)
    except ValueError:
        msg = (f"Layer set {text!r}: a demo city is named demo, demo:SCALE or demo:SCALE:SEED, with SCALE from "
               "0.001 to 6 and SEED a whole number (e.g. demo:0.05:7).")
        raise ManifestError(msg) from None
    return scale, seed


@dataclass
class CheckRun:
    """Everything a check produced: inputs, region and results."""

    scenario: Scenario
    layer_set: LayerSetSpec
    region: Region
    results: list[TargetResult]
    #: Targets of a later year measured in this year, where this year sets no such target (progress reports).
    measured_only: list[TargetResult] = field(default_factory=list)

    def meta(self) -> ReportMeta:
        """Report metadata for the renderers."""
        return ReportMeta(
            scenario_year=self.scenario.year, scenario_path=self.scenario.path.name,
            layer_set=self.layer_set.name, layer_set_path=str(self.layer_set.root),
            synthetic=self.layer_set.synthetic, sources=tuple(dict(s) for s in self.layer_set.sources),
            notes=tuple(dict.fromkeys([*self.layer_set.notes, *source_notes(self.layer_set), *self.region.notes])),
            tool_version=__version__,
        )


def source_notes(spec: LayerSetSpec) -> list[str]:
    """The caveats the manifest's ``sources:`` record (2000-era units, OSM gaps, how coordinates were decided).

    They go into the report's data notes so that every approximation behind a figure is printed with it,
    not only kept in the manifest.
    """
    return [f"{s.get('name', 'source')}: {s['note']}" for s in spec.sources if str(s.get("note") or "").strip()]


def run_check(scenario: str | Path, layers: str | Path | None = None, *, targets: list[str] | None = None,
              demo_scale: float | None = None, allow_outside_paths: bool = False, want_geo: bool = True) -> CheckRun:
    """Check a scenario on a layer set.

    Parameters
    ----------
    scenario
        A year (``2025``) or a scenario file path.
    layers
        ``demo`` (default), a layer-set name under ``layers/`` or a folder.
    targets
        Only these target ids.
    demo_scale
        Size of the generated demo city (1.0 = full size).
    allow_outside_paths
        Let the manifest name files outside its folder.
    want_geo
        Also build the geometry maps need (service areas); reports alone do not.
    """
    return run_years([scenario], layers, targets=targets, demo_scale=demo_scale,
                     allow_outside_paths=allow_outside_paths, want_geo=want_geo, only_present=False)[0]


def run_years(scenarios: list[str | Path], layers: str | Path | None = None, *, targets: list[str] | None = None,
              demo_scale: float | None = None, allow_outside_paths: bool = False, want_geo: bool = False,
              only_present: bool = True, measure_all_years: bool = False) -> list[CheckRun]:
    """Check several scenario years on one layer set, loading the region once.

    Facilities count in a year when they opened by then and are not closed (``open_year``/``status``),
    so one layer set serves every year.

    Parameters
    ----------
    scenarios
        Years or scenario file paths, in the order wanted.
    layers, demo_scale, allow_outside_paths, want_geo
        As for :func:`run_check`.
    targets
        Only these target ids.
    only_present
        With ``targets``: a year checks those of them its scenario has (a target set only in some
        years is not an error); an id that no year has is still an error.

    Returns
    -------
    list of CheckRun
        One per scenario, sharing the region.
    """
    scs = [load_scenario(s) for s in scenarios]
    folder = resolve_layers(layers, demo_scale=demo_scale)
    spec = load_manifest(folder, allow_outside_paths=allow_outside_paths)
    region = load_region(spec)
    every = {t.id for sc in scs for t in sc.targets}
    for t in targets or []:
        if t not in every:
            scs[-1].target(t)  # raises, naming the valid ids
    runs = []
    for sc in scs:
        ids = targets
        if targets and only_present:
            ids = [t for t in targets if t in {x.id for x in sc.targets}]
        results = evaluate_scenario(sc, region, target_ids=ids, want_geo=want_geo) if (ids or not targets) else []
        runs.append(CheckRun(scenario=sc, layer_set=spec, region=region, results=results))
    if measure_all_years:
        latest = max(scs, key=lambda s: s.year)
        for run in runs:
            have = {r.id for r in run.results}
            todo = tuple(t for t in latest.targets if t.id not in have and (not targets or t.id in targets))
            if todo and run.scenario is not latest:
                as_of = replace(latest, year=run.scenario.year, targets=todo)
                run.measured_only = evaluate_scenario(as_of, region, want_geo=False)
    return runs
