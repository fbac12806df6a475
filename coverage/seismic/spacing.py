"""Station spacing: nearest-neighbour, Delaunay, lattice-equivalent and coverage-radius metrics, and gaps.

STANDARDS.md §5.1: no standard defines "测震站间距小于30千米", so every common reading is computed and the
one used for pass/fail is named. The decision metric defaults to the *coverage form* (see
:func:`check_spacing`), which is exact for the nearest station (k = 1): the largest distance from any
point of the territory to its nearest station is found among the Voronoi vertices inside the territory,
the territory's own vertices and the crossings of Voronoi edges with its boundary (on each piece of a
Voronoi cell the distance to that cell's station is convex, so it peaks at a vertex of the piece).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray
from scipy.spatial import Delaunay, QhullError, cKDTree
from shapely.geometry.base import BaseGeometry

from ..errors import LayerError
from ..model.messages import Both, Message
from ..model.words import VOCABULARY
from .inputs import (
    Float,
    Territory,
    as_stations,
    as_territory,
    check_positive,
    fmt_km,
    grid_points,
    ordinal,
    top_distinct,
)
from .lec import _lec_candidates, _unique_stations

__all__ = [
    "SPACING_METRICS",
    "SpacingCheck",
    "SpacingResult",
    "check_spacing",
    "coverage_radius_m",
    "spacing_metrics",
]

log = logging.getLogger(__name__)

SpacingMetric = Literal[
    "coverage_triangular",
    "coverage_square",
    "delaunay_max",
    "delaunay_mean",
    "nn_mean",
    "nn_max",
    "lattice_triangular",
    "lattice_square",
]

#: metric name -> (SpacingResult attribute, factor turning the spacing S into the threshold, description)
SPACING_METRICS: dict[str, tuple[str, float, str]] = {
    "coverage_triangular": (
        "coverage_max_m",
        1.0 / math.sqrt(3.0),
        "largest distance from any point of the territory to its nearest station, against S/√3 "
        "(the worst case of a triangular lattice of spacing S)",
    ),
    "coverage_square": (
        "coverage_max_m",
        1.0 / math.sqrt(2.0),
        "largest distance from any point of the territory to its nearest station, against S/√2 "
        "(the worst case of a square lattice of spacing S)",
    ),
    "delaunay_max": ("delaunay_max_m", 1.0, "longest Delaunay edge between neighbouring stations, against S"),
    "delaunay_mean": ("delaunay_mean_m", 1.0, "mean Delaunay edge between neighbouring stations, against S"),
    "nn_mean": ("nn_mean_m", 1.0, "mean distance from each station to its nearest neighbour, against S"),
    "nn_max": ("nn_max_m", 1.0, "largest distance from a station to its nearest neighbour, against S"),
    "lattice_triangular": (
        "lattice_triangular_m",
        1.0,
        "triangular-lattice spacing with the same station density, sqrt(2A/(√3·N)), against S",
    ),
    "lattice_square": (
        "lattice_square_m",
        1.0,
        "square-lattice spacing with the same station density, sqrt(A/N), against S",
    ),
}


@dataclass(frozen=True, slots=True)
class SpacingResult:
    """Every spacing reading of one station layout over one territory (all distances in metres).

    Attributes
    ----------
    n_stations, n_stations_inside
        Distinct station positions used, and how many of them lie in the territory.
    territory_area_m2
        Area A of the territory.
    nn_mean_m, nn_max_m
        Mean and largest nearest-neighbour distance between stations (NaN with one station).
    delaunay_mean_m, delaunay_median_m, delaunay_max_m, delaunay_n_edges, delaunay_edge_factor
        Statistics of the kept Delaunay edges: an edge is kept when its midpoint lies in the territory
        and it is no longer than ``delaunay_edge_factor`` × the median of such edges (NaN when the
        stations cannot be triangulated).
    delaunay_segments_m
        Kept edges as an ``(m, 2, 2)`` array of endpoint coordinates, for maps.
    lattice_square_m, lattice_triangular_m
        Equivalent lattice spacing from the density of stations inside the territory.
    k
        Rank of the station the coverage distance is measured to (1 = nearest).
    coverage_max_m, coverage_p95_m, coverage_mean_m
        Largest, 95th-percentile (by area: 95 % of grid cells are no farther) and mean distance from a
        point of the territory to its k-th nearest station. ``coverage_max_m`` is the radius of the
        largest empty circle for k = 1.
    worst_x_m, worst_y_m
        Where ``coverage_max_m`` is reached: the best place for the next station.
    coverage_exact
        True when ``coverage_max_m`` is exact (k = 1); otherwise it is a grid estimate, refined locally.
    grid_m
        Spacing of the evaluation grid used for P95/mean (and the max when k > 1).
    assumptions
        Plain sentences to print with any number taken from this result.
    """

    n_stations: int
    n_stations_inside: int
    territory_area_m2: float
    nn_mean_m: float
    nn_max_m: float
    delaunay_mean_m: float
    delaunay_median_m: float
    delaunay_max_m: float
    delaunay_n_edges: int
    delaunay_edge_factor: float
    delaunay_segments_m: NDArray[np.float64]
    lattice_square_m: float
    lattice_triangular_m: float
    k: int
    coverage_max_m: float
    coverage_p95_m: float
    coverage_mean_m: float
    worst_x_m: float
    worst_y_m: float
    coverage_exact: bool
    grid_m: float
    assumptions: list[str] = field(default_factory=list)

    def value(self, metric: SpacingMetric) -> float:
        """The value (metres) of one named metric, e.g. ``"delaunay_max"``."""
        return float(getattr(self, _metric_spec(metric)[0]))


@dataclass(frozen=True, slots=True)
class SpacingCheck:
    """Outcome of testing "spacing < S" with one named metric.

    Attributes
    ----------
    passed
        Whether ``value_m <= threshold_m``.
    metric, description
        The metric used and what it measures.
    spacing_m, threshold_m, value_m
        The plan's spacing S, the threshold the metric is compared against, and the metric's value.
    sentence
        One line for the report.
    assumptions
        The spacing result's assumptions plus the decision rule.
    """

    passed: bool
    metric: str
    description: str
    spacing_m: float
    threshold_m: float
    value_m: float
    sentence: str
    assumptions: list[str] = field(default_factory=list)


def _metric_spec(metric: str) -> tuple[str, float, str]:
    try:
        return SPACING_METRICS[metric]
    except KeyError:
        raise LayerError(Message("err.seismic_metric", metric=metric, metrics=", ".join(SPACING_METRICS))) from None


def coverage_radius_m(spacing_m: float, *, lattice: Literal["triangular", "square"] = "triangular") -> float:
    """Coverage radius equivalent to a station spacing S: S/√3 (triangular lattice) or S/√2 (square).

    Examples
    --------
    >>> round(coverage_radius_m(30_000.0))
    17321
    """
    s = check_positive(spacing_m, "spacing_m")
    if lattice == "triangular":
        return s / math.sqrt(3.0)
    if lattice == "square":
        return s / math.sqrt(2.0)
    msg = f"Unknown lattice {lattice!r}: use 'triangular' or 'square'."
    raise LayerError(msg)


# ----------------------------------------------------------------------------------------------------------
# spacing metrics


def _kth_distance(tree: cKDTree, x: Float, y: Float, k: int) -> Float:
    d, _ = tree.query(np.column_stack([x, y]), k=k)
    return d if k == 1 else d[:, -1]


def _delaunay_edges(
    ux: Float, uy: Float, territory: Territory, edge_factor: float
) -> tuple[NDArray[np.float64], float, list[str]]:
    notes: list[str] = []
    empty = np.zeros((0, 2, 2))
    if ux.size < 3:
        notes.append(Message("say.delaunay_few"))
        return empty, math.nan, notes
    try:
        tri = Delaunay(np.column_stack([ux, uy]))
    except QhullError:
        notes.append(Message("say.delaunay_line"))
        return empty, math.nan, notes
    s = tri.simplices
    edges = np.vstack([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
    edges = np.unique(np.sort(edges, axis=1), axis=0)
    p = np.column_stack([ux, uy])
    a, b = p[edges[:, 0]], p[edges[:, 1]]
    length = np.hypot(*(a - b).T)
    mid = (a + b) / 2.0
    inside = shapely.contains_xy(territory, mid[:, 0], mid[:, 1])
    if not inside.any():
        notes.append(Message("say.delaunay_outside"))
        return empty, math.nan, notes
    median = float(np.median(length[inside]))
    keep = inside & (length <= edge_factor * median)
    notes.append(Message("say.delaunay_kept", kept=int(keep.sum()), n=int(edges.shape[0]), factor=f"{edge_factor:g}",
                         median=f"{median / 1000.0:.3g}"))
    return np.stack([a[keep], b[keep]], axis=1), median, notes


def spacing_metrics(
    station_x_m: ArrayLike,
    station_y_m: ArrayLike,
    territory: BaseGeometry,
    *,
    k: int = 1,
    grid_m: float = 500.0,
    delaunay_edge_factor: float = 2.5,
) -> SpacingResult:
    """Compute every reading of "station spacing" for one layout over one territory.

    Parameters
    ----------
    station_x_m, station_y_m
        Station coordinates in metres (projected CRS). Stations just outside the territory (e.g. in a
        neighbouring city) count for the coverage distance and the Delaunay edges; the density-based
        lattice spacing counts only stations inside.
    territory
        The assessed area (city boundary), Polygon or MultiPolygon, same CRS.
    k
        Coverage is measured to the k-th nearest station (1 = nearest, the spacing reading; 4 gives the
        distance to the 4th station that location and early warning need).
    grid_m
        Evaluation grid spacing for the P95 and mean of the coverage distance (and for its maximum when
        k > 1, where a grid search refined around the worst cells is used; error ≲ grid_m/4).
    delaunay_edge_factor
        Delaunay edges longer than this multiple of the median edge are dropped (STANDARDS.md §5.1
        suggests 2–3×; 2.5 is the middle). Edges whose midpoint lies outside the territory are dropped.

    Returns
    -------
    SpacingResult

    Raises
    ------
    LayerError
        Bad coordinates, an unusable territory, or fewer stations than ``k``.
    """
    sx, sy = as_stations(station_x_m, station_y_m)
    terr, notes = as_territory(territory)
    k = int(k)
    grid_m = check_positive(grid_m, "grid_m")
    edge_factor = check_positive(delaunay_edge_factor, "delaunay_edge_factor")
    ux, uy, n_dup = _unique_stations(sx, sy)
    if k < 1 or k > ux.size:
        raise LayerError(Message("err.seismic_k_stations", nth=Both(ordinal(k), f"第 {k} "), need=max(k, 1),
                                 n=int(ux.size)))
    if n_dup:
        notes.append(Message("say.stations_shared_position", n=int(n_dup)))
    tree = cKDTree(np.column_stack([ux, uy]))
    area = float(terr.area)

    # nearest-neighbour distances between stations
    if ux.size >= 2:
        dnn = tree.query(np.column_stack([ux, uy]), k=2)[0][:, 1]
        nn_mean, nn_max = float(dnn.mean()), float(dnn.max())
    else:
        nn_mean = nn_max = math.nan

    segs, median, dnotes = _delaunay_edges(ux, uy, terr, edge_factor)
    notes.extend(dnotes)
    if segs.shape[0]:
        lengths = np.hypot(segs[:, 0, 0] - segs[:, 1, 0], segs[:, 0, 1] - segs[:, 1, 1])
        d_mean, d_max = float(lengths.mean()), float(lengths.max())
    else:
        d_mean = d_max = math.nan

    n_in = int(shapely.intersects_xy(terr, ux, uy).sum())
    if n_in:
        lat_sq = math.sqrt(area / n_in)
        lat_tri = math.sqrt(2.0 * area / (math.sqrt(3.0) * n_in))
    else:
        lat_sq = lat_tri = math.nan
    notes.append(Message("say.lattice", n=int(n_in), area=f"{area / 1e6:,.0f}"))

    gx, gy, _ = grid_points(terr, grid_m)
    dg = _kth_distance(tree, gx, gy, k)
    if k == 1:
        cx, cy = _lec_candidates(ux, uy, terr)
        exact = True
    else:
        # refine around the worst grid cells with a finer local grid (d_k is 1-Lipschitz)
        peaks = top_distinct(dg, gx, gy, n=12, min_sep_m=2.0 * grid_m)
        off = np.linspace(-grid_m, grid_m, 9)
        ox, oy = (a.ravel() for a in np.meshgrid(off, off))
        px = np.concatenate([p[0] + ox for p in peaks])
        py = np.concatenate([p[1] + oy for p in peaks])
        keep = shapely.intersects_xy(terr, px, py)
        bxy = shapely.get_coordinates(terr.boundary)
        v1x, v1y = _lec_candidates(ux, uy, terr)
        cx = np.concatenate([px[keep], bxy[:, 0], v1x])
        cy = np.concatenate([py[keep], bxy[:, 1], v1y])
        exact = False
    dc = _kth_distance(tree, cx, cy, k)
    allx, ally, alld = np.concatenate([cx, gx]), np.concatenate([cy, gy]), np.concatenate([dc, dg])
    iw = int(np.argmax(alld))
    which = Both("nearest station", "最近台站") if k == 1 else Both(f"{ordinal(k)} nearest station", f"第 {k} 近的台站")
    notes.append(Message("say.coverage_exact", which=which, grid=f"{grid_m:g}") if exact else
                 Message("say.coverage_grid", which=which, grid=f"{grid_m:g}", low=f"{grid_m / 4:g}"))
    log.debug("spacing_metrics: %d stations, %d grid points, %d candidates", ux.size, gx.size, cx.size)
    return SpacingResult(
        n_stations=int(ux.size),
        n_stations_inside=n_in,
        territory_area_m2=area,
        nn_mean_m=nn_mean,
        nn_max_m=nn_max,
        delaunay_mean_m=d_mean,
        delaunay_median_m=median,
        delaunay_max_m=d_max,
        delaunay_n_edges=int(segs.shape[0]),
        delaunay_edge_factor=edge_factor,
        delaunay_segments_m=segs,
        lattice_square_m=lat_sq,
        lattice_triangular_m=lat_tri,
        k=k,
        coverage_max_m=float(alld[iw]),
        coverage_p95_m=float(np.percentile(dg, 95, method="inverted_cdf")),
        coverage_mean_m=float(dg.mean()),
        worst_x_m=float(allx[iw]),
        worst_y_m=float(ally[iw]),
        coverage_exact=exact,
        grid_m=grid_m,
        assumptions=notes,
    )


def check_spacing(
    result: SpacingResult, spacing_m: float, *, metric: SpacingMetric = "coverage_triangular"
) -> SpacingCheck:
    """Decide "station spacing < S" with one named metric.

    The default, ``"coverage_triangular"``, turns the spacing S into a coverage radius and requires
    every point of the territory to lie within S/√3 of a station (for S = 30 km: 17.3 km). Reasons:

    * It is implied by the natural meaning: if every Delaunay edge (neighbouring pair) is ≤ S, no point
      inside the network is farther than S/√3 from a station (an acute triangle with longest side a has
      circumradius ≤ a/√3; the equilateral triangle, i.e. the triangular lattice, is the worst case).
    * Unlike the Delaunay or nearest-neighbour readings it also tests the territory's edges and corners
      outside the station hull, cannot be gamed by clustering stations, and depends on the territory,
      not on an edge-trimming rule.
    * It yields gap polygons and the exact point for the next station (:func:`spacing_gaps`).

    It is the strict reading: a square lattice of spacing exactly S fails (worst point S/√2 = 21.2 km
    for 30 km). Choose ``"coverage_square"`` for the lenient one, or ``"delaunay_max"`` for "no two
    neighbouring stations farther apart than S". Coverage metrics need a result computed with k = 1.

    Parameters
    ----------
    result
        From :func:`spacing_metrics`.
    spacing_m
        The plan's S (30 km = 30000.0).
    metric
        One of :data:`SPACING_METRICS`.

    Returns
    -------
    SpacingCheck
    """
    s = check_positive(spacing_m, "spacing_m")
    attr, factor, description = _metric_spec(metric)
    if metric.startswith("coverage") and result.k != 1:
        msg = (
            f"The spacing metric {metric!r} compares the distance to the nearest station with a radius, but "
            f"this result measured distance to the {ordinal(result.k)} nearest. Recompute with k=1."
        )
        raise LayerError(msg)
    value = float(getattr(result, attr))
    threshold = s * factor
    passed = bool(np.isfinite(value) and value <= threshold * (1.0 + 1e-9))
    sentence = (
        f"Station spacing < {fmt_km(s)}: {'PASS' if passed else 'FAIL'} — {description}: "
        f"{fmt_km(value)} vs {fmt_km(threshold)}."
    )
    rule = Message("say.spacing_rule", rule=Both(description, VOCABULARY.get(f"spacing:{metric}", ("", description))[1]))
    return SpacingCheck(
        passed=passed,
        metric=metric,
        description=description,
        spacing_m=s,
        threshold_m=threshold,
        value_m=value,
        sentence=sentence,
        assumptions=[*result.assumptions, rule],
    )
