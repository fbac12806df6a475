"""``coverage doctor``: check a layer set (and a scenario against it), listing every problem."""

from __future__ import annotations

import sys

import click

from .base import catalogue_command, option
from .main import EXIT_BAD_INPUT, friendly_errors
from .options import allow_outside_opt, demo_scale_opt, lang_opt, layers_opt, scenario_opt_for


@catalogue_command(name="doctor", key="doctor")
@layers_opt
@scenario_opt_for(required=False, key="doctor_scenario")
@option("--no-networks", key="no_networks", is_flag=True)
@demo_scale_opt
@allow_outside_opt
@lang_opt
@friendly_errors
def command(layers: str, scenario: str | None, no_networks: bool, demo_scale: float | None,
            allow_outside_paths: bool, lang: str) -> None:
    """``coverage doctor`` (help: catalogue ``help.cmd.doctor``)."""
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
