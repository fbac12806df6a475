"""OpenStreetMap features -> the plans' facility roles, driven by ``osm_facility_tags.yaml``.

The mapping is data: edit the YAML (documented in its header) to add tags or Chinese name patterns.
Input is Overpass JSON (``out center tags``): nodes carry ``lat``/``lon``, ways and relations a
``center``. Output per role is a point table with ``lon``, ``lat`` (WGS84), ``name``, ``osm_id`` and the
attributes the mapping derives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ...errors import LayerError
from ...model.messages import Both, Message
from ...model.reasons import reason_words, yaml_problem

__all__ = ["MAPPING_PATH", "FacilityRule", "RoleMapping", "classify", "load_mapping", "overpass_query",
           "tables_from_overpass"]

MAPPING_PATH = Path(__file__).with_name("osm_facility_tags.yaml")


@dataclass(frozen=True)
class FacilityRule:
    """Tag conditions (all must hold) and attributes set on what matches."""

    tags: Mapping[str, tuple[str, ...]]  # () = tag present
    name_pattern: re.Pattern[str] | None
    set: Mapping[str, Any]

    def matches(self, tags: Mapping[str, str]) -> bool:
        """Whether an OSM feature with ``tags`` satisfies every condition of the rule."""
        for k, values in self.tags.items():
            if k not in tags or (values and tags[k] not in values):
                return False
        if self.name_pattern is not None:
            name = tags.get("name:zh") or tags.get("name") or ""
            if not self.name_pattern.search(name):
                return False
        return True


@dataclass(frozen=True)
class RoleMapping:
    """One role of the mapping file."""

    role: str
    rules: tuple[FacilityRule, ...]
    attributes: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    needs: tuple[str, ...] = ()
    note: str = ""
    units_only: bool = False


def _rule(raw: Mapping[str, Any], where: str) -> FacilityRule:
    tags: dict[str, tuple[str, ...]] = {}
    pattern = None
    for k, v in raw.items():
        if k == "set":
            continue
        if k == "name~":
            pattern = re.compile(str(v))
        elif v == "*":
            tags[k] = ()
        elif isinstance(v, list):
            tags[k] = tuple(str(x) for x in v)
        else:
            tags[k] = (str(v),)
    if not tags and pattern is None:
        raise LayerError(Message("err.tag_rule_empty", where=where))
    return FacilityRule(tags, pattern, dict(raw.get("set") or {}))


@lru_cache(maxsize=4)
def load_mapping(path: Path = MAPPING_PATH) -> tuple[RoleMapping, ...]:
    """Read the tag mapping (roles in file order; the first matching role wins)."""
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        reason = yaml_problem(exc.problem) if isinstance(exc, yaml.MarkedYAMLError) else reason_words(exc)
        raise LayerError(Message("err.tag_mapping_unreadable", path=str(path), reason=reason)) from exc
    out = []
    for role, raw in (doc.get("roles") or {}).items():
        rules = tuple(_rule(r, Message("err.tag_rule_where", path=str(path), role=role)) for r in raw.get("rules") or [])
        out.append(RoleMapping(str(role), rules, dict(raw.get("attributes") or {}), tuple(raw.get("needs") or ()),
                               _note(raw.get("note", "")), bool(raw.get("units_only", False))))
    return tuple(out)


def classify(tags: Mapping[str, str], mapping: Iterable[RoleMapping] | None = None
             ) -> list[tuple[str, dict[str, Any]]]:
    """Every role an OSM feature belongs to, with the attributes it gets there (first matching rule per role).

    A soccer pitch is both ``fitness`` and ``football_pitch``; a senior high school both ``high_school``
    and ``school``.
    """
    out: list[tuple[str, dict[str, Any]]] = []
    for role in mapping if mapping is not None else load_mapping():
        for rule in role.rules:
            if rule.matches(tags):
                attrs: dict[str, Any] = dict(rule.set)
                for std, spec in role.attributes.items():
                    raw = tags.get(str(spec.get("tag", std)))
                    if raw is None:
                        continue
                    if spec.get("number"):
                        num = pd.to_numeric(str(raw).split(";")[0].strip(), errors="coerce")
                        if pd.notna(num):
                            attrs[std] = float(num) * float(spec.get("factor", 1.0))
                    else:
                        attrs[std] = raw
                out.append((role.role, attrs))
                break
    return out


def tables_from_overpass(doc: Mapping[str, Any], mapping: Iterable[RoleMapping] | None = None
                         ) -> dict[str, pd.DataFrame]:
    """Sort the elements of an Overpass JSON answer into one table per role.

    Parameters
    ----------
    doc
        Parsed Overpass JSON (``[out:json]`` with ``out center tags``).
    mapping
        Role mappings (default: the packaged YAML).

    Returns
    -------
    dict
        role -> DataFrame with ``osm_id``, ``name``, ``lon``, ``lat`` and derived attributes.
    """
    mapping = tuple(mapping if mapping is not None else load_mapping())
    rows: dict[str, list[dict[str, Any]]] = {m.role: [] for m in mapping}
    for el in doc.get("elements") or []:
        tags = el.get("tags") or {}
        if not tags:
            continue
        hits = classify(tags, mapping)
        if not hits:
            continue
        if "lat" in el and "lon" in el:
            lat, lon = el["lat"], el["lon"]
        elif "center" in el:
            lat, lon = el["center"]["lat"], el["center"]["lon"]
        else:
            continue
        for role, attrs in hits:
            rows[role].append({"osm_id": f"{el.get('type', 'node')}/{el.get('id')}",
                               "name": tags.get("name:zh") or tags.get("name") or "", "lon": float(lon),
                               "lat": float(lat), **attrs})
    return {role: pd.DataFrame(r, columns=None if r else ["osm_id", "name", "lon", "lat"]) for role, r in rows.items()}


def overpass_query(bbox_wsen: tuple[float, float, float, float], *, mapping: Iterable[RoleMapping] | None = None,
                   timeout_s: int = 180) -> str:
    """Overpass QL for every feature any rule could match in a (west, south, east, north) box.

    Points outside the city polygon are dropped afterwards (a polygon filter repeated in every
    statement would make the query too long for a city outline).
    """
    parts: list[str] = []
    for role in mapping if mapping is not None else load_mapping():
        for rule in role.rules:
            sel = "".join(f'["{k}"]' if not v else f'["{k}"~"^({"|".join(map(re.escape, v))})$"]'
                          for k, v in rule.tags.items())
            if rule.name_pattern is not None:
                pat = rule.name_pattern.pattern.replace('"', '\\"')
                sel += f'["name"~"{pat}"]'
            parts.append(f"nwr{sel};")
    w, s, e, n = bbox_wsen
    body = "\n  ".join(dict.fromkeys(parts))
    return f"[out:json][timeout:{timeout_s}][bbox:{s:.5f},{w:.5f},{n:.5f},{e:.5f}];\n(\n  {body}\n);\nout center tags;"


def _note(note: object) -> str:
    """A role's note: ``{zh: ..., en: ...}`` as a sentence in the reader's language, plain text as written."""
    if isinstance(note, dict) and {"zh", "en"} <= set(note):
        return Message("say.as_given", text=Both(str(note["en"]), str(note["zh"])))
    return str(note or "")
