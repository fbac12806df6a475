"""Types of the compiled module built from _bucket.pyx (see its docstring)."""

from typing import Any

import numpy as np

Triple = tuple[np.ndarray, np.ndarray, np.ndarray]

def multi(
    csr: Triple, sources: Triple, ring: tuple[float, float], n_buckets: int, want_label: bool
) -> tuple[np.ndarray, np.ndarray]: ...
def catchments(
    csr: Triple,
    groups: Triple,
    incidence: Triple,
    seeds: Triple,
    ring: tuple[float, float],
    state: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    points: tuple[np.ndarray, np.ndarray],
    pool: Any,
) -> tuple[Triple, Any]: ...
def symmetric_csr(
    n: int, u: np.ndarray, v: np.ndarray, length: np.ndarray, max_degree: int = 64
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None: ...
