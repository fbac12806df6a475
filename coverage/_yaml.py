"""Safe YAML reading that remembers line numbers, so errors can say "file, line, key, fix"."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import CoverageError


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
            msg = f"line {key_node.start_mark.line + 1}: mapping keys must be plain text"
            raise yaml.constructor.ConstructorError(None, None, msg, key_node.start_mark)
        key = str(key) if not isinstance(key, str) else key
        if key in out:
            msg = f"duplicate key {key!r} (first at line {out.key_lines[key]})"
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
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        msg = f"The {what} file {str(path)!r} does not exist. Check the path (or the year) you passed."
        raise error_cls(msg) from exc
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"The {what} file {str(path)!r} cannot be read ({exc}). Save it as UTF-8 text and try again."
        raise error_cls(msg) from exc
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        problem = exc.problem or "invalid value"
        if "could not determine a constructor for the tag" in problem:
            m = re.search(r"for the tag '([^']*)'", problem)
            tag = (m.group(1) if m else "?").replace("tag:yaml.org,2002:", "!!")
            msg = (f"{path}: {where}: the YAML tag {tag!r} is not allowed: a {what} holds plain text, numbers, "
                   "lists and mappings only (tags that build program objects are refused for safety). Remove the "
                   "tag, or quote the value if it is text.")
        else:
            msg = f"{path}: {where}: {problem}. Fix that key at that line."
        raise error_cls(msg) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "unknown position"
        problem = exc.problem or exc.context or "invalid YAML"
        msg = (
            f"{path}: {where}: YAML syntax error: {problem}. Fix the indentation or quoting at that line "
            "(text containing ':' or '#' must be quoted)."
        )
        raise error_cls(msg) from exc
    except yaml.YAMLError as exc:
        msg = f"{path}: not valid YAML ({exc}). Check the file's syntax."
        raise error_cls(msg) from exc
