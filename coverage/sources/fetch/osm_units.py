"""Units and land from an OpenStreetMap extract: admin boundaries cut by the extract's edge, sea and water.

An extract holds the boundary relations of the places it covers, but cut at its edge: their rings are
open, so no area assembler (libosmium's included) can close them. They are rebuilt here from what the
file does hold:

1. the member ways of every relation of one ``admin_level`` plus the extract's outline are noded and
   polygonised into faces (every face lies wholly inside or wholly outside each relation);
2. each face starts with every relation of the level (and "none") as candidates; a boundary piece
   owned by relations {A, B} says its two sides are A and B, a piece owned by A alone says A and
   "outside the level"; a face holding a relation's ``label``/``admin_centre`` node or a ``place`` node of
   the same name is that relation; these constraints are propagated until nothing changes;
3. a relation's unit is the union of its faces; faces left ambiguous are reported, never guessed.

Land is the extract's outline minus the sea (``natural=coastline`` ways, land on their left) and inland
water (``natural=water``, ``waterway=riverbank`` ...). Units are clipped to land.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from .osm_pbf import AdminRelation

__all__ = ["AdminLevel", "admin_levels", "land_polygon"]

logger = logging.getLogger(__name__)

_TOL_M = 0.5  # a boundary piece belongs to a relation whose member lines lie within this distance
_NONE = -1


@dataclass(frozen=True)
class AdminLevel:
    """The units of one ``admin_level`` rebuilt inside the extract.

    Attributes
    ----------
    level
        The ``admin_level`` value.
    units
        GeoDataFrame (the working CRS) with ``osm_id``, ``name``, the relation's tags
        ``population``/``population_date``/``population_source``, and the geometry (not yet clipped to land).
    share_of_extract
        Share of the extract's area the units cover (0..1).
    unresolved_m2
        Area of faces whose relation could not be decided.
    """

    level: str
    units: gpd.GeoDataFrame
    share_of_extract: float
    unresolved_m2: float


def _reach_edge(lines: list[shapely.Geometry], outline_m: shapely.Geometry) -> list[shapely.Geometry]:
    """Lines whose loose ends (cut where the extract dropped the next node) are extended to the outline.

    A loose end is continued along its last segment to the outline (the next node lay beyond it), or
    joined straight to the nearest point of the outline when that ray misses.
    """
    edge = shapely.boundary(outline_m)
    merged = shapely.line_merge(shapely.union_all([g for g in lines if g is not None]))
    reach = 4.0 * max(outline_m.bounds[2] - outline_m.bounds[0], outline_m.bounds[3] - outline_m.bounds[1])
    ends: defaultdict[tuple[float, ...], int] = defaultdict(int)
    parts = [p for p in shapely.get_parts(merged) if shapely.get_type_id(p) == 1]
    for p in parts:
        c = shapely.get_coordinates(p)
        if not np.allclose(c[0], c[-1]):
            ends[tuple(np.round(c[0], 6))] += 1
            ends[tuple(np.round(c[-1], 6))] += 1
    extra = []
    for p in parts:
        c = shapely.get_coordinates(p)
        if np.allclose(c[0], c[-1]) or len(c) < 2:
            continue
        for end, prev in ((c[-1], c[-2]), (c[0], c[1])):
            if ends[tuple(np.round(end, 6))] > 1 or shapely.distance(edge, shapely.Point(end)) < 0.01:
                continue
            d = end - prev
            norm = float(np.hypot(*d))
            hit = None
            if norm > 0:
                ray = shapely.LineString([end, end + d / norm * reach])
                x = shapely.intersection(ray, edge)
                if not x.is_empty:
                    pts = shapely.get_coordinates(x)
                    hit = pts[np.argmin(np.hypot(*(pts - end).T))]
            if hit is None:
                hit = shapely.get_coordinates(shapely.shortest_line(shapely.Point(end), edge))[-1]
            step = hit - end
            over = step / max(float(np.hypot(*step)), 1e-9)  # cross the outline by 1 m so the two are noded
            extra.append(shapely.LineString([end, hit + over]))
    return [*lines, *extra]


def _face_owners(pieces: np.ndarray, faces: np.ndarray) -> list[list[int]]:
    """For each piece, the faces it bounds (1 or 2)."""
    mids = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
    tree = shapely.STRtree(shapely.boundary(faces))
    pi, fi = tree.query(mids, predicate="dwithin", distance=1e-6)
    out: list[list[int]] = [[] for _ in range(len(pieces))]
    for p, f in zip(pi.tolist(), fi.tolist(), strict=True):
        out[p].append(f)
    return out


def _solve(n_faces: int, n_rel: int, piece_owner: list[frozenset[int]], piece_faces: list[list[int]],
           fixed: dict[int, int]) -> list[set[int]]:
    """Candidate relations per face after propagating the boundary constraints (see the module docstring)."""
    everything = set(range(n_rel)) | {_NONE}
    cand = [set(everything) for _ in range(n_faces)]
    for f, r in fixed.items():
        cand[f] = {r}
    sides: list[tuple[int, int, set[int]]] = []  # (face, other face or -1, the set both sides come from)
    for owners, fs in zip(piece_owner, piece_faces, strict=True):
        if not owners or len(owners) > 2:  # the extract's edge, or overlapping data: no constraint
            continue
        allowed = set(owners) | ({_NONE} if len(owners) == 1 else set())
        for f in fs:
            cand[f] &= allowed
        if len(fs) == 2:
            sides.append((fs[0], fs[1], allowed))
    changed = True
    while changed:
        changed = False
        for a, b, allowed in sides:
            for x, y in ((a, b), (b, a)):
                if len(cand[x]) == 1:
                    new = cand[y] & (allowed - cand[x])
                    if new != cand[y] and new:
                        cand[y] = new
                        changed = True
    return cand


def admin_levels(relations: Sequence[AdminRelation], outline_m: shapely.Geometry, crs: object,
                 places: gpd.GeoDataFrame | None = None) -> list[AdminLevel]:
    """Rebuild every ``admin_level`` that divides the extract (at least one boundary line inside it).

    Parameters
    ----------
    relations
        The boundary relations read from the extract.
    outline_m
        The extract's outline in ``crs`` (metres).
    crs
        The working projected CRS.
    places
        ``place=*`` nodes (any CRS) with ``name``: a node inside a face names it when a relation has that name.

    Returns
    -------
    list[AdminLevel]
        Coarse to fine (numeric ``admin_level`` order); levels whose relations have no line in the extract
        are left out.
    """
    by_level: dict[str, list[AdminRelation]] = defaultdict(list)
    for r in relations:
        by_level[r.admin_level].append(r)
    place_pts = places.to_crs(crs) if places is not None and len(places) else None
    out = []
    for level in sorted(by_level, key=lambda s: float(s) if s.replace(".", "", 1).isdigit() else 99.0):
        rels = by_level[level]
        lines = []
        for r in rels:
            geoms = gpd.GeoSeries(r.lines, crs="EPSG:4326").to_crs(crs).values if r.lines else []
            lines.append(shapely.intersection(shapely.union_all(geoms), outline_m) if len(geoms) else None)
        if not any(g is not None and not g.is_empty and g.length > 1.0 for g in lines):
            continue
        al = _rebuild(level, rels, lines, outline_m, place_pts, crs)
        if al is not None:
            out.append(al)
    return out


def _rebuild(level: str, rels: list[AdminRelation], lines: list[shapely.Geometry | None],
             outline_m: shapely.Geometry, place_pts: gpd.GeoDataFrame | None, crs: object) -> AdminLevel | None:
    present = [i for i, g in enumerate(lines) if g is not None and not g.is_empty]
    lines = list(lines)
    extended = _reach_edge([lines[i] for i in present], outline_m)
    for i in present:  # each relation's lines with their own extensions
        own = _reach_edge([lines[i]], outline_m)
        lines[i] = shapely.union_all(own)
    noded = shapely.union_all([*extended, *(lines[i] for i in present), shapely.boundary(outline_m)])
    pieces = np.asarray(shapely.get_parts(noded))
    pieces = pieces[shapely.get_type_id(pieces) == 1]
    faces = np.asarray(shapely.get_parts(shapely.polygonize(pieces)))
    faces = faces[shapely.area(faces) > 1.0]
    if len(faces) == 0:
        return None
    mids = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
    owners: list[set[int]] = [set() for _ in range(len(pieces))]
    mid_tree = shapely.STRtree(mids)
    for i in present:  # one vectorised query per relation
        for k in mid_tree.query(lines[i], predicate="dwithin", distance=_TOL_M).tolist():
            owners[k].add(i)
    piece_owner = [frozenset(o) for o in owners]
    piece_faces = _face_owners(pieces, faces)
    fixed: dict[int, int] = {}
    for i, r in enumerate(rels):
        pts = [shapely.Point(*xy) for xy in gpd.GeoSeries(
            shapely.points(np.asarray(r.label_points)) if r.label_points else [], crs="EPSG:4326").to_crs(crs)]
        if place_pts is not None:
            names = {r.tags.get("name"), r.tags.get("name:zh"), r.name} - {None}
            pts += list(place_pts.geometry[place_pts["name"].isin(names)])
        for p in pts:
            hit = np.flatnonzero(shapely.contains(faces, p))
            if hit.size == 1:
                fixed.setdefault(int(hit[0]), i)
    cand = _solve(len(faces), len(rels), piece_owner, piece_faces, fixed)
    rows = []
    unresolved = 0.0
    owner = np.full(len(faces), _NONE)
    for f, c in enumerate(cand):
        if len(c) == 1:
            owner[f] = next(iter(c))
        else:
            unresolved += float(shapely.area(faces[f]))
    for i, r in enumerate(rels):
        mine = faces[owner == i]
        if len(mine) == 0:
            continue
        rows.append({"osm_id": r.osm_id, "name": r.name, "population": r.tags.get("population", ""),
                     "population_date": r.tags.get("population:date", ""),
                     "population_source": r.tags.get("source:population", r.tags.get("population:source", "")),
                     "geometry": shapely.union_all(mine)})
    if not rows:
        return None
    units = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
    share = float(units.area.sum() / outline_m.area)
    if unresolved:
        logger.info("admin_level %s: %.0f m² of the extract could not be given to a relation", level, unresolved)
    return AdminLevel(level, units, share, unresolved)


def land_polygon(outline_m: shapely.Geometry, coastline_m: np.ndarray, water_m: np.ndarray) -> shapely.Geometry:
    """The extract's land: its outline minus the sea (coastline: land on the left) and inland water.

    Parameters
    ----------
    outline_m
        The extract's outline (metres).
    coastline_m
        ``natural=coastline`` lines (metres), in their drawing direction.
    water_m
        Water polygons (metres).
    """
    land = outline_m
    coast = [p for g in coastline_m if g is not None and not g.is_empty
             for p in shapely.get_parts(shapely.intersection(g, outline_m))
             if shapely.get_type_id(p) == 1]  # drawn direction kept: land on the left
    if coast:
        noded = shapely.union_all([*_reach_edge(coast, outline_m), shapely.boundary(outline_m)])
        faces = np.asarray(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))))
        votes = np.zeros(len(faces))
        face_tree = shapely.STRtree(faces)
        for line in coast:
            c = np.asarray(shapely.get_coordinates(line))
            if len(c) < 2:
                continue
            a, b = c[:-1], c[1:]
            d = b - a
            n = np.hypot(d[:, 0], d[:, 1])
            ok = n > 0.5
            mid = (a[ok] + b[ok]) / 2
            left = np.column_stack([-d[ok, 1], d[ok, 0]]) / n[ok, None] * 0.25
            for sign in (1.0, -1.0):  # a point just left of the line is land, just right is sea
                pts = shapely.points(mid + sign * left)
                pi, fi = face_tree.query(pts, predicate="within")
                np.add.at(votes, fi, sign * n[ok][pi])
        sea = faces[votes < 0]
        if len(sea):
            land = shapely.difference(land, shapely.union_all(sea))
    wat = [g for g in water_m if g is not None and not g.is_empty]
    if wat:
        land = shapely.difference(land, shapely.union_all(wat))
    return land
