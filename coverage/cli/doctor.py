"""``coverage doctor``: check a layer set (and a scenario against it), listing every problem."""

from __future__ import annotations

import sys

import click

from .main import EXIT_BAD_INPUT, friendly_errors
from .options import allow_outside_opt, demo_scale_opt, lang_opt, layers_opt, scenario_opt_for


@click.command(name="doctor")
@layers_opt
@scenario_opt_for(required=False, help="Also try every target of this scenario (a year or a scenario YAML path).")
@click.option("--no-networks", is_flag=True, help="Skip loading the walking networks.")
@demo_scale_opt
@allow_outside_opt
@lang_opt
@friendly_errors
def command(layers: str, scenario: str | None, no_networks: bool, demo_scale: float | None,
            allow_outside_paths: bool, lang: str) -> None:
    """List every problem of a layer set with its fix; exit 2 if there is any."""
    from .. import doctor as diagnose
    from .. import resolve_layers
    from ..render.catalogue import t
    from ..render.text import clean

    findings = diagnose(resolve_layers(layers, demo_scale=demo_scale), scenario=scenario, networks=not no_networks,
                        allow_outside_paths=allow_outside_paths)
    for f in findings:
        item, text = f.words(lang)
        click.echo(t("doctor.line", lang, label=t(f.label_key, lang), item=clean(item), message=clean(text)))
    bad = sum(not f.ok for f in findings)
    warned = sum(f.warning for f in findings if f.ok)
    also = t("doctor.also_warnings", lang, n=warned) if warned else ""
    missing = sum(f.no_data for f in findings)
    also += t("doctor.also_no_data", lang, n=missing) if missing else ""
    click.echo(t("doctor.summary_problems", lang, n=bad, also=also) if bad else t("doctor.summary_clean", lang, also=also))
    sys.exit(EXIT_BAD_INPUT if bad else 0)
