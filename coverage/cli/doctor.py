"""``coverage doctor``: check a layer set (and a scenario against it), listing every problem."""

from __future__ import annotations

import sys

import click

from .main import EXIT_BAD_INPUT, friendly_errors
from .options import allow_outside_opt, demo_scale_opt, layers_opt, scenario_opt_for


@click.command(name="doctor")
@layers_opt
@scenario_opt_for(required=False, help="Also try every target of this scenario (a year or a scenario YAML path).")
@click.option("--no-networks", is_flag=True, help="Skip loading the walking networks.")
@demo_scale_opt
@allow_outside_opt
@friendly_errors
def command(layers: str, scenario: str | None, no_networks: bool, demo_scale: float | None,
            allow_outside_paths: bool) -> None:
    """List every problem of a layer set with its fix; exit 2 if there is any."""
    from .. import doctor as diagnose
    from .. import resolve_layers
    from ..render.text import clean

    findings = diagnose(resolve_layers(layers, demo_scale=demo_scale), scenario=scenario, networks=not no_networks,
                        allow_outside_paths=allow_outside_paths)
    for f in findings:
        click.echo(f"[{f.label}] {clean(f.item)}: {clean(f.message)}")
    bad = [f for f in findings if not f.ok]
    warned = sum(f.warning for f in findings if f.ok)
    also = f" and {warned} warning(s) to read" if warned else ""
    click.echo(f"\n{len(bad)} problem(s){also} found." if bad else f"\nNo problems found{also}.")
    sys.exit(EXIT_BAD_INPUT if bad else 0)
