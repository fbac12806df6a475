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

F = TypeVar("F", bound=Callable[..., Any])

#: Languages of every report and page.
LANGS: tuple[str, ...] = ("en", "zh")
#: Basemaps of every map page (coverage_planner.render.web.tiles.TILE_CHOICES; a test keeps them equal).
TILES: tuple[str, ...] = ("osm", "none", "tianditu", "amap")
#: How map pages get Leaflet (coverage_planner.render.web.assets.ASSET_MODES; a test keeps them equal).
ASSET_MODES: tuple[str, ...] = ("folder", "inline", "cdn")
#: Every report format, with what it is (a command offers the ones that apply to it).
FORMATS: dict[str, str] = {
    "text": "a table for the terminal",
    "json": "the documented JSON report",
    "csv": "one row per target and unit",
    "md": "Markdown",
    "xlsx": "an Excel workbook (needs --out)",
    "brief": "a printable HTML page per target",
    "gpkg": "a GeoPackage for QGIS: a layer per target with styles (needs --out)",
    "parquet": "GeoParquet for analysts: a folder with one file per target (needs --out)",
}
_TIANDITU_KEY = re.compile(r"^[A-Za-z0-9]{8,64}$")

# ---------------------------------------------------------------- inputs

_SCENARIO_HELP = "A year with a file in scenarios/ (2020, 2022, 2023, 2025) or a scenario YAML path."


def scenario_opt_for(*, required: bool = True, help: str = _SCENARIO_HELP) -> Callable[[F], F]:  # noqa: A002
    """``-s/--scenario YEAR|FILE`` (optional in the commands where it adds to what they do)."""
    return click.option("--scenario", "-s", required=required, default=None, metavar="YEAR|FILE", help=help)


scenario_opt = scenario_opt_for()
_LAYERS_HELP = "Layer set: 'demo' (generated demo city), a name under layers/, or a folder with manifest.yaml."
layers_opt = click.option("--layers", "-l", default="demo", show_default=True, metavar="NAME|DIR", help=_LAYERS_HELP)
layers_many_opt = click.option(
    "--layers", "-l", "layers", multiple=True, metavar="NAME|DIR|GLOB",
    help="Layer set: 'demo' (the default), 'demo:SCALE' or 'demo:SCALE:SEED', a name under layers/, or a folder with manifest.yaml. "
         "Repeat it or give a glob ('layers/*/') to check many cities at once (see --scheduler).",
)
demo_scale_opt = click.option(
    "--demo-scale", type=click.FloatRange(0.001, 6.0), default=None, metavar="S",
    help="Size of the demo city (1.0 = full size, the default; 0.05 is a small test city).",
)
scheduler_opt = click.option(
    "--scheduler", default="local", show_default=True, metavar="local|sequential|tcp://HOST:PORT",
    help="With several layer sets: 'local' runs one Dask task per city on a LocalCluster on this machine, "
         "'sequential' one after the other in this process, an address uses an existing Dask cluster.",
)
workers_opt = click.option(
    "--workers", type=click.IntRange(1, 256), default=None, metavar="N",
    help="Worker processes of --scheduler local (default: one per city, at most the number of cores).",
)
allow_outside_opt = click.option(
    "--allow-outside-paths", is_flag=True, help="Let a manifest name files outside its folder (trusted manifests only).",
)
target_opt = click.option("--target", "-t", "targets", multiple=True, metavar="ID", help="Only this target (repeatable).")


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
    described = "; ".join(f"{n}: {FORMATS[n]}" for n in names)
    return click.option("--format", "-f", "fmt", type=click.Choice(list(names)), default=default, show_default=True,
                        help=f"Report format ({described}).")


#: The text formats of reports (progress, compare).
format_opt = format_opt_for("text", "json", "csv", "md")


def out_file_opt(help: str = "Write the report to this file (atomically) instead of stdout.") -> Callable[[F], F]:  # noqa: A002
    """``-o/--out FILE``."""
    return click.option("--out", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="FILE",
                        help=help)


def out_dir_opt(help: str, *, required: bool = False, name: str = "--out", dest: str = "out") -> Callable[[F], F]:  # noqa: A002
    """``-o/--out DIR`` (or another name for a second output folder, e.g. ``--maps``)."""
    decls = [name, "-o", dest] if name == "--out" else [name, dest]
    return click.option(*decls, type=click.Path(file_okay=False, path_type=Path), required=required, default=None,
                        metavar="DIR", help=help)


out_opt = out_file_opt()

#: The environment variable that sets ``--lang`` for every command (the option, where given, wins).
LANG_ENV = "COVERAGE_LANG"

lang_opt = click.option("--lang", type=click.Choice(list(LANGS)), default="en", show_default=True, envvar=LANG_ENV,
                        help=f"Language of the reports, map pages and messages (en, zh; or set {LANG_ENV}); names "
                             "from the data are shown as they are.")


def env_lang() -> str:
    """The language of the commands without ``--lang`` (and of errors raised before it is read): COVERAGE_LANG or en."""
    import os

    value = os.environ.get(LANG_ENV, "").strip().lower()
    return value if value in LANGS else "en"


# ---------------------------------------------------------------- map pages


def _check_tiles(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Tianditu needs a valid key: say so before any slow work starts."""
    if value == "tianditu":
        key = ctx.params.get("tianditu_key")
        from ..errors import message  # the same sentences as the map writer's (render/web/tiles.py)

        if not key:
            raise click.BadParameter(message("err.map_tianditu_key"))
        if not _TIANDITU_KEY.match(key):
            raise click.BadParameter(message("err.map_tianditu_bad_key", value=key[:80]), param_hint="--tianditu-key")
    return value


def tiles_opts(fn: F) -> F:
    """``--tiles`` (osm, none, tianditu, amap) and ``--tianditu-key``, the same in every command with pages."""
    fn = click.option("--tianditu-key", envvar="TIANDITU_KEY", default=None, metavar="KEY", is_eager=True,
                      help="Tianditu browser key (or TIANDITU_KEY); it is written into the pages.")(fn)
    return click.option("--tiles", type=click.Choice(list(TILES)), default="osm", show_default=True,
                        callback=_check_tiles,
                        help="Basemap of the map pages: OpenStreetMap; none (offline: the districts are drawn "
                             "instead); 天地图 Tianditu (needs --tianditu-key); Amap/Gaode (overlays shifted to "
                             "GCJ-02). Tiles need internet access; the pages themselves do not.")(fn)


class AssetsParam(click.ParamType):
    """``folder``, ``inline``, ``cdn`` or an existing folder holding Leaflet."""

    name = "assets"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str | Path:
        if isinstance(value, Path) or value not in ASSET_MODES:
            path = Path(value)
            if not path.is_dir():
                self.fail(f"{value!r} is neither {', '.join(ASSET_MODES)} nor a folder holding Leaflet.", param, ctx)
            return path
        return str(value)


assets_opt = click.option(
    "--assets", type=AssetsParam(), default="folder", show_default=True, metavar="folder|inline|cdn|DIR",
    help="How the map pages get Leaflet: folder writes the copy shipped with coverage-planner into assets/ beside "
         "them (works offline); inline puts it into every page (each page one self-contained file); cdn links "
         "jsDelivr (pages need internet); a DIR copies another Leaflet build from there (e.g. "
         "/usr/share/javascript/leaflet).",
)


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
