"""Snapped points cached on disk with the network, so a warm run snaps nothing.

Snapping 1.4 million population cells onto a 400k-node network (the KD-tree over edge pieces and the
nearest-edge search) took 16 s of every run although neither the cells nor the network had changed.
:func:`cached_snap_points` keys the result by

* the network's content (:attr:`WalkGraph.content_digest`: every array, the CRS and the mode),
* the points' content (a digest of the coordinates, owners and the number of owners),
* the snapping options (``max_snap_m``, ``piece_m``),
* the snapping rules themselves (a digest of ``network/snap.py``'s source, so a change to which edges
  a point may snap onto invalidates every entry), and :data:`SNAP_CACHE_VERSION`,

and stores the per-point results (edge, position along it, offset, snapped position, dropped-piece flag)
in an uncompressed ``.npz`` beside the network cache (each array carries its CRC-32). The end nodes and the costs to
reach them are recomputed from the network with the same formulas as :func:`snap_points`, so a cached
snap equals a fresh one array for array (``tests/test_snap_cache.py``). A cache file that cannot be read
or fails a CRC-32 is ignored with a warning and rewritten.
"""

from __future__ import annotations

import hashlib
import logging
import os
from functools import cache
from pathlib import Path
from typing import TypedDict

import numpy as np

from ..array_cache import read_npz, write_npz
from . import snap as _snap_module
from .graph import WalkGraph
from .snap import DEFAULT_MAX_SNAP_M, Snap, owners_of, snap_points

logger = logging.getLogger(__name__)

__all__ = ["SNAP_CACHE_VERSION", "cached_snap_points", "snap_cache_key"]

#: Bumped whenever the stored arrays change meaning.
SNAP_CACHE_VERSION = 2

class _SnapOptions(TypedDict):
    """The snap options that decide the result (and so the cache key)."""

    max_snap_m: float
    owner: np.ndarray | None
    n_owners: int | None
    piece_m: float


_STORED = ("edge", "along_m", "offset_m", "snapped_x_m", "snapped_y_m", "on_dropped_piece")
#: Stored only when the snap has it (graphs that tell ground streets from tunnels and bridges).
_OPTIONAL = ("off_ground_fallback",)


@cache
def _rules_digest() -> str:
    """Digest of the snapping code (network/snap.py): its rules are part of every key."""
    src = Path(_snap_module.__file__).read_bytes()
    return hashlib.blake2b(src, digest_size=12).hexdigest()


def _points_digest(x: np.ndarray, y: np.ndarray, owner: np.ndarray | None, n_owners: int | None) -> str:
    h = hashlib.blake2b(digest_size=20)
    for a in (x, y) if owner is None else (x, y, owner):
        a = np.ascontiguousarray(a)
        h.update(f"{a.dtype}:{a.shape};".encode())
        h.update(a.data)
    h.update(f"owners={n_owners}".encode())
    return h.hexdigest()


def snap_cache_key(
    graph: WalkGraph,
    x_m: np.ndarray,
    y_m: np.ndarray,
    *,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
    owner: np.ndarray | None = None,
    n_owners: int | None = None,
    piece_m: float = 100.0,
) -> str:
    """The cache key of a snap: network, points, options and snapping rules (hex string)."""
    x = np.ascontiguousarray(x_m, dtype=np.float64).ravel()
    y = np.ascontiguousarray(y_m, dtype=np.float64).ravel()
    own = None if owner is None else np.ascontiguousarray(owner, dtype=np.int64).ravel()
    parts = [
        f"v{SNAP_CACHE_VERSION}",
        graph.content_digest,
        _points_digest(x, y, own, n_owners),
        f"{float(max_snap_m)!r}",
        f"{float(piece_m)!r}",
        _rules_digest(),
    ]
    return hashlib.blake2b("|".join(parts).encode(), digest_size=20).hexdigest()


def _rebuild(graph: WalkGraph, x: np.ndarray, y: np.ndarray, own: np.ndarray, n_own: int,
             stored: dict[str, np.ndarray], max_snap_m: float) -> Snap:  # fmt: skip
    """The Snap from its stored arrays; end nodes and costs by :func:`snap_points`' own formulas."""
    edge = stored["edge"]
    along = stored["along_m"]
    dist = stored["offset_m"]
    ok = edge >= 0
    e = np.where(ok, edge, 0)
    return Snap(
        x_m=x,
        y_m=y,
        owner=own,
        n_owners=n_own,
        edge=edge,
        node_a=np.where(ok, graph.edge_u[e], -1),
        node_b=np.where(ok, graph.edge_v[e], -1),
        along_m=along,
        offset_m=dist,
        dist_a_m=np.where(ok, dist + along, np.inf),
        dist_b_m=np.where(ok, dist + (graph.edge_length_m[e] - along), np.inf),
        snapped_x_m=stored["snapped_x_m"],
        snapped_y_m=stored["snapped_y_m"],
        on_dropped_piece=stored["on_dropped_piece"],
        off_ground_fallback=stored.get("off_ground_fallback"),
        max_snap_m=float(max_snap_m),
        graph_fingerprint=graph.fingerprint,
    )


def _read(path: Path, key: str) -> dict[str, np.ndarray] | None:
    """The stored snap (every array checked against its CRC-32 by :func:`read_npz`), None to snap again."""
    arrays = read_npz(path, key)
    if arrays is None:
        return None
    arrays.pop("checksum", None)  # files written before session 6 also carry a SHA-256 (the CRC-32 suffices)
    if any(k not in arrays for k in _STORED):
        return None
    return arrays


def cached_snap_points(
    graph: WalkGraph,
    x_m: np.ndarray,
    y_m: np.ndarray,
    *,
    cache_dir: str | os.PathLike[str] | None,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
    owner: np.ndarray | None = None,
    n_owners: int | None = None,
    piece_m: float = 100.0,
) -> Snap:
    """:func:`~coverage_planner.network.snap.snap_points`, answered from disk when the same points were
    snapped onto the same network with the same rules before.

    Parameters
    ----------
    graph, x_m, y_m, max_snap_m, owner, n_owners, piece_m
        As for :func:`~coverage_planner.network.snap.snap_points`.
    cache_dir
        Folder of the cache files (``snap-<key>.npz``); ``None`` snaps without caching.

    Returns
    -------
    Snap
        Equal, array for array, to what :func:`snap_points` returns.
    """
    kwargs: _SnapOptions = {"max_snap_m": max_snap_m, "owner": owner, "n_owners": n_owners, "piece_m": piece_m}
    if cache_dir is None:
        return snap_points(graph, x_m, y_m, **kwargs)
    key = snap_cache_key(graph, x_m, y_m, **kwargs)
    path = Path(cache_dir) / f"snap-{graph.mode}-{key[:24]}.npz"
    if path.is_file() and (stored := _read(path, key)) is not None:
        x = np.ascontiguousarray(x_m, dtype=np.float64).ravel()
        y = np.ascontiguousarray(y_m, dtype=np.float64).ravel()
        own, n_own = owners_of(owner, n_owners, x.size)
        if stored["edge"].shape == x.shape:
            logger.info("snap cache hit: %s (%d points)", path.name, x.size)
            return _rebuild(graph, x, y, own, n_own, stored, max_snap_m)
    result = snap_points(graph, x_m, y_m, **kwargs)
    arrays = {name: np.asarray(getattr(result, name)) for name in _STORED}
    arrays.update({name: np.asarray(v) for name in _OPTIONAL if (v := getattr(result, name)) is not None})
    write_npz(path, arrays, key)
    return result
