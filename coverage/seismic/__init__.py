"""Seismic-network checks: station spacing, monitoring capability, early-warning time, station siting.

Pure functions on numpy arrays in metres (projected CRS) and shapely geometries; no file I/O. The plan
targets they test (郑州市"十四五"防震减灾规划, see TARGETS.md):

* "测震站间距小于30千米" — :func:`spacing_metrics`, :func:`check_spacing`, :func:`spacing_gaps`;
* "全市地震监测能力达到1.0级" — :func:`detection_grid`, :func:`detection_at_points`;
* "地震预警发布时效 重点地区震后5—10秒" — :func:`warning_time_grid`, :func:`warning_share_by_area`;
* where to add stations — :func:`propose_stations`.

Formulas and defaults follow STANDARDS.md §5; every result carries ``assumptions`` (plain sentences) that
a report must print next to its numbers.
"""

from __future__ import annotations

from .detection import DetectionResult, detection_at_points, detection_grid, detection_share
from .gaps import Gap, spacing_gaps
from .inputs import DEFAULT_NOISE_UM
from .lec import max_station_distance
from .magnitude import detection_range_km, hutton_boore_term
from .siting import DetectionModel, SiteOptions, SitingMetrics, SitingResult, WarningGoal, propose_stations
from .spacing import (
    SPACING_METRICS,
    SpacingCheck,
    SpacingResult,
    check_spacing,
    coverage_radius_m,
    spacing_metrics,
)
from .warning import (
    PROCESSING_DELAY_CHINA_S,
    PROCESSING_DELAY_MODELLED_S,
    PROCESSING_DELAY_S,
    WarningAreaResult,
    WarningModel,
    warning_assumptions,
    warning_share_by_area,
    warning_time_grid,
)

__all__ = [
    "DEFAULT_NOISE_UM",
    "PROCESSING_DELAY_CHINA_S",
    "PROCESSING_DELAY_MODELLED_S",
    "PROCESSING_DELAY_S",
    "SPACING_METRICS",
    "DetectionResult",
    "Gap",
    "SitingMetrics",
    "SitingResult",
    "SpacingCheck",
    "SpacingResult",
    "WarningAreaResult",
    "WarningGoal",
    "WarningModel",
    "check_spacing",
    "coverage_radius_m",
    "detection_at_points",
    "detection_grid",
    "detection_range_km",
    "detection_share",
    "hutton_boore_term",
    "max_station_distance",
    "propose_stations",
    "DetectionModel",
    "SiteOptions",
    "spacing_gaps",
    "spacing_metrics",
    "warning_assumptions",
    "warning_share_by_area",
    "warning_time_grid",
]
