"""Census-style population (counts per unit) spread onto where people live: dasymetric mapping.

Published population is a count per unit (七普 per district / street, a city's statistics per quarter).
Inside each unit the people are placed, by the first method that finds anything there:

1. ``buildings``: every building that may hold homes, weighted by its floor area (footprint × levels).
   A building is a candidate (``building=yes`` included) unless its own tags or the ground it stands
   on say otherwise: a non-dwelling ``building=*`` value (:data:`NON_DWELLING`: commercial, industrial,
   retail, religious, education, health, transport, garages, sheds …), a use tagged on the building
   (``amenity``, ``shop``, ``office`` …; ``use_tagged``) or non-residential land use under it
   (:data:`NON_RESIDENTIAL_LAND`) — unless ``building=*`` itself is a dwelling type. Levels come from
   ``building:levels``, else ``height`` ÷ 3 m, else a default per building type (:data:`DEFAULT_LEVELS`;
   for ``building=yes`` and other unstated types: the median of the extract's tagged candidates when at
   least :data:`MIN_TAGGED_FOR_MEDIAN` are tagged). The notes say how many levels came from where;
2. ``residential_land``: ``landuse=residential`` areas on land, by area (points on a 50 m grid);
3. ``even``: spread evenly over the unit's land (points on a 100 m grid), with a note.

Nobody is placed on water or outside land when ``land`` is given: buildings whose point lies outside
it are not candidates, and the grids of methods 2 and 3 cover only land.

Counts are conserved exactly: integer counts are split by largest remainder, so the people placed in
a unit add up to the unit's count to the person; fractional counts are split proportionally.
Every function is vectorised (no Python loop over buildings).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from ..errors import LayerError
from .messages import Both, Message

__all__ = ["CONTEXT_PRIOR_M2", "CONTEXT_RADIUS_M", "DEFAULT_LEVELS", "DWELLING_TYPES", "METHODS", "NON_DWELLING",
           "NON_RESIDENTIAL_LAND", "SHARE_SENTENCE", "DasymetricResult", "FloorArea", "LevelsUsed",
           "estimate_counts_from_floor_area", "floor_area_m2", "residential_share", "share_note", "spread_counts"]

#: ``building=*`` values that are dwellings.
DWELLING_TYPES = frozenset({
    "apartments", "residential", "house", "detached", "semidetached_house", "terrace", "dormitory", "bungalow",
    "cabin", "farm", "houseboat", "static_caravan",
})  # fmt: skip
#: ``building=*`` values that hold no residents.
NON_DWELLING = frozenset({
    "garage", "garages", "shed", "roof", "carport", "kiosk", "church", "chapel", "cathedral", "mosque", "temple",
    "synagogue", "shrine", "religious", "monastery", "school", "university", "college", "kindergarten", "hospital",
    "retail", "commercial", "office", "industrial", "warehouse", "manufacture", "supermarket", "public", "civic",
    "government", "transportation", "train_station", "parking", "service", "utility", "hut", "toilets",
    "greenhouse", "glasshouse", "construction", "ruins", "bunker", "tower", "pavilion", "museum", "ship",
    "entrance", "underpass_entrance", "bridge", "atrium", "hotel", "sports_hall", "sports_centre", "stadium",
    "grandstand", "fire_station", "barn", "cowshed", "stable", "sty", "farm_auxiliary", "silo", "storage_tank",
    "water_tower", "transformer_tower", "power", "digester", "hangar", "boathouse", "no",
})  # fmt: skip
#: ``landuse=*`` (and amenity grounds, ``amenity=school`` …) where buildings are not homes.
NON_RESIDENTIAL_LAND = frozenset({
    "commercial", "industrial", "retail", "railway", "military", "cemetery", "religious", "education", "civic",
    "institutional", "port", "harbour", "garages", "depot", "quarry", "landfill", "construction", "brownfield",
    "amenity=school", "amenity=university", "amenity=college", "amenity=kindergarten", "amenity=hospital",
    "amenity=clinic", "amenity=place_of_worship", "amenity=parking", "amenity=prison", "amenity=fire_station",
    "amenity=police", "leisure=stadium", "leisure=sports_centre", "leisure=marina", "aeroway=aerodrome",
})  # fmt: skip
#: Levels of a building without ``building:levels`` or ``height``, per ``building=*`` value (an assumption,
#: reported). ``None``: the median of the extract's tagged candidates (else :data:`FALLBACK_LEVELS`).
DEFAULT_LEVELS: dict[str, float | None] = {
    "house": 2.0, "detached": 2.0, "semidetached_house": 2.0, "terrace": 2.0, "farm": 2.0,
    "bungalow": 1.0, "cabin": 1.0, "static_caravan": 1.0, "houseboat": 1.0,
    "apartments": None, "residential": None, "dormitory": None, "yes": None,
}  # fmt: skip
FALLBACK_LEVELS = 3.0
#: Buildings of unstated type take the share of homes among the labelled buildings within this radius …
CONTEXT_RADIUS_M = 100.0
#: … counting this much footprint as homes before any evidence (about two inner-city apartment blocks' ground
#: area): a building needs labelled non-residential neighbours to lose floor area. An assumption, reported.
CONTEXT_PRIOR_M2 = 2000.0
MIN_TAGGED_FOR_MEDIAN = 20
METRES_PER_LEVEL = 3.0
#: The residential-share rules in the planner's words (notes, assumptions, units_method.csv).
def share_note() -> Message:
    """The residential-share rules in the planner's words (notes and assumptions; a catalogue sentence)."""
    return Message("note.dasy_share", radius_m=f"{CONTEXT_RADIUS_M:g}", prior_m2=f"{CONTEXT_PRIOR_M2:,.0f}")


#: :func:`share_note` in English, for the ``residential_rule`` column of units_method.csv.
SHARE_SENTENCE = str(share_note())
METHODS = ("buildings", "residential_land", "even")
_METHOD_KEY = {m: f"note.dasy_method_{m}" for m in ("buildings", "residential_land", "even")}


@dataclass(frozen=True)
class LevelsUsed:
    """Where the candidate buildings' levels came from (counts), and the default used for unstated types."""

    tagged: int
    from_height: int
    defaulted: int
    default_levels: float
    default_source: str

    def sentence(self) -> Message:
        """One sentence for the report (a catalogue ``Message``)."""
        return Message("note.dasy_levels", tagged=self.tagged, from_height=self.from_height, m=f"{METRES_PER_LEVEL:g}",
                       defaulted=self.defaulted, default=f"{self.default_levels:g}", source=self.default_source)


@dataclass(frozen=True)
class DasymetricResult:
    """People placed at points, and how each unit was handled.

    Attributes
    ----------
    points
        GeoDataFrame (CRS of the units) with ``unit_id``, ``count`` (people), ``method``.
    units
        DataFrame per unit: ``unit_id``, ``count``, ``method`` (one of :data:`METHODS`, or ``none`` for a
        unit with no people), ``n_points``.
    notes
        Sentences for the report (which method how many units used, where levels came from).
    """

    points: gpd.GeoDataFrame
    units: pd.DataFrame
    notes: tuple[str, ...]


def _levels(b: gpd.GeoDataFrame, candidate: NDArray[np.bool_]) -> tuple[NDArray[np.float64], LevelsUsed]:
    n = len(b)
    kind = b["building"].astype(str).to_numpy() if n else np.zeros(0, dtype=str)
    tagged = pd.to_numeric(b["levels"], errors="coerce").to_numpy(float) if "levels" in b else np.full(n, np.nan)
    tagged = np.where(tagged > 0, tagged, np.nan)
    height = pd.to_numeric(b["height_m"], errors="coerce").to_numpy(float) if "height_m" in b else np.full(n, np.nan)
    from_h = np.where(height > 0, np.maximum(1.0, np.round(height / METRES_PER_LEVEL)), np.nan)
    known = np.where(np.isfinite(tagged), tagged, from_h)
    sample = known[candidate & np.isfinite(known) & ~np.isin(kind, [k for k, v in DEFAULT_LEVELS.items() if v])]
    if sample.size >= MIN_TAGGED_FOR_MEDIAN:
        default, source = float(np.median(sample)), Message("note.dasy_levels_median", n=int(sample.size))
    else:
        default, source = FALLBACK_LEVELS, Message("note.dasy_levels_fallback", n=int(sample.size),
                                                   min=MIN_TAGGED_FOR_MEDIAN)
    per_kind = np.array([DEFAULT_LEVELS.get(k) or default for k in kind], dtype=float) if n else np.zeros(0)
    levels = np.where(np.isfinite(known), known, per_kind)
    used = LevelsUsed(int((candidate & np.isfinite(tagged)).sum()),
                      int((candidate & ~np.isfinite(tagged) & np.isfinite(from_h)).sum()),
                      int((candidate & ~np.isfinite(known)).sum()), default, source)
    return levels, used


@dataclass(frozen=True)
class _Residential:
    """Buildings as candidate homes: where they stand, in which unit, their floor area."""

    points: NDArray[np.object_]
    owner: NDArray[np.int64]  # unit index, -1 outside every unit
    weight: NDArray[np.float64]  # residential floor area: footprint × levels × residential share (m²)
    gross: NDArray[np.float64]  # footprint × levels, before the residential share (m²)
    candidate: NDArray[np.bool_]
    levels: LevelsUsed | None
    land: gpd.GeoDataFrame | None


def _within_any(pts: NDArray[np.object_], polys: NDArray[np.object_]) -> NDArray[np.bool_]:
    out = np.zeros(len(pts), dtype=bool)
    if len(pts) and len(polys):
        out[np.unique(shapely.STRtree(polys).query(pts, predicate="within")[0])] = True
    return out


def _non_residential(b: gpd.GeoDataFrame, kind: NDArray[np.str_], dwelling: NDArray[np.bool_],
                     pts: NDArray[np.object_], land_use: gpd.GeoDataFrame | None, crs: object) -> NDArray[np.bool_]:
    """Buildings whose own tags, or the ground under them, say they hold no homes (dwellings never)."""
    out = np.isin(kind, list(NON_DWELLING))
    for col in ("use_tagged", "named"):  # a use, or a landmark's own name, on a building of unstated type
        if col in b:
            out |= ~dwelling & b[col].fillna(False).to_numpy(bool)
    if "building_use" in b:  # ``building:use=*``: what the building is used for, whatever it was built as
        use = b["building_use"].fillna("").astype(str).to_numpy()
        out |= (use != "") & ~np.isin(use, list(DWELLING_TYPES))
    if land_use is not None and len(land_use) and len(b):
        lu = land_use.to_crs(crs)
        out |= ~dwelling & _within_any(pts, lu[lu["kind"].isin(list(NON_RESIDENTIAL_LAND))].geometry.values)
    return out


def residential_share(b: gpd.GeoDataFrame, *, dwelling: NDArray[np.bool_], non_residential: NDArray[np.bool_],
                      points: NDArray[np.object_], radius_m: float = CONTEXT_RADIUS_M,
                      prior_m2: float = CONTEXT_PRIOR_M2) -> NDArray[np.float64]:
    """Share of each building's floor area that is homes (0 … 1), from the evidence in the data.

    * dwellings (``building=apartments|house …`` or ``building:use=residential``): 1;
    * buildings with a non-residential type, use, landmark name or land use (``non_residential``): 0;
    * buildings of unstated type (``building=yes`` …) with an office or a hotel/hostel mapped inside
      (``n_work_pois``): 0 — a point of interest inside a footprint describes the building as a tag on it would;
    * other buildings of unstated type: the share of homes among the *labelled* buildings within
      ``radius_m`` of them, by footprint, with ``prior_m2`` of footprint counted as homes (so that a building
      with few labelled neighbours stays a home): ``(homes + prior) / (homes + non-homes + prior)``.

    The ground-floor rule for shops inside (:func:`spread_counts`) applies on top of this share.

    Parameters
    ----------
    b
        Buildings in a projected CRS (metres), optional column ``n_work_pois``.
    dwelling, non_residential
        Masks of the labelled buildings (homes; no homes).
    points
        A point inside each building.
    radius_m, prior_m2
        Neighbourhood radius and the footprint counted as homes before any evidence.

    Returns
    -------
    numpy.ndarray
        One share per building.
    """
    n = len(b)
    if n == 0:
        return np.zeros(0)
    foot = np.asarray(shapely.area(b.geometry.values), dtype=np.float64)
    bi, nj = shapely.STRtree(points).query(points, predicate="dwithin", distance=radius_m)
    homes = np.bincount(bi, weights=foot[nj] * dwelling[nj], minlength=n)
    other = np.bincount(bi, weights=foot[nj] * non_residential[nj], minlength=n)
    share = (homes + prior_m2) / (homes + other + prior_m2)
    if "n_work_pois" in b:
        share[b["n_work_pois"].fillna(0).to_numpy(float) > 0] = 0.0
    share[dwelling] = 1.0
    share[non_residential & ~dwelling] = 0.0
    return share


def _residential(tree: shapely.STRtree, buildings: gpd.GeoDataFrame, residential_land: gpd.GeoDataFrame | None,
                 crs: object, land_use: gpd.GeoDataFrame | None = None, land: shapely.Geometry | None = None
                 ) -> _Residential:
    """Classify buildings (any CRS) against the units in ``tree`` (in ``crs``), land use and land."""
    b = buildings.to_crs(crs) if len(buildings) else buildings
    kind = b["building"].astype(str).to_numpy() if len(b) else np.zeros(0, dtype=str)
    pts = shapely.point_on_surface(b.geometry.values) if len(b) else np.zeros(0, dtype=object)
    pi, unit = tree.query(pts, predicate="within")
    owner = np.full(len(b), -1, dtype=np.int64)
    owner[pi[::-1]] = unit[::-1]  # a building on a shared edge belongs to its first unit
    dwelling = np.isin(kind, list(DWELLING_TYPES))
    if "building_use" in b:
        dwelling |= np.isin(b["building_use"].fillna("").astype(str).to_numpy(), list(DWELLING_TYPES))
    non_res = _non_residential(b, kind, dwelling, pts, land_use, crs)
    cand = ~non_res
    if land is not None and len(b):
        cand &= shapely.within(pts, land)
    rl = residential_land.to_crs(crs) if residential_land is not None and len(residential_land) else None
    if not len(b):
        return _Residential(pts, owner, np.zeros(0), np.zeros(0), cand, None, rl)
    levels, used = _levels(b, cand)
    if "n_pois" in b:  # shops, offices, cafés inside: the ground floor is not homes
        levels = np.where(b["n_pois"].fillna(0).to_numpy(float) > 0, np.maximum(levels - 1.0, 0.0), levels)
    gross = np.asarray(shapely.area(b.geometry.values) * levels, dtype=np.float64)
    share = residential_share(b, dwelling=dwelling, non_residential=non_res, points=pts)
    return _Residential(pts, owner, gross * share, gross, cand, used, rl)


def _grid_points(polys: NDArray[np.object_], owner: NDArray[np.int64], cell_m: float
                 ) -> tuple[NDArray[np.object_], NDArray[np.int64], NDArray[np.float64]]:
    """Points on a ``cell_m`` grid inside each polygon (weight = area share), one point for tiny polygons."""
    if len(polys) == 0:
        return np.zeros(0, dtype=object), np.zeros(0, np.int64), np.zeros(0)
    minx, miny, maxx, maxy = shapely.total_bounds(polys)
    xs = np.arange(minx + cell_m / 2, maxx, cell_m)
    ys = np.arange(miny + cell_m / 2, maxy, cell_m)
    gx, gy = np.meshgrid(xs, ys)
    pts = shapely.points(gx.ravel(), gy.ravel())
    tree = shapely.STRtree(polys)
    pi, gi = tree.query(pts, predicate="within")
    first = np.unique(pi, return_index=True)[1]  # a point in two overlapping pieces counts once
    pi, gi = pi[first], gi[first]
    have = np.zeros(len(polys), dtype=bool)
    have[gi] = True
    lone = np.flatnonzero(~have)
    out_pts = np.concatenate([pts[pi], shapely.point_on_surface(polys[lone])])
    out_poly = np.concatenate([gi, lone]).astype(np.int64)
    area = shapely.area(polys)
    n_in = np.bincount(out_poly, minlength=len(polys))
    return out_pts, owner[out_poly], area[out_poly] / n_in[out_poly]


def _split(count: float, w: NDArray[np.float64]) -> NDArray[np.float64]:
    """``count`` split in proportion to ``w``: whole people by largest remainder when ``count`` is whole."""
    share = w / w.sum()
    if float(count).is_integer():
        raw = share * count
        base = np.floor(raw)
        rest = int(round(count - base.sum()))
        if rest > 0:
            base[np.argsort(-(raw - base), kind="stable")[:rest]] += 1
        return base
    return share * count


def spread_counts(
    units: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
    *,
    residential_land: gpd.GeoDataFrame | None = None,
    land_use: gpd.GeoDataFrame | None = None,
    land: shapely.Geometry | None = None,
    count_col: str = "count",
    id_col: str = "unit_id",
    even_cell_m: float = 100.0,
) -> DasymetricResult:
    """Spread each unit's count over the floor area of its candidate homes (or land use, or evenly).

    Parameters
    ----------
    units
        Polygons in a projected CRS (metres) with ``id_col`` and ``count_col`` (people).
    buildings
        Building footprints (polygons, any CRS) with ``building`` (the OSM value) and optional ``levels``,
        ``height_m`` and ``use_tagged`` (the building's own tags name a non-residential use).
    residential_land
        ``landuse=residential`` polygons (any CRS), optional.
    land_use
        Land-use polygons (any CRS) with ``kind`` (``landuse`` value or ``amenity=school`` …), optional:
        buildings on :data:`NON_RESIDENTIAL_LAND` are not candidates unless they are dwellings.
    land
        Land polygon in the units' CRS (outline minus sea and water), optional: nobody is placed outside it.
    count_col, id_col
        Column names on ``units``.
    even_cell_m
        Grid spacing for the even fallback.

    Returns
    -------
    DasymetricResult
        Points with people, conserving every unit's count.

    Raises
    ------
    LayerError
        Units without a projected CRS, or with missing/negative counts.
    """
    if units.crs is None or not units.crs.is_projected:
        raise LayerError("Dasymetric spreading needs units in a projected CRS (metres); reproject them first.")
    counts = pd.to_numeric(units[count_col], errors="coerce")
    bad = counts.isna() | (counts < 0)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise LayerError(Message("err.unit_pop_bad_count", row=i + 1, unit=repr(units[id_col].iloc[i]),
                                 count=repr(units[count_col].iloc[i])))
    crs = units.crs
    upoly = units.geometry.values
    tree = shapely.STRtree(upoly)
    res = _residential(tree, buildings, residential_land, crs, land_use, land)
    rl = res.land

    cand_pts: list[NDArray[np.object_]] = []
    cand_unit: list[NDArray[np.int64]] = []
    cand_w: list[NDArray[np.float64]] = []
    cand_method: list[NDArray[np.int64]] = []

    def add(p: NDArray[np.object_], u: NDArray[np.int64], w: NDArray[np.float64], method: int) -> None:
        cand_pts.append(p)
        cand_unit.append(u)
        cand_w.append(w)
        cand_method.append(np.full(len(p), method))

    sel = res.candidate & (res.owner >= 0) & (res.weight > 0)
    add(res.points[sel], res.owner[sel], res.weight[sel], 0)
    on_land = upoly if land is None else shapely.intersection(upoly, land)
    if rl is not None:
        li, ui = tree.query(rl.geometry.values, predicate="intersects")
        pieces = shapely.intersection(rl.geometry.values[li], on_land[ui])
        keep = ~shapely.is_empty(pieces) & (shapely.area(pieces) > 0)
        add(*_grid_points(pieces[keep], ui[keep].astype(np.int64), 50.0), 1)
    has_land = ~shapely.is_empty(on_land) & (shapely.area(on_land) > 0)
    add(*_grid_points(on_land[has_land], np.flatnonzero(has_land).astype(np.int64), even_cell_m), 2)
    pts = np.concatenate(cand_pts)
    unit = np.concatenate(cand_unit)
    w = np.concatenate(cand_w)
    method = np.concatenate(cand_method)
    # per unit, the best (lowest-numbered) method that has any weight
    best = np.full(len(units), 2, dtype=np.int64)
    np.minimum.at(best, unit, method)
    use = method == best[unit]
    pts, unit, w, method = pts[use], unit[use], w[use], method[use]
    order = np.argsort(unit, kind="stable")
    pts, unit, w, method = pts[order], unit[order], w[order], method[order]
    starts = np.searchsorted(unit, np.arange(len(units) + 1))
    people = np.zeros(len(pts))
    cvals = counts.to_numpy(float)
    no_land = []
    for i in range(len(units)):  # one numpy split per unit (hundreds of units, not per building)
        s, e = starts[i], starts[i + 1]
        if e > s:
            people[s:e] = _split(cvals[i], w[s:e])
        elif cvals[i] > 0:
            no_land.append(str(units[id_col].iloc[i]))
    ids = units[id_col].to_numpy()
    points = gpd.GeoDataFrame({"unit_id": ids[unit], "count": people, "method": np.asarray(METHODS)[method]},
                              geometry=pts, crs=crs)
    per_unit = pd.DataFrame({"unit_id": ids, "count": cvals, "method": np.asarray(METHODS)[best],
                             "n_points": np.diff(starts)})
    per_unit.loc[per_unit["count"] == 0, "method"] = "none"
    used = per_unit["method"].value_counts()
    parts = [Message("note.dasy_by", n=int(used[m]), how=Message(_METHOD_KEY[m])) for m in METHODS if int(used.get(m, 0))]
    notes: list[str] = []
    if parts:
        notes.append(Message("note.dasy_spread", parts=Both("; ".join(parts), ";".join(p.text("zh") for p in parts))))
    if int(used.get("buildings", 0)) and res.levels is not None:
        notes.append(res.levels.sentence())
        notes.append(share_note())
    if int(used.get("even", 0)):
        even = per_unit.loc[per_unit["method"] == "even", "unit_id"].astype(str).tolist()
        notes.append(Message("note.dasy_even", names=", ".join(even[:20]) + (" …" if len(even) > 20 else "")))
    if int(used.get("none", 0)):
        notes.append(Message("note.dasy_none", n=int(used["none"])))
    if no_land:
        raise LayerError(Message("err.unit_pop_no_land", n=len(no_land), units=", ".join(no_land[:10])))
    return DasymetricResult(points=points[points["count"] > 0].reset_index(drop=True), units=per_unit,
                            notes=tuple(notes))


@dataclass(frozen=True)
class FloorArea:
    """Floor area per unit (m²) of the candidate buildings: homes only (``residential_m2``: footprint × levels ×
    residential share) and all of it (``gross_m2``), and where the levels came from."""

    residential_m2: NDArray[np.float64]
    gross_m2: NDArray[np.float64]
    levels: LevelsUsed | None


def floor_area_m2(units: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame, *,
                  land_use: gpd.GeoDataFrame | None = None, land: shapely.Geometry | None = None,
                  ) -> FloorArea:
    """Floor area (m²) per unit of the candidate buildings, residential and gross (see the module)."""
    res = _residential(shapely.STRtree(units.geometry.values), buildings, None, units.crs, land_use, land)
    use = res.candidate & (res.owner >= 0)
    per_unit = [np.asarray(np.bincount(res.owner[use], weights=w[use], minlength=len(units)), dtype=np.float64)
                for w in (res.weight, res.gross)]
    return FloorArea(per_unit[0], per_unit[1], res.levels)


def estimate_counts_from_floor_area(
    units: gpd.GeoDataFrame, buildings: gpd.GeoDataFrame, *, floor_m2_per_person: float,
    land_use: gpd.GeoDataFrame | None = None, land: shapely.Geometry | None = None,
) -> NDArray[np.float64]:
    """People per unit estimated as residential floor area ÷ ``floor_m2_per_person`` (when no counts).

    Floor area = footprint × levels of the candidate buildings :func:`spread_counts` uses. Whole people.
    """
    if floor_m2_per_person <= 0:
        raise LayerError(f"floor_m2_per_person must be > 0, not {floor_m2_per_person}.")
    floor = floor_area_m2(units, buildings, land_use=land_use, land=land).residential_m2
    return np.round(floor / floor_m2_per_person)
