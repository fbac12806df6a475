"""Administrative units of the demo city: districts > streets/townships > communities/villages.

Each level partitions its parent exactly: Voronoi cells of seed points (``shapely.voronoi_polygons``)
clipped to the parent, with stray fragments merged into the neighbour they share most boundary
with. Seeds come from a weighted k-means over the parent's population cells, so units are smaller
where people live densely (urban streets) and larger across the fields (townships). Codes follow
the Chinese pattern (6-digit district, 9-digit street, 12-digit community) under the fictitious
city code 9901.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray
from rasterio import features
from scipy.spatial import cKDTree

from .geography import URBAN_RING_RADIUS_KM, WORK_CRS, Geography, district_counts
from .names import NamePool
from .population_grid import DemoPopulation

__all__ = ["CITY_CODE", "DemoUnits", "build_units", "partition"]

logger = logging.getLogger(__name__)

CITY_CODE = "990100"
STREETS_FULL_SCALE = 172
COMMUNITIES_FULL_SCALE = 1150
MIN_STREETS = 12
MIN_COMMUNITIES = 48
MIN_CHILDREN_PER_UNIT = 2
KMEANS_ITERATIONS = 10
KMEANS_MAX_POINTS = 6_000
#: k-means weight of people (vs. land) when seeding streets and communities.
STREET_POP_WEIGHT = 0.65
COMMUNITY_POP_WEIGHT = 0.85
#: Density (people/km²) above which a county unit is a street (county seat) rather than a township.
COUNTY_STREET_MIN_DENSITY_KM2 = 2_000.0
DEV_ZONE_STREET_MIN_DENSITY_KM2 = 600.0
#: Communities below this density inside a street are villages (城中村 / fringe villages) ...
STREET_VILLAGE_MAX_DENSITY_KM2 = 400.0
#: ... and units above this density inside a township are communities (the township seat).
TOWNSHIP_COMMUNITY_MIN_DENSITY_KM2 = 3_000.0
DEV_ZONE_SUFFIXES = ("新区", "高新技术产业开发区", "经济技术开发区", "航空港区")
#: The plan's 16 unit roles (coverage_planner.targets.roles), handed out in seed order: at full scale the
#: 6 urban districts, 4 development zones and 6 counties carry the 16 roles one to one; smaller cities
#: take the first ones (an inner district and 上街区's role, 郑东新区's, two county-level cities).
URBAN_ROLES = ("jinshui", "shangjie", "zhongyuan", "erqi", "guancheng", "huiji")
DEV_ZONE_ROLES = ("zhengdong", "gaoxin", "jingkai", "airport")
COUNTY_ROLES = ("xinzheng", "xingyang", "gongyi", "zhongmou", "xinmi", "dengfeng")
#: Share of the 2025 population that is aged 0-6 and due for the immunisation programme, and the
#: vaccination rate range per street/township (the plan wants >= 90 % in every one).
VACCINATION_DUE_SHARE = 0.07
VACCINATION_RATE_RANGE = (0.86, 0.995)


@dataclass(frozen=True, eq=False)
class DemoUnits:
    """The three unit levels (EPSG:32649) and, per population cell, the index of its unit (-1 outside)."""

    district: gpd.GeoDataFrame
    street: gpd.GeoDataFrame
    community: gpd.GeoDataFrame
    district_cell: NDArray[np.int32]
    street_cell: NDArray[np.int32]
    community_cell: NDArray[np.int32]


def partition(region: shapely.Geometry, seeds_xy: NDArray[np.float64]) -> list[shapely.Geometry | None]:
    """Split ``region`` into one piece per seed: Voronoi cells clipped to the region.

    Parameters
    ----------
    region
        Polygon or MultiPolygon to split.
    seeds_xy
        ``(n, 2)`` seed coordinates (distinct).

    Returns
    -------
    list
        One geometry per seed (None for a seed whose cell misses the region). Pieces that
        fall apart from their seed's part are merged into the neighbour sharing most boundary,
        so the pieces tile the region exactly.
    """
    n = len(seeds_xy)
    if n == 1:
        return [region]
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds_xy), extend_to=region,
                                                       ordered=True))
    if len(cells) != n:  # pragma: no cover - only with duplicate seeds
        tree = shapely.STRtree(cells)
        cells = cells[tree.query(shapely.points(seeds_xy), predicate="within")[1]]
    clipped = shapely.intersection(cells, region)
    seeds = shapely.points(seeds_xy)
    main: list[shapely.Geometry | None] = [None] * n
    orphans: list[shapely.Geometry] = []
    for i, g in enumerate(clipped):
        parts = [p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and p.area > 0]
        if not parts:
            continue
        inside = [p for p in parts if p.contains(seeds[i])]
        keep = inside[0] if inside else max(parts, key=lambda p: p.area)
        main[i] = keep
        orphans.extend(p for p in parts if p is not keep)
    extra: dict[int, list[shapely.Geometry]] = {}
    if orphans:
        idx = [i for i, g in enumerate(main) if g is not None]
        tree = shapely.STRtree([main[i] for i in idx])
        for o in orphans:
            cand = tree.query(o, predicate="intersects")
            if cand.size == 0:
                cand = np.array([tree.nearest(o)])
            shared = [shapely.intersection(o.boundary, main[idx[c]].boundary).length for c in cand]
            extra.setdefault(idx[int(cand[int(np.argmax(shared))])], []).append(o)
    return [shapely.union_all([g, *extra[i]]) if g is not None and i in extra else g for i, g in enumerate(main)]


def _weighted_kmeans(xy: NDArray[np.float64], w: NDArray[np.float64], k: int, rng: np.random.Generator
                     ) -> NDArray[np.float64]:
    """``k`` weighted k-means centres of points ``xy`` (Lloyd iterations from a weighted draw)."""
    if len(xy) > KMEANS_MAX_POINTS:  # a weighted sample of the cells is plenty for seeding
        pick = rng.choice(len(xy), size=KMEANS_MAX_POINTS, p=w / w.sum())
        xy, w = xy[pick], np.ones(KMEANS_MAX_POINTS)
    k = min(k, len(xy))
    # weighted draw without replacement (Efraimidis-Spirakis keys), O(n)
    keys = np.log(rng.random(len(xy))) / w
    centres = xy[np.argpartition(-keys, k - 1)[:k]].copy()
    for _ in range(KMEANS_ITERATIONS):
        lab = cKDTree(centres).query(xy)[1]
        sw = np.bincount(lab, weights=w, minlength=k)
        ok = sw > 0
        for d in range(2):
            s = np.bincount(lab, weights=w * xy[:, d], minlength=k)
            centres[ok, d] = s[ok] / sw[ok]
    return np.unique(np.round(centres, 1), axis=0)


def _allocate(total: int, weight: NDArray[np.float64], minimum: int) -> NDArray[np.int64]:
    """Split ``total`` into integers proportional to ``weight``, each at least ``minimum`` (largest remainder)."""
    n = len(weight)
    base = np.full(n, minimum, dtype=np.int64)
    rest = max(total - base.sum(), 0)
    if rest == 0 or weight.sum() <= 0:
        return base
    share = weight / weight.sum() * rest
    out = base + np.floor(share).astype(np.int64)
    left = int(total - out.sum())
    if left > 0:
        out[np.argsort(-(share - np.floor(share)), kind="stable")[:left]] += 1
    return out


def _rasterize(geoms: list[shapely.Geometry], pop: DemoPopulation) -> NDArray[np.int32]:
    return features.rasterize(((g, i) for i, g in enumerate(geoms)), out_shape=pop.shape,
                              transform=pop.transform, fill=-1, dtype="int32")


def _cells_by_unit(labels: NDArray[np.int32], n: int) -> list[NDArray[np.int64]]:
    """Flat indices of the cells of each unit (labels -1 = none)."""
    flat = labels.ravel()
    idx = np.flatnonzero(flat >= 0)
    idx = idx[np.argsort(flat[idx], kind="stable")]
    bounds = np.searchsorted(flat[idx], np.arange(n + 1))
    return [idx[bounds[i]:bounds[i + 1]] for i in range(n)]


def _split(parent: shapely.Geometry, cells: NDArray[np.int64], k: int, pop_weight: float,
           pop: DemoPopulation, rng: np.random.Generator) -> list[shapely.Geometry]:
    """Split a parent unit into about ``k`` children seeded by weighted k-means on its cells."""
    if k <= 1:
        return [parent]
    cx, cy = pop.centres()
    rows, cols = np.divmod(cells, pop.shape[1])
    if rows.size < k:
        x0, y0, x1, y1 = parent.bounds
        pts = shapely.get_coordinates(shapely.points(rng.uniform(x0, x1, 40 * k), rng.uniform(y0, y1, 40 * k)))
        xy = pts[shapely.contains_xy(parent, pts[:, 0], pts[:, 1])]
        w = np.ones(len(xy))
    else:
        xy = np.column_stack([cx[rows, cols], cy[rows, cols]])
        people = pop.total[rows, cols].astype(np.float64)
        w = pop_weight * people / max(people.sum(), 1.0) + (1.0 - pop_weight) / rows.size + 1e-12
    if len(xy) == 0:
        return [parent]
    seeds = _weighted_kmeans(xy, w, k, rng)
    pieces = [g for g in partition(parent, seeds) if g is not None and not g.is_empty]
    # north-west first, as codes are usually handed out
    rep = shapely.get_coordinates(shapely.point_on_surface(pieces))
    order = np.lexsort((rep[:, 0], -np.round(rep[:, 1], -3)))
    return [pieces[i] for i in order]


def _district_seeds(geo: Geography) -> tuple[list[tuple[float, float]], list[str]]:
    n_urban, n_dev, n_county = district_counts(geo.scale)
    seeds: list[tuple[float, float]] = []
    classes: list[str] = []
    ring = n_urban - 1 if n_urban >= 4 else n_urban
    if ring < n_urban:
        seeds.append((geo.centre_x_m, geo.centre_y_m))
    for k in range(ring):
        ang = math.pi / 2 + 2 * math.pi * k / ring + 0.3
        seeds.append(geo.km(URBAN_RING_RADIUS_KM * math.cos(ang), URBAN_RING_RADIUS_KM * math.sin(ang)))
    classes += ["urban_district"] * n_urban
    seeds += [(t.x_m, t.y_m) for t in geo.dev_zones]
    classes += ["development_zone"] * n_dev
    seeds += [(t.x_m, t.y_m) for t in geo.county_seats]
    classes += ["county"] * n_county
    return seeds, classes


def _district_roles(d_class: list[str]) -> list[str]:
    """The plan role of every district, in seed order (see ``URBAN_ROLES``)."""
    pools = {"urban_district": list(URBAN_ROLES), "development_zone": list(DEV_ZONE_ROLES),
             "county": list(COUNTY_ROLES)}
    return [pools[c].pop(0) for c in d_class]


def _district_labels(d_class: list[str], d_role: list[str], names: NamePool) -> tuple[list[str], list[str]]:
    """Codes and names of the districts: 9901xx urban districts, 99017x zones, 99018x cities / 99012x counties.

    The unit with 中牟县's role is a county (县), the other counties county-level cities (市).
    """
    codes, labels = [], []
    n_u = n_d = n_c = 0
    for cls, role in zip(d_class, d_role, strict=True):
        stem = names.one()
        if cls == "urban_district":
            n_u += 1
            codes.append(f"9901{1 + n_u:02d}")
            labels.append(f"{stem}区")
        elif cls == "development_zone":
            codes.append(f"99017{1 + n_d}")
            labels.append(stem + DEV_ZONE_SUFFIXES[DEV_ZONE_ROLES.index(role) % len(DEV_ZONE_SUFFIXES)])
            n_d += 1
        else:
            n_c += 1
            is_county = role == "zhongmou"
            codes.append(f"99012{n_c}" if is_county else f"99018{n_c}")
            labels.append(f"{stem}{'县' if is_county else '市'}")
    return codes, labels


def _stats(geoms: list[shapely.Geometry], pop: DemoPopulation
           ) -> tuple[NDArray[np.int32], NDArray[np.float64], NDArray[np.float64]]:
    """Unit index per cell, people and area (km²) per unit."""
    cell = _rasterize(geoms, pop)
    people = np.bincount(cell[cell >= 0], weights=pop.total[cell >= 0], minlength=len(geoms)).astype(np.float64, copy=False)
    return cell, people, np.array([g.area / 1e6 for g in geoms])


def _street_classes(d_class: list[str], s_dist: NDArray[np.int64], s_density: NDArray[np.float64]
                    ) -> NDArray[np.object_]:
    """Street (街道) or township (乡镇): urban districts have streets, counties mostly townships."""
    s_class = np.full(s_dist.size, "street", dtype=object)
    for di, cls in enumerate(d_class):
        mine = np.flatnonzero(s_dist == di)
        if cls == "development_zone":
            s_class[mine[s_density[mine] < DEV_ZONE_STREET_MIN_DENSITY_KM2]] = "township"
        elif cls == "county":
            s_class[mine[s_density[mine] < COUNTY_STREET_MIN_DENSITY_KM2]] = "township"
            by_density = mine[np.argsort(s_density[mine])]
            s_class[by_density[0]] = "township"
            if len(mine) >= 3:
                s_class[by_density[-1]] = "street"
    return s_class


def _street_labels(s_class: NDArray[np.object_], s_dist: NDArray[np.int64], d_codes: list[str],
                   street_names: NamePool, township_names: NamePool, rng: np.random.Generator
                   ) -> tuple[list[str], list[str]]:
    """Codes (001.. streets, 100.. towns 镇, 200.. townships 乡) and names."""
    codes, labels = [], []
    counters: dict[tuple[int, str], int] = {}
    for i, di in enumerate(s_dist):
        if s_class[i] == "street":
            kind, start = "街道", 1
        else:
            kind, start = ("镇", 100) if rng.random() < 0.75 else ("乡", 200)
        n = counters.get((di, kind), 0)
        counters[(di, kind)] = n + 1
        codes.append(f"{d_codes[di]}{start + n:03d}")
        labels.append((street_names if kind == "街道" else township_names).one() + kind)
    return codes, labels


def _community_labels(c_street: list[int], c_density: NDArray[np.float64], s_class: NDArray[np.object_],
                      s_codes: list[str], rng: np.random.Generator) -> tuple[list[str], list[str], list[str]]:
    """Codes (001.. communities 社区, 200.. villages 村), names and classes."""
    comm_names, vill_names = NamePool(rng), NamePool(rng, style="village")
    codes, labels, classes = [], [], []
    counter: dict[tuple[int, str], int] = {}
    for ci, si in enumerate(c_street):
        limit = STREET_VILLAGE_MAX_DENSITY_KM2 if s_class[si] == "street" else TOWNSHIP_COMMUNITY_MIN_DENSITY_KM2
        village = c_density[ci] < limit
        cls = "village" if village else "community"
        n = counter.get((si, cls), 0)
        counter[(si, cls)] = n + 1
        codes.append(f"{s_codes[si]}{(200 if village else 1) + n:03d}")
        labels.append(vill_names.one() + "村" if village else comm_names.one() + "社区")
        classes.append(cls)
    return codes, labels, classes


def _vaccination(s_pop: NDArray[np.float64], rng: np.random.Generator) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Children due for the immunisation programme and those vaccinated, per street/township (a bureau list)."""
    due = np.maximum(1, np.round(s_pop * VACCINATION_DUE_SHARE)).astype(np.int64)
    rate = rng.uniform(*VACCINATION_RATE_RANGE, due.size)
    return due, np.minimum(due, np.round(due * rate)).astype(np.int64)


def build_units(geo: Geography, pop: DemoPopulation, *, seed: int) -> DemoUnits:
    """Build districts, streets/townships and communities/villages.

    Parameters
    ----------
    geo, pop
        Layout and population grid.
    seed
        Seed of the units' random generator.

    Returns
    -------
    DemoUnits
        Unit layers in EPSG:32649 with ``code``, ``name``, ``class``, parent codes and ``population``.
    """
    rng = np.random.default_rng([seed, 3])
    names = NamePool(rng)
    seeds, d_class = _district_seeds(geo)
    d_geoms = partition(geo.territory, np.asarray(seeds))
    keep = [i for i, g in enumerate(d_geoms) if g is not None]
    d_geoms = [d_geoms[i] for i in keep]
    all_roles = _district_roles(d_class)
    d_role = [all_roles[i] for i in keep]
    d_class = [d_class[i] for i in keep]
    d_codes, d_names = _district_labels(d_class, d_role, names)
    d_cell, d_pop, d_area = _stats(d_geoms, pop)

    # streets and townships: split each district
    n_streets = max(MIN_STREETS, round(STREETS_FULL_SCALE * geo.scale))
    per_district = _allocate(n_streets, np.sqrt(d_pop * d_area), MIN_CHILDREN_PER_UNIT)
    street_names, township_names = NamePool(rng), NamePool(rng)
    d_cells = _cells_by_unit(d_cell, len(d_geoms))
    s_geoms: list[shapely.Geometry] = []
    s_dist_l: list[int] = []
    for di, (dg, k) in enumerate(zip(d_geoms, per_district, strict=True)):
        pieces = _split(dg, d_cells[di], int(k), STREET_POP_WEIGHT, pop, rng)
        s_geoms += pieces
        s_dist_l += [di] * len(pieces)
    s_dist = np.array(s_dist_l, dtype=np.int64)
    s_cell, s_pop, s_area = _stats(s_geoms, pop)
    s_class = _street_classes(d_class, s_dist, s_pop / np.maximum(s_area, 1e-9))
    s_codes, s_names = _street_labels(s_class, s_dist, d_codes, street_names, township_names, rng)

    # communities and villages: split each street
    n_comm = max(MIN_COMMUNITIES, round(COMMUNITIES_FULL_SCALE * geo.scale))
    per_street = _allocate(n_comm, s_pop**0.6 * s_area**0.4, MIN_CHILDREN_PER_UNIT)
    c_geoms: list[shapely.Geometry] = []
    c_street: list[int] = []
    s_cells = _cells_by_unit(s_cell, len(s_geoms))
    for si, (sg, k) in enumerate(zip(s_geoms, per_street, strict=True)):
        pieces = _split(sg, s_cells[si], int(k), COMMUNITY_POP_WEIGHT, pop, rng)
        c_geoms += pieces
        c_street += [si] * len(pieces)
    c_cell, c_pop, c_area = _stats(c_geoms, pop)
    c_codes, c_names, c_class = _community_labels(c_street, c_pop / np.maximum(c_area, 1e-9), s_class, s_codes, rng)

    district = gpd.GeoDataFrame({"code": d_codes, "name": d_names, "class": d_class, "role": d_role,
                                 "population": d_pop.astype(np.int64)}, geometry=d_geoms, crs=WORK_CRS)
    due, vaccinated = _vaccination(s_pop, np.random.default_rng([seed, 3, 1]))
    street = gpd.GeoDataFrame({"code": s_codes, "name": s_names, "class": list(s_class),
                               "district_code": [d_codes[d] for d in s_dist],
                               "children_due": due, "children_vaccinated": vaccinated,
                               "population": s_pop.astype(np.int64)}, geometry=s_geoms, crs=WORK_CRS)
    community = gpd.GeoDataFrame({"code": c_codes, "name": c_names, "class": c_class,
                                  "street_code": [s_codes[s] for s in c_street],
                                  "district_code": [d_codes[s_dist[s]] for s in c_street],
                                  "population": c_pop.astype(np.int64)}, geometry=c_geoms, crs=WORK_CRS)
    logger.info("demo units: %d districts, %d streets/townships, %d communities/villages (%.0f km² per community)",
                len(district), len(street), len(community), c_area.mean())
    return DemoUnits(district=district, street=street, community=community,
                     district_cell=d_cell, street_cell=s_cell, community_cell=c_cell)
