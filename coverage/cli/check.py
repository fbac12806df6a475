"""``coverage check``: every target of a scenario year, with pass/fail, value, gap and quote."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .main import friendly_errors
from .options import (
    emit_report,
    out_opt,
    run_opts,
    scenario_opt,
)


@click.command()
@scenario_opt
@run_opts
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json", "csv", "md", "xlsx", "brief"]),
              default="text", show_default=True,
              help="Report format: xlsx is an Excel workbook (needs --out); brief is a printable HTML page per target.")
@out_opt
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              help="Language of the text, xlsx and brief reports.")
@click.option("--maps", "maps_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="brief only: link each target to its page in maps published by `coverage map --out DIR`.")
@click.option("--strict", is_flag=True, help="Exit 1 also when a target has no data.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when targets fail (bad input still exits 2).")
@friendly_errors
def check(scenario: str, layers: str, targets: tuple[str, ...], demo_scale: float | None, allow_outside_paths: bool,
          fmt: str, out: Path | None, lang: str, maps_dir: Path | None, strict: bool, exit_zero: bool) -> None:
    """Check every target of a scenario year.

    Exit code 0 when every target passes, 1 when any fails, 2 for bad input.
    """
    from ..check import run_check
    from ..report import exit_code, render

    if fmt == "xlsx" and out is None:
        raise click.UsageError("--format xlsx writes a binary file: add --out FILE.xlsx (e.g. --out report.xlsx).")
    if maps_dir is not None and fmt != "brief":
        raise click.UsageError("--maps only applies to --format brief.")
    run = run_check(scenario, layers, targets=list(targets) or None, demo_scale=demo_scale,
                    allow_outside_paths=allow_outside_paths, want_geo=False)
    if fmt == "xlsx":
        from ..report_xlsx import write_xlsx

        write_xlsx(run.results, run.meta(), out, lang=lang)
        click.echo(f"Report written to {out}", err=True)
    elif fmt == "brief":
        from ..brief import brief_for_run

        if maps_dir is not None and not (maps_dir / "index.html").exists():
            click.echo(f"Note: {maps_dir} holds no published maps yet; the brief links to pages that "
                       f"`coverage map -s {scenario} --out {maps_dir}` will write.", err=True)
        text = brief_for_run(run, lang=lang, maps_dir=maps_dir, out=out)
        emit_report(text, out)
    else:
        emit_report(render(run.results, run.meta(), fmt=fmt, lang=lang), out)
    sys.exit(0 if exit_zero else exit_code(run.results, strict=strict))
