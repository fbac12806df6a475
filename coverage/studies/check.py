"""The main job: a scenario year's targets on a layer set -> results (library entry point)."""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import __version__
from ..errors import ManifestError
from ..model.manifest import LayerSetSpec, load_manifest
from ..model.messages import Message
from ..model.region import Region, load_region
from ..model.results import TargetResult, fmt_value
from ..model.scenario import Scenario, load_scenario
from ..render.text import ReportMeta
from ..targets import evaluate_scenario

__all__ = ["CheckRun", "check", "resolve_layers", "run_check", "run_years"]

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
    raise ManifestError(Message("err.layer_set_not_found", value=text, folder=str(LAYERS_DIR),
                                names=", ".join(["demo", *available])))


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
        raise ManifestError(Message("err.demo_name", value=text)) from None
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
    #: The results carry the geometry maps draw (checked with ``want_geo=True``).
    geometry: bool = False

    def result(self, target_id: str) -> TargetResult:
        """The result of one target, or a clear error listing the ids checked."""
        for r in self.results:
            if r.id == target_id:
                return r
        msg = (f"Target {target_id!r} was not checked in this run; its targets are: "
               f"{', '.join(r.id for r in self.results) or 'none'}.")
        raise KeyError(msg)

    def units(self, target_id: str | TargetResult) -> gpd.GeoDataFrame:
        """One row per unit the target judged, with its polygon (the region's working CRS, metres).

        Columns: ``level``, ``unit_id``, ``name``, ``class``, ``parent_id``, ``value``, ``threshold``,
        ``status`` (pass / fail / no_data), ``gap``, ``population``, ``supply`` (numbers as float, NaN where
        missing), ``geometry``. ``target_id`` may also be a result of this run. A target
        judged for the whole city gives one row whose polygon is the territory; levels without polygons
        (none in a valid layer set) get an empty geometry.

        Examples
        --------
        >>> run = check(2025, "demo:0.05", targets=["childcare-slots-per-1000"])
        >>> units = run.units("childcare-slots-per-1000")
        >>> sorted(units["level"].unique())
        ['district']
        >>> bool(units.crs.is_projected), set(units["status"]) <= {"pass", "fail", "no_data"}
        (True, True)
        """
        res = target_id if isinstance(target_id, TargetResult) else self.result(target_id)
        rows = pd.DataFrame([u.to_dict() for u in res.units], columns=list(UNIT_COLUMNS))
        geoms = np.full(len(rows), None, dtype=object)
        for level in dict.fromkeys(rows["level"]):
            polys = self.polygons(str(level))
            if polys is None:
                continue
            by_id = dict(zip(polys["unit_id"].astype(str), polys.geometry.to_numpy(), strict=True))
            sel = (rows["level"] == level).to_numpy()
            geoms[sel] = [by_id.get(str(i)) for i in rows.loc[sel, "unit_id"]]
        for col in ("value", "threshold", "gap", "population", "supply"):
            rows[col] = pd.to_numeric(rows[col], errors="coerce").astype("float64")
        return gpd.GeoDataFrame(rows, geometry=gpd.GeoSeries(geoms, crs=self.region.crs), crs=self.region.crs)

    def polygons(self, level: str) -> gpd.GeoDataFrame | None:
        """The polygons of ``level`` (a unit level, ``city`` or a named area) in the working CRS, or None."""
        region = self.region
        if level in region.units:
            return region.units[level]
        if level == "city":
            name = self.layer_set.name_zh or self.layer_set.name
            return gpd.GeoDataFrame({"unit_id": [self.layer_set.city_code or "city"], "name": [name],
                                     "class": ["city"]}, geometry=[region.territory], crs=region.crs)
        if level in self.layer_set.areas:
            return region.area(level, purpose="the units of a result")
        return None

    def to_file(self, path: str | os.PathLike[str], *, lang: str = "en") -> Path:
        """Write the report in the format its suffix names, atomically; return the path.

        ``.json``, ``.csv``, ``.md``, ``.txt`` (the terminal text), ``.xlsx`` (the workbook), ``.html``
        (the printable brief), ``.gpkg`` (a GeoPackage for QGIS: a styled layer per target) or ``.parquet``
        (a folder of GeoParquet files, one per target).

        Examples
        --------
        >>> import tempfile, json, pathlib
        >>> run = check(2025, "demo:0.05", targets=["childcare-slots-per-1000"])
        >>> out = run.to_file(pathlib.Path(tempfile.mkdtemp()) / "report.json")
        >>> json.loads(out.read_text())["targets"][0]["id"]
        'childcare-slots-per-1000'
        """
        from .._io import write_text_atomic
        from ..render.text import render

        out = Path(path)
        suffix = out.suffix.lower()
        if suffix == ".xlsx":
            from ..render.xlsx import write_xlsx

            write_xlsx(self.results, self.meta(), out, lang=lang)
        elif suffix in (".gpkg", ".parquet"):
            from ..render.gpkg import write_gpkg
            from ..render.parquet import write_parquet

            (write_gpkg if suffix == ".gpkg" else write_parquet)(self.with_geometry(), out, lang=lang)
        elif suffix in (".html", ".htm"):
            from ..render.brief import brief_for_run

            write_text_atomic(out, brief_for_run(self, lang=lang, maps_dir=None, out=out))
        elif suffix in _TEXT_SUFFIX:
            write_text_atomic(out, render(self.results, self.meta(), fmt=_TEXT_SUFFIX[suffix], lang=lang))
        else:
            msg = (f"{out.name}: the report format is chosen by the suffix: "
                   f"{', '.join([*_TEXT_SUFFIX, '.xlsx', '.html', '.gpkg', '.parquet'])}.")
            raise ValueError(msg)
        return out

    def with_geometry(self) -> CheckRun:
        """This run with the geometry maps and GeoPackages draw (people not served, service areas).

        Targets checked without it (``check(..., want_geo=False)``, the default) are checked again with it.
        """
        if self.geometry:
            return self
        results = evaluate_scenario(self.scenario, self.region, target_ids=[r.id for r in self.results],
                                    want_geo=True)
        return replace(self, results=results, geometry=True)

    def _repr_html_(self) -> str:
        """The verdict table in a notebook (names from the data escaped)."""
        head = "".join(f"<th>{h}</th>" for h in ("target", "title", "status", "value", "threshold", "level"))
        colour = {"pass": "#1a7f37", "fail": "#b3261e"}
        body = []
        for r in self.results:
            value = fmt_value(r.value, r.unit_en)
            body.append(
                f"<tr><td><code>{html.escape(r.id)}</code></td><td>{html.escape(r.title_en)}</td>"
                f"<td style='color:{colour.get(r.status, '#666')};font-weight:bold'>{html.escape(r.status)}</td>"
                f"<td>{html.escape(value)}</td><td>{html.escape(r.threshold_text)}</td>"
                f"<td>{html.escape(r.level)}</td></tr>")
        title = html.escape(f"{self.layer_set.name} · scenario {self.scenario.year}")
        return (f"<div><b>{title}</b><table><thead><tr>{head}</tr></thead>"
                f"<tbody>{''.join(body)}</tbody></table></div>")

    def meta(self) -> ReportMeta:
        """Report metadata for the renderers."""
        return ReportMeta(
            scenario_year=self.scenario.year, scenario_path=self.scenario.path.name,
            layer_set=self.layer_set.name, layer_set_path=str(self.layer_set.root),
            synthetic=self.layer_set.synthetic, sources=tuple(dict(s) for s in self.layer_set.sources),
            notes=tuple(dict.fromkeys([*self.layer_set.notes, *source_notes(self.layer_set), *self.region.notes])),
            tool_version=__version__,
        )


#: The columns of :meth:`CheckRun.units` before ``geometry`` (a unit's numbers as in the JSON report).
UNIT_COLUMNS = ("level", "unit_id", "name", "class", "parent_id", "value", "threshold", "status", "gap", "population",
                "supply")
_TEXT_SUFFIX = {".json": "json", ".csv": "csv", ".md": "md", ".txt": "text"}


def check(scenario: int | str | os.PathLike[str], layers: str | os.PathLike[str] = "demo", *,
          targets: list[str] | None = None, year: int | None = None, allow_outside_paths: bool = False,
          want_geo: bool = False) -> CheckRun:
    """Check a scenario's targets on a layer set: the main job, as a library call.

    Parameters
    ----------
    scenario
        A year with a scenario shipped in the package (``2025``) or a scenario YAML path.
    layers
        ``"demo"`` (the generated demo city), ``"demo:SCALE"`` / ``"demo:SCALE:SEED"``, a layer-set name under
        ``layers/`` or a folder holding a ``manifest.yaml``.
    targets
        Only these target ids (default: every target of the scenario).
    year
        Measure the scenario's targets as of another year (facilities opened by then and not closed);
        default: the scenario's own year.
    allow_outside_paths
        Let the manifest name files outside its folder (trusted manifests only).
    want_geo
        Also build the geometry maps draw (service areas, people not served).

    Returns
    -------
    CheckRun
        The scenario, the layer set, the loaded region and one :class:`TargetResult` per target.

    Examples
    --------
    >>> run = check(2025, "demo:0.05", targets=["childcare-slots-per-1000", "fitness-15min-circle"])
    >>> [(r.id, r.status) for r in run.results]  # doctest: +ELLIPSIS
    [('childcare-slots-per-1000', ...), ('fitness-15min-circle', ...)]
    >>> run.result("childcare-slots-per-1000").level
    'district'
    """
    sc = load_scenario(str(scenario))
    if year is not None and year != sc.year:
        sc = replace(sc, year=int(year))
    folder = resolve_layers(str(layers))
    spec = load_manifest(folder, allow_outside_paths=allow_outside_paths)
    region = load_region(spec)
    for t in targets or []:
        sc.target(t)  # raises, naming the valid ids
    results = evaluate_scenario(sc, region, target_ids=targets, want_geo=want_geo)
    return CheckRun(scenario=sc, layer_set=spec, region=region, results=results, geometry=want_geo)


def source_notes(spec: LayerSetSpec) -> list[str]:
    """The caveats the manifest's ``sources:`` record (2000-era units, OSM gaps, how coordinates were decided).

    They go into the report's data notes so that every approximation behind a figure is printed with it,
    not only kept in the manifest.
    """
    return [Message("note.source_note", name=str(s.get("name", "source")), text=s["note"])
            for s in spec.sources if str(s.get("note") or "").strip()]


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


# PLR0913: the options of `coverage progress`, as the public API passes them
def run_years(scenarios: Sequence[str | os.PathLike[str]], layers: str | os.PathLike[str] | None = None, *, targets: list[str] | None = None,  # noqa: PLR0913
              demo_scale: float | None = None, allow_outside_paths: bool = False, want_geo: bool = False,
              only_present: bool = True, measure_all_years: bool = False, geo_last: bool = False) -> list[CheckRun]:
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
    measure_all_years
        Also measure the latest year's targets in the earlier years that do not set them (``measured_only``).
    geo_last
        Build map geometry for the latest year (whatever ``want_geo`` says for the others).

    Returns
    -------
    list of CheckRun
        One per scenario, sharing the region.
    """
    scs = [load_scenario(str(s)) for s in scenarios]
    folder = resolve_layers(None if layers is None else str(layers), demo_scale=demo_scale)
    spec = load_manifest(folder, allow_outside_paths=allow_outside_paths)
    region = load_region(spec)
    every = {t.id for sc in scs for t in sc.targets}
    for t in targets or []:
        if t not in every:
            scs[-1].target(t)  # raises, naming the valid ids
    runs = []
    latest_year = max(sc.year for sc in scs)
    for sc in scs:
        ids = targets
        if targets and only_present:
            ids = [t for t in targets if t in {x.id for x in sc.targets}]
        geo = want_geo or (geo_last and sc.year == latest_year)
        results = evaluate_scenario(sc, region, target_ids=ids, want_geo=geo) if (ids or not targets) else []
        runs.append(CheckRun(scenario=sc, layer_set=spec, region=region, results=results, geometry=geo))
    if measure_all_years:
        latest = max(scs, key=lambda s: s.year)
        for run in runs:
            have = {r.id for r in run.results}
            todo = tuple(t for t in latest.targets if t.id not in have and (not targets or t.id in targets))
            if todo and run.scenario is not latest:
                as_of = replace(latest, year=run.scenario.year, targets=todo)
                run.measured_only = evaluate_scenario(as_of, region, want_geo=False)
    return runs
