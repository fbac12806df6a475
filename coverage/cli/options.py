"""Options shared by several commands."""

from __future__ import annotations

import click

scenario_opt = click.option(
    "--scenario", "-s", required=True, metavar="YEAR|FILE",
    help="A year with a file in scenarios/ (2020, 2022, 2023, 2025) or a scenario YAML path.",
)
layers_opt = click.option(
    "--layers", "-l", default="demo", show_default=True, metavar="NAME|DIR",
    help="Layer set: 'demo' (generated demo city), a name under layers/, or a folder with manifest.yaml.",
)
demo_scale_opt = click.option(
    "--demo-scale", type=click.FloatRange(0.001, 4.0), default=None, metavar="S",
    help="Size of the demo city (1.0 = full size, the default; 0.05 is a small test city).",
)
allow_outside_opt = click.option(
    "--allow-outside-paths", is_flag=True, help="Let a manifest name files outside its folder (trusted manifests only).",
)
target_opt = click.option("--target", "-t", "targets", multiple=True, metavar="ID", help="Only this target (repeatable).")
