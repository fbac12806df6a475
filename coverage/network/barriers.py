"""Which OpenStreetMap barrier nodes stop a walker or a cyclist.

A barrier on a way (``barrier=gate`` on a footpath, ``barrier=bollard`` across a lane) is passable
unless its tags say otherwise: ``access=no|private`` (without ``foot``/``bicycle`` allowing it), or
``foot=no`` / ``bicycle=no``. Linear barriers drawn through a node of a street (``wall``, ``fence``,
``hedge``, ``retaining_wall``, ``city_wall``) block unless access is explicitly allowed. Cyclists are
also stopped by ``stile``, ``turnstile``, ``kissing_gate`` and ``full-height_turnstile``.
Both readers (XML and PBF) use this one rule, so they give the same graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["blocks_passage"]

_LINEAR = frozenset({"wall", "fence", "hedge", "retaining_wall", "city_wall", "ditch"})
_NO_BIKE = frozenset({"stile", "turnstile", "kissing_gate", "full-height_turnstile"})
_ALLOWED = frozenset({"yes", "designated", "permissive", "official"})
_FORBIDDEN = frozenset({"no", "private"})


def blocks_passage(tags: Mapping[str, Any], mode: str = "walk") -> bool:
    """Whether a node with these tags blocks ``mode`` ({"walk", "bike"}) on the ways through it.

    Parameters
    ----------
    tags
        The node's tags (a dict, or pyosmium's TagList).
    mode
        ``"walk"`` or ``"bike"``.
    """
    barrier = tags.get("barrier")
    if barrier is None:
        return False
    own = tags.get("foot" if mode == "walk" else "bicycle")
    if own in _ALLOWED:
        return False
    if own == "no":
        return True
    if tags.get("access") in _FORBIDDEN:
        return True
    if barrier in _LINEAR:
        return True
    return mode == "bike" and barrier in _NO_BIKE
