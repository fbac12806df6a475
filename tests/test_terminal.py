"""The terminal: the verdict table at any width never cuts an id or a unit; colour and bars only on a terminal."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner

from coverage_planner import progress_bar
from coverage_planner.cli.main import cli
from coverage_planner.model.scenario import load_scenario
from coverage_planner.render.status import TerminalReporter, terminal_reporter
from coverage_planner.render.text import render
from coverage_planner.studies.check import CheckRun, run_check

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def run() -> CheckRun:
    return run_check("2025", "demo", demo_scale=0.05, want_geo=False)


def _flat(text: str) -> str:
    """The text with line wrapping undone (a value wrapped in its column is read across lines)."""
    return re.sub(r"\s+", " ", ANSI.sub("", text))


@pytest.mark.parametrize("width", [None, 60, 80, 100, 160])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ids_and_units_are_never_cut(run: CheckRun, width: int | None, lang: str) -> None:
    text = render(run.results, run.meta(), lang=lang, width=width)
    table = text.split("\n\n")[1]
    lines = table.splitlines()
    for r in run.results:
        assert any(r.id in line.split() for line in lines), (width, r.id)  # whole, on one line
    assert "…" not in table
    unit = next(r for r in run.results if r.unit_en.startswith("childcare slots per"))
    words = (unit.unit_zh if lang == "zh" else unit.unit_en)
    assert words in _flat(table) or all(w in _flat(table) for w in words.split())
    if width is not None:
        from coverage_planner.model.words import display_width

        assert max(display_width(line) for line in lines) <= width
    else:  # piped: one line per target
        assert len(lines) == len(run.results) + 1


def test_title_and_headers_in_the_chosen_language(run: CheckRun) -> None:
    zh = render(run.results, run.meta(), lang="zh")
    assert zh.startswith("规划指标核查 — 2025 年情景") and "注意:合成演示数据" in zh
    assert "status" not in zh.split("\n\n")[1].splitlines()[0]
    en = render(run.results, run.meta(), lang="en")
    n_targets = len(load_scenario("2025").targets)
    assert en.startswith("coverage check — scenario 2025") and f"{n_targets} targets:" in en


def test_colour_only_when_asked(run: CheckRun) -> None:
    plain = render(run.results, run.meta(), width=120)
    coloured = render(run.results, run.meta(), width=120, colour=True)
    assert not ANSI.search(plain)
    assert "\x1b[1;31m" in coloured and "\x1b[1;32m" in coloured  # FAIL red, PASS green
    assert ANSI.sub("", coloured).split() == plain.split()


def test_piped_cli_output_is_plain(tmp_path) -> None:
    r = CliRunner().invoke(cli, ["check", "-s", "2025", "--demo-scale", "0.05", "--exit-zero"])
    assert r.exit_code == 0 and not ANSI.search(r.output)


class _Recorder:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def start(self, key: str, total: int | None) -> str:
        self.events.append(("start", key, total))
        return key

    def advance(self, handle: str, n: int) -> None:
        self.events.append(("advance", handle, n))

    def stop(self, handle: str) -> None:
        self.events.append(("stop", handle))


def test_library_steps_reach_an_installed_reporter() -> None:
    from coverage_planner._io import network_cache_dir

    for cached in network_cache_dir().glob("snap-*.npz"):  # snaps are cached with the network: make this run snap
        cached.unlink()
    rec = _Recorder()
    with progress_bar.use_reporter(rec):
        run_check("2025", "demo", demo_scale=0.05, want_geo=False, targets=["fitness-15min-circle",
                                                                             "childcare-slots-per-1000"])
    keys = [e[1] for e in rec.events if e[0] == "start"]
    assert "step.check" in keys and "step.snap" in keys
    assert ("start", "step.check", 2) in rec.events
    assert sum(e == ("advance", "step.check", 1) for e in rec.events) == 2
    assert [e[1] for e in rec.events if e[0] == "stop"].count("step.check") == 1
    assert progress_bar.reporter() is None  # uninstalled after the block


def test_bars_only_on_a_terminal_and_not_when_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert terminal_reporter(stream=io.StringIO()) is None  # a pipe or a file
    assert terminal_reporter(stream=Tty(), quiet=True) is None
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert isinstance(terminal_reporter(stream=Tty(), lang="zh"), TerminalReporter)
    monkeypatch.setenv("TERM", "dumb")
    assert terminal_reporter(stream=Tty()) is None


def test_a_short_step_draws_nothing_and_labels_follow_the_language() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    rep = TerminalReporter(lang=lambda: "zh", stream=out, delay_s=60.0)
    with progress_bar.use_reporter(rep), progress_bar.step("step.network"):
        pass
    assert out.getvalue() == ""  # under the delay: silent
    out = Tty()
    rep = TerminalReporter(lang="zh", stream=out, delay_s=3600.0)
    task = rep.start("step.network", None)
    rep._show(task)  # what the timer does after the delay, done here: no race with a clock
    rep._progress.refresh()
    rep.stop(task)
    assert "构建步行路网" in ANSI.sub("", out.getvalue())
