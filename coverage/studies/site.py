"""Siting studies: where to put N new facilities for a target, or the fewest that meet it.

The study re-uses the target's own evaluation: the target is checked, new sites are chosen by a
solver from ``coverage_planner.siting``, the sites are added to the facility layer and the target is checked
again, so "before" and "after" are computed the same way.

- ``walk_access`` / ``radius_coverage``: maximal covering (MCLP) of the people not yet served; lazy
  greedy with its (1 − 1/e) bound, or HiGHS MILP with a time limit and its proven gap.
- ``catchment_capacity`` / ``ratio``: capacitated siting: sites of a given capacity are added where
  they remove the most shortfall of the per-person norm, zone by zone (greedy).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy import sparse

from .. import network as net
from .. import siting
from ..errors import ScenarioError
from ..model.manifest import LayerSource
from ..model.messages import Both, Code, Message, in_lang, message_dicts
from ..model.readers import read_layer, require_numeric
from ..model.region import Region
from ..model.results import TargetResult, fmt_number
from ..progress_bar import tracked
from ..siting.models import ModelOutcome
from ..targets import evaluate_target
from ..targets.access import _distance_m, _distance_zh, ball_pairs, demand_for, demand_snap, network_for
from ..targets.base import EvalContext, cell_index, facility_units, units_for
from ..targets.seismic import spacing_target_m
from .site_models import SiteOptions, solve_cover_model

__all__ = ["SiteOptions", "SiteStudy", "add_sites", "run_siting", "site"]

if TYPE_CHECKING:
    from .check import CheckRun

logger = logging.getLogger(__name__)

COVER_KINDS = {"walk_access", "radius_coverage"}
STATION_KINDS = {"spacing"}
RATIO_KINDS = {"catchment_capacity", "ratio"}
#: With solver "auto", HiGHS gets at most this long after the greedy (whose answer is kept if better).
AUTO_MILP_SECONDS = 30.0


@dataclass
class SiteStudy:
    """What a siting run found: sites in rank order, the target before and after, solver quality."""

    target_id: str
    kind: str
    before: TargetResult
    after: TargetResult
    sites: gpd.GeoDataFrame
    solver: str
    sentence: str
    n_candidates: int
    notes: list[str] = field(default_factory=list)
    details: dict[str, object] = field(default_factory=dict)
    #: The region with the proposed sites added to the target's facility layer (the run's own is unchanged).
    region: Region | None = field(default=None, repr=False)

    def after_run(self, run: CheckRun) -> CheckRun:
        """``run`` as it would be with the sites built: their region, the target's result after them."""
        return replace(run, region=self.region or run.region, results=[self.after])

    def write_service_areas(self, run: CheckRun, path: Path, *, bands_m: list[float] | None = None) -> list[str]:
        """Write the service areas of the target's facilities, existing and proposed, to a GeoPackage.

        Built along the street network by distance band (walk_access targets); returns notes for the report.
        """
        from .site_models import write_study_service_areas

        ctx = EvalContext(region=self.region or run.region, scenario=run.scenario)
        return write_study_service_areas(ctx, self.target_id, path, bands_m=bands_m)

    def to_dict(self, *, lang: str = "en") -> dict[str, object]:
        """JSON-ready summary; the sentence and the notes in ``lang``, with their catalogue keys and parameters."""
        cols = [c for c in self.sites.columns if c != "geometry"]
        return {
            "target_id": self.target_id, "kind": self.kind, "solver": self.solver,
            "sentence": in_lang(self.sentence, lang), "sentence_key": message_dicts([self.sentence])[0],
            "n_candidates": self.n_candidates, "n_sites": len(self.sites),
            "before": {"status": self.before.status, "value": self.before.value},
            "after": {"status": self.after.status, "value": self.after.value},
            "units_before_after": _unit_changes(self.before, self.after),
            "sites": [{c: _plain(v) for c, v in zip(cols, row, strict=True)}
                      for row in self.sites[cols].itertuples(index=False)],
            "notes": [in_lang(n, lang) for n in self.notes], "note_keys": message_dicts(self.notes),
            "details": {k: _plain(v) for k, v in self.details.items()},
        }


def _plain(v: object) -> object:
    if isinstance(v, np.generic):
        return v.item()
    return v


def _unit_changes(before: TargetResult, after: TargetResult) -> list[dict[str, object]]:
    b = {u.unit_id: u for u in before.units}
    out: list[dict[str, object]] = []
    for u in after.units:
        old = b.get(u.unit_id)
        if old is None or old.value == u.value:
            continue
        out.append({"unit_id": u.unit_id, "name": u.name, "before": old.value, "after": u.value,
                    "status_before": old.status, "status_after": u.status})
    return out


def _read_candidates(path: Path, crs: object, notes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Candidate sites from a planner's layer (points or polygons, entered by a point on their surface)."""
    gdf, more = read_layer(LayerSource(role="candidates", path=Path(path).resolve()))
    notes.extend(more)
    pts = shapely.point_on_surface(gdf.to_crs(crs).geometry.values)
    return shapely.get_x(pts), shapely.get_y(pts)


def _candidate_points(ctx: EvalContext, before: TargetResult, *, candidates: Path | None, min_spacing_m: float,
                      exclude: Path | None, min_distance_existing_m: float, fac: gpd.GeoDataFrame
                      ) -> tuple[np.ndarray, np.ndarray, list[str]]:
    notes: list[str] = []
    crs = ctx.region.crs
    if candidates is not None:
        x, y = _read_candidates(candidates, crs, notes)
        notes.append(Message("say.candidates_from_file", n=len(x), file=str(candidates)))
    else:
        pop = ctx.region.population
        cells = before.geo.get("uncovered_cells")
        if cells is not None and len(cells):
            idx = cells["cell"].to_numpy()
            prio = cells["people"].to_numpy()
            what = Both("population cells not served today", "目前未覆盖的人口格网")
        else:
            idx = np.flatnonzero(pop.total > 0)
            prio = pop.total[idx]
            what = Both("populated cells", "有人口的格网")
        keep = siting.thin_candidates(pop.x_m[idx], pop.y_m[idx], min_spacing_m=min_spacing_m, priority=prio)
        x, y = pop.x_m[idx][keep], pop.y_m[idx][keep]
        notes.append(Message("say.candidates_generated", n=len(x), what=what, m=f"{min_spacing_m:,.0f}"))
    zones: list[shapely.Geometry] = []
    if exclude is not None:
        ex, more = read_layer(LayerSource(role="exclude", path=Path(exclude).resolve()), geom_types={"Polygon"})
        notes.extend(more)
        zones = list(ex.to_crs(crs).geometry.values)
    fp = shapely.point_on_surface(fac.geometry.values) if len(fac) else np.array([], dtype=object)
    ok = siting.filter_candidates(x, y, existing_x_m=shapely.get_x(fp) if len(fac) else None,
                                  existing_y_m=shapely.get_y(fp) if len(fac) else None,
                                  min_distance_to_existing_m=min_distance_existing_m, excluded_zones=zones)
    if (~ok).any():
        notes.append(Message("say.candidates_dropped", n=int((~ok).sum())))
    inside = shapely.contains_xy(ctx.region.territory, x, y)
    ok &= inside
    if not ok.any():
        raise ScenarioError(Message("err.site_no_candidates"))
    return x[ok], y[ok], notes


def _cover_matrix(spec, ctx: EvalContext, cand_x: np.ndarray, cand_y: np.ndarray, cells: np.ndarray
                  ) -> tuple[sparse.csr_array, str, float | None]:
    """Uncovered cell x candidate coverage, with the target's own distance rule (and the radius used, if any)."""
    pop = ctx.region.population
    if spec.kind == "radius_coverage":
        radius = float(spec.param("radius_m") or spec.param("new_radius_m") or 500.0)
        if spec.param("radius_field"):
            fac = ctx.facilities(spec)
            r = require_numeric(fac, spec.param("radius_field"), role=spec.param("layer"), where="", purpose="radius")
            radius = float(np.median(r)) if r.size else radius
        m = ball_pairs(pop.x_m[cells], pop.y_m[cells], cand_x, cand_y, radius)
        how = Message("say.rule_radius", m=f"{radius:,.0f}")
    else:
        radius = None
        mode = spec.param("mode")
        cutoff_m, dist_txt = _distance_m(spec)
        graph = network_for(ctx, mode)
        if graph is None:
            m = ball_pairs(pop.x_m[cells], pop.y_m[cells], cand_x, cand_y, cutoff_m / net.DEFAULT_DETOUR_FACTOR)
            how = Message("say.rule_no_network", factor=net.DEFAULT_DETOUR_FACTOR, distance=Both(dist_txt, _distance_zh(spec)))
        else:
            keep = np.zeros(len(pop), dtype=bool)
            keep[cells] = True
            dsnap = demand_snap(ctx, graph, mode).subset_owners(keep)
            csnap = net.snap_points(graph, cand_x, cand_y)
            pairs = net.catchment_pairs(graph, dsnap, csnap, cutoff_m=cutoff_m)
            m = sparse.csr_array((np.ones(pairs.n_pairs, dtype=bool), (pairs.demand, pairs.facility)),
                                 shape=(cells.size, cand_x.size))
            how = Message("say.rule_network", distance=Both(dist_txt, _distance_zh(spec)), mode=Code(mode))
    return m, how, radius


def _solve_cover(problem: siting.CoverageProblem, *, new: int | None, target_share: float | None, solver: str,
                 time_limit_s: float) -> siting.SitingResult:
    use_milp = solver in {"milp", "auto"}
    if solver == "auto":
        time_limit_s = min(time_limit_s, AUTO_MILP_SECONDS)
    if new is not None:
        res = siting.greedy.max_coverage(problem, n_sites=new)
        if use_milp:
            exact = siting.milp.max_coverage(problem, n_sites=new, time_limit_s=time_limit_s)
            if exact.covered_after_people >= res.covered_after_people - 1e-9:
                res = exact
        return res
    assert target_share is not None
    res = siting.greedy.until_met(problem, target_share=target_share)
    if use_milp and res.status not in {"already_met", "unreachable"}:
        exact = siting.milp.min_sites(problem, target_share=target_share, time_limit_s=time_limit_s)
        if exact.target_met and exact.n_sites <= res.n_sites:
            res = exact
    return res


def add_sites(region: Region, role: str, x: np.ndarray, y: np.ndarray, attrs: dict[str, np.ndarray]) -> Region:
    """A copy of ``region`` whose facility layer ``role`` also holds the proposed sites, open in every year.

    Parameters
    ----------
    region
        The region (left unchanged).
    role
        Facility layer.
    x, y
        Coordinates in the region's working CRS.
    attrs
        Extra columns (e.g. the capacity column of a per-person target).
    """
    n = len(x)
    new = gpd.GeoDataFrame({"facility_id": [f"proposed-{i + 1}" for i in range(n)],
                            "name": [f"Proposed site {i + 1} / 建议新址 {i + 1}" for i in range(n)],
                            "status": "planned", "open_year": 0, "proposed_rank": np.arange(1, n + 1), **attrs},
                           geometry=shapely.points(x, y), crs=region.crs)
    return region.what_if(add={role: new})


# the documented API takes the options of `coverage site` as keywords (as spopt's solvers do); they travel on
# as one SiteOptions
def site(run: CheckRun, target_id: str, *, new: int | None = None, until_met: bool = False,  # noqa: PLR0913
         capacity: float | None = None, candidates: Path | None = None, min_spacing_m: float = 300.0,
         min_distance_existing_m: float = 0.0, exclude: Path | None = None, solver: str = "auto",
         time_limit_s: float = 60.0, model: str = "mclp", budget: float | None = None,
         cost_field: str | None = None) -> SiteStudy:
    """Propose new sites for one target of a checked run and re-check the target with them.

    The run's region is not changed: the target is re-checked on a copy holding the proposed sites.

    Parameters
    ----------
    run
        A :func:`~coverage_planner.check` run holding the target.
    target_id
        The target (kinds walk_access, radius_coverage, catchment_capacity, ratio, spacing).
    new, until_met
        Place exactly ``new`` sites, or the fewest that meet the target's threshold.
    capacity
        Capacity of each new site (ratio kinds; default: the median of today's facilities).
    candidates, min_spacing_m, min_distance_existing_m, exclude, solver, time_limit_s, model, budget, cost_field
        As for :class:`~coverage_planner.studies.site_models.SiteOptions` (``model``: mclp, lscp, p-median,
        p-center, backup or capacitated).

    Returns
    -------
    SiteStudy
        The sites in rank order (``sites``, working CRS), the target ``before`` and ``after``, the solver's
        sentence and proven quality.

    Examples
    --------
    >>> from coverage_planner import check
    >>> run = check(2025, "demo:0.05", targets=["fitness-15min-circle"])
    >>> study = site(run, "fitness-15min-circle", new=3)
    >>> len(study.sites), study.after.value >= study.before.value
    (3, True)
    """
    ctx = EvalContext(region=run.region, scenario=run.scenario, want_geo=True)
    # reuse today's result only when it carries the people not served (built when geometry was asked for)
    before = next((r for r in run.results if r.id == target_id and "uncovered_cells" in r.geo), None)
    options = SiteOptions(new=new, until_met=until_met, capacity=capacity, candidates=candidates,
                          min_spacing_m=min_spacing_m, min_distance_existing_m=min_distance_existing_m,
                          exclude=exclude, solver=solver, time_limit_s=time_limit_s, model=model, budget=budget,
                          cost_field=cost_field)
    return run_siting(ctx, target_id, options, before=before)


@tracked("step.siting")
def run_siting(ctx: EvalContext, target_id: str, options: SiteOptions | None = None, *,
               before: TargetResult | None = None) -> SiteStudy:
    """Propose new sites for one target and re-check it.

    Parameters
    ----------
    ctx
        Evaluation context (region, scenario); its facility layer gains the proposed sites.
    target_id
        The target (kinds walk_access, radius_coverage, catchment_capacity, ratio).
    options
        How the sites are placed (:class:`~coverage_planner.studies.site_models.SiteOptions`; ``new`` or
        ``until_met`` must be set, or a ``budget``).
    before
        The target's result today, when already evaluated with its geometry (else evaluated here).
    """
    opt = SiteOptions() if options is None else options
    new, until_met, capacity, candidates = opt.new, opt.until_met, opt.capacity, opt.candidates
    min_spacing_m, min_distance_existing_m, exclude = opt.min_spacing_m, opt.min_distance_existing_m, opt.exclude
    solver, time_limit_s, model, budget = opt.solver, opt.time_limit_s, opt.model, opt.budget
    if (new is None) == (not until_met) and not (budget is not None and not until_met):  # a budget needs neither
        raise ScenarioError(Message("err.site_new_or_until"))
    spec = ctx.scenario.target(target_id)
    if spec.kind not in COVER_KINDS | RATIO_KINDS | STATION_KINDS:
        raise ScenarioError(Message("err.site_kind", tid=target_id, kind=spec.kind))
    other_model = model != "mclp" or budget is not None  # issue 21: models beyond plain MCLP
    if other_model and spec.kind not in COVER_KINDS:
        raise ScenarioError(Message("err.site_model_kind", model=model, tid=target_id, kind=spec.kind))
    role = spec.param("layer")
    if before is None:
        before = evaluate_target(spec, ctx)
    fac = ctx.facilities(spec)
    notes: list[str] = []
    if spec.kind in STATION_KINDS:
        sites_x, sites_y, attrs, solver_name, sentence, details, n_cand = _station_siting(
            spec, ctx, fac, new=new, candidates=candidates, notes=notes)
        unit_level = spec.param("level")
    elif spec.kind in COVER_KINDS:
        cells_gdf = before.geo.get("uncovered_cells")
        cells = cells_gdf["cell"].to_numpy() if cells_gdf is not None else np.zeros(0, dtype=np.int64)
        cx, cy, more = _candidate_points(ctx, before, candidates=candidates, min_spacing_m=min_spacing_m,
                                         exclude=exclude, min_distance_existing_m=min_distance_existing_m, fac=fac)
        notes.extend(more)
        cover, how, radius_m = _cover_matrix(spec, ctx, cx, cy, cells)
        served = float(before.details.get("served", 0.0))
        weight = cells_gdf["people"].to_numpy() if cells_gdf is not None else np.zeros(0)
        # one extra demand row stands for everyone already served (kept, covered by no candidate)
        cover = sparse.vstack([cover, sparse.csr_array((1, cx.size), dtype=bool)]).tocsr()
        problem = siting.CoverageProblem(cover, np.append(weight, served),
                                         existing_covered=np.append(np.zeros(weight.size, bool), True))
        target_share = spec.threshold_min if until_met else None
        res: ModelOutcome | siting.SitingResult
        if other_model:
            res, more = solve_cover_model(problem, spec=spec, ctx=ctx, cand_x=cx, cand_y=cy, cells=cells,
                                          target_share=target_share, options=opt)
            notes.extend(more)
            details = dict(res.details)
        else:
            res = _solve_cover(problem, new=new, target_share=target_share, solver=solver, time_limit_s=time_limit_s)
            details = {"status": res.status, "gap": res.gap, "reachable_share": res.reachable_share,
                       "covered_share_after_solver": res.covered_share_after}
        chosen = res.chosen
        sites_x, sites_y = cx[chosen], cy[chosen]
        attrs = {"people_newly_served": np.round(res.marginal_people, 1)}
        if spec.param("radius_field"):
            attrs[spec.param("radius_field")] = np.full(chosen.size, radius_m)
        solver_name, sentence = res.solver, res.sentence
        notes.append(Message("say.coverage_rule", how=how))
        n_cand, unit_level = int(cx.size), spec.param("level")
    else:
        level = spec.param("level")
        units = units_for(ctx, spec, level)
        cap_name = spec.param("capacity")
        if capacity is None:
            caps = require_numeric(fac, cap_name, role=role, where="", purpose="capacity") if len(fac) else np.zeros(0)
            capacity = float(np.median(caps)) if caps.size and np.median(caps) > 0 else 1.0
            notes.append(Message("say.median_capacity", capacity=fmt_number(capacity), cap=Code(cap_name)))
        cx, cy, more = _candidate_points(ctx, before, candidates=candidates, min_spacing_m=min_spacing_m,
                                         exclude=exclude, min_distance_existing_m=min_distance_existing_m, fac=fac)
        notes.extend(more)
        demand = demand_for(spec, ctx) if spec.kind == "catchment_capacity" else None
        res_r, how = _ratio_siting(spec, ctx, units, cx, cy, capacity, demand, new=new)
        chosen = res_r.chosen
        sites_x, sites_y = cx[chosen], cy[chosen]
        attrs = {cap_name: np.full(chosen.size, capacity), "shortfall_removed": np.round(res_r.shortfall_reduction, 1)}
        solver_name, sentence = "greedy (capacitated)", res_r.sentence
        notes.append(how)
        details = {"status": res_r.status, "shortfall_before": res_r.shortfall_before,
                   "shortfall_after": res_r.shortfall_after}
        n_cand, unit_level = int(cx.size), spec.param("level")
    with_sites = add_sites(ctx.region, role, sites_x, sites_y, attrs)
    after = evaluate_target(spec, EvalContext(region=with_sites, scenario=ctx.scenario, want_geo=ctx.want_geo,
                                              cache=ctx.cache))
    sites = gpd.GeoDataFrame({"rank": np.arange(1, len(sites_x) + 1), **attrs}, geometry=shapely.points(sites_x, sites_y),
                             crs=ctx.region.crs)
    units = units_for(ctx, spec, unit_level)
    ui = facility_units(sites, units)
    sites["unit"] = np.where(ui >= 0, units["name"].to_numpy()[np.clip(ui, 0, None)], "")
    after.geo["proposed"] = sites
    return SiteStudy(target_id=spec.id, kind=spec.kind, before=before, after=after, sites=sites,
                       solver=solver_name, sentence=sentence, n_candidates=n_cand, notes=notes, details=details,
                     region=with_sites)


def _station_siting(spec, ctx: EvalContext, fac: gpd.GeoDataFrame, *, new: int | None, candidates: Path | None,
                    notes: list[str]):
    """New seismic stations closing the spacing gaps (largest empty circles), with before/after figures."""
    from .. import seismic

    pts = shapely.point_on_surface(fac.geometry.values)
    x, y = shapely.get_x(pts), shapely.get_y(pts)
    spacing_m = spacing_target_m(spec)
    square = spec.param("metric") == "coverage_square"  # any other metric: the triangular lattice
    radius_m = seismic.coverage_radius_m(spacing_m, lattice="square" if square else "triangular")
    cand_xy = None
    if candidates is not None:
        cand_xy = np.column_stack(_read_candidates(candidates, ctx.region.crs, notes))
    key_areas = None
    if "key_areas" in ctx.region.spec.areas:
        ka = ctx.region.area("key_areas", purpose="station siting")
        key_areas = {str(n): g for n, g in zip(ka["name"], ka.geometry.values, strict=True)}
    noise = None
    if "noise_um" in fac.columns:
        vals = pd.to_numeric(fac["noise_um"], errors="coerce").to_numpy(dtype=float)
        noise = np.where(np.isfinite(vals), vals, seismic.DEFAULT_NOISE_UM)
    res = seismic.propose_stations(x, y, ctx.region.territory, max_radius_m=radius_m,
                                   options=seismic.SiteOptions(k=new, candidates_xy=cand_xy),
                                   detection=seismic.DetectionModel(station_noise_um=noise),
                                   warning=seismic.WarningGoal(key_areas=key_areas))
    b, a = res.before, res.after
    n = len(res.new_x_m)
    sentence = Message("say.station_siting_fewest" if new is None else "say.station_siting_placed", n=n,
                       d_before=f"{b.max_distance_m / 1000:.1f}", d_after=f"{a.max_distance_m / 1000:.1f}",
                       allowed=f"{radius_m / 1000:.1f}",
                       met=Both("met", "满足") if res.criterion_met else Both("not met", "不满足"),
                       det_before=f"{b.detection_share * 100:.1f}", det_after=f"{a.detection_share * 100:.1f}",
                       warn_before=f"{b.warning_share * 100:.1f}", warn_after=f"{a.warning_share * 100:.1f}")
    notes.extend(res.assumptions)
    details = {"max_distance_km_before": b.max_distance_m / 1000, "max_distance_km_after": a.max_distance_m / 1000,
               "detection_share_before": b.detection_share, "detection_share_after": a.detection_share,
               "warning_share_before": b.warning_share, "warning_share_after": a.warning_share,
               "criterion_met": res.criterion_met, "strategy": res.strategy}
    attrs = {"noise_um": np.full(n, seismic.DEFAULT_NOISE_UM), "kind": np.full(n, "short_period")}
    n_cand = 0 if cand_xy is None else len(cand_xy)
    return res.new_x_m, res.new_y_m, attrs, f"station siting ({res.strategy})", sentence, details, n_cand


def _ratio_siting(spec, ctx: EvalContext, units: gpd.GeoDataFrame, cx: np.ndarray,
                  cy: np.ndarray, capacity: float, demand, *, new: int | None):
    """Capacitated siting for per-person norms (2SFCA catchments, or 'same unit' for ratio targets)."""
    pop = ctx.region.population
    fac = ctx.facilities(spec)  # today's facilities of the target (cached by the context)
    role = spec.param("layer")
    cap_name = spec.param("capacity")
    existing_cap = require_numeric(fac, cap_name, role=role, where="", purpose="capacity") if len(fac) else np.zeros(0)
    if spec.kind == "catchment_capacity":
        weight = demand.weight
        norm = float(spec.param("norm")) / float(spec.param("per"))
        catchment_m = float(spec.param("catchment_m"))
        graph = network_for(ctx, spec.param("mode"))
        live = np.flatnonzero(weight > 0)
        if graph is None:
            r = catchment_m / net.DEFAULT_DETOUR_FACTOR

            def cat(x: np.ndarray, y: np.ndarray) -> sparse.csr_array:
                return ball_pairs(pop.x_m[live], pop.y_m[live], x, y, r)
            how = Message("say.catchments_approx", factor=net.DEFAULT_DETOUR_FACTOR, m=f"{catchment_m:,.0f}")
        else:
            keep = np.zeros(len(pop), dtype=bool)
            keep[live] = True
            dsnap = demand_snap(ctx, graph, spec.param("mode")).subset_owners(keep)

            def cat(x: np.ndarray, y: np.ndarray) -> sparse.csr_array:
                p = net.catchment_pairs(graph, dsnap, net.snap_points(graph, x, y), cutoff_m=catchment_m)
                return sparse.csr_array((np.ones(p.n_pairs, bool), (p.demand, p.facility)), shape=(live.size, x.size))
            how = Message("say.catchments", m=f"{catchment_m:,.0f}")
        fp = shapely.point_on_surface(fac.geometry.values)
        # every person must reach the norm (as the target measures it): each demand cell is its own zone
        res = siting.site_for_ratio(cat(cx, cy), weight[live], np.arange(live.size), np.full(cx.size, capacity),
                                    target_per_person=norm, existing_catchment=cat(shapely.get_x(fp), shapely.get_y(fp)),
                                    existing_capacity=existing_cap, max_sites=new, supply_unit=cap_name)
        return res, how
    # ratio per unit: a site serves the unit it stands in, so each unit is one demand row
    level = spec.param("level")
    counts = ctx.region.population.group(spec.param("population"))
    zone = cell_index(ctx, level, units)
    ok = zone >= 0
    zone_pop = np.bincount(zone[ok], weights=counts[ok], minlength=len(units))
    rows = np.flatnonzero(zone_pop > 0)
    row_of_unit = np.full(len(units), -1)
    row_of_unit[rows] = np.arange(rows.size)
    cand_unit = facility_units(gpd.GeoDataFrame(geometry=shapely.points(cx, cy), crs=ctx.region.crs), units)
    per = float(spec.param("per"))
    res = siting.site_for_ratio(_unit_matrix(row_of_unit, cand_unit, rows.size), zone_pop[rows], rows,
                                np.full(cx.size, capacity), target_per_person=float(spec.threshold_min or 0) / per,
                                existing_catchment=_unit_matrix(row_of_unit, facility_units(fac, units), rows.size),
                                existing_capacity=existing_cap, max_sites=new, supply_unit=cap_name)
    return res, Message("say.site_counts_in_unit", cap=Code(cap_name), level=Code(level))


def _unit_matrix(row_of_unit: np.ndarray, site_unit: np.ndarray, n_rows: int) -> sparse.csr_array:
    """Unit-row x site matrix: true where the site stands in that unit."""
    r = np.where(site_unit >= 0, row_of_unit[np.clip(site_unit, 0, None)], -1)
    cols = np.flatnonzero(r >= 0)
    return sparse.csr_array((np.ones(cols.size, bool), (r[cols], cols)), shape=(n_rows, site_unit.size))
