"""``coverage progress``: every target across scenario years, with the pace to the last year's target."""

from __future__ import annotations

from pathlib import Path

import click

from .base import catalogue_command, option
from .main import friendly_errors
from .options import emit_report, format_opt, layer_value, out_dir_opt, out_opt, page_opts, run_opts


@catalogue_command(name="progress", key="progress")
@option("--scenarios", "-s", "scenarios", key="scenarios", required=True, multiple=True, metavar="YEAR|FILE")
@click.argument("more", nargs=-1, metavar="[YEAR|FILE]...")
@run_opts
@format_opt
@out_opt
@option("--only-set-years", key="only_set_years", is_flag=True)
@out_dir_opt("progress_maps", name="--maps", dest="maps_dir")
@page_opts
@option("--brief", "brief_out", key="progress_brief", type=click.Path(dir_okay=False, path_type=Path), default=None,
        metavar="FILE")
@friendly_errors
def command(scenarios: tuple[str, ...], more: tuple[str, ...], layers: str, targets: tuple[str, ...],
            demo_scale: float | None, allow_outside_paths: bool, fmt: str, out: Path | None, lang: str,
            only_set_years: bool, maps_dir: Path | None, tiles: str, tianditu_key: str | None, assets: str | Path,
            brief_out: Path | None) -> None:
    """``coverage progress`` (help: catalogue ``help.cmd.progress``)."""
    from .. import __version__, progress
    from ..errors import ScenarioError, message
    from ..render.catalogue import t
    from ..render.charts import progress_charts
    from ..render.progress_report import ProgressMeta, render_progress

    names = [*scenarios, *more]
    prog = progress(names, layer_value(layers, demo_scale), targets=list(targets) or None,
                    only_set_years=only_set_years, allow_outside_paths=allow_outside_paths,
                    want_geo=maps_dir is not None)
    spec, last = prog.last.layer_set, prog.last
    meta = ProgressMeta(years=tuple(prog.years), scenario_paths=tuple(r.scenario.path.name for r in prog.runs),
                        layer_set=spec.name, synthetic=spec.synthetic, tool_version=__version__)
    text = render_progress(prog.series, meta, fmt=fmt, lang=lang)
    if (maps_dir is not None or brief_out is not None) and not last.results:
        raise ScenarioError(message("err.cli_progress_last_year", year=prog.years[-1]))
    if maps_dir is not None:
        from ..render.web import publish

        publish(last, maps_dir, tiles=tiles, tianditu_key=tianditu_key, lang=lang, assets=assets,
                charts=progress_charts(prog.series, lang=lang))
        click.echo(t("cli.progress_maps_written", lang, out=maps_dir), err=True)
    if brief_out is not None:
        from .._io import write_text_atomic
        from ..render.brief import brief_for_run

        brief = brief_for_run(last, lang=lang, maps_dir=maps_dir, out=brief_out,
                              charts=progress_charts(prog.series, lang=lang))
        write_text_atomic(brief_out, brief)
        click.echo(t("cli.progress_brief_written", lang, out=brief_out), err=True)
    emit_report(text, out, lang=lang)

