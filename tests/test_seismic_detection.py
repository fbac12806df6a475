"""Seismic detection with adaptive K: exact against every station, over several refinement rounds."""

from __future__ import annotations

import numpy as np
import pytest

from coverage_planner.seismic.detection import detection_at_points
from coverage_planner.seismic.magnitude import hutton_boore_term


def all_stations_mc(sx, sy, noise_um, px, py, *, depth_km, n, snr):  # noqa: ANN001, ANN201
    """The n-th smallest station threshold from the full point x station matrix (Hutton & Boore)."""
    epi = np.hypot(px[:, None] - sx[None, :], py[:, None] - sy[None, :]) / 1000.0
    m = np.log10(snr * noise_um * 1000.0)[None, :] + hutton_boore_term(np.sqrt(epi**2 + depth_km**2))
    return np.sort(m, axis=1)[:, n - 1]


@pytest.mark.parametrize("n_req", [1, 4, 9])
def test_quiet_far_stations_need_several_rounds_and_stay_exact(n_req: int) -> None:
    rng = np.random.default_rng(11)
    sx, sy = rng.uniform(0, 200_000, 400), rng.uniform(0, 120_000, 400)
    noise = rng.uniform(0.02, 0.1, 400)
    # a ring of very quiet stations: for many points they beat the noisy near ones, far outside K
    noise[:40] = rng.uniform(1e-5, 1e-4, 40)
    px, py = rng.uniform(-20_000, 220_000, 3_000), rng.uniform(-20_000, 140_000, 3_000)
    got = detection_at_points(sx, sy, noise, px, py, n_stations=n_req, n_neighbours=2, depth_km=8.0, snr=2.0)
    want = all_stations_mc(sx, sy, noise, px, py, depth_km=8.0, n=n_req, snr=2.0)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


@pytest.mark.parametrize("n_req", [1, 4])
def test_equal_noise_shortcut_equals_every_station(n_req: int) -> None:
    """Equal noise everywhere: only the n-th nearest station's term is computed; the same value as the n-th
    smallest over the full point x station matrix (and as the K-nearest path with unequal-noise rounds)."""
    rng = np.random.default_rng(5)
    sx, sy = rng.uniform(0, 100_000, 150), rng.uniform(0, 80_000, 150)
    px, py = rng.uniform(-10_000, 110_000, 4_000), rng.uniform(-10_000, 90_000, 4_000)
    got = detection_at_points(sx, sy, 0.03, px, py, n_stations=n_req, depth_km=10.0, snr=2.0)
    want = all_stations_mc(sx, sy, np.full(150, 0.03), px, py, depth_km=10.0, n=n_req, snr=2.0)
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    # one station a hair quieter takes the general path: the values barely move
    noise = np.full(150, 0.03)
    noise[0] = 0.0299999
    general = detection_at_points(sx, sy, noise, px, py, n_stations=n_req, depth_km=10.0, snr=2.0)
    np.testing.assert_allclose(general, want, rtol=0, atol=1e-5)


def test_unknown_detection_option_is_named() -> None:
    with pytest.raises(TypeError, match="depth_m"):
        detection_at_points([0.0, 1.0], [0.0, 1.0], None, [0.0], [0.0], n_stations=1, depth_m=5.0)


# ---------------------------------------------------------------------- "any centre within r" (radius coverage)
def _ball_reference(px, py, cx, cy, r):  # noqa: ANN001, ANN202
    from scipy.spatial import cKDTree

    out = np.zeros(px.size, dtype=bool)
    for hits in cKDTree(np.column_stack([px, py])).query_ball_point(np.column_stack([cx, cy]), r=r):
        out[np.asarray(hits, dtype=np.int64)] = True
    return out


@pytest.mark.parametrize("radii", ["one", "few", "many"])
def test_any_within_matches_ball_queries_including_exact_boundaries(radii: str) -> None:
    from coverage_planner.network.straight_line import any_within_m

    rng = np.random.default_rng(3)
    # a 100 m cell grid and centres on grid points: many distances are exactly 300, 500 ... m
    gx, gy = (a.ravel().astype(float) for a in np.meshgrid(np.arange(0, 5000, 100), np.arange(0, 4000, 100)))
    cx, cy = rng.choice(np.arange(0, 5000, 100), 60).astype(float), rng.choice(np.arange(0, 4000, 100), 60).astype(float)
    r = {"one": np.full(60, 500.0), "few": rng.choice([300.0, 500.0, 1000.0], 60),
         "many": rng.uniform(100, 900, 60).round(0)}[radii]
    got = any_within_m(gx, gy, cx, cy, r)
    np.testing.assert_array_equal(got, _ball_reference(gx, gy, cx, cy, r))
    assert got.any() and not got.all()
