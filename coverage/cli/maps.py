"""``coverage map``: one interactive map per target plus an index page (thin wrapper of ``maps.publish``)."""

from __future__ import annotations

from pathlib import Path

import click

from .main import friendly_errors
from .options import allow_outside_opt, demo_scale_opt, layers_opt, scenario_opt, target_opt


@click.command(name="map")
@scenario_opt
@layers_opt
@target_opt
@demo_scale_opt
@allow_outside_opt
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path), required=True, metavar="DIR",
              help="Folder of the maps, e.g. maps/2025/ (replaced as a whole, atomically).")
@click.option("--tiles", type=click.Choice(["osm", "none", "tianditu", "amap"]), default="osm", show_default=True,
              help="Basemap: OpenStreetMap; none (offline); 天地图 Tianditu (needs a key); Amap/Gaode (GCJ-02).")
@click.option("--tianditu-key", envvar="TIANDITU_KEY", default=None, metavar="KEY",
              help="Tianditu browser key (or TIANDITU_KEY); it is written into the pages.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", show_default=True, help="Language of the labels.")
@click.option("--assets", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None, metavar="DIR",
              help="Copy Leaflet from this folder beside the pages instead of loading it from a CDN (offline use; "
                   "e.g. /usr/share/javascript/leaflet).")
@friendly_errors
def command(scenario: str, layers: str, targets: tuple[str, ...], demo_scale: float | None, allow_outside_paths: bool,
            out: Path, tiles: str, tianditu_key: str | None, lang: str, assets: Path | None) -> None:
    """Publish interactive maps: one page per target and an index.html.

    \b
    Examples:
      coverage map --scenario 2025 --out maps/2025/
      coverage map -s 2025 --out maps/offline --tiles none --lang en
      coverage map -s 2025 --out maps/amap --tiles amap -t childcare-community

    Exit code 0 when the maps are written (whatever the targets' verdicts), 2 for bad input.
    """
    from ..check import run_check
    from ..maps import publish
    from ..maps.publish import preflight

    preflight(out, tiles=tiles, tianditu_key=tianditu_key, lang=lang)
    run = run_check(scenario, layers, targets=list(targets) or None, demo_scale=demo_scale,
                    allow_outside_paths=allow_outside_paths)
    paths = publish(run, out, tiles=tiles, tianditu_key=tianditu_key, lang=lang, assets=assets)
    click.echo(f"{len(paths) - 1} map(s) and index written to {paths[0]}", err=True)
