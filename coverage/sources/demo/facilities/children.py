"""Childcare (托育), kindergartens, schools and high schools of the demo city.

Childcare is planned district by district from a slots-per-1000 rate (some districts above the
2025 target of 6, others below), then patched so that the presence rules hold where the design
wants them to and fail in a few chosen streets and one district.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
from numpy.typing import NDArray

from ..placement import EXISTING, PLANNED, UNDER_CONSTRUCTION, Points, assign_years, counted, facility_frame
from .recipe_kit import Ctx, pick, round_to, tune_share

__all__ = ["childcare", "high_school", "kindergarten", "school"]

#: Slots per 1000 residents by 2025, per district in class order (cycled when there are more).
CHILDCARE_RATE_2025 = {"urban_district": (7.1, 6.4, 5.0, 6.8, 4.6, 6.2), "development_zone": (5.6, 6.6, 3.9, 4.8),
                       "county": (3.5, 4.3, 3.6, 5.3, 4.4, 3.7)}
#: Every district stays above the 2022 target (2 per 1000) with this margin.
CHILDCARE_MIN_RATE_2022 = 2.35
CHILDCARE_PUHUI_SLOT_SHARE = 0.885
CHILDCARE_STREET_GAP_SHARE = 0.07
CHILDCARE_PIPELINE_SHARE = 0.05
CHILDCARE_CLOSED_SHARE = 0.03
STREET_MIN_SLOTS = {"street": 50, "township": 30}
DISTRICT_MIN_INSTITUTIONS = {"urban_district": 2, "development_zone": 2, "county": 1}
CHILDCARE_KINDS = ("托育园", "托育中心", "婴幼儿照护中心", "宝贝托育园", "启蒙托育园")

KINDERGARTEN_PEOPLE_PER = 5_500.0
KINDERGARTEN_PUHUI_PUPIL_SHARE = 0.87
KINDERGARTEN_PUBLIC_PUPIL_SHARE = 0.47
KINDERGARTEN_TOWNSHIP_GAP_SHARE = 0.10
SCHOOL_PEOPLE_PER = 8_000.0
SCHOOL_SPORTS_OPEN_SHARE = 0.66
SCHOOL_EXTENDED_SHARE = 0.08
HIGH_SCHOOL_VOCATIONAL_SHARE = 0.2
HIGH_SCHOOL_PEOPLE_PER = 60_000.0
HIGH_SCHOOLS_NEW_FULL_SCALE = 17
HIGH_SCHOOLS_PLANNED_FULL_SCALE = 2


def _childcare_sizes(n: int, rng: np.random.Generator) -> NDArray[np.int64]:
    u = rng.random(n)
    small = rng.integers(10, 20, n)
    mid = np.maximum(20, rng.integers(20, 50, n) // 5 * 5)
    large = np.maximum(50, rng.integers(50, 151, n) // 5 * 5)
    return np.where(u < 0.15, small, np.where(u < 0.6, mid, large)).astype(np.int64)


def _childcare_years(n: int, rng: np.random.Generator) -> tuple[NDArray[np.int64], NDArray[np.object_]]:
    u = rng.random(n)
    # a childcare boom: about a third of the 2025 slots existed in 2020 (plan baseline 1.46 per 1000)
    year = np.select([u < 0.20, u < 0.32, u < 0.65, u < 0.78, u < 0.89],
                     [0, rng.integers(2018, 2021, n), rng.integers(2021, 2023, n), 2023, 2024], 2025)
    status = np.where((year == 2025) & (rng.random(n) < 0.5), UNDER_CONSTRUCTION, EXISTING).astype(object)
    return year.astype(np.int64), status


def _district_rate(ctx: Ctx) -> NDArray[np.float64]:
    rank: dict[str, int] = {}
    rates = []
    for cls in ctx.d_class:
        r = rank.get(cls, 0)
        rank[cls] = r + 1
        table = CHILDCARE_RATE_2025[cls]
        rates.append(table[r % len(table)])
    return np.array(rates)


@dataclass(eq=False)
class _Institutions:
    """Childcare institutions while they are being planned (parallel arrays)."""

    pts: Points
    slots: NDArray[np.int64]
    year: NDArray[np.int64]
    status: NDArray[np.object_]
    puhui: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    public: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def append(self, pts: Points, slots: int, year: int, status: str, *, puhui: bool, public: bool) -> None:
        """Add one institution."""
        self.pts = self.pts.concat(pts)
        self.slots = np.append(self.slots, slots)
        self.year = np.append(self.year, year)
        self.status = np.append(self.status, status)
        self.puhui = np.append(self.puhui, puhui)
        self.public = np.append(self.public, public)


def _plan_districts(ctx: Ctx) -> _Institutions:
    """Institutions district by district up to the district's 2025 rate, plus planned and closed ones."""
    rng, pl = ctx.rng, ctx.placer
    d_pop = ctx.units.district["population"].to_numpy(dtype=float)
    rate = _district_rate(ctx)
    parts: list[Points] = []
    slots_l, year_l, status_l = [], [], []
    for d in range(ctx.n("district")):
        target = rate[d] * d_pop[d] / 1000.0
        sizes = _childcare_sizes(int(target / 40) + 20, rng)
        while sizes.sum() < target:
            sizes = np.concatenate([sizes, _childcare_sizes(50, rng)])
        k = int(np.searchsorted(np.cumsum(sizes), target)) + 1
        sizes = sizes[:k]
        year, status = _childcare_years(k, rng)
        short = CHILDCARE_MIN_RATE_2022 * d_pop[d] / 1000.0 - sizes[counted(year, status, 2022)].sum()
        if short > 0:  # keep every district above the 2022 target
            later = rng.permutation(np.flatnonzero(~counted(year, status, 2022)))
            m = min(later.size, int(np.searchsorted(np.cumsum(sizes[later]), short)) + 1)
            year[later[:m]] = rng.integers(2018, 2023, m)
            status[later[:m]] = EXISTING
        parts.append(pl.sample_in("district", d, k))
        slots_l.append(sizes)
        year_l.append(year)
        status_l.append(status)
    pts = parts[0]
    for p in parts[1:]:
        pts = pts.concat(p)
    slots, year, status = np.concatenate(slots_l), np.concatenate(year_l), np.concatenate(status_l)
    # pipeline (planned for 2026) and closed ones, anywhere people live
    n_pipe = max(1, round(CHILDCARE_PIPELINE_SHARE * slots.size))
    n_closed = max(1, round(CHILDCARE_CLOSED_SHARE * slots.size))
    pts = pts.concat(pl.sample(n_pipe + n_closed, pl.people))
    slots = np.concatenate([slots, _childcare_sizes(n_pipe + n_closed, rng)])
    year = np.concatenate([year, np.full(n_pipe, 2026), np.zeros(n_closed, dtype=np.int64)])
    status = np.concatenate([status, np.full(n_pipe, PLANNED, dtype=object), np.full(n_closed, "closed", dtype=object)])
    public = rng.random(slots.size) < np.where(slots >= 50, 0.30, 0.15)
    puhui = public | (rng.random(slots.size) < 0.85)
    return _Institutions(pts, slots, year, status, puhui, public)


def _street_rule(ctx: Ctx, inst: _Institutions, gap: set[int], add: list[tuple[Points, int]]) -> None:
    """2023: a 普惠 institution of >= 50 (street) / >= 30 (township) slots everywhere but in ``gap``."""
    s_min = np.array([STREET_MIN_SLOTS[c] for c in ctx.s_class])
    by23 = counted(inst.year, inst.status, 2023)
    for s in range(ctx.n("street")):
        mine = np.flatnonzero(inst.pts.street == s)
        qual = mine[inst.puhui[mine] & (inst.slots[mine] >= s_min[s]) & by23[mine]]
        if s in gap:
            inst.slots[qual] = np.minimum(inst.slots[qual], s_min[s] - 5)
        elif qual.size == 0:
            cand = mine[by23[mine]]
            if cand.size:
                i = cand[np.argmax(inst.slots[cand])]
                inst.puhui[i] = True
                inst.slots[i] = max(int(inst.slots[i]), int(s_min[s]) + 10)
            else:
                add.append((ctx.placer.best("street", s), int(s_min[s]) + 20))


def _district_rule(ctx: Ctx, inst: _Institutions, gap: set[int], add: list[tuple[Points, int]]) -> None:
    """2022: urban districts and development zones >= 2, counties >= 1 普惠 institutions of >= 50 slots."""
    in_gap = np.isin(inst.pts.street, list(gap))
    by22 = counted(inst.year, inst.status, 2022)
    big = inst.puhui & (inst.slots >= 50)
    ok_streets = ~np.isin(np.arange(ctx.n("street")), list(gap))
    for d in range(ctx.n("district")):
        need = DISTRICT_MIN_INSTITUTIONS[ctx.d_class[d]]
        mine = np.flatnonzero((inst.pts.district == d) & ~in_gap & by22)
        have = int(big[mine].sum())
        cand = mine[~big[mine]]
        cand = cand[np.argsort(-inst.slots[cand], kind="stable")][: max(need - have, 0)]
        inst.puhui[cand] = True
        inst.slots[cand] = np.maximum(inst.slots[cand], 60)
        streets = np.flatnonzero((ctx.placer.street_district == d) & ok_streets)
        for _ in range(max(need - have - cand.size, 0)):
            add.append((ctx.placer.best("street", int(streets[0]) if streets.size else 0), 60))


def _public_rule(ctx: Ctx, inst: _Institutions, gap: set[int]) -> None:
    """2025: a public institution in every district but one development zone (its one opens in 2026)."""
    in_gap = np.isin(inst.pts.street, list(gap))
    cnt = counted(inst.year, inst.status)
    dev = np.flatnonzero(ctx.d_class == "development_zone")
    fail = int(dev[-1]) if dev.size else ctx.n("district") - 1
    for d in range(ctx.n("district")):
        mine = np.flatnonzero(inst.pts.district == d)
        if d == fail:
            inst.public[mine] = False
            continue
        if not (inst.public[mine] & cnt[mine]).any():
            cand = mine[cnt[mine] & ~in_gap[mine]]
            if cand.size:
                i = cand[np.argmax(inst.slots[cand])]
                inst.public[i] = inst.puhui[i] = True
    inst.append(ctx.placer.best("district", fail), 80, 2026, PLANNED, puhui=True, public=True)


def childcare(ctx: Ctx) -> gpd.GeoDataFrame:
    """Childcare institutions with ``slots``, ``puhui`` and ``public``.

    Designed outcomes: every district >= 2.35 slots per 1000 by 2022 (~1.7 city-wide in 2020); 2025 rates from
    ``CHILDCARE_RATE_2025`` (city ~5); ~7 % of streets/townships without a 普惠 institution of
    the required size by 2023; 普惠 share of slots ~88.5 %; one development zone whose only public
    institution opens in 2026.
    """
    rng, pl = ctx.rng, ctx.placer
    inst = _plan_districts(ctx)
    n_streets = ctx.n("street")
    gap = pick(rng, np.arange(n_streets), max(1, round(CHILDCARE_STREET_GAP_SHARE * n_streets)))
    add: list[tuple[Points, int]] = []
    _street_rule(ctx, inst, gap, add)
    _district_rule(ctx, inst, gap, add)
    for p, size in add:
        inst.append(p, size, 0, EXISTING, puhui=True, public=bool(rng.random() < 0.3))
    _public_rule(ctx, inst, gap)
    # 普惠 share of slots in 2025, without touching the institutions the presence rules rest on
    in_gap = np.isin(inst.pts.street, list(gap))
    in_gap[-1] = False  # the late public institution
    cnt = counted(inst.year, inst.status)
    frozen = inst.public | in_gap | (inst.puhui & (inst.slots >= 30) & counted(inst.year, inst.status, 2023))
    puhui = tune_share(inst.puhui, inst.slots.astype(float), CHILDCARE_PUHUI_SLOT_SHARE, rng, among=cnt,
                       frozen=frozen) | inst.public
    stems = pl.community_stems()[inst.pts.community]
    kinds = np.array(CHILDCARE_KINDS, dtype=object)[rng.integers(len(CHILDCARE_KINDS), size=inst.slots.size)]
    names = [f"{s}公办托育中心" if pb else f"{s}{k}" for s, k, pb in zip(stems, kinds, inst.public, strict=True)]
    return facility_frame("childcare", inst.pts, names, inst.year, inst.status, slots=inst.slots.astype(np.int64),
                          puhui=puhui, public=inst.public)


def kindergarten(ctx: Ctx) -> gpd.GeoDataFrame:
    """Kindergartens with ``pupils``, ``puhui``, ``public`` and ``central`` (乡镇中心园).

    Designed outcomes: 普惠 share of pupils ~87 % (passes > 85 %), public share of pupils ~47 %
    (fails > 50 %), ~10 % of townships without a public central kindergarten.
    """
    rng, pl = ctx.rng, ctx.placer
    n = ctx.per_people(KINDERGARTEN_PEOPLE_PER, 3)
    pts = pl.sample(n, pl.people)
    pupils = np.clip(round_to(rng.lognormal(np.log(200), 0.45, n), 5), 60, 600)
    year, status = assign_years(n, rng, recent=0.2)
    public = rng.random(n) < 0.42
    puhui = public | (rng.random(n) < 0.75)
    central = np.zeros(n, dtype=bool)
    townships = np.flatnonzero(ctx.s_class == "township")
    gaps = pick(rng, townships, max(1, round(KINDERGARTEN_TOWNSHIP_GAP_SHARE * townships.size))
                if townships.size >= 3 else 0)
    cnt = counted(year, status)
    for s in townships:
        mine = np.flatnonzero((pts.street == s) & cnt)
        if s in gaps:
            continue
        if mine.size:
            i = mine[np.argmax(pupils[mine])]
            central[i] = public[i] = puhui[i] = True
        else:
            pts = pts.concat(pl.best("street", int(s)))
            pupils = np.append(pupils, 180)
            year, status = np.append(year, 0), np.append(status, EXISTING)
            public, puhui, central = np.append(public, True), np.append(puhui, True), np.append(central, True)
            cnt = np.append(cnt, True)
    public = tune_share(public, pupils.astype(float), KINDERGARTEN_PUBLIC_PUPIL_SHARE, rng, among=cnt, frozen=central)
    puhui |= public
    puhui = tune_share(puhui, pupils.astype(float), KINDERGARTEN_PUHUI_PUPIL_SHARE, rng, among=cnt,
                       frozen=central | public)
    stems = pl.community_stems()[pts.community]
    t_names = pl.unit_names("street")[pts.street]
    private = np.array(["幼儿园", "双语幼儿园", "艺术幼儿园", "蒙特梭利幼儿园"], dtype=object)
    kinds = private[rng.integers(private.size, size=pupils.size)]
    names = [f"{t}中心幼儿园" if c else (f"{s}幼儿园" if pb else f"{s}{k}")
             for s, t, k, pb, c in zip(stems, t_names, kinds, public, central, strict=True)]
    return facility_frame("kindergarten", pts, names, year, status, pupils=pupils.astype(np.int64), puhui=puhui,
                          public=public, central=central)


def school(ctx: Ctx) -> gpd.GeoDataFrame:
    """Primary and middle schools with ``sports_open`` (grounds open to the public): ~66 % open, and
    ``extended_year`` (0 = never) for the ~8 % extended 2021-2025."""
    rng, pl = ctx.rng, ctx.placer
    n = ctx.per_people(SCHOOL_PEOPLE_PER, 4)
    pts = pl.sample(n, pl.people)
    year, status = assign_years(n, rng, recent=0.15, closed=0.01)
    open_ = tune_share(rng.random(n) < 0.6, np.ones(n), SCHOOL_SPORTS_OPEN_SHARE, rng, among=counted(year, status))
    stems = pl.community_stems()[pts.community]
    kinds = np.array(["小学", "中学", "实验小学", "初级中学", "九年制学校"], dtype=object)[rng.integers(5, size=n)]
    extended = np.where(rng.random(n) < SCHOOL_EXTENDED_SHARE, rng.integers(2021, 2026, n), 0).astype(np.int64)
    return facility_frame("school", pts, [f"{s}{k}" for s, k in zip(stems, kinds, strict=True)], year, status,
                          sports_open=open_, extended_year=extended)


def high_school(ctx: Ctx) -> gpd.GeoDataFrame:
    """High schools: long-standing ones, ~17 opened 2021-2025 (the plan wants 20) and a few planned;
    ``kind`` general (普通高中) or vocational (中等职业学校, about one in five)."""
    pl = ctx.placer
    n_old = ctx.per_people(HIGH_SCHOOL_PEOPLE_PER, 3)
    n_new = ctx.scaled(HIGH_SCHOOLS_NEW_FULL_SCALE, 2)
    n_plan = ctx.scaled(HIGH_SCHOOLS_PLANNED_FULL_SCALE, 1)
    n = n_old + n_new + n_plan
    pts = pl.sample(n, pl.people**1.2)
    year = np.concatenate([np.zeros(n_old, dtype=np.int64), 2021 + np.arange(n_new) * 5 // n_new,
                           np.full(n_plan, 2026)])
    status = np.full(n, EXISTING, dtype=object)
    status[n_old:n_old + n_new][year[n_old:n_old + n_new] == 2025] = UNDER_CONSTRUCTION
    status[n_old + n_new:] = PLANNED
    status[: max(1, n_old // 40)] = "closed"  # merged schools
    d_names = pl.unit_names("district")[pts.district]
    seq: dict[str, int] = {}
    names = []
    for dn in d_names:
        seq[dn] = seq.get(dn, 0) + 1
        names.append(f"{dn}第{seq[dn]}高级中学")
    kind = np.where(ctx.rng.random(n) < HIGH_SCHOOL_VOCATIONAL_SHARE, "vocational", "general").astype(object)
    names = [f"{nm[:-4]}中等职业学校" if k == "vocational" else nm for nm, k in zip(names, kind, strict=True)]
    return facility_frame("high_school", pts, names, year, status, kind=kind)
