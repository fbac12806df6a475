"""Local search for maximal covering: random kicks with swaps, and districts of the solution re-solved exactly.

Best-improvement swaps (:func:`~coverage_planner.siting.greedy.improve_by_swaps`) stop at a solution no single
swap improves. Two searches go further, both around one chosen site picked at random and the chosen sites
within two overlap steps of it (sites sharing demand with sites sharing demand with it):

- :func:`improve_by_kicks` moves a few of those sites to random candidates nearby and redoes the swaps (an
  iterated local search); a round costs milliseconds.
- :func:`improve_by_districts` releases all of them and lets an exact solver place the same number of sites
  among the released sites and every candidate overlapping them, with the demand already covered by the kept
  sites left out; a district costs up to a second.

Either keeps a new solution only when it covers more people, so the solution only improves. These are primal
heuristics only: they find better solutions and prove nothing about the best possible one. On
``benchmarks/siting.py``'s 20,000 × 2,000 instance at p = 50, within the engine's 10 s budget, the districts
alone lifted the LP-rounding incumbent 2,050,491 to 2,051,047; kicks first, then districts, reach 2,052,558
(load ~1). Kicks alone from greedy for 60 s reached 2,053,268 with two seeds of five (2,052,179 to 2,052,720
with the others); the LP bound, 2,063,753, stays 0.51 % above that.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from . import greedy
from .problem import CoverageProblem

logger = logging.getLogger(__name__)

__all__ = ["SubSolver", "improve_by_districts", "improve_by_kicks"]

SubSolver = Callable[[CoverageProblem, int, np.ndarray, float], np.ndarray]
"""``solve(problem, n_sites, start, deadline)``: up to ``n_sites`` sites of ``problem`` (positions), at least as
good as ``start``; ``deadline`` is a ``time.perf_counter()`` value."""


@dataclass(frozen=True)
class _Districts:
    """Which candidates share demand (the overlap graph), for drawing districts around a site."""

    neighbours: sp.csr_array  # candidate × candidate, structure only

    @classmethod
    def of(cls, problem: CoverageProblem) -> _Districts:
        a = problem.cover.astype(np.float32)
        return cls(neighbours=sp.csr_array(a.T @ a))

    def around(self, sites: np.ndarray) -> np.ndarray:
        """Sorted candidates overlapping any of ``sites`` (``sites`` included)."""
        nb = self.neighbours
        return np.union1d(np.unique(nb[sites].indices), sites)

    def district(self, chosen: np.ndarray, centre: int) -> np.ndarray:
        """The chosen sites within two overlap steps of ``centre`` (sorted; ``centre`` included)."""
        return np.intersect1d(chosen, self.around(self.around(np.array([centre]))))


def _better(value: float, than: float) -> bool:
    """``value`` covers more people than ``than`` beyond rounding."""
    return value > than * (1 + 1e-12) + 1e-9


def _search_start(
    problem: CoverageProblem, chosen: np.ndarray, seed: int
) -> tuple[np.ndarray, _Districts | None, np.random.Generator, float]:
    """The distinct starting sites, the overlap graph (None when there is nothing to search), the seeded random
    generator and the people the start covers."""
    inc = np.unique(np.asarray(chosen, dtype=np.int64))
    nothing_to_do = inc.size == 0 or inc.size >= problem.n_candidate
    districts = None if nothing_to_do else _Districts.of(problem)
    return inc, districts, np.random.default_rng(seed), problem.covered_weight(inc)


def improve_by_districts(
    problem: CoverageProblem,
    chosen: np.ndarray,
    *,
    solve: SubSolver,
    deadline: float,
    sub_time_s: float = 1.0,
    seed: int = 0,
    enough: float = float("inf"),
) -> np.ndarray:
    """Re-solve districts of ``chosen`` exactly until ``deadline`` or until no district improves the solution.

    Parameters
    ----------
    problem
        The coverage problem (its candidates are the sites).
    chosen
        Starting sites (candidate indices), e.g. LP rounding improved by swaps.
    solve
        Exact solver for one district (see :data:`SubSolver`).
    deadline
        ``time.perf_counter()`` value to stop at.
    sub_time_s
        Time allowed to each district's solve.
    seed
        Seed of the random district centres (the search is reproducible for a given seed and time).
    enough
        Stop as soon as the sites cover at least this many people (existing coverage included).

    Returns
    -------
    numpy.ndarray
        Sites (candidate indices, at most ``len(chosen)``), never covering fewer people than ``chosen``.
    """
    inc, districts, rng, value = _search_start(problem, chosen, seed)
    if districts is None:
        return inc
    tried = 0
    todo = list(rng.permutation(inc))  # district centres not yet tried around the current solution
    seen: set[bytes] = set()  # districts (released sites) already solved for the current solution
    while todo and value < enough and time.perf_counter() < deadline:
        centre = todo.pop()
        release = districts.district(inc, centre)
        if release.tobytes() in seen:
            continue
        seen.add(release.tobytes())
        tried += 1
        free = districts.around(release)
        keep = np.setdiff1d(inc, release)
        rows = np.flatnonzero(~problem.covered_mask(keep))
        sub = CoverageProblem(sp.csr_array(problem.cover[rows][:, free]), problem.demand_weight[rows])
        picked = solve(
            sub, release.size, np.searchsorted(free, release), min(deadline, time.perf_counter() + sub_time_s)
        )
        trial = np.union1d(keep, free[picked])
        trial_value = problem.covered_weight(trial)
        if _better(trial_value, value):
            inc, value = trial, trial_value
            todo, seen = list(rng.permutation(inc)), set()
            logger.debug(
                "district %d (%d sites of %d free): %.1f people", tried, release.size, free.size, value
            )
    logger.debug("district search: %d districts solved, %.1f people, %s", tried, value,
                 "none improves it" if not todo else "stopped by the clock")  # fmt: skip
    return inc


def improve_by_kicks(
    problem: CoverageProblem,
    chosen: np.ndarray,
    *,
    deadline: float,
    seed: int = 0,
    max_kick: int = 6,
    max_stale: int = 1000,
    enough: float = float("inf"),
) -> np.ndarray:
    """Iterated local search: move a few sites of one district at random, redo the swaps, keep what is better.

    Each round picks one chosen site at random, takes 2 to ``max_kick`` of the chosen sites within two overlap
    steps of it, moves them to random candidates overlapping them (the kick), and then makes best-improvement
    swaps (:func:`~coverage_planner.siting.greedy.improve_by_swaps`) until none helps. The result replaces the
    solution when it covers more people. Kicks get out of the swap search's local optima without an exact
    solver: a round costs a few swap rounds (milliseconds on 20,000 × 2,000).

    Parameters
    ----------
    problem
        The coverage problem (its candidates are the sites).
    chosen
        Starting sites (candidate indices).
    deadline
        ``time.perf_counter()`` value to stop at.
    seed
        Seed of the random kicks (the search is reproducible for a given seed and number of rounds).
    max_kick
        At most this many sites are moved in one kick.
    max_stale
        Stop after this many kicks in a row that found nothing better.
    enough
        Stop as soon as the sites cover at least this many people (existing coverage included).

    Returns
    -------
    numpy.ndarray
        Sites (sorted candidate indices, as many as ``chosen`` holds distinct), never covering fewer people
        than ``chosen``.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> cover = sp.csr_array(np.array([[1, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1]], dtype=bool))
    >>> problem = CoverageProblem(cover, np.array([5.0, 1.0, 1.0, 5.0]))
    >>> improve_by_kicks(problem, np.array([1]), deadline=float("inf"), max_stale=20).tolist()
    [0]
    """
    inc, districts, rng, value = _search_start(problem, chosen, seed)
    if districts is None:
        return inc
    rounds = stale = 0
    while value < enough and stale < max_stale and time.perf_counter() < deadline:
        rounds += 1
        stale += 1
        near = districts.district(inc, int(rng.choice(inc)))
        k = min(near.size, int(rng.integers(2, max(2, max_kick) + 1)))
        moved = rng.choice(near, size=k, replace=False)
        keep = np.setdiff1d(inc, moved)
        pool = np.setdiff1d(districts.around(moved), keep)
        trial = greedy.improve_by_swaps(problem, np.concatenate([keep, rng.choice(pool, size=k, replace=False)]))
        trial_value = problem.covered_weight(trial)
        if _better(trial_value, value):
            inc, value, stale = np.unique(trial), trial_value, 0
            logger.debug("kick %d: %.1f people", rounds, value)
    logger.debug("kick search: %d rounds, %.1f people", rounds, value)
    return inc
