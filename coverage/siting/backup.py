"""LSCP-B, backup coverage (Hogan & ReVelle 1986): the fewest sites covering everyone, then the most backed up.

Two exact stages, both solved by HiGHS:

1. LSCP: ``k* = min Σ_j x_j`` subject to every demand point having a site within the radius
   (preselected sites forced open).
2. Backup: with exactly ``k*`` sites, maximise the demand covered by *two or more* sites::

       maximise   Σ_i w_i u_i
       subject to Σ_j a_ij x_j ≥ 1 + u_i   for every demand point i
                  Σ_j x_j = k*,   x_j, u_i ∈ {0, 1}

``backup_share`` is the weighted share of demand with a backup. spopt's ``LSCPB.backup_perc`` counts
differently: a demand point that only one candidate can reach cannot have a backup, and spopt's model
leaves its ``u_i`` free, so the solver counts it as backed up. The same sites are optimal either way
(those ``u_i`` are constants), and spopt's figure is reported as ``backup_share_spopt`` so the two can be
compared.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import scipy.sparse as sp

from ..errors import message
from ..model.messages import Message
from .location import LocationResult, as_cost_matrix, as_preselected, cover_from_cost, solve_mip
from .outcome import length_words, model_head
from .problem import SitingInputError

__all__ = ["backup_coverage"]


def backup_coverage(
    cost: Any,
    *,
    radius: float,
    demand_weight: Any = None,
    preselected: Any = None,
    time_limit_s: float = 60.0,
    unit: str = "",
) -> LocationResult:
    """LSCP-B: the fewest sites covering every demand point within ``radius``, then the most backup coverage.

    Parameters
    ----------
    cost
        Demand × candidate costs, as spopt's ``LSCPB.from_cost_matrix``; ``inf``/``nan`` = cannot serve.
    radius
        Service radius, same unit as ``cost`` (covered when ``cost ≤ radius``).
    demand_weight
        Weight per demand point in the backup objective (default 1 each, as spopt).
    preselected
        Sites that must be open: candidate indices, or one 0/1 flag per candidate.
    time_limit_s
        Time limit for each of the two HiGHS stages.
    unit
        Unit of the costs for the sentence (e.g. ``" m"``).

    Returns
    -------
    LocationResult
        ``objective`` is the weight with a backup; ``figures`` holds ``n_sites_lscp`` (stage 1),
        ``backup_share`` (weighted share with two or more sites in reach), ``backup_share_spopt``
        (spopt's ``backup_perc`` / 100: single-candidate demand counted as backed up) and
        ``single_candidate_share``. ``assignment`` is the nearest open site.
    """
    t0 = time.perf_counter()
    d = as_cost_matrix(cost)
    n_d, n_c = d.shape
    a = cover_from_cost(d, radius).astype(np.float64)
    w = np.ones(n_d) if demand_weight is None else np.asarray(demand_weight, dtype=np.float64)
    if w.shape != (n_d,) or not np.all(np.isfinite(w)) or (w < 0).any():
        msg = f"`demand_weight` must be {n_d} finite non-negative numbers (one per demand row); got shape {w.shape}."
        raise SitingInputError(msg)
    fixed = as_preselected(preselected, n_c)
    reach = np.diff(a.indptr)
    if (reach == 0).any():
        first = int(np.flatnonzero(reach == 0)[0])
        raise SitingInputError(message("err.siting_backup_unreachable", n=int((reach == 0).sum()),
                                       radius=f"{radius:,.6g}", first=first))
    lower = np.zeros(n_c)
    lower[fixed] = 1.0
    stage1 = solve_mip(a, cost=np.ones(n_c), row_lower=np.ones(n_d), row_upper=np.full(n_d, np.inf),
                       integer=np.ones(n_c, bool), maximise=False, col_lower=lower, time_limit_s=time_limit_s)
    if stage1.x is None:
        raise SitingInputError(message("err.siting_backup_none", radius=f"{radius:,.6g}", status=stage1.status))
    k = int(round(stage1.objective))
    # Stage 2 over [x (n_c), u (n_d)]: Σ_j a_ij x_j - u_i ≥ 1 ; Σ_j x_j = k.
    body = sp.hstack([a, -sp.eye_array(n_d)], format="csc")
    count = sp.csc_array(np.concatenate([np.ones(n_c), np.zeros(n_d)]).reshape(1, -1))
    u_upper = (reach >= 2).astype(np.float64)  # a single-candidate point cannot be backed up
    stage2 = solve_mip(
        sp.vstack([body, count], format="csc"), cost=np.concatenate([np.zeros(n_c), w]),
        row_lower=np.concatenate([np.ones(n_d), [k]]), row_upper=np.concatenate([np.full(n_d, np.inf), [k]]),
        integer=np.ones(n_c + n_d, bool), maximise=True, col_lower=np.concatenate([lower, np.zeros(n_d)]),
        col_upper=np.concatenate([np.ones(n_c), u_upper]), time_limit_s=time_limit_s,
    )  # fmt: skip
    x = stage2.x[:n_c] if stage2.x is not None else stage1.x
    chosen = np.flatnonzero(x > 0.5)
    times = np.asarray(a[:, chosen].sum(axis=1)).ravel()
    backed = times >= 2
    total = float(w.sum())
    value = float(w[backed].sum())
    single = reach < 2
    sub = d[:, chosen]
    near = chosen[np.argmin(sub, axis=1)]
    status = stage2.status if stage1.status == "optimal" else stage1.status
    figures = {
        "n_sites_lscp": float(k),
        "backup_share": value / total if total > 0 else 0.0,
        "backup_share_spopt": float(w[backed | single].sum()) / total if total > 0 else 0.0,
        "single_candidate_share": float(w[single].sum()) / total if total > 0 else 0.0,
        "radius": float(radius),
    }
    elapsed = time.perf_counter() - t0
    bound = stage2.bound if stage2.x is not None else float("nan")
    single_txt = (Message("say.model_backup_single", share=f"{100 * figures['single_candidate_share']:.1f} %")
                  if single.any() else "")
    sentence = Message("say.model_backup", head=model_head("backup", status, 0.0, elapsed), n=int(chosen.size),
                       radius=length_words(radius, unit), share=f"{100 * figures['backup_share']:.1f} %",
                       single=single_txt)
    return LocationResult(
        model="backup", chosen=chosen, preselected=fixed, objective=value,
        objective_name="demand weight within reach of two or more open sites", status=status, bound=bound,
        solve_time_s=elapsed, assignment=near, figures=figures, sentence=sentence,
    )
