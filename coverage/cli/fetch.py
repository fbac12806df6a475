"""``coverage fetch``: build a layer set for a Chinese city from public data (or local files)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import message
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


@click.command(name="fetch")
@click.option("--region", help="City name (郑州市) or 6-digit adcode (410100).")
@out_dir_opt("Layer-set folder to write, e.g. layers/zhengzhou/.")
@click.option("--boundary", type=click.Path(path_type=Path), help="District polygons (GeoJSON/GPKG/SHP).")
@click.option("--boundary-coord-system", type=click.Choice(["wgs84", "gcj02", "bd09"]), default="wgs84",
              show_default=True, help="Coordinate system of --boundary (DataV/Amap files are gcj02).")
@click.option("--streets", type=click.Path(path_type=Path), help="Street/township polygons from the planning bureau.")
@click.option("--osm-file", type=click.Path(path_type=Path), help="Local OSM extract (.osm, .osm.bz2, .osm.pbf).")
@click.option("--osm-facilities", type=click.Path(path_type=Path), help="Local Overpass JSON (or .osm) of facilities.")
@click.option("--population-tif", type=click.Path(path_type=Path), help="Local population raster (e.g. WorldPop).")
@click.option("--age-tif", multiple=True, help="Age-group raster as GROUP=FILE (age_0_2, age_60_plus); repeatable.")
@click.option("--from-shared", type=click.Path(path_type=Path), default=None,
              help="Build the Zhengzhou layer set from the shared real-data folder (../shared/data).")
@click.option("--osm-city", is_flag=True,
              help="Build everything from --osm-file (.osm.pbf) alone: units from its admin boundaries (else "
                   "place names), population from its tags or estimated from the floor area of homes.")
@click.option("--unit-population", type=click.Path(path_type=Path), default=None,
              help="With --osm-city: CSV of people per street unit (name or code, count), spread onto buildings.")
@click.option("--floor-m2-per-person", type=click.FloatRange(min=1.0), default=None,
              help="With --osm-city and no --unit-population: residential floor area per resident (default 35).")
@click.option("--unit-levels", default=None,
              help="With --osm-city: admin_level(s) to use as units, coarse to fine, e.g. 10 or 9,10 (default: "
                   "chosen automatically and listed).")
@click.option("--name", "city_name", default=None, help="With --osm-city: the city's name (default: file name).")
@click.option("--offline", is_flag=True, help="Never download: every step uses local files or is skipped.")
@click.option("--timeout", "timeout_s", type=float, default=15.0, show_default=True, help="Seconds per attempt.")
@click.option("--retries", type=int, default=3, show_default=True, help="Attempts per download.")
@click.option("--cache-dir", type=click.Path(path_type=Path), default=None, help="Download cache folder.")
@lang_opt
@friendly_errors
def command(region: str | None, out: Path | None, boundary: Path | None, boundary_coord_system: str,
            streets: Path | None, osm_file: Path | None, osm_facilities: Path | None, population_tif: Path | None,
            age_tif: tuple[str, ...], from_shared: Path | None, osm_city: bool, unit_population: Path | None,
            floor_m2_per_person: float | None, unit_levels: str | None, city_name: str | None, offline: bool, timeout_s: float, retries: int,
            cache_dir: Path | None, lang: str) -> None:
    """Make a layer set for a city: districts, population, OSM facilities and streets.

    \b
    Examples:
      coverage fetch --region 郑州市 --out layers/zhengzhou/
      coverage fetch --region 410100 --offline --population-tif chn_ppp_2020.tif --osm-file zz.osm.bz2 --out layers/zz
      coverage fetch --from-shared ../shared/data --out layers/zhengzhou-2000/
      coverage fetch --osm-city --osm-file Helsinki.osm.pbf --out layers/helsinki/
    """
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
