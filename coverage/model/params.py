"""Typed target parameters: one pydantic model per target kind, every default in one place.

A scenario target's kind-specific keys are validated into the model of its kind
(:attr:`TargetSpec.settings <coverage_planner.model.scenario.TargetSpec>`); ``model.schema`` derives the
loader's key table (types, required, help) from these models, and ``coverage schema`` prints the JSON
Schema of scenario files built from them. Defaults that depend on another key (a cycling speed for
``mode: bike``, the spacing from ``threshold.max``) stay ``None`` here and are resolved by the kind.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["PARAM_MODELS", "TargetParams", "scenario_json_schema"]

Filter = dict[str, Any]
_WHERE = Field(None, description="attribute filter, e.g. {puhui: true, slots: {'>=': 50}}")


class TargetParams(BaseModel):
    """Keys every kind shares: none beyond the common target keys; the base of every kind's model."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RatioParams(TargetParams):
    layer: str | None = Field(None, description="facility role (e.g. childcare); omit with capacity_field")
    capacity: str = Field("count", description="attribute summed as supply, or 'count' (default)")
    capacity_field: str | None = Field(None, description="supply taken from a unit attribute instead of facilities")
    population: str = Field("total", description="population group: total (default), age_0_2, age_60_plus")
    population_field: str | None = Field(None, description="population taken from a unit attribute instead of the grid")
    per: float = Field(1000, description="people per which capacity is counted (default 1000)")
    level: str = Field("city", description="unit level or named area checked (default city)")
    classes: list[str] | None = Field(None, description="only units of these classes are checked")
    roles: list[str] | None = Field(None, description="only districts of these roles or groups")
    also_layers: list[str] | None = Field(
        None, description="more facility roles whose capacity is added (e.g. every health institution)")
    area: str | None = Field(None, description="restrict to a named area, e.g. built_up")
    where: Filter | None = _WHERE
    judge: Literal["units", "city"] = Field(
        "units", description="'units' (default: every unit must meet it) or 'city' (a city figure; units are detail)")


class PresenceParams(TargetParams):
    layer: str = Field(description="facility role")
    level: str = Field(description="unit level checked (district, street, community)")
    classes: list[str] | None = Field(None, description="only units of these classes are checked")
    where: Filter | None = _WHERE
    min_count: float = Field(1, description="facilities each unit needs (default 1)")
    min_count_by_class: dict[str, float] | None = Field(None, description="{class: count} overrides")
    roles: list[str] | None = Field(None, description="only districts of these roles or groups (inner_district, "
                                    "district_zone, county_like_district, county_city, rural_county, counties, or one role)")
    min_count_by_role: dict[str, float] | None = Field(
        None, description="{role or group: count} overrides (a role wins over its group)")
    facility_label: dict[str, str] | None = Field(None, description="{zh: ..., en: ...} what one qualifying facility is called")


class ShareParams(TargetParams):
    layer: str = Field(description="facility role")
    numerator: str = Field(description="attribute summed on top, or 'count'")
    numerator_where: Filter | None = Field(None, description="filter of the numerator's facilities")
    denominator: str | None = Field(None, description="attribute summed below (default: the numerator)")
    where: Filter | None = _WHERE
    level: str = Field("district", description="breakdown level (default district)")


class CountParams(TargetParams):
    layer: str = Field(description="facility role")
    where: Filter | None = _WHERE
    level: str = Field("district", description="breakdown level (default district)")
    built_from: int | None = Field(None, description="count only what was built or extended from this year on "
                                                     "(open_year or extended_year), e.g. 2021 for the plan period")
    area: str | None = Field(None, description="count only facilities inside this named area, e.g. high_intensity")
    facility_label: dict[str, str] | None = Field(None, description="{zh: ..., en: ...} what one counted facility is called")


class SpacingParams(TargetParams):
    layer: str = Field(description="station layer (seismic_station)")
    where: Filter | None = _WHERE
    spacing_km: float | None = Field(None, description="the plan's spacing (default: threshold.max)")
    metric: str = Field("delaunay_max",
                        description="delaunay_max (default: longest distance between neighbouring stations), nn_mean, "
                                    "lattice_triangular, coverage_triangular (largest empty circle vs S/√3), ...")
    k: int = Field(1, description="k-th nearest station for the coverage form (default 1)")
    grid_m: float = Field(500, description="grid for the coverage search (default 500)")
    level: str = Field("district", description="breakdown level (default district)")


class DetectionParams(TargetParams):
    layer: str = Field(description="station layer")
    where: Filter | None = _WHERE
    magnitude: float = Field(1.0, description="the ML to detect (default 1.0)")
    n_stations: int = Field(4, description="stations that must record it (default 4)")
    grid_m: float = Field(1000, description="grid spacing (default 1000)")
    depth_km: float = Field(10, description="focal depth (default 10)")
    snr: float = Field(2.0, description="amplitude / noise needed (default 2, GB 17740)")
    default_noise_um: float | None = Field(None, description="station noise where the layer has none (default 0.03 μm)")
    level: str = Field("district", description="breakdown level (default district)")


class WarningTimeParams(TargetParams):
    layer: str = Field(description="station layer")
    where: Filter | None = _WHERE
    area: str = Field("key_areas", description="named area of the key areas (default key_areas)")
    within_s: float = Field(10, description="alert time bound after origin (default 10 s)")
    processing_delay_s: float | None = Field(
        None, description="system delay (default 7.6 s, measured for the Chinese system; 3 s modelled)")
    k: int = Field(4, description="stations needed to alert (default 4)")
    vp_km_s: float = Field(6.0, description="P-wave speed (default 6.0)")
    vs_km_s: float = Field(3.5, description="S-wave speed (default 3.5)")
    depth_km: float = Field(10, description="focal depth (default 10)")
    grid_m: float = Field(1000, description="epicentre grid (default 1000)")


class _AccessParams(TargetParams):
    layer: str = Field(description="facility role")
    where: Filter | None = _WHERE
    population: str = Field("total", description="population group (default total)")
    level: str = Field("street", description="breakdown level (default street)")
    classes: list[str] | None = Field(None, description="only people in units of these classes count")
    area: str | None = Field(None, description="only people inside this named area")
    outside_area: str | None = Field(None, description="only people outside this named area")
    facility_label: dict[str, str] | None = Field(None, description="{zh: ..., en: ...} what one facility is called in the sentences")


class WalkAccessParams(_AccessParams):
    distance_m: float | None = Field(None, description="network distance (or give minutes)")
    minutes: float = Field(15, description="travel time (with speed_m_per_min)")
    speed_m_per_min: float | None = Field(None, description="default 60 walking, 250 cycling")
    mode: Literal["walk", "bike"] = Field("walk", description="walk (default) or bike")


class CatchmentParams(_AccessParams):
    capacity: str = Field(description="attribute shared among the people in reach (m², slots)")
    catchment_m: float = Field(description="service distance on the network")
    norm: float = Field(description="capacity each person should reach, e.g. 1.5 (m² per person)")
    per: float = Field(1, description="people the norm is per (default 1)")
    decay: str | None = Field(None, description="distance decay for E2SFCA: gaussian, linear, ... (default none = 2SFCA)")
    method: str = Field(
        "2sfca", description="2sfca (default), 3sfca (selection-weighted) or raam (rational agent access model)")
    mode: Literal["walk", "bike"] = Field("walk", description="walk (default) or bike")


class RadiusCoverageParams(_AccessParams):
    radius_m: float = Field(500, description="straight-line radius of every facility (default 500)")
    radius_field: str | None = Field(None, description="per-facility radius column instead")
    new_radius_m: float | None = Field(None, description="radius of a proposed site (siting; default radius_m)")


#: Kind -> its parameter model.
PARAM_MODELS: dict[str, type[TargetParams]] = {
    "ratio": RatioParams, "presence": PresenceParams, "share": ShareParams, "count": CountParams,
    "spacing": SpacingParams, "detection": DetectionParams, "warning_time": WarningTimeParams,
    "walk_access": WalkAccessParams, "catchment_capacity": CatchmentParams, "radius_coverage": RadiusCoverageParams,
}


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file (for editors: YAML language servers read it).

    Examples
    --------
    >>> schema = scenario_json_schema()
    >>> sorted(schema["properties"])
    ['baseline', 'description', 'extends', 'plans', 'targets', 'title', 'year']
    >>> kinds = {b["properties"].get("kind", {}).get("const") for b in schema["properties"]["targets"]["items"]["oneOf"]}
    >>> "walk_access" in kinds
    True
    """
    from .schema import COMMON_KEYS

    def common() -> dict[str, Any]:
        props: dict[str, Any] = {}
        for key, (types, _required, help_text) in COMMON_KEYS.items():
            props[key] = {"description": help_text, **_json_type(types), **_COMMON_ITEMS.get(key, {})}
        return props

    targets = []
    for kind, model in PARAM_MODELS.items():
        sub = model.model_json_schema()
        props = {**common(), **sub.get("properties", {}), "kind": {"const": kind}}
        required = sorted({"id", "kind", "title", "plan", "quote", *sub.get("required", [])})
        targets.append({"type": "object", "title": kind, "properties": props, "required": required,
                        "additionalProperties": False, **({"$defs": sub["$defs"]} if "$defs" in sub else {})})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "coverage scenario",
        "type": "object",
        "properties": {
            "year": {"type": "integer", "description": "the scenario year"},
            "title": {"oneOf": [_BILINGUAL, {"type": "string"}], "description": "{zh: ..., en: ...}, or plain text"},
            "description": {"oneOf": [_BILINGUAL, {"type": "string"}], "description": "{zh: ..., en: ...}, or plain text"},
            "baseline": {"type": "boolean", "description": "the thresholds are the plan's baseline figures (基期值)"},
            "extends": {"type": ["integer", "string"], "description": "a scenario this one builds on (year or file)"},
            "plans": {"type": "object", "description": "key -> {title, document, file}; title {zh: ..., en: ...} or plain",
                      "additionalProperties": {"type": "object", "required": ["title"], "properties": {
                          "title": {"oneOf": [_BILINGUAL, {"type": "string"}]}, "document": {"type": "string"},
                          "file": {"type": "string"}}}},
            "targets": {"type": "array", "items": {"oneOf": [*targets, _override(targets)]}},
        },
        "required": ["year", "targets"],
        "additionalProperties": False,
    }


#: Text in both languages, as a scenario writes a title or an assumption.
_BILINGUAL = {"type": "object", "properties": {"zh": {"type": "string"}, "en": {"type": "string"}},
              "required": ["zh", "en"], "additionalProperties": False}
#: Common keys whose entries the JSON Schema describes further.
_COMMON_ITEMS: dict[str, dict[str, Any]] = {
    "title": {k: v for k, v in _BILINGUAL.items() if k != "type"},
    "assumptions": {"items": {"oneOf": [_BILINGUAL, {"type": "string"}]}},
}


def _override(targets: list[dict[str, Any]]) -> dict[str, Any]:
    """In a scenario that ``extends:`` another: an entry without ``kind`` changes (or removes) an inherited target.

    It may set any key some kind accepts (the loader checks it against the inherited target's kind).
    """
    keys: dict[str, Any] = {}
    for t in targets:
        keys.update({k: v for k, v in t["properties"].items() if k != "kind"})
    return {"type": "object", "title": "change of an inherited target", "required": ["id"],
            "properties": keys, "additionalProperties": False, "not": {"required": ["kind"]}}


def _json_type(types: tuple[type, ...]) -> dict[str, Any]:
    names = {int: "number", float: "number", str: "string", dict: "object", list: "array", bool: "boolean"}
    found = sorted({names[t] for t in types if t in names})
    return {"type": found[0] if len(found) == 1 else found}
