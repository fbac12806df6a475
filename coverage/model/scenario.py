"""Scenario files: which targets a year must meet, with the plan's own words.

A scenario is a YAML file (``scenarios/<year>.yaml``); it may ``extends:`` an earlier year and
override or ``remove:`` targets by id. Parsing is strict: unknown keys, wrong types and missing
fields are collected and raised together, each with file, line, key and the fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._yaml import LineDict, load_yaml
from ..errors import ScenarioError, at, did_you_mean
from .messages import Both, Lines, Message
from .params import PARAM_MODELS, TargetParams
from .paths import PathRefused, resolve_inside, safe_resolve
from .reasons import library_text
from .schema import KIND_KEYS, describe_type, kind_keys

__all__ = ["Plan", "Scenario", "TargetSpec", "load_scenario", "resolve_scenario_path"]

#: The scenarios shipped with the package (the repository's scenarios/ folder, package data when installed).
SCENARIO_DIR = Path(str(resources.files("coverage_planner.scenarios")))
_TOP_KEYS = {"year", "extends", "title", "plans", "targets", "description", "baseline"}
_OPS = {">=", ">", "<=", "<", "==", "!=", "in"}


@dataclass(frozen=True)
class Plan:
    """A plan document the targets quote."""

    key: str
    #: The plan's name as written (its Chinese name when given ``{zh: ..., en: ...}``).
    title: str
    document: str = ""
    file: str = ""
    #: The English name, when the scenario gives ``title: {zh: ..., en: ...}``.
    title_en: str = ""

    def title_in(self, lang: str) -> str:
        """The plan's name in ``lang``; a name written in one language only is shown as written."""
        return self.title_en if lang != "zh" and self.title_en else self.title


@dataclass(frozen=True)
class TargetSpec:
    """One target of a scenario, validated.

    ``params`` holds the kind-specific keys (see ``coverage_planner.model.schema``).
    """

    id: str
    kind: str
    title_zh: str
    title_en: str
    plan: Plan
    quote: str
    chapter: str = ""
    threshold_min: float | None = None
    threshold_max: float | None = None
    references: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    unit_zh: str = ""
    unit_en: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""
    #: The kind's typed parameters (``model.params``), defaults filled in.
    settings: TargetParams | None = None

    def param(self, key: str, default: Any = None) -> Any:
        """A kind-specific parameter as written; else the kind's typed default; else ``default``.

        ``default`` is a fallback only where the kind's typed model sets none (a field that defaults to
        ``None``, or a key outside the model): it can never override a typed default, so each default
        lives once, in :mod:`coverage_planner.model.params`.
        """
        if key in self.params:
            return self.params[key]
        if self.settings is not None and key in type(self.settings).model_fields:
            typed = getattr(self.settings, key)
            if typed is not None:
                return typed
        return default


@dataclass(frozen=True)
class Scenario:
    """A year's targets."""

    year: int
    title: str
    path: Path
    plans: Mapping[str, Plan]
    targets: tuple[TargetSpec, ...]
    chain: tuple[Path, ...] = ()
    #: ``baseline: true``: the thresholds are the plan's stated baseline figures (基期值), to reproduce, not to reach.
    baseline: bool = False
    #: The Chinese title and the description (``title`` is the English one, or the title as written).
    title_zh: str = ""
    description: str = ""
    description_zh: str = ""

    def title_in(self, lang: str) -> str:
        """The scenario's title in ``lang``; a title written in one language only is shown as written."""
        return self.title_zh if lang == "zh" and self.title_zh else self.title

    def description_in(self, lang: str) -> str:
        """The scenario's description in ``lang`` (as written when given in one language only)."""
        return self.description_zh if lang == "zh" and self.description_zh else self.description

    def target(self, target_id: str) -> TargetSpec:
        """The target with ``target_id``; raise ``ScenarioError`` with the valid ids otherwise."""
        for t in self.targets:
            if t.id == target_id:
                return t
        close = difflib.get_close_matches(target_id, [t.id for t in self.targets], n=3)
        hint = Message("err.did_you_mean_any", names=", ".join(close)) if close else ""
        raise ScenarioError(Message("err.scenario_unknown_target", tid=target_id, file=self.path.name, year=self.year,
                                    hint=hint, ids=", ".join(t.id for t in self.targets)))


def resolve_scenario_path(value: str | Path, *, base: Path | None = None) -> Path:
    """Turn ``--scenario`` (a year like ``2025`` or a path) into a file path."""
    text = str(value)
    if text.isdigit() and len(text) == 4:
        candidates = [(base or SCENARIO_DIR) / f"{text}.yaml", SCENARIO_DIR / f"{text}.yaml"]
        for c in candidates:
            if c.exists():
                return c
        return candidates[-1]
    p = Path(text)
    if not p.is_absolute() and base is not None and not p.exists():
        p = base / p
    return p


def _on_target(path: Path, line: int, tid: str, key: str, /, **params: Any) -> Message:
    """``file:line: target 'id': ...`` (the sentence ``key``)."""
    return at(f"{path}:{line}", "err.target", tid=tid, text=Message(key, **params))


def _on_key(path: Path, line: int, tid: str, name: str, key: str, /, **params: Any) -> Message:
    """``file:line: target 'id', key 'name': ...`` (the sentence ``key``)."""
    return at(f"{path}:{line}", "err.target_key", tid=tid, field=name, text=Message(key, **params))


def _check_filter(where: Any, path: Path, line: int, tid: str, key: str, problems: list[str]) -> None:
    if not isinstance(where, Mapping):
        problems.append(_on_key(path, line, tid, key, "err.target_filter_mapping"))
        return
    for attr, cond in where.items():
        if isinstance(cond, Mapping):
            bad = [op for op in cond if op not in _OPS]
            if bad:
                problems.append(at(f"{path}:{line}", "err.target_filter_op", tid=tid, field=key, attr=attr, op=bad[0],
                                   ops=sorted(_OPS)))


def _help_words(help_text: str) -> Both:
    """A key's description from the schema, shown in English only (the schema's descriptions are English docs)."""
    return Both(f" ({help_text})" if help_text else "", "")


def _parse_target(raw: Any, path: Path, plans: Mapping[str, Plan], problems: list[str]) -> TargetSpec | None:
    line = getattr(raw, "line", 0)
    if not isinstance(raw, Mapping):
        problems.append(at(f"{path}:{line}", "err.scenario_target_mapping"))
        return None
    tid = str(raw.get("id", "?"))
    kind = raw.get("kind")
    if kind not in KIND_KEYS:
        problems.append(_on_target(path, raw.line_of("kind") if isinstance(raw, LineDict) else line, tid,
                                   "err.target_kind", kind=kind, kinds=sorted(KIND_KEYS),
                                   hint=did_you_mean(str(kind), list(KIND_KEYS))))
        return None
    schema = kind_keys(kind)
    n_before = len(problems)
    for key, value in raw.items():
        kl = raw.line_of(key) if isinstance(raw, LineDict) else line
        if key not in schema:
            problems.append(_on_target(path, kl, tid, "err.target_bad_key", field=key, kind=kind,
                                       hint=did_you_mean(key, list(schema)), valid=", ".join(sorted(schema))))
            continue
        types, _, help_text = schema[key]
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if not ok:
            problems.append(_on_key(path, kl, tid, key, "err.target_type",
                                    expected=Both(describe_type(types), describe_type(types, "zh")),
                                    help=_help_words(help_text), got=repr(value)))
        elif key in {"where", "numerator_where"}:
            _check_filter(value, path, kl, tid, key, problems)
    for key, (_, required, help_text) in schema.items():
        if required and key not in raw:
            problems.append(_on_target(path, line, tid, "err.target_missing_key", field=key, help=_help_words(help_text)))
    threshold = raw.get("threshold") or {}
    if isinstance(threshold, Mapping):
        bad = [k for k in threshold if k not in {"min", "max"}]
        if bad or any(not isinstance(v, int | float) or isinstance(v, bool) for v in threshold.values()):
            problems.append(_on_target(path, raw.line_of("threshold") if isinstance(raw, LineDict) else line, tid,
                                       "err.target_threshold"))
    if kind in {"ratio", "share", "count"} and not threshold and "threshold" in schema:
        problems.append(_on_target(path, line, tid, "err.target_threshold_needed", kind=kind))
    plan_key = raw.get("plan")
    if isinstance(plan_key, str) and plan_key not in plans:
        problems.append(_on_target(path, raw.line_of("plan") if isinstance(raw, LineDict) else line, tid,
                                   "err.target_plan", plan=plan_key, plans=", ".join(plans) or Message("err.none")))
    title = raw.get("title") or {}
    if isinstance(title, Mapping) and not ({"zh", "en"} <= set(title)):
        problems.append(_on_target(path, line, tid, "err.target_title"))
    assumptions = _assumptions(raw, tid, path, line, problems)
    settings = _settings(raw, kind, tid, path, line, problems) if len(problems) == n_before else None
    if len(problems) > n_before:
        return None
    unit = raw.get("unit") or {}
    params = {k: v for k, v in raw.items() if k not in schema or k in KIND_KEYS[kind]}
    return TargetSpec(
        id=tid,
        kind=kind,
        title_zh=str(title.get("zh", "")),
        title_en=str(title.get("en", "")),
        plan=plans[str(plan_key)],
        quote=str(raw["quote"]),
        chapter=str(raw.get("chapter", "")),
        threshold_min=threshold.get("min"),
        threshold_max=threshold.get("max"),
        references=tuple(str(r) for r in raw.get("references", ())),
        assumptions=assumptions,
        unit_zh=str(unit.get("zh", "")),
        unit_en=str(unit.get("en", "")),
        params=params,
        source=f"{path}:{line}",
        settings=settings,
    )


def _assumptions(raw: Mapping[str, Any], tid: str, path: Path, line: int, problems: list[str]) -> tuple[str, ...]:
    """The target's ``assumptions:``: ``{zh: ..., en: ...}`` becomes a sentence shown in the report's language,
    a plain string stays as written (shown alike in both languages)."""
    out: list[str] = []
    kl = raw.line_of("assumptions") if isinstance(raw, LineDict) and "assumptions" in raw else line
    entries = raw.get("assumptions") or ()
    for i, entry in enumerate(entries if isinstance(entries, list) else ()):
        if isinstance(entry, Mapping) and set(entry) == {"zh", "en"} and all(isinstance(v, str) and v.strip()
                                                                             for v in entry.values()):
            out.append(Message("say.as_given", text=Both(str(entry["en"]), str(entry["zh"]))))
        elif isinstance(entry, str):
            out.append(entry)
        else:
            problems.append(at(f"{path}:{kl}", "err.target_assumption", tid=tid, i=i + 1, got=repr(entry)))
    return tuple(out)


def _settings(raw: Mapping[str, Any], kind: str, tid: str, path: Path, line: int,
              problems: list[str]) -> TargetParams | None:
    """The target's typed parameters; each value the model refuses becomes a problem with its line."""
    try:
        return PARAM_MODELS[kind].model_validate({k: raw[k] for k in raw if k in KIND_KEYS[kind]})
    except ValidationError as exc:
        for err in exc.errors():
            key = str(err["loc"][0]) if err["loc"] else "?"
            kl = raw.line_of(key) if isinstance(raw, LineDict) and key in raw else line
            problems.append(_on_key(path, kl, tid, key, "err.target_param", text=_value_words(err),
                                    got=repr(err.get("input"))))
        return None


#: pydantic error types -> the catalogue's sentence (its Chinese; the English stays pydantic's own words).
_VALUE_ERRORS = {"missing": "err.value_missing", "float_parsing": "err.value_number", "float_type": "err.value_number",
                 "int_parsing": "err.value_whole", "int_type": "err.value_whole", "int_from_float": "err.value_whole",
                 "bool_parsing": "err.value_bool", "bool_type": "err.value_bool", "string_type": "err.value_text",
                 "list_type": "err.value_list", "literal_error": "err.value_one_of", "greater_than": "err.value_gt",
                 "greater_than_equal": "err.value_ge", "less_than": "err.value_lt", "less_than_equal": "err.value_le",
                 "extra_forbidden": "err.value_extra", "dict_type": "err.value_mapping", "finite_number": "err.value_finite",
                 "too_short": "err.value_too_short", "too_long": "err.value_too_long",
                 "string_too_short": "err.value_text_too_short",
                 "enum": "err.value_one_of", "multiple_of": "err.value_multiple_of"}


#: pydantic's container names (the ``field_type`` of too_short / too_long) in Chinese.
_FIELD_TYPES_ZH = {"List": "列表", "Tuple": "元组", "Dictionary": "映射", "Set": "集合", "Value": "值"}


def _value_words(err: Mapping[str, Any]) -> Both | str:
    """What a parameter model says about a value, in both languages when the catalogue knows the kind of error."""
    key = _VALUE_ERRORS.get(str(err.get("type")))
    if key is None:  # a rare kind: pydantic's own words, marked as the library's in Chinese
        return Both(str(err["msg"]), library_text(err["msg"]).text("zh"))
    ctx = {k: str(v).replace("' or '", "' 或 '") for k, v in (err.get("ctx") or {}).items()}  # 'walk' or 'bike'
    if "field_type" in ctx:  # too_short / too_long: "List", "Dictionary" ...
        ctx["field_type"] = _FIELD_TYPES_ZH.get(ctx["field_type"], ctx["field_type"])
    return Both(str(err["msg"]), Message(key, **ctx).text("zh"))


def _extends_path(value: Any, path: Path, line: int) -> Path:
    """The file ``extends:`` names, through the one path resolver: inside the extending file's folder or the
    package's scenarios, checked before anything is opened."""
    text = str(value).strip()
    roots = [path.parent, SCENARIO_DIR]
    target = resolve_scenario_path(text, base=path.parent) if text.isdigit() and len(text) == 4 else text
    try:
        return resolve_inside(str(target), roots, label="scenarios")
    except PathRefused as exc:
        raise ScenarioError(Message("err.scenario_extends_refused", path=str(path), line=line, reason=exc.message)) from exc


def _read_chain(path: Path, problems: list[str], seen: tuple[Path, ...] = ()) -> list[tuple[Path, LineDict]]:
    try:
        path = safe_resolve(path)
    except PathRefused as exc:
        raise ScenarioError(Message("err.scenario_path_refused", reason=exc.message)) from exc
    if path in seen:
        links = " -> ".join(p.name for p in (*seen, path))
        raise ScenarioError(Message("err.scenario_extends_loop", path=str(path), chain=links))
    doc = load_yaml(path, error_cls=ScenarioError, what="scenario")
    if not isinstance(doc, LineDict):
        raise ScenarioError(Message("err.scenario_not_mapping", path=str(path)))
    for k in doc:
        if k not in _TOP_KEYS:
            problems.append(at(f"{path}:{doc.line_of(k)}", "err.scenario_top_key", field=k,
                               hint=did_you_mean(str(k), sorted(_TOP_KEYS)), valid=", ".join(sorted(_TOP_KEYS))))
    if "year" in doc and (not isinstance(doc["year"], int) or isinstance(doc["year"], bool)
                          or not 1900 <= doc["year"] <= 2200):
        problems.append(at(f"{path}:{doc.line_of('year')}", "err.scenario_year", got=repr(doc["year"])))
    chain: list[tuple[Path, LineDict]] = []
    if "extends" in doc:
        parent = _extends_path(doc["extends"], path, doc.line_of("extends"))
        if not parent.is_file():
            raise ScenarioError(Message("err.scenario_extends_missing", path=str(path), line=doc.line_of("extends"),
                                        value=doc["extends"], parent=str(parent)))
        chain = _read_chain(parent, problems, (*seen, path))
    chain.append((path, doc))
    return chain


def _read_plans(file: Path, doc: LineDict, plans: dict[str, Plan], problems: list[str]) -> None:
    """Add the plans a scenario file declares under ``plans:`` to ``plans`` (a later file's win)."""
    doc_plans = doc.get("plans") or {}
    if not isinstance(doc_plans, Mapping):
        problems.append(at(f"{file}:{doc.line_of('plans')}", "err.scenario_plans_mapping"))
        doc_plans = {}
    for key, raw in doc_plans.items():
        if not isinstance(raw, Mapping) or "title" not in raw:
            problems.append(at(f"{file}:{doc.line_of('plans')}", "err.scenario_plan_title", field=key))
            continue
        en, zh = bilingual(raw["title"], f"{file}:{doc.line_of('plans')}: plan {key!r}, key 'title'", problems)
        plans[key] = Plan(key=key, title=zh or en, document=str(raw.get("document", "")),
                          file=str(raw.get("file", "")), title_en=en if zh else "")


def bilingual(value: object, where: str, problems: list[str]) -> tuple[str, str]:
    """``(en, zh)`` of a title or description: ``{zh: ..., en: ...}``, or plain text as ``(text, "")``.

    >>> bilingual({"zh": "郑州", "en": "Zhengzhou"}, "x", []), bilingual("Zhengzhou", "x", [])
    (('Zhengzhou', '郑州'), ('Zhengzhou', ''))
    """
    if isinstance(value, Mapping):
        if not ({"zh", "en"} <= set(value)) or set(value) - {"zh", "en"}:
            problems.append(f"{where}: give both languages as {{zh: ..., en: ...}} (or one plain text).")
        return str(value.get("en", "")), str(value.get("zh", ""))
    return ("" if value is None else str(value)), ""


def _merge_targets(file: Path, doc: LineDict, merged: dict[str, tuple[Path, LineDict]], problems: list[str]) -> None:
    """Merge a scenario file's targets into ``merged``: a child's keys override its parent's, ``remove:`` drops."""
    targets = doc.get("targets") or []
    if not isinstance(targets, list):
        problems.append(at(f"{file}:{doc.line_of('targets')}", "err.scenario_targets_list"))
        targets = []
    for raw in targets:
        if not isinstance(raw, LineDict) or "id" not in raw:
            problems.append(at(f"{file}:{getattr(raw, 'line', doc.line_of('targets'))}", "err.scenario_target_id"))
            continue
        tid = str(raw["id"])
        if raw.get("remove"):
            merged.pop(tid, None)
            continue
        if tid in merged and merged[tid][0] != file:
            base = LineDict(merged[tid][1])
            base.key_lines = dict(merged[tid][1].key_lines)
            base.line = raw.line
            base.update(raw)
            base.key_lines.update(raw.key_lines)
            merged[tid] = (file, base)
        elif tid in merged:
            problems.append(at(f"{file}:{raw.line}", "err.scenario_target_twice", tid=tid))
        else:
            merged[tid] = (file, raw)


def load_scenario(value: str | Path) -> Scenario:
    """Read and validate a scenario (a year such as ``2025`` or a path to a YAML file).

    Parameters
    ----------
    value
        A four-digit year (resolved to ``scenarios/<year>.yaml``) or a file path.

    Returns
    -------
    Scenario
        The validated scenario with inherited targets merged (child keys override parent keys).

    Raises
    ------
    ScenarioError
        With every problem found, each naming file, line, key and the fix.
    """
    path = resolve_scenario_path(value)
    if not path.exists():
        available = sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))
        raise ScenarioError(Message("err.scenario_not_found", value=str(value), path=str(path), folder=str(SCENARIO_DIR),
                                    years=", ".join(available) or Message("err.none")))
    problems: list[str] = []
    chain = _read_chain(path, problems)  # collects every file's problems; raises only when it cannot go on
    plans: dict[str, Plan] = {}
    merged: dict[str, tuple[Path, LineDict]] = {}
    year = None
    title = description = ("", "")
    baseline: object = False
    for file, doc in chain:
        _read_plans(file, doc, plans, problems)
        _merge_targets(file, doc, merged, problems)
        year = doc.get("year", year)
        if "title" in doc:
            title = bilingual(doc["title"], f"{file}:{doc.line_of('title')}: key 'title'", problems)
        if "description" in doc:
            description = bilingual(doc["description"], f"{file}:{doc.line_of('description')}: key 'description'",
                                    problems)
        baseline = doc.get("baseline", False)  # the file's own: never inherited through `extends:`
    if year is None:
        problems.append(at(str(path), "err.scenario_year_missing"))
    if not isinstance(baseline, bool):
        problems.append(at(str(path), "err.scenario_baseline"))
    specs = []
    for file, raw in merged.values():
        spec = _parse_target(raw, file, plans, problems)
        if spec is not None:
            specs.append(spec)
    if problems:
        raise ScenarioError(Message("err.problems", what=Message("err.what_scenario"), path=str(path), n=len(problems),
                                    items=Lines(problems)))
    assert year is not None  # a missing year is one of the problems above
    return Scenario(year=int(year), title=title[0], path=path, plans=plans, targets=tuple(specs),
                    chain=tuple(p for p, _ in chain), baseline=bool(baseline), title_zh=title[1],
                    description=description[0], description_zh=description[1])
