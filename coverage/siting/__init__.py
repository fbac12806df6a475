"""Siting new facilities: maximal covering, fewest sites for a covered share, p-median, per-capita targets.

Pure functions over a :class:`CoverageProblem` (a sparse demand × candidate coverage matrix, people per
demand point, demand already covered by existing facilities). Every coverage solver returns a
:class:`SitingResult` with the chosen sites in rank order, the people each newly serves, the proven
bound or gap, and a plain sentence for planners.

Typical use::

    from coverage_planner.siting import CoverageProblem, greedy, milp
    problem = CoverageProblem(cover, people, existing_covered)
    quick = greedy.max_coverage(problem, n_sites=20)        # milliseconds, with a proven bound
    exact = milp.max_coverage(problem, n_sites=20)          # HiGHS, optimal or with its gap
    fewest = milp.min_sites(problem, target_share=0.9)

Every classic location model, from a cost matrix and a radius (:mod:`coverage_planner.siting.models`)::

    from coverage_planner.siting import models
    models.p_center(cost, n_sites=4, preselected=[3])       # p-center
    models.backup_coverage(cost, radius=5000)                # LSCP-B
    models.capacitated_p_median(cost, people, capacity=cap, n_sites=10)
    models.mclp(cost, people, radius=800, site_cost=price, budget=2e6)
"""

from __future__ import annotations

from . import backup, budget, candidates, capacitated, capacitated_assign, greedy, milp, models, pcenter
from .candidates import filter_candidates, thin_candidates
from .capacitated import RatioSitingResult, site_for_ratio, site_for_ratio_callback
from .location import LocationResult
from .milp import PMedianResult
from .outcome import SitingResult
from .problem import CoverageProblem, SitingInputError, aggregate_demand

__all__ = [
    "CoverageProblem",
    "LocationResult",
    "PMedianResult",
    "RatioSitingResult",
    "SitingInputError",
    "SitingResult",
    "aggregate_demand",
    "backup",
    "budget",
    "capacitated",
    "capacitated_assign",
    "candidates",
    "filter_candidates",
    "greedy",
    "milp",
    "models",
    "pcenter",
    "site_for_ratio",
    "site_for_ratio_callback",
    "thin_candidates",
]
