"""Local-magnitude calibration: the distance term R of ``ML = lg A + R`` (STANDARDS.md §5.2).

* Default, Hutton & Boore (1987) as adopted by IASPEI: ``ML = lg A + 1.11·lg R + 0.00189·R − 2.09`` with A
  the ground-displacement amplitude **in nm** on a simulated Wood-Anderson record (WA trace amplitude
  divided by its gain 2080) and R the **hypocentral** distance in km. Noise given in μm is converted:
  ``lg(N_nm) = lg(N_um) + 3``.
* Alternative, a GB 17740-2017-style table of ``(distance_km, R)`` pairs: A **in μm** (mean of the two
  horizontal DD-1 amplitudes), Δ the **epicentral** distance, interpolated linearly. GB 17740 Appendix A
  was not retrieved (STANDARDS.md §7.6), so the table must be typed in by the user.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.optimize import brentq

from ..errors import LayerError
from ..model.messages import Both, Message
from .inputs import DEFAULT_NOISE_UM, Float, check_positive

__all__ = ["Calibration", "DistanceKind", "detection_range_km", "hutton_boore_term"]

Calibration = Literal["hutton_boore"] | ArrayLike
DistanceKind = Literal["epicentral", "hypocentral"]

#: Hutton & Boore (1987) is not calibrated at very short range; hypocentral distances below this are
#: treated as this value so that lg R stays finite (only matters for depth_km < 1).
_MIN_HYPO_KM = 1.0


def hutton_boore_term(hypocentral_km: ArrayLike) -> Float:
    """The distance term −lg A0(R) of Hutton & Boore (1987)/IASPEI for A in nm: ``1.11·lg R + 0.00189·R − 2.09``.

    Examples
    --------
    >>> float(np.round(np.log10(480.0) + hutton_boore_term(100.0), 2))  # STANDARDS.md self-check
    3.0
    """
    r = np.maximum(np.asarray(hypocentral_km, dtype=np.float64), _MIN_HYPO_KM)
    return 1.11 * np.log10(r) + 0.00189 * r - 2.09


@dataclass(frozen=True, slots=True)
class _Calib:
    """A distance term R with its amplitude unit offset (lg of units per μm)."""

    name: str
    table_d_km: Float | None
    table_r: Float | None
    distance: DistanceKind
    offset: float  # added to lg(N_um): +3 for nm-based Hutton & Boore, 0 for μm tables

    def term(self, epi_km: Float, depth_km: float) -> Float:
        hypo = np.sqrt(epi_km * epi_km + depth_km * depth_km)
        if self.table_d_km is None or self.table_r is None:  # no table: Hutton & Boore
            return hutton_boore_term(hypo)
        d = epi_km if self.distance == "epicentral" else hypo
        r = np.interp(d, self.table_d_km, self.table_r)
        return np.where(d > self.table_d_km[-1], np.inf, r)

    def lower(self, epi_km: Float, depth_km: float) -> Float:
        """A lower bound of ``term`` over all distances ≥ ``epi_km`` (to prove the K nearest suffice)."""
        if self.table_d_km is None:
            return self.term(epi_km, depth_km)  # increasing in distance
        assert self.table_r is not None
        d = epi_km if self.distance == "epicentral" else np.sqrt(epi_km**2 + depth_km**2)
        suffix_min = np.minimum.accumulate(self.table_r[::-1])[::-1]
        j = np.searchsorted(self.table_d_km, d, side="right")
        beyond = np.append(suffix_min, np.inf)[j]
        return np.minimum(self.term(epi_km, depth_km), beyond)

    def upper(self, lo_km: Float, hi_km: Float, depth_km: float) -> Float:
        """An upper bound of ``term`` over epicentral distances in ``[lo_km, hi_km]`` (elementwise, lo <= hi).

        Hutton & Boore grows with distance: its value at ``hi_km``. A table: the larger end value and every
        tabulated R strictly between the two ends (linear pieces peak at their ends); ``inf`` past the table.
        """
        if self.table_d_km is None or self.table_r is None:
            return self.term(hi_km, depth_km)
        ends = np.maximum(self.term(lo_km, depth_km), self.term(hi_km, depth_km))
        if self.distance == "epicentral":
            d_lo, d_hi = lo_km, hi_km
        else:
            d_lo, d_hi = np.sqrt(lo_km**2 + depth_km**2), np.sqrt(hi_km**2 + depth_km**2)
        m = self.table_r.size
        # range_max[i, j] = max(table_r[i:j]) (-inf when empty): the knots with i <= index < j
        range_max = np.full((m + 1, m + 1), -np.inf)
        for first in range(m):
            range_max[first, first + 1 :] = np.maximum.accumulate(self.table_r[first:])
        i = np.searchsorted(self.table_d_km, d_lo, side="right")
        j = np.searchsorted(self.table_d_km, d_hi, side="left")
        return np.maximum(ends, range_max[i, np.maximum(i, j)])

    def sentence(self) -> str:
        """The calibration in a sentence's words (a catalogue ``Message``)."""
        if self.table_d_km is None:
            return Message("say.calibration_hutton_boore")
        return Message("say.calibration_table", rows=self.table_d_km.size,
                       distance=Both(self.distance, "震中距" if self.distance == "epicentral" else "震源距"),
                       d0=f"{self.table_d_km[0]:g}", d1=f"{self.table_d_km[-1]:g}")


def _calibration(calibration: Calibration, distance: DistanceKind) -> _Calib:
    if isinstance(calibration, str):
        if calibration == "hutton_boore":
            return _Calib("hutton_boore", None, None, "hypocentral", 3.0)
        msg = (
            f"Unknown magnitude calibration {calibration!r}. Use 'hutton_boore', or give the GB 17740 R(Δ) "
            "table as a list of (distance_km, R) pairs."
        )
        raise LayerError(msg)
    if distance not in ("epicentral", "hypocentral"):
        msg = f"table_distance must be 'epicentral' or 'hypocentral', not {distance!r}."
        raise LayerError(msg)
    tab = np.asarray(calibration, dtype=np.float64)
    if tab.ndim != 2 or tab.shape[1] != 2 or tab.shape[0] < 2 or not np.all(np.isfinite(tab)):
        msg = (
            "The magnitude calibration table must be at least two (distance_km, R) pairs of numbers, "
            f"e.g. [(0, 1.8), (5, 1.9), (10, 2.0)]; got an array of shape {tab.shape}."
        )
        raise LayerError(msg)
    if np.any(np.diff(tab[:, 0]) <= 0) or tab[0, 0] < 0:
        msg = (
            "The distances of the magnitude calibration table must be zero or more and strictly increasing; "
            "sort the rows by distance and remove duplicates."
        )
        raise LayerError(msg)
    return _Calib("table", tab[:, 0].copy(), tab[:, 1].copy(), distance, 0.0)


def detection_range_km(
    target_ml: float = 1.0,
    *,
    noise_um: float = DEFAULT_NOISE_UM,
    depth_km: float = 10.0,
    snr: float = 2.0,
    calibration: Calibration = "hutton_boore",
    table_distance: DistanceKind = "epicentral",
) -> float:
    """Largest epicentral distance (km) at which one station of noise ``noise_um`` records ML ``target_ml``.

    Useful for planning: ML 1.0 everywhere needs the 4th-nearest station within this distance.
    Returns 0 when the event is not recorded even directly above the station, ``inf`` beyond 5000 km.

    Examples
    --------
    >>> round(detection_range_km(1.0, noise_um=0.03), 1)  # STANDARDS.md: R ≈ 14 km hypocentral, ≈10 km epicentral
    10.3
    """
    calib = _calibration(calibration, table_distance)
    lg = math.log10(check_positive(snr, "snr") * check_positive(noise_um, "noise_um")) + calib.offset
    depth = check_positive(depth_km, "depth_km", allow_zero=True)

    def f(e: float) -> float:
        return float(lg + calib.term(np.array([e]), depth)[0]) - float(target_ml)

    if f(0.0) > 0:
        return 0.0
    hi = 5000.0
    if not np.isfinite(f(hi)) or f(hi) > 0:
        # a table stops (inf) before 5000 km or M rises above target: bracket the crossing by stepping
        grid = np.linspace(0.0, hi, 50_001)
        vals = lg + calib.term(grid, depth) - float(target_ml)
        j = int(np.argmax(vals > 0))
        if not np.isfinite(vals[j]):
            return float(grid[j - 1])
        return float(brentq(f, grid[j - 1], grid[j]))
    return math.inf
