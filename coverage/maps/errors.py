"""The error the map publisher raises for bad options (a ``CoverageError``: the CLI exits 2)."""

from __future__ import annotations

from ..errors import CoverageError

__all__ = ["MapError"]


class MapError(CoverageError, ValueError):
    """A map option is invalid (basemap without its key, unknown target, missing asset folder...)."""
