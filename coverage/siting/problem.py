"""The coverage problem every siting solver takes, and exact demand aggregation.

A :class:`CoverageProblem` is a sparse boolean matrix ``cover`` (demand point × candidate site;
``cover[i, j]`` is true when candidate ``j`` would serve demand point ``i``, e.g. within a 15-minute
walk), the people at each demand point, and which demand points existing facilities already serve.
Existing facilities are always kept: their demand counts as covered and never needs a new site.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..errors import CoverageError

logger = logging.getLogger(__name__)

__all__ = ["CoverageProblem", "SitingInputError", "aggregate_demand", "as_cover_matrix"]


class SitingInputError(CoverageError, ValueError):
    """A siting input (coverage matrix, weights, capacities, request) is malformed or impossible."""


def as_cover_matrix(cover: Any) -> sp.csr_array:
    """Return ``cover`` as a canonical boolean CSR array (sorted indices, no duplicates, no stored zeros).

    Parameters
    ----------
    cover
        A scipy.sparse matrix or array, or a dense 2-D array, demand × candidate; any non-zero entry
        means "covered".

    Returns
    -------
    scipy.sparse.csr_array
        Boolean, with ``int32`` or ``int64`` index arrays as scipy chooses.
    """
    if sp.issparse(cover):
        m = sp.csr_array(cover, copy=True)
    else:
        arr = np.asarray(cover)
        if arr.ndim != 2:
            msg = (
                f"The coverage matrix must be 2-D (demand points × candidate sites); got an array of shape "
                f"{arr.shape}. Pass a scipy.sparse matrix with one row per demand point and one column per "
                "candidate."
            )
            raise SitingInputError(msg)
        m = sp.csr_array(arr)
    m.sum_duplicates()  # also sorts indices
    m.eliminate_zeros()
    if m.dtype != np.bool_:
        m = sp.csr_array((m.data != 0, m.indices, m.indptr), shape=m.shape)
        m.eliminate_zeros()
    m.has_sorted_indices = True
    return m


def _as_vector(values: Any, *, name: str, n: int, what: str) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.shape != (n,):
        msg = (
            f"`{name}` must hold one value per {what}: expected shape ({n},), got {arr.shape}. "
            f"Pass a 1-D array aligned with the {what}s of the coverage matrix."
        )
        raise SitingInputError(msg)
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        msg = (
            f"`{name}` must be finite and non-negative; {int(bad.sum())} value(s) are not (first at "
            f"index {first}: {arr[first]!r}). Replace missing values with 0 before siting."
        )
        raise SitingInputError(msg)
    return arr


@dataclass(frozen=True, eq=False)
class CoverageProblem:
    """Who could be served by which candidate site, and who is served already.

    Parameters
    ----------
    cover
        Demand × candidate coverage, any sparse or dense 2-D array; stored as a canonical boolean
        ``scipy.sparse.csr_array``.
    demand_weight
        People (or any non-negative weight) per demand point.
    existing_covered
        True where existing facilities already serve the demand point; default none. Existing
        facilities are kept, so this demand is counted as covered in every solution.
    candidate_capacity
        Optional capacity per candidate (people it can serve, m² of shelter, childcare slots, ...). Carried
        for callers and for per-capita siting (:func:`coverage_planner.siting.capacitated.site_for_ratio` takes it
        with ``cover`` as the catchments); the coverage solvers in ``greedy`` and ``milp`` do not use it.
    candidate_cost
        Optional cost per candidate (any currency); carried like ``candidate_capacity`` and likewise not
        used by the coverage solvers (they count sites).

    Notes
    -----
    The objective every solver reports is *people covered*: existing coverage plus the demand newly
    covered by the chosen sites. The "covered share" is people covered / all people.
    """

    cover: sp.csr_array
    demand_weight: np.ndarray
    # None (nobody served yet) is accepted at construction; __post_init__ always stores a boolean mask
    existing_covered: np.ndarray = field(default=None)  # type: ignore[arg-type]
    candidate_capacity: np.ndarray | None = None
    candidate_cost: np.ndarray | None = None

    def __post_init__(self) -> None:
        cover = as_cover_matrix(self.cover)
        n_demand, n_candidate = cover.shape
        weight = _as_vector(self.demand_weight, name="demand_weight", n=n_demand, what="demand point")
        if self.existing_covered is None:
            existing = np.zeros(n_demand, dtype=bool)
        else:
            existing = np.asarray(self.existing_covered)
            if existing.shape != (n_demand,):
                msg = (
                    f"`existing_covered` must hold one flag per demand point: expected shape ({n_demand},), "
                    f"got {existing.shape}. Pass a boolean mask aligned with the rows of the coverage matrix."
                )
                raise SitingInputError(msg)
            existing = existing.astype(bool)
        capacity = (
            None
            if self.candidate_capacity is None
            else _as_vector(
                self.candidate_capacity, name="candidate_capacity", n=n_candidate, what="candidate"
            )
        )
        cost = (
            None
            if self.candidate_cost is None
            else _as_vector(self.candidate_cost, name="candidate_cost", n=n_candidate, what="candidate")
        )
        for arr in (weight, existing, capacity, cost):
            if arr is not None:
                arr.setflags(write=False)
        object.__setattr__(self, "cover", cover)
        object.__setattr__(self, "demand_weight", weight)
        object.__setattr__(self, "existing_covered", existing)
        object.__setattr__(self, "candidate_capacity", capacity)
        object.__setattr__(self, "candidate_cost", cost)

    @property
    def n_demand(self) -> int:
        """Number of demand points (rows)."""
        return int(self.cover.shape[0])

    @property
    def n_candidate(self) -> int:
        """Number of candidate sites (columns)."""
        return int(self.cover.shape[1])

    @property
    def total_weight(self) -> float:
        """All people, covered or not."""
        return float(self.demand_weight.sum())

    @property
    def existing_weight(self) -> float:
        """People already covered by existing facilities."""
        return float(self.demand_weight[self.existing_covered].sum())

    @property
    def reachable_weight(self) -> float:
        """People covered if every candidate were built (existing coverage included)."""
        reachable = self.existing_covered | (np.diff(self.cover.indptr) > 0)
        return float(self.demand_weight[reachable].sum())

    def covered_weight(self, chosen: Any) -> float:
        """People covered (existing coverage included) when the candidates ``chosen`` are built.

        Parameters
        ----------
        chosen
            Candidate indices, or a boolean mask over candidates.

        Returns
        -------
        float
        """
        return float(self.demand_weight[self.covered_mask(chosen)].sum())

    def covered_mask(self, chosen: Any) -> np.ndarray:
        """Boolean mask of demand points covered (existing or by ``chosen``).

        Parameters
        ----------
        chosen
            Candidate indices, or a boolean mask over candidates.

        Returns
        -------
        numpy.ndarray
        """
        selected = np.zeros(self.n_candidate, dtype=bool)
        chosen_arr = np.asarray(chosen)
        if chosen_arr.dtype == np.bool_:
            selected[:] = chosen_arr
        else:
            selected[chosen_arr.astype(np.int64)] = True
        hits = np.zeros(self.n_demand, dtype=bool)
        if selected.any():
            # A demand point is covered when any of its row's candidates is selected.
            nonempty = np.diff(self.cover.indptr) > 0
            starts = self.cover.indptr[:-1][nonempty]
            hits[nonempty] = np.logical_or.reduceat(selected[self.cover.indices], starts)
        return hits | self.existing_covered


def _row_keys(indptr: np.ndarray, indices: np.ndarray, n_col: int, seed: int) -> np.ndarray:
    """One uint64 key per CSR row: a random linear hash of its columns plus its length (wrapping sums)."""
    rng = np.random.default_rng(seed)
    salt = rng.integers(1, np.iinfo(np.uint64).max, size=n_col + 1, dtype=np.uint64)
    lengths = np.diff(indptr)
    keys = lengths.astype(np.uint64) * salt[n_col]
    nonempty = lengths > 0
    if indices.size:
        keys[nonempty] += np.add.reduceat(salt[indices], indptr[:-1][nonempty])
    return keys


def _groups_are_exact(m: sp.csr_array, representative: np.ndarray, inverse: np.ndarray) -> bool:
    """True when every row equals its group's representative row (exact check, one sparse subtraction)."""
    as_int = sp.csr_array((np.ones(m.nnz, dtype=np.int8), m.indices, m.indptr), shape=m.shape)
    diff = as_int - as_int[representative[inverse]]
    return diff.count_nonzero() == 0


def unique_rows(m: sp.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """Group identical rows of a canonical CSR matrix, exactly.

    Rows are hashed vectorised (a random linear hash of their column indices and length, modulo 2**64),
    grouped by sorting the hashes, then every row is compared with its group's representative (one sparse
    subtraction), so a hash collision can never merge different rows; on a collision the hash is redrawn.

    Parameters
    ----------
    m
        Canonical CSR (sorted indices, no duplicates).

    Returns
    -------
    representative : numpy.ndarray
        Index of the first row of each group, in increasing order.
    inverse : numpy.ndarray
        Group of each row (``representative[inverse[i]]`` is a row equal to row ``i``).
    """
    indptr = np.asarray(m.indptr, dtype=np.int64)
    indices = np.asarray(m.indices, dtype=np.int64)
    for seed in (20240917, 7, 11):
        keys = _row_keys(indptr, indices, m.shape[1], seed)
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        # Number groups by their first row so the output order is stable and readable.
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size)
        representative = first[order].astype(np.int64)
        inverse = rank[inverse.reshape(-1)].astype(np.int64)
        if _groups_are_exact(m, representative, inverse):
            return representative, inverse
        logger.warning("row hash collision while aggregating demand; rehashing with another seed")
    # Practically unreachable; fall back to exact (slow) grouping by row contents.
    groups: dict[bytes, int] = {}
    inverse = np.empty(m.shape[0], dtype=np.int64)
    reps: list[int] = []
    for i in range(m.shape[0]):
        key = indices[indptr[i] : indptr[i + 1]].tobytes()
        g = groups.setdefault(key, len(reps))
        if g == len(reps):
            reps.append(i)
        inverse[i] = g
    return np.asarray(reps, dtype=np.int64), inverse


def aggregate_demand(problem: CoverageProblem) -> tuple[CoverageProblem, np.ndarray]:
    """Merge demand points that no selection of candidates can tell apart; exact for every objective.

    Demand points with the same covering set (identical row of ``cover``) and the same
    ``existing_covered`` flag are merged and their weights summed. All demand already covered by existing
    facilities becomes one row with no candidates (it is counted as covered whatever is built), and all
    demand no candidate can reach becomes one uncovered row with no candidates. The people covered by any
    selection of candidates, the total and the existing coverage are therefore unchanged.

    Parameters
    ----------
    problem
        The problem to aggregate. Capacities and costs (per candidate) are carried over unchanged.

    Returns
    -------
    aggregated : CoverageProblem
        Rows ordered as: coverable groups (in order of first appearance), then the existing-covered row and
        the uncoverable row when present.
    mapping : numpy.ndarray
        For each original demand point, its row in ``aggregated``.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> p = CoverageProblem(sp.csr_array(np.array([[1, 0], [1, 0], [0, 1], [0, 0]], bool)), [5, 7, 1, 2])
    >>> agg, mapping = aggregate_demand(p)
    >>> agg.demand_weight.tolist(), mapping.tolist()
    ([12.0, 1.0, 2.0], [0, 0, 1, 2])
    """
    cover = problem.cover
    weight = problem.demand_weight
    existing = problem.existing_covered
    lengths = np.diff(cover.indptr)
    active = ~existing & (lengths > 0)
    active_idx = np.flatnonzero(active)
    mapping = np.empty(problem.n_demand, dtype=np.int64)

    sub = cover[active_idx]
    sub.has_sorted_indices = True
    reps, inverse = unique_rows(sub)
    n_groups = reps.size
    mapping[active_idx] = inverse
    group_weight = np.bincount(inverse, weights=weight[active_idx], minlength=n_groups)
    agg_cover = sub[reps]

    extra_weight: list[float] = []
    extra_existing: list[bool] = []
    if existing.any():
        mapping[existing] = n_groups + len(extra_weight)
        extra_weight.append(float(weight[existing].sum()))
        extra_existing.append(True)
    unreachable = ~existing & (lengths == 0)
    if unreachable.any():
        mapping[unreachable] = n_groups + len(extra_weight)
        extra_weight.append(float(weight[unreachable].sum()))
        extra_existing.append(False)
    if extra_weight:
        empty = sp.csr_array((len(extra_weight), problem.n_candidate), dtype=bool)
        agg_cover = sp.vstack([agg_cover, empty], format="csr")
    aggregated = CoverageProblem(
        agg_cover,
        np.concatenate([group_weight, np.asarray(extra_weight, dtype=np.float64)]),
        np.concatenate([np.zeros(n_groups, dtype=bool), np.asarray(extra_existing, dtype=bool)]),
        candidate_capacity=problem.candidate_capacity,
        candidate_cost=problem.candidate_cost,
    )
    logger.debug("aggregated %d demand points into %d rows", problem.n_demand, aggregated.n_demand)
    return aggregated, mapping
