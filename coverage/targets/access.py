"""Access kinds: ``walk_access``, ``catchment_capacity``, ``radius_coverage``.

The walking network is loaded once per run (cached on disk by the network engine), population
cells are snapped to it once, and each facility type costs one multi-source shortest-path pass.
Without a network in the layer set, straight-line distance × a detour factor is used and every
result says it is approximate.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import scipy
import shapely
from numpy.typing import NDArray
from scipy import sparse
from scipy.spatial import cKDTree

from .. import network as net
from .._io import network_cache_dir
from ..array_cache import array_cache_dir, cached_arrays, content_key, source_digest
from ..model.messages import Both, Code, Message
from ..model.population import PopulationGrid
from ..model.readers import require_numeric
from ..model.results import FAIL, PASS, Gap, TargetResult, UnitResult, fmt_number
from ..model.scenario import TargetSpec
from ..model.words import a_or_an, words
from ..network import straight_line
from ..network.snap_cache import cached_snap_points, snap_cache_key
from ..network.straight_line import any_within_m
from .base import (
    EvalContext,
    cell_index,
    describe_where,
    facility_words,
    level_labels,
    meets,
    new_result,
    population_group,
    units_for,
)
from .catchment_methods import check_method, method_access
from .equity import UnitSums, equity_for
from .ratio import capacity_label

#: Facilities that are areas (parks, squares) are entered from points this far apart on their edge.
ENTRANCE_SPACING_M = 100.0


def network_for(ctx: EvalContext, mode: str) -> net.WalkGraph | None:
    """The layer set's network for ``mode`` ({"walk", "bike"}), or None when it has none."""
    key = f"network:{mode}"
    if key not in ctx.cache and mode == "walk":  # the region's own (its data checks loaded it): loaded once
        ctx.cache[key] = ctx.region.walk_graph()
    if key not in ctx.cache:
        spec = ctx.region.spec
        src = spec.networks.get(mode) or spec.networks.get("walk")
        ctx.cache[key] = None if src is None else net.load_walk_network(
            src.path, crs=ctx.region.crs.to_string(), cache_dir=network_cache_dir(), mode=mode)
    return ctx.cache[key]


def demand_snap(ctx: EvalContext, graph: net.WalkGraph, mode: str) -> net.Snap:
    """Population cells snapped onto the network (once per run and mode; cached on disk with the network)."""
    key = f"snap:{mode}"
    if key not in ctx.cache:
        pop = ctx.region.population
        ctx.cache[key] = cached_snap_points(graph, pop.x_m, pop.y_m, cache_dir=network_cache_dir())
        ctx.region.network_islands_note(graph, ctx.cache[key].on_dropped_piece, mode=mode)  # into the data notes
        snap = ctx.cache[key]
        if snap.off_ground_fallback is not None:
            homes = int((snap.off_ground_fallback & (pop.total > 0)).sum())
            _off_ground_note(ctx, "note.off_ground_homes", homes, snap, mode)
    return ctx.cache[key]


def facility_snap(ctx: EvalContext, graph: net.WalkGraph, fac: gpd.GeoDataFrame, *, mode: str, role: str) -> net.Snap:
    """Facility entrances snapped onto the network (cached on disk); facilities that could only be placed on a
    tunnel or bridge (every entrance) go into the data notes."""
    fx, fy, owner = facility_entrances(fac)
    snap = cached_snap_points(graph, fx, fy, owner=owner, n_owners=len(fac), cache_dir=network_cache_dir())
    if snap.off_ground_fallback is not None and len(fac):
        ground = np.bincount(owner, weights=~snap.off_ground_fallback, minlength=len(fac))
        only_off = int(((ground == 0) & (np.bincount(owner, minlength=len(fac)) > 0)).sum())
        _off_ground_note(ctx, "note.off_ground_facilities", only_off, snap, mode, layer=Code(role))
    return snap


def _off_ground_note(ctx: EvalContext, key: str, n: int, snap: net.Snap, mode: str, **more: object) -> None:
    """A data note (both languages, from the catalogue) for points placed on a tunnel or bridge; once per run."""
    if n <= 0:
        return
    note = Message(key, n=n, radius_m=snap.max_snap_m, mode=Message(f"mode.{mode}"), **more)
    if note not in ctx.region.notes:
        ctx.region.notes.append(note)


def facility_entrances(fac: gpd.GeoDataFrame) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """Entrance points of each facility: the point itself, or points along an area's edge."""
    geoms = fac.geometry.values
    is_area = np.isin(shapely.get_type_id(geoms), [3, 6])  # Polygon, MultiPolygon
    xs, ys, owner = [], [], []
    pts = shapely.point_on_surface(geoms[~is_area]) if (~is_area).any() else np.array([], dtype=object)
    idx = np.flatnonzero(~is_area)
    xs.append(shapely.get_x(pts))
    ys.append(shapely.get_y(pts))
    owner.append(idx)
    if is_area.any():
        rings = shapely.segmentize(shapely.boundary(geoms[is_area]), ENTRANCE_SPACING_M)
        coords, ring_idx = shapely.get_coordinates(rings, return_index=True)
        xs.append(coords[:, 0])
        ys.append(coords[:, 1])
        owner.append(np.flatnonzero(is_area)[ring_idx])
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(owner).astype(np.int64)


def ball_pairs(points_x: NDArray[np.float64], points_y: NDArray[np.float64], centre_x: NDArray[np.float64],
               centre_y: NDArray[np.float64], radius_m: float | NDArray[np.float64]) -> sparse.csr_array:
    """Sparse point x centre matrix, true where the point lies within ``radius_m`` of the centre.

    ``radius_m`` may be one value or one per centre (KD-tree ball queries; no per-point Python loop).
    """
    tree = cKDTree(np.column_stack([points_x, points_y]))
    hits = tree.query_ball_point(np.column_stack([centre_x, centre_y]), r=radius_m)
    lengths = np.fromiter((len(h) for h in hits), dtype=np.int64, count=len(hits))
    cols = np.repeat(np.arange(len(hits)), lengths)
    rows = np.concatenate([np.asarray(h, dtype=np.int64) for h in hits]) if lengths.sum() else np.zeros(0, np.int64)
    return sparse.csr_array((np.ones(rows.size, dtype=bool), (rows, cols)), shape=(len(points_x), len(hits)))


@dataclass
class Demand:
    """The people a target is about: weights per cell, restricted to the cells it covers."""

    weight: NDArray[np.float64]
    level: str
    units: gpd.GeoDataFrame
    cell_unit: NDArray[np.int64]
    group_en: str
    group_zh: str
    #: Who counts, in words (one sentence each), empty for everyone.
    scope: tuple[str, ...]


def demand_for(spec: TargetSpec, ctx: EvalContext) -> Demand:
    """Population weights per cell, zero outside the target's scope (classes, area, outside_area)."""
    counts, grp_zh, grp_en = population_group(ctx, spec)
    level = spec.param("level")
    units = units_for(ctx, spec, level)
    idx = cell_index(ctx, level, units)
    keep = idx >= 0
    scope = []
    classes = spec.param("classes")
    if classes:
        ok_unit = units["class"].isin(classes).to_numpy()
        keep &= np.where(idx >= 0, ok_unit[np.clip(idx, 0, None)], False)
        scope.append(Message("say.scope_class", level=Both(*reversed(level_labels(level, classes))))
                     if len(classes) == 1 else
                     Message("say.scope_classes", level=Both(*reversed(level_labels(level))),
                             classes=Both(", ".join(words(c) for c in classes), "、".join(words(c, "zh") for c in classes))))
    for key, inside in (("area", True), ("outside_area", False)):
        name = spec.param(key)
        if name:
            area = ctx.region.area(name, purpose=Message("err.for_target", tid=spec.id))
            hit = ctx.region.cells_in(area) >= 0
            keep &= hit if inside else ~hit
            scope.append(Message("say.scope_inside" if inside else "say.scope_outside",
                                 area=Both(*reversed(level_labels(name)))))
    return Demand(np.where(keep, counts, 0.0), level, units, idx, grp_en, grp_zh, tuple(scope))


def unit_shares(demand: Demand, good: NDArray[np.bool_], spec: TargetSpec) -> list[UnitResult]:
    """Per unit: share of the demand that is served (value) and the people not served (gap)."""
    n = len(demand.units)
    unit_sum = UnitSums(demand.cell_unit, n)
    tot = unit_sum(demand.weight)
    served = unit_sum(demand.weight * good)
    units = demand.units
    live = np.flatnonzero(tot > 0)
    ids, names, classes = (units[c].to_numpy()[live] for c in ("unit_id", "name", "class"))  # columns, not rows
    parents = units["parent_id"].to_numpy()[live] if "parent_id" in units.columns else np.full(live.size, "")
    # per unit as Python floats, each the same number the scalar expression gives (IEEE division and rounding)
    shares = (served[live] / tot[live]).tolist()
    gaps = np.round(tot[live] - served[live]).tolist()
    people, supply = tot[live].tolist(), served[live].tolist()
    return [UnitResult(level=demand.level, unit_id=str(ids[k]), name=str(names[k]), unit_class=str(classes[k]),
                       parent_id=str(parents[k]), value=share, threshold=spec.threshold_min,
                       status=PASS if meets(share, spec) else FAIL, gap=gaps[k], population=people[k], supply=supply[k])
            for k, share in enumerate(shares)]


def _share_result(spec: TargetSpec, ctx: EvalContext, demand: Demand, good: NDArray[np.bool_], *, what_en: str,
                  what_zh: str, method_note: list[str], approximate: bool) -> TargetResult:
    total = float(demand.weight.sum())
    served = float(demand.weight[good].sum())
    share = served / total if total > 0 else None
    units = unit_shares(demand, good, spec)
    levels = ctx.region.levels
    if demand.level in levels:  # also every coarser level (districts above streets), for the breakdown
        for coarse in levels[: levels.index(demand.level)]:
            up = Demand(demand.weight, coarse, ctx.region.units[coarse], ctx.region.cell_unit[coarse],
                        demand.group_en, demand.group_zh, demand.scope)
            units = unit_shares(up, good, spec) + units
    lvl_zh, lvl_en = level_labels(demand.level, spec.param("classes"))
    if share is None:
        return new_result(spec, status="no_data", value=None, level=demand.level, unit_en="%", unit_zh="%",
                          summary_en="No people in the target's scope.", summary_zh="指标范围内无人口。",
                          region=ctx.region)
    status = PASS if meets(share, spec) else FAIL
    unserved = total - served
    res = new_result(spec, status=status, value=share, level=demand.level, unit_en="%", unit_zh="%",
                     summary_en=f"{share * 100:.1f} % of {fmt_number(round(total))} {demand.group_en} {what_en}; "
                                f"{fmt_number(round(unserved))} do not.",
                     summary_zh=f"{fmt_number(round(total))} {demand.group_zh}中 {share * 100:.1f}% {what_zh};"
                                f"{fmt_number(round(unserved))} 人未覆盖。", region=ctx.region)
    res.unit_en = res.unit_zh = "%"  # the value is a share of people, whatever the norm's unit
    res.units = units
    res.approximate = approximate
    res.assumptions.extend(method_note)
    res.assumptions.extend(Message("say.scope", scope=part) for part in demand.scope)
    res.details = {"population": total, "served": served, "unserved": unserved}
    cells = np.flatnonzero(~good & (demand.weight > 0))
    pop = ctx.region.population
    if ctx.want_geo:  # only maps draw it
        res.geo["uncovered_cells"] = gpd.GeoDataFrame({"people": demand.weight[cells], "cell": cells},
                                                      geometry=shapely.points(pop.x_m[cells], pop.y_m[cells]),
                                                      crs=ctx.region.crs)
    failing = sorted((u for u in units if u.status == FAIL and u.level == demand.level), key=lambda u: -u.gap)
    if status == FAIL or failing:
        top = "; ".join(f"{u.name} {fmt_number(u.gap)}" for u in failing[:5])
        top_zh = ";".join(f"{u.name} {fmt_number(u.gap)} 人" for u in failing[:5])
        res.gap = Gap(quantity=float(round(unserved)), unit_en=f"{demand.group_en} not served",
                      unit_zh=f"未覆盖{demand.group_zh}",
                      text_en=f"{fmt_number(round(unserved))} {demand.group_en} are not served; {len(failing)} "
                              f"{lvl_en} units below target" + (f", most in {top}" if top else "") + ".",
                      text_zh=f"{fmt_number(round(unserved))} 名{demand.group_zh}未覆盖;{len(failing)} 个{lvl_zh}未达标"
                              + (f",最多:{top_zh}" if top_zh else "") + "。")
    return res


def _distance_m(spec: TargetSpec) -> tuple[float, str]:
    mode = spec.param("mode")
    default_speed = net.BIKE_SPEED_M_PER_MIN if mode == "bike" else net.WALK_SPEED_M_PER_MIN
    speed = float(spec.param("speed_m_per_min", default_speed))
    if spec.param("distance_m") is not None:
        d = float(spec.param("distance_m"))
        return d, f"{d:,.0f} m"
    minutes = float(spec.param("minutes"))
    return minutes * speed, f"{minutes:g} min at {speed:g} m/min = {minutes * speed:,.0f} m"


def _distance_zh(spec: TargetSpec) -> str:
    """The distance of :func:`_distance_m` in Chinese ('步行 15 分钟(每分钟 250 米,共 3,750 米)')."""
    d, _ = _distance_m(spec)
    if spec.param("distance_m") is not None:
        return f"{d:,.0f} 米"
    verb = "骑行" if spec.param("mode") == "bike" else "步行"
    return f"{verb} {float(spec.param('minutes')):g} 分钟(共 {d:,.0f} 米)"


def evaluate_walk_access(spec: TargetSpec, ctx: EvalContext) -> TargetResult:
    """Share of the population within a walk (or ride) of at least one facility, on the network."""
    mode = spec.param("mode")
    cutoff_m, dist_txt = _distance_m(spec)
    fac = ctx.facilities(spec)
    demand = demand_for(spec, ctx)
    graph = network_for(ctx, mode)
    fx, fy, owner = facility_entrances(fac)
    pop = ctx.region.population
    verb = "cycle" if mode == "bike" else "walk"
    note: list[str]
    if graph is None:
        acc = net.straight_line_access(pop.x_m, pop.y_m, fx, fy, distance_m=cutoff_m)
        note = [Message("say.no_network", mode=Code(mode), factor=net.DEFAULT_DETOUR_FACTOR,
                        distance=Both(dist_txt, _distance_zh(spec)))]
    else:
        cells = demand_snap(ctx, graph, mode)
        fsnap = facility_snap(ctx, graph, fac, mode=mode, role=spec.param("layer"))
        acc = net.access_from_distances(graph, cells, nearest_distances(ctx, graph, cells, fsnap, cutoff_m=cutoff_m),
                                        cutoff_m=cutoff_m)
        note = [acc.note]
        if mode == "bike":
            note.append(Message("say.bike_both_ways"))
        w = demand.weight
        no_net = float(w[acc.no_network_access].sum())
        dropped = float(w[acc.on_dropped_piece].sum())
        if no_net > 0:
            note.append(Message("say.no_network_access", people=fmt_number(round(no_net)),
                                max_m=f"{cells.max_snap_m:.0f}"))
        if dropped > 0:
            note.append(Message("say.on_dropped_piece", people=fmt_number(round(dropped))))
        if ctx.want_geo:
            area = net.service_area(graph, fsnap, cutoff_m=cutoff_m)
            res_geo = gpd.GeoDataFrame({"name": [spec.param("layer")]}, geometry=[area], crs=ctx.region.crs)
    filt = describe_where(spec.param("where"))
    words_zh, words_en = facility_words(spec)
    what = words_en + (f" ({filt})" if filt and not spec.param("facility_label") else "")
    res = _share_result(spec, ctx, demand, acc.covered, what_en=f"can {verb} to {a_or_an(what)} within {dist_txt}",
                        what_zh=f"在{_distance_zh(spec)}内可达{words_zh}", method_note=note, approximate=acc.approximate)
    res.details.update({"cutoff_m": cutoff_m, "mode": mode, "facilities": len(fac), "method": acc.method})
    res.details["equity"] = equity_for(ctx, demand, value=acc.distance_m, good=acc.covered,  # issue 21
                                       value_name="walking distance (m)", good_name=f"within {dist_txt}")
    if graph is not None:
        res.details["no_network_access"] = float(demand.weight[acc.no_network_access].sum())
        if ctx.want_geo:
            res.geo["service_area"] = res_geo
    res.geo["facilities"] = fac
    return res


def evaluate_catchment_capacity(spec: TargetSpec, ctx: EvalContext) -> TargetResult:
    """Capacity reachable per person within a catchment (2SFCA / E2SFCA); share of people at the norm."""
    mode = spec.param("mode")
    catchment_m = float(spec.param("catchment_m"))
    norm = float(spec.param("norm"))
    per = float(spec.param("per"))
    fac = ctx.facilities(spec)
    role = spec.param("layer")
    cap = require_numeric(fac, spec.param("capacity"), role=role, where=ctx.region.spec.facilities[role].where(),
                          purpose=Message("err.for_capacity", tid=spec.id))
    demand = demand_for(spec, ctx)
    graph = network_for(ctx, mode)
    decay = spec.param("decay")
    pop = ctx.region.population
    method = check_method(spec.param("method"), spec.id)  # issue 21: 3sfca / raam in targets/catchment_methods.py
    note: list[str]
    if method != "2sfca":
        acc, method_text, approximate = method_access(method, ctx, spec=spec, graph=graph,
                                                      demand_weight=demand.weight, capacity=cap,
                                                      catchment_m=catchment_m)
        note = [method_text]
    elif graph is None:
        # straight-line 2SFCA: an approximate fallback on KD-tree pairs
        fx, fy, _ = facility_entrances(fac)
        acc = _straight_2sfca(pop.x_m, pop.y_m, demand.weight, fx, fy, cap, catchment_m / net.DEFAULT_DETOUR_FACTOR)
        note = [Message("say.no_network_catchment", factor=net.DEFAULT_DETOUR_FACTOR, m=f"{catchment_m:,.0f}")]
        approximate = True
    else:
        cells = demand_snap(ctx, graph, mode)
        fsnap = facility_snap(ctx, graph, fac, mode=mode, role=role)
        acc = catchment_accessibility(ctx, graph, cells, fsnap, demand.weight, cap, catchment_m=catchment_m, decay=decay)
        note = [Message("say.two_step_decay" if decay else "say.two_step", decay=str(decay),
                        cap=Both(*reversed(capacity_label(spec.param("capacity"), measure=False))), m=f"{catchment_m:,.0f}")]
        approximate = False
    per_person = acc * per
    good = per_person >= norm - 1e-9
    cap_zh, cap_en = capacity_label(spec.param("capacity"))
    unit = spec.unit_en or f"{cap_en} per {'person' if per == 1 else f'{per:g} people'}"
    res = _share_result(spec, ctx, demand, good, what_en=f"have ≥ {norm:g} {unit} within {catchment_m:,.0f} m",
                        what_zh=f"在 {catchment_m:,.0f} 米内人均可达 ≥ {norm:g}", method_note=note,
                        approximate=approximate)
    w = demand.weight
    mean = float((per_person * w).sum() / w.sum()) if w.sum() > 0 else None
    res.details.update({"norm": norm, "catchment_m": catchment_m, "mean_per_person": mean,
                        "capacity_total": float(cap.sum())})
    if method != "2sfca":
        res.details["method"] = method
    res.details["equity"] = equity_for(ctx, demand, value=per_person, good=good, value_name=unit,  # issue 21
                                       good_name=f"at least {norm:g} {unit}")
    res.assumptions.append(Message("say.norm", norm=f"{norm:g}", mean=fmt_number(mean),
                                   unit=Both(unit, spec.unit_zh or _per_zh(cap_zh, per))))
    res.geo["facilities"] = fac
    if res.gap is not None:  # the planner's unit: capacity missing, not people
        short = float((np.maximum(norm - per_person, 0.0) * w).sum() / per)
        below = float(w[~good].sum())
        res.details["capacity_missing"] = short
        res.gap = Gap(quantity=round(short), unit_en=f"{cap_en} missing", unit_zh=f"缺少{cap_zh}",
                      text_en=f"At least {fmt_number(round(short))} {cap_en} missing: {fmt_number(round(below))} "
                              f"{demand.group_en} reach less than {norm:g} {unit} within {catchment_m:,.0f} m (their "
                              "shortfalls summed; new capacity is shared with everyone in its reach, so more may be "
                              "needed).",
                      text_zh=f"至少缺少 {fmt_number(round(short))} {cap_zh}:{fmt_number(round(below))} 名"
                              f"{demand.group_zh}在 {catchment_m:,.0f} 米内人均可达不足 {norm:g}(各人缺口之和;"
                              "新增容量由服务范围内所有人分享,实际需要可能更多)。")
    return res


@cache
def _network_rules() -> str:
    """Digest of the network package's sources (the compiled kernel's ``.pyx`` too) and the libraries its searches
    run on: part of the key of every answer cached from a search on the network (a change to any rule of the
    engine invalidates them all)."""
    folder = Path(net.__file__).parent
    sources = sorted([*folder.glob("*.py"), *folder.glob("*.pyx")])
    return content_key(np.__version__, scipy.__version__, *(source_digest(str(p)) for p in sources))


def _search_key(kind: str, ctx: EvalContext, graph: net.WalkGraph, fsnap: net.Snap, *parts: object) -> str:
    """Key of an answer searched on ``graph`` from the run's population cells to the facilities of ``fsnap``: the
    engine's sources, the network's content, the cells (``PopulationGrid.points_key``, hashed once per run), the
    facilities' snap key (their points as snapped, the options, the snapping rules) and the search's ``parts``."""
    fkey = snap_cache_key(graph, fsnap.x_m, fsnap.y_m, owner=fsnap.owner, n_owners=fsnap.n_owners,
                          max_snap_m=fsnap.max_snap_m)
    return content_key(kind, _network_rules(), source_digest(__file__), graph.content_digest,
                       ctx.region.population.points_key, fkey, *parts)


def nearest_distances(ctx: EvalContext, graph: net.WalkGraph, cells: net.Snap, fsnap: net.Snap, *,
                      cutoff_m: float) -> NDArray[np.float64]:
    """Network distance from each population cell to its nearest facility (inf beyond ``cutoff_m``).

    :func:`~coverage_planner.network.nearest_facility_distance_m` on the run's snaps (``cells``: the population's,
    ``fsnap``: the facilities'), cached on disk like the 2SFCA answer (:func:`_search_key` and the cutoff), so a
    warm run searches nothing.
    """
    def search() -> dict[str, NDArray[np.float64]]:
        return {"distance_m": np.asarray(net.nearest_facility_distance_m(graph, cells, fsnap, cutoff_m=cutoff_m))}

    key = _search_key("nearest_facility", ctx, graph, fsnap, float(cutoff_m))
    return cached_arrays("nearest_facility", key, search, cache_dir=array_cache_dir())["distance_m"]


def catchment_accessibility(ctx: EvalContext, graph: net.WalkGraph, cells: net.Snap, fsnap: net.Snap,
                            weight: NDArray[np.float64], capacity: NDArray[np.float64], *, catchment_m: float,
                            decay: Any) -> NDArray[np.float64]:
    """2SFCA accessibility per population cell (:func:`~coverage_planner.network.two_step_fca`) on the network.

    The answer is cached on disk (:func:`_search_key` with the people counted, the capacities, the catchment and
    the decay), so a warm run searches no catchment; a decay given as a function is searched every time.
    """
    def search() -> dict[str, NDArray[np.float64]]:
        fca = net.two_step_fca(graph, cells, weight, fsnap, capacity, catchment_m=catchment_m, decay=decay)
        return {"accessibility": fca.accessibility}

    if not (decay is None or isinstance(decay, str)):
        return search()["accessibility"]
    key = _search_key("two_step_fca", ctx, graph, fsnap, np.asarray(weight, dtype=np.float64),
                      np.asarray(capacity, dtype=np.float64), float(catchment_m), decay)
    return cached_arrays("two_step_fca", key, search, cache_dir=array_cache_dir())["accessibility"]


def _per_zh(cap_zh: str, per: float) -> str:
    """'个托位/人', '个托位/1000人': a norm's unit in Chinese."""
    return f"{cap_zh}/人" if per == 1 else f"{cap_zh}/{per:g}人"


def _straight_2sfca(x: NDArray[np.float64], y: NDArray[np.float64], w: NDArray[np.float64], fx: NDArray[np.float64],
                    fy: NDArray[np.float64], cap: NDArray[np.float64], radius_m: float) -> NDArray[np.float64]:
    tree_d = cKDTree(np.column_stack([x, y]))
    tree_f = cKDTree(np.column_stack([fx, fy]))
    pairs = tree_f.sparse_distance_matrix(tree_d, radius_m, output_type="coo_matrix")
    fj, di = pairs.row, pairs.col
    demand = np.bincount(fj, weights=w[di], minlength=fx.size)
    ratio = np.divide(cap, demand, out=np.zeros_like(cap, dtype=float), where=demand > 0)
    return np.bincount(di, weights=ratio[fj], minlength=x.size).astype(np.float64, copy=False)


def cells_within_radius(pop: PopulationGrid, asked: NDArray[np.bool_], centre_x_m: NDArray[np.float64],
                        centre_y_m: NDArray[np.float64], radius_m: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Per population cell: asked, and some centre within its radius (:func:`any_within_m`).

    Only asked cells (people counted by the target) are searched; the answer is cached on disk by the content of
    the cells, the mask, the centres and the radii (and the search's source), so a warm run searches nothing.
    """
    covered = np.zeros(len(pop), dtype=bool)
    if not (centre_x_m.size and asked.any()):
        return covered
    key = content_key("any_within", source_digest(straight_line.__file__), source_digest(__file__), scipy.__version__,
                      pop.points_key,
                      np.asarray(asked, dtype=bool), np.asarray(centre_x_m, dtype=np.float64),
                      np.asarray(centre_y_m, dtype=np.float64), np.asarray(radius_m, dtype=np.float64))

    def search() -> dict[str, NDArray[np.bool_]]:
        idx = np.flatnonzero(asked)  # only cells with people counted: the others change no figure
        covered[idx] = any_within_m(pop.x_m[idx], pop.y_m[idx], centre_x_m, centre_y_m, radius_m)
        return {"covered": covered}

    return cached_arrays("any_within", key, search, cache_dir=array_cache_dir())["covered"]


def evaluate_radius_coverage(spec: TargetSpec, ctx: EvalContext) -> TargetResult:
    """Share of the population within a straight-line radius of a facility (e.g. broadcast terminals)."""
    fac = ctx.facilities(spec)
    role = spec.param("layer")
    pts = shapely.point_on_surface(fac.geometry.values)
    if spec.param("radius_field"):
        radii = require_numeric(fac, spec.param("radius_field"), role=role,
                                where=ctx.region.spec.facilities[role].where(), purpose=Message("err.for_radius"))
        how = Message("say.own_radius", column=spec.param("radius_field"))
    else:
        radii = np.full(len(fac), float(spec.param("radius_m")))
        how = Message("say.fixed_radius", m=f"{radii[0]:,.0f}")
    demand = demand_for(spec, ctx)
    covered = cells_within_radius(ctx.region.population, demand.weight != 0, shapely.get_x(pts), shapely.get_y(pts),
                                  np.asarray(radii, dtype=np.float64))
    res = _share_result(spec, ctx, demand, covered, what_en=f"live within reach of {a_or_an(facility_words(spec)[1])}",
                        what_zh="在覆盖范围内", method_note=[Message("say.straight_line", how=how)], approximate=False)
    res.details.update({"facilities": len(fac)})
    res.geo["facilities"] = fac
    return res
