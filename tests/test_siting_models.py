"""The location models beside MCLP/LSCP (issue 21) against spopt's own asserted values, on spopt's instances.

spopt's synthetic instance is rebuilt here exactly as its test fixture ``network_instance`` does: a 10 × 10
spaghetti lattice buffered by 0.2, clients and facilities drawn by ``simulated_geo_points`` with seeds 5 and
6, snapped to the network; ``from_geodataframe`` costs are Euclidean distances between the snapped points.
``simulated_geo_points`` seeds numpy's global generator, so the weights spopt draws right after the
fixture (``numpy.random.randint(1, 12, 100)``) are drawn the same way here. The real-world instances (San
Francisco stores, the school journeys) are read from the CSV files spopt ships with its tests.

Asserted values are spopt's (its test files and line): p-center 6.2520432 with sites y_2, y_3, y_4
(test_p_center.py), LSCP-B 81.46341463414633 % (test_lscpb.py), capacitated p-median mean time 87.2
(test_c_p_median.py), p-median with preselected sites 1872.5093264630818 (test_p_median.py).
"""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import shapely
from scipy.optimize import linprog
from scipy.spatial.distance import cdist

from coverage_planner.siting import CoverageProblem, SitingInputError, models
from coverage_planner.siting.backup import backup_coverage
from coverage_planner.siting.budget import budget_max_coverage
from coverage_planner.siting.capacitated_assign import capacitated_max_coverage, capacitated_p_median
from coverage_planner.siting.pcenter import p_center

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")


def _spopt_data() -> Path:
    spopt = pytest.importorskip("spopt")
    return Path(spopt.__file__).parent / "tests" / "test_locate" / "data"


@pytest.fixture(scope="module")
def lattice():
    """spopt's ``network_instance(100, 5)``: snapped clients/facilities, network costs, then the weights."""
    pytest.importorskip("spopt")
    spaghetti = pytest.importorskip("spaghetti")
    import geopandas
    from spopt.locate.util import simulated_geo_points

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lat = spaghetti.regular_lattice((0, 0, 10, 10), 9, exterior=True)
        ntw = spaghetti.Network(in_data=lat)
        arcs = spaghetti.element_as_gdf(ntw, arcs=True)
        space = arcs["geometry"].buffer(0.2).union_all()
        street = geopandas.GeoDataFrame(geopandas.GeoSeries(space), crs=arcs.crs, columns=["geometry"])
        ntw.snapobservations(simulated_geo_points(street, needed=100, seed=5), "clients", attribute=True)
        clients = spaghetti.element_as_gdf(ntw, pp_name="clients", snapped=True)
        ntw.snapobservations(simulated_geo_points(street, needed=5, seed=6), "facilities", attribute=True)
        facilities = spaghetti.element_as_gdf(ntw, pp_name="facilities", snapped=True)
        network_cost = ntw.allneighbordistances(sourcepattern=ntw.pointpatterns["clients"],
                                                destpattern=ntw.pointpatterns["facilities"])
    # as spopt's setup_method, right after the fixture (simulated_geo_points seeded the legacy generator)
    weights = np.random.randint(1, 12, 100)  # noqa: NPY002
    xy = lambda g: np.column_stack([g.geometry.x, g.geometry.y])  # noqa: E731
    return {"euclid": cdist(xy(clients), xy(facilities)), "network": network_cost, "weights": weights}


# ------------------------------------------------------------------------------------------- p-center
def test_p_center_reproduces_spopt_preselected_value(lattice):
    res = p_center(lattice["euclid"], n_sites=3, preselected=np.array([0, 0, 0, 1, 1]))
    assert res.objective == pytest.approx(6.2520432)  # spopt test_p_center.py
    assert res.chosen.tolist() == [2, 3, 4]  # spopt's known_solution_set y_2_, y_3_, y_4_
    assert res.status == "optimal" and res.preselected.tolist() == [3, 4]


def test_p_center_equals_spopt_cbc_on_network_costs(lattice):
    pulp = pytest.importorskip("pulp")
    from spopt.locate import PCenter

    for p in (1, 2, 4):
        peer = PCenter.from_cost_matrix(lattice["network"], p_facilities=p).solve(pulp.PULP_CBC_CMD(msg=False))
        ours = p_center(lattice["network"], n_sites=p)
        assert ours.objective == pytest.approx(peer.problem.objective.value(), rel=1e-6), p


@pytest.mark.parametrize("seed", range(6))
def test_p_center_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    d = rng.uniform(0, 100, size=(12, 7))
    d[rng.random(d.shape) < 0.2] = np.inf
    d[:, 0] = rng.uniform(0, 100, 12)  # everyone reachable from some site
    for p in (1, 2, 3):
        best = min(np.min(d[:, list(s)], axis=1).max() for s in itertools.combinations(range(7), p))
        res = p_center(d, n_sites=p)
        assert res.objective == pytest.approx(best)
        assert res.chosen.size == p
        assert np.min(d[:, res.chosen], axis=1).max() == pytest.approx(best)


def test_p_center_refuses_unreachable_demand():
    d = np.array([[1.0, 2.0], [np.inf, np.nan]])
    with pytest.raises(SitingInputError, match="row 1"):
        p_center(d, n_sites=1)


# ------------------------------------------------------------------------------------------- LSCP-B
def _sf_stores() -> np.ndarray:
    nd = pd.read_csv(_spopt_data() / "SF_network_distance_candidateStore_16_censusTract_205_new.csv")
    return nd.pivot_table(values="distance", index="DestinationName", columns="name").to_numpy()


def test_backup_coverage_reproduces_spopt_percentage():
    cost = _sf_stores()
    res = backup_coverage(cost, radius=5000.0)
    assert 100 * res.figures["backup_share_spopt"] == pytest.approx(81.46341463414633)  # spopt test_lscpb.py
    # Our own figure counts only demand with two open sites in reach, checked here from the sites alone.
    times = (cost[:, res.chosen] <= 5000.0).sum(axis=1)
    assert (times >= 1).all()
    assert res.figures["backup_share"] == pytest.approx(np.mean(times >= 2))
    assert res.figures["backup_share"] < res.figures["backup_share_spopt"]
    assert res.chosen.size == res.figures["n_sites_lscp"] == 8


def test_backup_coverage_is_optimal_by_brute_force():
    rng = np.random.default_rng(3)
    d = rng.uniform(0, 10, size=(15, 8))
    w = rng.integers(1, 9, 15).astype(float)
    res = backup_coverage(d, radius=5.0, demand_weight=w)
    a = d <= 5.0
    k = next(k for k in range(1, 9) if any(a[:, list(s)].any(axis=1).all() for s in itertools.combinations(range(8), k)))
    best = max(w[a[:, list(s)].sum(axis=1) >= 2].sum() for s in itertools.combinations(range(8), k)
               if a[:, list(s)].any(axis=1).all())
    assert res.chosen.size == k and res.objective == pytest.approx(best)


def test_backup_coverage_refuses_uncoverable_demand():
    with pytest.raises(SitingInputError, match="no candidate within") as exc:
        backup_coverage(np.array([[1.0, 9.0], [8.0, 9.0]]), radius=5.0)
    assert exc.value.text("zh").startswith("有 1 个需求点在 5 范围内没有候选点(第一个:第 1 行)")  # in --lang zh too


# --------------------------------------------------------------------------- capacitated p-median / MCLP
def test_capacitated_p_median_reproduces_spopt_school_mean_time():
    data = _spopt_data()
    journeys = pd.read_csv(data / "example_subject_student_school_journeys.csv")
    cost = journeys.pivot_table(columns="school", fill_value=10000, index="student", sort=False,
                                values="time").astype(int).values
    students = pd.read_csv(data / "example_subject_students.csv")
    schools = pd.read_csv(data / "example_subject_schools.csv")
    priority = np.array(schools[schools["priority"] == 1].index.tolist())
    res = capacitated_p_median(cost, np.ones(len(students)), capacity=schools["Count"].to_numpy(), n_sites=10,
                               preselected=priority, fill_preselected=True)
    assert res.figures["mean_cost"] == 87.2  # spopt test_c_p_median.py: mean_time_expected
    assert set(priority) <= set(res.chosen.tolist())
    load = np.bincount(res.assignment, minlength=cost.shape[1])
    assert (load <= schools["Count"].to_numpy()).all()
    assert (load[priority] == schools["Count"].to_numpy()[priority]).all()  # filled, as asked


def test_capacitated_p_median_small_lattice_assignment(lattice):
    # spopt's test_c_p_median_from_cost_matrix uses network_instance(2, 3): rebuilt on its own seeds there;
    # here the same capacities and demands on three of our lattice facilities, checked by brute force.
    d = lattice["network"][:2, :3]
    res = capacitated_p_median(d, np.array([4, 10]), capacity=np.array([5, 7, 10]), n_sites=2)
    demand, cap = np.array([4, 10]), np.array([5, 7, 10])
    feasible = []
    for a, b in itertools.product(range(3), repeat=2):  # site of client 0, site of client 1
        load = np.bincount([a, b], weights=demand, minlength=3)
        if (load <= cap).all():
            feasible.append(d[0, a] * 4 + d[1, b] * 10)
    best = (min(feasible),)
    assert res.objective == pytest.approx(best[0])


def test_p_median_reproduces_spopt_preselected_objective(lattice):
    res = models.p_median(lattice["euclid"], lattice["weights"], n_sites=3, preselected=np.array([0, 0, 0, 1, 1]))
    assert res.objective == pytest.approx(1872.5093264630818)  # spopt test_p_median.py
    assert res.figures["mean_cost"] == pytest.approx(3.0299503664451164)
    assert res.chosen.tolist() == [1, 3, 4]


@pytest.mark.parametrize("seed", range(4))
def test_capacitated_mclp_split_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    n_d, n_c, p = 9, 5, 2
    d = rng.uniform(0, 10, size=(n_d, n_c))
    w = rng.integers(1, 20, n_d).astype(float)
    cap = rng.integers(10, 40, n_c).astype(float)
    res = capacitated_max_coverage(d, w, capacity=cap, radius=5.0, n_sites=p, single_source=False)
    best = 0.0
    for s in itertools.combinations(range(n_c), p):
        pairs = [(i, j) for i in range(n_d) for j in s if d[i, j] <= 5.0]
        if not pairs:
            continue
        # max Σ w_i z_ij, Σ_j z_ij ≤ 1, Σ_i w_i z_ij ≤ cap_j: a small LP per site set
        a_ub = np.zeros((n_d + len(s), len(pairs)))
        for k, (i, j) in enumerate(pairs):
            a_ub[i, k] = 1.0
            a_ub[n_d + s.index(j), k] = w[i]
        lp = linprog(-np.array([w[i] for i, _ in pairs]), A_ub=a_ub, b_ub=np.concatenate([np.ones(n_d), cap[list(s)]]),
                     bounds=(0, 1))
        best = max(best, -lp.fun)
    assert res.objective == pytest.approx(best, rel=1e-6)
    assert (res.site_load <= cap + 1e-6).all()


# ------------------------------------------------------------------------------ budget, preselected MCLP
@pytest.mark.parametrize("seed", range(5))
def test_budget_mclp_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    n_d, n_c = 14, 7
    cover = rng.random((n_d, n_c)) < 0.3
    w = rng.integers(1, 50, n_d).astype(float)
    existing = rng.random(n_d) < 0.2
    price = rng.integers(1, 10, n_c).astype(float)
    budget = 12.0
    problem = CoverageProblem(sp.csr_array(cover), w, existing, candidate_cost=price)
    best = max(problem.covered_weight(list(s)) for k in range(n_c + 1) for s in itertools.combinations(range(n_c), k)
               if price[list(s)].sum() <= budget)
    res = budget_max_coverage(problem, budget=budget)
    assert res.objective == pytest.approx(best)
    assert res.figures["cost_used"] <= budget
    assert problem.covered_weight(res.chosen) == pytest.approx(best)


def test_budget_needs_costs():
    problem = CoverageProblem(sp.csr_array(np.eye(2, dtype=bool)), [1, 1])
    with pytest.raises(SitingInputError, match="--cost-field"):
        budget_max_coverage(problem, budget=3)


@pytest.mark.parametrize("seed", range(4))
def test_mclp_with_preselected_sites_equals_spopt(seed, lattice):
    pulp = pytest.importorskip("pulp")
    from spopt.locate import MCLP

    rng = np.random.default_rng(seed)
    cost = lattice["network"]
    pre = (rng.random(5) < 0.4).astype(int)
    p = int(pre.sum()) + 1
    w = lattice["weights"]
    peer = MCLP.from_cost_matrix(cost, w, service_radius=4.0, p_facilities=p, predefined_facilities_arr=pre)
    peer = peer.solve(pulp.PULP_CBC_CMD(msg=False))
    ours = models.mclp(cost, w, radius=4.0, n_sites=p, preselected=pre)
    assert ours.objective == pytest.approx(peer.problem.objective.value())
    assert set(np.flatnonzero(pre)) <= set(ours.chosen.tolist())


def test_lscp_with_preselected_site(lattice):
    res = models.lscp(lattice["network"], radius=8.0, preselected=[4])
    a = lattice["network"][:, res.chosen] <= 8.0
    assert a.any(axis=1).all() and 4 in res.chosen
    for s in itertools.combinations(range(5), res.chosen.size - 1):  # nothing smaller covers everyone
        if 4 in s:
            assert not (lattice["network"][:, list(s)] <= 8.0).any(axis=1).all()


# ------------------------------------------------------------------------------------------ dispatch
def test_solve_dispatches_every_model():
    rng = np.random.default_rng(7)
    dist = rng.uniform(0, 1500, size=(40, 12))
    dist[dist > 900] = 0  # pairs beyond the cutoff are not stored
    cost = sp.csr_array(dist)
    cover = sp.csr_array(dist > 0)
    w = rng.integers(1, 30, 40).astype(float)
    existing = np.zeros(40, bool)
    existing[:5] = True
    problem = CoverageProblem(cover, w, existing, candidate_capacity=np.full(12, 80.0),
                              candidate_cost=rng.integers(1, 5, 12).astype(float))
    for model in models.MODELS:
        out = models.solve(model, problem, cost=cost, n_sites=3, time_limit_s=20)
        assert out.chosen.size == out.marginal_people.size
        assert out.sentence
        if model in ("mclp", "p-median", "p-center", "capacitated"):
            assert out.chosen.size <= 3
    budget = models.solve("mclp", problem, budget=4.0)
    assert problem.candidate_cost[budget.chosen].sum() <= 4.0
    with pytest.raises(SitingInputError, match="Unknown siting model"):
        models.solve("p-centre", problem)


# ------------------------------------------------------------------------------- studies and the CLI
DEMO_SCALE = 0.05


@pytest.fixture
def demo_ctx():
    from coverage_planner.model.manifest import load_manifest
    from coverage_planner.model.region import load_region
    from coverage_planner.model.scenario import load_scenario
    from coverage_planner.studies.check import resolve_layers
    from coverage_planner.targets.base import EvalContext

    region = load_region(load_manifest(resolve_layers("demo", demo_scale=DEMO_SCALE)))
    return EvalContext(region=region, scenario=load_scenario(2025))


def test_study_p_median_sites_are_rechecked(demo_ctx):
    from coverage_planner.studies.site import SiteOptions, run_siting

    study = run_siting(demo_ctx, "fitness-15min-circle", SiteOptions(new=3, model="p-median"))
    assert len(study.sites) == 3 and study.details["model"] == "p-median"
    assert study.after.value > study.before.value
    assert "p-median" in study.sentence and any("Distances for the p-median model" in n for n in study.notes)


def test_study_budget_uses_the_cost_field(demo_ctx, tmp_path):
    import geopandas as gpd
    import shapely

    from coverage_planner.studies.site import SiteOptions, run_siting

    pop = demo_ctx.region.population
    idx = np.flatnonzero(pop.total > 0)[::40][:60]
    price = np.where(np.arange(idx.size) % 2 == 0, 1.0, 3.0)
    layer = gpd.GeoDataFrame({"cost_wan": price}, geometry=shapely.points(pop.x_m[idx], pop.y_m[idx]),
                             crs=demo_ctx.region.crs).to_crs(4326)
    path = tmp_path / "candidates.gpkg"
    layer.to_file(path, driver="GPKG")
    study = run_siting(demo_ctx, "fitness-15min-circle", SiteOptions(candidates=path, budget=5.0, cost_field="cost_wan"))
    assert study.details["cost_used"] <= 5.0 and study.solver.startswith("HiGHS MILP (budget)")
    assert len(study.sites) >= 2  # cheap sites first: at least two fit a budget of 5


def test_study_refuses_models_for_ratio_targets(demo_ctx):
    from coverage_planner.errors import ScenarioError
    from coverage_planner.studies.site import SiteOptions, run_siting

    with pytest.raises(ScenarioError, match="walk_access and radius_coverage"):
        run_siting(demo_ctx, "childcare-slots-per-1000", SiteOptions(new=2, model="p-center"))


def test_cli_model_option_and_bad_budget_exit_2(tmp_path):
    from click.testing import CliRunner

    from coverage_planner.cli.main import cli

    ok = CliRunner().invoke(cli, ["site", "-s", "2025", "--demo-scale", str(DEMO_SCALE), "-t", "fitness-15min-circle",
                                  "--new", "2", "--model", "capacitated", "--capacity", "2000", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    import json

    doc = json.loads(ok.output)
    assert doc["details"]["model"] == "capacitated" and doc["n_sites"] <= 2
    bad = CliRunner().invoke(cli, ["site", "-s", "2025", "--demo-scale", str(DEMO_SCALE), "-t", "fitness-15min-circle",
                                   "--new", "2", "--budget", "10"])
    assert bad.exit_code == 2 and "--cost-field" in bad.output and "Traceback" not in bad.output


# ----------------------------------------------------------------------------------- service areas
def test_service_area_layers_follow_the_network(tmp_path):
    from coverage_planner.network import snap_points
    from coverage_planner.network.service_area_export import service_area_layers, write_service_areas
    from coverage_planner.network.synthetic import city_network

    g = city_network(400, seed=2, river=False)
    fx = np.array([g.node_x_m[10], g.node_x_m[300]])
    fy = np.array([g.node_y_m[10], g.node_y_m[300]])
    snap = snap_points(g, fx, fy)
    per, covered = service_area_layers(g, snap, bands_m=[300, 600], facility_id=["a", "b"], buffer_m=30)
    assert len(per) == 4 and list(covered["band_to_m"]) == [300, 600]
    for fid in ("a", "b"):
        rings = per[per["facility_id"] == fid].geometry.to_numpy()
        assert shapely.intersection(rings[0], rings[1]).area < 1.0  # bands are rings, they do not overlap
        whole = shapely.union(rings[0], rings[1])
        # along streets, not a circle: inside the 600 m (+ band) disc and well short of filling it
        assert whole.area < np.pi * 630.0**2 * 0.9
    merged = shapely.union_all(covered.geometry.to_numpy())
    each = shapely.union_all(per.geometry.to_numpy())
    assert abs(merged.area - each.area) < 1e-3 * each.area  # the merged area is the union of the facilities'
    write_service_areas(tmp_path / "sa.gpkg", per, covered)
    import pyogrio

    assert {name for name, _ in pyogrio.list_layers(tmp_path / "sa.gpkg")} == {"service_areas", "covered_area"}


def test_model_outcome_details_are_json_ready():
    import json

    rng = np.random.default_rng(1)
    dist = rng.uniform(1, 900, size=(20, 6))
    problem = CoverageProblem(sp.csr_array(dist < 600), rng.integers(1, 9, 20).astype(float))
    out = models.solve("p-center", problem, cost=sp.csr_array(dist), n_sites=2)
    json.dumps(out.details, allow_nan=False)  # no NaN / inf sneaks into the JSON report
