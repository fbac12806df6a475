"""Walking-coverage benchmark: this engine against OSMnx's isochrone recipe and pandana.

Generated city-like networks (an 80 m street grid with jitter, 12 % of streets removed, a meandering
river crossed only by bridges every 2 km) of about 10k, 100k and 500k nodes, with 200, 2,000 and
10,000 facilities on random nodes. Every method answers the same question: which nodes lie within
``--distance-m`` (default 1,000 m, the 15-minute circle) of network distance of some facility.

* **this engine**: ``WalkGraph.from_edges`` + ``snap_points`` (setup), one bounded multi-source
  Dijkstra (``facility_node_distance_m``) (query); also all per-facility catchments
  (``catchment_pairs``, what 2SFCA needs).
* **OSMnx isochrone example**: a networkx graph (setup), then ``networkx.ego_graph(G, node,
  radius=distance, distance="length")`` per facility and the union of their nodes (query). When the
  whole run would exceed ``--ego-budget-s``, a sample of facilities is timed and the total is
  EXTRAPOLATED (the table says so); agreement is then checked on the sample.
* **pandana**: ``Network(...)`` (contraction hierarchy) + ``precompute(distance)`` (setup), then
  ``set_pois`` + ``nearest_pois`` (query).

Each method runs in a forked child process; "peak MB" is the growth of that process's peak resident
memory (VmHWM, reset at the start), so C++ allocations (pandana) count too. Agreement is checked at the
node level against this engine. Timings are wall-clock on a shared 2-core machine: they are noisy.

Run::

    .venv/bin/python benchmarks/network_access.py --quick           # 10k only, < 1 min
    .venv/bin/python benchmarks/network_access.py                   # 10k, 100k, 500k
    .venv/bin/python benchmarks/network_access.py --sizes 100k --load   # also OSM file loading
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coverage_planner.network import (
    WalkGraph,
    catchment_pairs,
    facility_node_distance_m,
    nearest_facility_distance_m,
    snap_points,
    two_step_fca,
)
from coverage_planner.network.synthetic import city_network  # noqa: E402

FACILITIES = {10_000: 200, 100_000: 2_000, 500_000: 10_000}


# ---------------------------------------------------------------------- measurement harness
def _vm(key: str) -> float:
    """VmRSS / VmHWM of this process in MB (Linux)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass


@dataclass
class Run:
    setup_s: float = float("nan")
    query_s: float = float("nan")
    peak_mb: float = float("nan")
    covered: np.ndarray | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    error: str = ""


def _child(fn: Callable[[], Run], conn: Any) -> None:
    _reset_peak()
    base = _vm("VmRSS")
    try:
        run = fn()
    except Exception as exc:  # report, don't crash the benchmark
        run = Run(error=f"{type(exc).__name__}: {exc}")
    run.peak_mb = _vm("VmHWM") - base
    conn.send(run)
    conn.close()


def in_child(fn: Callable[[], Run], timeout_s: float) -> Run:
    """Run ``fn`` in a forked process; measure its peak memory growth; stop it after ``timeout_s``."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, child))
    proc.start()
    child.close()
    run = parent.recv() if parent.poll(timeout_s) else Run(error=f"stopped after {timeout_s:.0f} s")
    proc.join(5)
    if proc.is_alive():
        proc.kill()
        proc.join()
    return run


# ---------------------------------------------------------------------- the methods
@dataclass(frozen=True)
class Case:
    label: str
    graph: WalkGraph
    fac_nodes: np.ndarray
    distance_m: float


def run_engine_best(case: Case, repeat: int) -> Run:
    """Best of ``repeat`` runs in one process (the first run of a fresh process also pays page faults)."""
    runs = [run_engine(case) for _ in range(max(1, repeat))]
    best = min(runs, key=lambda r: r.setup_s + r.query_s)
    best.extra["first"] = (runs[0].setup_s, runs[0].query_s)
    return best


def run_engine(case: Case, fac_nodes: np.ndarray | None = None) -> Run:
    g = case.graph
    nodes = case.fac_nodes if fac_nodes is None else fac_nodes
    t0 = time.perf_counter()
    graph = WalkGraph.from_edges(
        g.node_x_m, g.node_y_m, g.edge_u, g.edge_v, crs=g.crs, edge_length_m=g.edge_length_m
    )  # from plain arrays, as after loading
    facs = snap_points(graph, graph.node_x_m[nodes], graph.node_y_m[nodes], max_snap_m=50)
    t1 = time.perf_counter()
    d = facility_node_distance_m(graph, facs, cutoff_m=case.distance_m)
    t2 = time.perf_counter()
    assert isinstance(d, np.ndarray)
    return Run(setup_s=t1 - t0, query_s=t2 - t1, covered=d <= case.distance_m)


def run_engine_catchments(case: Case) -> Run:
    g = case.graph
    t0 = time.perf_counter()
    graph = WalkGraph.from_edges(
        g.node_x_m, g.node_y_m, g.edge_u, g.edge_v, crs=g.crs, edge_length_m=g.edge_length_m
    )
    facs = snap_points(graph, graph.node_x_m[case.fac_nodes], graph.node_y_m[case.fac_nodes], max_snap_m=50)
    demand = snap_points(graph, graph.node_x_m, graph.node_y_m, max_snap_m=50)
    t1 = time.perf_counter()
    pairs = catchment_pairs(graph, demand, facs, cutoff_m=case.distance_m)
    t2 = time.perf_counter()
    return Run(
        setup_s=t1 - t0, query_s=t2 - t1, covered=pairs.demand_reached(), extra={"pairs": pairs.n_pairs}
    )


def _nx_graph(g: WalkGraph) -> Any:
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(range(g.n_nodes))
    G.add_weighted_edges_from(
        zip(g.edge_u.tolist(), g.edge_v.tolist(), g.edge_length_m.tolist(), strict=True), weight="length"
    )
    return G


def run_ego(case: Case, budget_s: float) -> Run:
    import networkx as nx

    t0 = time.perf_counter()
    G = _nx_graph(case.graph)
    t1 = time.perf_counter()
    covered = np.zeros(case.graph.n_nodes, dtype=bool)
    done = 0
    per_facility: list[np.ndarray] = []
    for node in case.fac_nodes.tolist():
        sub = nx.ego_graph(G, node, radius=case.distance_m, distance="length")
        reached = np.fromiter(sub.nodes, dtype=np.int64)
        covered[reached] = True
        if done < 50:
            per_facility.append(reached)
        done += 1
        if time.perf_counter() - t1 > budget_s and done < case.fac_nodes.size:
            break
    t2 = time.perf_counter()
    query = t2 - t1
    note = ""
    if done < case.fac_nodes.size:
        query = query / done * case.fac_nodes.size
        note = f"EXTRAPOLATED from {done:,} of {case.fac_nodes.size:,} facilities"
    return Run(
        setup_s=t1 - t0,
        query_s=query,
        covered=covered,
        note=note,
        extra={"done": done, "per_facility": per_facility},
    )


def run_pandana(case: Case) -> Run:
    import pandana
    import pandas as pd

    g = case.graph
    t0 = time.perf_counter()
    net = pandana.Network(
        pd.Series(g.node_x_m),
        pd.Series(g.node_y_m),
        pd.Series(g.edge_u),
        pd.Series(g.edge_v),
        pd.DataFrame({"length": g.edge_length_m}),
        twoway=True,
    )
    net.precompute(case.distance_m)
    t1 = time.perf_counter()
    net.set_pois(
        "fac",
        case.distance_m,
        1,
        pd.Series(g.node_x_m[case.fac_nodes]),
        pd.Series(g.node_y_m[case.fac_nodes]),
    )
    d = net.nearest_pois(case.distance_m, "fac", num_pois=1)
    t2 = time.perf_counter()
    dist = np.full(g.n_nodes, np.inf)
    dist[d.index.to_numpy()] = d.iloc[:, 0].to_numpy()
    return Run(setup_s=t1 - t0, query_s=t2 - t1, covered=dist < case.distance_m)


# ---------------------------------------------------------------------- reporting
def _fmt_s(s: float) -> str:
    if not np.isfinite(s):
        return "-"
    if s < 1:
        return f"{s * 1000:.1f} ms"
    return f"{s:.2f} s"


def _fmt_mb(mb: float) -> str:
    return "-" if not np.isfinite(mb) else f"{max(mb, 0):,.0f}"


def _ratio(other: Run, ours: Run) -> str:
    a = other.setup_s + other.query_s
    b = ours.setup_s + ours.query_s
    if not (np.isfinite(a) and np.isfinite(b)) or b <= 0:
        return "-"
    return (
        f"{a / b:,.0f}x ({other.query_s / ours.query_s:,.0f}x query)"
        if ours.query_s > 0
        else f"{a / b:,.0f}x"
    )


def _agree(a: np.ndarray | None, b: np.ndarray | None) -> str:
    if a is None or b is None:
        return "-"
    return f"{int((a != b).sum()):,} of {a.size:,}"


def bench_size(n_nodes: int, args: argparse.Namespace) -> list[list[str]]:
    n_fac = FACILITIES.get(n_nodes, max(1, n_nodes // 50))
    t = time.perf_counter()
    graph = city_network(n_nodes, seed=1)
    gen_s = time.perf_counter() - t
    rng = np.random.default_rng(7)
    fac_nodes = rng.choice(graph.n_nodes, size=n_fac, replace=False)
    case = Case(f"{n_nodes // 1000}k", graph, fac_nodes, args.distance_m)
    label = f"{case.label} ({graph.n_nodes:,} nodes, {graph.n_edges:,} edges, {n_fac:,} fac.)"
    print(f"\n{label}: network generated in {gen_s:.1f} s", flush=True)
    ours = in_child(lambda: run_engine_best(case, args.repeat), args.timeout_s)
    first = ours.extra.get("first", (float("nan"), float("nan")))
    print(
        f"  engine: {_fmt_s(ours.setup_s)} + {_fmt_s(ours.query_s)} (best of {args.repeat}; "
        f"first run {_fmt_s(first[0])} + {_fmt_s(first[1])})",
        flush=True,
    )
    catch = in_child(lambda: run_engine_catchments(case), args.timeout_s)
    print(f"  engine catchments: {_fmt_s(catch.setup_s)} + {_fmt_s(catch.query_s)}", flush=True)
    ego = in_child(lambda: run_ego(case, args.ego_budget_s), args.timeout_s + args.ego_budget_s)
    print(f"  ego graphs: {_fmt_s(ego.setup_s)} + {_fmt_s(ego.query_s)} {ego.note}", flush=True)
    pan = Run(error="skipped")
    if not args.no_pandana and graph.n_nodes <= args.pandana_max_nodes:
        pan = in_child(lambda: run_pandana(case), args.timeout_s)
        print(f"  pandana: {_fmt_s(pan.setup_s)} + {_fmt_s(pan.query_s)} {pan.error}", flush=True)
    # agreement: ego on its (possibly sampled) facilities vs the engine on the same facilities
    ego_ref = ours.covered
    catch_bad = "-"
    if ego.covered is not None:
        done = ego.extra["done"]
        if done < n_fac:
            ego_ref = run_engine(case, fac_nodes[:done]).covered
        # per-facility catchments vs ego graphs (first facilities)
        demand = snap_points(graph, graph.node_x_m, graph.node_y_m, max_snap_m=50)
        k = len(ego.extra["per_facility"])
        facs = snap_points(graph, graph.node_x_m[fac_nodes[:k]], graph.node_y_m[fac_nodes[:k]], max_snap_m=50)
        pairs = catchment_pairs(graph, demand, facs, cutoff_m=args.distance_m)
        bad = 0
        for j, reached in enumerate(ego.extra["per_facility"]):
            mine = set(pairs.demand[pairs.facility == j].tolist())
            bad += len(mine.symmetric_difference(reached.tolist()))
        catch_bad = f"{bad:,} node(s) in {k} catchments"
    rows = [
        [
            label, "this engine: coverage", _fmt_s(ours.setup_s), _fmt_s(ours.query_s), _fmt_mb(ours.peak_mb), "1x",
            "reference", ours.error or f"best of {args.repeat}; first run {_fmt_s(first[0])} + {_fmt_s(first[1])}",
        ],
        [
            "", "this engine: all catchments", _fmt_s(catch.setup_s), _fmt_s(catch.query_s), _fmt_mb(catch.peak_mb),
            "-", f"{_agree(catch.covered, ours.covered)}; vs ego: {catch_bad}",
            f"{catch.extra.get('pairs', 0):,} pairs" + (f" {catch.error}" if catch.error else ""),
        ],
        [
            "", "OSMnx ego_graph per facility", _fmt_s(ego.setup_s), _fmt_s(ego.query_s), _fmt_mb(ego.peak_mb),
            _ratio(ego, ours), _agree(ego.covered, ego_ref), ego.note or ego.error,
        ],
        [
            "", "pandana nearest_pois", _fmt_s(pan.setup_s), _fmt_s(pan.query_s), _fmt_mb(pan.peak_mb),
            _ratio(pan, ours), _agree(pan.covered, ours.covered), pan.error,
        ],
    ]  # fmt: skip
    if args.pipeline:
        rows += pipeline_rows(graph, n_fac, args)
    return rows


def pipeline_rows(graph: WalkGraph, n_fac: int, args: argparse.Namespace) -> list[list[str]]:
    """The target workload: cached network load, ~2 demand cells per node snapped, 5 facility types."""

    def work() -> Run:
        with tempfile.TemporaryDirectory() as tmp:
            path = graph.save(Path(tmp) / "g.npz", key="bench")
            t0 = time.perf_counter()
            g = WalkGraph.load(path, key="bench")
            t_load = time.perf_counter() - t0
        rng = np.random.default_rng(3)
        n_cells = 2 * g.n_nodes
        x = rng.uniform(g.node_x_m.min(), g.node_x_m.max(), n_cells)
        y = rng.uniform(g.node_y_m.min(), g.node_y_m.max(), n_cells)
        t0 = time.perf_counter()
        cells = snap_points(g, x, y, max_snap_m=300)
        t_snap = time.perf_counter() - t0
        t0 = time.perf_counter()
        for k in range(5):
            fx = rng.uniform(g.node_x_m.min(), g.node_x_m.max(), n_fac)
            fy = rng.uniform(g.node_y_m.min(), g.node_y_m.max(), n_fac)
            facs = snap_points(g, fx, fy, max_snap_m=300)
            nearest_facility_distance_m(g, cells, facs, cutoff_m=(300, 500, 1000, 1000, 3750)[k])
        t_types = time.perf_counter() - t0
        t0 = time.perf_counter()
        two_step_fca(g, cells, np.ones(n_cells), facs, np.ones(n_fac), catchment_m=500)
        t_fca = time.perf_counter() - t0
        return Run(
            setup_s=t_load + t_snap,
            query_s=t_types + t_fca,
            extra={"load": t_load, "snap": t_snap, "types": t_types, "fca": t_fca, "cells": n_cells},
        )

    r = in_child(work, args.timeout_s * 3)
    if r.error:
        return [["", "pipeline", "-", "-", "-", "-", "-", r.error]]
    e = r.extra
    return [
        [
            "", f"pipeline: npz load {_fmt_s(e['load'])} + snap {e['cells']:,} cells {_fmt_s(e['snap'])}",
            _fmt_s(r.setup_s), _fmt_s(r.query_s), _fmt_mb(r.peak_mb), "-", "-",
            f"5 facility types {_fmt_s(e['types'])}, 2SFCA 500 m {_fmt_s(e['fca'])}",
        ]
    ]  # fmt: skip


def print_table(rows: list[list[str]]) -> None:
    head = [
        "network",
        "method",
        "setup",
        "query",
        "peak MB",
        "time vs engine",
        "covered nodes differing",
        "note",
    ]
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    line = "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))
    print("\n" + line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))


def bench_load(n_nodes: int, args: argparse.Namespace) -> None:
    """Reading an OSM XML file: the fast reader vs OSMnx (graph_from_xml + simplify + consolidate)."""
    from coverage_planner.network.load import load_walk_network
    from coverage_planner.network.synthetic import write_osm_xml

    graph = city_network(n_nodes, seed=3)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_osm_xml(graph, Path(tmp) / "city.osm", shape_points=2)
        size_mb = path.stat().st_size / 1e6
        print(f"\nOSM XML load, {n_nodes // 1000}k-intersection city ({size_mb:.0f} MB, 2 bends per street):")
        for reader in ("fast", "osmnx"):
            if reader == "osmnx" and n_nodes > args.osmnx_load_max_nodes:
                print(f"  osmnx: skipped above {args.osmnx_load_max_nodes:,} nodes (--osmnx-load-max-nodes)")
                continue

            def work(reader: str = reader, path: Path = path) -> Run:
                t0 = time.perf_counter()
                g = load_walk_network(path, crs=graph.crs, reader=reader)
                return Run(setup_s=time.perf_counter() - t0, note=g.summary())

            r = in_child(work, args.timeout_s * 4)
            print(f"  {reader:6s} {_fmt_s(r.setup_s):>9s}  peak {_fmt_mb(r.peak_mb)} MB  {r.note or r.error}")


def _parse_sizes(text: str) -> list[int]:
    out = []
    for part in text.split(","):
        p = part.strip().lower()
        out.append(int(float(p[:-1]) * 1000) if p.endswith("k") else int(p))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10k,100k,500k", help="network sizes (nodes), e.g. 10k,100k")
    ap.add_argument("--quick", action="store_true", help="10k only, small budgets (< 1 min)")
    ap.add_argument("--distance-m", type=float, default=1000.0)
    ap.add_argument(
        "--ego-budget-s", type=float, default=20.0, help="time for ego graphs before extrapolating"
    )
    ap.add_argument("--timeout-s", type=float, default=900.0, help="stop a method after this long")
    ap.add_argument("--repeat", type=int, default=3, help="runs of this engine (best is reported)")
    ap.add_argument("--no-pandana", action="store_true")
    ap.add_argument("--pandana-max-nodes", type=int, default=10**9)
    ap.add_argument("--pipeline", action="store_true", help="also time the whole target workload per size")
    ap.add_argument("--load", action="store_true", help="also time OSM XML loading (fast reader vs OSMnx)")
    ap.add_argument("--osmnx-load-max-nodes", type=int, default=20_000)
    args = ap.parse_args(argv)
    sizes = [10_000] if args.quick else _parse_sizes(args.sizes)
    if args.quick:
        args.ego_budget_s = min(args.ego_budget_s, 5.0)
    try:
        import pandana  # noqa: F401
    except Exception as exc:  # pandana may not build or import on numpy 2
        print(f"pandana unavailable ({type(exc).__name__}: {exc}); its rows are skipped")
        args.no_pandana = True
    print(
        f"network access benchmark: {platform.python_version()}, numpy {np.__version__}, "
        f"{os.cpu_count()} CPU(s), walking distance {args.distance_m:,.0f} m"
    )
    rows: list[list[str]] = []
    for n in sizes:
        rows += bench_size(n, args)
    print_table(rows)
    print(
        "\nsetup: engine = CSR graph + edge index from arrays + snapping facilities (best of --repeat runs in "
        "one process; the first run is in the note); ego = networkx graph build; "
        "pandana = contraction hierarchy + precompute(distance).\n"
        "peak MB = growth of the worker process's peak RSS. 'covered nodes differing' compares each method's "
        "covered node set with this engine's (on the same facilities)."
    )
    if args.load:
        for n in sizes:
            bench_load(n, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
