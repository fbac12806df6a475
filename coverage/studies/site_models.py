"""The siting models beyond maximal covering in a siting study (``coverage site --model``, issue 21).

:func:`solve_cover_model` is what :func:`coverage_planner.studies.site.run_siting` calls for a
walk_access / radius_coverage target when ``--model`` is not plain ``mclp`` or a ``--budget`` is given:
it adds what the model needs to the study's coverage problem (costs per candidate from ``--cost-field``,
demand-to-candidate distances with the target's own distance rule, a capacity per site) and runs
:func:`coverage_planner.siting.models.solve`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from scipy import sparse
from scipy.spatial import cKDTree

from .. import network as net
from .. import siting
from ..errors import ScenarioError
from ..model.manifest import LayerSource
from ..model.messages import Both, Code, Message
from ..model.readers import read_layer, require_numeric
from ..siting.models import MODELS, ModelOutcome
from ..targets.access import _distance_m, _distance_zh, demand_snap, network_for
from ..targets.base import EvalContext

__all__ = ["MODELS", "SiteOptions", "candidate_field", "solve_cover_model", "study_costs"]


@dataclass(frozen=True)
class SiteOptions:
    """How a siting study places its sites: the options of ``coverage site``.

    Attributes
    ----------
    new, until_met
        Place exactly ``new`` sites, or the fewest that meet the target's threshold.
    capacity
        Capacity of each new site (ratio kinds: default the median of today's facilities; ``capacitated``:
        the people one site can serve).
    candidates
        A layer of candidate sites (points or polygons); default: generated at unserved population cells.
    min_spacing_m
        Spacing of generated candidates.
    min_distance_existing_m
        Candidates closer than this to an existing facility are dropped.
    exclude
        Polygons where no site may go (water, protected land).
    solver
        ``greedy`` (lazy greedy with its bound), ``milp`` (HiGHS warm-started from the greedy, up to
        ``time_limit_s``) or ``auto`` (the MILP with at most ``AUTO_MILP_SECONDS``; whichever answer is
        better is kept, with its proven gap).
    time_limit_s
        Time limit of the MILP.
    model, budget, cost_field
        Siting model for walk_access / radius_coverage targets (``mclp``, ``lscp``, ``p-median``,
        ``p-center``, ``backup``, ``capacitated``), the money for new sites and the candidates' cost column
        (budgeted MCLP).
    """

    new: int | None = None
    until_met: bool = False
    capacity: float | None = None
    candidates: Path | None = None
    min_spacing_m: float = 300.0
    min_distance_existing_m: float = 0.0
    exclude: Path | None = None
    solver: str = "auto"
    time_limit_s: float = 60.0
    model: str = "mclp"
    budget: float | None = None
    cost_field: str | None = None

#: Models that need demand-to-candidate distances, not only who is in reach.
DISTANCE_MODELS = {"p-median", "p-center"}
#: p-center may send people beyond the target's distance (it minimises the longest trip): distances are
#: searched up to this multiple of it.
P_CENTER_REACH_FACTOR = 3.0


def candidate_field(path: Path, field: str, crs: object, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Values of ``field`` for the kept candidate points ``x, y`` (matched to the features they came from).

    Parameters
    ----------
    path
        The candidates layer (``--candidates``).
    field
        Numeric attribute (e.g. the cost of building there).
    crs
        Working CRS of ``x, y``.
    x, y
        Candidate points after the study's filters, each a point on the surface of one feature.

    Returns
    -------
    numpy.ndarray
        One value per candidate point.
    """
    gdf, _ = read_layer(LayerSource(role="candidates", path=Path(path).resolve()))
    if field not in gdf.columns:
        cols = ", ".join(str(c) for c in gdf.columns if c != "geometry")
        raise ScenarioError(Message("err.site_cost_field", path=str(path), field=field, columns=cols))
    values = require_numeric(gdf, field, role="candidates", where=f" ({path})", purpose="the cost of each site")
    pts = shapely.point_on_surface(gdf.to_crs(crs).geometry.values)
    tree = cKDTree(np.column_stack([shapely.get_x(pts), shapely.get_y(pts)]))
    dist, idx = tree.query(np.column_stack([x, y]))
    if (dist > 1e-3).any():  # not expected: the study reads its candidates from the same file
        raise ScenarioError(Message("err.site_candidates_unmatched", n=int((dist > 1e-3).sum()), path=str(path)))
    return values[idx]


def study_costs(spec, ctx: EvalContext, cand_x: np.ndarray, cand_y: np.ndarray, cells: np.ndarray, *,
                reach_factor: float = 1.0) -> tuple[sparse.csr_array, str]:
    """Demand cell × candidate distances (metres) within ``reach_factor`` × the target's reach, with its own rule.

    The rule is that of the study's coverage matrix: the network distance (snap offsets included) for
    walk_access with a network, else the straight line (× the detour factor without a network).
    """
    pop = ctx.region.population
    px, py = pop.x_m[cells], pop.y_m[cells]
    if spec.kind == "radius_coverage":
        radius = reach_factor * float(ctx.cache.get("siting:radius_m", spec.param("radius_m") or 500.0))
        return _straight(px, py, cand_x, cand_y, radius, factor=1.0), Message("note.model_straight_m")
    mode = spec.param("mode")
    cutoff_m = reach_factor * _distance_m(spec)[0]
    graph = network_for(ctx, mode)
    if graph is None:
        f = net.DEFAULT_DETOUR_FACTOR
        return _straight(px, py, cand_x, cand_y, cutoff_m / f, factor=f), Message("note.model_detour", f=f)
    keep = np.zeros(len(pop), dtype=bool)
    keep[cells] = True
    dsnap = demand_snap(ctx, graph, mode).subset_owners(keep)
    pairs = net.catchment_pairs(graph, dsnap, net.snap_points(graph, cand_x, cand_y), cutoff_m=cutoff_m)
    # explicit zeros are kept: a cell at a candidate's door is 0 m away and still a stored pair
    m = sparse.csr_array((np.maximum(pairs.distance_m, 1e-9), (pairs.demand, pairs.facility)),
                         shape=(cells.size, cand_x.size))
    return m, Message("note.model_network_m", mode=Code(mode))


def _straight(px: np.ndarray, py: np.ndarray, cx: np.ndarray, cy: np.ndarray, radius_m: float, *, factor: float
              ) -> sparse.csr_array:
    a = cKDTree(np.column_stack([px, py]))
    b = cKDTree(np.column_stack([cx, cy]))
    m = a.sparse_distance_matrix(b, radius_m, output_type="coo_matrix")
    return sparse.csr_array((np.maximum(m.data * factor, 1e-9), (m.row, m.col)), shape=(px.size, cx.size))


def solve_cover_model(
    problem: siting.CoverageProblem,
    *,
    spec,
    ctx: EvalContext,
    cand_x: np.ndarray,
    cand_y: np.ndarray,
    cells: np.ndarray,
    target_share: float | None,
    options: SiteOptions,
) -> tuple[ModelOutcome, list[str]]:
    """Run ``options.model`` on a coverage study's problem (rows: cells not served today, then one row for those served).

    Parameters
    ----------
    problem
        The study's coverage problem.
    spec, ctx
        The target and the evaluation context (for the distance rule).
    cand_x, cand_y
        Candidate points (working CRS).
    cells
        Population cells of the demand rows (the last, "already served" row excluded).
    target_share
        The target share of ``--until-met`` (None with ``--new N``).
    options
        The study's options: ``model`` (one of :data:`~coverage_planner.siting.models.MODELS`), ``new``,
        ``budget`` with ``cost_field`` (a numeric field of the ``candidates`` layer), ``capacity`` (people one
        new site can serve, capacitated) and the HiGHS ``time_limit_s``.

    Returns
    -------
    outcome : ModelOutcome
    notes : list of str
        Sentences for the report.
    """
    model, new, budget, cost_field = options.model, options.new, options.budget, options.cost_field
    candidates, capacity, time_limit_s = options.candidates, options.capacity, options.time_limit_s
    notes: list[str] = []
    if model not in MODELS:
        raise ScenarioError(Message("err.site_model_unknown", model=model, models=", ".join(MODELS)))
    if budget is not None:
        if model != "mclp":
            raise ScenarioError(Message("err.site_budget_model", model=model))
        if cost_field is None or candidates is None:
            raise ScenarioError(Message("err.site_budget_cost"))
    cost_per_site = None
    if cost_field is not None:
        if candidates is None:
            raise ScenarioError(Message("err.site_cost_field_candidates"))
        cost_per_site = candidate_field(candidates, cost_field, ctx.region.crs, cand_x, cand_y)
        notes.append(Message("note.model_cost_field", field=cost_field, path=str(candidates)))
    if cost_per_site is not None:
        problem = siting.CoverageProblem(problem.cover, problem.demand_weight, problem.existing_covered,
                                         candidate_capacity=problem.candidate_capacity, candidate_cost=cost_per_site)
    if model == "capacitated":
        if capacity is None:
            raise ScenarioError(Message("err.site_capacity_needed"))
        problem = siting.CoverageProblem(
            problem.cover, problem.demand_weight, problem.existing_covered,
            candidate_capacity=np.full(problem.n_candidate, float(capacity)), candidate_cost=problem.candidate_cost)
        notes.append(Message("note.model_capacity", people=f"{capacity:,.0f}"))
    cost = None
    if model in DISTANCE_MODELS:
        factor = P_CENTER_REACH_FACTOR if model == "p-center" else 1.0
        dist, how = study_costs(spec, ctx, cand_x, cand_y, cells, reach_factor=factor)
        cost = sparse.vstack([dist, sparse.csr_array((problem.n_demand - dist.shape[0], dist.shape[1]))]).tocsr()
        reach = Message("note.model_reach") if factor == 1 else Message("note.model_reach_times", f=f"{factor:g}")
        notes.append(Message("note.model_distances", model=Code(model), how=how, reach=reach))
    if new is not None and model in {"lscp", "backup"}:
        notes.append(Message("note.model_new_unused", model=Code(model)))
        new = None
    radius_m = float(ctx.cache.get("siting:radius_m", 0.0)) if spec.kind == "radius_coverage" else _distance_m(spec)[0]
    try:
        out = siting.models.solve(model, problem, cost=cost, n_sites=new, target_share=target_share, budget=budget,
                                  radius_m=radius_m, time_limit_s=time_limit_s)
    except siting.SitingInputError as exc:
        raise ScenarioError(exc.message) from exc
    if model in {"p-median", "p-center", "backup"}:
        notes.append(Message("note.model_unserved_only", model=Code(model)))
    return out, notes


def write_study_service_areas(ctx: EvalContext, target_id: str, path: Path, *, bands_m: list[float] | None = None
                              ) -> list[str]:
    """Write the service areas of a walk_access target's facilities (existing and proposed) to ``path``.

    Parameters
    ----------
    ctx
        The study's context, after the proposed sites were added to the facility layer.
    target_id
        A walk_access target (its distance is the outer band).
    path
        GeoPackage to write (layers ``service_areas`` and ``covered_area``).
    bands_m
        Band limits in metres; default thirds of the target's distance.

    Returns
    -------
    list of str
        Notes for the report.
    """
    from ..network.service_area_export import service_area_layers, write_service_areas
    from ..targets.access import facility_entrances

    spec = ctx.scenario.target(target_id)
    if spec.kind != "walk_access":
        raise ScenarioError(Message("err.site_service_areas_kind", tid=target_id, kind=Code(spec.kind)))
    mode = spec.param("mode")
    graph = network_for(ctx, mode)
    if graph is None:
        raise ScenarioError(Message("err.site_service_areas_network"))
    cutoff_m, dist_txt = _distance_m(spec)
    bands = sorted(bands_m) if bands_m else [cutoff_m / 3, 2 * cutoff_m / 3, cutoff_m]
    fac = ctx.facilities(spec)
    fx, fy, owner = facility_entrances(fac)
    fsnap = net.snap_points(graph, fx, fy, owner=owner, n_owners=len(fac))
    ids = fac["facility_id"].astype(str).tolist() if "facility_id" in fac.columns else None
    names = fac["name"].astype(str).tolist() if "name" in fac.columns else None
    per, covered = service_area_layers(graph, fsnap, bands_m=bands, facility_id=ids, name=names)
    write_service_areas(path, per, covered)
    return [Message("note.service_areas", n=len(fac), mode=Code(mode), bands=", ".join(f"{b:,.0f}" for b in bands),
                    dist=Both(dist_txt, _distance_zh(spec)), path=str(path))]
