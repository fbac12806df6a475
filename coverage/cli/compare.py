"""``coverage compare``: a baseline against a what-if (planned facilities, a siting study's sites, or two saved reports)."""

from __future__ import annotations

from pathlib import Path

import click

from .base import catalogue_command, option
from .main import friendly_errors
from .options import (
    emit_report,
    format_opt,
    layer_value,
    out_dir_opt,
    out_opt,
    page_opts,
    run_opts,
    scenario_opt_for,
)


@catalogue_command(name="compare", key="compare")
@click.argument("reports", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="[A.json B.json]")
@scenario_opt_for(required=False, key="compare_scenario")
@run_opts
@option("--with", "with_", key="with", type=click.Choice(["planned"]), default=None)
@option("--with-sites", key="with_sites", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
        metavar="DIR")
@format_opt
@out_opt
@out_dir_opt("compare_map", name="--map", dest="map_dir")
@page_opts
@friendly_errors
def command(reports: tuple[Path, ...], scenario: str | None, layers: str, targets: tuple[str, ...],
            demo_scale: float | None, allow_outside_paths: bool, with_: str | None, with_sites: Path | None,
            fmt: str, out: Path | None, map_dir: Path | None, tiles: str, tianditu_key: str | None, lang: str,
            assets: str | Path) -> None:
    """``coverage compare`` (help: catalogue ``help.cmd.compare``)."""
    from .. import check, compare, with_planned
    from .. import with_sites as rerun_with_sites
    from ..errors import ScenarioError, message
    from ..render.catalogue import t
    from ..render.compare_report import render_compare, units_of

    if reports:
        if len(reports) != 2 or scenario or with_ or with_sites or map_dir:
            raise ScenarioError(message("err.cli_compare_either"))
        cmp = compare(reports[0], reports[1])
    else:
        if scenario is None or (with_ is None) == (with_sites is None):
            raise ScenarioError(message("err.cli_compare_what"))
        base = check(scenario, layer_value(layers, demo_scale), targets=list(targets) or None,
                     allow_outside_paths=allow_outside_paths, want_geo=map_dir is not None)
        label: str
        if with_sites is None:
            other, label = with_planned(base), message("label.with_planned")
        else:
            other, label = rerun_with_sites(base, with_sites)
        cmp = compare(base, other, after_label=label)
        if map_dir is not None:
            from ..render.web.compare_page import publish_compare

            publish_compare(base, other, cmp.deltas, map_dir, tiles=tiles, tianditu_key=tianditu_key, lang=lang,
                            after_label=cmp.after_label, assets=assets)
            click.echo(t("cli.compare_maps_written", lang, out=map_dir), err=True)
    text = render_compare(cmp.deltas, before=cmp.before_label, after=cmp.after_label, fmt=fmt, lang=lang,
                          synthetic=cmp.synthetic, units=units_of(cmp.before_targets + cmp.after_targets))
    emit_report(text, out, lang=lang)
