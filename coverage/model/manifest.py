"""Layer-set manifests: which file plays which role, in which CRS and coordinate system.

A layer set is a folder with ``manifest.yaml`` (format in docs/ARCHITECTURE.md and README.md).
A scenario says *what* to test; the layer set says *on which data*.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._yaml import LineDict, load_yaml
from ..errors import ManifestError, at, did_you_mean
from .coords import COORD_SYSTEMS
from .messages import Lines, Message
from .paths import PathRefused, resolve_inside

__all__ = ["LayerSetSpec", "LayerSource", "PopulationSource", "load_manifest"]

_TOP = {"name", "name_zh", "synthetic", "city_code", "sources", "population", "units", "areas",
        "facilities", "networks", "description", "notes"}
_SOURCE_KEYS = {"path", "layer", "crs", "coord_system", "fields", "lon", "lat", "format", "description",
                "encoding", "max_outside_km"}
_POP_KEYS = _SOURCE_KEYS | {"kind", "groups", "group_shares", "count_field"}


@dataclass(frozen=True)
class LayerSource:
    """Where one layer comes from and how to read it."""

    role: str
    path: Path
    layer: str | None = None
    crs: str | None = None
    coord_system: str = "wgs84"
    fields: Mapping[str, str] = field(default_factory=dict)
    lon: str | None = None
    lat: str | None = None
    format: str | None = None
    manifest: Path | None = None
    line: int = 0
    #: Features may lie this far outside the territory (km); None = the default for the role (see region).
    max_outside_km: float | None = None

    def where(self) -> str:
        """Human description: file (and layer) and the manifest line that names it."""
        lay = Message("err.where_layer", layer=self.layer) if self.layer else ""
        man = Message("err.where_declared", at=f"{self.manifest}:{self.line}") if self.manifest else ""
        return Message("err.where", path=str(self.path), layer=lay, declared=man)


@dataclass(frozen=True)
class PopulationSource(LayerSource):
    """The population layer: a raster of counts, polygons with counts, or points with counts."""

    kind: str = "raster"
    groups: Mapping[str, str] = field(default_factory=dict)
    group_shares: Mapping[str, float] = field(default_factory=dict)
    count_field: str | None = None


@dataclass(frozen=True)
class LayerSetSpec:
    """A parsed manifest."""

    root: Path
    name: str
    name_zh: str
    synthetic: bool
    sources: tuple[Mapping[str, Any], ...]
    population: PopulationSource | None
    units: Mapping[str, LayerSource]
    areas: Mapping[str, LayerSource]
    facilities: Mapping[str, LayerSource]
    networks: Mapping[str, LayerSource]
    city_code: str = ""
    #: Sentences every report and map of this layer set shows (approximations in the data).
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The name shown in reports (says 'synthetic data' when it is)."""
        return self.name


def _inside(value: Any, root: Path, manifest: Path, line: int, key: str, problems: list[str], *,
            allow_outside: bool) -> Path | None:
    """A path the manifest names, through the one resolver (inside the layer-set folder; loops refused)."""
    try:
        return resolve_inside(value, [root], label="layer-set", allow_outside=allow_outside)
    except PathRefused as exc:
        extra = "" if allow_outside else Message("err.manifest_allow_outside")
        problems.append(at(f"{manifest}:{line}", "err.manifest_path_refused", field=key, reason=exc.message, extra=extra))
        return None


def _line_of(raw: Any, key: str, line: int) -> int:
    """The line of ``key`` in a YAML mapping; ``line`` for a shorthand (a bare path) without key lines."""
    return raw.line_of(key) if isinstance(raw, LineDict) else line


def _source(role: str, raw: Any, root: Path, manifest: Path, problems: list[str], *,
            allowed: set[str], cls: type[LayerSource] = LayerSource, allow_outside: bool = False
            ) -> LayerSource | None:
    line = getattr(raw, "line", 0)
    if isinstance(raw, str):
        raw = {"path": raw}
    if not isinstance(raw, Mapping) or "path" not in raw:
        problems.append(at(f"{manifest}:{line}", "err.manifest_layer_path", role=role))
        return None
    bad = [k for k in raw if k not in allowed]
    for k in bad:
        problems.append(at(f"{manifest}:{_line_of(raw, k, line)}", "err.manifest_layer_key", role=role, field=k,
                           hint=did_you_mean(k, sorted(allowed))))
    path = _inside(raw["path"], root, manifest, line, f"{role}.path", problems, allow_outside=allow_outside)
    cs = str(raw.get("coord_system", "wgs84")).lower().replace("-", "").replace("_", "")
    cs = {"cgcs2000": "wgs84", "wgs": "wgs84", "gcj": "gcj02", "bd": "bd09"}.get(cs, cs)
    if cs not in COORD_SYSTEMS:
        problems.append(at(f"{manifest}:{line}", "err.manifest_coord_system", role=role, value=raw.get("coord_system"),
                           valid=sorted(COORD_SYSTEMS)))
    fields = raw.get("fields") or {}
    if not isinstance(fields, Mapping):
        problems.append(at(f"{manifest}:{line}", "err.manifest_fields", role=role))
        fields = {}
    kwargs: dict[str, Any] = {
        "role": role, "path": path or root / "?", "layer": raw.get("layer"), "crs": raw.get("crs"), "coord_system": cs,
        "fields": {str(k): str(v) for k, v in fields.items() if v is not None},
        "lon": raw.get("lon"), "lat": raw.get("lat"), "format": raw.get("format"),
        "manifest": manifest, "line": line,
    }
    outside = raw.get("max_outside_km")
    if outside is not None:
        if isinstance(outside, bool) or not isinstance(outside, int | float) or not 0 <= outside <= 1000:
            problems.append(at(f"{manifest}:{_line_of(raw, 'max_outside_km', line)}", "err.manifest_max_outside", role=role,
                               got=repr(outside)))
        else:
            kwargs["max_outside_km"] = float(outside)
    if cls is PopulationSource:
        groups = raw.get("groups") or {}
        if not isinstance(groups, Mapping):
            problems.append(at(f"{manifest}:{_line_of(raw, 'groups', line)}", "err.manifest_groups"))
            groups = {}
        groups = {str(k): str(v) for k, v in groups.items()}
        if str(raw.get("kind", "raster")) == "raster":  # group rasters are paths: the same resolver as layers
            for name, rel in groups.items():
                gp = _inside(rel, root, manifest, _line_of(raw, "groups", line), f"population.groups.{name}", problems,
                             allow_outside=allow_outside)
                groups[name] = str(gp) if gp is not None else rel
        kwargs.update(kind=str(raw.get("kind", "raster")), groups=groups,
                      group_shares={k: float(v) for k, v in (raw.get("group_shares") or {}).items()},
                      count_field=raw.get("count_field"))
        if kwargs["kind"] not in {"raster", "polygons", "points"}:
            problems.append(at(f"{manifest}:{line}", "err.manifest_pop_kind", kind=kwargs["kind"]))
        if kwargs["kind"] in {"polygons", "points"} and not kwargs["count_field"]:
            problems.append(at(f"{manifest}:{line}", "err.manifest_count_field", kind=kwargs["kind"]))
    return cls(**kwargs)


def load_manifest(folder: str | Path, *, allow_outside_paths: bool = False) -> LayerSetSpec:
    """Read ``manifest.yaml`` in ``folder`` (or a manifest file path) and validate it.

    Parameters
    ----------
    folder
        The layer-set folder, or the manifest file itself.
    allow_outside_paths
        Allow layer paths that leave the folder (off by default: manifests are untrusted input).

    Raises
    ------
    ManifestError
        Listing every problem with file, line and fix.
    """
    p = Path(folder)
    manifest = p / "manifest.yaml" if p.is_dir() else p
    if not manifest.exists():
        raise ManifestError(Message("err.manifest_missing", path=str(manifest)))
    root = manifest.parent
    doc = load_yaml(manifest, error_cls=ManifestError, what="layer-set manifest")
    if not isinstance(doc, LineDict):
        raise ManifestError(Message("err.manifest_not_mapping", path=str(manifest)))
    problems: list[str] = []
    for k in doc:
        if k not in _TOP:
            problems.append(at(f"{manifest}:{doc.line_of(k)}", "err.manifest_top_key", field=k, hint=did_you_mean(k, sorted(_TOP))))
    population = None
    if doc.get("population") is not None:
        src = _source("population", doc["population"], root, manifest, problems,
                      allowed=_POP_KEYS, cls=PopulationSource, allow_outside=allow_outside_paths)
        assert src is None or isinstance(src, PopulationSource)  # built with cls=PopulationSource
        population = src
    groups: dict[str, dict[str, LayerSource]] = {}
    for section in ("units", "areas", "facilities", "networks"):
        raw = doc.get(section) or {}
        if not isinstance(raw, Mapping):
            problems.append(at(f"{manifest}:{doc.line_of(section)}", "err.manifest_section", section=section))
            raw = {}
        groups[section] = {}
        for role, src in raw.items():
            s = _source(role, src, root, manifest, problems, allowed=_SOURCE_KEYS, allow_outside=allow_outside_paths)
            if s is not None:
                groups[section][str(role)] = s
    if not groups["units"]:
        problems.append(at(str(manifest), "err.manifest_no_units"))
    if problems:
        raise ManifestError(Message("err.problems", what=Message("err.what_manifest"), path=str(manifest),
                                    n=len(problems), items=Lines(problems)))
    return LayerSetSpec(
        root=root, name=str(doc.get("name", root.name)), name_zh=str(doc.get("name_zh", "")),
        synthetic=bool(doc.get("synthetic", False)), sources=tuple(_source_entry(s) for s in doc.get("sources") or ()),
        population=population, units=groups["units"], areas=groups["areas"],
        facilities=groups["facilities"], networks=groups["networks"], city_code=str(doc.get("city_code", "")),
        notes=tuple(_note(n) for n in (doc.get("notes") or ())),
    )


def _source_entry(entry: Any) -> Mapping[str, Any]:
    """A ``sources:`` entry whose ``{zh: ..., en: ...}`` values (a fetched source's note) read in the report's
    language; an old manifest's plain text stays as written."""
    if not isinstance(entry, Mapping):
        return entry
    return {k: _note(v) if isinstance(v, Mapping) else v for k, v in entry.items()}


def _note(note: object) -> str:
    """A manifest note: ``{zh: ..., en: ...}`` is shown in the report's language, other text as written."""
    # messages read the catalogue, which the manifest does not need otherwise
    from .messages import Both, Message

    if isinstance(note, Mapping) and {"zh", "en"} <= set(note):
        return Message("say.as_given", text=Both(str(note["en"]), str(note["zh"])))
    return str(note)
