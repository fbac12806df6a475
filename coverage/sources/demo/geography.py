"""The demo city's physical layout: territory, core, towns, villages, river, rail, motorways, hills.

Everything is in the working CRS (WGS84 / UTM 49N, metres) around Zhengzhou's real centre, so
basemaps line up, but every feature is invented. Structural features (territory, core, district
towns, river, rail) are scaled by ``linear = sqrt(scale)`` so that the AREA scales with ``scale``;
objects of fixed physical size (villages, township seats, block sizes) keep their size and their
number follows the area.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Transformer

__all__ = ["WORK_CRS", "Curve", "Geography", "Town", "build_geography", "district_counts"]

WORK_CRS = "EPSG:32649"
CENTRE_LON_DEG = 113.65
CENTRE_LAT_DEG = 34.75

#: Territory: a wavy ellipse, offset so that the core sits in its north-east.
TERRITORY_SEMI_AXES_KM = (58.0, 38.0)
TERRITORY_OFFSET_KM = (-8.0, -8.0)
TERRITORY_VERTICES = 720

CORE_PEAK_PER_KM2 = 28_000.0
CORE_DECAY_KM = 4.5
URBAN_RING_RADIUS_KM = 7.0

#: (x km, y km, peak people/km², exponential decay km) relative to the core, in district order.
DEV_ZONES_KM = ((16.0, 2.0, 15_000.0, 2.6), (-13.0, -1.0, 14_000.0, 2.2),
                (10.0, -12.0, 13_000.0, 2.2), (22.0, -30.0, 12_000.0, 3.0))
COUNTY_SEATS_KM = ((0.0, -30.0, 12_000.0, 1.9), (-20.0, 12.0, 11_000.0, 1.7), (-42.0, -4.0, 12_000.0, 1.8),
                   (34.0, -2.0, 11_000.0, 1.8), (-24.0, -20.0, 11_000.0, 1.7), (-44.0, -28.0, 10_000.0, 1.6))

HILL_CENTRE_KM = (-36.0, -26.0)
HILL_SIGMA_KM = 13.0

#: Fixed-size settlements: their number follows the area.
VILLAGE_SPACING_M = 1_500.0
VILLAGE_MEDIAN_PEOPLE = 1_000.0
TOWNSHIP_SPACING_M = 9_000.0
TOWNSHIP_PEAK_PER_KM2 = 6_000.0
TOWNSHIP_DECAY_M = 550.0

RIVER_OFFSET_KM = 6.0
RING_MOTORWAY_RADIUS_KM = 17.0


@dataclass(frozen=True)
class Town:
    """A settlement with an exponentially decaying density ``peak * exp(-r / decay)``."""

    kind: str  # "core" | "dev_zone" | "county_seat" | "township"
    x_m: float
    y_m: float
    peak_per_km2: float
    decay_m: float


@dataclass(frozen=True)
class Curve:
    """A line given implicitly, so that which side a point lies on is one vectorised expression.

    ``kind`` ``"ew"``: ``y = oy + offset + slope*(x-ox) + sum a*sin(2 pi (x-ox)/period + phase)``;
    ``"ns"``: the same with x and y swapped; ``"ring"``: ``r = offset + sum a*sin(period*theta + phase)``
    around (ox, oy), with ``periods`` the integer harmonics.
    """

    kind: str
    ox_m: float
    oy_m: float
    offset_m: float
    slope: float
    amps_m: tuple[float, ...]
    periods: tuple[float, ...]
    phases: tuple[float, ...]

    def _wave(self, t: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.full(np.shape(t), self.offset_m, dtype=np.float64)
        if self.kind != "ring":
            out = out + self.slope * t
        for a, p, ph in zip(self.amps_m, self.periods, self.phases, strict=True):
            arg = p * t + ph if self.kind == "ring" else 2.0 * np.pi * t / p + ph
            out = out + a * np.sin(arg)
        return out

    def signed(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        """Signed offset (metres) of points from the curve: the sign says the side."""
        dx, dy = np.asarray(x) - self.ox_m, np.asarray(y) - self.oy_m
        if self.kind == "ew":
            return dy - self._wave(dx)
        if self.kind == "ns":
            return dx - self._wave(dy)
        return np.hypot(dx, dy) - self._wave(np.arctan2(dy, dx))

    def lines(self, clip: shapely.Geometry, *, step_m: float = 100.0) -> list[shapely.LineString]:
        """The curve as line strings (vertices about ``step_m`` apart) clipped to ``clip``."""
        x0, y0, x1, y1 = clip.bounds
        if self.kind == "ring":
            n = max(16, int(2.0 * np.pi * self.offset_m / step_m))
            th = np.linspace(-np.pi, np.pi, n + 1)
            r = self._wave(th)
            xy = np.column_stack([self.ox_m + r * np.cos(th), self.oy_m + r * np.sin(th)])
            xy[-1] = xy[0]
        elif self.kind == "ew":
            t = np.arange(x0 - self.ox_m, x1 - self.ox_m + step_m, step_m)
            xy = np.column_stack([self.ox_m + t, self.oy_m + self._wave(t)])
        else:
            t = np.arange(y0 - self.oy_m, y1 - self.oy_m + step_m, step_m)
            xy = np.column_stack([self.ox_m + self._wave(t), self.oy_m + t])
        inter = shapely.intersection(shapely.linestrings(xy), clip)
        parts = [g for g in shapely.get_parts(shapely.line_merge(inter)) if g.geom_type == "LineString"]
        return [g for g in parts if g.length > 2 * step_m]


@dataclass(frozen=True, eq=False)
class Geography:
    """The invented layout of the demo city (metres, EPSG:32649)."""

    scale: float
    linear: float
    centre_x_m: float
    centre_y_m: float
    territory: shapely.Polygon
    core: Town
    dev_zones: tuple[Town, ...]
    county_seats: tuple[Town, ...]
    townships: tuple[Town, ...]
    village_x_m: NDArray[np.float64]
    village_y_m: NDArray[np.float64]
    village_people: NDArray[np.float64]
    river: Curve
    river_width_m: float
    rails: tuple[Curve, ...]
    motorways: tuple[Curve, ...]
    elevated: Curve
    hill_x_m: float
    hill_y_m: float
    hill_sigma_m: float

    def km(self, dx_km: float, dy_km: float) -> tuple[float, float]:
        """Position ``(dx, dy)`` km from the centre at full scale, shrunk by ``linear``."""
        return (self.centre_x_m + dx_km * 1000.0 * self.linear, self.centre_y_m + dy_km * 1000.0 * self.linear)

    def hilliness(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        """0 on the plain, 1 on the hill tops (south-west)."""
        d2 = (np.asarray(x) - self.hill_x_m) ** 2 + (np.asarray(y) - self.hill_y_m) ** 2
        return np.exp(-d2 / (2.0 * self.hill_sigma_m**2))

    def in_river(self, x: NDArray[np.float64], y: NDArray[np.float64], *, margin_m: float = 0.0) -> NDArray[np.bool_]:
        """True inside the river channel (widened by ``margin_m`` on each bank)."""
        return np.abs(self.river.signed(x, y)) < self.river_width_m / 2.0 + margin_m

    @property
    def towns(self) -> tuple[Town, ...]:
        """Core, development-zone centres, county seats and township seats."""
        return (self.core, *self.dev_zones, *self.county_seats, *self.townships)


def district_counts(scale: float) -> tuple[int, int, int]:
    """Number of (urban districts, development zones, counties): 6/4/6 at full scale, >= 2/1/2."""
    f = math.sqrt(scale)
    return (int(np.clip(round(6 * f), 2, 6)), int(np.clip(round(4 * f), 1, 4)), int(np.clip(round(6 * f), 2, 6)))


def _territory(cx: float, cy: float, linear: float, rng: np.random.Generator) -> shapely.Polygon:
    a, b = (v * 1000.0 * linear for v in TERRITORY_SEMI_AXES_KM)
    ox, oy = (v * 1000.0 * linear for v in TERRITORY_OFFSET_KM)
    th = np.linspace(0.0, 2.0 * np.pi, TERRITORY_VERTICES, endpoint=False)
    ph = rng.uniform(0, 2 * np.pi, 4)
    r = (1.0 + 0.06 * np.sin(3 * th + ph[0]) + 0.04 * np.sin(5 * th + ph[1])
         + 0.025 * np.sin(8 * th + ph[2]) + 0.012 * np.sin(17 * th + ph[3]))
    return shapely.Polygon(np.column_stack([cx + ox + a * r * np.cos(th), cy + oy + b * r * np.sin(th)]))


def _jittered_lattice(bounds: tuple[float, ...], spacing_m: float, jitter: float,
                      rng: np.random.Generator) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Triangular lattice points with uniform jitter (fraction of the spacing)."""
    x0, y0, x1, y1 = bounds
    dy = spacing_m * math.sqrt(3) / 2
    ys = np.arange(y0, y1 + dy, dy)
    xs = np.arange(x0, x1 + spacing_m, spacing_m)
    gx, gy = np.meshgrid(xs, ys)
    gx = gx + (np.arange(ys.size)[:, None] % 2) * spacing_m / 2
    gx, gy = gx.ravel(), gy.ravel()
    gx = gx + rng.uniform(-jitter, jitter, gx.size) * spacing_m
    gy = gy + rng.uniform(-jitter, jitter, gy.size) * spacing_m
    return gx, gy


def build_geography(*, scale: float, seed: int) -> Geography:
    """Lay out the demo city for ``scale`` (area factor) and ``seed``.

    Parameters
    ----------
    scale
        Area factor: 1.0 is a ~6,900 km² city of ~10 million people.
    seed
        Seed of the layout's random generator.

    Returns
    -------
    Geography
        The layout, in metres (EPSG:32649).
    """
    rng = np.random.default_rng([seed, 1])
    linear = math.sqrt(scale)
    to_utm = Transformer.from_crs("EPSG:4326", WORK_CRS, always_xy=True)
    cx, cy = (round(v, -2) for v in to_utm.transform(CENTRE_LON_DEG, CENTRE_LAT_DEG))
    km = 1000.0 * linear
    territory = _territory(cx, cy, linear, rng)
    n_urban, n_dev, n_county = district_counts(scale)

    core = Town("core", cx, cy, CORE_PEAK_PER_KM2, CORE_DECAY_KM * km)
    dev = tuple(Town("dev_zone", cx + dx * km, cy + dy * km, p, d * km) for dx, dy, p, d in DEV_ZONES_KM[:n_dev])
    seats = tuple(Town("county_seat", cx + dx * km, cy + dy * km, p, d * km)
                  for dx, dy, p, d in COUNTY_SEATS_KM[:n_county])
    hill_x, hill_y = cx + HILL_CENTRE_KM[0] * km, cy + HILL_CENTRE_KM[1] * km
    hill_sigma = HILL_SIGMA_KM * km

    def hilliness(x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.exp(-((x - hill_x) ** 2 + (y - hill_y) ** 2) / (2 * hill_sigma**2))

    ph = rng.uniform(0, 2 * np.pi, 12)
    river = Curve("ew", cx, cy, RIVER_OFFSET_KM * km, 0.02, (1.8 * km, 0.5 * km), (38 * km, 9 * km), (ph[0], ph[1]))
    river_width = 150.0 + 150.0 * linear
    rails = (
        Curve("ns", cx, cy, 2.5 * km, 0.04, (0.8 * km,), (45 * km,), (ph[2],)),
        Curve("ew", cx, cy, -3.0 * km, -0.03, (1.0 * km,), (60 * km,), (ph[3],)),
    )
    motorways = (
        Curve("ring", cx, cy, RING_MOTORWAY_RADIUS_KM * km, 0.0, (0.8 * km, 0.4 * km), (3.0, 5.0), (ph[4], ph[5])),
        Curve("ew", cx, cy, -21.0 * km, 0.05, (1.5 * km,), (70 * km,), (ph[6],)),
    )
    elevated = Curve("ns", cx, cy, -3.0 * km, 0.0, (0.3 * km,), (20 * km,), (ph[7],))

    # township seats: a coarse jittered lattice away from the core and the district towns
    tx, ty = _jittered_lattice(territory.bounds, TOWNSHIP_SPACING_M, 0.3, rng)
    keep = shapely.contains_xy(territory, tx, ty)
    keep &= np.hypot(tx - cx, ty - cy) > 2.5 * core.decay_m
    for t in (*dev, *seats):
        keep &= np.hypot(tx - t.x_m, ty - t.y_m) > 3.0 * t.decay_m + 2_000.0
    keep &= np.abs(river.signed(tx, ty)) > 1_000.0
    tx, ty = tx[keep], ty[keep]
    th = hilliness(tx, ty)
    townships = tuple(Town("township", float(x), float(y), TOWNSHIP_PEAK_PER_KM2 * (1 - 0.5 * h), TOWNSHIP_DECAY_M)
                      for x, y, h in zip(tx, ty, th, strict=True))

    # villages: a finer jittered lattice, thinned in the hills, none in towns or the river
    vx, vy = _jittered_lattice(territory.bounds, VILLAGE_SPACING_M, 0.35, rng)
    u = rng.random(vx.size)
    people = VILLAGE_MEDIAN_PEOPLE * rng.lognormal(0.0, 0.45, vx.size)
    keep = shapely.contains_xy(territory, vx, vy)
    keep &= np.hypot(vx - cx, vy - cy) > 2.2 * core.decay_m
    for t in (*dev, *seats, *townships):
        keep &= np.hypot(vx - t.x_m, vy - t.y_m) > 1.5 * t.decay_m + 300.0
    keep &= np.abs(river.signed(vx, vy)) > river_width / 2 + 400.0
    vh = hilliness(vx, vy)
    keep &= u > 0.75 * vh
    people = people * (1.0 - 0.5 * vh)
    return Geography(
        scale=scale, linear=linear, centre_x_m=cx, centre_y_m=cy, territory=territory, core=core,
        dev_zones=dev, county_seats=seats, townships=townships,
        village_x_m=vx[keep], village_y_m=vy[keep], village_people=people[keep],
        river=river, river_width_m=river_width, rails=rails, motorways=motorways, elevated=elevated,
        hill_x_m=hill_x, hill_y_m=hill_y, hill_sigma_m=hill_sigma,
    )
