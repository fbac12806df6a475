"""The compiled bucket-queue search against scipy's Dijkstra on the same CSR, in the same run.

Generated city network (``city_network``, default 500k nodes), 10,000 facilities on random nodes with
head starts of 0-60 m, walking distance 1,000 m:

* **multi-source** (walk access, one pass per facility type): ``kernel.multi_source_search`` (what
  network/nearest.py runs) against ``scipy.sparse.csgraph.dijkstra(limit=...)`` from a virtual source
  node, building the CSR with the virtual node included. Timed as the **first run in a fresh process** (a
  new interpreter that imports everything; the search is compiled at install from network/_bucket.pyx, so
  there is no JIT or start-up to include) and the **best of --repeat warm runs** in one process;
* **catchments** (2SFCA, siting matrices): every node within the distance of each facility node, by
  ``kernel.catchment_search`` and by scipy (one ``dijkstra`` per batch of facilities on the induced
  subgraph of the nodes near the batch, with one virtual source per facility), per batch size, best of
  --repeat warm; the pair sets must be identical;
* **2SFCA** (``two_step_fca``, every node a demand point, setup = snapping demand and facilities) in a
  fresh process per batch size: first run (after a tiny first search, printed apart), best of --repeat,
  and the growth of the peak resident memory.

Distances are compared (must be identical). The load average is printed with the figures: the machine
is shared, so CPU time (``time.process_time``) is printed beside wall time and the ratios compare CPU
times of the same run.

Run::

    .venv/bin/python benchmarks/kernel.py                 # 500k nodes
    .venv/bin/python benchmarks/kernel.py --nodes 100000 --facilities 2000
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
        return multi_source_search(csr, (node, cost, np.arange(node.size)), limit_m=limit, max_edge_m=csr[3],
                                   return_label=False)  # fmt: skip

    return _timed(run)


def _catchments(graph, node, limit):  # noqa: ANN001, ANN202
    from coverage_planner.network import catchment_pairs, snap_points

    demand = snap_points(graph, graph.node_x_m, graph.node_y_m, max_snap_m=50)
    facs = snap_points(graph, graph.node_x_m[node], graph.node_y_m[node], max_snap_m=50)
    return _timed(lambda: catchment_pairs(graph, demand, facs, cutoff_m=limit).n_pairs)


def _node_batches(graph, node, limit, batch):  # noqa: ANN001, ANN202
    """The facilities in the spatial batches the engine uses (network/catchment.py)."""
    from coverage_planner.network.catchment import _spatial_batches

    pos = np.arange(node.size)
    return _spatial_batches(pos, graph.node_x_m[node], graph.node_y_m[node], batch, limit)


def _catch_kernel(graph, node, limit, batch=64):  # noqa: ANN001, ANN202
    """Every node within ``limit`` of each facility node: kernel.catchment_search, every node a point."""
    from coverage_planner.network.kernel import CatchmentScratch, catchment_search

    n = graph.n_nodes

    def run():  # noqa: ANN202
        csr = graph.csr
        incidence = (np.arange(n + 1), np.arange(n), np.zeros(n))
        scratch = CatchmentScratch(n, n, limit)
        out = []
        for b in _node_batches(graph, node, limit, batch):
            g, pt, d = catchment_search(csr, (np.arange(b.size + 1), node[b], np.zeros(b.size)), incidence, n,
                                        limit_m=limit, scratch=scratch)  # fmt: skip
            out.append((b[g], pt, d))
        return out

    return _timed(run)


def _catch_scipy(graph, node, limit, batch=64):  # noqa: ANN001, ANN202
    """The same with scipy: per batch, the nodes within ``limit`` (straight line, scaled by the graph's
    smallest length/chord ratio, so no path is cut) of the batch's box, their induced subgraph with one
    virtual source per facility, one ``dijkstra(indices=virtual nodes, limit=...)`` call."""
    from scipy.sparse.csgraph import dijkstra

    from coverage_planner.network._sources import local_subgraph, with_virtual_sources

    n = graph.n_nodes

    def run():  # noqa: ANN202
        adj = graph.adjacency
        reach = limit / graph.min_length_ratio
        x, y = graph.node_x_m, graph.node_y_m
        g2l = np.full(n, -1, dtype=np.int64)
        out = []
        for b in _node_batches(graph, node, limit, batch):
            fx, fy = x[node[b]], y[node[b]]
            near = np.flatnonzero((x >= fx.min() - reach) & (x <= fx.max() + reach)
                                  & (y >= fy.min() - reach) & (y <= fy.max() + reach))  # fmt: skip
            sub = local_subgraph(adj, near, g2l)
            aug = with_virtual_sources(sub, np.arange(b.size), g2l[node[b]], np.zeros(b.size), b.size)
            d = dijkstra(aug, directed=True, indices=near.size + np.arange(b.size), limit=limit)[:, : near.size]
            g2l[near] = -1
            r, c = np.nonzero(np.isfinite(d))
            out.append((b[r], near[c], d[r, c]))
        return out

    return _timed(run)


def _pair_set(parts):  # noqa: ANN001, ANN202
    f = np.concatenate([p[0] for p in parts])
    v = np.concatenate([p[1] for p in parts])
    d = np.concatenate([p[2] for p in parts])
    order = np.lexsort((v, f))
    return f[order], v[order], d[order]


def _fca(graph, node, limit, batch=64):  # noqa: ANN001, ANN202
    """2SFCA with its setup: snapping every node as a demand point and the facilities, then two_step_fca."""
    from coverage_planner.network import snap_points, two_step_fca
    from coverage_planner.network.catchment import FCATuning

    def run():  # noqa: ANN202
        demand = snap_points(graph, graph.node_x_m, graph.node_y_m, max_snap_m=50)
        facs = snap_points(graph, graph.node_x_m[node], graph.node_y_m[node], max_snap_m=50)
        t = time.process_time()
        res = two_step_fca(graph, demand, np.ones(graph.n_nodes), facs, np.ones(node.size), catchment_m=limit,
                           tuning=FCATuning(batch_size=batch))  # fmt: skip
        return time.process_time() - t, res

    return _timed(run)


def _peak_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def fca_child(args: argparse.Namespace) -> None:
    """A fresh process: 2SFCA (setup included) once after a tiny first search, then best of --repeat; the
    growth of the peak RSS over the graph and case (VmHWM, cleared before the first 2SFCA)."""
    from coverage_planner.network.kernel import multi_source_search

    graph, node, _ = _case(args.nodes, args.facilities)
    _ = graph.csr, graph.adjacency
    t0 = time.perf_counter()
    one = (np.array([0, 1, 2]), np.array([1, 0], dtype=np.int32), np.ones(2))
    multi_source_search(one, (np.zeros(1, np.int64), np.zeros(1), np.zeros(1, np.int64)), limit_m=1.0)
    startup = time.perf_counter() - t0
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")
    with open("/proc/self/status") as fh:
        base = next(int(ln.split()[1]) / 1024 for ln in fh if ln.startswith("VmRSS:"))
    runs = [_fca(graph, node, args.distance_m, args.batch) for _ in range(1 + args.repeat)]
    print(json.dumps({"startup": startup, "first": runs[0][0], "first_cpu": runs[0][1], "first_fca": runs[0][2][0],
                      "warm": min(r[0] for r in runs[1:]), "warm_cpu": min(r[1] for r in runs[1:]),
                      "warm_fca": min(r[2][0] for r in runs[1:]), "peak_mb": _peak_mb() - base}))  # fmt: skip


def child(args: argparse.Namespace) -> None:
    """One fresh process: import, build the case, time each method once (the first run)."""
    t0 = time.perf_counter()
    import coverage_planner.network.kernel  # noqa: F401

    t_import = time.perf_counter() - t0
    graph, node, cost = _case(args.nodes, args.facilities)
    out = {"import": t_import}
    for name, fn, extra in (("kernel", _kernel, (cost,)), ("scipy", _scipy, (cost,)), ("catchments", _catchments, ())):  # noqa: E501
        wall, cpu, _ = fn(graph, node, *extra, args.distance_m)
        out[name], out[name + "_cpu"] = wall, cpu
    print(json.dumps(out))


def fresh(args: argparse.Namespace, cache_dir: str) -> dict[str, float]:
    env = dict(os.environ)
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
    ap.add_argument("--batch", type=int, default=64, help="facilities per catchment batch (2SFCA child)")
    ap.add_argument("--batches", default="32,64,256", help="batch sizes compared for catchments and 2SFCA")
    ap.add_argument("--parts", default="multi,catchments,fca", help="which parts to run")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--fca-child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args)
        return 0
    if args.fca_child:
        fca_child(args)
        return 0
    from coverage_planner.network import _bucket

    print(f"kernel benchmark: compiled searches {_bucket.__file__}, {os.cpu_count()} CPU(s), load {_load()}")
    parts = args.parts.split(",")
    same = multi(args) if "multi" in parts else True
    same_c = catchments(args) if "catchments" in parts else True
    if "fca" in parts:
        fca(args)
    return 0 if same and same_c else 1


def multi(args: argparse.Namespace) -> bool:
    """Walk access's multi-source search: a fresh process, then warm."""
    with tempfile.TemporaryDirectory() as cache:
        for what in ("compiled at install",):
            r = fresh(args, cache)
            print(f"first run, fresh process, {what}, load {_load()}: "
                  + ", ".join(f"{k} {r[k]:.3f} s wall {r[k + '_cpu']:.3f} s CPU" for k in ("kernel", "scipy", "catchments"))
                  + f"; scipy/kernel CPU {r['scipy_cpu'] / r['kernel_cpu']:.2f}x")  # fmt: skip
    graph, node, cost = _case(args.nodes, args.facilities)
    print(f"network: {graph.n_nodes:,} nodes, {graph.n_edges:,} edges, {node.size:,} facilities, "
          f"{args.distance_m:,.0f} m; shortest edge {graph.edge_length_m.min():.2f} m")  # fmt: skip
    best: dict[str, list[float]] = {"kernel": [], "kernel_cpu": [], "scipy": [], "scipy_cpu": []}
    for _ in range(args.repeat):
        tk, ck, dk = _kernel(graph, node, cost, args.distance_m)
        ts, cs, ds = _scipy(graph, node, cost, args.distance_m)
        for k, v in (("kernel", tk), ("kernel_cpu", ck), ("scipy", ts), ("scipy_cpu", cs)):
            best[k].append(v)
    b = {k: min(v) for k, v in best.items()}
    same = bool(np.array_equal(dk, ds))
    print(f"best of {args.repeat} warm, load {_load()}: kernel {b['kernel']:.3f} s wall {b['kernel_cpu']:.3f} s CPU, "
          f"scipy {b['scipy']:.3f} s wall {b['scipy_cpu']:.3f} s CPU; scipy/kernel {b['scipy'] / b['kernel']:.2f}x wall, "
          f"{b['scipy_cpu'] / b['kernel_cpu']:.2f}x CPU; identical distances: {same}")  # fmt: skip
    return same


def catchments(args: argparse.Namespace) -> bool:
    """Per-facility catchments (every node within the distance of each facility node): the kernel against
    scipy on local subgraphs, per batch size, best of --repeat warm in this process."""
    graph, node, _ = _case(args.nodes, args.facilities)
    _catch_kernel(graph, node[:8], args.distance_m)  # a first small search, not timed
    same = True
    for batch in (int(b) for b in args.batches.split(",")):
        tk, ck, ts, cs = [], [], [], []
        for _ in range(args.repeat):
            w, c, pk = _catch_kernel(graph, node, args.distance_m, batch)
            tk.append(w), ck.append(c)
            w, c, ps = _catch_scipy(graph, node, args.distance_m, batch)
            ts.append(w), cs.append(c)
        a, z = _pair_set(pk), _pair_set(ps)
        ok = all(np.array_equal(x, y) for x, y in zip(a, z, strict=True))
        same = same and ok
        print(f"catchments, batch {batch}, best of {args.repeat} warm, load {_load()}: kernel {min(tk):.3f} s wall "
              f"{min(ck):.3f} s CPU, scipy (local subgraphs) {min(ts):.3f} s wall {min(cs):.3f} s CPU; "
              f"scipy/kernel {min(cs) / min(ck):.2f}x CPU; {a[0].size:,} pairs, identical: {ok}")  # fmt: skip
    return same


def fca(args: argparse.Namespace) -> None:
    """2SFCA with its setup in a fresh process per batch size: time and peak memory."""
    for batch in (int(b) for b in args.batches.split(",")):
        cmd = [sys.executable, __file__, "--fca-child", "--nodes", str(args.nodes), "--facilities",
               str(args.facilities), "--distance-m", str(args.distance_m), "--repeat", str(args.repeat),
               "--batch", str(batch)]  # fmt: skip
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"2SFCA {args.facilities:,} facilities, {args.nodes:,} nodes (every node a demand point), "
              f"{args.distance_m:,.0f} m, batch {batch}, fresh process, load {_load()}: first tiny search "
              f"{r['startup']:.3f} s; first {r['first']:.3f} s wall {r['first_cpu']:.3f} s CPU (two_step_fca "
              f"{r['first_fca']:.3f} s, the rest snapping); best of {args.repeat} warm {r['warm']:.3f} s wall "
              f"{r['warm_cpu']:.3f} s CPU (two_step_fca {r['warm_fca']:.3f} s CPU); peak RSS growth "
              f"{r['peak_mb']:,.0f} MB")  # fmt: skip


if __name__ == "__main__":
    raise SystemExit(main())
