"""Safe YAML reading that remembers line numbers, so errors can say "file, line, key, fix"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import CoverageError
from .model.messages import Message
from .model.reasons import library_text, reason_words, yaml_problem

#: The ``what`` of :func:`load_yaml` as catalogue words (other values are shown as they are).
_WHAT = {"scenario": "err.file_scenario", "layer-set manifest": "err.file_manifest"}


class LineDict(dict[str, Any]):
    """A dict from YAML that knows the line of each key (1-based) and its own first line."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """Line of ``key`` if present, else the mapping's own line."""
        return self.key_lines.get(key, self.line)


class _Loader(yaml.SafeLoader):
    """SafeLoader (no object construction) whose mappings are ``LineDict``s."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool):
            msg = Message("err.yaml_p_key_plain")
            raise yaml.constructor.ConstructorError(None, None, msg, key_node.start_mark)
        key = str(key) if not isinstance(key, str) else key
        if key in out:
            msg = Message("err.yaml_duplicate_key", field=key, first=out.key_lines[key])
            raise yaml.constructor.ConstructorError(None, None, msg, key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path, *, error_cls: type[CoverageError], what: str) -> Any:
    """Read a YAML file safely; syntax errors become ``error_cls`` with file, line and the fix.

    Parameters
    ----------
    path
        The file.
    error_cls
        Exception class to raise (e.g. ``ScenarioError``).
    what
        What the file is, for messages ("scenario", "layer-set manifest").
    """
    what_words = Message(_WHAT[what]) if what in _WHAT else what
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise error_cls(Message("err.yaml_missing", what=what_words, path=str(path))) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise error_cls(Message("err.yaml_unreadable", what=what_words, path=str(path), reason=reason_words(exc))) from exc
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.MarkedYAMLError as exc:  # ConstructorError too
        mark = exc.problem_mark or exc.context_mark
        where = {"path": str(path), "line": mark.line + 1 if mark else "?", "column": mark.column + 1 if mark else "?"}
        problem = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, yaml.constructor.ConstructorError) and "could not determine a constructor for the tag" in str(problem):
            m = re.search(r"for the tag '([^']*)'", problem)
            tag = (m.group(1) if m else "?").replace("tag:yaml.org,2002:", "!!")
            msg = Message("err.yaml_tag", tag=tag, what=what_words, **where)
        elif isinstance(exc, yaml.constructor.ConstructorError):
            msg = Message("err.yaml_value", problem=yaml_problem(problem), **where)
        else:
            msg = Message("err.yaml_syntax", problem=yaml_problem(problem), **where)
        raise error_cls(msg) from exc
    except yaml.YAMLError as exc:
        raise error_cls(Message("err.yaml_invalid", path=str(path), reason=library_text(exc))) from exc
