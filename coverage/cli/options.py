"""The option registry: every option shared by several commands is defined here, once.

An option means the same and accepts the same values in every command that has it (as rasterio's
``rio`` does): ``-s/--scenario``, ``-l/--layers``, ``-t/--target``, ``-o/--out``, ``-f/--format``,
``--lang``, ``--tiles`` (with ``--tianditu-key``) and ``--assets``. Commands differ only in the help
text of ``--out`` (a file or a folder) and in which ``--format`` names apply to them; a format name
means the same everywhere (:data:`FORMATS`). ``tests/test_options.py`` checks the registry against
every command.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .base import option

F = TypeVar("F", bound=Callable[..., Any])

#: Languages of every report and page.
LANGS: tuple[str, ...] = ("en", "zh")
#: Basemaps of every map page (coverage_planner.render.web.tiles.TILE_CHOICES; a test keeps them equal).
TILES: tuple[str, ...] = ("osm", "none", "tianditu", "amap")
#: How map pages get Leaflet (coverage_planner.render.web.assets.ASSET_MODES; a test keeps them equal).
ASSET_MODES: tuple[str, ...] = ("folder", "inline", "cdn")
#: Every report format (a command offers the ones that apply to it); what each is: catalogue ``help.format.<name>``.
FORMAT_NAMES: tuple[str, ...] = ("text", "json", "csv", "md", "xlsx", "brief", "gpkg", "parquet")


def format_description(name: str, lang: str = "en") -> str:
    """What the report format ``name`` is, in ``lang``."""
    from ..render.catalogue import t

    return t(f"help.format.{name}", lang)


#: Every report format with what it is, in English.
FORMATS: dict[str, str] = {n: format_description(n) for n in FORMAT_NAMES}
_TIANDITU_KEY = re.compile(r"^[A-Za-z0-9]{8,64}$")

# ---------------------------------------------------------------- inputs

def scenario_opt_for(*, required: bool = True, key: str = "scenario") -> Callable[[F], F]:
    """``-s/--scenario YEAR|FILE`` (optional in the commands where it adds to what they do; help ``help.opt.<key>``)."""
    unset = {} if required else {"default": None}  # click 8.5 takes an explicit default of None as a value given
    return option("--scenario", "-s", key=key, required=required, metavar="YEAR|FILE", **unset)


scenario_opt = scenario_opt_for()
layers_opt = option("--layers", "-l", key="layers", default="demo", show_default=True, metavar="NAME|DIR")
layers_many_opt = option("--layers", "-l", "layers", key="layers_many", multiple=True, metavar="NAME|DIR|GLOB")
demo_scale_opt = option("--demo-scale", key="demo_scale", type=click.FloatRange(0.001, 6.0), default=None, metavar="S")
scheduler_opt = option("--scheduler", key="scheduler", default="local", show_default=True,
                       metavar="local|sequential|tcp://HOST:PORT")
workers_opt = option("--workers", key="workers", type=click.IntRange(1, 256), default=None, metavar="N")
allow_outside_opt = option("--allow-outside-paths", key="allow_outside", is_flag=True)
target_opt = option("--target", "-t", "targets", key="target", multiple=True, metavar="ID")


def run_opts(fn: F) -> F:
    """The options of every command that checks targets: --layers, --target, --demo-scale, --allow-outside-paths."""
    for opt in (allow_outside_opt, demo_scale_opt, target_opt, layers_opt):
        fn = opt(fn)
    return fn


# ---------------------------------------------------------------- outputs


def format_opt_for(*names: str, default: str = "text") -> Callable[[F], F]:
    """``-f/--format`` offering ``names`` (keys of :data:`FORMATS`, same meaning in every command)."""
    unknown = [n for n in names if n not in FORMATS]
    if unknown:
        raise ValueError(f"unknown formats {unknown}")

    def described(lang: str) -> str:
        return "; ".join(f"{n}: {format_description(n, lang)}" for n in names)

    return option("--format", "-f", "fmt", key="format", fields={"described": described}, type=click.Choice(list(names)),
                  default=default, show_default=True)


#: The text formats of reports (progress, compare).
format_opt = format_opt_for("text", "json", "csv", "md")


def out_file_opt(key: str = "out_report") -> Callable[[F], F]:
    """``-o/--out FILE`` (help ``help.opt.<key>``)."""
    return option("--out", "-o", key=key, type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE")


def out_dir_opt(key: str, *, required: bool = False, name: str = "--out", dest: str = "out") -> Callable[[F], F]:
    """``-o/--out DIR`` (or another name for a second output folder, e.g. ``--maps``; help ``help.opt.<key>``)."""
    decls = [name, "-o", dest] if name == "--out" else [name, dest]
    return option(*decls, key=key, type=click.Path(file_okay=False, path_type=Path), required=required, default=None,
                  metavar="DIR")


out_opt = out_file_opt()

#: The environment variable that sets ``--lang`` for every command (the option, where given, wins).
LANG_ENV = "COVERAGE_LANG"

def _group_lang_wins_over_env(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A group's ``--lang`` (``coverage --lang zh check``) is typed on the line: it wins over ``COVERAGE_LANG``
    (click would rank the environment above the group's default map)."""
    from click.core import ParameterSource

    given = (ctx.default_map or {}).get("lang")
    if given is not None and param.name and ctx.get_parameter_source(param.name) is ParameterSource.ENVIRONMENT:
        return str(given)
    return value


lang_opt = option("--lang", key="lang", type=click.Choice(list(LANGS)), default="en", show_default=True, envvar=LANG_ENV,
                  callback=_group_lang_wins_over_env)


def _lang_for_commands(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A group's ``--lang`` (``coverage --lang zh check ...``): the default ``--lang`` of every command under it."""
    if value is not None and isinstance(ctx.command, click.Group):
        ctx.default_map = {**(ctx.default_map or {}), **_lang_defaults(ctx.command, value)}
    return value


def _lang_defaults(group: click.Group, value: str) -> dict[str, Any]:
    return {name: {"lang": value, **(_lang_defaults(cmd, value) if isinstance(cmd, click.Group) else {})}
            for name, cmd in group.commands.items()}


#: ``--lang`` of a group: the language of the help and of every command under it.
group_lang_opt = option("--lang", key="lang_group", type=click.Choice(list(LANGS)), default=None, expose_value=False,
                        callback=_lang_for_commands)


def env_lang() -> str:
    """The language of the commands without ``--lang`` (and of errors raised before it is read): COVERAGE_LANG or en."""
    import os

    value = os.environ.get(LANG_ENV, "").strip().lower()
    return value if value in LANGS else "en"


# ---------------------------------------------------------------- map pages


def _check_tiles(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Tianditu needs a valid key: say so before any slow work starts (in the command's language)."""
    if value == "tianditu":
        key = ctx.params.get("tianditu_key")
        if not key:  # the same sentences as the map writer's (render/web/tiles.py), in the command line's language
            raise click.BadParameter(_said("err.map_tianditu_key"))
        if not _TIANDITU_KEY.match(key):
            raise click.BadParameter(_said("err.map_tianditu_bad_key", value=key[:80]), param_hint="--tianditu-key")
    return value


def _said(key: str, /, **params: object) -> str:
    """A catalogue error in the language of the command line being read (click prints it as it is)."""
    from ..render.catalogue import t
    from .click_zh import help_lang

    return t(key, help_lang(), **params)


def tiles_opts(fn: F) -> F:
    """``--tiles`` (osm, none, tianditu, amap) and ``--tianditu-key``, the same in every command with pages."""
    fn = option("--tianditu-key", key="tianditu_key", envvar="TIANDITU_KEY", default=None, metavar="KEY",
                is_eager=True)(fn)
    return option("--tiles", key="tiles", type=click.Choice(list(TILES)), default="osm", show_default=True,
                  callback=_check_tiles)(fn)


class AssetsParam(click.ParamType):
    """``folder``, ``inline``, ``cdn`` or an existing folder holding Leaflet."""

    name = "assets"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str | Path:
        if isinstance(value, Path) or value not in ASSET_MODES:
            path = Path(value)
            if not path.is_dir():
                self.fail(_said("err.cli_assets_bad", value=repr(value), modes=", ".join(ASSET_MODES)), param, ctx)
            return path
        return str(value)


assets_opt = option("--assets", key="assets", type=AssetsParam(), default="folder", show_default=True,
                    metavar="folder|inline|cdn|DIR")


def page_opts(fn: F) -> F:
    """The options of every command that writes map pages: --tiles, --tianditu-key, --lang, --assets."""
    for opt in (assets_opt, lang_opt, tiles_opts):
        fn = opt(fn)
    return fn


def page_note(tiles: str, assets: str | Path, *, lang: str = "en") -> str:
    """What the written pages need to open: one line for stderr, in ``lang``."""
    from ..render.catalogue import t

    if assets == "cdn":
        return t("cli.pages_cdn", lang)
    if tiles == "none":
        return t("cli.pages_offline", lang)
    return t("cli.pages_tiles", lang, tiles=tiles)


def emit_report(text: str, out: Path | None, *, lang: str = "en") -> None:
    """Write a report to ``out`` atomically (saying so on stderr in ``lang``), or print it to stdout."""
    from .._io import write_text_atomic
    from ..render.catalogue import t

    if out is not None:
        write_text_atomic(out, text)
        click.echo(t("cli.report_written", lang, out=out), err=True)
    else:
        click.echo(text, nl=False)


def layer_value(layers: str | None, demo_scale: float | None) -> str:
    """``--layers`` with ``--demo-scale`` folded in: ``demo`` at scale S is ``demo:S``."""
    text = layers or "demo"
    if demo_scale is not None and text == "demo":
        return f"demo:{demo_scale:g}"
    return text
