"""Greedy proposals for new seismic stations that close the coverage-radius gaps.

This is a heuristic, not an optimum: each step adds one station, chosen greedily, until the largest
distance from any point of the territory to its nearest station is within ``max_radius_m`` (or ``k``
stations were added); a local improvement pass then re-centres the new stations and drops those the
others make unnecessary. Optimal placement (the continuous k-centre / disc-cover problem) is NP-hard;
the farthest-point greedy alone is within a factor 2 of the optimal radius for the same count.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import shapely
from numpy.typing import ArrayLike
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from ..errors import LayerError
from .detection import _mc, _noise, _Stations
from .inputs import (
    DEFAULT_NOISE_UM,
    Float,
    Territory,
    as_stations,
    as_territory,
    check_positive,
    fmt_km,
    grid_points,
)
from .lec import _lec_candidates, _unique_stations
from .magnitude import _calibration
from .warning import PROCESSING_DELAY_S, warning_assumptions

__all__ = ["SitingMetrics", "SitingResult", "propose_stations"]

log = logging.getLogger(__name__)

Strategy = Literal["cover_worst", "largest_empty_circle"]


@dataclass(frozen=True, slots=True)
class SitingMetrics:
    """Coverage, detection and warning figures for one station set (before or after the proposal).

    Attributes
    ----------
    n_stations
        Stations in the set.
    max_distance_m, worst_x_m, worst_y_m
        Exact largest distance from the territory to the nearest station, and where (``inf`` with none).
    p95_distance_m
        95th percentile of that distance over the grid.
    detection_share
        Share of the territory's grid where M_c ≤ ``target_ml``.
    warning_share
        Share of the key areas' (or, without key areas, the territory's) grid whose epicentres get the
        alert within ``alert_within_s``.
    """

    n_stations: int
    max_distance_m: float
    worst_x_m: float
    worst_y_m: float
    p95_distance_m: float
    detection_share: float
    warning_share: float


@dataclass(frozen=True, slots=True)
class SitingResult:
    """Proposed new stations and the before/after figures.

    Attributes
    ----------
    new_x_m, new_y_m
        Proposed stations, in the order chosen.
    strategy
        ``"cover_worst"`` or ``"largest_empty_circle"``.
    max_radius_m
        The coverage radius aimed for.
    criterion_met
        Whether every point of the territory is within ``max_radius_m`` of a station afterwards.
    max_distance_history_m
        Largest distance to the nearest station before and after each greedy step (before pruning).
    n_greedy
        Stations the greedy pass placed.
    n_removed
        Of those, how many the improvement pass made unnecessary (``n_greedy - len(new_x_m)``).
    before, after
        :class:`SitingMetrics` of the existing and the extended network.
    assumptions
        Plain sentences for the report.
    """

    new_x_m: Float
    new_y_m: Float
    strategy: str
    max_radius_m: float
    criterion_met: bool
    max_distance_history_m: list[float]
    n_greedy: int
    n_removed: int
    before: SitingMetrics
    after: SitingMetrics
    assumptions: list[str] = field(default_factory=list)


def _max_d1(sx: Float, sy: Float, terr: Territory) -> tuple[float, float, float]:
    if sx.size == 0:
        p = terr.representative_point()
        return math.inf, float(p.x), float(p.y)
    ux, uy, _ = _unique_stations(sx, sy)
    cx, cy = _lec_candidates(ux, uy, terr)
    d, _ = cKDTree(np.column_stack([ux, uy])).query(np.column_stack([cx, cy]), k=1)
    i = int(np.argmax(d))
    return float(d[i]), float(cx[i]), float(cy[i])


def _d1(sx: Float, sy: Float, px: Float, py: Float) -> Float:
    if sx.size == 0:
        return np.full(px.size, np.inf)
    return cKDTree(np.column_stack([sx, sy])).query(np.column_stack([px, py]), k=1)[0]


def _relax(
    fixed: Float, new: Float, terr: Territory, *, iters: int = 30, target: float | None = None
) -> tuple[Float, float]:
    """Minimax Lloyd moves: each new station goes to the centre of the smallest circle enclosing its cell.

    A station's cell is its Voronoi cell clipped to the territory; the smallest circle around the cell is
    the smallest around its vertices (the largest-empty-circle candidates the station is nearest to).
    A move never lengthens the farthest distance in the cell, so the network's worst distance never
    grows. Centres outside the territory are pulled back to its nearest point (kept only if no worse).
    Stops early once the worst distance is ≤ ``target``.

    Returns
    -------
    new, worst_m
        The moved stations and the exact worst nearest-station distance for them.
    """
    new = new.copy()
    nf = fixed.shape[0]
    worst = math.inf
    for it in range(iters + 1):
        allxy = np.vstack([fixed, new])
        if allxy.shape[0] == 0:
            return new, math.inf
        cx, cy = _lec_candidates(allxy[:, 0], allxy[:, 1], terr)
        pts = np.column_stack([cx, cy])
        kq = min(4, allxy.shape[0])
        d, idx = cKDTree(allxy).query(pts, k=kq)
        if kq == 1:
            d, idx = d[:, None], idx[:, None]
        worst = float(d[:, 0].max())
        if it == iters or (target is not None and worst <= target):
            break
        if np.unique(allxy, axis=0).shape[0] < allxy.shape[0]:
            break  # coincident stations: cells are undefined, leave as is
        own = d <= d[:, :1] * (1.0 + 1e-9) + 1e-6
        moved = 0.0
        for j in range(new.shape[0]):
            mine = pts[np.any((idx == nf + j) & own, axis=1)]
            if mine.shape[0] == 0:
                continue
            cur = float(np.max(np.hypot(*(mine - new[j]).T)))
            centre = shapely.minimum_bounding_circle(shapely.multipoints(mine)).centroid
            if not terr.intersects(centre):
                centre = nearest_points(terr, centre)[0]
            c = np.array([centre.x, centre.y])
            if float(np.max(np.hypot(*(mine - c).T))) < cur - 1e-6:
                moved += float(np.hypot(*(c - new[j])))
                new[j] = c
        if moved < 1.0:
            iters = it + 1  # converged: evaluate once more and stop
    return new, worst


def _improve(
    fixed: Float, new: Float, terr: Territory, tol: float, grid_xy: Float, *, move: bool, tries: int = 2
) -> Float:
    """Drop proposed stations while the rest (re-centred if ``move``) still meet the radius ``tol``.

    Removal order: the station whose cell's points are closest to their second-nearest station (on the
    grid and the exact worst-point candidates) first, i.e. the one whose loss hurts least.
    """
    if move:
        new, _ = _relax(fixed, new, terr)
    nf = fixed.shape[0]
    while new.shape[0]:
        allxy = np.vstack([fixed, new])
        if allxy.shape[0] < 2:
            break
        cx, cy = _lec_candidates(allxy[:, 0], allxy[:, 1], terr)
        pts = np.vstack([grid_xy, np.column_stack([cx, cy])])
        d, idx = cKDTree(allxy).query(pts, k=2)
        loss = np.zeros(new.shape[0])
        np.maximum.at(loss, np.clip(idx[:, 0] - nf, 0, None), np.where(idx[:, 0] >= nf, d[:, 1], 0.0))
        for j in np.argsort(loss, kind="stable")[:tries]:
            trial = np.delete(new, j, axis=0)
            trial, worst = _relax(fixed, trial, terr, iters=30 if move else 0, target=tol)
            if worst <= tol:
                new = trial
                break
        else:
            break
    return new


def propose_stations(
    station_x_m: ArrayLike,
    station_y_m: ArrayLike,
    territory: BaseGeometry,
    *,
    k: int | None = None,
    max_radius_m: float,
    candidates_xy: ArrayLike | None = None,
    strategy: Strategy | None = None,
    grid_m: float = 1000.0,
    station_noise_um: ArrayLike | None = None,
    new_station_noise_um: float = DEFAULT_NOISE_UM,
    target_ml: float = 1.0,
    depth_km: float = 10.0,
    n_stations: int = 4,
    alert_within_s: float = 10.0,
    processing_delay_s: float = PROCESSING_DELAY_S,
    key_areas: Mapping[str, BaseGeometry] | Sequence[BaseGeometry] | None = None,
    max_new: int = 200,
    improve: bool = True,
) -> SitingResult:
    """Greedily propose new stations until every point is within ``max_radius_m`` of one.

    Each step finds the point of the territory farthest from every station (the centre of the largest
    empty circle, exact) and then:

    * ``strategy="largest_empty_circle"``: puts the station at that point (with ``candidates_xy``: the
      unused candidate nearest to it). The classic farthest-point greedy (within a factor 2 of the best
      radius for the same count). Default for free placement.
    * ``strategy="cover_worst"``: among the sites within ``max_radius_m`` of that point (the point
      itself and the cells of a ``grid_m`` grid, or ``candidates_xy``), takes the one covering most
      still-uncovered grid area; with candidate sites, when none reaches the point, the one covering
      most uncovered area. Default with ``candidates_xy``.

    After the improvement pass both rules give about the same counts (within ±2 stations on Zhengzhou
    for 6–40 new stations).

    With ``k=None`` it stops as soon as the criterion holds. Then, if ``improve``, a local search
    repeatedly removes the proposed station whose loss hurts least and moves the remaining new stations
    to the centres of the smallest circles around their Voronoi cells (minimax Lloyd moves; existing
    stations never move), keeping the removal while the criterion still holds. The count returned is
    the fewest *this heuristic* finds, not a proven minimum (a 50 × 50 km square, no stations, 12 km
    radius: 25 from the farthest-point pass, 9 after improvement — optimal, 8 discs cannot cover it).
    With ``k`` it stops after ``k`` stations or when the criterion holds, whichever is first, and
    ``improve`` only re-centres them (reducing the worst distance). With ``candidates_xy`` stations stay
    on candidate sites; ``improve`` only drops redundant ones.

    Parameters
    ----------
    station_x_m, station_y_m
        Existing stations, metres (may be empty).
    territory
        Polygon or MultiPolygon, same CRS.
    k
        Number of stations to add, or None for "as many as needed".
    max_radius_m
        Coverage radius to reach, e.g. S/√3 = 17.3 km for "spacing < 30 km".
    candidates_xy
        Optional ``(m, 2)`` array of allowed sites (e.g. public land); otherwise sites are free.
    strategy
        ``{"largest_empty_circle", "cover_worst"}`` or None: see above.
    grid_m
        Grid for uncovered area, free candidate sites and the before/after figures.
    station_noise_um, new_station_noise_um
        Noise of existing stations (None/NaN: the default 0.03 μm) and of the new ones.
    target_ml, depth_km, n_stations
        Detection settings for the before/after detection share (Hutton & Boore calibration).
    alert_within_s, processing_delay_s, key_areas
        Early-warning settings for the before/after warning share (over the key areas, or the territory).
    max_new
        Safety cap on stations added when ``k`` is None.
    improve
        Run the local improvement pass described above.

    Returns
    -------
    SitingResult
    """
    sx, sy = as_stations(station_x_m, station_y_m, min_n=0)
    terr, notes = as_territory(territory)
    r = check_positive(max_radius_m, "max_radius_m")
    free = candidates_xy is None
    if strategy is None:
        strategy = "largest_empty_circle" if free else "cover_worst"
    if strategy not in ("cover_worst", "largest_empty_circle"):
        msg = f"Unknown siting strategy {strategy!r}: use 'cover_worst' or 'largest_empty_circle'."
        raise LayerError(msg)
    if k is not None and int(k) < 0:
        msg = f"k = {k}: the number of stations to add cannot be negative."
        raise LayerError(msg)
    limit = int(max_new) if k is None else int(k)
    gx, gy, _ = grid_points(terr, grid_m)
    if free:
        cand = np.column_stack([gx, gy])
    else:
        cand = np.asarray(candidates_xy, dtype=np.float64).reshape(-1, 2)
        if cand.shape[0] == 0 or not np.all(np.isfinite(cand)):
            msg = "The candidate sites must be a non-empty list of (x_m, y_m) pairs with numeric coordinates."
            raise LayerError(msg)
    cand_tree = cKDTree(cand)
    used = np.zeros(cand.shape[0], dtype=bool)
    tol = r * (1.0 + 1e-9)

    cur_x, cur_y = sx.copy(), sy.copy()
    dmax, wx, wy = _max_d1(cur_x, cur_y, terr)
    history = [dmax]
    new: list[tuple[float, float]] = []
    stop_note = ""
    while dmax > tol and len(new) < limit:
        unc = _d1(cur_x, cur_y, gx, gy) > r
        unc_tree = cKDTree(np.column_stack([gx[unc], gy[unc]])) if unc.any() else None
        if strategy == "largest_empty_circle" and free:
            site = (wx, wy)
        else:
            pool = np.array(cand_tree.query_ball_point([wx, wy], r), dtype=np.int64)
            pool = pool[~used[pool]] if pool.size else pool
            if strategy == "largest_empty_circle":
                pool = np.flatnonzero(~used)
                pool = pool[np.argsort(np.hypot(cand[pool, 0] - wx, cand[pool, 1] - wy))[:1]]
            elif not free and pool.size == 0:
                pool = np.flatnonzero(~used)  # no site reaches the worst point: cover what we can
            sites = cand[pool]
            if free:
                sites = np.vstack([[wx, wy], sites])
            if sites.shape[0] == 0:
                stop_note = "every candidate site was used"
                break
            score = (
                np.asarray(unc_tree.query_ball_point(sites, r, return_length=True), dtype=np.float64)
                if unc_tree is not None
                else np.zeros(sites.shape[0])
            )
            dist_w = np.hypot(sites[:, 0] - wx, sites[:, 1] - wy)
            reaches = dist_w <= r
            best = int(np.lexsort((dist_w, -score))[0])
            if score[best] == 0 and not reaches[best]:
                stop_note = "no remaining candidate site covers any uncovered area"
                break
            site = (float(sites[best, 0]), float(sites[best, 1]))
            if not free or best > 0:
                used[pool[best - (1 if free else 0)]] = True
        new.append(site)
        cur_x, cur_y = np.append(cur_x, site[0]), np.append(cur_y, site[1])
        dmax, wx, wy = _max_d1(cur_x, cur_y, terr)
        history.append(dmax)
        log.debug("propose_stations: step %d at (%.0f, %.0f), max distance now %.0f m", len(new), *site, dmax)
    met = dmax <= tol
    nx = np.array([p[0] for p in new], dtype=np.float64)
    ny = np.array([p[1] for p in new], dtype=np.float64)
    n_greedy = nx.size
    if improve and nx.size:
        fixed = np.column_stack([sx, sy])
        if k is None and met:
            better = _improve(
                fixed, np.column_stack([nx, ny]), terr, tol, np.column_stack([gx, gy]), move=free
            )
        elif free:
            better = _relax(fixed, np.column_stack([nx, ny]), terr)[0]
        else:
            better = np.column_stack([nx, ny])
        nx, ny = better[:, 0].copy(), better[:, 1].copy()
        allx, ally = np.concatenate([sx, nx]), np.concatenate([sy, ny])
        dmax = _max_d1(allx, ally, terr)[0]
        met = dmax <= tol
    n_removed = n_greedy - nx.size

    noise_old, _ = _noise(station_noise_um, sx.size, DEFAULT_NOISE_UM) if sx.size else (np.zeros(0), 0)
    noise_new = np.full(nx.size, check_positive(new_station_noise_um, "new_station_noise_um"))
    warn_terr = terr
    if key_areas is not None:
        geoms = list(key_areas.values()) if isinstance(key_areas, Mapping) else list(key_areas)
        warn_terr = as_territory(shapely.union_all(geoms), what="key areas")[0]
    wgx, wgy, _ = grid_points(warn_terr, grid_m)

    def metrics(x: Float, y: Float, noise: Float) -> SitingMetrics:
        d, ax, ay = _max_d1(x, y, terr)
        lg = np.log10(2.0 * noise) + 3.0
        mc = _mc(_Stations.of(x, y, lg), gx, gy, _calibration("hutton_boore", "epicentral"), depth_km=depth_km,
                 n_req=n_stations)
        if x.size >= 4:
            dk = cKDTree(np.column_stack([x, y])).query(np.column_stack([wgx, wgy]), k=4)[0][:, -1] / 1000.0
            alert = np.sqrt(dk**2 + depth_km**2) / 6.0 + processing_delay_s
            wshare = float(np.mean(alert <= alert_within_s))
        else:
            wshare = 0.0
        return SitingMetrics(
            n_stations=int(x.size),
            max_distance_m=d,
            worst_x_m=ax,
            worst_y_m=ay,
            p95_distance_m=float(np.percentile(_d1(x, y, gx, gy), 95, method="inverted_cdf"))
            if x.size
            else math.inf,
            detection_share=float(np.mean(mc <= target_ml + 1e-12)),
            warning_share=wshare,
        )

    before = metrics(sx, sy, noise_old)
    after = metrics(
        np.concatenate([sx, nx]), np.concatenate([sy, ny]), np.concatenate([noise_old, noise_new])
    )
    improved = f" ({n_removed} fewer after local improvement)" if n_removed else ""
    how = "at the candidate sites given" if not free else f"anywhere in the territory ({grid_m:g} m grid)"
    notes.append(
        f"Siting: greedy '{strategy}' placement {how} until every point is within {fmt_km(r)} of a station; "
        f"{nx.size} new station(s) proposed{improved}. "
        "A heuristic: a good layout, not a proven minimum."
    )
    if not met:
        why = stop_note or (f"the limit of {limit} new stations was reached")
        notes.append(f"The coverage radius is still not met ({fmt_km(dmax)} at worst): {why}.")
    notes.append(
        f"Before/after detection share: ML ≤ {target_ml:.1f} recorded by ≥{n_stations} stations, Hutton & Boore "
        f"calibration, noise {DEFAULT_NOISE_UM:g} μm where missing and {new_station_noise_um:g} μm at new stations, depth "
        f"{depth_km:g} km, amplitude ≥ 2× noise."
    )
    notes.extend(
        warning_assumptions(
            depth_km=depth_km, vp_km_s=6.0, vs_km_s=3.5, k=4, processing_delay_s=processing_delay_s
        )
    )
    notes.append(
        f"Before/after warning share: share of {'the key areas' if key_areas is not None else 'the territory'} "
        f"whose epicentres get the alert within {alert_within_s:g} s."
    )
    return SitingResult(
        new_x_m=nx,
        new_y_m=ny,
        strategy=strategy,
        max_radius_m=r,
        criterion_met=bool(met),
        max_distance_history_m=history,
        n_greedy=n_greedy,
        n_removed=n_removed,
        before=before,
        after=after,
        assumptions=notes,
    )
