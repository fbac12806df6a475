"""``coverage check``: every target of a scenario year, with pass/fail, value, gap and quote."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .main import friendly_errors
from .options import (
    emit_report,
    format_opt,
    out_opt,
    run_opts,
    scenario_opt,
)


@click.command()
@scenario_opt
@run_opts
@format_opt
@out_opt
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True, help="Language of the text report.")
@click.option("--strict", is_flag=True, help="Exit 1 also when a target has no data.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when targets fail (bad input still exits 2).")
@friendly_errors
def check(scenario: str, layers: str, targets: tuple[str, ...], demo_scale: float | None, allow_outside_paths: bool,
          fmt: str, out: Path | None, lang: str, strict: bool, exit_zero: bool) -> None:
    """Check every target of a scenario year.

    Exit code 0 when every target passes, 1 when any fails, 2 for bad input.
    """
    from ..check import run_check
    from ..report import exit_code, render

    run = run_check(scenario, layers, targets=list(targets) or None, demo_scale=demo_scale,
                    allow_outside_paths=allow_outside_paths, want_geo=False)
    text = render(run.results, run.meta(), fmt=fmt, lang=lang)
    emit_report(text, out)
    sys.exit(0 if exit_zero else exit_code(run.results, strict=strict))
