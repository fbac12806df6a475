"""The compiled bucket-queue search against scipy's Dijkstra on the same CSR, in the same run.

Generated city network (``city_network``, default 500k nodes), 10,000 facilities on random nodes with
head starts of 0-60 m, walking distance 1,000 m:

* **multi-source** (walk access, one pass per facility type): ``kernel.multi_source_search`` against
  ``scipy.sparse.csgraph.dijkstra(limit=...)`` from a virtual source node, building the CSR with the
  virtual node included (walk access's default path, network/nearest.py, since the kernel measured slower);
* **catchments** (2SFCA, siting matrices): ``catchment_pairs`` for every facility, every node a demand
  point.

Each is timed twice: the **first run in a fresh process** (a new interpreter that imports everything,
with numba's on-disk cache empty, so JIT compilation is included, and again with the cache filled), and
the **best of 3 warm runs** in one process. Distances are compared (must be identical). The load average
is printed with the figures: the machine is shared, so CPU time (``time.process_time``) is printed beside
wall time and the ratios compare CPU times of the same run.

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


def _timed(fn, *args):  # noqa: ANN001, ANN002, ANN202
    """(wall s, CPU s of this process, result) of one call."""
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args)
    return time.perf_counter() - w0, time.process_time() - c0, out


def _scipy(graph, node, cost, limit):  # noqa: ANN001, ANN202
    from scipy.sparse.csgraph import dijkstra

    from coverage_planner.network._sources import with_virtual_sources

    def run():  # noqa: ANN202 - the engine's path (network/nearest.py): virtual-source CSR, then one pass
        aug = with_virtual_sources(graph.adjacency, np.zeros(node.size, dtype=np.int64), node, cost, 1)
        return dijkstra(aug, directed=True, indices=graph.n_nodes, limit=limit)[: graph.n_nodes]

    return _timed(run)


def _kernel(graph, node, cost, limit):  # noqa: ANN001, ANN202
    from coverage_planner.network.kernel import multi_source_search

    def run():  # noqa: ANN202
        csr = graph.csr
        return multi_source_search(csr, (node, cost, np.arange(node.size)), limit_m=limit, max_edge_m=csr[3])[0]

    return _timed(run)


def _catchments(graph, node, limit):  # noqa: ANN001, ANN202
    from coverage_planner.network import catchment_pairs, snap_points

    demand = snap_points(graph, graph.node_x_m, graph.node_y_m, max_snap_m=50)
    facs = snap_points(graph, graph.node_x_m[node], graph.node_y_m[node], max_snap_m=50)
    return _timed(lambda: catchment_pairs(graph, demand, facs, cutoff_m=limit).n_pairs)


def child(args: argparse.Namespace) -> None:
    """One fresh process: import, build the case, time each method once (the first run)."""
    t0 = time.perf_counter()
    import coverage_planner.network.kernel  # noqa: F401

    t_import = time.perf_counter() - t0
    graph, node, cost = _case(args.nodes, args.facilities)
    out = {"import": t_import}
    for name, fn, extra in (("kernel", _kernel, (cost,)), ("scipy", _scipy, (cost,)), ("catchments", _catchments, ())):
        wall, cpu, _ = fn(graph, node, *extra, args.distance_m)
        out[name], out[name + "_cpu"] = wall, cpu
    print(json.dumps(out))


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
        for what in ("empty numba cache (JIT included)", "numba cache filled"):
            r = fresh(args, cache)
            print(f"first run, fresh process, {what}, load {_load()}: "
                  + ", ".join(f"{k} {r[k]:.3f} s wall {r[k + '_cpu']:.3f} s CPU" for k in ("kernel", "scipy", "catchments"))
                  + f"; scipy/kernel CPU {r['scipy_cpu'] / r['kernel_cpu']:.2f}x")  # fmt: skip
    graph, node, cost = _case(args.nodes, args.facilities)
    print(f"network: {graph.n_nodes:,} nodes, {graph.n_edges:,} edges, {node.size:,} facilities, "
          f"{args.distance_m:,.0f} m; shortest edge {graph.edge_length_m.min():.2f} m")  # fmt: skip
    best: dict[str, list[float]] = {"kernel": [], "kernel_cpu": [], "scipy": [], "scipy_cpu": [],
                                    "catchments": [], "catchments_cpu": []}  # fmt: skip
    for _ in range(args.repeat):
        tk, ck, dk = _kernel(graph, node, cost, args.distance_m)
        ts, cs, ds = _scipy(graph, node, cost, args.distance_m)
        tc, cc, n_pairs = _catchments(graph, node, args.distance_m)
        for k, v in (("kernel", tk), ("kernel_cpu", ck), ("scipy", ts), ("scipy_cpu", cs),
                     ("catchments", tc), ("catchments_cpu", cc)):  # fmt: skip
            best[k].append(v)
    b = {k: min(v) for k, v in best.items()}
    same = np.array_equal(dk, ds)
    print(f"best of {args.repeat} warm, load {_load()}: kernel {b['kernel']:.3f} s wall {b['kernel_cpu']:.3f} s CPU, "
          f"scipy {b['scipy']:.3f} s wall {b['scipy_cpu']:.3f} s CPU; scipy/kernel {b['scipy'] / b['kernel']:.2f}x wall, "
          f"{b['scipy_cpu'] / b['kernel_cpu']:.2f}x CPU; identical distances: {same}")  # fmt: skip
    print(f"catchments of all {node.size:,} facilities ({n_pairs:,} pairs): best {b['catchments']:.3f} s wall "
          f"{b['catchments_cpu']:.3f} s CPU")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
