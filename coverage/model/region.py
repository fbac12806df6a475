"""The region: units at every level, the population grid assigned to them, facilities by role.

Built once per run from a layer set; everything is in one projected working CRS (metres).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, NoReturn

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray
from pyproj import CRS

from ..errors import LayerError, MissingDataError
from .crs import WGS84, representative_xy, utm_crs_for
from .data_warnings import network_islands, single_points, undeclared_coord_system, unit_overlaps
from .manifest import LayerSetSpec, LayerSource
from .messages import Both, Lines, Message
from .population import PopulationGrid, read_population
from .readers import (
    blank_ids,
    numbers_or_nan,
    read_layer,
    read_polygons,
    release_unused_memory,
    require_unique_ids,
    rows_words,
)
from .words import words

__all__ = ["Region", "load_region"]

logger = logging.getLogger(__name__)

UNIT_COLUMNS = ["unit_id", "name", "class", "parent_id"]
_STATUS = {
    "existing": "existing", "现有": "existing", "已建成": "existing", "建成": "existing", "运营": "existing",
    "under_construction": "under_construction", "在建": "under_construction",
    "planned": "planned", "规划": "planned", "拟建": "planned",
    "closed": "closed", "关闭": "closed", "撤销": "closed", "停用": "closed",
}
#: Population not inside any unit above this share of the total is an error, below it a note.
MAX_UNCOVERED_SHARE = 0.005
#: Facilities farther than this outside the territory are taken as misplaced (wrong CRS, swapped lat/lon).
FAR_OUTSIDE_M = 20_000.0
#: Seismic stations (roles named ``seismic*``) may lie beyond the border: real networks use their neighbours'
#: stations. By default as far as one station still records an event of this magnitude at the border.
SEISMIC_OUTSIDE_ML = 2.0


def outside_limit_m(src: LayerSource) -> float:
    """How far features of a layer may lie outside the territory (m): ``max_outside_km:``, else by role.

    Seismic roles default to the detection range of ML :data:`SEISMIC_OUTSIDE_ML` at the default station noise
    (about 86 km): a station farther out cannot record such an event inside the territory, so it contributes to
    no detection or warning target; anything else defaults to :data:`FAR_OUTSIDE_M`.
    """
    if src.max_outside_km is not None:
        return src.max_outside_km * 1000.0
    if src.role.startswith("seismic"):
        from ..seismic import detection_range_km

        return max(FAR_OUTSIDE_M, detection_range_km(SEISMIC_OUTSIDE_ML) * 1000.0)
    return FAR_OUTSIDE_M


def _project_xy(lon: NDArray[np.float64], lat: NDArray[np.float64], crs: CRS) -> tuple[NDArray[np.float64],
                                                                                     NDArray[np.float64]]:
    from pyproj import Transformer

    x, y = Transformer.from_crs(WGS84, crs, always_xy=True).transform(lon, lat)
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def _units(src: LayerSource, level: str, crs: CRS | None) -> tuple[gpd.GeoDataFrame, list[str]]:
    gdf, notes = read_polygons(src)
    for col in ("id", "name"):
        if col not in gdf.columns:
            cols = ", ".join(str(c) for c in gdf.columns if c != "geometry")
            raise LayerError(Message("err.unit_column", level=level, where=src.where(), column=col, columns=cols))
    out = gpd.GeoDataFrame(
        {
            "unit_id": gdf["id"].astype(str).to_numpy(),
            "name": gdf["name"].astype(str).to_numpy(),
            "class": gdf["class"].astype(str).to_numpy() if "class" in gdf.columns else level,
            "parent_id": gdf["parent"].astype(str).to_numpy() if "parent" in gdf.columns else "",
        },
        geometry=gdf.geometry.values,
        crs=gdf.crs,
    )
    extra = [c for c in gdf.columns if c not in {"id", "name", "class", "parent", "geometry"}]
    for c in extra:
        out[c] = gdf[c].to_numpy()
    dup = out["unit_id"].duplicated(keep=False).to_numpy()
    if dup.any():
        raise LayerError(Message("err.unit_duplicate_ids", level=level, where=src.where(),
                                 rows=rows_words(np.flatnonzero(dup)), example=repr(out["unit_id"][dup].iloc[0])))
    if crs is not None:
        out = out.to_crs(crs)
    return out, notes


#: Facility layers longer than this hand the memory their reading freed back to the system.
LARGE_LAYER_ROWS = 200_000
#: Points turned into shapely objects at a time when points are matched to polygons (a list of millions
#: costs one chunk of point objects, about 20 MB, instead of one object per row at once).
POINTS_PER_CHUNK = 100_000


def _points_in_polygons(x: NDArray[np.float64], y: NDArray[np.float64], polys: NDArray[np.object_]) -> NDArray[np.int64]:
    """Index of the polygon containing each point (-1 if none; first match if several).

    The polygons are prepared (once: units and areas are shared by every target) and each candidate pair of the
    tree's bounding-box query is tested on the point's coordinates against the prepared polygon; the tree's own
    predicate would test every point against an unprepared polygon, vertex by vertex.
    """
    out = np.full(x.size, -1, dtype=np.int64)
    if x.size == 0:
        return out
    polys = np.asarray(polys)  # the layer's own geometry objects: prepared once for every later call
    tree = shapely.STRtree(polys)
    shapely.prepare(polys)
    for lo in range(0, x.size, POINTS_PER_CHUNK):
        hi = min(lo + POINTS_PER_CHUNK, x.size)
        xs, ys = x[lo:hi], y[lo:hi]
        pi, gi = tree.query(shapely.points(xs, ys))
        hit = shapely.intersects_xy(polys[gi], xs[pi], ys[pi])
        pi, gi = pi[hit], gi[hit]
        order = np.argsort(pi, kind="stable")[::-1]  # later writes win: keep the first match per point
        out[lo + pi[order]] = gi[order]
    return out


@dataclass
class Region:
    """Units, population and facilities of a layer set, in one working CRS."""

    spec: LayerSetSpec
    crs: CRS
    units: dict[str, gpd.GeoDataFrame]
    population: PopulationGrid
    cell_unit: dict[str, NDArray[np.int64]]
    notes: list[str] = field(default_factory=list)
    _facilities: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    #: Statuses counted as open in every year whatever their open_year (what-if runs: planned, under_construction).
    open_statuses: frozenset[str] = frozenset()
    _areas: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    _graphs: dict[str, Any] = field(default_factory=dict)
    #: Role -> standard columns the run's targets read (large CSVs are read with only these); unset = all.
    _wanted: dict[str, set[str]] = field(default_factory=dict)

    @property
    def levels(self) -> list[str]:
        """Unit levels, coarse to fine."""
        return list(self.units)

    @cached_property
    def territory(self) -> shapely.Geometry:
        """The whole territory (union of the coarsest level)."""
        return shapely.union_all(self.units[self.levels[0]].geometry.values)

    @cached_property
    def territory_wgs84_bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of the territory in degrees."""
        return tuple(gpd.GeoSeries([self.territory], crs=self.crs).to_crs(WGS84).total_bounds)

    def network_islands_note(self, graph: Any, on_dropped: NDArray[np.bool_], *, mode: str) -> str | None:
        """People cut off on network islands, as a data warning in :attr:`notes` (see ``data_warnings``)."""
        return network_islands(self, graph, on_dropped, mode=mode)

    def unit_level(self, level: str, *, purpose: str) -> gpd.GeoDataFrame:
        """The units of ``level``, or a clear error listing the levels the layer set has."""
        if level in self.units:
            return self.units[level]
        if level in self.spec.areas:
            return self.area(level, purpose=purpose)
        raise MissingDataError(Message("err.level_missing", level=level, purpose=purpose, root=str(self.spec.root),
                                       levels=", ".join(self.levels),
                                       areas=", ".join(self.spec.areas) or Message("err.none")))

    def cells_in(self, polygons: gpd.GeoDataFrame) -> NDArray[np.int64]:
        """Index of the polygon holding each population cell (-1 outside all)."""
        level = self._level_of(polygons)
        if level:  # a unit level: already assigned when the region was built
            return self.cell_unit[level]
        return self.population.polygon_index(polygons.geometry.values, self.crs)

    def _level_of(self, gdf: gpd.GeoDataFrame) -> str:
        for k, v in self.units.items():
            if v is gdf:
                return k
        return ""

    def area(self, name: str, *, purpose: str) -> gpd.GeoDataFrame:
        """A named polygon layer (built_up, key_areas, ...) in the working CRS."""
        if name not in self._areas:
            if name not in self.spec.areas:
                raise MissingDataError(Message("err.area_missing", name=name, purpose=purpose, root=str(self.spec.root),
                                               areas=", ".join(self.spec.areas) or Message("err.no_areas")))
            gdf, notes = read_polygons(self.spec.areas[name])
            self.notes.extend(notes)
            gdf = gdf.to_crs(self.crs)
            if "id" not in gdf.columns:
                gdf["id"] = [f"{name}-{i + 1}" for i in range(len(gdf))]
            if "name" not in gdf.columns:
                gdf["name"] = gdf["id"].astype(str)
            gdf = gdf.rename(columns={"id": "unit_id"})
            gdf["unit_id"] = gdf["unit_id"].astype(str)
            gdf["class"] = name
            gdf["parent_id"] = ""
            self._areas[name] = gdf
        return self._areas[name]

    def preload(self, *, roles: list[str], areas: list[str]) -> None:
        """Read the facility layers and areas a run needs, reporting every broken one in one error.

        Layers the layer set does not have are skipped (their targets say "no data").
        """
        problems: list[str] = []
        for role in dict.fromkeys(roles):
            if role in self.spec.facilities:
                try:
                    self.facilities(role, purpose=Message("err.for_run"))
                except MissingDataError:
                    continue
                except LayerError as exc:
                    problems.append(exc.message)
        for name in dict.fromkeys(areas):
            if name in self.spec.areas:
                try:
                    self.area(name, purpose=Message("err.for_run"))
                except MissingDataError:
                    continue
                except LayerError as exc:
                    problems.append(exc.message)
        if problems:
            _raise_all(problems)

    def want_columns(self, role: str, columns: list[str]) -> None:
        """Say which columns of ``role`` the run reads (before reading it); a layer read without them is reread."""
        have = self._wanted.setdefault(role, set())
        new = set(columns) - have
        have |= new
        if new and role in self._facilities and not new <= set(self._facilities[role].columns):
            del self._facilities[role]

    def facilities(self, role: str, *, purpose: str) -> gpd.GeoDataFrame:
        """All facilities of a role (every year), standardised, in the working CRS."""
        if role not in self._facilities:
            if role not in self.spec.facilities:
                raise MissingDataError(Message("err.facility_layer_missing", role=role, purpose=purpose,
                                               root=str(self.spec.root),
                                               have=", ".join(sorted(self.spec.facilities)) or Message("err.none")),
                                       role=role)
            src = self.spec.facilities[role]
            gdf, notes = read_layer(src, wanted=self._wanted.get(role))
            self.notes.extend(notes)
            gdf = single_points(gdf, src, self.notes)
            undeclared_coord_system(self, gdf, src)
            gdf = self._check_location(gdf, src)
            parts = _attributes_and_xy(gdf, self.crs)
            if parts is None:
                gdf = gdf.to_crs(self.crs)
            else:  # rebinding frees the lon/lat points before the projected ones are made
                gdf, x, y = parts
                del parts
                gdf = gpd.GeoDataFrame(gdf, geometry=shapely.points(x, y), crs=self.crs)
            self._facilities[role] = _standardise(gdf, src)
            del gdf
            if len(self._facilities[role]) > LARGE_LAYER_ROWS:
                release_unused_memory()  # the read's and the standardising's temporaries
        return self._facilities[role]

    def what_if(self, *, open_statuses: frozenset[str] | None = None,
                add: dict[str, gpd.GeoDataFrame] | None = None) -> Region:
        """A copy for a what-if run; this region is left unchanged.

        Parameters
        ----------
        open_statuses
            Statuses counted as open in every year (e.g. planned and under-construction facilities).
        add
            Role -> rows (standard facility columns, working CRS) appended to that facility layer.
        """
        layers = dict(self._facilities)
        for role, rows in (add or {}).items():
            layers[role] = pd.concat([self.facilities(role, purpose=Message("err.for_what_if")), rows], ignore_index=True)
        return replace(self, _facilities=layers,
                       open_statuses=self.open_statuses if open_statuses is None else open_statuses)

    def facilities_in_year(self, role: str, year: int, *, purpose: str) -> gpd.GeoDataFrame:
        """Facilities that exist in ``year``: opened by then (or of a status in ``open_statuses``) and not closed."""
        gdf = self.facilities(role, purpose=purpose)
        status = gdf["status"].to_numpy()
        opened = (gdf["open_year"].to_numpy() <= year) | np.isin(status, list(self.open_statuses))
        keep = opened & (status != "closed")
        return gdf if keep.all() else gdf[keep]  # no copy when every facility counts

    def walk_graph(self) -> Any:
        """The layer set's walking network (loaded once, through the network cache), or None without one."""
        if "walk" not in self.spec.networks:
            return None
        if "walk" not in self._graphs:
            from .. import network as net
            from .._io import network_cache_dir

            src = self.spec.networks["walk"]
            self._graphs["walk"] = net.load_walk_network(src.path, crs=self.crs.to_string(),
                                                         cache_dir=network_cache_dir(), mode="walk")
        return self._graphs["walk"]

    def _check_location(self, gdf: gpd.GeoDataFrame, src: LayerSource) -> gpd.GeoDataFrame:
        # Work on lon/lat first: a swapped or wrong-CRS point (latitude beyond ±90°) cannot be projected, and
        # projecting it gives infinite coordinates (and library warnings) instead of a planner message.
        # Coordinate arrays only (no reprojected copy of the layer): a list may hold millions of rows.
        lon, lat = representative_xy(gdf.geometry.values, gdf.crs, WGS84)
        on_earth = np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90.0) & (np.abs(lon) <= 180.0)
        dist = np.full(len(gdf), np.inf)
        if on_earth.any():
            mx, my = _project_xy(lon[on_earth], lat[on_earth], self.crs)
            territory = self.territory
            shapely.prepare(territory)
            d = np.zeros(mx.size)
            out = ~shapely.contains_xy(territory, mx, my)
            d[out] = shapely.distance(shapely.points(mx[out], my[out]), territory)
            dist[on_earth] = d
        limit_m = outside_limit_m(src)
        far = np.flatnonzero(dist > limit_m)
        beyond = np.flatnonzero((dist > 0) & (dist <= limit_m))
        if beyond.size and src.role.startswith("seismic") and not far.size:
            self.notes.append(Message("note.stations_outside", n_out=beyond.size, n=len(gdf),
                                      layer=Both(src.role, words(src.role, "zh")),
                                      km=f"{dist[beyond].max() / 1000:.1f}", limit_km=f"{limit_m / 1000:.0f}"))
        if not far.size:
            return gdf
        west, south, east, north = self.territory_wgs84_bounds
        swapped_inside = (lat[far] >= west) & (lat[far] <= east) & (lon[far] >= south) & (lon[far] <= north)
        if swapped_inside.mean() > 0.5:
            raise LayerError(Message("err.lonlat_swapped", role=src.role, where=src.where(), n=len(far),
                                     rows=rows_words(far), lon=f"{lon[far[0]]:.5f}", lat=f"{lat[far[0]]:.5f}"))
        raise LayerError(Message("err.far_outside", role=src.role, where=src.where(), n=len(far), total=len(gdf),
                                 rows=rows_words(far), km=f"{limit_m / 1000:.0f}", lon=f"{lon[far[0]]:.5f}",
                                 lat=f"{lat[far[0]]:.5f}", west=f"{west:.3f}", east=f"{east:.3f}", south=f"{south:.3f}",
                                 north=f"{north:.3f}"))


def _attributes_and_xy(gdf: gpd.GeoDataFrame, crs: CRS
                       ) -> tuple[pd.DataFrame, NDArray[np.float64], NDArray[np.float64]] | None:
    """A point layer as its attribute table and its coordinates in ``crs`` (None if not every feature is a point).

    Reprojecting through coordinate arrays lets the caller free the old points before making the new ones
    (``to_crs`` holds both sets of point objects at once: for a list of millions, hundreds of MB).
    """
    geoms = gdf.geometry.values
    if not (shapely.get_type_id(np.asarray(geoms)) == 0).all():
        return None
    x, y = representative_xy(geoms, gdf.crs, crs)
    return pd.DataFrame(gdf.drop(columns=gdf.geometry.name)), x, y


def _standardise(gdf: gpd.GeoDataFrame, src: LayerSource) -> gpd.GeoDataFrame:
    n = len(gdf)
    out = gdf.copy(deep=False)  # columns are replaced below, never written into: the read layer is not copied
    if "facility_id" not in out.columns:
        out["facility_id"] = out["id"].astype(str) if "id" in out.columns else [f"{src.role}-{i + 1}" for i in range(n)]
    blank = blank_ids(out["facility_id"])
    ids = out["facility_id"].astype(str).to_numpy(dtype=object)
    if blank.any():  # fallback ids only where needed: a list of millions costs no new strings
        ids[blank] = [f"{src.role}-{i + 1}" for i in np.flatnonzero(blank)]
    # Python strings, made once here: every target's counted ids (TargetResult.counted_ids) share them
    out["facility_id"] = pd.Series(ids, index=out.index, dtype=object)
    require_unique_ids(out["facility_id"], role=src.role, where=src.where())
    if "name" not in out.columns:
        out["name"] = out["facility_id"]
    out["name"] = out["name"].fillna("").astype(str)
    if "status" in out.columns:
        out["status"] = _standard_status(out["status"], src)
    else:
        out["status"] = pd.Series("existing", index=out.index).to_numpy()
    if "open_year" in out.columns:
        raw = out["open_year"]
        years = numbers_or_nan(raw)  # per distinct value: no Python string per row of a long list
        bad = np.flatnonzero(np.isnan(years) & raw.notna().to_numpy() & ~raw.isin([""]).to_numpy())
        if bad.size:
            raise LayerError(Message("err.open_year", role=src.role, where=src.where(), rows=rows_words(bad),
                                     value=repr(raw.iloc[bad[0]])))
        out["open_year"] = np.where(np.isnan(years), 0.0, years).astype(int)
    else:
        out["open_year"] = 0
    return out


def _standard_status(raw: pd.Series, src: LayerSource) -> pd.Series:
    """The status column in standard words, read and written per distinct value.

    A list of millions then makes no Python string per row (a categorical is factorised as it is) and the result
    is Arrow text taken from the few distinct words.
    """
    codes, uniques = pd.factorize(raw if isinstance(raw.dtype, pd.CategoricalDtype) else raw.astype(str))
    norm = [str(u).strip().lower() for u in uniques]
    mapped = np.asarray([_STATUS.get(u, _STATUS.get(u.replace(" ", "_"), "")) for u in norm], dtype=object)
    bad = np.flatnonzero((mapped == "")[codes])
    if bad.size:
        raise LayerError(Message("err.status_unknown", role=src.role, where=src.where(), status=norm[codes[bad[0]]],
                                 rows=rows_words(bad)))
    word_codes, words = pd.factorize(mapped)
    return pd.Series(pd.Categorical.from_codes(word_codes[codes], categories=pd.Index(words, dtype=str)),
                     index=raw.index).astype(str)


def _raise_all(problems: list[str]) -> NoReturn:
    if len(problems) == 1:
        raise LayerError(problems[0])
    raise LayerError(Message("err.layer_set_problems", n=len(problems), items=Lines(problems)))


def load_region(spec: LayerSetSpec) -> Region:
    """Build the region of a layer set: working CRS, units, population assigned to units.

    Parameters
    ----------
    spec
        A parsed manifest.

    Returns
    -------
    Region

    Raises
    ------
    LayerError
        For unreadable layers, or units that leave population uncovered.
    """
    levels = list(spec.units)
    problems: list[str] = []  # every unit level and the population are checked before one error lists them all
    units: dict[str, gpd.GeoDataFrame] = {}
    notes: list[str] = []
    crs: CRS | None = None
    for level in levels:
        try:
            gdf, more = _units(spec.units[level], level, crs)
        except LayerError as exc:
            problems.append(exc.message)
            continue
        if crs is None:
            centroid = shapely.centroid(shapely.union_all(gdf.to_crs(WGS84).geometry.values))
            crs = utm_crs_for(centroid.x, centroid.y)
            gdf = gdf.to_crs(crs)
        units[level] = gdf
        notes.extend(more)
    if spec.population is None:
        problems.append(Message("err.no_population", root=str(spec.root)))
    elif crs is not None:
        try:
            pop = read_population(spec.population, crs)
        except LayerError as exc:
            problems.append(exc.message)
    if problems or crs is None:
        _raise_all(problems or [f"Layer set {spec.root} has no unit level."])
    notes.extend(pop.notes)
    cell_unit: dict[str, NDArray[np.int64]] = {}
    total = pop.total
    for level, gdf in units.items():
        idx = pop.polygon_index(gdf.geometry.values, crs)
        outside = idx < 0
        if outside.any():  # cells straddling an edge: the nearest unit within half a cell
            pts = shapely.points(pop.x_m[outside], pop.y_m[outside])
            tree = shapely.STRtree(gdf.geometry.values)
            near_in, near_g = tree.query_nearest(pts, max_distance=0.499 * pop.cell_size_m, all_matches=False)
            fill = np.full(pts.size, -1, dtype=np.int64)
            fill[near_in] = near_g
            idx[outside] = fill
        lost = idx < 0
        lost_people = float(total[lost].sum())
        share = lost_people / float(total.sum())
        if share > MAX_UNCOVERED_SHARE:
            xy = shapely.points(pop.x_m[lost][:1], pop.y_m[lost][:1])
            ll = gpd.GeoSeries(xy, crs=crs).to_crs(WGS84).iloc[0]
            problems.append(Message("err.people_outside_units", level=level, where=spec.units[level].where(),
                                    people=f"{lost_people:,.0f}", share=f"{share:.1%}", cells=int(lost.sum()),
                                    lon=f"{ll.x:.4f}", lat=f"{ll.y:.4f}"))
            continue
        if lost_people > 0:
            notes.append(Message("note.people_outside_units", people=f"{lost_people:,.0f}", share=f"{share:.2%}",
                                 level=Both(level, words(level, "zh"))))
        cell_unit[level] = idx
        notes.extend(unit_overlaps(gdf, level, pop))
    if problems:
        _raise_all(problems)
    return Region(spec=spec, crs=crs, units=units, population=pop, cell_unit=cell_unit, notes=notes)
