"""``coverage demo``: build (or find) the generated demo city."""

from __future__ import annotations

import click

from .main import friendly_errors


@click.command()
@click.option("--scale", type=click.FloatRange(0.001, 6.0), default=1.0, show_default=True,
              help="1.0 = full-size city (~10 M people); smaller for tests.")
@click.option("--seed", type=int, default=2025, show_default=True, help="Random seed (same seed, same city).")
@friendly_errors
def demo(scale: float, seed: int) -> None:
    """Generate the synthetic demo city (cached) and print its folder."""
    from .. import demo_city

    click.echo(str(demo_city(scale=scale, seed=seed)))
