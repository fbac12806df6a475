"""The compiled bucket-queue search against scipy's Dijkstra on the same CSR, in the same run.

Generated city network (``city_network``, default 500k nodes), 10,000 facilities on random nodes with
head starts of 0-60 m, walking distance 1,000 m:

* **multi-source** (walk access, one pass per facility type): ``kernel.multi_source_search`` against
  ``scipy.sparse.csgraph.dijkstra(limit=...)`` from a virtual source node (the engine's earlier design;
  the CSR with the virtual node is built outside the timing, so scipy's figure is its query alone);
* **catchments** (2SFCA, siting matrices): ``catchment_pairs`` for every facility, every node a demand
  point.

Each is timed twice: the **first run in a fresh process** (a new interpreter that imports everything,
with numba's on-disk cache empty, so JIT compilation is included, and again with the cache filled), and
the **best of 3 warm runs** in one process. Distances are compared (must be identical). The load average
is printed with the figures: the machine is shared.

Run::

    .venv/bin/python benchmarks/kernel.py                 # 500k nodes
    .venv/bin/python benchmarks/kernel.py --nodes 100000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path[:] = [p for p in sys.path if Path(p or os.curdir).resolve() != Path(__file__).resolve().parents[1]]


def _load() -> str:
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def _case(n_nodes: int, n_fac: int):  # noqa: ANN202
    from coverage_planner.network.synthetic import city_network

    graph = city_network(n_nodes, seed=1)
    rng = np.random.default_rng(7)
    node = rng.choice(graph.n_nodes, size=n_fac, replace=False)
    cost = rng.uniform(0, 60, n_fac)
    return graph, node, cost


def _scipy(graph, node, cost, limit):  # noqa: ANN001, ANN202
    from scipy.sparse.csgraph import dijkstra

    from coverage_planner.network._sources import with_virtual_sources

    aug = with_virtual_sources(graph.adjacency, np.zeros(node.size, dtype=np.int64), node, cost, 1)
    t0 = time.perf_counter()
    d = dijkstra(aug, directed=True, indices=graph.n_nodes, limit=limit)[: graph.n_nodes]
    return time.perf_counter() - t0, d


def _kernel(graph, node, cost, limit):  # noqa: ANN001, ANN202
    from coverage_planner.network.kernel import multi_source_search

    t0 = time.perf_counter()
    indptr, indices, weights, longest = graph.csr
    d, _ = multi_source_search(
        indptr, indices, weights, node, cost, np.arange(node.size), limit_m=limit, max_edge_m=longest
    )
    return time.perf_counter() - t0, d


def _catchments(graph, node, limit):  # noqa: ANN001, ANN202
    from coverage_planner.network import catchment_pairs, snap_points

    demand = snap_points(graph, graph.node_x_m, graph.node_y_m, max_snap_m=50)
    facs = snap_points(graph, graph.node_x_m[node], graph.node_y_m[node], max_snap_m=50)
    t0 = time.perf_counter()
    pairs = catchment_pairs(graph, demand, facs, cutoff_m=limit)
    return time.perf_counter() - t0, pairs.n_pairs


def child(args: argparse.Namespace) -> None:
    """One fresh process: import, build the case, time each method once (the first run)."""
    t0 = time.perf_counter()
    import coverage_planner.network.kernel  # noqa: F401

    t_import = time.perf_counter() - t0
    graph, node, cost = _case(args.nodes, args.facilities)
    t_k, _ = _kernel(graph, node, cost, args.distance_m)
    t_s, _ = _scipy(graph, node, cost, args.distance_m)
    t_c, _ = _catchments(graph, node, args.distance_m)
    print(json.dumps({"import": t_import, "kernel": t_k, "scipy": t_s, "catchments": t_c}))


def fresh(args: argparse.Namespace, cache_dir: str) -> dict[str, float]:
    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir}
    cmd = [sys.executable, __file__, "--child", "--nodes", str(args.nodes), "--facilities", str(args.facilities),
           "--distance-m", str(args.distance_m)]  # fmt: skip
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=500_000)
    ap.add_argument("--facilities", type=int, default=10_000)
    ap.add_argument("--distance-m", type=float, default=1000.0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args)
        return 0
    import numba

    print(f"kernel benchmark: numba {numba.__version__}, {os.cpu_count()} CPU(s), load {_load()}")
    with tempfile.TemporaryDirectory() as cache:
        cold = fresh(args, cache)
        print(f"first run, fresh process, empty numba cache (JIT included), load {_load()}: "
              f"kernel {cold['kernel']:.3f} s, scipy {cold['scipy']:.3f} s, catchments {cold['catchments']:.3f} s")  # fmt: skip
        warm_cache = fresh(args, cache)
        print(f"first run, fresh process, numba cache filled, load {_load()}: "
              f"kernel {warm_cache['kernel']:.3f} s, scipy {warm_cache['scipy']:.3f} s, "
              f"catchments {warm_cache['catchments']:.3f} s")  # fmt: skip
    graph, node, cost = _case(args.nodes, args.facilities)
    print(f"network: {graph.n_nodes:,} nodes, {graph.n_edges:,} edges, {node.size:,} facilities, "
          f"{args.distance_m:,.0f} m; shortest edge {graph.edge_length_m.min():.2f} m")  # fmt: skip
    ks, ss, cs = [], [], []
    for _ in range(args.repeat):
        tk, dk = _kernel(graph, node, cost, args.distance_m)
        ts, ds = _scipy(graph, node, cost, args.distance_m)
        tc, n_pairs = _catchments(graph, node, args.distance_m)
        ks.append(tk)
        ss.append(ts)
        cs.append(tc)
    same = np.array_equal(dk, ds)
    print(f"best of {args.repeat} warm, load {_load()}: kernel {min(ks):.3f} s, scipy {min(ss):.3f} s "
          f"({min(ss) / min(ks):.1f}x); first run with the cache filled {warm_cache['scipy'] / warm_cache['kernel']:.1f}x, "
          f"with JIT {cold['scipy'] / cold['kernel']:.2f}x; identical distances: {same}")  # fmt: skip
    print(f"catchments of all {node.size:,} facilities ({n_pairs:,} pairs): best {min(cs):.3f} s")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
