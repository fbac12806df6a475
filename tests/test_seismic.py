"""Analytic tests of coverage_planner.seismic: lattices, hand-computed magnitudes and alert times, brute force."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPoint, Polygon, box

from coverage_planner.errors import LayerError
from coverage_planner.seismic import (
    DetectionModel,
    SiteOptions,
    WarningGoal,
    WarningModel,
    check_spacing,
    coverage_radius_m,
    detection_at_points,
    detection_grid,
    detection_range_km,
    hutton_boore_term,
    max_station_distance,
    propose_stations,
    spacing_gaps,
    spacing_metrics,
    warning_share_by_area,
    warning_time_grid,
)

D = 10_000.0  # lattice spacing, m
SQ3 = math.sqrt(3.0)


def triangular_lattice(d: float, nx: int, ny: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``d·√3/2`` apart, every other row shifted by d/2: all neighbours at exactly d."""
    j, i = np.mgrid[0:ny, 0:nx]
    x = i * d + (j % 2) * d / 2.0
    y = j * d * SQ3 / 2.0
    return x.ravel().astype(float), y.ravel().astype(float)


def square_lattice(d: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    j, i = np.mgrid[0:n, 0:n]
    return (i * d).ravel().astype(float), (j * d).ravel().astype(float)


# ---------------------------------------------------------------------------------------------- spacing


def test_triangular_lattice_worst_point_is_d_over_sqrt3_and_edges_are_d() -> None:
    x, y = triangular_lattice(D, 12, 12)
    # a rectangle well inside the lattice's hull: every point has its true Voronoi neighbourhood
    terr = box(2 * D, 2 * D, 9 * D, 7 * D)
    res = spacing_metrics(x, y, terr, grid_m=500.0)
    assert res.coverage_exact
    assert res.coverage_max_m == pytest.approx(D / SQ3, rel=1e-9)
    assert res.coverage_p95_m <= res.coverage_max_m
    assert res.nn_mean_m == pytest.approx(D) and res.nn_max_m == pytest.approx(D)
    # Delaunay over the hull (shrunk 1 m, so hull edges have their midpoint outside and are dropped)
    hull = MultiPoint(np.column_stack([x, y])).convex_hull.buffer(-1.0)
    res_h = spacing_metrics(x, y, hull, grid_m=1000.0)
    lengths = np.hypot(*(res_h.delaunay_segments_m[:, 0] - res_h.delaunay_segments_m[:, 1]).T)
    assert res_h.delaunay_n_edges > 200
    np.testing.assert_allclose(lengths, D, rtol=1e-9)
    assert res_h.delaunay_max_m == pytest.approx(D) and res_h.delaunay_mean_m == pytest.approx(D)
    # inside the hull the worst point is a triangle's circumcentre
    assert res_h.coverage_max_m == pytest.approx(D / SQ3, rel=1e-9)
    # density: N stations over the hull area, and the triangular formula gives back about d
    assert res_h.lattice_square_m == pytest.approx(math.sqrt(hull.area / res_h.n_stations_inside))
    assert res_h.lattice_triangular_m == pytest.approx(D, rel=0.1)


def test_removing_interior_station_opens_gap_of_radius_d_centred_on_it() -> None:
    x, y = triangular_lattice(D, 12, 12)
    terr = box(2 * D, 2 * D, 9 * D, 7 * D)
    # remove the station nearest the middle of the territory
    i = int(np.argmin(np.hypot(x - 5.5 * D, y - 4.5 * D)))
    gone = (x[i], y[i])
    x2, y2 = np.delete(x, i), np.delete(y, i)
    dist, wx, wy = max_station_distance(x2, y2, terr)
    assert dist == pytest.approx(D, rel=1e-9)  # its six neighbours are all at d
    assert math.hypot(wx - gone[0], wy - gone[1]) < 1e-6 * D
    res = spacing_metrics(x2, y2, terr)
    assert res.coverage_max_m == pytest.approx(D, rel=1e-9)
    assert (res.worst_x_m, res.worst_y_m) == pytest.approx(gone, abs=1e-3)
    # one gap at the allowed radius d/√3, centred on the removed station
    gaps = spacing_gaps(x2, y2, terr, radius_m=coverage_radius_m(D))
    assert len(gaps) == 1
    g = gaps[0]
    assert (g.centre_x_m, g.centre_y_m) == pytest.approx(gone, abs=1e-3)
    assert g.centre_distance_m == pytest.approx(D, rel=1e-9)
    assert g.excess_m == pytest.approx(D - D / SQ3, rel=1e-9)
    assert g.polygon.contains(g.polygon.centroid) and g.area_m2 > 0
    # without the removal there is no gap at that radius (slivers of polygonal buffers are dropped)
    assert spacing_gaps(x, y, terr, radius_m=coverage_radius_m(D) * (1 + 1e-6)) == []


def test_square_lattice_worst_point_is_d_over_sqrt2() -> None:
    x, y = square_lattice(D, 10)
    terr = box(1.3 * D, 1.7 * D, 8.2 * D, 7.9 * D)
    res = spacing_metrics(x, y, terr)
    assert res.coverage_max_m == pytest.approx(D / math.sqrt(2.0), rel=1e-9)


def test_check_spacing_readings() -> None:
    s = 30_000.0
    x, y = triangular_lattice(s, 10, 10)
    terr = box(2 * s, 2 * s, 7 * s, 6 * s)
    tri = spacing_metrics(x, y, terr)
    assert check_spacing(tri, s * 1.0001).passed
    assert not check_spacing(tri, s * 0.99).passed
    xs, ys = square_lattice(s, 10)
    sq = spacing_metrics(xs, ys, terr)
    # the strict default fails a square lattice of spacing exactly S (worst point S/√2 = 21.2 km > 17.3 km)
    chk = check_spacing(sq, s * 1.0001)
    assert not chk.passed and chk.threshold_m == pytest.approx(s * 1.0001 / SQ3)
    assert "FAIL" in chk.sentence and chk.assumptions
    assert check_spacing(sq, s * 1.0001, metric="coverage_square").passed
    assert check_spacing(sq, s * 1.0001, metric="nn_max").passed
    with pytest.raises(LayerError):
        check_spacing(sq, s, metric="bogus")  # type: ignore[arg-type]


def test_spacing_edge_cases_one_two_collinear_stations() -> None:
    terr = box(0, 0, 20_000, 10_000)
    d, wx, wy = max_station_distance([0.0], [0.0], terr)
    assert d == pytest.approx(math.hypot(20_000, 10_000)) and (wx, wy) == pytest.approx((20_000, 10_000))
    d2, _, _ = max_station_distance([5_000.0, 15_000.0], [5_000.0, 5_000.0], terr)
    assert d2 == pytest.approx(math.hypot(5_000, 5_000))
    res = spacing_metrics([0.0, 10_000.0, 20_000.0], [5_000.0] * 3, terr)
    assert math.isnan(res.delaunay_max_m)  # collinear: no triangulation
    assert res.coverage_max_m == pytest.approx(math.hypot(5_000, 5_000))


def test_k4_coverage_matches_brute_force() -> None:
    x, y = square_lattice(D, 8)
    terr = box(2 * D, 2 * D, 5 * D, 5 * D)
    res = spacing_metrics(x, y, terr, k=4, grid_m=500.0)
    g = np.linspace(2 * D, 5 * D, 151)  # 200 m brute-force grid
    gx, gy = (a.ravel() for a in np.meshgrid(g, g))
    d4 = np.sort(np.hypot(gx[:, None] - x, gy[:, None] - y), axis=1)[:, 3]
    assert res.coverage_max_m == pytest.approx(d4.max(), abs=250.0)


def test_input_errors_are_layer_errors() -> None:
    terr = box(0, 0, 10_000, 10_000)
    with pytest.raises(LayerError, match="at least 4"):
        detection_grid([0.0, 1.0, 2.0], [0.0, 5.0, 9.0], None, terr)
    with pytest.raises(LayerError, match="degrees"):
        spacing_metrics([113.6, 113.7], [34.7, 34.8], terr)
    with pytest.raises(LayerError, match="degrees"):
        spacing_metrics([0.0, 10.0], [0.0, 10.0], box(113, 34, 114, 35))
    with pytest.raises(LayerError):
        warning_time_grid([0.0, 1.0], [0.0, 1.0], [0.0], [0.0], model=WarningModel(k=4))
    with pytest.raises(LayerError):
        detection_at_points([0, 1, 2, 3], [0, 1, 2, 3], [0.03, -1, 0.03, 0.03], [0.0], [0.0])
    with pytest.raises(LayerError):
        detection_at_points([0, 1, 2, 3], [0, 1, 2, 3], None, [0.0], [0.0], calibration=[(5, 1), (1, 2)])


# ---------------------------------------------------------------------------------------------- detection

SQ_X = np.array([-10_000.0, 10_000.0, -10_000.0, 10_000.0])
SQ_Y = np.array([-10_000.0, -10_000.0, 10_000.0, 10_000.0])


def test_four_station_square_by_hand() -> None:
    # Stations at (±10, ±10) km, noise 0.03 μm = 30 nm, amplitude ≥ 2× noise => lg(60 nm) = 1.778151.
    # Centre (0, 0): all four stations at Δ = 14.1421 km, R = sqrt(200 + 100) = 17.3205 km (h = 10 km).
    #   Mc = 1.778151 + 1.11·lg 17.3205 + 0.00189·17.3205 − 2.09
    #      = 1.778151 + 1.374803 + 0.032736 − 2.09 = 1.095690
    #   T_alert = 17.3205 / 6.0 + 3 = 2.886751 + 3 = 5.886751 s
    #   R_blind = sqrt((3.5·5.886751)² − 10²) = sqrt(424.509 − 100) = 18.0141 km
    # At the station (10, 10) km: the 4th station is the opposite corner, Δ = 28.2843 km, R = 30 km.
    #   Mc = 1.778151 + 1.11·1.477121 + 0.0567 − 2.09 = 1.778151 + 1.639605 + 0.0567 − 2.09 = 1.384456
    #   T_alert = 30 / 6 + 3 = 8 s;  R_blind = sqrt(28² − 10²) = sqrt(684) = 26.1534 km
    px, py = np.array([0.0, 10_000.0]), np.array([0.0, 10_000.0])
    mc = detection_at_points(SQ_X, SQ_Y, 0.03, px, py)
    np.testing.assert_allclose(mc, [1.095690, 1.384456], atol=2e-6)
    alert, blind = warning_time_grid(SQ_X, SQ_Y, px, py, model=WarningModel(processing_delay_s=3.0))
    np.testing.assert_allclose(alert, [5.886751, 8.0], atol=1e-6)
    np.testing.assert_allclose(blind, [18.0141, math.sqrt(684.0)], atol=1e-4)
    # the default is the measured Chinese system delay, 7.6 s instead of 3 s: 8 s -> 12.6 s at the corner
    alert76, _ = warning_time_grid(SQ_X, SQ_Y, px, py)
    np.testing.assert_allclose(alert76, alert + 4.6)
    # IASPEI self-check in STANDARDS.md: ML 3 at 100 km is 480 nm
    assert math.log10(480.0) + float(hutton_boore_term(100.0)) == pytest.approx(3.0, abs=0.01)
    # STANDARDS.md worked example: 30 nm, 2x => ML 1.0 out to R ≈ 14 km, i.e. Δ ≈ 10 km at h = 10 km
    assert detection_range_km(1.0, noise_um=0.03) == pytest.approx(10.3, abs=0.1)


def test_detection_with_table_calibration_by_hand() -> None:
    # GB 17740 form ML = lg A(μm) + R(Δ): table R = 2.0 at 0 km rising to 3.0 at 20 km and 4.0 at 40 km.
    # Noise 0.05 μm, 2× => lg 0.1 = −1. At (0, 0) Δ = 14.1421 km: R = 2.0 + 14.1421/20 = 2.707107.
    # Mc = −1 + 2.707107 = 1.707107.
    table = [(0.0, 2.0), (20.0, 3.0), (40.0, 4.0)]
    mc = detection_at_points(SQ_X, SQ_Y, 0.05, [0.0], [0.0], calibration=table)
    assert mc[0] == pytest.approx(1.707107, abs=1e-6)
    # beyond the table's last distance a station is not used: 4 stations needed, none within 40 km
    far = detection_at_points(SQ_X, SQ_Y, 0.05, [100_000.0], [0.0], calibration=table)
    assert np.isinf(far[0])


def brute_mc(sx, sy, noise_um, px, py, *, depth_km, n, snr, table=None):
    out = np.empty(len(px))
    for p in range(len(px)):
        ms = []
        for s in range(len(sx)):
            epi = math.hypot(px[p] - sx[s], py[p] - sy[s]) / 1000.0
            hyp = math.hypot(epi, depth_km)
            if table is None:
                term = 1.11 * math.log10(max(hyp, 1.0)) + 0.00189 * max(hyp, 1.0) - 2.09
                ms.append(math.log10(snr * noise_um[s] * 1000.0) + term)
            else:
                dd, rr = zip(*table, strict=True)
                term = float(np.interp(epi, dd, rr)) if epi <= dd[-1] else math.inf
                ms.append(math.log10(snr * noise_um[s]) + term)
        out[p] = sorted(ms)[n - 1]
    return out


@pytest.mark.parametrize("table", [None, [(0.0, 1.8), (10.0, 2.3), (25.0, 2.1), (60.0, 3.0), (200.0, 3.6)]])
def test_detection_matches_brute_force_with_uneven_noise(table) -> None:
    rng = np.random.default_rng(7)
    sx, sy = rng.uniform(0, 60_000, 15), rng.uniform(0, 40_000, 15)
    # one very quiet station far away: the K-nearest shortcut must notice it matters
    noise = rng.uniform(0.01, 0.08, 15)
    noise[0] = 0.0005
    gx, gy = (a.ravel() for a in np.meshgrid(np.linspace(0, 60_000, 13), np.linspace(0, 40_000, 9)))
    for n in (1, 4):
        got = detection_at_points(
            sx,
            sy,
            noise,
            gx,
            gy,
            n_stations=n,
            n_neighbours=5,
            depth_km=7.0,
            snr=3.0,
            calibration=table or "hutton_boore",
        )
        want = brute_mc(sx, sy, noise, gx, gy, depth_km=7.0, n=n, snr=3.0, table=table)
        np.testing.assert_allclose(got, want, atol=1e-9)


def test_detection_grid_share_population_and_defaults() -> None:
    x, y = triangular_lattice(8_000.0, 10, 10)
    terr = Polygon([(15_000, 15_000), (60_000, 12_000), (55_000, 50_000), (20_000, 45_000)])
    noise = np.full(x.size, np.nan)
    noise[:5] = 0.02
    res = detection_grid(x, y, noise, terr, grid_m=1000.0)
    assert res.x_m.size == pytest.approx(terr.area / 1e6, rel=0.05)
    assert 0.0 <= res.share_area <= 1.0
    assert res.share_area == pytest.approx(float(np.mean(res.mc <= 1.0)))
    assert res.mc_max == pytest.approx(max(p[2] for p in res.worst_points))
    assert any("0.03 μm where missing" in a for a in res.assumptions)
    assert any("≥4 stations" in a and "2× noise" in a for a in res.assumptions)
    # population: everyone at the worst point -> share 0 if the worst point fails
    wx, wy, wmc = res.worst_points[0]
    res_p = detection_grid(x, y, noise, terr, population=([wx, 30_000.0], [wy, 30_000.0], [100.0, 0.0]))
    assert res_p.share_population == (1.0 if wmc <= 1.0 else 0.0)


# ---------------------------------------------------------------------------------------------- monotonicity

coords = st.floats(min_value=0.0, max_value=50_000.0, allow_nan=False).map(lambda v: v + 400_000.0)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(coords, coords), min_size=4, max_size=12, unique=True),
    st.tuples(coords, coords),
    st.floats(min_value=0.005, max_value=0.1),
)
def test_adding_a_station_never_raises_mc_or_alert(stations, extra, extra_noise) -> None:
    sx, sy = np.array(stations, dtype=float).T
    noise = np.linspace(0.01, 0.06, sx.size)
    g = np.linspace(395_000, 455_000, 7)
    gx, gy = (a.ravel() for a in np.meshgrid(g, g))
    mc0 = detection_at_points(sx, sy, noise, gx, gy, n_neighbours=4)
    mc1 = detection_at_points(
        np.append(sx, extra[0]),
        np.append(sy, extra[1]),
        np.append(noise, extra_noise),
        gx,
        gy,
        n_neighbours=4,
    )
    assert np.all(mc1 <= mc0 + 1e-12)
    t0, b0 = warning_time_grid(sx, sy, gx, gy)
    t1, b1 = warning_time_grid(np.append(sx, extra[0]), np.append(sy, extra[1]), gx, gy)
    assert np.all(t1 <= t0 + 1e-12) and np.all(b1 <= b0 + 1e-12)


# ---------------------------------------------------------------------------------------------- warning & siting


def test_warning_share_by_area() -> None:
    key = {"centre": box(-5_000, -5_000, 5_000, 5_000), "far": box(40_000, 40_000, 50_000, 50_000)}
    out = warning_share_by_area(SQ_X, SQ_Y, key, within_s=10.0, grid_m=1000.0,
                                model=WarningModel(processing_delay_s=3.0))
    assert [o.name for o in out] == ["centre", "far"]
    assert out[0].share_within == 1.0 and out[0].alert_max_s < 10.0
    assert out[1].share_within == 0.0 and out[1].alert_min_s > 10.0
    assert out[0].n_points == 100 and out[0].alert_time_s.shape == (100,)
    assert any("7.6 s" in a for a in out[0].assumptions)
    # with the measured Chinese delay (the default) even the centre, ~2.9 s of P travel away, is late
    measured = warning_share_by_area(SQ_X, SQ_Y, key, within_s=10.0, grid_m=1000.0)
    assert measured[0].alert_min_s == pytest.approx(out[0].alert_min_s + 4.6)
    assert measured[0].share_within < 1.0
    assert any("processing_delay_s" in a and "default" in a for a in measured[0].assumptions)


@pytest.mark.parametrize("strategy", ["cover_worst", "largest_empty_circle"])
def test_propose_stations_meets_radius(strategy) -> None:
    terr = box(0, 0, 90_000, 60_000)
    sx, sy = np.array([20_000.0, 70_000.0]), np.array([30_000.0, 30_000.0])
    r = coverage_radius_m(30_000.0)
    res = propose_stations(sx, sy, terr, max_radius_m=r, options=SiteOptions(grid_m=2000.0, strategy=strategy))
    assert res.criterion_met
    allx, ally = np.append(sx, res.new_x_m), np.append(sy, res.new_y_m)
    assert max_station_distance(allx, ally, terr)[0] <= r * (1 + 1e-9)
    assert res.after.max_distance_m <= r * (1 + 1e-9) < res.before.max_distance_m
    assert res.after.detection_share >= res.before.detection_share
    assert res.after.warning_share >= res.before.warning_share
    assert res.before.n_stations == 2 and res.after.n_stations == 2 + res.new_x_m.size
    assert all(
        terr.intersects(MultiPoint(np.column_stack([res.new_x_m, res.new_y_m])).geoms[i])
        for i in range(res.new_x_m.size)
    )
    # a fixed number: exactly k stations, history decreasing
    res2 = propose_stations(sx, sy, terr, max_radius_m=r,
                            options=SiteOptions(k=2, grid_m=2000.0, strategy=strategy))
    assert res2.new_x_m.size == 2
    assert res2.max_distance_history_m[-1] <= res2.max_distance_history_m[0]


def test_propose_stations_with_candidates_only() -> None:
    terr = box(0, 0, 40_000, 40_000)
    cand = np.array([[10_000.0, 10_000.0], [30_000.0, 10_000.0], [10_000.0, 30_000.0], [30_000.0, 30_000.0]])
    res = propose_stations([], [], terr, max_radius_m=15_000.0, options=SiteOptions(candidates_xy=cand, grid_m=2000.0))
    assert res.criterion_met and res.new_x_m.size == 4
    assert {tuple(p) for p in np.column_stack([res.new_x_m, res.new_y_m])} == {tuple(p) for p in cand}
    # a radius the candidates cannot reach stops cleanly
    res2 = propose_stations([], [], terr, max_radius_m=5_000.0, options=SiteOptions(candidates_xy=cand, grid_m=2000.0))
    assert not res2.criterion_met and res2.new_x_m.size == 4
    assert any("not met" in a for a in res2.assumptions)


def test_propose_stations_improvement_reaches_optimum_on_square() -> None:
    # 50 × 50 km, no stations, radius 12 km: a 3 × 3 layout (half-diagonal of a 16.7 km cell = 11.8 km)
    # works, and 8 equal discs need radius ≥ 0.2603·50 = 13.0 km, so 9 is the optimum.
    terr = box(0, 0, 50_000, 50_000)
    res = propose_stations([], [], terr, max_radius_m=12_000.0)
    assert res.criterion_met and res.new_x_m.size == 9
    assert res.n_greedy > 9 and res.n_removed == res.n_greedy - 9
    greedy_only = propose_stations([], [], terr, max_radius_m=12_000.0, options=SiteOptions(improve=False))
    assert greedy_only.new_x_m.size == res.n_greedy and greedy_only.criterion_met


def test_detection_reach_is_where_one_station_records_the_magnitude() -> None:
    # lg(2·30 nm) + R(hypo) = 1.0 at the reach: checked against the calibration itself
    model = DetectionModel(target_ml=1.0, depth_km=10.0)
    reach_km = model.reach_m() / 1000.0
    hypo = math.hypot(reach_km, 10.0)
    assert math.log10(2 * 30.0) + float(hutton_boore_term(hypo)) == pytest.approx(1.0, abs=1e-9)
    assert DetectionModel(target_ml=-2.0).reach_m() == 0.0  # not even at the epicentre


def test_propose_stations_closes_the_detection_gap() -> None:
    # 30 × 30 km with one corner station: the proposal must make ML 1.0 recordable by 4 stations on every
    # grid point, as the detection module (exact M_c, an independent code path) measures it
    terr = box(0, 0, 30_000, 30_000)
    res = propose_stations([0.0], [0.0], terr, goal="detection", options=SiteOptions(grid_m=2000.0))
    assert res.criterion_met and res.new_x_m.size >= 4
    assert res.before.detection_share == 0.0 and res.after.detection_share == 1.0
    x, y = np.append(0.0, res.new_x_m), np.append(0.0, res.new_y_m)
    assert detection_grid(x, y, None, terr, grid_m=2000.0).share_area == 1.0
    # each station kept is needed: without any one of them some grid point loses its 4th station
    for j in range(res.new_x_m.size):
        keep = np.arange(x.size) != j + 1
        assert detection_grid(x[keep], y[keep], None, terr, grid_m=2000.0).share_area < 1.0
    # a dense network needs none
    gx, gy = np.meshgrid(np.arange(0, 30_001, 5000.0), np.arange(0, 30_001, 5000.0))
    dense = propose_stations(gx.ravel(), gy.ravel(), terr, goal="detection", options=SiteOptions(grid_m=2000.0))
    assert dense.criterion_met and dense.new_x_m.size == 0


def test_propose_stations_closes_the_warning_gap_or_says_it_cannot() -> None:
    terr = box(0, 0, 40_000, 40_000)
    key = {"centre": box(10_000, 10_000, 20_000, 20_000)}
    model = WarningGoal(alert_within_s=10.0, model=WarningModel(processing_delay_s=7.6), key_areas=key)
    res = propose_stations([], [], terr, goal="warning", warning=model, options=SiteOptions(grid_m=1000.0))
    assert res.criterion_met and res.after.warning_share == 1.0
    share = warning_share_by_area(res.new_x_m, res.new_y_m, key, within_s=10.0, grid_m=1000.0,
                                  model=WarningModel(processing_delay_s=7.6))
    assert share[0].share_within == 1.0
    # the processing delay alone is longer than the time allowed: no station count helps, and it says so
    late = WarningGoal(alert_within_s=10.0, model=WarningModel(processing_delay_s=10.0), key_areas=key)
    none = propose_stations([], [], terr, goal="warning", warning=late, options=SiteOptions(grid_m=1000.0))
    assert not none.criterion_met and none.new_x_m.size == 0
    assert any("no number of new stations" in a for a in none.assumptions)


@pytest.mark.parametrize(
    ("spacing_km", "delay_s", "t_mean", "t_max", "rb_mean", "rb_max"),
    [
        (20.0, 3.0, 6.8, 7.3, 21.6, 23.4),
        (30.0, 3.0, 8.4, 9.1, 27.6, 30.3),
        (30.0, 7.6, 13.0, 13.7, 44.3, 47.0),
    ],
)
def test_warning_reproduces_standards_worked_table(
    spacing_km, delay_s, t_mean, t_max, rb_mean, rb_max
) -> None:
    # STANDARDS.md §5.3 table: square lattice, h = 10 km, Vp 6.0, Vs 3.5, k = 4; epicentres over one cell
    d = spacing_km * 1000.0
    j, i = np.mgrid[0:12, 0:12]
    sx, sy = (i * d).ravel() + 5e5, (j * d).ravel() + 5e5
    g = np.linspace(0.0, d, 61)
    ex, ey = (a.ravel() + 5e5 + 5 * d for a in np.meshgrid(g, g))
    t, rb = warning_time_grid(sx, sy, ex, ey, model=WarningModel(processing_delay_s=delay_s))
    assert (t.mean(), t.max()) == pytest.approx((t_mean, t_max), abs=0.05)
    assert (rb.mean(), rb.max()) == pytest.approx((rb_mean, rb_max), abs=0.05)
