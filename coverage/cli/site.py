"""``coverage site``: where to put new facilities for one target, with the target before and after."""

from __future__ import annotations

from pathlib import Path

import click

from .base import catalogue_command, option
from .main import friendly_errors
from .options import (
    allow_outside_opt,
    demo_scale_opt,
    format_opt_for,
    layer_value,
    layers_opt,
    out_dir_opt,
    page_opts,
    scenario_opt,
)


@catalogue_command(name="site", key="site")
@scenario_opt
@layers_opt
@demo_scale_opt
@allow_outside_opt
@option("--target", "-t", "target_id", key="site_target", required=True, metavar="ID")
@option("--new", "-n", key="new", type=click.IntRange(1, 100_000), default=None)
@option("--until-met", key="until_met", is_flag=True)
@option("--candidates", key="candidates", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@option("--exclude", key="exclude", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@option("--min-spacing-m", key="min_spacing", type=click.FloatRange(10, 100_000), default=300.0, show_default=True)
@option("--min-distance-existing-m", key="min_distance_existing", type=click.FloatRange(0, 100_000), default=0.0,
        show_default=True)
@option("--capacity", key="capacity", type=click.FloatRange(0, None, min_open=True), default=None)
@option("--solver", key="solver", type=click.Choice(["auto", "greedy", "milp"]), default="auto", show_default=True)
@option("--time-limit", key="time_limit", type=click.FloatRange(1, 86_400), default=60.0, show_default=True)
@option("--model", key="model", type=click.Choice(["mclp", "lscp", "p-median", "p-center", "backup", "capacitated"]),
        default="mclp", show_default=True)
@option("--budget", key="budget", type=click.FloatRange(0, None), default=None)
@option("--cost-field", key="cost_field", default=None, metavar="COLUMN")
@option("--service-areas", "service_areas", key="service_areas", type=click.Path(dir_okay=False, path_type=Path),
        default=None)
@out_dir_opt("site_out")
@format_opt_for("text", "json")
@page_opts
@friendly_errors
def command(scenario: str, layers: str, demo_scale: float | None, allow_outside_paths: bool, target_id: str,
            new: int | None, until_met: bool, candidates: Path | None, exclude: Path | None, min_spacing_m: float,
            min_distance_existing_m: float, capacity: float | None, solver: str, time_limit: float,
            model: str, budget: float | None, cost_field: str | None, service_areas: Path | None,
            out: Path | None, fmt: str, tiles: str, tianditu_key: str | None, lang: str, assets: str | Path) -> None:
    """``coverage site`` (help: catalogue ``help.cmd.site``)."""
    from .. import check, site
    from .._io import atomic_path
    from ..render.catalogue import t
    from ..render.site_report import render_site_text
    from ..render.text import json_text

    run = check(scenario, layer_value(layers, demo_scale), targets=[target_id], want_geo=True,
                allow_outside_paths=allow_outside_paths)
    study = site(run, target_id, new=new, until_met=until_met, candidates=candidates, exclude=exclude,
                 min_spacing_m=min_spacing_m, min_distance_existing_m=min_distance_existing_m, capacity=capacity,
                 solver=solver, time_limit_s=time_limit, model=model, budget=budget, cost_field=cost_field)
    if service_areas is not None:  # issue 21: service areas as data
        study.notes.extend(study.write_service_areas(run, service_areas))
    text = render_site_text(study, lang=lang, synthetic=run.layer_set.synthetic)
    doc = json_text(study.to_dict(lang=lang))
    if out is not None:
        from ..render.web import publish

        with atomic_path(out) as tmp:
            tmp.mkdir(parents=True)
            wgs = study.sites.to_crs(4326)
            wgs.to_file(tmp / "sites.gpkg", layer="proposed_sites", driver="GPKG")
            (tmp / "sites.geojson").write_text(wgs.to_json(drop_id=True), encoding="utf-8")
            (tmp / "report.json").write_text(doc, encoding="utf-8")
            (tmp / "report.txt").write_text(text, encoding="utf-8")
            publish(study.after_run(run), tmp / "map", tiles=tiles, tianditu_key=tianditu_key, lang=lang, assets=assets)
        click.echo(t("cli.site_written", lang, out=out), err=True)
    click.echo(doc if fmt == "json" else text, nl=False)
