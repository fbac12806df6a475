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


KIND_KEYS["spacing"] = {
    "layer": (Str, True, "station layer (seismic_station)"),
    "where": FILTER,
    "spacing_km": (Num, False, "the plan's spacing (default: threshold.max)"),
    "metric": (Str, False, "coverage_triangular (default), coverage_square, delaunay_max, nn_max, ..."),
    "k": (Num, False, "k-th nearest station for the coverage form (default 1)"),
    "grid_m": (Num, False, "grid for the coverage search (default 500)"),
    "level": (Str, False, "breakdown level (default district)"),
}
KIND_KEYS["detection"] = {
    "layer": (Str, True, "station layer"),
    "where": FILTER,
    "magnitude": (Num, False, "the ML to detect (default 1.0)"),
    "n_stations": (Num, False, "stations that must record it (default 4)"),
    "grid_m": (Num, False, "grid spacing (default 1000)"),
    "depth_km": (Num, False, "focal depth (default 10)"),
    "snr": (Num, False, "amplitude / noise needed (default 2, GB 17740)"),
    "default_noise_um": (Num, False, "station noise where the layer has none (default 0.03 μm)"),
    "level": (Str, False, "breakdown level (default district)"),
}
KIND_KEYS["warning_time"] = {
    "layer": (Str, True, "station layer"),
    "where": FILTER,
    "area": (Str, False, "named area of the key areas (default key_areas)"),
    "within_s": (Num, False, "alert time bound after origin (default 10 s)"),
    "processing_delay_s": (Num, False, "system delay (default 3 s; 7.6 s measured for China)"),
    "k": (Num, False, "stations needed to alert (default 4)"),
    "vp_km_s": (Num, False, "P-wave speed (default 6.0)"),
    "vs_km_s": (Num, False, "S-wave speed (default 3.5)"),
    "depth_km": (Num, False, "focal depth (default 10)"),
    "grid_m": (Num, False, "epicentre grid (default 1000)"),
}


_ACCESS_COMMON = {
    "layer": (Str, True, "facility role"),
    "where": FILTER,
    "population": (Str, False, "population group (default total)"),
    "level": (Str, False, "breakdown level (default street)"),
    "classes": (List, False, "only people in units of these classes count"),
    "area": (Str, False, "only people inside this named area"),
    "outside_area": (Str, False, "only people outside this named area"),
}
KIND_KEYS["walk_access"] = {
    **_ACCESS_COMMON,
    "distance_m": (Num, False, "network distance (or give minutes)"),
    "minutes": (Num, False, "travel time (with speed_m_per_min)"),
    "speed_m_per_min": (Num, False, "default 60 walking, 250 cycling"),
    "mode": (Str, False, "walk (default) or bike"),
}
KIND_KEYS["catchment_capacity"] = {
    **_ACCESS_COMMON,
    "capacity": (Str, True, "attribute shared among the people in reach (m², slots)"),
    "catchment_m": (Num, True, "service distance on the network"),
    "norm": (Num, True, "capacity each person should reach, e.g. 1.5 (m² per person)"),
    "per": (Num, False, "people the norm is per (default 1)"),
    "decay": (Str, False, "distance decay for E2SFCA: gaussian, linear, ... (default none = 2SFCA)"),
    "mode": (Str, False, "walk (default) or bike"),
    "method": (Str, False, "2sfca (default), 3sfca (selection-weighted) or raam (rational agent access model)"),
}
KIND_KEYS["radius_coverage"] = {
    **_ACCESS_COMMON,
    "radius_m": (Num, False, "straight-line radius of every facility (default 500)"),
    "radius_field": (Str, False, "per-facility radius column instead"),
}


def kind_keys(kind: str) -> dict[str, tuple[tuple[type, ...], bool, str]]:
    """All keys a target of ``kind`` accepts (common + kind-specific)."""
    return {**COMMON_KEYS, **KIND_KEYS[kind]}


def describe_type(types: tuple[type, ...]) -> str:
    """Planner words for a tuple of Python types."""
    names = {int: "a number", float: "a number", str: "text", dict: "a mapping", list: "a list", bool: "true/false"}
    return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in types))

