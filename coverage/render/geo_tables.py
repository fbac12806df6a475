"""A target's results as tables with geometry: the judged units, the facilities counted, the people not served.

The maps, the GeoPackage and the GeoParquet files all read these, so every format shows the same
rows and numbers. Unit values come from ``UnitResult.to_dict`` (the JSON report's numbers, rounded
the same way). Geometry stays in the run's working CRS.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np

from ..errors import CoverageError
from ..model.messages import Message
from ..model.results import TargetResult

if TYPE_CHECKING:
    from ..studies.check import CheckRun

__all__ = ["COUNT_VALUED_KINDS", "UNIT_COLUMNS", "facilities_of", "unit_table", "units_of", "unserved_table"]

logger = logging.getLogger(__name__)

#: Kinds whose per-unit values are counts (of facilities), not the target's unit.
COUNT_VALUED_KINDS = frozenset({"presence", "count"})
#: Columns of :func:`unit_table`, in order (the JSON report's unit keys).
UNIT_COLUMNS = ("unit_id", "name", "level", "class", "parent_id", "status", "value", "threshold", "gap", "population",
                "supply")


def units_of(run: CheckRun, level: str) -> gpd.GeoDataFrame | None:
    """The polygons of ``level`` (:meth:`CheckRun.polygons`), or None (logged) when an area cannot be read."""
    try:
        return run.polygons(level)
    except CoverageError as exc:
        logger.warning("no units for level %r on the map: %s", level, exc)
        return None


def unit_table(run: CheckRun, result: TargetResult) -> gpd.GeoDataFrame:
    """Every unit the target judged (:meth:`CheckRun.units`), columns in :data:`UNIT_COLUMNS` order, then geometry.

    One row per judged unit in the result's order, working CRS; geometry None where a unit's polygon is unknown.
    """
    return run.units(result)[[*UNIT_COLUMNS, "geometry"]]


def facilities_of(run: CheckRun, result: TargetResult) -> tuple[gpd.GeoDataFrame | None, np.ndarray | None, str | None]:
    """The target's facilities in its year, which of them it counted, and their role.

    Returns
    -------
    (GeoDataFrame or None, bool array or None, str or None)
        The facilities of the target's layer existing in the scenario year (or those the kind listed in
        ``geo["facilities"]`` when the layer is unknown); which rows it counted (None: all of them); the
        role (layer name).
    """
    counted = result.geo.get("facilities")
    try:
        spec = run.scenario.target(result.id)
    except CoverageError:
        spec = None
    role = spec.param("layer") if spec is not None else None
    if spec is None or not role or role not in run.layer_set.facilities:
        if isinstance(counted, gpd.GeoDataFrame) and len(counted):
            return counted, None, role
        return None, None, role
    from ..targets.base import apply_where

    try:
        fac = run.region.facilities_in_year(role, run.scenario.year, purpose=Message("err.for_map", tid=result.id))
        if isinstance(counted, gpd.GeoDataFrame) and "facility_id" in counted.columns:
            qualifies = fac["facility_id"].isin(counted["facility_id"]).to_numpy()
        elif result.counted_role == role:  # what the target itself counted (its year and filter)
            qualifies = fac["facility_id"].astype(str).isin(result.counted_ids).to_numpy()
        elif spec.param("where"):  # a result that never read its layer (no data)
            qualifies = apply_where(fac, spec.param("where"), role=role, purpose=Message("err.for_target", tid=spec.id), region=run.region)
        else:
            qualifies = None
    except CoverageError as exc:
        logger.warning("facilities of %s left out: %s", result.id, exc)
        return None, None, role
    if qualifies is not None and np.asarray(qualifies).all():
        qualifies = None
    return fac, qualifies, role


def unserved_table(result: TargetResult) -> gpd.GeoDataFrame | None:
    """Population cells outside every service area (``people`` per cell), or None for kinds without them."""
    cells = result.geo.get("uncovered_cells")
    if not isinstance(cells, gpd.GeoDataFrame) or "people" not in cells.columns:
        return None
    people = np.asarray(cells["people"], dtype=np.float64)
    keep = cells[people > 0]
    return gpd.GeoDataFrame({"people": np.asarray(keep["people"], dtype=np.float64)},
                            geometry=keep.geometry.to_numpy(), crs=cells.crs)
