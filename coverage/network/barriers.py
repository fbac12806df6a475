"""Which OpenStreetMap barrier nodes stop a walker or a cyclist.

The rule follows OSRM's foot profile (``profiles/foot.lua``, ``process_node``: the mode's own tag
``foot``/``bicycle`` first, then ``access``; a barrier without access tags blocks unless it is on the
whitelist of passable barriers), with one deliberate difference for walkers, as OSMnx (which ignores
barrier nodes altogether) and common sense have it: a barrier built to stop vehicles
(:data:`VEHICLE_BARRIERS`: ``lift_gate``, ``bollard``, ``swing_gate`` …) with ``access=no|private`` does
not stop a pedestrian, who walks round it; only ``foot=no`` (or ``foot=private``) does. OSRM's foot profile
would block such a gate (its access hierarchy reaches ``access=no``); that cut whole blocks off on real data.

* walk: ``foot=yes|designated|permissive|official`` passes, ``foot=no|private`` blocks; otherwise
  ``access=no|private`` blocks, except on vehicle barriers; otherwise linear barriers drawn through a
  street node (``wall``, ``fence``, ``hedge`` …) block, every other barrier passes (OSRM's whitelist
  holds ``gate``, ``bollard``, ``lift_gate`` … and so do we: an unknown barrier on a mapped footway is
  passable).
* bike: the same with ``bicycle``, ``access=no|private`` blocks on every barrier, and ``stile``,
  ``turnstile``, ``kissing_gate``, ``full-height_turnstile`` also block.

Both readers (XML and PBF) use this one rule, so they give the same graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from osmium.osm import TagList

__all__ = ["VEHICLE_BARRIERS", "blocks_passage"]

_LINEAR = frozenset({"wall", "fence", "hedge", "retaining_wall", "city_wall", "ditch"})
_NO_BIKE = frozenset({"stile", "turnstile", "kissing_gate", "full-height_turnstile"})
#: Barriers that stop vehicles, not people on foot: ``access=no`` on them is about vehicles.
VEHICLE_BARRIERS = frozenset({
    "lift_gate", "swing_gate", "bollard", "block", "jersey_barrier", "bus_trap", "height_restrictor",
    "toll_booth", "cycle_barrier", "motorcycle_barrier", "chain", "kerb", "sump_buster", "log",
})  # fmt: skip
_ALLOWED = frozenset({"yes", "designated", "permissive", "official"})
_FORBIDDEN = frozenset({"no", "private"})


def blocks_passage(tags: Mapping[str, Any] | TagList, mode: str = "walk") -> bool:
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
    if own in _FORBIDDEN:
        return True
    if tags.get("access") in _FORBIDDEN and not (mode == "walk" and barrier in VEHICLE_BARRIERS):
        return True
    if barrier in _LINEAR:
        return True
    return mode == "bike" and barrier in _NO_BIKE
