"""The engines on ordinary inputs: GeoDataFrames, cost tables and cost matrices in, GeoDataFrames and arrays out.

For notebook users who bring their own population, facilities and network (as with PySAL access, spopt or
OSMnx) rather than a layer set and a scenario. Every function works in a projected CRS in metres: inputs in
another CRS are projected to the network's CRS (or the UTM zone of the population's centre).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import network as net
from . import siting
from .model.crs import utm_crs_for

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["load_network", "lscp", "mclp", "two_step_fca", "walk_access"]


def _metric_crs(gdf: gpd.GeoDataFrame) -> str:
    if gdf.crs is None:
        raise ValueError("The GeoDataFrame has no CRS: set one (gdf.set_crs(...)) before measuring distances.")
    if gdf.crs.is_projected:
        return gdf.crs.to_string()
    lon, lat = gdf.to_crs(4326).union_all().centroid.coords[0]
    return utm_crs_for(lon, lat).to_string()


def load_network(path: str | os.PathLike[str], *, crs: str, mode: str = "walk",
                 cache_dir: str | os.PathLike[str] | None = None) -> net.WalkGraph:
    """Read a walking (``mode="walk"``) or cycling network from ``.osm``, ``.osm.pbf``, ``.osm.bz2`` or ``.graphml``.

    ``crs`` is the projected CRS (metres) to work in, e.g. ``"EPSG:32649"``.
    """
    return net.load_walk_network(path, crs=crs, mode=mode, cache_dir=cache_dir)


def _graph(network: net.WalkGraph | str | os.PathLike[str], like: gpd.GeoDataFrame, mode: str) -> net.WalkGraph:
    if isinstance(network, net.WalkGraph):
        return network
    return load_network(network, crs=_metric_crs(like), mode=mode)


def _xy(gdf: gpd.GeoDataFrame, crs: str) -> tuple[np.ndarray, np.ndarray]:
    pts = gdf.to_crs(crs).geometry.representative_point()
    xy = shapely.get_coordinates(pts.values)
    if len(xy) != len(gdf):
        raise ValueError("Every row needs a non-empty geometry.")
    return xy[:, 0], xy[:, 1]


def walk_access(population: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame,
                network: net.WalkGraph | str | os.PathLike[str], *, distance_m: float, mode: str = "walk",
                max_snap_m: float = net.DEFAULT_MAX_SNAP_M) -> gpd.GeoDataFrame:
    """Network distance from every population point to its nearest facility, and whether it is within reach.

    Parameters
    ----------
    population
        Points (or polygons, taken at a point inside) where people live; any CRS.
    facilities
        Facility points (or polygons); any CRS.
    network
        A :class:`~coverage_planner.network.WalkGraph` or the path of an OpenStreetMap file (read as ``mode``).
    distance_m
        The walking distance that counts as reached.
    mode
        ``"walk"`` or ``"bike"`` (for a path).
    max_snap_m
        Points farther than this from every street count as not reached.

    Returns
    -------
    GeoDataFrame
        ``population`` with ``walk_m`` (network metres to the nearest facility, NaN beyond ``distance_m``)
        and ``covered`` (bool) added.

    Examples
    --------
    >>> from coverage_planner.network.synthetic import city_network
    >>> g = city_network(25, spacing_m=100.0, jitter_m=0.0, removal_fraction=0.0, river=False, origin_m=(0.0, 0.0))
    >>> homes = gpd.GeoDataFrame(geometry=gpd.points_from_xy([0, 400], [0, 400]), crs="EPSG:32649")
    >>> shops = gpd.GeoDataFrame(geometry=gpd.points_from_xy([100], [0]), crs="EPSG:32649")
    >>> out = walk_access(homes, shops, g, distance_m=500)
    >>> out["walk_m"].round(1).tolist(), out["covered"].tolist()
    ([100.0, nan], [True, False])
    """
    graph = _graph(network, population, mode)
    px, py = _xy(population, graph.crs)
    fx, fy = _xy(facilities, graph.crs)
    dsnap = net.snap_points(graph, px, py, max_snap_m=max_snap_m)
    fsnap = net.snap_points(graph, fx, fy, max_snap_m=max_snap_m)
    res = net.walk_access(graph, dsnap, fsnap, distance_m=distance_m)
    out = population.copy()
    out["walk_m"] = np.where(res.covered, res.distance_m, np.nan)
    out["covered"] = res.covered
    return out


def _fca_from_costs(demand_w: np.ndarray, supply_c: np.ndarray, origin: np.ndarray, dest: np.ndarray,
                    cost: np.ndarray, catchment: float, decay: object) -> tuple[np.ndarray, np.ndarray]:
    keep = np.isfinite(cost) & (cost <= catchment)
    o, d, c = origin[keep], dest[keep], cost[keep]
    w = net.decay_weights(c, catchment, decay)  # type: ignore[arg-type]
    served = np.bincount(d, weights=demand_w[o] * w, minlength=supply_c.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(served > 0, supply_c / served, np.nan)
    access = np.bincount(o, weights=np.nan_to_num(ratio)[d] * w, minlength=demand_w.size)
    return ratio, access


# PLR0913: PySAL access's two-step FCA keywords, one to one (the differential tests compare them)
def two_step_fca(demand: pd.DataFrame, supply: pd.DataFrame, *, catchment_m: float, demand_col: str = "population",  # noqa: PLR0913
                 supply_col: str = "capacity", costs: pd.DataFrame | None = None,
                 network: net.WalkGraph | str | os.PathLike[str] | None = None,
                 cost_cols: tuple[str, str, str] = ("origin", "destination", "cost"),
                 decay: str | None = None) -> pd.DataFrame:
    """Two-step floating catchment accessibility (2SFCA; E2SFCA with ``decay``), as PySAL access computes it.

    Either ``costs`` (a table of origin, destination and cost, keyed by the index labels of ``demand`` and
    ``supply``, as ``access.Access(cost_df=...)`` takes it) or ``network`` (GeoDataFrames in, network
    distances computed here).

    Parameters
    ----------
    demand, supply
        Demand locations with ``demand_col`` (people) and supply locations with ``supply_col`` (slots, beds…).
    catchment_m
        Catchment radius, in the cost's unit (metres for a network).
    costs
        Cost table; pairs beyond ``catchment_m`` are ignored.
    network
        A WalkGraph or an OpenStreetMap file path.
    cost_cols
        Names of the origin, destination and cost columns of ``costs``.
    decay
        ``None`` (classic 2SFCA), ``"gaussian"``, ``"linear"`` or ``"steps"`` (E2SFCA weights).

    Returns
    -------
    DataFrame
        ``demand`` with ``access`` (supply per person within reach) added; ``supply`` ratios are in
        ``result.attrs["supply_ratio"]`` (a Series on supply's index).

    Examples
    --------
    >>> dem = pd.DataFrame({"population": [100, 300]}, index=["a", "b"])
    >>> sup = pd.DataFrame({"capacity": [40]}, index=["h"])
    >>> costs = pd.DataFrame({"origin": ["a", "b"], "destination": ["h", "h"], "cost": [5.0, 8.0]})
    >>> two_step_fca(dem, sup, costs=costs, catchment_m=10)["access"].tolist()
    [0.1, 0.1]
    """
    if (costs is None) == (network is None):
        raise ValueError("Give either costs (origin, destination, cost) or network, not both.")
    w = demand[demand_col].to_numpy(dtype=np.float64)
    cap = supply[supply_col].to_numpy(dtype=np.float64)
    if costs is not None:
        o_col, d_col, c_col = cost_cols
        o = pd.Index(demand.index).get_indexer(costs[o_col])
        d = pd.Index(supply.index).get_indexer(costs[d_col])
        ok = (o >= 0) & (d >= 0)
        ratio, access = _fca_from_costs(w, cap, o[ok], d[ok], costs[c_col].to_numpy(dtype=np.float64)[ok],
                                        catchment_m, decay)
    else:
        assert network is not None
        graph = _graph(network, demand, "walk")
        dsnap = net.snap_points(graph, *_xy(demand, graph.crs))
        fsnap = net.snap_points(graph, *_xy(supply, graph.crs))
        res = net.two_step_fca(graph, dsnap, w, fsnap, cap, catchment_m=catchment_m, decay=decay)
        ratio, access = res.ratio, res.accessibility
    out = demand.copy()
    out["access"] = access
    out.attrs["supply_ratio"] = pd.Series(ratio, index=supply.index, name="supply_ratio")
    return out


def _cover(cost_matrix: ArrayLike, service_radius: float) -> np.ndarray:
    c = np.asarray(cost_matrix, dtype=np.float64)
    if c.ndim != 2:
        raise ValueError("cost_matrix must be 2-D: demand points × candidate sites.")
    return c <= service_radius


def mclp(cost_matrix: ArrayLike, *, service_radius: float, p_facilities: int, weights: ArrayLike | None = None,
         time_limit_s: float = 60.0) -> siting.SitingResult:
    """Maximal covering location (MCLP) from a demand × candidate cost matrix, as spopt's ``MCLP.from_cost_matrix``.

    Solved exactly by HiGHS (after exact demand aggregation); the result says its proven gap.

    Examples
    --------
    >>> costs = [[1, 9], [2, 9], [9, 1]]
    >>> res = mclp(costs, service_radius=5, p_facilities=1, weights=[1, 1, 5])
    >>> res.chosen.tolist(), float(res.covered_after_people)
    ([1], 5.0)
    """
    cover = _cover(cost_matrix, service_radius)
    w = np.ones(cover.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    return siting.milp.max_coverage(siting.CoverageProblem(cover, w), n_sites=p_facilities, time_limit_s=time_limit_s)


def lscp(cost_matrix: ArrayLike, *, service_radius: float, time_limit_s: float = 60.0) -> siting.SitingResult:
    """Location set covering (LSCP): the fewest sites that cover every demand point reachable at all.

    Examples
    --------
    >>> lscp([[1, 9], [2, 9], [9, 1]], service_radius=5).chosen.size
    2
    """
    cover = _cover(cost_matrix, service_radius)
    coverable = cover.any(axis=1)
    problem = siting.CoverageProblem(cover[coverable], np.ones(int(coverable.sum())))
    return siting.milp.min_sites(problem, target_share=1.0, time_limit_s=time_limit_s)
