"""Many cities at once: one Dask task per layer set on a LocalCluster, against the sequential single runs."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path

import distributed
import pytest
from click.testing import CliRunner

from coverage_planner.cli.main import cli
from coverage_planner.network import WalkGraph
from coverage_planner.sources.demo import DEMO_VERSION
from coverage_planner.studies.many import check_city, check_many, expand_layer_values, many_exit_code

SCALE = 0.03
SEEDS = (11, 12, 13)


def _local_cluster(tmp_path_factory: pytest.TempPathFactory, n_workers: int):
    """A LocalCluster whose worker processes use the tests' cache folder (they inherit the environment)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COVERAGE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))  # as conftest's
        return distributed.LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                                        dashboard_address=":0", silence_logs=logging.ERROR)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    """Two worker processes with one thread each, as a province's run on one machine would use."""
    with _local_cluster(tmp_path_factory, 2) as c:
        yield c


def _without_seconds(doc: object) -> object:
    """The JSON report minus ``details.seconds``, the one field the README documents as run-dependent."""
    if isinstance(doc, dict):
        return {k: _without_seconds(v) for k, v in doc.items() if k != "seconds"}
    if isinstance(doc, list):
        return [_without_seconds(v) for v in doc]
    return doc


def test_three_cities_and_a_bad_one_on_two_workers(cluster, tmp_path: Path) -> None:
    runner = CliRunner()
    cities = [f"demo:{SCALE}:{seed}" for seed in SEEDS]
    bad = tmp_path / "broken-city"
    bad.mkdir()
    (bad / "manifest.yaml").write_text("name: Broken\nlayers: [unclosed\n", encoding="utf-8")

    sequential = {}
    for layers in cities:
        res = runner.invoke(cli, ["check", "-s", "2025", "--layers", layers])
        assert res.exit_code == 1, res.output  # every demo city fails some 2025 targets
        sequential[layers] = res.stdout
    assert len(set(sequential.values())) == 3  # different seeds, different cities

    out = tmp_path / "reports"
    res = runner.invoke(cli, ["check", "-s", "2025", *sum((["--layers", v] for v in [*cities, str(bad)]), []),
                              "--scheduler", cluster.scheduler_address, "--out", str(out)])
    assert res.exit_code == 2, res.output  # one layer set had bad input
    for layers, name in zip(cities, ["demo-0.03-11", "demo-0.03-12", "demo-0.03-13"], strict=True):
        assert (out / name / "report.txt").read_text(encoding="utf-8") == sequential[layers]
    error = (out / "broken-city" / "error.txt").read_text(encoding="utf-8")
    assert str(bad) in error and "YAML" in error
    assert f"Error: {error.strip()}" in res.stderr
    assert "1 of 4 layer sets failed" in res.stderr

    rows = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8")))
    assert [r["city"] for r in rows] == ["demo-0.03-11", "demo-0.03-12", "demo-0.03-13", "broken-city"]
    assert [r["state"] for r in rows] == ["ok", "ok", "ok", "bad_input"]
    first = sequential[cities[0]]
    n_fail = int(rows[0]["fail"])
    assert f"{n_fail} fail" in first.splitlines()[3]  # "50 targets: 14 pass, 36 fail, 0 no data"
    assert rows[0]["childcare-slots-per-1000"] in {"pass", "fail", "no_data"}
    assert "| C4 | broken-city | BAD INPUT |" in res.stdout


def test_json_reports_match_apart_from_seconds_and_exit_1(cluster, tmp_path: Path) -> None:
    runner = CliRunner()
    cities = [f"demo:{SCALE}:{seed}" for seed in SEEDS]
    out = tmp_path / "json"
    res = runner.invoke(cli, ["check", "-s", "2025", "-f", "json", *sum((["-l", v] for v in cities), []),
                              "--scheduler", cluster.scheduler_address, "--out", str(out)])
    assert res.exit_code == 1, res.output  # no bad input, targets fail
    for layers in cities:
        alone = runner.invoke(cli, ["check", "-s", "2025", "-f", "json", "--layers", layers])
        name = layers.replace(":", "-")
        many = (out / name / "report.json").read_text(encoding="utf-8")
        assert _without_seconds(json.loads(many)) == _without_seconds(json.loads(alone.stdout))


def test_exit_codes_of_many_cities(tmp_path: Path) -> None:
    ok = check_city(f"demo:{SCALE}:{SEEDS[0]}", "a", "2025", targets=["emergency-broadcast-coverage"])
    failing = check_city(f"demo:{SCALE}:{SEEDS[0]}", "b", "2025", targets=["childcare-slots-per-1000"])
    missing = check_city(str(tmp_path / "nowhere"), "c", "2025")
    assert (ok.state, ok.exit_code, failing.exit_code) == ("ok", 0, 1)
    assert missing.state == "bad_input" and str(tmp_path / "nowhere") in missing.message
    assert many_exit_code([ok]) == 0
    assert many_exit_code([ok, failing]) == 1
    assert many_exit_code([ok, failing], exit_zero=True) == 0
    assert many_exit_code([ok, failing, missing], exit_zero=True) == 2


def test_globs_expand_in_order_and_a_glob_matching_nothing_stays(tmp_path: Path) -> None:
    for name in ("b", "a"):
        (tmp_path / name).mkdir()
    got = expand_layer_values([f"{tmp_path}/*/", "demo", str(tmp_path / "zz*")])
    assert got == [str(tmp_path / "a") + "/", str(tmp_path / "b") + "/", "demo", str(tmp_path / "zz*")]


def test_sequential_scheduler_needs_no_dask_and_gives_the_same_outcomes(cluster) -> None:
    values = [f"demo:{SCALE}:{SEEDS[0]}", f"demo:{SCALE}:{SEEDS[1]}"]
    seq = check_many(values, "2025", scheduler="sequential", targets=["childcare-slots-per-1000"])
    dask = check_many(values, "2025", scheduler=cluster.scheduler_address, targets=["childcare-slots-per-1000"])
    assert seq == dask


def test_four_workers_build_one_demo_city_and_one_network_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Four workers check the same not-yet-built demo city at once: one build, one cache entry, same reports."""
    cache = tmp_path_factory.getbasetemp() / "cache"
    layers = f"demo:{SCALE}:99"
    (cache / "networks").mkdir(parents=True, exist_ok=True)
    before = set((cache / "networks").iterdir())
    with _local_cluster(tmp_path_factory, 4) as c, distributed.Client(c) as client:
        addrs = sorted(client.scheduler_info()["workers"])
        assert len(addrs) == 4
        futures = [client.submit(check_city, layers, "x", "2025", targets=["fitness-15min-circle"], pure=False,
                                 workers=[a], allow_other_workers=False, key=f"same-city-{i}")
                   for i, a in enumerate(addrs)]
        outcomes = client.gather(futures)
    assert {o.state for o in outcomes} == {"ok"}
    assert len({o.report for o in outcomes}) == 1
    assert "fitness-15min-circle" in outcomes[0].report
    built = sorted(p.name for p in cache.iterdir() if "seed99" in p.name)
    assert built == [f".demo-v{DEMO_VERSION}-scale0.03-seed99.lock", f"demo-v{DEMO_VERSION}-scale0.03-seed99"]  # no temp left
    new = sorted(set((cache / "networks").iterdir()) - before)
    assert not [p.name for p in new if p.name.endswith(".tmp") or p.name.startswith(".")]  # no temporary left
    networks = [p for p in new if not p.name.startswith("snap-")]  # snaps are cached beside the network
    assert [p.name.split("-")[:2] for p in networks] == [["walk", "walk"]]  # one network entry for four workers
    assert len({p.name for p in new if p.name.startswith("snap-")}) == len([p for p in new if p.name.startswith("snap-")])
    assert WalkGraph.load(networks[0]).n_edges > 0  # complete: its checksum verifies


def test_maps_of_many_cities_match_the_single_city_maps(cluster, tmp_path: Path) -> None:
    runner = CliRunner()
    opts = ["-s", "2025", "-t", "childcare-slots-per-1000", "--tiles", "none"]
    alone = runner.invoke(cli, ["map", *opts, "-l", f"demo:{SCALE}:{SEEDS[0]}", "--out", str(tmp_path / "one")])
    assert alone.exit_code == 0, alone.output
    res = runner.invoke(cli, ["map", *opts, "-l", f"demo:{SCALE}:{SEEDS[0]}", "-l", str(tmp_path / "missing"),
                              "--scheduler", cluster.scheduler_address, "--out", str(tmp_path / "many")])
    assert res.exit_code == 2, res.output
    assert str(tmp_path / "missing") in res.stderr and "1 of 2 layer sets failed" in res.stderr
    def files(root: Path) -> list[str]:  # the pages, and Leaflet in assets/ beside them
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())

    one = files(tmp_path / "one")
    assert "assets/leaflet.js" in one and one == files(tmp_path / "many" / "demo-0.03-11")
    for name in one:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "many" / "demo-0.03-11" / name).read_bytes()
    assert not (tmp_path / "many" / "missing").exists()
