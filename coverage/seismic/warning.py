"""Earthquake early warning: alert time after origin and blind-zone radius (STANDARDS.md §5.3).

Model (Behr et al. 2016, reference code yannikbehr/SRL_2016, simplified as in STANDARDS.md)::

    t_P,i   = sqrt(Δ_i² + h²) / Vp                # P travel time to station i
    T_alert = t_P,(k) + Δt_proc                  # k-th nearest station triggers, then processing
    R_blind = sqrt(max((Vs·T_alert)² − h², 0))   # epicentral radius the S wave reaches before the alert

Processing delay Δt_proc is the decisive assumption and is always printed:

* ≈7.6 s — instrument + system delay measured for the Chinese EEW system (杜航 et al. 2021, 中国地震
  37(1): 216–226). Default, since the plans are Chinese (TARGETS.md readings). With it only very dense
  networks (≲ 9 km spacing) report within 10 s.
* ≈3 s — pick, association and magnitude latencies of a modern network as modelled (Behr et al. 2016;
  ATTAC/pyShake use 1–5 s per network): set ``processing_delay_s: 3`` to test that reading.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from ..errors import LayerError
from ..model.messages import Both, Message
from .inputs import Float, as_stations, as_territory, check_positive, grid_points, ordinal

__all__ = [
    "PROCESSING_DELAY_CHINA_S",
    "PROCESSING_DELAY_MODELLED_S",
    "PROCESSING_DELAY_S",
    "WarningAreaResult",
    "WarningModel",
    "warning_assumptions",
    "warning_share_by_area",
    "warning_time_grid",
]

log = logging.getLogger(__name__)

#: Chinese EEW instrument + system delay (s), measured: 杜航 et al. (2021), STANDARDS.md §5.3.
PROCESSING_DELAY_CHINA_S = 7.6
#: Network latency as modelled by Behr et al. (2016) for a modern network (s).
PROCESSING_DELAY_MODELLED_S = 3.0
#: Default processing delay (s): the measured Chinese figure.
PROCESSING_DELAY_S = PROCESSING_DELAY_CHINA_S


@dataclass(frozen=True)
class WarningModel:
    """The early-warning timing model (STANDARDS.md §5.3): what decides when an alert goes out.

    Attributes
    ----------
    depth_km
        Focal depth h.
    vp_km_s, vs_km_s
        P and S velocities (STANDARDS.md worked table: 6.0 and 3.5; Behr et al. code uses Vp 6.5).
    k
        Stations that must trigger before an alert (4, as ATTAC/pyShake; 杜航 et al. compare 2 and 4).
    processing_delay_s
        Δt_proc: ≈7.6 s measured for the Chinese system (杜航 et al. 2021, default) or ≈3 s as modelled
        for a modern network (Behr et al. 2016).
    """

    depth_km: float = 10.0
    vp_km_s: float = 6.0
    vs_km_s: float = 3.5
    k: int = 4
    processing_delay_s: float = PROCESSING_DELAY_S

    def assumptions(self) -> list[str]:
        """The sentences a report prints next to a number computed with this model."""
        return warning_assumptions(depth_km=self.depth_km, vp_km_s=self.vp_km_s, vs_km_s=self.vs_km_s,
                                   k=int(self.k), processing_delay_s=self.processing_delay_s)


def warning_assumptions(
    *, depth_km: float, vp_km_s: float, vs_km_s: float, k: int, processing_delay_s: float
) -> list[str]:
    """The sentences a report prints next to any early-warning number."""
    return [
        Message("say.warning_model", kth=Both(ordinal(k), f"第 {k} 近"), vp=f"{vp_km_s:g}", depth=f"{depth_km:g}",
                delay=f"{processing_delay_s:g}"),
        Message("say.warning_delay", delay=f"{processing_delay_s:g}", china=f"{PROCESSING_DELAY_CHINA_S:g}",
                modelled=f"{PROCESSING_DELAY_MODELLED_S:g}"),
        Message("say.blind_zone", vs=f"{vs_km_s:g}"),
    ]


def _check_wave(
    depth_km: float, vp_km_s: float, vs_km_s: float, processing_delay_s: float
) -> tuple[float, float, float, float]:
    return (
        check_positive(depth_km, "depth_km", allow_zero=True),
        check_positive(vp_km_s, "vp_km_s"),
        check_positive(vs_km_s, "vs_km_s"),
        check_positive(processing_delay_s, "processing_delay_s", allow_zero=True),
    )


def warning_time_grid(
    station_x_m: ArrayLike,
    station_y_m: ArrayLike,
    epicentre_x_m: ArrayLike,
    epicentre_y_m: ArrayLike,
    *,
    model: WarningModel | None = None,
) -> tuple[Float, Float]:
    """Alert time after origin and blind-zone radius for earthquakes at the given epicentres.

    Parameters
    ----------
    station_x_m, station_y_m
        Station coordinates, metres (projected CRS).
    epicentre_x_m, epicentre_y_m
        Epicentres (e.g. a grid over a key area), same CRS; any shape, the outputs match it.
    model
        Depth, wave speeds, stations needed and processing delay (:class:`WarningModel`; default its
        defaults).

    Returns
    -------
    alert_time_s, blind_zone_radius_km
        Arrays shaped like ``epicentre_x_m``.

    Raises
    ------
    LayerError
        Fewer than ``k`` stations, mismatched or non-metric coordinates, negative settings.
    """
    m = WarningModel() if model is None else model
    k = int(m.k)
    if k < 1:
        msg = f"k = {k}: at least one station must trigger before an alert."
        raise LayerError(msg)
    sx, sy = as_stations(station_x_m, station_y_m, min_n=k)
    h, vp, vs, delay = _check_wave(m.depth_km, m.vp_km_s, m.vs_km_s, m.processing_delay_s)
    ex = np.asarray(epicentre_x_m, dtype=np.float64)
    ey = np.asarray(epicentre_y_m, dtype=np.float64)
    if ex.shape != ey.shape:
        msg = f"Epicentre x ({ex.size}) and y ({ey.size}) coordinates must have the same length."
        raise LayerError(msg)
    d, _ = cKDTree(np.column_stack([sx, sy])).query(np.column_stack([ex.ravel(), ey.ravel()]), k=k)
    dk_km = (d if k == 1 else d[:, -1]) / 1000.0
    alert = np.sqrt(dk_km * dk_km + h * h) / vp + delay
    blind = np.sqrt(np.maximum((vs * alert) ** 2 - h * h, 0.0))
    return alert.reshape(ex.shape), blind.reshape(ex.shape)


@dataclass(frozen=True, slots=True)
class WarningAreaResult:
    """Early-warning timeliness over one key area (epicentres on a grid inside it).

    Attributes
    ----------
    name
        Key-area name (or its index as a string).
    area_m2, n_points
        Area of the polygon and number of grid epicentres in it.
    within_s
        The time bound tested (plan: 10 s after origin).
    share_within
        Share of the area whose epicentres get the alert within ``within_s``.
    alert_min_s, alert_mean_s, alert_max_s
        Alert-time statistics over the area's epicentres.
    blind_zone_mean_km, blind_zone_max_km
        Blind-zone radius statistics.
    worst_x_m, worst_y_m
        The epicentre with the latest alert.
    x_m, y_m, alert_time_s, blind_zone_km
        Per-epicentre values, for maps.
    assumptions
        Plain sentences for the report.
    """

    name: str
    area_m2: float
    n_points: int
    within_s: float
    share_within: float
    alert_min_s: float
    alert_mean_s: float
    alert_max_s: float
    blind_zone_mean_km: float
    blind_zone_max_km: float
    worst_x_m: float
    worst_y_m: float
    x_m: Float
    y_m: Float
    alert_time_s: Float
    blind_zone_km: Float
    assumptions: list[str] = field(default_factory=list)


def warning_share_by_area(
    station_x_m: ArrayLike,
    station_y_m: ArrayLike,
    key_areas: Mapping[str, BaseGeometry] | Sequence[BaseGeometry],
    *,
    within_s: float = 10.0,
    grid_m: float = 1000.0,
    model: WarningModel | None = None,
) -> list[WarningAreaResult]:
    """For each key-area polygon, the share of its area whose epicentres get the alert within ``within_s``.

    Epicentres are the centres of a ``grid_m`` grid inside each polygon (its representative point alone
    when it is smaller than a cell). Other parameters as :func:`warning_time_grid`.

    Returns
    -------
    list of WarningAreaResult
        One per key area, in input order.
    """
    within = check_positive(within_s, "within_s")
    items = (
        list(key_areas.items())
        if isinstance(key_areas, Mapping)
        else [(str(i), g) for i, g in enumerate(key_areas)]
    )
    if not items:
        msg = "No key areas were given for the early-warning check; add the key-area polygons to the layer."
        raise LayerError(msg)
    m = WarningModel() if model is None else model
    base = m.assumptions()
    out: list[WarningAreaResult] = []
    for name, geom in items:
        terr, notes = as_territory(geom, what=f"key area {name!r}")
        gx, gy, _ = grid_points(terr, grid_m)
        alert, blind = warning_time_grid(station_x_m, station_y_m, gx, gy, model=m)
        iw = int(np.argmax(alert))
        out.append(
            WarningAreaResult(
                name=str(name),
                area_m2=float(terr.area),
                n_points=int(gx.size),
                within_s=within,
                share_within=float(np.mean(alert <= within + 1e-12)),
                alert_min_s=float(alert.min()),
                alert_mean_s=float(alert.mean()),
                alert_max_s=float(alert[iw]),
                blind_zone_mean_km=float(blind.mean()),
                blind_zone_max_km=float(blind.max()),
                worst_x_m=float(gx[iw]),
                worst_y_m=float(gy[iw]),
                x_m=gx,
                y_m=gy,
                alert_time_s=alert,
                blind_zone_km=blind,
                assumptions=[
                    *notes,
                    *base,
                    f"Share is by area: epicentres on a {grid_m:g} m grid inside the key area, alert within "
                    f"{within:g} s of origin.",
                ],
            )
        )
    return out
