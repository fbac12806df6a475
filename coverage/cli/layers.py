"""``coverage layers``: manage a layer set's layers (``import`` a bureau's facility list)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import message
from .base import catalogue_group, option
from .main import friendly_errors
from .options import group_lang_opt, lang_opt


@catalogue_group(name="layers", key="layers")
@group_lang_opt
def command() -> None:
    """``coverage layers`` (help: catalogue ``help.cmd.layers``)."""


def _fields(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(message("err.cli_field_pair", value=v), param_hint="--field")
        k, c = v.split("=", 1)
        out[k.strip()] = c.strip()
    return out


@command.command(name="import", help_key="help.cmd.layers_import")
@click.argument("file", type=click.Path(path_type=Path))
@option("--role", key="role", required=True)
@option("--layers", "-l", "layers", key="import_layers", required=True, type=click.Path(path_type=Path),
        metavar="NAME|DIR")
@option("--coord-system", key="coord_system", type=click.Choice(["auto", "wgs84", "gcj02", "bd09"]), default="auto",
        show_default=True)
@option("--lon", "lon_col", key="lon")
@option("--lat", "lat_col", key="lat")
@option("--address", "address_col", key="address")
@option("--field", "field_", key="field", multiple=True)
@option("--licence", key="licence", default="internal (bureau list)", show_default=True)
@option("--allow-duplicates", key="allow_duplicates", is_flag=True)
@lang_opt
@friendly_errors
def import_(file: Path, role: str, layers: Path, coord_system: str, lon_col: str | None, lat_col: str | None,
            address_col: str | None, field_: tuple[str, ...], licence: str, allow_duplicates: bool, lang: str) -> None:
    """``coverage layers import`` (help: catalogue ``help.cmd.layers_import``)."""
    from .. import import_list, resolve_layers

    folder = resolve_layers(str(layers)) if not layers.exists() else layers
    res = import_list(file, role=role, layers=folder, coord_system=coord_system, lon_col=lon_col, lat_col=lat_col,
                      address_col=address_col, fields=_fields(field_), licence=licence,
                      allow_duplicates=allow_duplicates)
    for line in res.lines():
        click.echo(line.text(lang), err=True)
    click.echo(str(res.path))
