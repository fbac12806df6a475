"""Greedy proposals for new seismic stations that close the coverage-radius, detection or warning gaps.

This is a heuristic, not an optimum: each step adds one station, chosen greedily, until the largest
distance from any point of the territory to its nearest station is within ``max_radius_m`` (or ``k``
stations were added); a local improvement pass then re-centres the new stations and drops those the
others make unnecessary. Optimal placement (the continuous k-centre / disc-cover problem) is NP-hard;
the farthest-point greedy alone is within a factor 2 of the optimal radius for the same count.
The detection and warning goals (every grid point recorded by n stations, or alerted in time) are a
multi-cover of the grid by discs of one new station's reach, closed by the greedy set multi-cover.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import shapely
from numpy.typing import ArrayLike
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from ..errors import LayerError
from ..model.messages import Both, Message
from .detection import _noise
from .inputs import (
    DEFAULT_NOISE_UM,
    Float,
    Territory,
    as_stations,
    as_territory,
    check_positive,
    grid_points,
)
from .lec import _lec_candidates, _unique_stations
from .magnitude import _calibration, hutton_boore_term
from .ranked import StationTerms, recorded_count
from .warning import WarningModel

__all__ = [
    "DetectionModel",
    "SiteOptions",
    "SitingMetrics",
    "SitingResult",
    "WarningGoal",
    "propose_stations",
]

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
        Share of the territory's grid where M_c ≤ ``target_ml`` (0 with fewer than ``n_stations`` stations).
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
        ``"cover_worst"`` or ``"largest_empty_circle"`` (radius goal), ``"detection"`` or ``"warning"``.
    max_radius_m
        The coverage radius aimed for; for the detection and warning goals, the reach of one new station
        (the distance within which it records the magnitude, or triggers in time).
    criterion_met
        Whether the goal holds afterwards (radius: every point of the territory within ``max_radius_m``).
    max_distance_history_m
        Radius goal: largest distance to the nearest station before and after each greedy step (before
        pruning). Detection and warning goals: the share of grid points recorded, likewise.
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


@dataclass(frozen=True, slots=True, kw_only=True)
class SiteOptions:
    """Where new stations may go and how hard the search tries.

    Attributes
    ----------
    k
        Number of stations to add (radius goal), or None for "as many as needed".
    candidates_xy
        Optional ``(m, 2)`` array of allowed sites (e.g. public land); otherwise sites are free.
    strategy
        ``{"largest_empty_circle", "cover_worst"}`` or None (see :func:`propose_stations`).
    grid_m
        Grid for uncovered area, free candidate sites and the before/after figures.
    max_new
        Safety cap on stations added when ``k`` is None.
    improve
        Run the local improvement pass.
    """

    k: int | None = None
    candidates_xy: ArrayLike | None = None
    strategy: Strategy | None = None
    grid_m: float = 1000.0
    max_new: int = 200
    improve: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class DetectionModel:
    """Monitoring capability settings (Hutton & Boore calibration): ML ≤ ``target_ml`` on ≥ ``n_stations``.

    Attributes
    ----------
    target_ml, depth_km, n_stations, snr
        Magnitude to record, focal depth, stations that must record it, amplitude over noise.
    station_noise_um, new_station_noise_um
        Noise of existing stations (None/NaN: ``default_noise_um``) and of the new ones, μm.
    default_noise_um
        Noise where an existing station has none.
    """

    target_ml: float = 1.0
    depth_km: float = 10.0
    n_stations: int = 4
    snr: float = 2.0
    station_noise_um: ArrayLike | None = None
    new_station_noise_um: float = DEFAULT_NOISE_UM
    default_noise_um: float = DEFAULT_NOISE_UM

    @property
    def n_required(self) -> int:
        """Stations that must record a point."""
        return int(self.n_stations)

    def reach_m(self) -> float:
        """Largest epicentral distance at which a new station records ML ``target_ml`` (0: nowhere)."""
        noise = check_positive(self.new_station_noise_um, "new_station_noise_um")
        lg = math.log10(self.snr * noise) + 3.0
        h = float(self.depth_km)
        if lg + float(hutton_boore_term(max(h, 1e-9))) > self.target_ml:
            return 0.0
        lo, hi = h, 2000.0
        for _ in range(60):  # the distance term grows with distance: bisection on the hypocentral distance
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if lg + float(hutton_boore_term(mid)) <= self.target_ml else (lo, mid)
        return math.sqrt(max(lo * lo - h * h, 0.0)) * 1000.0

    def recorded_by(self, sx: Float, sy: Float, px: Float, py: Float) -> np.ndarray:
        """Existing stations (at most ``n_required``) that record ML ``target_ml`` at each point."""
        n = self.n_required
        if sx.size == 0:
            return np.zeros(px.size, dtype=np.int64)
        noise, _ = _noise(self.station_noise_um, sx.size, self.default_noise_um)
        lg = np.log10(self.snr * noise) + 3.0
        calib = _calibration("hutton_boore", "epicentral")
        return recorded_count(StationTerms(sx, sy, lg), px, py, calib, depth_km=float(self.depth_km), n=n,
                              target_ml=self.target_ml)

    def sentence(self) -> str:
        """How a point counts as detected, for the report."""
        return Message("say.detection_rule_siting", ml=f"{self.target_ml:g}", n=self.n_stations,
                       noise=f"{self.default_noise_um:g}", new_noise=f"{self.new_station_noise_um:g}",
                       depth=f"{self.depth_km:g}", snr=f"{self.snr:g}")


@dataclass(frozen=True, slots=True, kw_only=True)
class WarningGoal:
    """Early-warning siting goal: every epicentre of the key areas alerted within ``alert_within_s``.

    Attributes
    ----------
    alert_within_s
        Alert time aimed for (s).
    model
        The timing model (:class:`~coverage_planner.seismic.WarningModel`: depth, wave speeds, stations that
        must trigger, processing delay).
    key_areas
        Areas the warning share is measured over (None: the territory).
    """

    alert_within_s: float = 10.0
    model: WarningModel = field(default_factory=WarningModel)
    key_areas: Mapping[str, BaseGeometry] | Sequence[BaseGeometry] | None = None

    @property
    def n_required(self) -> int:
        """Stations that must trigger."""
        return int(self.model.k)

    def reach_m(self) -> float:
        """Largest epicentral distance of the k-th station for an alert in time (0: no network is fast enough)."""
        m = self.model
        travel_km = (self.alert_within_s - m.processing_delay_s) * m.vp_km_s
        return math.sqrt(max(travel_km * travel_km - m.depth_km**2, 0.0)) * 1000.0

    def recorded_by(self, sx: Float, sy: Float, px: Float, py: Float) -> np.ndarray:
        """Existing stations (at most ``k``) close enough to trigger in time for each epicentre."""
        reach = self.reach_m()
        if sx.size == 0 or reach <= 0:
            return np.zeros(px.size, dtype=np.int64)
        near = cKDTree(np.column_stack([sx, sy])).query_ball_point(np.column_stack([px, py]), reach,
                                                                   return_length=True)
        return np.minimum(np.asarray(near, dtype=np.int64), self.n_required)

    def region(self, territory: Territory) -> Territory:
        """The key areas as one territory (the territory itself without key areas)."""
        if self.key_areas is None:
            return territory
        geoms = list(self.key_areas.values()) if isinstance(self.key_areas, Mapping) else list(self.key_areas)
        return as_territory(shapely.union_all(geoms), what="key areas")[0]

    def assumptions(self) -> list[str]:
        """The early-warning sentences of the report."""
        return self.model.assumptions()


Goal = Literal["radius", "detection", "warning"]


def _check_args(k: int | None, strategy: str) -> None:
    if strategy not in ("cover_worst", "largest_empty_circle"):
        msg = f"Unknown siting strategy {strategy!r}: use 'cover_worst' or 'largest_empty_circle'."
        raise LayerError(msg)
    if k is not None and int(k) < 0:
        msg = f"k = {k}: the number of stations to add cannot be negative."
        raise LayerError(msg)


def _candidate_sites(opts: SiteOptions, gx: Float, gy: Float) -> Float:
    if opts.candidates_xy is None:
        return np.column_stack([gx, gy])
    cand = np.asarray(opts.candidates_xy, dtype=np.float64).reshape(-1, 2)
    if cand.shape[0] == 0 or not np.all(np.isfinite(cand)):
        msg = "The candidate sites must be a non-empty list of (x_m, y_m) pairs with numeric coordinates."
        raise LayerError(msg)
    return cand


@dataclass(slots=True)
class _Greedy:
    """State of the farthest-point greedy of the radius goal."""

    cand: Float
    used: np.ndarray
    free: bool
    strategy: str
    r: float
    stop_note: str = ""


def _pick_radius_site(st: _Greedy, unc_xy: Float, wx: float, wy: float) -> tuple[float, float] | None:
    """The next station of the radius greedy (None: no site helps; ``st.stop_note`` says why)."""
    if st.strategy == "largest_empty_circle" and st.free:
        return wx, wy
    cand, r = st.cand, st.r
    pool = np.array(cKDTree(cand).query_ball_point([wx, wy], r), dtype=np.int64)
    pool = pool[~st.used[pool]] if pool.size else pool
    if st.strategy == "largest_empty_circle":
        pool = np.flatnonzero(~st.used)
        pool = pool[np.argsort(np.hypot(cand[pool, 0] - wx, cand[pool, 1] - wy))[:1]]
    elif not st.free and pool.size == 0:
        pool = np.flatnonzero(~st.used)  # no site reaches the worst point: cover what we can
    sites = np.vstack([[wx, wy], cand[pool]]) if st.free else cand[pool]
    if sites.shape[0] == 0:
        st.stop_note = Message("say.stop_all_candidates_used")
        return None
    score = (np.asarray(cKDTree(unc_xy).query_ball_point(sites, r, return_length=True), dtype=np.float64)
             if unc_xy.shape[0] else np.zeros(sites.shape[0]))
    dist_w = np.hypot(sites[:, 0] - wx, sites[:, 1] - wy)
    best = int(np.lexsort((dist_w, -score))[0])
    if score[best] == 0 and dist_w[best] > r:
        st.stop_note = Message("say.stop_no_candidate_helps")
        return None
    if not st.free or best > 0:
        st.used[pool[best - (1 if st.free else 0)]] = True
    return float(sites[best, 0]), float(sites[best, 1])


def _greedy_radius(sx: Float, sy: Float, terr: Territory, st: _Greedy, grid: tuple[Float, Float],
                   limit: int) -> tuple[list[tuple[float, float]], list[float]]:
    gx, gy = grid
    tol = st.r * (1.0 + 1e-9)
    cur_x, cur_y = sx.copy(), sy.copy()
    dmax, wx, wy = _max_d1(cur_x, cur_y, terr)
    history = [dmax]
    new: list[tuple[float, float]] = []
    while dmax > tol and len(new) < limit:
        unc = _d1(cur_x, cur_y, gx, gy) > st.r
        site = _pick_radius_site(st, np.column_stack([gx[unc], gy[unc]]), wx, wy)
        if site is None:
            break
        new.append(site)
        cur_x, cur_y = np.append(cur_x, site[0]), np.append(cur_y, site[1])
        dmax, wx, wy = _max_d1(cur_x, cur_y, terr)
        history.append(dmax)
        log.debug("propose_stations: step %d at (%.0f, %.0f), max distance now %.0f m", len(new), *site, dmax)
    return new, history


def _improve_radius(fixed: Float, new: Float, terr: Territory, *, r: float, grid_xy: Float,
                    free: bool, until_met: bool) -> Float:
    tol = r * (1.0 + 1e-9)
    if until_met:
        return _improve(fixed, new, terr, tol, grid_xy, move=free)
    if free:
        return _relax(fixed, new, terr)[0]
    return new


def _ball_counts(tree: cKDTree, centres: Float, r: float) -> Float:
    """How many of the tree's points lie within ``r`` of each centre (no lists built)."""
    return np.asarray(tree.query_ball_point(centres, r, return_length=True), dtype=np.float64)


def _greedy_recording(need: np.ndarray, grid_xy: Float, cand: Float, reach_m: float,
                      limit: int) -> tuple[list[int], list[float], str]:
    """Greedy multi-cover: each grid point needs ``need`` more stations within ``reach_m``.

    Each step takes the open point needing most and, among the sites that reach it (at most 256, evenly
    picked), the one within reach of most open points (ties: most points it completes, then nearest).
    """
    need = need.astype(np.int64).copy()
    used = np.zeros(cand.shape[0], dtype=bool)
    cand_tree, grid_tree = cKDTree(cand), cKDTree(grid_xy)
    chosen: list[int] = []
    history = [float(np.mean(need <= 0))]
    while (need > 0).any() and len(chosen) < limit:
        open_ = np.flatnonzero(need > 0)
        w = open_[int(np.argmax(need[open_]))]
        pool = np.array(cand_tree.query_ball_point(grid_xy[w], reach_m), dtype=np.int64)
        if pool.size == 0:
            return chosen, history, "some points lie farther than the reach of a new station from every site"
        fresh = pool[~used[pool]]
        pool = fresh if fresh.size else pool
        pool = pool[:: max(1, pool.size // 256)]
        # every point a pool site reaches lies within 2 reaches of w: count among those open points only
        near = np.asarray(grid_tree.query_ball_point(grid_xy[w], 2.0 * reach_m * (1.0 + 1e-9) + 1.0), dtype=np.int64)
        local = near[need[near] > 0]
        open_tree = cKDTree(grid_xy[local])
        gain = _ball_counts(open_tree, cand[pool], reach_m)
        last = local[need[local] == 1]  # points one station short: the ones a site completes
        done = _ball_counts(cKDTree(grid_xy[last]), cand[pool], reach_m) if last.size else np.zeros(pool.size)
        dist = np.hypot(*(cand[pool] - grid_xy[w]).T)
        best = int(np.lexsort((dist, -done, -gain))[0])
        site = int(pool[best])
        used[site] = True
        chosen.append(site)
        need[local[np.asarray(open_tree.query_ball_point(cand[site], reach_m), dtype=np.int64)]] -= 1
        history.append(float(np.mean(need <= 0)))
    return chosen, history, "" if not (need > 0).any() else Message("say.stop_limit", n=limit)


def _prune_recording(chosen: list[int], need0: np.ndarray, grid_xy: Float, cand: Float, reach_m: float) -> list[int]:
    """Drop proposed stations (earliest first) whose every recorded point keeps enough without them."""
    tree = cKDTree(grid_xy)
    reach = [np.asarray(tree.query_ball_point(cand[c], reach_m), dtype=np.int64) for c in chosen]
    count = np.zeros(grid_xy.shape[0], dtype=np.int64)
    for ix in reach:
        count[ix] += 1
    keep = []
    for c, ix in zip(chosen, reach, strict=True):
        surplus = (count[ix] - 1 >= need0[ix]) | (count[ix] < need0[ix])
        if surplus.all():
            count[ix] -= 1
        else:
            keep.append(c)
    return keep


def _notes_radius(strategy: str, opts: SiteOptions, *, r: float, n_new: int, n_removed: int) -> str:
    improved = (Both(f" ({n_removed} fewer after local improvement)", f"(局部优化后减少 {n_removed} 个)")
                if n_removed else Both("", ""))
    how = (Both("at the candidate sites given", "在给定的候选站址中") if opts.candidates_xy is not None
           else Both(f"anywhere in the territory ({opts.grid_m:g} m grid)", f"在全域任意位置(网格 {opts.grid_m:g} 米)"))
    return Message("say.siting_radius", strategy=strategy, how=how, r_km=f"{r / 1000.0:.3g}", n=n_new, improved=improved)


def _notes_recording(goal: Goal, model: DetectionModel | WarningGoal, *, reach_m: float, n_new: int,
                     n_removed: int) -> str:
    what = (Both(f"{model.n_required} stations record ML {model.target_ml:g}",
                 f"有 {model.n_required} 个台站记录到 ML{model.target_ml:g}") if isinstance(model, DetectionModel)
            else Both(f"the alert comes within {model.alert_within_s:g} s", f"能在 {model.alert_within_s:g} 秒内收到预警"))
    improved = (Both(f" ({n_removed} fewer after dropping redundant ones)", f"(去掉多余台站后减少 {n_removed} 个)")
                if n_removed else Both("", ""))
    return Message("say.siting_recording", goal=_goal_words(goal), what=what,
                   reach_km=f"{reach_m / 1000.0:.3g}", n=n_new, improved=improved)


def _goal_words(goal: str) -> Both:
    """A siting goal in both languages, for the report's sentences."""
    return Both(goal, {"radius": "覆盖半径", "detection": "监测", "warning": "预警"}.get(goal, goal))


@dataclass(frozen=True, slots=True)
class _Plan:
    """Proposed sites and how the search went, whatever the goal."""

    new_xy: Float
    history: list[float]
    n_greedy: int
    met: bool
    radius_m: float
    note: str
    stop_note: str
    strategy: str


def _plan_radius(sx: Float, sy: Float, terr: Territory, *, r: float, opts: SiteOptions,
                 grid: tuple[Float, Float]) -> _Plan:
    k = opts.k
    free = opts.candidates_xy is None
    strategy = opts.strategy or ("largest_empty_circle" if free else "cover_worst")
    _check_args(k, strategy)
    cand = _candidate_sites(opts, *grid)
    st = _Greedy(cand=cand, used=np.zeros(cand.shape[0], dtype=bool), free=free, strategy=strategy, r=r)
    limit = int(opts.max_new) if k is None else int(k)
    new, history = _greedy_radius(sx, sy, terr, st, grid, limit)
    tol = r * (1.0 + 1e-9)
    xy = np.array(new, dtype=np.float64).reshape(-1, 2)
    met = history[-1] <= tol
    if opts.improve and xy.shape[0]:
        xy = _improve_radius(np.column_stack([sx, sy]), xy, terr, r=r, grid_xy=np.column_stack(grid), free=free,
                             until_met=k is None and met)
        met = _max_d1(np.concatenate([sx, xy[:, 0]]), np.concatenate([sy, xy[:, 1]]), terr)[0] <= tol
    note = _notes_radius(strategy, opts, r=r, n_new=xy.shape[0], n_removed=len(new) - xy.shape[0])
    stop = st.stop_note or Message("say.stop_limit", n=limit)
    return _Plan(xy, history, len(new), bool(met), r, note, stop, strategy)


def _plan_recording(sx: Float, sy: Float, terr: Territory, *, goal: Goal, model: DetectionModel | WarningGoal,
                    opts: SiteOptions) -> _Plan:
    reach = model.reach_m()
    region = model.region(terr) if isinstance(model, WarningGoal) else terr
    gx, gy, _ = grid_points(region, opts.grid_m)
    grid_xy = np.column_stack([gx, gy])
    need0 = model.n_required - model.recorded_by(sx, sy, gx, gy)
    if reach <= 0:
        why = Message("say.stop_too_weak" if goal == "detection" else "say.stop_too_slow")
        return _Plan(np.zeros((0, 2)), [float(np.mean(need0 <= 0))], 0, bool((need0 <= 0).all()), 0.0,
                     Message("say.siting_impossible", goal=_goal_words(goal), why=why), why, goal)
    cand = _candidate_sites(opts, gx, gy)
    chosen, history, stop = _greedy_recording(need0, grid_xy, cand, reach, int(opts.max_new))
    kept = _prune_recording(chosen, need0, grid_xy, cand, reach) if opts.improve else chosen
    note = _notes_recording(goal, model, reach_m=reach, n_new=len(kept), n_removed=len(chosen) - len(kept))
    return _Plan(cand[kept].reshape(-1, 2), history, len(chosen), not stop, reach, note, stop, goal)


def _metrics(x: Float, y: Float, terr: Territory, *, grid: tuple[Float, Float], detection: DetectionModel,
             warning: WarningGoal, warn_grid: tuple[Float, Float]) -> SitingMetrics:
    gx, gy = grid
    d, ax, ay = _max_d1(x, y, terr)
    det = detection.recorded_by(x, y, gx, gy) >= detection.n_required
    wrn = warning.recorded_by(x, y, *warn_grid) >= warning.n_required
    return SitingMetrics(
        n_stations=int(x.size), max_distance_m=d, worst_x_m=ax, worst_y_m=ay,
        p95_distance_m=float(np.percentile(_d1(x, y, gx, gy), 95, method="inverted_cdf")) if x.size else math.inf,
        detection_share=float(np.mean(det)) if det.size else 0.0,
        warning_share=float(np.mean(wrn)) if wrn.size and x.size >= warning.n_required else 0.0,
    )


def propose_stations(
    station_x_m: ArrayLike,
    station_y_m: ArrayLike,
    territory: BaseGeometry,
    *,
    max_radius_m: float | None = None,
    goal: Goal = "radius",
    options: SiteOptions | None = None,
    detection: DetectionModel | None = None,
    warning: WarningGoal | None = None,
) -> SitingResult:
    """Greedily propose new stations until the goal holds: a coverage radius, detection, or early warning.

    ``goal="radius"`` (needs ``max_radius_m``): each step finds the point of the territory farthest from
    every station (the centre of the largest empty circle, exact) and then:

    * ``strategy="largest_empty_circle"``: puts the station at that point (with ``candidates_xy``: the
      unused candidate nearest to it). The classic farthest-point greedy (within a factor 2 of the best
      radius for the same count). Default for free placement.
    * ``strategy="cover_worst"``: among the sites within ``max_radius_m`` of that point (the point
      itself and the cells of a ``grid_m`` grid, or ``candidates_xy``), takes the one covering most
      still-uncovered grid area; with candidate sites, when none reaches the point, the one covering
      most uncovered area. Default with ``candidates_xy``.

    After the improvement pass both rules give about the same counts (within ±2 stations on Zhengzhou
    for 6–40 new stations). With ``options.k=None`` it stops as soon as the criterion holds; then, if
    ``improve``, a local search repeatedly removes the proposed station whose loss hurts least and moves
    the remaining new stations to the centres of the smallest circles around their Voronoi cells (minimax
    Lloyd moves; existing stations never move), keeping the removal while the criterion still holds. The
    count returned is the fewest *this heuristic* finds, not a proven minimum (a 50 × 50 km square, no
    stations, 12 km radius: 25 from the farthest-point pass, 9 after improvement — optimal, 8 discs cannot
    cover it). With ``k`` it stops after ``k`` stations or when the criterion holds, whichever is first,
    and ``improve`` only re-centres them. With ``candidates_xy`` stations stay on candidate sites.

    ``goal="detection"`` / ``goal="warning"``: every point of the ``grid_m`` grid (over the territory, or
    the warning model's key areas) must be recorded by ``n_stations`` stations (ML ``target_ml``) or
    reached by the ``k``-th station in time for the alert. A new station records the points within its
    reach (the distance at which it records ``target_ml``, or at which the alert still comes in time), so
    closing the gap is a multi-cover: each step takes the point needing most stations and, among the
    sites reaching it, the one reaching most points still short (greedy set multi-cover, within a factor
    ln(points) of the fewest); ``improve`` then drops stations every point can do without. ``k`` and
    ``max_radius_m`` are not used.

    Parameters
    ----------
    station_x_m, station_y_m
        Existing stations, metres (may be empty).
    territory
        Polygon or MultiPolygon, same CRS.
    max_radius_m
        Coverage radius of ``goal="radius"``, e.g. S/√3 = 17.3 km for "spacing < 30 km".
    goal
        ``{"radius", "detection", "warning"}``.
    options
        :class:`SiteOptions`: candidate sites, strategy, grid, cap, improvement.
    detection, warning
        :class:`DetectionModel` and :class:`WarningGoal`: the goal's settings, and those of the
        before/after detection and warning shares.

    Returns
    -------
    SitingResult
    """
    opts = options or SiteOptions()
    det = detection or DetectionModel()
    wrn = warning or WarningGoal()
    sx, sy = as_stations(station_x_m, station_y_m, min_n=0)
    terr, notes = as_territory(territory)
    gx, gy, _ = grid_points(terr, opts.grid_m)
    if goal == "radius":
        if max_radius_m is None:
            msg = "The radius goal needs max_radius_m: the largest distance from any point to its nearest station."
            raise LayerError(msg)
        r = check_positive(max_radius_m, "max_radius_m")
        plan = _plan_radius(sx, sy, terr, r=r, opts=opts, grid=(gx, gy))
    elif goal in ("detection", "warning"):
        plan = _plan_recording(sx, sy, terr, goal=goal, model=det if goal == "detection" else wrn, opts=opts)
    else:
        msg = f"Unknown siting goal {goal!r}: use 'radius', 'detection' or 'warning'."
        raise LayerError(msg)
    nx, ny = plan.new_xy[:, 0].copy(), plan.new_xy[:, 1].copy()
    wgx, wgy, _ = grid_points(wrn.region(terr), opts.grid_m)
    before = _metrics(sx, sy, terr, grid=(gx, gy), detection=det, warning=wrn, warn_grid=(wgx, wgy))
    after = _metrics(np.concatenate([sx, nx]), np.concatenate([sy, ny]), terr,
                     detection=replace(det, station_noise_um=_all_noise(det, sx.size, nx.size)),
                     grid=(gx, gy), warning=wrn, warn_grid=(wgx, wgy))
    notes.append(plan.note)
    if not plan.met:
        notes.append(Message("say.siting_not_met", goal=_goal_words(goal), why=plan.stop_note))
    notes.append(Message("say.siting_detection_share", rule=det.sentence()))
    notes.extend(wrn.assumptions())
    where = (Both("the key areas", "重点地区") if wrn.key_areas is not None else Both("the territory", "全域"))
    notes.append(Message("say.siting_warning_share", where=where, s=f"{wrn.alert_within_s:g}"))
    return SitingResult(new_x_m=nx, new_y_m=ny, strategy=plan.strategy, max_radius_m=plan.radius_m,
        criterion_met=plan.met, max_distance_history_m=plan.history, n_greedy=plan.n_greedy,
        n_removed=plan.n_greedy - nx.size, before=before, after=after, assumptions=notes)


def _all_noise(det: DetectionModel, n_old: int, n_new: int) -> Float:
    old = _noise(det.station_noise_um, n_old, det.default_noise_um)[0] if n_old else np.zeros(0)
    return np.concatenate([old, np.full(n_new, check_positive(det.new_station_noise_um, "new_station_noise_um"))])
