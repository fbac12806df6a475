"""One exception hierarchy for the whole package.

Nothing here imports click: only the CLI layer turns these into exit codes and messages.
Every message is written for a planner: what is wrong, the value seen, what is allowed, how to fix it.
"""

from __future__ import annotations


class CoverageError(Exception):
    """Root of every error this package raises on purpose (bad input, bad scenario, ...)."""


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
        self.problems = list(problems)
        super().__init__("\n".join(f"- {p}" for p in self.problems))


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
