"""Walking-network access engine: pure functions on numpy arrays in metres (projected CRS).

Typical use by a target::

    graph = load_walk_network(path, crs="EPSG:32649", cache_dir=cache)
    cells = snap_points(graph, cell_x_m, cell_y_m, max_snap_m=300)      # once per city
    parks = snap_points(graph, entry_x_m, entry_y_m, owner=park_index)    # several entrances each
    result = walk_access(graph, cells, parks, minutes=15)                 # one Dijkstra pass
    ratio, per_person = two_step_fca(graph, cells, people, shelters, area_m2, catchment_m=500)

Without a network, :func:`straight_line_access` gives an approximate answer flagged as such.
"""

from __future__ import annotations

from .catchment import (
    CatchmentPairs,
    FCAResult,
    catchment_pairs,
    decay_weights,
    iter_catchment_batches,
    two_step_fca,
)
from .graph import WalkGraph
from .load import ENGINE_VERSION, keep_way, load_walk_network, walk_network_from_overpass
from .nearest import (
    BIKE_SPEED_M_PER_MIN,
    WALK_SPEED_M_PER_MIN,
    AccessResult,
    access_from_distances,
    cutoff_distance_m,
    facility_node_distance_m,
    nearest_facility_distance_m,
    walk_access,
)
from .service_area import service_area
from .snap import DEFAULT_MAX_SNAP_M, Snap, snap_points
from .straight_line import (
    DEFAULT_DETOUR_FACTOR,
    StraightLineDistances,
    straight_line_access,
    straight_line_distance_m,
)

__all__ = [
    "BIKE_SPEED_M_PER_MIN",
    "DEFAULT_DETOUR_FACTOR",
    "DEFAULT_MAX_SNAP_M",
    "ENGINE_VERSION",
    "WALK_SPEED_M_PER_MIN",
    "AccessResult",
    "CatchmentPairs",
    "FCAResult",
    "Snap",
    "StraightLineDistances",
    "WalkGraph",
    "catchment_pairs",
    "cutoff_distance_m",
    "decay_weights",
    "facility_node_distance_m",
    "iter_catchment_batches",
    "keep_way",
    "load_walk_network",
    "nearest_facility_distance_m",
    "access_from_distances",
    "service_area",
    "snap_points",
    "straight_line_access",
    "straight_line_distance_m",
    "two_step_fca",
    "walk_access",
    "walk_network_from_overpass",
]
