"""``coverage schema``: the JSON Schema of scenario files, for editors."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .main import friendly_errors
from .options import emit_report


@click.command(name="schema")
@click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the schema to this file (atomically) instead of stdout.")
@friendly_errors
def command(out: Path | None) -> None:
    """Print the JSON Schema of scenario files (every target kind, its keys, types and defaults).

    \b
    Editors validate scenario YAML with it, e.g. with the YAML language server:
      coverage schema --out scenario.schema.json
      # first line of a scenario file:  # yaml-language-server: $schema=scenario.schema.json
    """
    from .. import scenario_json_schema

    emit_report(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n", out)
