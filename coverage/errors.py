"""One exception hierarchy for the whole package.

Nothing here imports click: only the CLI layer turns these into exit codes and messages.
Every message is written for a planner: what is wrong, the value seen, what is allowed, how to fix it.

A message is a catalogue sentence (:class:`~coverage_planner.model.messages.Message`, keys ``err.*`` in
:mod:`coverage_planner.render.catalogue_errors`) wherever a planner can meet it: ``str(exc)`` is its English,
:meth:`CoverageError.text` renders it in the reader's language (the CLI uses the command's ``--lang``).
A message that is a plain string (programming misuse of the Python API) is shown as it is in both.

Examples
--------
>>> from coverage_planner.model.messages import Message
>>> exc = ScenarioError(Message("err.yaml_missing", what=Message("err.file_scenario"), path="x.yaml"))
>>> str(exc).startswith("The scenario file 'x.yaml' does not exist.")
True
>>> exc.text("zh").startswith("方案文件 'x.yaml' 不存在")
True
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model.messages import Message


def message(key: str, /, **params: Any) -> Message:
    """The catalogue sentence ``key`` with its parameters, to raise with (``str`` is its English)."""
    from .model.messages import Message  # errors import nothing of the package at import time

    return Message(key, **params)


def at(where: str, key: str, /, **params: Any) -> Message:
    """The sentence ``key`` prefixed with where it was found (``file:line: ...``), as one catalogue sentence."""
    return message("err.at", where=where, text=message(key, **params))


def did_you_mean(word: str, valid: Iterable[str]) -> str:
    """`` Did you mean 'x'?`` (a catalogue sentence) when ``word`` is close to one of ``valid``, else nothing."""
    close = difflib.get_close_matches(word, list(valid), n=1)
    return message("err.did_you_mean", name=close[0]) if close else ""


class CoverageError(Exception):
    """Root of every error this package raises on purpose (bad input, bad scenario, ...)."""

    @property
    def message(self) -> str:
        """The planner's paragraph: a ``Message`` when it is a catalogue sentence (``str`` is its English)."""
        return self.args[0] if len(self.args) == 1 and isinstance(self.args[0], str) else str(self)

    def text(self, lang: str) -> str:
        """The paragraph in ``lang`` ('en' or 'zh')."""
        from .model.messages import in_lang  # errors import nothing of the package at import time

        return in_lang(self.message, lang)


class ScenarioError(CoverageError, ValueError):
    """A scenario YAML file is malformed or asks for something impossible."""


class ManifestError(CoverageError, ValueError):
    """A layer-set manifest is malformed."""


class LayerError(CoverageError, ValueError):
    """A data layer is unreadable, empty, mis-projected or missing a required field."""


class LayerNotFoundError(LayerError, FileNotFoundError):
    """A layer file named in a manifest does not exist."""


class CoverageValidationError(CoverageError, ValueError):
    """Several validation problems, collected and raised at once.

    Parameters
    ----------
    problems
        One sentence per problem, each naming the file, the feature and the fix.
    """

    def __init__(self, problems: list[str]) -> None:
        from .model.messages import Lines

        self.problems = list(problems)
        super().__init__(Lines(self.problems))


class OutputError(CoverageError, OSError):
    """An output file or folder cannot be written."""


class MissingDataError(LayerError):
    """The layer set has no layer (or column group) for a role a target needs.

    Targets that hit this are reported as "no data" with the message, not as a crash.

    Parameters
    ----------
    message
        The planner's sentence: what is missing and how to add it.
    role
        The facility role that is missing, when it is a facility layer (the no-data result then names the
        columns the target reads from it).
    """

    def __init__(self, message: str, *, role: str | None = None) -> None:
        super().__init__(message)
        self.role = role


class MapError(CoverageError, ValueError):
    """A map option is invalid (basemap without its key, unknown target, missing asset folder...)."""
