"""The n smallest station magnitude thresholds at many points, each point asking only the stations that can matter.

A station s records at point p from magnitude ``M_s(p) = lg_s + term(Δ_s(p))`` (see :mod:`.detection`).
Points are put in square tiles; for each tile and station the distances from the tile's points to the
station lie between the distance to the points' bounding box (``Δ_lo``) and to its farthest corner
(``Δ_hi``), so ``lg_s + lower(Δ_lo) <= M_s(p)`` and ``M_s(p) <= lg_s + upper(Δ_lo, Δ_hi)`` for every point
of the tile. The n-th smallest upper bound ``U`` is then at least the n-th smallest ``M_s(p)`` at every
point of the tile, so a station whose lower bound exceeds ``U`` can be none of the n smallest anywhere in
the tile: the rule that lets each tile keep only its candidates (proof: each point's n smallest values
are all ``<= U``; a dropped station's value is ``> U``). The values kept are computed exactly as the
full point × station matrix would (same float operations on the same distances), so results are
identical to asking every station, not approximations. A margin of 1e-9 in magnitude covers the rounding
of the bounds themselves.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from .inputs import Float
from .magnitude import _Calib

__all__ = ["nth_smallest", "recorded_count"]

#: Points per tile aimed for (tiles hold fewer where the points are sparse): each tile costs one bound per
#: station, each point one value per candidate station.
_POINTS_PER_TILE = 192
#: Largest ``points × candidates`` block computed at once (float64 values: 8 bytes each).
_BLOCK = 2_000_000
#: Tiles bounded at once (each costs a few float64 rows of one value per station).
_TILE_CHUNK = 20_000
#: Magnitude margin for the rounding of the bounds (values are ~0-5, exact to ~1e-15).
_MARGIN = 1e-9


@dataclass(frozen=True, slots=True)
class StationTerms:
    """Station positions (m) and their ``lg(snr·noise) + offset`` terms."""

    x_m: Float
    y_m: Float
    lg_noise: Float


def _tile_side_m(px: Float, py: Float) -> float:
    """Side of square tiles holding about ``_POINTS_PER_TILE`` points if the points filled their box."""
    w, h = float(px.max() - px.min()), float(py.max() - py.min())
    area = max(w * h, max(w, h, 1.0) ** 2 / max(px.size, 1))  # points on a line: tiles along it
    return max(math.sqrt(area * _POINTS_PER_TILE / px.size), 1e-6)


def _tiles(px: Float, py: Float) -> tuple[np.ndarray, Float]:
    """Each point's tile (index into the occupied tiles) and the occupied tiles' boxes.

    Returns
    -------
    tile_of, box
        ``tile_of``: tile of each point; ``box``: ``(tiles, 4)`` min x, max x, min y, max y of each tile's
        square, widened by a thousandth of its side so that rounding cannot put a point outside it.
    """
    side = _tile_side_m(px, py)
    x0, y0 = float(px.min()), float(py.min())
    ix = np.floor((px - x0) / side).astype(np.int64)
    iy = np.floor((py - y0) / side).astype(np.int64)
    nx = int(ix.max()) + 1
    key = iy * nx + ix
    occupied = np.flatnonzero(np.bincount(key))
    rank = np.zeros(int(occupied[-1]) + 1, dtype=np.int64)
    rank[occupied] = np.arange(occupied.size)
    pad = 1e-3 * side
    bx, by = x0 + (occupied % nx) * side, y0 + (occupied // nx) * side
    box = np.column_stack([bx - pad, bx + side + pad, by - pad, by + side + pad])
    return rank[key], box


def _candidates(st: StationTerms, box: Float, calib: _Calib, *, depth_km: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per tile: its candidate stations first (then any others, padding), and how many candidates (>= n)."""
    parts = [_tile_candidates(st, box[a : a + _TILE_CHUNK], calib, depth_km=depth_km, n=n)
             for a in range(0, box.shape[0], _TILE_CHUNK)]
    count = np.concatenate([c for _, c in parts])
    width = int(count.max())
    return np.concatenate([order[:, :width] for order, _ in parts]), count


def _tile_candidates(st: StationTerms, box: Float, calib: _Calib, *, depth_km: float,
                     n: int) -> tuple[np.ndarray, np.ndarray]:
    sx, sy = st.x_m[None, :], st.y_m[None, :]
    x0, x1, y0, y1 = (box[:, i : i + 1] for i in range(4))
    gap_x = np.maximum(np.maximum(x0 - sx, sx - x1), 0.0)
    gap_y = np.maximum(np.maximum(y0 - sy, sy - y1), 0.0)
    lo_km = np.sqrt(gap_x * gap_x + gap_y * gap_y) / 1000.0
    far_x = np.maximum(np.abs(sx - x0), np.abs(sx - x1))
    far_y = np.maximum(np.abs(sy - y0), np.abs(sy - y1))
    hi_km = np.sqrt(far_x * far_x + far_y * far_y) / 1000.0
    lower = st.lg_noise[None, :] + calib.lower(lo_km, depth_km)
    upper = st.lg_noise[None, :] + calib.upper(lo_km, hi_km, depth_km)
    bound = np.partition(upper, n - 1, axis=1)[:, n - 1 : n]
    keep = lower <= bound + _MARGIN
    count = keep.sum(axis=1)
    return np.argsort(~keep, axis=1, kind="stable")[:, : int(count.max())].astype(np.int32), count


def _blocks(st: StationTerms, px: Float, py: Float, calib: _Calib, *, depth_km: float,
            n: int) -> Iterator[tuple[np.ndarray, Float]]:
    """``(point indices, values)`` blocks: each point's values at its tile's candidate stations (>= n of them)."""
    tile_of, box = _tiles(px, py)
    cand, count = _candidates(st, box, calib, depth_km=depth_km, n=n)
    width_of = count[tile_of]
    small = np.uint8 if st.lg_noise.size < 256 else np.uint16 if st.lg_noise.size < 65536 else np.int64
    by_width = np.argsort(width_of.astype(small), kind="stable")  # radix sort for small integer types
    widths = width_of[by_width]
    cuts = np.flatnonzero(np.concatenate([[True], widths[1:] != widths[:-1], [True]]))
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        w = int(widths[a])
        step = max(1, _BLOCK // w)
        for c in range(a, b, step):
            pts = by_width[c : min(b, c + step)]
            idx = cand[tile_of[pts], :w]
            dx = px[pts, None] - st.x_m[idx]
            dy = py[pts, None] - st.y_m[idx]
            epi = np.sqrt(dx * dx + dy * dy) / 1000.0
            yield pts, st.lg_noise[idx] + calib.term(epi, depth_km)


def nth_smallest(st: StationTerms, px: Float, py: Float, calib: _Calib, *, depth_km: float, n: int) -> Float:
    """The n-th smallest ``M_s(p)`` over all stations at each point (``inf`` with fewer than n stations)."""
    out = np.full(px.size, np.inf)
    if st.lg_noise.size < n or px.size == 0:
        return out
    for pts, m in _blocks(st, px, py, calib, depth_km=depth_km, n=n):
        # exactly n candidates: the n-th smallest is their largest
        out[pts] = m.max(axis=1) if m.shape[1] == n else np.partition(m, n - 1, axis=1)[:, n - 1]
    return out


def recorded_count(st: StationTerms, px: Float, py: Float, calib: _Calib, *, depth_km: float, n: int,
                   target_ml: float) -> np.ndarray:
    """Stations recording ML ``target_ml`` (``M_s(p) <= target_ml + 1e-12``) at each point, at most n.

    The same as counting the ranks r = 1..n whose r-th smallest value is within the target.
    """
    out = np.zeros(px.size, dtype=np.int64)
    n = min(n, st.lg_noise.size)
    if n < 1 or px.size == 0:
        return out
    for pts, m in _blocks(st, px, py, calib, depth_km=depth_km, n=n):
        out[pts] = np.minimum(np.count_nonzero(m <= target_ml + 1e-12, axis=1), n)
    return out
