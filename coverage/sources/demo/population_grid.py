"""The demo city's 100 m population grid: a dense core, district towns, township seats and villages.

Density is built in people per km² from radial towns (``peak * exp(-r / decay)``) with a smooth
log-normal texture, plus villages (points blurred with a Gaussian). Parks are holes in the core,
the river is empty, the hills are thinly settled. The grid is then scaled to
``TARGET_PEOPLE_FULL_SCALE * scale`` people and rounded stochastically to whole people; the age
groups are binomial draws with shares that vary by area (young families in the development zones,
older people in the old core and the villages).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np
from affine import Affine
from numpy.typing import NDArray
from rasterio import features
from scipy import ndimage

from .geography import Geography, Town

__all__ = ["CELL_SIZE_M", "DemoPopulation", "build_population"]

logger = logging.getLogger(__name__)

CELL_SIZE_M = 100.0
CELL_AREA_KM2 = (CELL_SIZE_M / 1000.0) ** 2
GRID_MARGIN_M = 1_000.0
TARGET_PEOPLE_FULL_SCALE = 10_200_000
VILLAGE_SIGMA_M = 130.0
TEXTURE_SIGMA_M = 600.0
#: Smoothing used for the density that drives street spacing and built-up areas.
DENSITY_SMOOTHING_M = 200.0
#: Towns end (built-up edge) about this many decay lengths from their centre.
TOWN_EDGE_DECAYS = 3.0
#: Cells expecting fewer people than this are left empty (no thin tails across the fields).
EMPTY_BELOW_PEOPLE = 1.0
AGE_0_2_BASE_SHARE = 0.0275
AGE_60_BASE_SHARE = 0.150


@dataclass(frozen=True, eq=False)
class DemoPopulation:
    """People per 100 m cell (north-up rows) and derived fields, in EPSG:32649."""

    x0_m: float
    y_top_m: float
    total: NDArray[np.int32]
    age_0_2: NDArray[np.int32]
    age_60_plus: NDArray[np.int32]
    density_per_km2: NDArray[np.float32]
    territory: NDArray[np.bool_]

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return self.total.shape

    @property
    def transform(self) -> Affine:
        """Affine transform of the grid (north-up)."""
        return Affine(CELL_SIZE_M, 0.0, self.x0_m, 0.0, -CELL_SIZE_M, self.y_top_m)

    def centres(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Cell-centre coordinates as two (rows, columns) arrays."""
        nr, nc = self.shape
        xs = self.x0_m + CELL_SIZE_M * (np.arange(nc) + 0.5)
        ys = self.y_top_m - CELL_SIZE_M * (np.arange(nr) + 0.5)
        return np.broadcast_to(xs, (nr, nc)), np.broadcast_to(ys[:, None], (nr, nc))

    def cell_of(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """(row, column) of the cells holding points, clipped to the grid."""
        nr, nc = self.shape
        col = np.clip(((np.asarray(x) - self.x0_m) // CELL_SIZE_M).astype(np.intp), 0, nc - 1)
        row = np.clip(((self.y_top_m - np.asarray(y)) // CELL_SIZE_M).astype(np.intp), 0, nr - 1)
        return row, col

    def density_at(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float32]:
        """Smoothed density (people/km²) at points."""
        row, col = self.cell_of(x, y)
        return self.density_per_km2[row, col]


def _smooth_noise(shape: tuple[int, int], sigma_cells: float, rng: np.random.Generator) -> NDArray[np.float64]:
    """Spatially correlated standard-normal field."""
    f = ndimage.gaussian_filter(rng.standard_normal(shape), sigma_cells, mode="reflect")
    return (f - f.mean()) / max(float(f.std()), 1e-12)


def _add_town(dens: NDArray[np.float64], town: Town, x0: float, y_top: float, *, reach: float = 7.0) -> None:
    """Add ``peak * exp(-r / decay)`` (people/km²) around the town, fading out past ``TOWN_EDGE_DECAYS``."""
    nr, nc = dens.shape
    r_m = reach * town.decay_m
    c0 = max(0, int((town.x_m - r_m - x0) // CELL_SIZE_M))
    c1 = min(nc, int((town.x_m + r_m - x0) // CELL_SIZE_M) + 1)
    r0 = max(0, int((y_top - (town.y_m + r_m)) // CELL_SIZE_M))
    r1 = min(nr, int((y_top - (town.y_m - r_m)) // CELL_SIZE_M) + 1)
    if c0 >= c1 or r0 >= r1:
        return
    xs = x0 + CELL_SIZE_M * (np.arange(c0, c1) + 0.5) - town.x_m
    ys = y_top - CELL_SIZE_M * (np.arange(r0, r1) + 0.5) - town.y_m
    r = np.hypot(xs[None, :], ys[:, None])
    edge = 1.0 / (1.0 + np.exp((r / town.decay_m - TOWN_EDGE_DECAYS) / 0.25))
    dens[r0:r1, c0:c1] += town.peak_per_km2 * np.exp(-r / town.decay_m) * edge


def build_population(geo: Geography, *, seed: int) -> DemoPopulation:
    """Build the population grid for a layout.

    Parameters
    ----------
    geo
        The city layout.
    seed
        Seed of the population's random generator.

    Returns
    -------
    DemoPopulation
        Counts per cell (total, age 0-2, age 60+) and the smoothed density.
    """
    rng = np.random.default_rng([seed, 2])
    minx, miny, maxx, maxy = geo.territory.bounds
    x0 = math.floor((minx - GRID_MARGIN_M) / CELL_SIZE_M) * CELL_SIZE_M
    y_top = math.ceil((maxy + GRID_MARGIN_M) / CELL_SIZE_M) * CELL_SIZE_M
    nc = int(math.ceil((maxx + GRID_MARGIN_M - x0) / CELL_SIZE_M))
    nr = int(math.ceil((y_top - (miny - GRID_MARGIN_M)) / CELL_SIZE_M))
    transform = Affine(CELL_SIZE_M, 0.0, x0, 0.0, -CELL_SIZE_M, y_top)
    territory = features.rasterize([(geo.territory, 1)], out_shape=(nr, nc), transform=transform,
                                   fill=0, dtype="uint8").astype(bool)
    xs = x0 + CELL_SIZE_M * (np.arange(nc) + 0.5)
    ys = y_top - CELL_SIZE_M * (np.arange(nr) + 0.5)
    gx, gy = np.meshgrid(xs, ys)

    # towns: core, development zones, county seats, township seats (people/km²)
    towns = np.zeros((nr, nc))
    for t in geo.towns:
        _add_town(towns, t, x0, y_top)
    texture = np.exp(0.35 * _smooth_noise((nr, nc), TEXTURE_SIGMA_M / CELL_SIZE_M, rng))
    towns *= texture
    # parks and other open land in the built-up area
    parks = _smooth_noise((nr, nc), 3.0, rng) > 1.75
    towns[parks & (towns > 3_000)] *= 0.05

    # villages: points blurred to ~130 m sigma (people per cell)
    vill = np.zeros((nr, nc))
    row, col = ((y_top - geo.village_y_m) // CELL_SIZE_M).astype(int), ((geo.village_x_m - x0) // CELL_SIZE_M).astype(int)
    np.add.at(vill, (row, col), geo.village_people)
    vill = ndimage.gaussian_filter(vill, VILLAGE_SIGMA_M / CELL_SIZE_M, mode="constant")

    people = towns * CELL_AREA_KM2 + vill
    people[geo.in_river(gx, gy)] = 0.0
    people[~territory] = 0.0
    people[people < EMPTY_BELOW_PEOPLE] = 0.0  # fields and open land: nobody lives there
    target = TARGET_PEOPLE_FULL_SCALE * geo.scale
    people *= target / people.sum()
    total = np.floor(people + rng.random(people.shape)).astype(np.int32)

    # age shares vary by area
    core_r = np.hypot(gx - geo.core.x_m, gy - geo.core.y_m)
    coreness = np.exp(-core_r / (1.2 * geo.core.decay_m))
    devness = np.zeros((nr, nc))
    for t in geo.dev_zones:
        devness += np.exp(-np.hypot(gx - t.x_m, gy - t.y_m) / (1.5 * t.decay_m))
    devness = np.clip(devness, 0.0, 1.0)
    density = (ndimage.gaussian_filter(total.astype(np.float32), DENSITY_SMOOTHING_M / CELL_SIZE_M)
               / CELL_AREA_KM2).astype(np.float32)
    rurality = np.clip(1.0 - density / 3_000.0, 0.0, 1.0)
    n1 = _smooth_noise((nr, nc), 20.0, rng)
    share_young = np.clip(AGE_0_2_BASE_SHARE + 0.004 * devness - 0.004 * coreness + 0.0012 * n1, 0.020, 0.036)
    n2 = _smooth_noise((nr, nc), 20.0, rng)
    share_old = np.clip(AGE_60_BASE_SHARE + 0.05 * coreness + 0.035 * rurality - 0.05 * devness + 0.01 * n2,
                        0.09, 0.25)
    age_0_2 = rng.binomial(total, share_young).astype(np.int32)
    age_60 = rng.binomial(total, share_old).astype(np.int32)
    logger.info("demo population: %d people (%.2f %% aged 0-2, %.1f %% aged 60+) on %d x %d cells",
                total.sum(), 100 * age_0_2.sum() / total.sum(), 100 * age_60.sum() / total.sum(), nr, nc)
    return DemoPopulation(x0_m=x0, y_top_m=y_top, total=total, age_0_2=age_0_2, age_60_plus=age_60,
                          density_per_km2=density, territory=territory)
