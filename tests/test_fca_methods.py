"""3SFCA and RAAM (issue 21) equal PySAL access's own output on access's own example data, rebuilt here.

The instances are those of access's test suite: the three-tract hospital example of
``tests/test_hospital_example.py`` (three travel-cost scenarios, gravity weight ``(c / 1) ** -1``, max cost
61), and the n × n grid of ``tests/util.py`` (``create_nxn_grid`` with ``random.seed(44)`` values
``randint(1, 200)``, Euclidean cost between every pair of cells). access runs in this process on the same
tables; our figures must equal its to 1e-9 (relative) per location.
"""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest

from coverage_planner.network.fca_methods import (
    normalized_access,
    raam,
    raam_arrays,
    three_step_fca,
    three_step_fca_arrays,
)

access = pytest.importorskip("access")
weights = pytest.importorskip("access.weights")


def hospital_tables() -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """access's hospital example: three tracts and its three travel-cost scenarios."""
    tracts = pd.DataFrame([{"geoid": 1, "pop": 100, "doc": 15}, {"geoid": 2, "pop": 50, "doc": 20},
                           {"geoid": 3, "pop": 10, "doc": 100}])
    scenarios = [
        {(1, 3): 40, (2, 3): 40, (3, 1): 40, (3, 2): 40, (1, 2): 80, (2, 1): 80},  # symmetric
        {(1, 3): 40, (2, 3): 40, (3, 1): 20, (3, 2): 20, (1, 2): 80, (2, 1): 80},  # faster outbound
        {(1, 3): 20, (2, 3): 20, (3, 1): 20, (3, 2): 20, (1, 2): 40, (2, 1): 40},  # symmetric, faster
    ]
    tables = []
    for sc in scenarios:
        rows = [{"origin": i, "dest": i, "cost": 1} for i in (1, 2, 3)]
        rows += [{"origin": o, "dest": d, "cost": c} for (o, d), c in sc.items()]
        tables.append(pd.DataFrame(rows))
    return tracts, tables


def grid_tables(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """access's ``create_nxn_grid(n, random_values=True, seed=44)`` and its Euclidean cost matrix."""
    random.seed(44)
    rows, _id = [], 0
    for x in range(n):
        for y in range(n):
            _id += 1
            rows.append({"id": _id, "x": x, "y": y, "value": random.randint(1, 200)})
    grid = pd.DataFrame(rows)
    cost = [{"origin": a.id, "dest": b.id, "cost": math.sqrt((a.x - b.x) ** 2 + (a.y - b.y) ** 2)}
            for a in grid.itertuples() for b in grid.itertuples()]
    return grid, pd.DataFrame(cost)


def _access(demand: pd.DataFrame, supply: pd.DataFrame, costs: pd.DataFrame, d_index: str, d_value: str,
            s_index: str, s_value: str):
    return access.Access(demand_df=demand, demand_index=d_index, demand_value=d_value, supply_df=supply,
                         supply_index=s_index, supply_value=s_value, cost_df=costs, cost_origin="origin",
                         cost_dest="dest", cost_name="cost")


def _gravity(c: np.ndarray) -> np.ndarray:
    return np.power(c / 1.0, -1.0)


@pytest.mark.parametrize("scenario", [0, 1, 2])
def test_three_step_fca_equals_access_hospital_example(scenario):
    tracts, tables = hospital_tables()
    costs = tables[scenario]
    a = _access(tracts, tracts, costs, "geoid", "pop", "geoid", "doc")
    a.three_stage_fca(name="t", weight_fn=weights.gravity(1, -1), max_cost=61)
    want = a.access_df["t_doc"]
    got = three_step_fca(costs, tracts.set_index("geoid")["pop"], tracts.set_index("geoid")["doc"], max_cost=61,
                         weight_fn=_gravity, destination="dest")
    for geoid in (1, 2, 3):
        assert got[geoid] == pytest.approx(want[geoid], rel=1e-9), (scenario, geoid)


@pytest.mark.parametrize(("n", "max_cost", "sigma"), [(5, 2.5, 1.0), (6, 1.5, 2.0), (6, 100.0, 1.5)])
def test_three_step_fca_equals_access_on_its_grid(n, max_cost, sigma):
    grid, costs = grid_tables(n)
    a = _access(grid, grid, costs, "id", "value", "id", "value")
    a.three_stage_fca(name="t", weight_fn=weights.gaussian(sigma), max_cost=max_cost)
    want = a.access_df["t_value"]
    g = grid.set_index("id")["value"]
    got = three_step_fca(costs, g, g, max_cost=max_cost, weight_fn=lambda c: np.exp(-c * c / (2 * sigma**2)),
                         destination="dest")
    np.testing.assert_allclose(got.loc[want.index].to_numpy(), want.to_numpy(), rtol=1e-9, atol=0)


def test_three_step_fca_collapses_to_2sfca_weights_for_one_facility():
    # One facility: G = 1 for everyone, so 3SFCA = E2SFCA with weight W(c) (W² in A): checked by hand.
    res = three_step_fca_arrays(np.array([0, 1]), np.array([0, 0]), np.array([1.0, 2.0]), demand=np.array([10.0, 20.0]),
                                supply=np.array([6.0]), max_cost=5.0, weight_fn=lambda c: 1 / c)
    felt = 10 * 1 + 20 * 0.5
    assert res.ratio[0] == pytest.approx(6 / felt)
    assert res.access.tolist() == pytest.approx([6 / felt * 1, 6 / felt * 0.5])


@pytest.mark.parametrize(("n", "tau", "initial_step"), [(5, 60.0, 0.2), (6, 2.0, 0.2), (6, 1.0, 3), (7, 5.0, 0.2)])
def test_raam_equals_access_on_its_grid(n, tau, initial_step):
    grid, costs = grid_tables(n)
    # demand: the grid's values turned around (cell k gets the value of cell n² + 1 - k), times 7, so demand and
    # supply differ from cell to cell and people move to less congested cells
    demand = grid.assign(pop=grid["value"].to_numpy()[::-1] * 7)
    a = _access(demand, grid, costs, "id", "pop", "id", "value")
    a.raam(name="r", tau=tau, initial_step=initial_step)
    want = a.access_df["r_value"].dropna()
    got = raam(costs, demand.set_index("id")["pop"], grid.set_index("id")["value"], tau=tau, destination="dest",
               initial_step=initial_step)
    np.testing.assert_allclose(got.loc[want.index].to_numpy(), want.to_numpy(), rtol=1e-9, atol=0)


def test_raam_equals_access_on_a_sparse_table():
    # Only pairs within 2 cells: people cannot go everywhere (masked travel, as access handles NaN).
    grid, costs = grid_tables(6)
    near = costs[costs["cost"] <= 2.0].reset_index(drop=True)
    supply = grid.assign(value=np.where(grid["id"] % 3 == 0, grid["value"], 0))
    a = _access(grid, supply, near, "id", "value", "id", "value")
    a.raam(name="r", tau=3.0)
    want = a.access_df["r_value"].dropna()
    got = raam(near, grid.set_index("id")["value"], supply.set_index("id")["value"], tau=3.0, destination="dest")
    np.testing.assert_allclose(got.loc[want.index].to_numpy(), want.to_numpy(), rtol=1e-9, atol=0)


def test_raam_single_demand_location_gets_all_supply():
    # access's own check (test_raam.py): one demand location, normalised RAAM ... here the supply it gets.
    grid, costs = grid_tables(5)
    o, d = costs["origin"].to_numpy() - 1, costs["dest"].to_numpy() - 1
    demand = np.zeros(25)
    demand[12] = 500.0
    res = raam_arrays(o, d, costs["cost"].to_numpy(), demand=demand, supply=grid["value"].to_numpy(dtype=float))
    assert np.isnan(res.cost[np.arange(25) != 12]).all()
    assert res.assignment[12].sum() == pytest.approx(500.0)
    assert res.supply_per_demand[12] * 500 == pytest.approx(grid["value"][res.assignment[12] > 0].sum())


def test_normalized_access_is_one_on_average():
    a = np.array([1.0, 2.0, 4.0])
    w = np.array([1.0, 1.0, 2.0])
    assert (normalized_access(a, w) * w).sum() / w.sum() == pytest.approx(1.0)


# ---------------------------------------------------------------------- method: in a catchment target
@pytest.fixture(scope="module")
def demo():
    from coverage_planner.model.manifest import load_manifest
    from coverage_planner.model.region import load_region
    from coverage_planner.model.scenario import load_scenario
    from coverage_planner.studies.check import resolve_layers

    region = load_region(load_manifest(resolve_layers("demo", demo_scale=0.05)))
    return region, load_scenario(2025)


def _evaluate(demo, method):
    import dataclasses

    from coverage_planner.targets import evaluate_target
    from coverage_planner.targets.base import EvalContext

    region, sc = demo
    spec = sc.target("shelter-check-emergency-500m")
    params = {**spec.params, **({"method": method} if method else {})}
    return evaluate_target(dataclasses.replace(spec, params=params), EvalContext(region=region, scenario=sc))


@pytest.mark.parametrize("method", ["3sfca", "raam"])
def test_catchment_target_method_shares_the_same_capacity(demo, method):
    base, other = _evaluate(demo, None), _evaluate(demo, method)
    assert other.details["method"] == method and "method" not in base.details
    # Every method hands out the capacity of the facilities people reach, no more and no less: the
    # population-weighted mean capacity per person is the same; who gets it differs.
    assert other.details["mean_per_person"] == pytest.approx(base.details["mean_per_person"], rel=1e-9)
    assert other.value != pytest.approx(base.value, abs=1e-6)
    assert any(("3SFCA" if method == "3sfca" else "RAAM") in a for a in other.assumptions)


def test_catchment_target_refuses_an_unknown_method(demo):
    from coverage_planner.errors import ScenarioError

    with pytest.raises(ScenarioError, match="2sfca, 3sfca, raam"):
        _evaluate(demo, "4sfca")


# ---------------------------------------------------------------------------------------- equity
def test_gini_and_weighted_quantiles_by_hand():
    from coverage_planner.targets.equity import gini, weighted_quantiles

    assert gini(np.array([3.0, 3.0, 3.0])) == pytest.approx(0.0)
    assert gini(np.array([0.0, 0.0, 0.0, 8.0])) == pytest.approx(0.75)  # (n - 1) / n
    # weights act as repeated people: [1, 1, 5] with weights [2, 1] on [1, 5]... same as unweighted repeats
    assert gini(np.array([1.0, 5.0]), np.array([2.0, 1.0])) == pytest.approx(gini(np.array([1.0, 1.0, 5.0])))
    assert weighted_quantiles(np.array([10.0, 20.0, np.inf]), np.array([1.0, 1.0, 2.0]), qs=(0.25, 0.5, 0.9)) == [
        10.0, 20.0, None]


def test_equity_summary_names_the_worst_units_and_groups():
    import geopandas as gpd

    from coverage_planner.targets.equity import equity_summary

    units = gpd.GeoDataFrame({"unit_id": ["a", "b"], "name": ["东街 East", "西街 West"]}, geometry=[None, None])
    value = np.array([100.0, 200.0, np.inf, np.inf])
    good = np.isfinite(value)
    weight = np.array([10.0, 10.0, 30.0, 0.0])
    old = np.array([1.0, 2.0, 6.0, 5.0])  # the last cell is outside the target's scope (no weight)
    out = equity_summary(value=value, good=good, weight=weight, cell_unit=np.array([0, 0, 1, 1]), units=units,
                         level="street", groups={"age_60_plus": old}, value_name="walking distance (m)",
                         good_name="within 500 m")
    assert out["people"]["share_meeting"] == pytest.approx(20 / 50)
    assert out["units"]["worst"][0]["name"] == "西街 West" and out["units"]["worst"][0]["share"] == 0.0
    g = out["groups"]["age_60_plus"]
    assert g["people"] == 9.0 and g["share_not_meeting"] == pytest.approx(6 / 9)
    assert [u["unit_id"] for u in g["worst_units"]] == ["b"]


def test_access_targets_carry_the_equity_summary(demo):
    eq = _evaluate(demo, None).details["equity"]
    assert eq["people"]["value_name"].startswith("m²")
    assert 0 <= eq["units"]["gini"] <= 1 and eq["units"]["worst"]
    shares = [u["share"] for u in eq["units"]["worst"]]
    assert shares == sorted(shares)
