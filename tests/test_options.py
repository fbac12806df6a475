"""The option registry: shared options mean the same and accept the same values in every command."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import write_tiny

from coverage_planner.cli import options
from coverage_planner.cli.main import cli
from coverage_planner.render.web.assets import ASSET_MODES
from coverage_planner.render.web.tiles import TILE_CHOICES


def _commands() -> dict[str, click.Command]:
    out = {name: cmd for name, cmd in cli.commands.items() if not isinstance(cmd, click.Group)}
    out["layers import"] = cli.commands["layers"].commands["import"]
    return out


def _option(cmd: click.Command, name: str) -> click.Option | None:
    return next((p for p in cmd.params if isinstance(p, click.Option) and name in p.opts), None)


#: Flag -> its short form, wherever the flag exists.
SHORT = {"--scenario": "-s", "--layers": "-l", "--target": "-t", "--format": "-f"}
#: Commands that write map pages, and so have --tiles, --tianditu-key, --lang and --assets.
PAGE_COMMANDS = ("map", "site", "progress", "compare")


def test_registry_matches_the_renderers() -> None:
    assert options.TILES == TILE_CHOICES
    assert options.ASSET_MODES == ASSET_MODES


@pytest.mark.parametrize("name", sorted(_commands()))
def test_shared_options_are_the_same_everywhere(name: str) -> None:
    cmd = _commands()[name]
    for flag, short in SHORT.items():
        opt = _option(cmd, flag)
        if opt is not None and not (flag == "--scenario" and name == "progress"):
            assert short in opt.opts, (name, flag)
    lang = _option(cmd, "--lang")
    if lang is not None:
        assert tuple(lang.type.choices) == options.LANGS and lang.default == "en"
    fmt = _option(cmd, "--format")
    if fmt is not None:
        assert set(fmt.type.choices) <= set(options.FORMATS) and fmt.default == "text"
        assert all(options.FORMATS[c] in fmt.help for c in fmt.type.choices)  # one description per format name
    out = _option(cmd, "--out")
    if out is not None:
        assert "-o" in out.opts, name
    if name in PAGE_COMMANDS:
        tiles, assets = _option(cmd, "--tiles"), _option(cmd, "--assets")
        assert tuple(tiles.type.choices) == options.TILES and tiles.default == "osm"
        assert _option(cmd, "--tianditu-key").envvar == "TIANDITU_KEY"
        assert isinstance(assets.type, options.AssetsParam) and assets.default == "folder"
        assert lang is not None


def test_the_commands_that_lacked_options_have_them() -> None:
    cmds = _commands()
    assert "-o" in _option(cmds["fetch"], "--out").opts
    assert "-l" in _option(cmds["layers import"], "--layers").opts
    assert {"gpkg", "parquet", "xlsx", "brief"} <= set(_option(cmds["check"], "--format").type.choices)


@pytest.mark.parametrize("args", [
    ["map", "-s", "2025", "-o", "{tmp}/m", "--tiles", "tianditu"],
    ["progress", "-s", "2020", "-s", "2025", "--maps", "{tmp}/m", "--tiles", "tianditu"],
    ["site", "-s", "2025", "-t", "x", "--tiles", "tianditu"],
    ["compare", "-s", "2025", "--with", "planned", "--map", "{tmp}/m", "--tiles", "tianditu"],
])
def test_tianditu_without_key_fails_before_any_work(args: list[str], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    res = CliRunner().invoke(cli, [a.format(tmp=tmp_path) for a in args])
    assert res.exit_code == 2 and "needs a key" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(cli, [a.format(tmp=tmp_path) for a in args] + ["--tianditu-key", "a b"])
    assert res.exit_code == 2 and "is not a key" in res.output
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("command", PAGE_COMMANDS)
def test_assets_accepts_a_mode_or_a_folder(command: str, tmp_path: Path) -> None:
    base = {"map": ["-s", "2025", "-o", str(tmp_path / "m")], "site": ["-s", "2025", "-t", "x"],
            "progress": ["-s", "2020", "-s", "2025"], "compare": ["-s", "2025"]}[command]
    res = CliRunner().invoke(cli, [command, *base, "--assets", str(tmp_path / "nowhere")])
    assert res.exit_code == 2 and "neither folder, inline, cdn nor a folder" in res.output
    param = _option(_commands()[command], "--assets").type
    assert param.convert("inline", None, None) == "inline"
    assert param.convert(str(tmp_path), None, None) == tmp_path


def test_doctor_prints_words_not_python(tmp_path: Path) -> None:
    layers = write_tiny(tmp_path / "tiny")
    res = CliRunner().invoke(cli, ["doctor", "-l", str(layers), "--no-networks"])
    assert "{" not in res.output and "'" not in res.output, res.output
    assert "[ok] facilities hospital: 2 features: 1 existing, 1 planned" in res.output
    assert "[ok] facilities shelter: 1 feature: 1 existing" in res.output  # one park: singular
