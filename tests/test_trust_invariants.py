"""Invariants of the whole pipeline (layer set -> region -> targets) on the tiny city.

Facilities and population vary (hypothesis, derandomized; or seeded numpy); whatever they are:

- every coverage share (city and per unit) lies in [0, 1];
- adding a facility or raising the walking distance never lowers walk coverage (city or unit);
- results do not depend on the order of the facility CSV's rows, nor on the CRS the units,
  areas and facilities came in (EPSG:4326, EPSG:32649, EPSG:3857): the same within 1e-6;
- per-unit people and served people sum to the city totals;
- population is conserved through snapping and unit assignment (the raster's sum, to 1e-6).
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
import yaml
from conftest import TINY_SCENARIO, UTM, X0, Y0, write_grid_osm, write_tiny
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coverage_planner.studies.check import run_check

SETTINGS = settings(max_examples=6, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
TOL = 1e-6

WALK_SCENARIO = """
year: 2025
plans: {ps: {title: 测试规划}}
targets:
  - id: fit
    kind: walk_access
    title: {zh: 健身圈, en: Fitness walk}
    plan: ps
    quote: "q"
    layer: fitness
    distance_m: DIST
    level: street
    threshold: {min: 0.5}
  - id: fit-district
    kind: walk_access
    title: {zh: 健身圈, en: Fitness walk}
    plan: ps
    quote: "q"
    layer: fitness
    distance_m: DIST
    level: district
    threshold: {min: 0.5}
  - id: cap
    kind: catchment_capacity
    title: {zh: 人均, en: Per person}
    plan: ps
    quote: "q"
    layer: fitness
    capacity: area
    catchment_m: DIST
    norm: 0.5
    level: street
    threshold: {min: 0.1}
"""

POINT = st.tuples(st.floats(0, 1999), st.floats(0, 999))


def _fitness(folder: Path, xy: list[tuple[float, float]], *, crs: str = "EPSG:4326", order: np.ndarray | None = None) -> None:
    """The fitness layer as a CSV with coordinates in ``crs`` (rows in ``order``)."""
    pts = gpd.GeoDataFrame({"name": [f"健身点{i}" for i in range(len(xy))],
                            "area": [100.0 + 37 * i for i in range(len(xy))]},
                           geometry=gpd.points_from_xy([X0 + x for x, _ in xy], [Y0 + y for _, y in xy]), crs=UTM)
    pts = pts.to_crs(crs)
    df = pd.DataFrame({"name": pts["name"], "area": pts["area"], "x": pts.geometry.x.map(repr),
                       "y": pts.geometry.y.map(repr)})
    if order is not None:
        df = df.iloc[order]
    df.to_csv(folder / "fitness.csv", index=False)
    doc = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
    doc["facilities"]["fitness"] = {"path": "fitness.csv", "lon": "x", "lat": "y", "crs": crs}
    doc.setdefault("networks", {"walk": {"path": "walk.osm"}})
    (folder / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def _city(folder: Path, *, pop_seed: int | None = None) -> Path:
    write_tiny(folder)
    write_grid_osm(folder / "walk.osm")
    if pop_seed is not None:  # random people per cell, some empty
        rng = np.random.default_rng(pop_seed)
        pop = rng.integers(0, 30, (10, 20)).astype("float32") * (rng.random((10, 20)) < 0.8)
        pop[0, 0] = 7.0  # never all empty
        for name, arr in (("total.tif", pop), ("age_0_2.tif", pop * 0.03)):
            with rasterio.open(folder / "population" / name, "r+") as ds:
                ds.write(arr, 1)
    return folder


def _run(folder: Path, dist: float, scenario: str = WALK_SCENARIO):
    sc = folder / "scenario.yaml"
    sc.write_text(scenario.replace("DIST", repr(float(dist))), encoding="utf-8")
    run = run_check(sc, folder, want_geo=False)
    return run, {r.id: r for r in run.results}


def _raster_sum(folder: Path) -> float:
    with rasterio.open(folder / "population" / "total.tif") as ds:
        return float(ds.read(1).astype("float64").sum())


def _assert_same(a: object, b: object, path: str = "") -> None:
    """Recursive equality, floats within TOL."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), f"{path}: keys {a.keys() ^ b.keys()}"
        for k in a:
            _assert_same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple) and len(a) == len(b), f"{path}: {a!r} != {b!r}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float | int):
        assert a == pytest.approx(b, abs=TOL, rel=TOL) or (math.isnan(a) and math.isnan(b)), f"{path}: {a!r} != {b!r}"
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _city(tmp_path_factory.mktemp("inv") / "tiny")


# ---------------------------------------------------------------------- bounds, monotonicity, sums
@SETTINGS
@given(xy=st.lists(POINT, min_size=1, max_size=4), extra=POINT, d1=st.floats(0, 2500), d2=st.floats(0, 2500))
def test_walk_coverage_bounded_and_monotone(city: Path, xy, extra, d1, d2) -> None:
    lo, hi = sorted((d1, d2))
    case = f"instance: facilities={xy} extra={extra} distances={lo!r}, {hi!r}"
    _fitness(city, xy)
    _, few_lo = _run(city, lo)
    _, few_hi = _run(city, hi)
    _fitness(city, [*xy, extra])
    _, more_hi = _run(city, hi)
    total = _raster_sum(city)
    for res in (few_lo, few_hi, more_hi):
        for key in ("fit", "fit-district", "cap"):
            r = res[key]
            assert 0.0 <= r.value <= 1.0, f"{case}: {key} {r.value}"
            assert all(0.0 <= u.value <= 1.0 for u in r.units), f"{case}: {key} units"
            # at every breakdown level, per-unit people and served people sum to the city totals
            for level in {u.level for u in r.units}:
                units = [u for u in r.units if u.level == level]
                assert sum(u.population for u in units) == pytest.approx(total, abs=TOL), f"{case} {level}"
                if key != "cap":
                    assert sum(u.supply for u in units) == pytest.approx(r.details["served"], abs=TOL), case
            assert r.details["population"] == pytest.approx(total, abs=TOL), case
            if key != "cap":
                assert r.value == pytest.approx(r.details["served"] / total, abs=1e-12), case
    for key in ("fit", "fit-district"):
        assert few_hi[key].value >= few_lo[key].value - 1e-12, f"{case}: longer walk lowered {key}"
        assert more_hi[key].value >= few_hi[key].value - 1e-12, f"{case}: extra facility lowered {key}"
        by_lo = {u.unit_id: u.value for u in few_lo[key].units}
        by_more = {u.unit_id: u.value for u in more_hi[key].units}
        for u in few_hi[key].units:
            assert by_lo[u.unit_id] <= u.value + 1e-12 <= by_more[u.unit_id] + 2e-12, f"{case}: unit {u.unit_id}"


@pytest.mark.parametrize("pop_seed", [1, 2])
def test_population_conserved_and_unit_sums(tmp_path: Path, pop_seed: int) -> None:
    folder = _city(tmp_path / "tiny", pop_seed=pop_seed)
    rng = np.random.default_rng(pop_seed)
    _fitness(folder, [tuple(p) for p in rng.uniform([0, 0], [2000, 1000], (3, 2))])
    run, res = _run(folder, 400)
    total = _raster_sum(folder)
    case = f"instance: pop_seed={pop_seed}"
    assert float(run.region.population.total.sum()) == pytest.approx(total, abs=TOL), case
    for key in ("fit", "fit-district"):
        own = [u for u in res[key].units if u.level == res[key].level]
        assert sum(u.population for u in own) == pytest.approx(total, abs=TOL), case
        served = sum(u.supply for u in own)
        assert served == pytest.approx(res[key].details["served"], abs=TOL), case
        assert served + res[key].details["unserved"] == pytest.approx(total, abs=TOL), case
    # streets add up to their districts
    street = {u.unit_id: u for u in res["fit"].units if u.level == "street"}
    for d in res["fit-district"].units:
        kids = [u for u in street.values() if u.parent_id == d.unit_id]
        assert sum(u.population for u in kids) == pytest.approx(d.population, abs=TOL), case
        assert sum(u.supply for u in kids) == pytest.approx(d.supply, abs=TOL), case
    # the ratio kinds on the same population: per-district people sum to the city's
    sc = folder / "base.yaml"
    sc.write_text(TINY_SCENARIO, encoding="utf-8")
    base = {r.id: r for r in run_check(sc, folder, want_geo=False).results}
    assert sum(u.population for u in base["slots"].units) == pytest.approx(total, abs=TOL), case


# ---------------------------------------------------------------------- row order and CRS
FACS = [(120.0, 80.0), (930.0, 420.0), (1500.0, 700.0), (640.0, 910.0), (1880.0, 60.0)]


def _dicts(res: dict) -> dict:
    return {k: r.to_dict() for k, r in res.items()}


def test_facility_row_order_does_not_matter(tmp_path: Path) -> None:
    folder = _city(tmp_path / "tiny")
    _fitness(folder, FACS)
    _, ref = _run(folder, 500)
    for seed in (1, 2):
        order = np.random.default_rng(seed).permutation(len(FACS))
        _fitness(folder, FACS, order=order)
        _, got = _run(folder, 500)
        _assert_same(_dicts(got), _dicts(ref), f"order={order.tolist()}")
    # the childcare CSV of the ratio/presence/share kinds too
    sc = folder / "base.yaml"
    sc.write_text(TINY_SCENARIO, encoding="utf-8")
    ref = {r.id: r.to_dict() for r in run_check(sc, folder, want_geo=False).results}
    df = pd.read_csv(folder / "childcare.csv", dtype=str)
    df.iloc[::-1].to_csv(folder / "childcare.csv", index=False)
    got = {r.id: r.to_dict() for r in run_check(sc, folder, want_geo=False).results}
    _assert_same(got, ref, "childcare reversed")


def _reproject_layers(folder: Path, crs: str) -> None:
    """Rewrite units, areas and GeoPackage facilities in ``crs``."""
    for name, layers in (("units.gpkg", ["district", "street"]), ("areas.gpkg", ["built_up"]),
                         ("facilities.gpkg", ["hospital", "shelter"])):
        frames = {lyr: gpd.read_file(folder / name, layer=lyr).to_crs(crs) for lyr in layers}
        (folder / name).unlink()
        for lyr, gdf in frames.items():
            gdf.to_file(folder / name, layer=lyr)


@pytest.mark.parametrize("crs", ["EPSG:32649", "EPSG:3857"])
def test_results_do_not_depend_on_input_crs(tmp_path: Path, crs: str) -> None:
    ref_dir = _city(tmp_path / "wgs")
    _fitness(ref_dir, FACS)
    _, ref = _run(ref_dir, 500)
    sc = ref_dir / "base.yaml"
    sc.write_text(TINY_SCENARIO, encoding="utf-8")
    ref_base = {r.id: r.to_dict() for r in run_check(sc, ref_dir, want_geo=False).results}

    other = _city(tmp_path / crs.replace(":", "_"))
    _reproject_layers(other, crs)
    _fitness(other, FACS, crs=crs)
    _, got = _run(other, 500)
    _assert_same(_dicts(got), _dicts(ref), crs)
    sc2 = other / "base.yaml"
    sc2.write_text(TINY_SCENARIO, encoding="utf-8")
    got_base = {r.id: r.to_dict() for r in run_check(sc2, other, want_geo=False).results}
    _assert_same(got_base, ref_base, crs)
