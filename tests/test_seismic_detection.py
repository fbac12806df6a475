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
