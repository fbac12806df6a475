"""``coverage map``: one interactive map per target plus an index page (thin wrapper of ``maps.publish``)."""

from __future__ import annotations

from pathlib import Path

import click

from . import options as opt
from .base import catalogue_command
from .main import friendly_errors


@catalogue_command(name="map", key="map")
@opt.scenario_opt
@opt.layers_many_opt
@opt.target_opt
@opt.demo_scale_opt
@opt.allow_outside_opt
@opt.out_dir_opt("map_out", required=True)
@opt.page_opts
@opt.scheduler_opt
@opt.workers_opt
@friendly_errors
def command(scenario: str, layers: tuple[str, ...], targets: tuple[str, ...], demo_scale: float | None,
            allow_outside_paths: bool, out: Path, tiles: str, tianditu_key: str | None, lang: str,
            assets: str | Path, scheduler: str, workers: int | None) -> None:
    """``coverage map`` (help: catalogue ``help.cmd.map``)."""
    from .. import check, city_names, expand_layer_values
    from ..render.web import publish
    from ..render.web.publish import preflight

    values = expand_layer_values(layers or ("demo",))
    for folder in [out / n for n in city_names(values)] if len(values) > 1 else [out]:
        preflight(folder, tiles=tiles, tianditu_key=tianditu_key, lang=lang, assets=assets)
    if len(values) > 1:
        _map_many(values, scenario, out=out, scheduler=scheduler, workers=workers, targets=list(targets) or None,
                  demo_scale=demo_scale, allow_outside_paths=allow_outside_paths, tiles=tiles,
                  tianditu_key=tianditu_key, lang=lang, assets=str(assets))
    run = check(scenario, opt.layer_value(values[0], demo_scale), targets=list(targets) or None,
                allow_outside_paths=allow_outside_paths, want_geo=True)
    paths = publish(run, out, tiles=tiles, tianditu_key=tianditu_key, lang=lang, assets=assets)
    from ..render.catalogue import t

    click.echo(t("cli.maps_written", lang, n=len(paths) - 1, out=paths[0]), err=True)
    click.echo(opt.page_note(tiles, assets, lang=lang), err=True)


def _map_many(values: list[str], scenario: str, *, out: Path, scheduler: str, workers: int | None,
              **options: object) -> None:
    """Several layer sets: each city's maps in ``out/<city>/`` (written by the worker that checked it)."""
    import sys

    from .. import check_many, many_exit_code, map_city
    from ..render.catalogue import t
    from ..render.text import in_lang

    lang = str(options.get("lang", "en"))
    click.echo(t("many_mapping", lang, n=len(values), scheduler=scheduler), err=True)
    outcomes = check_many(values, scenario, scheduler=scheduler, workers=workers, task=map_city,
                          out=str(out.resolve()), **options)
    for o in outcomes:
        click.echo(f"{o.name}: {o.report}" if o.state == "ok" else t("err.cli_error", lang, text=in_lang(o.message, lang)),
                   err=o.state != "ok")
    n_bad = sum(o.state != "ok" for o in outcomes)
    if n_bad:
        click.echo(t("many_n_failed", lang, bad=n_bad, n=len(outcomes)), err=True)
    sys.exit(many_exit_code(outcomes, exit_zero=True))
