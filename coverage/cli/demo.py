"""``coverage demo``: build (or find) the generated demo city."""

from __future__ import annotations

import click

from .base import catalogue_command, option
from .main import friendly_errors
from .options import lang_opt


@catalogue_command(key="demo")
@option("--scale", key="demo_scale_build", type=click.FloatRange(0.001, 6.0), default=1.0, show_default=True)
@option("--seed", key="seed", type=int, default=2025, show_default=True)
@lang_opt
@friendly_errors
def demo(scale: float, seed: int, lang: str) -> None:
    """``coverage demo`` (help: catalogue ``help.cmd.demo``)."""
    from .. import demo_city

    click.echo(str(demo_city(scale=scale, seed=seed)))
