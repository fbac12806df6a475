"""``coverage check``: every target of a scenario year, with pass/fail, value, gap and quote."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .base import catalogue_command, option
from .main import friendly_errors
from .options import (
    allow_outside_opt,
    demo_scale_opt,
    emit_report,
    format_opt_for,
    lang_opt,
    layer_value,
    layers_many_opt,
    out_dir_opt,
    scenario_opt,
    scheduler_opt,
    target_opt,
    workers_opt,
)

#: Formats a many-city run can write per city (text reports; xlsx and brief are one city at a time).
_MANY_FORMATS = ("text", "json", "csv", "md")


@catalogue_command(key="check")
@scenario_opt
@layers_many_opt
@target_opt
@demo_scale_opt
@allow_outside_opt
@format_opt_for("text", "json", "csv", "md", "xlsx", "brief", "gpkg", "parquet")
@option("--out", "-o", key="check_out", type=click.Path(path_type=Path), default=None)
@lang_opt
@out_dir_opt("check_maps", name="--maps", dest="maps_dir")
@option("--strict", key="strict", is_flag=True)
@option("--exit-zero", key="exit_zero", is_flag=True)
@scheduler_opt
@workers_opt
@friendly_errors
def check(scenario: str, layers: tuple[str, ...], targets: tuple[str, ...], demo_scale: float | None,
          allow_outside_paths: bool, fmt: str, out: Path | None, lang: str, maps_dir: Path | None, strict: bool,
          exit_zero: bool, scheduler: str, workers: int | None) -> None:
    """``coverage check`` (help: catalogue ``help.cmd.check``): one city, or many as Dask tasks."""
    from .. import check, expand_layer_values
    from ..errors import message
    from ..render.catalogue import t
    from ..render.text import exit_code, render, stdout_terminal

    if fmt == "xlsx" and out is None:
        raise click.UsageError(message("err.cli_xlsx_out"))
    if fmt in ("gpkg", "parquet") and out is None:
        raise click.UsageError(message("err.cli_files_out", fmt=fmt,
                                       example="results.gpkg" if fmt == "gpkg" else "results-parquet/"))
    if maps_dir is not None and fmt != "brief":
        raise click.UsageError(message("err.cli_maps_brief"))
    values = expand_layer_values(layers or ("demo",))
    if len(values) > 1:
        if fmt not in _MANY_FORMATS:
            raise click.UsageError(message("err.cli_many_format", fmt=fmt, formats=", ".join(_MANY_FORMATS)))
        _check_many(values, scenario, targets=list(targets) or None, demo_scale=demo_scale,
                    allow_outside_paths=allow_outside_paths, fmt=fmt, out=out, lang=lang, strict=strict,
                    exit_zero=exit_zero, scheduler=scheduler, workers=workers)
    if out is not None and out.is_dir() and fmt != "parquet":
        raise click.BadParameter(message("err.cli_out_folder", out=str(out)), param_hint="--out")
    run = check(scenario, layer_value(values[0], demo_scale), targets=list(targets) or None,
                allow_outside_paths=allow_outside_paths, want_geo=fmt in ("brief", "gpkg", "parquet"))
    if fmt == "xlsx":
        from ..render.xlsx import write_xlsx

        assert out is not None  # checked above

        write_xlsx(run.results, run.meta(), out, lang=lang)
        click.echo(t("cli.report_written", lang, out=out), err=True)
    elif fmt in ("gpkg", "parquet"):
        from ..render.gpkg import write_gpkg
        from ..render.parquet import write_parquet

        assert out is not None  # checked above

        (write_gpkg if fmt == "gpkg" else write_parquet)(run, out, lang=lang)
        click.echo(t("cli.report_written", lang, out=out), err=True)
    elif fmt == "brief":
        from ..render.brief import brief_for_run

        if maps_dir is not None and not (maps_dir / "index.html").exists():
            click.echo(t("cli.brief_no_maps", lang, maps=maps_dir, scenario=scenario), err=True)
        emit_report(brief_for_run(run, lang=lang, maps_dir=maps_dir, out=out), out, lang=lang)
    else:
        emit_report(render(run.results, run.meta(), fmt=fmt, lang=lang, **(stdout_terminal() if out is None else {})), out,
                    lang=lang)
    sys.exit(0 if exit_zero else exit_code(run.results, strict=strict))


def _check_many(values: list[str], scenario: str, *, out: Path | None, fmt: str, exit_zero: bool, scheduler: str,
                workers: int | None, **options: Any) -> None:
    """Several layer sets: one task per city, a cities × targets table on stdout, reports under ``out``."""
    from .. import check_many, many_exit_code
    from ..errors import message
    from ..render.catalogue import t
    from ..render.many_report import render_summary_text, write_outcomes
    from ..render.text import in_lang

    if out is not None and out.exists() and not out.is_dir():
        raise click.BadParameter(message("err.cli_many_out_file", out=str(out)), param_hint="--out")
    lang = str(options.get("lang", "en"))
    click.echo(t("many_checking", lang, n=len(values), scheduler=scheduler), err=True)
    outcomes = check_many(values, scenario, scheduler=scheduler, workers=workers, fmt=fmt, **options)
    click.echo(render_summary_text(outcomes, lang=lang), nl=False)
    for o in outcomes:
        if o.message:
            click.echo(t("err.cli_error", lang, text=in_lang(o.message, lang)), err=True)
    if out is not None:
        write_outcomes(outcomes, out, fmt=fmt)
        click.echo(t("many_written", lang, out=out), err=True)
    else:
        click.echo(t("many_give_out", lang), err=True)
    n_bad = sum(o.state != "ok" for o in outcomes)
    if n_bad:
        click.echo(t("many_n_failed", lang, bad=n_bad, n=len(outcomes)), err=True)
    sys.exit(many_exit_code(outcomes, exit_zero=exit_zero))
