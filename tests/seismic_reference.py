"""The seismic detection code as it was before the tile-pruning engine (commit ff856e9), kept as the reference.

``reference_mc`` is the old ``_mc``: the K nearest stations by KD-tree, adaptive K (x4) until a bound
proves the rest cannot matter. Tests compare the new engine against it, value for value.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from coverage_planner.model.messages import Message
from coverage_planner.seismic.magnitude import _Calib


def reference_mc(sx: np.ndarray, sy: np.ndarray, lg_noise: np.ndarray, px: np.ndarray, py: np.ndarray,
                 calib: _Calib, *, depth_km: float, n_req: int, first_k: int = 16) -> np.ndarray:
    """n-th smallest ``lg_noise + term`` at each point, the pre-#20 way."""
    n = lg_noise.size
    if n < n_req:
        return np.full(px.size, np.inf)
    tree = cKDTree(np.column_stack([sx, sy]))
    if float(lg_noise.min()) == float(lg_noise.max()) and calib.table_d_km is None:
        d, _ = tree.query(np.column_stack([px, py]), k=[n_req])
        return lg_noise[0] + calib.term(d[:, 0] / 1000.0, depth_km)
    lg_min = float(lg_noise.min())
    mc = np.empty(px.size)
    todo = np.arange(px.size)
    kk = min(max(first_k, n_req), n)
    while todo.size:
        chunk = max(1, 4_000_000 // kk)
        unproven = []
        for a in range(0, todo.size, chunk):
            sel = todo[a : a + chunk]
            d, idx = tree.query(np.column_stack([px[sel], py[sel]]), k=kk)
            if kk == 1:
                d, idx = d[:, None], idx[:, None]
            epi = d / 1000.0
            m = lg_noise[idx] + calib.term(epi, depth_km)
            mc[sel] = np.partition(m, n_req - 1, axis=1)[:, n_req - 1]
            if kk < n:
                bound = lg_min + calib.lower(epi[:, -1], depth_km)
                unproven.append(sel[mc[sel] > bound + 1e-9])
        if kk >= n or not unproven:
            break
        todo = np.concatenate(unproven)
        kk = min(4 * kk, n)
    return mc


def reference_recorded(sx: np.ndarray, sy: np.ndarray, lg_noise: np.ndarray, px: np.ndarray, py: np.ndarray,
                       calib: _Calib, *, depth_km: float, n: int, target_ml: float) -> np.ndarray:
    """The old ``DetectionModel.recorded_by`` count: one ``reference_mc`` per rank 1..n."""
    count = np.zeros(px.size, dtype=np.int64)
    for rank in range(1, min(n, sx.size) + 1):
        count += reference_mc(sx, sy, lg_noise, px, py, calib, depth_km=depth_km, n_req=rank) <= target_ml + 1e-12
    return count


def reference_greedy_recording(need: np.ndarray, grid_xy: np.ndarray, cand: np.ndarray, reach_m: float,
                               limit: int) -> tuple[list[int], list[float], str]:
    """The old greedy multi-cover of siting.py: per-site Python lists of the open points each site reaches."""
    need = need.astype(np.int64).copy()
    used = np.zeros(cand.shape[0], dtype=bool)
    cand_tree = cKDTree(cand)
    chosen: list[int] = []
    history = [float(np.mean(need <= 0))]
    while (need > 0).any() and len(chosen) < limit:
        open_ = np.flatnonzero(need > 0)
        w = open_[int(np.argmax(need[open_]))]
        pool = np.array(cand_tree.query_ball_point(grid_xy[w], reach_m), dtype=np.int64)
        if pool.size == 0:
            return chosen, history, "some points lie farther than the reach of a new station from every site"
        fresh = pool[~used[pool]]
        pool = fresh if fresh.size else pool
        pool = pool[:: max(1, pool.size // 256)]
        lists = cKDTree(grid_xy[open_]).query_ball_point(cand[pool], reach_m)
        gain = np.array([len(ix) for ix in lists], dtype=np.float64)
        done = np.array([int(np.sum(need[open_[ix]] == 1)) if len(ix) else 0 for ix in lists], dtype=np.float64)
        dist = np.hypot(*(cand[pool] - grid_xy[w]).T)
        best = int(np.lexsort((dist, -done, -gain))[0])
        used[int(pool[best])] = True
        chosen.append(int(pool[best]))
        need[open_[lists[best]]] -= 1
        history.append(float(np.mean(need <= 0)))
    return chosen, history, "" if not (need > 0).any() else Message("say.stop_limit", n=limit)
