"""``coverage compare``: a baseline against a what-if (planned facilities, a siting study's sites, or two saved reports)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .main import friendly_errors
from .options import emit_report, format_opt, out_opt, run_opts


@click.command(name="compare")
@click.argument("reports", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="[A.json B.json]")
@click.option("--scenario", "-s", default=None, metavar="YEAR|FILE", help="The scenario year of both runs.")
@run_opts
@click.option("--with", "with_", type=click.Choice(["planned"]), default=None,
              help="Second run: planned and under-construction facilities counted as open.")
@click.option("--with-sites", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              metavar="DIR", help="Second run: a `coverage site --out DIR` study's sites added to its target's layer.")
@format_opt
@out_opt
@click.option("--map", "map_dir", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DIR",
              help="Also write one map page per target colouring the units that flip (fail→pass, pass→fail).")
@click.option("--tiles", type=click.Choice(["osm", "none", "amap"]), default="osm", show_default=True,
              help="Basemap of the --map pages.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True, help="Language of the map.")
@click.option("--assets", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None, metavar="DIR",
              help="Copy Leaflet from this folder beside the --map pages (offline use; e.g. /usr/share/javascript/leaflet).")
@friendly_errors
def command(reports: tuple[Path, ...], scenario: str | None, layers: str, targets: tuple[str, ...],
            demo_scale: float | None, allow_outside_paths: bool, with_: str | None, with_sites: Path | None,
            fmt: str, out: Path | None, map_dir: Path | None, tiles: str, lang: str, assets: Path | None) -> None:
    """Compare a baseline with a what-if: per target and unit, the change in value, status and gap.

    \b
    Examples:
      coverage compare -s 2025 --with planned
      coverage compare -s 2025 --with-sites studies/fitness-20/ --map maps/compare --tiles none
      coverage compare before.json after.json      # two `coverage check --format json` reports

    Exit code 0 when the comparison is written, 2 for bad input.
    """
    from ..errors import ScenarioError
    from ..render.compare_report import render_compare, units_of
    from ..studies.compare import compare_reports

    if reports:
        if len(reports) != 2 or scenario or with_ or with_sites or map_dir:
            msg = ("Give either two JSON reports (coverage compare a.json b.json) or a scenario with --with planned "
                   "or --with-sites DIR, not both; maps need the second form.")
            raise ScenarioError(msg)
        full = [_read_report(p) for p in reports]
        docs = [d["targets"] for d in full]
        synthetic = any(d.get("layer_set", {}).get("synthetic") for d in full)
        deltas = compare_reports(docs[0], docs[1])
        before, after = str(reports[0]), str(reports[1])
    else:
        if scenario is None or (with_ is None) == (with_sites is None):
            msg = ("Say what to compare: --scenario YEAR with exactly one of --with planned or --with-sites DIR "
                   "(or two JSON reports).")
            raise ScenarioError(msg)
        base, other, after = _runs(scenario, layers, list(targets) or None, demo_scale, allow_outside_paths,
                                   with_sites, want_geo=map_dir is not None)
        docs = [[r.to_dict() for r in base.results], [r.to_dict() for r in other.results]]
        synthetic = base.meta().synthetic
        deltas = compare_reports(docs[0], docs[1])
        before = f"scenario {base.scenario.year}"
        if map_dir is not None:
            from ..render.web.compare_page import publish_compare

            publish_compare(base, other, deltas, map_dir, tiles=tiles, lang=lang, after_label=after, assets=assets)
            click.echo(f"Comparison maps written to {map_dir}", err=True)
    text = render_compare(deltas, before=before, after=after, fmt=fmt, lang=lang, synthetic=synthetic,
                          units=units_of(docs[0] + docs[1]))
    emit_report(text, out)


def _read_report(path: Path) -> dict:
    from ..errors import ScenarioError

    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        msg = f"{path}: not a readable JSON report ({exc}). Write one with `coverage check --format json --out FILE`."
        raise ScenarioError(msg) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("targets"), list):
        msg = f"{path}: no `targets` list; it is not a `coverage check --format json` report."
        raise ScenarioError(msg)
    return doc


def _runs(scenario, layers, targets, demo_scale, allow_outside_paths, with_sites, *, want_geo):  # noqa: ANN001, ANN202
    """The baseline run and the what-if run on one loaded region."""
    from ..studies.check import CheckRun, run_check
    from ..studies.compare import read_site_study, region_with_planned, region_with_sites
    from ..targets import evaluate_scenario

    base = run_check(scenario, layers, targets=targets, demo_scale=demo_scale,
                     allow_outside_paths=allow_outside_paths, want_geo=want_geo)
    if with_sites is None:
        region = region_with_planned(base.region)
        label = "with planned and under-construction facilities"
    else:
        study = read_site_study(with_sites)
        role = base.scenario.target(study.target_id).param("layer")
        region = region_with_sites(base.region, role, study.sites)
        label = f"with the {len(study.sites)} site(s) of {with_sites} ({study.target_id})"
    results = evaluate_scenario(base.scenario, region, target_ids=targets, want_geo=want_geo)
    return base, CheckRun(scenario=base.scenario, layer_set=base.layer_set, region=region, results=results), label
