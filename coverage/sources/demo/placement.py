"""Placing facilities in the demo city: sampling by population, locating in units, years, names.

Facility positions are drawn from population cells (a weight grid), jittered inside the cell and
located in the community/street/district polygons they fall in; every presence rule is then
checked against those real memberships, not against the raster.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import NDArray

from .geography import WORK_CRS, Geography
from .names import ordinal_zh
from .population_grid import CELL_SIZE_M, DemoPopulation
from .units import DemoUnits

__all__ = ["CLOSED", "EXISTING", "PLANNED", "UNDER_CONSTRUCTION", "Placer", "Points", "assign_years", "counted",
           "facility_frame", "unique_names"]

JITTER_M = 35.0
LEVELS = ("district", "street", "community")
#: Status values of the standard facility columns.
EXISTING, UNDER_CONSTRUCTION, PLANNED, CLOSED = "existing", "under_construction", "planned", "closed"
#: The last year the scenarios look at; later facilities are plans.
HORIZON_YEAR = 2025


@dataclass(frozen=True, eq=False)
class Points:
    """Facility positions (metres) with the community, street and district index of each."""

    x: NDArray[np.float64]
    y: NDArray[np.float64]
    community: NDArray[np.int64]
    street: NDArray[np.int64]
    district: NDArray[np.int64]

    def __len__(self) -> int:
        return int(self.x.size)

    def concat(self, other: Points) -> Points:
        """Both point sets, this one first."""
        return Points(*(np.concatenate([getattr(self, f), getattr(other, f)])
                        for f in ("x", "y", "community", "street", "district")))

    def take(self, idx: NDArray[np.int64]) -> Points:
        """A subset (by index)."""
        return Points(self.x[idx], self.y[idx], self.community[idx], self.street[idx], self.district[idx])


class Placer:
    """Sample facility positions from population cells and locate them in units.

    Parameters
    ----------
    geo, pop, units
        Layout, population grid and units of the demo city.
    rng
        Random generator used for all draws.
    """

    def __init__(self, geo: Geography, pop: DemoPopulation, units: DemoUnits, rng: np.random.Generator) -> None:
        self.geo, self.pop, self.units, self.rng = geo, pop, units, rng
        cx, cy = pop.centres()
        self.cx, self.cy = cx.ravel(), cy.ravel()
        self.people = pop.total.ravel().astype(np.float64)
        self.density = pop.density_per_km2.ravel()
        self.cell_unit = {"district": units.district_cell.ravel(), "street": units.street_cell.ravel(),
                          "community": units.community_cell.ravel()}
        s_index = {c: i for i, c in enumerate(units.street["code"])}
        d_index = {c: i for i, c in enumerate(units.district["code"])}
        self.comm_street = np.array([s_index[c] for c in units.community["street_code"]], dtype=np.int64)
        self.street_district = np.array([d_index[c] for c in units.street["district_code"]], dtype=np.int64)
        self._tree = shapely.STRtree(units.community.geometry.values)
        # cells of each unit, most populated first
        self._cells: dict[str, list[NDArray[np.int64]]] = {}
        order = np.argsort(-self.people, kind="stable")
        for level in LEVELS:
            lab = self.cell_unit[level][order]
            ok = lab >= 0
            idx, lab = order[ok], lab[ok]
            srt = np.argsort(lab, kind="stable")
            n = len(getattr(units, level))
            bounds = np.searchsorted(lab[srt], np.arange(n + 1))
            self._cells[level] = [idx[srt[bounds[i]:bounds[i + 1]]] for i in range(n)]

    # ----------------------------------------------------------------------------------------------
    def locate(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> Points:
        """Points with the units they fall in (nearest community for points on no community)."""
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        comm = np.full(x.size, -1, dtype=np.int64)
        if x.size:
            pts = shapely.points(x, y)
            pi, ci = self._tree.query(pts, predicate="intersects")
            comm[pi[::-1]] = ci[::-1]
            miss = np.flatnonzero(comm < 0)
            if miss.size:
                comm[miss] = self._tree.query_nearest(pts[miss], return_distance=False, all_matches=False)[1]
        street = self.comm_street[comm]
        return Points(x, y, comm, street, self.street_district[street])

    def _from_cells(self, cells: NDArray[np.int64], jitter_m: float) -> Points:
        x = self.cx[cells] + self.rng.uniform(-jitter_m, jitter_m, cells.size)
        y = self.cy[cells] + self.rng.uniform(-jitter_m, jitter_m, cells.size)
        pts = self.locate(x, y)
        # a jittered point that left the territory goes back to its cell centre
        out = ~shapely.contains_xy(self.geo.territory, x, y)
        if out.any():
            x[out], y[out] = self.cx[cells[out]], self.cy[cells[out]]
            pts = self.locate(x, y)
        return pts

    def sample(self, n: int, weight: NDArray[np.floating[Any] | np.bool_], *, jitter_m: float = JITTER_M) -> Points:
        """``n`` points in cells drawn with probability proportional to ``weight`` (flat or grid)."""
        w = np.asarray(weight, dtype=np.float64).ravel()
        if n <= 0 or w.sum() <= 0:
            return self.locate(np.zeros(0), np.zeros(0))
        cells = self.rng.choice(w.size, size=n, p=w / w.sum())
        return self._from_cells(cells, jitter_m)

    def sample_in(self, level: str, unit: int, n: int = 1, *, power: float = 1.0,
                  mask: NDArray[np.bool_] | None = None, jitter_m: float = JITTER_M) -> Points:
        """``n`` points in cells of one unit, weighted by ``people ** power`` (``mask``: allowed cells)."""
        cells = self._cells[level][unit]
        if mask is not None and mask[cells].any():
            cells = cells[mask[cells]]
        if cells.size == 0:
            geom = getattr(self.units, level).geometry.iloc[unit]
            p = shapely.point_on_surface(geom)
            return self.locate(np.full(n, p.x), np.full(n, p.y))
        w = (self.people[cells] + 0.05) ** power
        pick = cells[self.rng.choice(cells.size, size=n, p=w / w.sum())]
        pts = self._from_cells(pick, min(jitter_m, CELL_SIZE_M / 2 - 5))
        bad = pts.community < 0
        if level == "community":
            bad |= pts.community != unit
        elif level == "street":
            bad |= pts.street != unit
        else:
            bad |= pts.district != unit
        if bad.any():  # a jitter crossed a boundary: use the cell centre itself
            x, y = pts.x.copy(), pts.y.copy()
            x[bad], y[bad] = self.cx[pick[bad]], self.cy[pick[bad]]
            pts = self.locate(x, y)
        return pts

    def best(self, level: str, unit: int) -> Points:
        """The centre of the unit's most populated cell (a point surely inside the unit)."""
        cells = self._cells[level][unit]
        if cells.size == 0:
            p = shapely.point_on_surface(getattr(self.units, level).geometry.iloc[unit])
            return self.locate(np.array([p.x]), np.array([p.y]))
        return self.locate(self.cx[cells[:1]], self.cy[cells[:1]])

    def unit_names(self, level: str) -> NDArray[np.object_]:
        """Names of the units of a level."""
        return getattr(self.units, level)["name"].to_numpy(dtype=object)

    def community_stems(self) -> NDArray[np.object_]:
        """Community names without 社区 / 村 (for facility names)."""
        names = self.unit_names("community")
        return np.array([n[:-2] if n.endswith("社区") else n[:-1] for n in names], dtype=object)


def assign_years(n: int, rng: np.random.Generator, *, recent: float = 0.25, since: int = 2016,
                 building: float = 0.03, planned: float = 0.03, closed: float = 0.02
                 ) -> tuple[NDArray[np.int64], NDArray[np.object_]]:
    """Opening years and status: mostly long-standing (year 0), some recent, a few in the pipeline.

    Parameters
    ----------
    n
        Number of facilities.
    rng
        Random generator.
    recent
        Share opened in ``since`` .. 2023 (existing).
    since
        First year of the recent openings.
    building
        Share under construction, opening 2024-2025.
    planned
        Share planned, opening 2026 (a few 2025).
    closed
        Share closed (long-standing, status ``closed``).

    Returns
    -------
    (open_year, status)
    """
    u = rng.random(n)
    year = np.zeros(n, dtype=np.int64)
    status = np.full(n, EXISTING, dtype=object)
    c1, c2, c3 = closed, closed + planned, closed + planned + building
    is_closed = u < c1
    is_planned = (u >= c1) & (u < c2)
    is_building = (u >= c2) & (u < c3)
    is_recent = (u >= c3) & (u < c3 + recent)
    status[is_closed] = CLOSED
    status[is_planned] = PLANNED
    year[is_planned] = rng.choice([2025, 2026, 2026, 2026], size=int(is_planned.sum()))
    status[is_building] = UNDER_CONSTRUCTION
    year[is_building] = rng.choice([2024, 2025], size=int(is_building.sum()))
    year[is_recent] = rng.integers(since, HORIZON_YEAR - 1, size=int(is_recent.sum()))
    return year, status


def counted(open_year: NDArray[np.int64], status: NDArray[np.object_], year: int = HORIZON_YEAR) -> NDArray[np.bool_]:
    """Facilities a scenario for ``year`` sees: opened by then and not closed."""
    return (np.asarray(open_year) <= year) & (np.asarray(status) != CLOSED)


def unique_names(names: list[str] | NDArray[np.object_]) -> list[str]:
    """Make names unique by numbering repeats: ``柳园托育园``, ``柳园第二托育园`` ... (suffix before the kind)."""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        k = seen.get(name, 0) + 1
        seen[name] = k
        out.append(name if k == 1 else f"{name}（{ordinal_zh(k)}）")
    return out


def facility_frame(role: str, pts: Points, names: list[str] | NDArray[np.object_], open_year: NDArray[np.int64],
                   status: NDArray[np.object_], **attrs: NDArray[np.generic] | list[object]) -> gpd.GeoDataFrame:
    """A facility layer with the standard columns (``facility_id``, ``name``, ``status``, ``open_year``).

    Parameters
    ----------
    role
        Layer role (``childcare`` ...), used in the ids.
    pts
        Positions.
    names
        Facility names (made unique here).
    open_year, status
        Standard year/status columns.
    **attrs
        Role-specific attribute columns.
    """
    n = len(pts)
    data: dict[str, object] = {
        "facility_id": [f"{role}-{i + 1:05d}" for i in range(n)],
        "name": unique_names(list(names)),
        "status": np.asarray(status, dtype=object),
        "open_year": np.asarray(open_year, dtype=np.int64),
    }
    data.update({k: np.asarray(v) for k, v in attrs.items()})
    return gpd.GeoDataFrame(data, geometry=shapely.points(pts.x, pts.y), crs=WORK_CRS)
