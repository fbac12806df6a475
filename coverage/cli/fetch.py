"""``coverage fetch``: build a layer set for a Chinese city from public data (or local files)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import message
from .base import catalogue_command, option
from .main import friendly_errors
from .options import lang_opt, out_dir_opt


def _age(values: tuple[str, ...]) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(message("err.cli_age_tif", value=v), param_hint="--age-tif")
        k, p = v.split("=", 1)
        out[k.strip()] = Path(p)
    return out


@catalogue_command(name="fetch", key="fetch")
@option("--region", key="region")
@out_dir_opt("fetch_out")
@option("--boundary", key="boundary", type=click.Path(path_type=Path))
@option("--boundary-coord-system", key="boundary_coord_system", type=click.Choice(["wgs84", "gcj02", "bd09"]),
        default="wgs84", show_default=True)
@option("--streets", key="streets", type=click.Path(path_type=Path))
@option("--osm-file", key="osm_file", type=click.Path(path_type=Path))
@option("--osm-facilities", key="osm_facilities", type=click.Path(path_type=Path))
@option("--population-tif", key="population_tif", type=click.Path(path_type=Path))
@option("--age-tif", key="age_tif", multiple=True)
@option("--from-shared", key="from_shared", type=click.Path(path_type=Path), default=None)
@option("--osm-city", key="osm_city", is_flag=True)
@option("--unit-population", key="unit_population", type=click.Path(path_type=Path), default=None)
@option("--floor-m2-per-person", key="floor_m2_per_person", type=click.FloatRange(min=1.0), default=None)
@option("--unit-levels", key="unit_levels", default=None)
@option("--name", "city_name", key="city_name", default=None)
@option("--offline", key="offline", is_flag=True)
@option("--timeout", "timeout_s", key="timeout", type=float, default=15.0, show_default=True)
@option("--retries", key="retries", type=int, default=3, show_default=True)
@option("--cache-dir", key="cache_dir", type=click.Path(path_type=Path), default=None)
@lang_opt
@friendly_errors
def command(region: str | None, out: Path | None, boundary: Path | None, boundary_coord_system: str,
            streets: Path | None, osm_file: Path | None, osm_facilities: Path | None, population_tif: Path | None,
            age_tif: tuple[str, ...], from_shared: Path | None, osm_city: bool, unit_population: Path | None,
            floor_m2_per_person: float | None, unit_levels: str | None, city_name: str | None, offline: bool, timeout_s: float, retries: int,
            cache_dir: Path | None, lang: str) -> None:
    """``coverage fetch`` (help: catalogue ``help.cmd.fetch``)."""
    if out is None:
        raise click.UsageError(message("err.cli_fetch_out"))
    if osm_city:
        if osm_file is None:
            raise click.UsageError(message("err.cli_osm_city_file"))
        from .. import DEFAULT_FLOOR_M2_PER_PERSON, OsmCityOptions, build_osm_city

        rep = build_osm_city(OsmCityOptions(osm_file=osm_file, out=out, name=city_name, unit_counts=unit_population,
                                            floor_m2_per_person=floor_m2_per_person or DEFAULT_FLOOR_M2_PER_PERSON,
                                            unit_levels=tuple(v.strip() for v in unit_levels.split(",") if v.strip())
                                            if unit_levels else None))
        _echo(rep.lines, lang)
        click.echo(str(out))
        return
    if from_shared is not None:
        from .. import build_from_shared

        _echo(build_from_shared(out, from_shared).lines(), lang)
        click.echo(str(out))
        return
    from .. import FetchOptions, fetch_layer_set

    opt = FetchOptions(out=out, region=region, boundary=boundary, boundary_coord_system=boundary_coord_system,
                       streets=streets, osm_file=osm_file, osm_facilities=osm_facilities,
                       population_tif=population_tif, age_tifs=_age(age_tif), offline=offline,
                       timeout_s=timeout_s, retries=retries)
    if cache_dir is not None:
        opt.cache_dir = cache_dir
    rep = fetch_layer_set(opt)
    _echo(rep.lines, lang)
    click.echo(str(out))


def _echo(lines: list[str], lang: str) -> None:
    """The report's lines on stderr, each sentence in ``lang`` (names from data as they are)."""
    for line in lines:  # catalogue sentences know their words in each language; other text is shown as it is
        click.echo(line.text(lang) if hasattr(line, "text") else line, err=True)
