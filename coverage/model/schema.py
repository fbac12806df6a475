"""What keys each target kind accepts in a scenario file.

Each entry maps a key to ``(types, required, help)``. The scenario loader checks every target
against this table and reports unknown keys with the closest valid one. The kind-specific keys are
derived from the typed models of :mod:`coverage_planner.model.params`, where every default lives.
"""

from __future__ import annotations

Num = (int, float)
Str = (str,)
Map = (dict,)
List = (list,)
Bool = (bool,)

COMMON_KEYS: dict[str, tuple[tuple[type, ...], bool, str]] = {
    "id": (Str, True, "the target's id from TARGETS.md"),
    "kind": (Str, True, "the kind of test"),
    "title": (Map, True, "{zh: ..., en: ...}"),
    "plan": (Str, True, "key of the plan in the scenario's `plans:`"),
    "chapter": (Str, False, "plan chapter, e.g. 托育"),
    "quote": (Str, True, "the plan's exact words"),
    "threshold": (Map, False, "{min: number} or {max: number}"),
    "references": (List, False, "standards or sources behind the parameters"),
    "assumptions": (List, False, "sentences printed with the result: {zh: ..., en: ...} each, or plain text shown as written"),
    "remove": (Bool, False, "drop a target inherited through `extends:`"),
    "unit": (Map, False, "{zh: ..., en: ...} label of the measured value"),
}

def _types(annotation: object) -> tuple[type, ...]:
    """Python types a YAML value may have for a model field's annotation (None dropped, Literal -> its type)."""
    import types as _t
    import typing

    origin = typing.get_origin(annotation)
    if origin in (typing.Union, _t.UnionType):
        return tuple(dict.fromkeys(t for a in typing.get_args(annotation) if a is not type(None) for t in _types(a)))
    if origin is typing.Literal:
        return tuple(dict.fromkeys(type(a) for a in typing.get_args(annotation)))
    if origin in (dict, list):
        return (origin,)
    if annotation in (int, float):
        return Num
    return (annotation,) if isinstance(annotation, type) else (object,)


def _kind_keys() -> dict[str, dict[str, tuple[tuple[type, ...], bool, str]]]:
    """The loader's key table, derived from the typed models of ``model.params`` (one source of truth)."""
    from .params import PARAM_MODELS

    return {kind: {name: (_types(f.annotation), f.is_required(), f.description or "")
                   for name, f in model.model_fields.items()}
            for kind, model in PARAM_MODELS.items()}


KIND_KEYS: dict[str, dict[str, tuple[tuple[type, ...], bool, str]]] = _kind_keys()


def kind_keys(kind: str) -> dict[str, tuple[tuple[type, ...], bool, str]]:
    """All keys a target of ``kind`` accepts (common + kind-specific)."""
    return {**COMMON_KEYS, **KIND_KEYS[kind]}


def describe_type(types: tuple[type, ...], lang: str = "en") -> str:
    """Planner words for a tuple of Python types (English, or Chinese with ``lang="zh"``)."""
    if lang == "zh":
        zh = {int: "数字", float: "数字", str: "文本", dict: "映射", list: "列表", bool: "`true`/`false`"}
        return "或".join(dict.fromkeys(zh.get(t, t.__name__) for t in types))
    names = {int: "a number", float: "a number", str: "text", dict: "a mapping", list: "a list", bool: "true/false"}
    return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in types))

