"""The tile-pruned n smallest station thresholds (seismic/ranked.py) against the pre-#20 engine, value for value.

The reference (tests/seismic_reference.py) is the old adaptive-K KD-tree code, itself proven against the
full point x station matrix in test_seismic_detection.py. Every comparison here is exact equality.
"""

from __future__ import annotations

import numpy as np
import pytest
from seismic_reference import reference_mc, reference_recorded
from shapely.geometry import Polygon

from coverage_planner.seismic import DetectionModel, detection_grid
from coverage_planner.seismic.magnitude import _calibration, hutton_boore_term
from coverage_planner.seismic.ranked import StationTerms, nth_smallest, recorded_count

HB = _calibration("hutton_boore", "epicentral")


def _stations(layout: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Station sets: spread, clustered (three tight clusters), or half of them outside the points' area."""
    if layout == "spread":
        return rng.uniform(0, 120_000, 141), rng.uniform(0, 90_000, 141)
    if layout == "clustered":
        centres = np.array([[20_000, 20_000], [90_000, 30_000], [60_000, 80_000]])
        pick = centres[rng.integers(0, 3, 141)]
        return pick[:, 0] + rng.normal(0, 1_500, 141), pick[:, 1] + rng.normal(0, 1_500, 141)
    x, y = rng.uniform(0, 120_000, 141), rng.uniform(0, 90_000, 141)
    x[::2] += 150_000  # outside the territory (east of it)
    return x, y


def _noise(kind: str, rng: np.random.Generator, n: int) -> np.ndarray:
    if kind == "uneven":
        return rng.uniform(0.005, 0.08, n)
    if kind == "quiet_few":  # a few very quiet stations matter far beyond the nearest ones
        noise = rng.uniform(0.02, 0.1, n)
        noise[:12] = rng.uniform(1e-5, 1e-4, 12)
        return noise
    return np.full(n, 0.03)


@pytest.mark.parametrize("layout", ["spread", "clustered", "outside"])
@pytest.mark.parametrize("noise_kind", ["uneven", "quiet_few", "equal"])
@pytest.mark.parametrize("n_req", [1, 4, 9])
def test_nth_smallest_equals_the_old_engine(layout: str, noise_kind: str, n_req: int) -> None:
    rng = np.random.default_rng(hash((layout, noise_kind, n_req)) % 2**32)
    sx, sy = _stations(layout, rng)
    lg = np.log10(2.0 * _noise(noise_kind, rng, sx.size)) + 3.0
    # a city-like mix: dense clusters of points and a sparse scatter, partly beyond every station
    px = np.concatenate([rng.normal(50_000, 8_000, 8_000), rng.uniform(-30_000, 160_000, 4_000)])
    py = np.concatenate([rng.normal(40_000, 6_000, 8_000), rng.uniform(-30_000, 120_000, 4_000)])
    got = nth_smallest(StationTerms(sx, sy, lg), px, py, HB, depth_km=10.0, n=n_req)
    want = reference_mc(sx, sy, lg, px, py, HB, depth_km=10.0, n_req=n_req)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("distance", ["epicentral", "hypocentral"])
def test_table_calibration_with_a_dip_equals_the_old_engine(distance: str) -> None:
    """A typed-in table that falls before it rises (not monotone) and ends at 60 km (inf beyond)."""
    calib = _calibration([(0.0, 2.0), (10.0, 2.6), (20.0, 2.3), (35.0, 3.1), (60.0, 3.6)], distance)
    rng = np.random.default_rng(7)
    sx, sy = rng.uniform(0, 100_000, 60), rng.uniform(0, 100_000, 60)
    lg = np.log10(2.0 * rng.uniform(0.01, 0.1, 60))
    px, py = rng.uniform(-40_000, 140_000, 20_000), rng.uniform(-40_000, 140_000, 20_000)
    got = nth_smallest(StationTerms(sx, sy, lg), px, py, calib, depth_km=8.0, n=4)
    want = reference_mc(sx, sy, lg, px, py, calib, depth_km=8.0, n_req=4)
    np.testing.assert_array_equal(got, want)
    assert np.isinf(got).any() and np.isfinite(got).any()


def test_upper_bound_of_the_table_covers_every_distance_between_the_ends() -> None:
    calib = _calibration([(0.0, 2.0), (10.0, 2.6), (20.0, 2.3), (35.0, 3.1), (60.0, 3.6)], "epicentral")
    rng = np.random.default_rng(2)
    lo = rng.uniform(0, 70, 2_000)
    hi = lo + rng.uniform(0, 30, 2_000)
    up = calib.upper(lo, hi, 10.0)
    for t in np.linspace(0, 1, 21):
        assert np.all(calib.term(lo + t * (hi - lo), 10.0) <= up + 1e-12)


@pytest.mark.parametrize("case", ["one_point", "a_line", "duplicates", "few_stations"])
def test_degenerate_inputs_equal_the_old_engine(case: str) -> None:
    rng = np.random.default_rng(4)
    sx, sy = rng.uniform(0, 50_000, 30), rng.uniform(0, 50_000, 30)
    px, py = rng.uniform(0, 50_000, 500), rng.uniform(0, 50_000, 500)
    if case == "one_point":
        px, py = px[:1], py[:1]
    elif case == "a_line":
        py = np.full(px.size, 25_000.0)
    elif case == "duplicates":
        sx[10:20], sy[10:20] = sx[0], sy[0]
    else:
        sx, sy = sx[:4], sy[:4]
    lg = np.log10(2.0 * rng.uniform(0.01, 0.05, sx.size)) + 3.0
    got = nth_smallest(StationTerms(sx, sy, lg), px, py, HB, depth_km=5.0, n=4)
    np.testing.assert_array_equal(got, reference_mc(sx, sy, lg, px, py, HB, depth_km=5.0, n_req=4))


def test_fewer_stations_than_required_is_inf_everywhere() -> None:
    got = nth_smallest(StationTerms(np.zeros(3), np.arange(3.0), np.zeros(3)), np.arange(5.0), np.zeros(5), HB,
                       depth_km=10.0, n=4)
    assert np.isinf(got).all()


@pytest.mark.parametrize("noise_kind", ["uneven", "quiet_few", "equal"])
def test_recorded_count_equals_one_old_pass_per_rank(noise_kind: str) -> None:
    rng = np.random.default_rng(9)
    sx, sy = _stations("spread", rng)
    lg = np.log10(2.0 * _noise(noise_kind, rng, sx.size)) + 3.0
    px, py = rng.uniform(-20_000, 140_000, 30_000), rng.uniform(-20_000, 110_000, 30_000)
    seen: set[int] = set()
    for target in (-2.5, -1.5, -0.2, 0.6, 1.0, 1.4):
        got = recorded_count(StationTerms(sx, sy, lg), px, py, HB, depth_km=10.0, n=4, target_ml=target)
        want = reference_recorded(sx, sy, lg, px, py, HB, depth_km=10.0, n=4, target_ml=target)
        np.testing.assert_array_equal(got, want)
        seen |= set(np.unique(got).tolist())
    assert len(seen) >= 3  # counts below, at and between the ends occur


def test_detection_model_counts_equal_the_old_per_rank_passes() -> None:
    rng = np.random.default_rng(12)
    sx, sy = rng.uniform(0, 80_000, 40), rng.uniform(0, 60_000, 40)
    noise = rng.uniform(0.01, 0.05, 40)
    noise[rng.random(40) < 0.3] = np.nan
    px, py = rng.uniform(0, 80_000, 10_000), rng.uniform(0, 60_000, 10_000)
    model = DetectionModel(station_noise_um=noise, target_ml=1.0)
    lg = np.log10(2.0 * np.where(np.isnan(noise), model.default_noise_um, noise)) + 3.0
    want = reference_recorded(sx, sy, lg, px, py, HB, depth_km=10.0, n=4, target_ml=1.0)
    np.testing.assert_array_equal(model.recorded_by(sx, sy, px, py), want)


def test_detection_grid_and_population_equal_the_old_engine() -> None:
    rng = np.random.default_rng(21)
    terr = Polygon([(0, 0), (90_000, 5_000), (100_000, 70_000), (40_000, 95_000), (-5_000, 60_000)])
    sx, sy = rng.uniform(-20_000, 120_000, 70), rng.uniform(-20_000, 110_000, 70)
    noise = rng.uniform(0.01, 0.06, 70)
    pop = (rng.uniform(0, 90_000, 5_000), rng.uniform(0, 90_000, 5_000), rng.uniform(1, 50, 5_000))
    res = detection_grid(sx, sy, noise, terr, grid_m=500.0, population=pop, depth_km=12.0)
    lg = np.log10(2.0 * noise) + 3.0
    np.testing.assert_array_equal(res.mc, reference_mc(sx, sy, lg, res.x_m, res.y_m, HB, depth_km=12.0, n_req=4))
    mcp = reference_mc(sx, sy, lg, pop[0], pop[1], HB, depth_km=12.0, n_req=4)
    assert res.share_population == pytest.approx(float(pop[2][mcp <= 1.0 + 1e-12].sum() / pop[2].sum()), abs=0)
    assert float(hutton_boore_term(12.0)) < res.mc_max  # a real spread of values, not a constant


@pytest.mark.parametrize("layout", ["spread", "clustered", "outside"])
def test_greedy_multi_cover_chooses_the_same_sites_as_the_old_list_version(layout: str) -> None:
    from seismic_reference import reference_greedy_recording

    from coverage_planner.seismic.siting import _greedy_recording

    rng = np.random.default_rng(31)
    sx, sy = _stations(layout, rng)
    sx, sy = sx[:25], sy[:25]
    gx, gy = (a.ravel().astype(float) for a in np.meshgrid(np.arange(0, 120_000, 1_500), np.arange(0, 90_000, 1_500)))
    model = DetectionModel(station_noise_um=rng.uniform(0.01, 0.05, 25))
    need = model.n_required - model.recorded_by(sx, sy, gx, gy)
    grid_xy = np.column_stack([gx, gy])
    reach = model.reach_m()
    got = _greedy_recording(need, grid_xy, grid_xy, reach, 200)
    want = reference_greedy_recording(need, grid_xy, grid_xy, reach, 200)
    assert got == want
    chosen = got[0]
    assert len(chosen) > 5
