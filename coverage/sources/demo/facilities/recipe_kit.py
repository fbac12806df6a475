"""Shared context and helpers of the facility recipes."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from numpy.typing import NDArray
from rasterio import features

from ..areas import DemoAreas
from ..geography import Geography
from ..placement import Placer, Points
from ..population_grid import DemoPopulation
from ..units import DemoUnits

__all__ = ["Ctx", "lattice_points", "pick", "rescale_stages", "rescale_total", "round_to", "tune_share"]


@dataclass(eq=False)
class Ctx:
    """Everything a facility recipe needs (one random generator per recipe)."""

    geo: Geography
    pop: DemoPopulation
    units: DemoUnits
    areas: DemoAreas
    placer: Placer
    rng: np.random.Generator
    people: float = field(init=False)
    d_class: NDArray[np.object_] = field(init=False)
    s_class: NDArray[np.object_] = field(init=False)
    c_class: NDArray[np.object_] = field(init=False)
    core_district: int = field(init=False)
    built_up_cells: NDArray[np.bool_] = field(init=False)

    def __post_init__(self) -> None:
        self.people = float(self.pop.total.sum())
        self.d_class = self.units.district["class"].to_numpy(dtype=object)
        self.s_class = self.units.street["class"].to_numpy(dtype=object)
        self.c_class = self.units.community["class"].to_numpy(dtype=object)
        centre = shapely.Point(self.geo.centre_x_m, self.geo.centre_y_m)
        hit = np.flatnonzero(self.units.district.geometry.contains(centre).to_numpy())
        self.core_district = int(hit[0]) if hit.size else 0
        self.built_up_cells = features.rasterize(
            ((g, 1) for g in self.areas.built_up.geometry), out_shape=self.pop.shape,
            transform=self.pop.transform, fill=0, dtype="uint8").astype(bool).ravel()

    @property
    def scale(self) -> float:
        """Area factor of the city."""
        return self.geo.scale

    def per_people(self, people_per_facility: float, minimum: int = 1) -> int:
        """Number of facilities for one per ``people_per_facility`` residents."""
        return max(minimum, round(self.people / people_per_facility))

    def scaled(self, full_scale: float, minimum: int = 1) -> int:
        """A count that follows the city's area (``full_scale`` at scale 1)."""
        return max(minimum, round(full_scale * self.scale))

    def n(self, level: str) -> int:
        """Number of units of a level."""
        return len(getattr(self.units, level))


def pick(rng: np.random.Generator, candidates: NDArray[np.int64] | list[int], k: int) -> set[int]:
    """``k`` distinct candidates (all when fewer), as a set."""
    cand = np.asarray(candidates, dtype=np.int64)
    if k <= 0 or cand.size == 0:
        return set()
    return {int(c) for c in rng.choice(cand, size=min(k, cand.size), replace=False)}


def tune_share(flag: NDArray[np.bool_], weight: NDArray[np.float64], target: float, rng: np.random.Generator, *,
               among: NDArray[np.bool_], frozen: NDArray[np.bool_] | None = None) -> NDArray[np.bool_]:
    """Flip free flags so that the weighted share of True among ``among`` is about ``target``.

    Parameters
    ----------
    flag
        Current flags.
    weight
        Weight of each item (slots, pupils, 1 ...).
    target
        Wanted share of the weight flagged True.
    rng
        Random generator (order of flips).
    among
        Items the share is computed over.
    frozen
        Items not to flip.
    """
    flag = flag.copy()
    free = among & ~(frozen if frozen is not None else np.zeros_like(flag))
    total = float(weight[among].sum())
    cur = float(weight[among & flag].sum())
    if total <= 0:
        return flag
    if cur < target * total:
        cand = rng.permutation(np.flatnonzero(free & ~flag))
        k = int(np.searchsorted(np.cumsum(weight[cand]), target * total - cur)) + 1
        flag[cand[:k]] = True
    else:
        cand = rng.permutation(np.flatnonzero(free & flag))
        k = int(np.searchsorted(np.cumsum(weight[cand]), cur - target * total))
        flag[cand[:k]] = False
    return flag


def lattice_points(ctx: Ctx, cell_mask: NDArray[np.bool_], spacing_m: float, *, jitter: float = 0.25) -> Points:
    """Points of a jittered square lattice that fall on allowed (flat) cells."""
    x0, y0, x1, y1 = ctx.geo.territory.bounds
    off = ctx.rng.uniform(0, spacing_m, 2)
    xs = np.arange(x0 + off[0], x1, spacing_m)
    ys = np.arange(y0 + off[1], y1, spacing_m)
    gx, gy = (a.ravel() for a in np.meshgrid(xs, ys))
    gx = gx + ctx.rng.uniform(-jitter, jitter, gx.size) * spacing_m
    gy = gy + ctx.rng.uniform(-jitter, jitter, gy.size) * spacing_m
    row, col = ctx.pop.cell_of(gx, gy)
    ok = cell_mask[row * ctx.pop.shape[1] + col] & shapely.contains_xy(ctx.geo.territory, gx, gy)
    return ctx.placer.locate(gx[ok], gy[ok])


def round_to(values: NDArray[np.float64], step: float) -> NDArray[np.int64]:
    """Round to a multiple of ``step`` (at least ``step``)."""
    return np.maximum(step, np.round(np.asarray(values) / step) * step).astype(np.int64)


def rescale_total(values: NDArray[np.float64], mask: NDArray[np.bool_], total: float) -> NDArray[np.int64]:
    """Scale integer-ish values so that those in ``mask`` sum to about ``total``."""
    v = np.asarray(values, dtype=np.float64)
    s = float(v[mask].sum())
    f = total / s if s > 0 else 1.0
    return np.maximum(1, np.round(v * f)).astype(np.int64) if math.isfinite(f) else v.astype(np.int64)


def rescale_stages(values: NDArray[np.float64], open_year: NDArray[np.int64], status: NDArray[np.object_],
                   stages: list[tuple[int, float]]) -> NDArray[np.int64]:
    """Scale values so that the facilities counted in each stage year sum to that stage's total.

    Parameters
    ----------
    values
        Raw capacities.
    open_year, status
        Standard year/status columns (closed facilities are never counted).
    stages
        ``(year, total)`` pairs in increasing year order: facilities counted by the first year sum
        to its total, those added by the next year to the difference, and so on.
    """
    v = np.asarray(values, dtype=np.float64).copy()
    before = np.zeros(v.size, dtype=bool)
    done = 0.0
    for year, total in stages:
        now = (np.asarray(open_year) <= year) & (np.asarray(status) != "closed")
        new = now & ~before
        s = float(v[new].sum())
        if s > 0:
            v[new] *= max(total - done, 0.0) / s
        done, before = total, now
    return np.maximum(1, np.round(v)).astype(np.int64)
