"""``coverage schema``: the JSON Schema of scenario files, for editors."""

from __future__ import annotations

import json
from pathlib import Path

from .base import catalogue_command
from .main import friendly_errors
from .options import emit_report, lang_opt, out_file_opt


@catalogue_command(name="schema", key="schema")
@out_file_opt("schema_out")
@lang_opt
@friendly_errors
def command(out: Path | None, lang: str) -> None:
    """``coverage schema`` (help: catalogue ``help.cmd.schema``)."""
    from .. import scenario_json_schema

    emit_report(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n", out, lang=lang)
