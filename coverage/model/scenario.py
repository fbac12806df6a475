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
from ..errors import ScenarioError
from .messages import Both, Message
from .params import PARAM_MODELS, TargetParams
from .paths import PathRefused, resolve_inside, safe_resolve
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
        """A kind-specific parameter as written; else ``default`` if given; else the kind's typed default."""
        if key in self.params:
            return self.params[key]
        if default is not None or self.settings is None or key not in type(self.settings).model_fields:
            return default
        return getattr(self.settings, key)


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
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        msg = (
            f"Target {target_id!r} is not in scenario {self.path.name} (year {self.year}).{hint} "
            f"Valid ids: {', '.join(t.id for t in self.targets)}."
        )
        raise ScenarioError(msg)


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


def _suggest(key: str, valid: list[str]) -> str:
    close = difflib.get_close_matches(key, valid, n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


def _check_filter(where: Any, path: Path, line: int, tid: str, key: str, problems: list[str]) -> None:
    if not isinstance(where, Mapping):
        problems.append(f"{path}:{line}: target {tid!r}, key {key!r}: must be a mapping of attribute: condition.")
        return
    for attr, cond in where.items():
        if isinstance(cond, Mapping):
            bad = [op for op in cond if op not in _OPS]
            if bad:
                problems.append(
                    f"{path}:{line}: target {tid!r}, {key}.{attr}: operator {bad[0]!r} is not allowed; "
                    f"use one of {sorted(_OPS)} (quote them, e.g. '>=': 50)."
                )


def _parse_target(raw: Any, path: Path, plans: Mapping[str, Plan], problems: list[str]) -> TargetSpec | None:
    line = getattr(raw, "line", 0)
    if not isinstance(raw, Mapping):
        problems.append(f"{path}:{line}: each entry of `targets:` must be a mapping (id: ..., kind: ...).")
        return None
    tid = str(raw.get("id", "?"))
    kind = raw.get("kind")
    if kind not in KIND_KEYS:
        problems.append(
            f"{path}:{raw.line_of('kind') if isinstance(raw, LineDict) else line}: target {tid!r}: kind "
            f"{kind!r} is not known; expected one of {sorted(KIND_KEYS)}.{_suggest(str(kind), list(KIND_KEYS))}"
        )
        return None
    schema = kind_keys(kind)
    n_before = len(problems)
    for key, value in raw.items():
        kl = raw.line_of(key) if isinstance(raw, LineDict) else line
        if key not in schema:
            problems.append(
                f"{path}:{kl}: target {tid!r}: key {key!r} is not valid for kind {kind!r}."
                f"{_suggest(key, list(schema))} Valid keys: {', '.join(sorted(schema))}."
            )
            continue
        types, _, help_text = schema[key]
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if not ok:
            problems.append(
                f"{path}:{kl}: target {tid!r}, key {key!r}: expected {describe_type(types)} ({help_text}), "
                f"got {value!r}."
            )
        elif key in {"where", "numerator_where"}:
            _check_filter(value, path, kl, tid, key, problems)
    for key, (_, required, help_text) in schema.items():
        if required and key not in raw:
            problems.append(f"{path}:{line}: target {tid!r}: missing key {key!r} ({help_text}).")
    threshold = raw.get("threshold") or {}
    if isinstance(threshold, Mapping):
        bad = [k for k in threshold if k not in {"min", "max"}]
        if bad or any(not isinstance(v, int | float) or isinstance(v, bool) for v in threshold.values()):
            problems.append(
                f"{path}:{raw.line_of('threshold') if isinstance(raw, LineDict) else line}: target {tid!r}: "
                "threshold must be {min: number} and/or {max: number}."
            )
    if kind in {"ratio", "share", "count"} and not threshold and "threshold" in schema:
        problems.append(f"{path}:{line}: target {tid!r}: kind {kind!r} needs a threshold, e.g. threshold: {{min: 6}}.")
    plan_key = raw.get("plan")
    if isinstance(plan_key, str) and plan_key not in plans:
        problems.append(
            f"{path}:{raw.line_of('plan') if isinstance(raw, LineDict) else line}: target {tid!r}: plan "
            f"{plan_key!r} is not declared under `plans:` ({', '.join(plans) or 'none declared'})."
        )
    title = raw.get("title") or {}
    if isinstance(title, Mapping) and not ({"zh", "en"} <= set(title)):
        problems.append(f"{path}:{line}: target {tid!r}: title needs both zh and en, e.g. title: {{zh: 每千人口托位数, en: ...}}.")
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
            problems.append(f"{path}:{kl}: target {tid!r}, key 'assumptions', entry {i + 1}: each assumption is a "
                            f"sentence or {{zh: ..., en: ...}} with both languages, got {entry!r}.")
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
            problems.append(f"{path}:{kl}: target {tid!r}, key {key!r}: {err['msg']} (got {err.get('input')!r}).")
        return None


def _extends_path(value: Any, path: Path, line: int) -> Path:
    """The file ``extends:`` names, through the one path resolver: inside the extending file's folder or the
    package's scenarios, checked before anything is opened."""
    text = str(value).strip()
    roots = [path.parent, SCENARIO_DIR]
    target = resolve_scenario_path(text, base=path.parent) if text.isdigit() and len(text) == 4 else text
    try:
        return resolve_inside(str(target), roots, label="scenarios")
    except PathRefused as exc:
        msg = (f"{path}:{line}: `extends`: {exc}. A scenario may extend a year (e.g. extends: 2025) or a file "
               "in its own folder.")
        raise ScenarioError(msg) from exc


def _read_chain(path: Path, problems: list[str], seen: tuple[Path, ...] = ()) -> list[tuple[Path, LineDict]]:
    try:
        path = safe_resolve(path)
    except PathRefused as exc:
        raise ScenarioError(f"Scenario {exc}. Pass a real file.") from exc
    if path in seen:
        msg = f"{path}: `extends:` makes a loop ({' -> '.join(p.name for p in (*seen, path))}). Remove one link."
        raise ScenarioError(msg)
    doc = load_yaml(path, error_cls=ScenarioError, what="scenario")
    if not isinstance(doc, LineDict):
        msg = f"{path}: a scenario must be a mapping with year:, plans: and targets: keys."
        raise ScenarioError(msg)
    for k in doc:
        if k not in _TOP_KEYS:
            problems.append(
                f"{path}:{doc.line_of(k)}: top-level key {k!r} is not valid.{_suggest(str(k), sorted(_TOP_KEYS))} "
                f"Valid keys: {', '.join(sorted(_TOP_KEYS))}."
            )
    if "year" in doc and (not isinstance(doc["year"], int) or isinstance(doc["year"], bool)
                          or not 1900 <= doc["year"] <= 2200):
        problems.append(f"{path}:{doc.line_of('year')}: `year:` must be a four-digit year, e.g. year: 2025 "
                        f"(got {doc['year']!r}).")
    chain: list[tuple[Path, LineDict]] = []
    if "extends" in doc:
        parent = _extends_path(doc["extends"], path, doc.line_of("extends"))
        if not parent.is_file():
            msg = f"{path}:{doc.line_of('extends')}: extends {doc['extends']!r}, but {parent} does not exist."
            raise ScenarioError(msg)
        chain = _read_chain(parent, problems, (*seen, path))
    chain.append((path, doc))
    return chain


def _read_plans(file: Path, doc: LineDict, plans: dict[str, Plan], problems: list[str]) -> None:
    """Add the plans a scenario file declares under ``plans:`` to ``plans`` (a later file's win)."""
    doc_plans = doc.get("plans") or {}
    if not isinstance(doc_plans, Mapping):
        problems.append(f"{file}:{doc.line_of('plans')}: `plans:` must map plan keys to {{title: ...}}.")
        doc_plans = {}
    for key, raw in doc_plans.items():
        if not isinstance(raw, Mapping) or "title" not in raw:
            problems.append(f"{file}:{doc.line_of('plans')}: plan {key!r} needs at least a title.")
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
        problems.append(f"{file}:{doc.line_of('targets')}: `targets:` must be a list of targets (each entry "
                        "starting with '- id: ...').")
        targets = []
    for raw in targets:
        if not isinstance(raw, LineDict) or "id" not in raw:
            problems.append(f"{file}:{getattr(raw, 'line', doc.line_of('targets'))}: every target needs an id.")
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
            problems.append(f"{file}:{raw.line}: target id {tid!r} appears twice in this file.")
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
        msg = (
            f"Scenario {str(value)!r} not found (looked for {path}). Pass a year that has a file in "
            f"{SCENARIO_DIR} ({', '.join(available) or 'none'}) or a path to a scenario YAML file."
        )
        raise ScenarioError(msg)
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
        problems.append(f"{path}: `year:` is missing; add a four-digit year, e.g. year: 2025.")
    if not isinstance(baseline, bool):
        problems.append(f"{path}: `baseline:` must be true or false (true: the targets are the plan's baseline figures).")
    specs = []
    for file, raw in merged.values():
        spec = _parse_target(raw, file, plans, problems)
        if spec is not None:
            specs.append(spec)
    if problems:
        head = f"Scenario {path} has {len(problems)} problem{'s' if len(problems) > 1 else ''}:"
        raise ScenarioError(head + "\n" + "\n".join(f"- {p}" for p in problems))
    assert year is not None  # a missing year is one of the problems above
    return Scenario(year=int(year), title=title[0], path=path, plans=plans, targets=tuple(specs),
                    chain=tuple(p for p, _ in chain), baseline=bool(baseline), title_zh=title[1],
                    description=description[0], description_zh=description[1])
