"""Theoretical monitoring capability: the smallest ML recorded by at least n stations (STANDARDS.md §5.2).

Method (谢静 et al. 2014, in the GB 17740-2017 form ``ML = lg A + R(Δ)``): a station s with displacement
noise N_s records an event of magnitude M at distance Δ when its amplitude exceeds ``snr``·N_s, so the
smallest magnitude it records is

    M_min,s(x) = lg(snr · N_s) + R(Δ_s)

and the network capability at x is the n-th smallest M_min,s over all stations (n = 4: enough to locate).

Units, carefully:

* Default calibration, Hutton & Boore (1987) as adopted by IASPEI:
  ``ML = lg A + 1.11·lg R + 0.00189·R − 2.09`` with A the ground-displacement amplitude **in nm** on a
  simulated Wood-Anderson record (WA trace amplitude divided by its gain 2080) and R the **hypocentral**
  distance in km. Station noise is given in μm and converted: ``lg(N_nm) = lg(N_um) + 3``.
* Alternative, a GB 17740-style table: ``(distance_km, R)`` pairs, A **in μm**, Δ the **epicentral**
  distance (as the standard uses), interpolated linearly. GB 17740 Appendix A was not retrieved
  (STANDARDS.md §7.6), so the table must be typed in by the user.

The DD-1 (GB 17740) and Wood-Anderson pass-bands differ slightly; that difference is ignored.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from ..errors import LayerError
from ..model.messages import Message
from .inputs import (
    DEFAULT_NOISE_UM,
    Float,
    as_stations,
    as_territory,
    check_positive,
    grid_points,
    top_distinct,
)
from .magnitude import Calibration, DistanceKind, _Calib, _calibration
from .ranked import StationTerms, nth_smallest

__all__ = [
    "DEFAULT_NOISE_UM",
    "DetectionResult",
    "DetectionSettings",
    "detection_at_points",
    "detection_grid",
    "detection_share",
]

log = logging.getLogger(__name__)

def _noise(noise_um: ArrayLike | None, n: int, default_um: float) -> tuple[Float, int]:
    default_um = check_positive(default_um, "default_noise_um")
    if noise_um is None:
        return np.full(n, default_um), n
    arr = np.asarray(noise_um, dtype=np.float64)
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    arr = arr.ravel()
    if arr.size != n:
        raise LayerError(Message("err.seismic_noise_count", n=n, values=arr.size))
    missing = ~np.isfinite(arr)
    if np.any(arr[~missing] <= 0):
        raise LayerError(Message("err.seismic_noise_positive", n=int(np.sum(arr[~missing] <= 0))))
    arr = np.where(missing, default_um, arr)
    return arr, int(missing.sum())


@dataclass(frozen=True, slots=True)
class _Stations:
    """Station positions (m) with their ``lg(snr·noise) + offset`` terms, and the KD-tree over them."""

    x_m: Float
    y_m: Float
    lg_noise: Float
    tree: cKDTree

    @classmethod
    def of(cls, x_m: Float, y_m: Float, lg_noise: Float) -> _Stations:
        return cls(x_m, y_m, lg_noise, cKDTree(np.column_stack([x_m, y_m])))

    @property
    def terms(self) -> StationTerms:
        """Positions and terms without the tree, for :mod:`.ranked`."""
        return StationTerms(self.x_m, self.y_m, self.lg_noise)

    @property
    def uniform(self) -> bool:
        """Every station equally noisy: the n-th smallest threshold is then the n-th nearest station's."""
        return bool(self.lg_noise.size) and float(self.lg_noise.min()) == float(self.lg_noise.max())


def _mc(stations: _Stations, px: Float, py: Float, calib: _Calib, *, depth_km: float, n_req: int) -> Float:
    """n-th smallest station magnitude threshold at each point, exact (as if every station were asked).

    Each point asks only the stations its tile cannot rule out (:mod:`.ranked`: a station whose smallest
    possible value over the tile exceeds the tile's n-th smallest largest possible value is none of the n
    best anywhere in the tile). With equal noise at every station and a distance term that grows with
    distance (Hutton & Boore), the n-th nearest station decides alone and its term is the only one computed.
    """
    if stations.lg_noise.size < n_req:
        return np.full(px.size, np.inf)
    if stations.uniform and calib.table_d_km is None:
        d = _kth_nearest_m(stations.tree, px, py, n_req)
        return stations.lg_noise[0] + calib.term(d / 1000.0, depth_km)
    if px.size < CACHE_MIN_POINTS:
        return nth_smallest(stations.terms, px, py, calib, depth_km=depth_km, n=n_req)
    return _cached_nth_smallest(stations, px, py, calib, depth_km=depth_km, n_req=n_req)


#: Point sets at least this large have their M_c cached on disk (a city's grid and population cells: the
#: search costs far more than reading the answer); smaller ones are computed each time.
CACHE_MIN_POINTS = 100_000


def _cached_nth_smallest(stations: _Stations, px: Float, py: Float, calib: _Calib, *, depth_km: float,
                         n_req: int) -> Float:
    """:func:`~.ranked.nth_smallest`, cached on disk by the stations (positions, terms), the points, the
    calibration, the depth and n, and the rules' sources (this module, :mod:`.ranked`, :mod:`.magnitude`)."""
    from .. import array_cache as ac
    from . import magnitude, ranked

    def table(a: Float | None) -> Float | None:
        return None if a is None else np.asarray(a, dtype=np.float64)

    key = ac.content_key("seismic_nth_smallest", *(ac.source_digest(m.__file__) for m in (ranked, magnitude)),
                         ac.source_digest(__file__), *(np.asarray(a, dtype=np.float64) for a in
                                                       (stations.x_m, stations.y_m, stations.lg_noise, px, py)),
                         calib.name, table(calib.table_d_km), table(calib.table_r), str(calib.distance),
                         float(calib.offset), float(depth_km), int(n_req))

    def compute() -> dict[str, Float]:
        return {"m": nth_smallest(stations.terms, px, py, calib, depth_km=depth_km, n=n_req)}

    return ac.cached_arrays("seismic_nth_smallest", key, compute, cache_dir=ac.array_cache_dir())["m"]


def _kth_nearest_m(tree: cKDTree, px: Float, py: Float, k: int) -> Float:
    """Distance (m) from each point to its k-th nearest station, in chunks of bounded memory."""
    out = np.empty(px.size)
    chunk = max(1, 4_000_000 // k)
    for a in range(0, px.size, chunk):
        d, _ = tree.query(np.column_stack([px[a : a + chunk], py[a : a + chunk]]), k=[k], workers=-1)
        out[a : a + chunk] = d[:, 0]
    return out


@dataclass(frozen=True, slots=True)
class DetectionSettings:
    """How M_c is computed: the keyword options of :func:`detection_grid` and :func:`detection_at_points`.

    Attributes
    ----------
    depth_km
        Focal depth h (hypocentral distance sqrt(Δ² + h²)).
    n_stations
        Stations that must record the event (4: enough to locate it; 谢静 et al., PMC).
    calibration
        ``"hutton_boore"`` (default) or a GB 17740-style table of ``(distance_km, R)`` pairs.
    snr
        Amplitude must exceed ``snr`` × noise (GB 17740: 2).
    n_neighbours
        No longer used (accepted so that existing calls keep working): each point now asks exactly the
        stations its tile cannot rule out (:mod:`.ranked`), with the same exact result.
    default_noise_um
        Noise where missing: 0.03 μm, the middle of the 0.01–0.05 μm urban-sediment range (STANDARDS.md
        §5.2); a quiet bedrock site is nearer 0.005–0.01 μm.
    table_distance
        Distance the table's R is indexed by; GB 17740 uses epicentral.
    """

    depth_km: float = 10.0
    n_stations: int = 4
    calibration: Calibration = "hutton_boore"
    snr: float = 2.0
    n_neighbours: int | None = None
    default_noise_um: float = DEFAULT_NOISE_UM
    table_distance: DistanceKind = "epicentral"

    @classmethod
    def of(cls, options: dict[str, Any]) -> DetectionSettings:
        """Settings from keyword options; an unknown name is a ``TypeError`` naming it."""
        unknown = sorted(set(options) - {f.name for f in fields(cls)})
        if unknown:
            msg = f"unknown detection option(s) {', '.join(unknown)}; known: {', '.join(f.name for f in fields(cls))}"
            raise TypeError(msg)
        return cls(**options)


def _setup(
    station_x_m: ArrayLike, station_y_m: ArrayLike, station_noise_um: ArrayLike | None, st: DetectionSettings
) -> tuple[_Stations, _Calib, list[str]]:
    n_req = int(st.n_stations)
    if n_req < 1:
        raise LayerError(Message("err.seismic_n_stations", value=repr(st.n_stations)))
    sx, sy = as_stations(station_x_m, station_y_m, min_n=n_req)
    depth_km = check_positive(st.depth_km, "depth_km", allow_zero=True)
    snr = check_positive(st.snr, "snr")
    calib = _calibration(st.calibration, st.table_distance)
    default_noise_um = st.default_noise_um
    noise, n_missing = _noise(station_noise_um, sx.size, default_noise_um)
    lg_noise = np.log10(snr * noise) + calib.offset
    if n_missing == sx.size:
        noise_txt = Message("say.noise_default_all", noise=f"{default_noise_um:g}")
    elif n_missing:
        noise_txt = Message("say.noise_default_some", noise=f"{default_noise_um:g}", n_missing=n_missing, n=sx.size)
    else:
        noise_txt = Message("say.noise_measured", lo=f"{noise.min():.3g}", hi=f"{noise.max():.3g}")
    notes: list[str] = [
        Message("say.detection_setup", calib=calib.sentence(), noise=noise_txt, depth=f"{depth_km:g}", n=n_req,
                snr=f"{snr:g}"),
        Message("say.detection_method"),
    ]
    if n_missing:
        notes.append(Message("say.noise_default_why", noise=f"{default_noise_um:g}"))
    return _Stations.of(sx, sy, lg_noise), calib, notes


@dataclass(frozen=True, slots=True)
class DetectionResult:
    """Monitoring capability M_c (the smallest ML recorded by ≥ n stations) over a territory grid.

    Attributes
    ----------
    x_m, y_m, mc
        Grid cell centres inside the territory and M_c there (``inf`` where fewer than n stations can
        record any event, possible only with a distance-limited calibration table).
    grid_m, cell_area_m2
        Grid spacing and the area each point stands for.
    territory_area_m2
        Territory area.
    target_ml
        The magnitude tested against (plan: 1.0).
    share_area
        Share of the territory (by grid cells) where ``mc <= target_ml``.
    area_ok_m2
        ``share_area`` × territory area.
    mc_max, mc_p95, mc_mean
        Worst, 95th-percentile and mean M_c over the grid.
    worst_points
        Up to five ``(x_m, y_m, mc)`` worst points, at least five grid cells apart.
    share_population, population_total
        Share of the given population where M_c ≤ target (None when no population was given).
    n_stations_required, depth_km, snr
        Settings used.
    assumptions
        Plain sentences for the report.
    """

    x_m: Float
    y_m: Float
    mc: Float
    grid_m: float
    cell_area_m2: float
    territory_area_m2: float
    target_ml: float
    share_area: float
    area_ok_m2: float
    mc_max: float
    mc_p95: float
    mc_mean: float
    worst_points: list[tuple[float, float, float]]
    share_population: float | None
    population_total: float | None
    n_stations_required: int
    depth_km: float
    snr: float
    assumptions: list[str] = field(default_factory=list)

    def share_at_most(self, target_ml: float) -> float:
        """Share of the territory (by grid cells) where M_c ≤ ``target_ml``."""
        return detection_share(self.mc, target_ml=target_ml)


def detection_share(mc: ArrayLike, weights: ArrayLike | None = None, *, target_ml: float = 1.0) -> float:
    """Share of points (optionally weighted, e.g. by population) where M_c ≤ ``target_ml``.

    Returns NaN when there are no points or the weights sum to zero.
    """
    mc = np.asarray(mc, dtype=np.float64)
    w = np.ones_like(mc) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != mc.shape:
        msg = (
            f"{w.size} weights were given for {mc.size} points; give one weight (e.g. population) per point."
        )
        raise LayerError(msg)
    total = float(np.sum(w))
    if mc.size == 0 or total <= 0:
        return math.nan
    return float(np.sum(w[mc <= target_ml + 1e-12]) / total)


def detection_at_points(
    station_x_m: ArrayLike,
    station_y_m: ArrayLike,
    station_noise_um: ArrayLike | None,
    x_m: ArrayLike,
    y_m: ArrayLike,
    **settings: Any,
) -> Float:
    """M_c at arbitrary points (e.g. population-grid cells or settlements); see :func:`detection_grid`.

    ``settings`` are the keyword options of :class:`DetectionSettings` (``depth_km``, ``n_stations``,
    ``calibration``, ``snr``, ``n_neighbours``, ``default_noise_um``, ``table_distance``).

    Returns
    -------
    numpy.ndarray
        M_c at each point, same order; combine with :func:`detection_share` and population weights.
    """
    st = DetectionSettings.of(settings)
    stations, calib, _ = _setup(station_x_m, station_y_m, station_noise_um, st)
    px = np.asarray(x_m, dtype=np.float64).ravel()
    py = np.asarray(y_m, dtype=np.float64).ravel()
    if px.shape != py.shape:
        msg = f"{px.size} x and {py.size} y coordinates were given for the points; they must match."
        raise LayerError(msg)
    return _mc(stations, px, py, calib, depth_km=float(st.depth_km), n_req=int(st.n_stations))


def detection_grid(
    station_x_m: ArrayLike,
    station_y_m: ArrayLike,
    station_noise_um: ArrayLike | None,
    territory: BaseGeometry,
    *,
    grid_m: float = 1000.0,
    target_ml: float = 1.0,
    population: tuple[ArrayLike, ArrayLike, ArrayLike] | None = None,
    **settings: Any,
) -> DetectionResult:
    """Map the smallest magnitude recorded by at least ``n_stations`` stations over a territory.

    Parameters
    ----------
    station_x_m, station_y_m
        Station coordinates, metres (projected CRS). Stations outside the territory count.
    station_noise_um
        Displacement noise per station in μm (DD-1/Wood-Anderson band), a single value, or None. NaN
        entries, or None, use ``default_noise_um``.
    territory
        Polygon or MultiPolygon in the same CRS.
    grid_m
        Grid spacing; each cell centre inside the territory is one point standing for ``grid_m²``.
    target_ml
        Magnitude to report the share for (plan: 1.0).
    population
        Optional ``(x_m, y_m, people)`` arrays: M_c is evaluated at those points and the population share
        with M_c ≤ ``target_ml`` is reported.
    **settings
        The options of :class:`DetectionSettings`: ``depth_km`` (10), ``n_stations`` (4), ``calibration``
        (``"hutton_boore"`` or a GB 17740-style ``(distance_km, R)`` table), ``snr`` (2), ``n_neighbours``,
        ``default_noise_um`` (0.03 μm) and ``table_distance`` (``"epicentral"``).

    Returns
    -------
    DetectionResult

    Raises
    ------
    LayerError
        Fewer stations than ``n_stations``, bad coordinates, noise or calibration table.
    """
    st = DetectionSettings.of(settings)
    stations, calib, notes = _setup(station_x_m, station_y_m, station_noise_um, st)
    depth_km, n_req = float(st.depth_km), int(st.n_stations)
    terr, tnotes = as_territory(territory)
    gx, gy, cell = grid_points(terr, grid_m)
    mc = _mc(stations, gx, gy, calib, depth_km=depth_km, n_req=n_req)
    share = detection_share(mc, target_ml=target_ml)
    share_pop = pop_total = None
    if population is not None:
        px, py, w = (np.asarray(a, dtype=np.float64).ravel() for a in population)
        if not (px.shape == py.shape == w.shape):
            msg = "The population points need equal-length x_m, y_m and people arrays."
            raise LayerError(msg)
        mcp = _mc(stations, px, py, calib, depth_km=depth_km, n_req=n_req)
        share_pop = detection_share(mcp, w, target_ml=target_ml)
        pop_total = float(w.sum())
    finite = mc[np.isfinite(mc)]
    notes.append(Message("say.detection_share_grid", grid=f"{grid_m:g}", ml=f"{target_ml:.1f}"))
    return DetectionResult(
        x_m=gx,
        y_m=gy,
        mc=mc,
        grid_m=float(grid_m),
        cell_area_m2=cell,
        territory_area_m2=float(terr.area),
        target_ml=float(target_ml),
        share_area=share,
        area_ok_m2=share * float(terr.area),
        mc_max=float(mc.max()),
        mc_p95=float(np.percentile(mc, 95, method="inverted_cdf")),
        mc_mean=float(finite.mean()) if finite.size else math.inf,
        worst_points=top_distinct(mc, gx, gy, n=5, min_sep_m=5.0 * float(grid_m)),
        share_population=share_pop,
        population_total=pop_total,
        n_stations_required=n_req,
        depth_km=depth_km,
        snr=float(st.snr),
        assumptions=[*tnotes, *notes],
    )
