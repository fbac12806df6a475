"""``coverage layers``: manage a layer set's layers (``import`` a bureau's facility list)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import message
from .main import friendly_errors
from .options import lang_opt


@click.group(name="layers")
def command() -> None:
    """Add data to a layer set."""


def _fields(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(message("err.cli_field_pair", value=v), param_hint="--field")
        k, c = v.split("=", 1)
        out[k.strip()] = c.strip()
    return out


@command.command(name="import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--role", required=True, help="Facility role: childcare, shelter, fitness, ... (docs/ARCHITECTURE.md).")
@click.option("--layers", "-l", "layers", required=True, type=click.Path(path_type=Path), metavar="NAME|DIR",
              help="Layer set to add to: a name under layers/ or a folder with manifest.yaml.")
@click.option("--coord-system", type=click.Choice(["auto", "wgs84", "gcj02", "bd09"]), default="auto",
              show_default=True, help="System of the list's lon/lat (Amap/Tencent gcj02, Baidu bd09).")
@click.option("--lon", "lon_col", help="Longitude column (default: found by name, e.g. 经度/lng).")
@click.option("--lat", "lat_col", help="Latitude column (default: found by name, e.g. 纬度).")
@click.option("--address", "address_col", help="Address column (used to detect the system or place points).")
@click.option("--field", "field_", multiple=True, help="STANDARD=COLUMN, e.g. slots=托位数; repeatable.")
@click.option("--licence", default="internal (bureau list)", show_default=True, help="Terms of the list.")
@click.option("--allow-duplicates", is_flag=True, help="Keep rows with the same name and place.")
@lang_opt
@friendly_errors
def import_(file: Path, role: str, layers: Path, coord_system: str, lon_col: str | None, lat_col: str | None,
            address_col: str | None, field_: tuple[str, ...], licence: str, allow_duplicates: bool, lang: str) -> None:
    """Import a CSV/Excel facility list into a layer set (validated; the manifest is updated atomically)."""
    from .. import import_list, resolve_layers

    folder = resolve_layers(str(layers)) if not layers.exists() else layers
    res = import_list(file, role=role, layers=folder, coord_system=coord_system, lon_col=lon_col, lat_col=lat_col,
                      address_col=address_col, fields=_fields(field_), licence=licence,
                      allow_duplicates=allow_duplicates)
    for line in res.lines():
        click.echo(line.text(lang), err=True)
    click.echo(str(res.path))
