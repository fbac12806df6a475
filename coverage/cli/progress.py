"""``coverage progress``: every target across scenario years, with the pace to the last year's target."""

from __future__ import annotations

from pathlib import Path

import click

from .main import friendly_errors
from .options import emit_report, format_opt, out_opt, run_opts


@click.command(name="progress")
@click.option("--scenarios", "-s", "scenarios", required=True, multiple=True, metavar="YEAR|FILE",
              help="Scenario years or files, e.g. -s 2020 -s 2022 (or --scenarios 2020 2022 2023 2025).")
@click.argument("more", nargs=-1, metavar="[YEAR|FILE]...")
@run_opts
@format_opt
@out_opt
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True, help="Language of the text.")
@click.option("--only-set-years", is_flag=True,
              help="Measure a target only in the years that set it (default: also measure the latest year's "
                   "targets in earlier years that do not set them, so the pace has more years).")
@click.option("--maps", "maps_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="Also publish the last year's maps with a progress chart per target in index.html.")
@click.option("--tiles", type=click.Choice(["osm", "none", "amap"]), default="osm", show_default=True,
              help="Basemap of the --maps pages.")
@click.option("--brief", "brief_out", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
              help="Also write the printable brief of the last year (one page per target) with its progress chart.")
@friendly_errors
def command(scenarios: tuple[str, ...], more: tuple[str, ...], layers: str, targets: tuple[str, ...],
            demo_scale: float | None, allow_outside_paths: bool, fmt: str, out: Path | None, lang: str,
            only_set_years: bool, maps_dir: Path | None, tiles: str, brief_out: Path | None) -> None:
    """Progress of every target across years: values, each year's target, trend and pace.

    One layer set serves every year: a facility counts in year Y when its open_year is Y or earlier and
    it is not closed. The pace is a straight line through the years before the last one, projected to
    the last year and set against its target (an approximation, said so in the report).

    \b
    Examples:
      coverage progress --scenarios 2020 2022 2023 2025
      coverage progress -s 2020 2022 2023 2025 --format md --out progress.md
      coverage progress -s 2020 2022 2023 2025 --maps maps/progress --tiles none
      coverage progress -s 2020 2022 2023 2025 --brief brief-2025.html

    Exit code 0 when the report is written (whatever the pace), 2 for bad input.
    """
    from .. import __version__
    from ..errors import ScenarioError
    from ..render.charts import progress_charts
    from ..render.progress_report import ProgressMeta, render_progress
    from ..studies.check import run_years
    from ..studies.progress import build_progress

    names = [*scenarios, *more]
    runs = run_years(names, layers, targets=list(targets) or None, demo_scale=demo_scale,
                     allow_outside_paths=allow_outside_paths, want_geo=False, measure_all_years=not only_set_years)
    years = [r.scenario.year for r in runs]
    if len(set(years)) != len(years) or len(years) < 2:
        msg = (f"Give at least two scenarios of different years (got years {', '.join(map(str, years))} from "
               f"{', '.join(names)}), e.g. --scenarios 2020 2022 2023 2025.")
        raise ScenarioError(msg)
    runs.sort(key=lambda r: r.scenario.year)
    baseline = [r.scenario.year for r in runs if r.scenario.baseline]
    series = build_progress({r.scenario.year: r.results for r in runs}, baseline_years=baseline,
                            measured_only={r.scenario.year: r.measured_only for r in runs})
    spec = runs[0].layer_set
    meta = ProgressMeta(years=tuple(sorted(years)), scenario_paths=tuple(r.scenario.path.name for r in runs),
                        layer_set=spec.name, synthetic=spec.synthetic, tool_version=__version__)
    text = render_progress(series, meta, fmt=fmt, lang=lang)
    if (maps_dir is not None or brief_out is not None) and not runs[-1].results:
        msg = f"--maps and --brief show the {years[-1]} targets, and none of the chosen targets is set in {years[-1]}."
        raise ScenarioError(msg)
    if maps_dir is not None:
        from ..render.web import publish
        from ..studies.check import CheckRun
        from ..targets import evaluate_scenario

        last = runs[-1]
        geo = CheckRun(scenario=last.scenario, layer_set=spec, region=last.region,
                       results=evaluate_scenario(last.scenario, last.region,
                                                 target_ids=[r.id for r in last.results], want_geo=True))
        publish(geo, maps_dir, tiles=tiles, lang=lang, charts=progress_charts(series, lang=lang))
        click.echo(f"Maps with progress charts written to {maps_dir}", err=True)
    if brief_out is not None:
        from .._io import write_text_atomic
        from ..render.brief import brief_for_run

        brief = brief_for_run(runs[-1], lang=lang, maps_dir=maps_dir, out=brief_out,
                              charts=progress_charts(series, lang=lang))
        write_text_atomic(brief_out, brief)
        click.echo(f"Brief with progress charts written to {brief_out}", err=True)
    emit_report(text, out)
