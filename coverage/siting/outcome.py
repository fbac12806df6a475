"""`SitingResult`: what every coverage siting solver returns, with a plain sentence for planners."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from ..model.messages import Both, Code, Message

__all__ = ["SitingResult", "length_words", "model_head", "solver_head"]

Goal = Literal["max_coverage", "min_sites"]


def _people(x: float) -> str:
    return f"{x:,.0f}"


def _pct(share: float) -> str:
    return f"{100.0 * share:.1f} %"


@dataclass(frozen=True, eq=False)
class SitingResult:
    """Chosen sites in rank order, the people they serve, and how close to the best possible.

    Parameters
    ----------
    solver
        ``"greedy"`` or ``"HiGHS MILP"``.
    goal
        {"max_coverage", "min_sites"}: the most people for ``n_sites_requested`` sites, or the fewest sites
        reaching ``target_share``.
    chosen
        Candidate indices, in rank order (each site is the one adding the most people given the sites
        ranked before it).
    marginal_people
        People newly served by each chosen site, in rank order (not served by existing facilities nor
        by a higher-ranked new site). Sums to ``covered_after_people - covered_before_people``.
    total_people
        All people (demand weight), covered or not.
    covered_before_people
        People served by existing facilities.
    covered_after_people
        People served once the chosen sites are built (existing facilities kept).
    reachable_people
        People served if every candidate were built.
    n_candidate
        Number of candidate sites offered.
    status
        {"optimal", "within_gap", "time_limit", "heuristic", "already_met", "unreachable", ...}:
        ``"within_gap"`` means proven within the requested relative gap, not proven optimal.
    solve_time_s
        Wall time of the solver (seconds).
    upper_bound_new_people
        max_coverage: proven upper bound on the people *any* ``n_sites_requested`` sites could newly serve.
    lower_bound_sites
        min_sites: proven lower bound on the number of sites needed to reach ``target_share``.
    n_sites_requested
        max_coverage: the number of sites asked for.
    target_share
        min_sites: the covered share to reach, in [0, 1].
    """

    solver: str
    goal: Goal
    chosen: np.ndarray
    marginal_people: np.ndarray
    total_people: float
    covered_before_people: float
    covered_after_people: float
    reachable_people: float
    n_candidate: int
    status: str
    solve_time_s: float
    upper_bound_new_people: float | None = None
    lower_bound_sites: int | None = None
    n_sites_requested: int | None = None
    target_share: float | None = None

    @property
    def n_sites(self) -> int:
        """Number of chosen sites."""
        return int(self.chosen.size)

    @property
    def rank(self) -> np.ndarray:
        """1-based rank of each chosen site (same order as ``chosen``)."""
        return np.arange(1, self.n_sites + 1)

    @property
    def new_people(self) -> float:
        """People newly served by the chosen sites."""
        return self.covered_after_people - self.covered_before_people

    @property
    def covered_share_before(self) -> float:
        """Share of people served by existing facilities, in [0, 1]."""
        return self.covered_before_people / self.total_people if self.total_people > 0 else 1.0

    @property
    def covered_share_after(self) -> float:
        """Share of people served once the chosen sites are built, in [0, 1]."""
        return self.covered_after_people / self.total_people if self.total_people > 0 else 1.0

    @property
    def reachable_share(self) -> float:
        """Share of people served if every candidate were built, in [0, 1]."""
        return self.reachable_people / self.total_people if self.total_people > 0 else 1.0

    @property
    def target_met(self) -> bool | None:
        """min_sites: whether ``target_share`` is reached; None for max_coverage."""
        if self.target_share is None:
            return None
        return self.covered_people_needed <= self.covered_after_people * (1 + 1e-12)

    @property
    def covered_people_needed(self) -> float:
        """min_sites: people that must be covered to reach ``target_share``."""
        return (self.target_share or 0.0) * self.total_people

    @property
    def gap(self) -> float | None:
        """Relative optimality gap against the proven bound (0 = proven optimal), or None without a bound.

        max_coverage: ``(bound - new_people) / new_people``; min_sites: ``(n_sites - lower_bound) / n_sites``
        (the definition HiGHS uses, relative to the solution found).
        """
        if self.goal == "max_coverage":
            if self.upper_bound_new_people is None:
                return None
            if self.new_people <= 0:
                return 0.0 if self.upper_bound_new_people <= 0 else float("inf")
            return max(0.0, (self.upper_bound_new_people - self.new_people) / self.new_people)
        if self.lower_bound_sites is None or self.status in ("unreachable", "already_met"):
            return None if self.status != "already_met" else 0.0
        return max(0, self.n_sites - self.lower_bound_sites) / self.n_sites if self.n_sites else 0.0

    def rows(self) -> list[dict[str, float | int]]:
        """One row per chosen site, in rank order: rank, candidate index, people newly served."""
        return [
            {"rank": int(r), "candidate": int(c), "new_people": float(m)}
            for r, c, m in zip(self.rank, self.chosen, self.marginal_people, strict=True)
        ]

    @property
    def sentence(self) -> str:
        """One plain sentence for planners (a catalogue ``Message``: English as a ``str``, Chinese by ``text``)."""
        head = self._head()
        if self.goal == "max_coverage" and self.n_sites == 0 and (self.n_sites_requested or 0) > 0:
            return Message("say.siting_plain", head=head,
                           body=Message("say.siting_none_serves", before=_pct(self.covered_share_before)))
        if self.goal == "max_coverage":
            body = Message("say.siting_cover", n=self.n_sites, people=_people(self.new_people),
                           before=_pct(self.covered_share_before), after=_pct(self.covered_share_after))
            fewer: str = ""
            if self.n_sites_requested is not None and self.n_sites < self.n_sites_requested:
                fewer = Message("say.siting_fewer", n=self.n_sites, asked=self.n_sites_requested)
            return Message("say.siting", head=head, body=body, more=fewer, bound=self._bound_clause())
        target = _pct(self.target_share or 0.0)
        if self.status == "already_met":
            return Message("say.siting_plain", head=head, body=Message(
                "say.siting_already_met", target=target, before=_pct(self.covered_share_before)))
        if self.status == "unreachable":
            return Message("say.siting_plain", head=head, body=Message(
                "say.siting_unreachable", target=target, n=f"{self.n_candidate:,}", reach=_pct(self.reachable_share),
                before=_pct(self.covered_share_before)))
        body = Message("say.siting_raise", n=self.n_sites, before=_pct(self.covered_share_before),
                       after=_pct(self.covered_share_after), target=target)
        return Message("say.siting", head=head, body=body, more="", bound=self._bound_clause())

    def _head(self) -> str:
        if self.solver == "greedy":
            return Message("say.siting_greedy")
        return solver_head(self.solver, self.status, self.gap, self.solve_time_s)

    def _bound_clause(self) -> str:
        if self.goal == "max_coverage":
            bound = self.upper_bound_new_people
            if bound is None or self.status in ("optimal", "within_gap"):
                return ""
            share = 1.0 if bound <= 0 else min(1.0, self.new_people / bound)
            return Message("say.siting_bound_people", share=f"{100 * share:.1f}", n=self.n_sites_requested,
                           people=_people(bound))
        lb = self.lower_bound_sites
        if lb is None or self.status == "optimal":
            return ""
        if lb >= self.n_sites:
            return Message("say.siting_fewest")
        return Message("say.siting_at_least", n=lb)


def solver_head(solver: str, status: str, gap: float | None, solve_time_s: float) -> Message:
    """The start of a solver's sentence: its name, how it ended (optimal, within a gap, stopped) and its time.

    >>> str(solver_head("HiGHS p-center", "optimal", 0.0, 1.25))
    'HiGHS p-center: optimal (gap 0.0 %) in 1.2 s: '
    >>> solver_head("HiGHS p-center", "time_limit", 0.031, 60.0).text("zh")
    'HiGHS p-center:达到时间上限(60.0 秒,差距 3.1%):'
    """
    t = Both(f"{solve_time_s:.1f} s", f"{solve_time_s:.1f} 秒")
    g = gap if gap is not None and math.isfinite(gap) else None
    gap_txt = Both("", "") if g is None else Both(f" (gap {100 * g:.1f} %)", f"(差距 {100 * g:.1f}%)")
    if status == "optimal":
        return Message("say.siting_optimal", solver=solver, gap=gap_txt, t=t)
    if status == "within_gap" and g is not None:
        return Message("say.siting_within_gap", solver=solver, gap=f"{100 * g:.2f}", t=t)
    if status == "time_limit":  # zh: the gap inside the time's brackets ("(60.0 秒,差距 3.1%)")
        gap_in = gap_txt if g is None else Both(gap_txt.en, f",差距 {100 * g:.1f}%")
        return Message("say.siting_time_limit", solver=solver, gap=gap_in, t=t)
    if status in ("already_met", "unreachable"):
        return Message("say.siting_solver", solver=solver)
    return Message("say.siting_other", solver=solver, status=Code(status), gap=gap_txt, t=t)


def model_head(model: str, status: str, gap: float | None, solve_time_s: float) -> Message:
    """:func:`solver_head` for HiGHS solving one of the location models (``"p-center"``, ``"backup"``, ...)."""
    return solver_head(Message("say.model_solver", model=Code(model)), status, gap, solve_time_s)


def length_words(value: float, unit: str, spec: str = ",.6g") -> Both:
    """A cost or distance with its unit in both languages (``unit`` " m" or "" for costs without a unit).

    >>> length_words(1234.5, " m", ",.0f")
    Both(en='1,234 m', zh='1,234 米')
    """
    number = format(value, spec)
    return Both(number + unit, number + (" 米" if unit.strip() == "m" else unit))
