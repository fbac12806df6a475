"""What keys each target kind accepts in a scenario file (pure data: no heavy imports).

Each entry maps a key to ``(types, required, help)``. The scenario loader checks every target
against this table and reports unknown keys with the closest valid one.
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
    "assumptions": (List, False, "plain sentences printed with the result"),
    "remove": (Bool, False, "drop a target inherited through `extends:`"),
    "unit": (Map, False, "{zh: ..., en: ...} label of the measured value"),
}

FILTER = (Map, False, "attribute filter, e.g. {puhui: true, slots: {'>=': 50}}")

KIND_KEYS: dict[str, dict[str, tuple[tuple[type, ...], bool, str]]] = {
    "ratio": {
        "layer": (Str, False, "facility role (e.g. childcare); omit with capacity_field"),
        "capacity": (Str, False, "attribute summed as supply, or 'count' (default)"),
        "capacity_field": (Str, False, "supply taken from a unit attribute instead of facilities"),
        "population": (Str, False, "population group: total (default), age_0_2, age_60_plus"),
        "population_field": (Str, False, "population taken from a unit attribute instead of the grid"),
        "per": (Num, False, "people per which capacity is counted (default 1000)"),
        "level": (Str, False, "unit level or named area checked (default city)"),
        "classes": (List, False, "only units of these classes are checked"),
        "area": (Str, False, "restrict to a named area, e.g. built_up"),
        "where": FILTER,
    },
    "presence": {
        "layer": (Str, True, "facility role"),
        "level": (Str, True, "unit level checked (district, street, community)"),
        "classes": (List, False, "only units of these classes are checked"),
        "where": FILTER,
        "min_count": (Num, False, "facilities each unit needs (default 1)"),
        "min_count_by_class": (Map, False, "{class: count} overrides"),
        "min_count_by_name": (Map, False, "{unit name or id: count} overrides"),
        "facility_label": (Map, False, "{zh: ..., en: ...} what one qualifying facility is called"),
    },
    "share": {
        "layer": (Str, True, "facility role"),
        "numerator": (Str, True, "attribute summed on top, or 'count'"),
        "numerator_where": FILTER,
        "denominator": (Str, False, "attribute summed below (default: the numerator)"),
        "where": FILTER,
        "level": (Str, False, "breakdown level (default district)"),
    },
    "count": {
        "layer": (Str, True, "facility role"),
        "where": FILTER,
        "level": (Str, False, "breakdown level (default district)"),
    },
}


def kind_keys(kind: str) -> dict[str, tuple[tuple[type, ...], bool, str]]:
    """All keys a target of ``kind`` accepts (common + kind-specific)."""
    return {**COMMON_KEYS, **KIND_KEYS[kind]}


def describe_type(types: tuple[type, ...]) -> str:
    """Planner words for a tuple of Python types."""
    names = {int: "a number", float: "a number", str: "text", dict: "a mapping", list: "a list", bool: "true/false"}
    return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in types))

