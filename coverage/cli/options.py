"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

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
    "--demo-scale", type=click.FloatRange(0.001, 6.0), default=None, metavar="S",
    help="Size of the demo city (1.0 = full size, the default; 0.05 is a small test city; 5.1 has 500,000 walking nodes).",
)
layers_many_opt = click.option(
    "--layers", "-l", "layers", multiple=True, metavar="NAME|DIR|GLOB",
    help="Layer set: 'demo' (the default), 'demo:SCALE' or 'demo:SCALE:SEED', a name under layers/, or a folder with manifest.yaml. "
         "Repeat it or give a glob ('layers/*/') to check many cities at once (see --scheduler).",
)
scheduler_opt = click.option(
    "--scheduler", default="local", show_default=True, metavar="local|sequential|tcp://HOST:PORT",
    help="With several layer sets: 'local' runs one Dask task per city on a LocalCluster on this machine, "
         "'sequential' one after the other in this process, an address uses an existing Dask cluster.",
)
workers_opt = click.option(
    "--workers", type=click.IntRange(1, 256), default=None, metavar="N",
    help="Worker processes of --scheduler local (default: one per city, at most the number of cores).",
)
allow_outside_opt = click.option(
    "--allow-outside-paths", is_flag=True, help="Let a manifest name files outside its folder (trusted manifests only).",
)
target_opt = click.option("--target", "-t", "targets", multiple=True, metavar="ID", help="Only this target (repeatable).")


def run_opts(fn):  # noqa: ANN001, ANN201 - a click decorator
    """The options of every command that checks targets: --layers, --target, --demo-scale, --allow-outside-paths."""
    for opt in (allow_outside_opt, demo_scale_opt, target_opt, layers_opt):
        fn = opt(fn)
    return fn


format_opt = click.option("--format", "-f", "fmt", type=click.Choice(["text", "json", "csv", "md"]), default="text",
                          show_default=True, help="Report format.")
out_opt = click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
                       help="Write the report to this file (atomically) instead of stdout.")


def emit_report(text: str, out: Path | None) -> None:
    """Write a report to ``out`` atomically (saying so on stderr), or print it to stdout."""
    from .._io import write_text_atomic

    if out is not None:
        write_text_atomic(out, text)
        click.echo(f"Report written to {out}", err=True)
    else:
        click.echo(text, nl=False)
