"""Writing and updating layer-set manifests (format: docs/ARCHITECTURE.md), always atomically.

A fetched or built layer set records for every input its ``sources:`` entry (name, url or path,
licence, date and a ``note:`` with caveats the reports show) and a ``description:`` that says in
words what was derived or approximated (e.g. "street units are 2000-era township polygons").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from ..._io import write_text_atomic
from ...errors import ManifestError, message
from ...model.manifest import load_manifest

__all__ = ["add_facility_layer", "read_manifest_dict", "source_entry", "today", "write_manifest"]

_ORDER = ("name", "name_zh", "synthetic", "city_code", "description", "notes", "sources", "population", "units", "areas",
          "facilities", "networks")


def today() -> str:
    """Today's date as ISO text (the ``date:`` of a source fetched now)."""
    return dt.date.today().isoformat()


def source_entry(name: str, *, licence: str, date: str | None = None, url: str = "", path: str = "",
                 note: str | Sequence[str] = "", **extra: Any) -> dict[str, Any]:
    """One ``sources:`` entry: what, where from, under which licence, when, with which caveats.

    ``note`` is one sentence or several; catalogue sentences are stored ``{zh: ..., en: ...}`` (the
    manifest reader shows them in the report's language), plain text as it is.
    """
    note_words = _note_words(note)
    out: dict[str, Any] = {"name": name, "licence": licence, "date": date or today()}
    if url:
        out["url"] = url
    if path:
        out["path"] = path
    if note_words:
        out["note"] = note_words
    out.update({k: v for k, v in extra.items() if v not in (None, "")})
    return out


def _note_words(note: str | Sequence[str]) -> str | dict[str, str]:
    from ...model.messages import Message, in_lang

    parts = [p for p in ([note] if isinstance(note, str) else list(note)) if p and str(p).strip()]
    if not any(isinstance(p, Message) for p in parts):
        return " ".join(str(p).strip() for p in parts)
    return {"zh": "".join(in_lang(p, "zh") for p in parts), "en": " ".join(str(p) for p in parts)}


def _ordered(doc: Mapping[str, Any]) -> dict[str, Any]:
    keys = [k for k in _ORDER if k in doc] + [k for k in doc if k not in _ORDER]
    return {k: _plain(doc[k]) for k in keys}


def _plain(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    return v


def write_manifest(folder: str | Path, doc: Mapping[str, Any], *, validate: bool = True) -> Path:
    """Write ``folder/manifest.yaml`` atomically, then check it parses as a layer set.

    Parameters
    ----------
    folder
        The layer-set folder.
    doc
        The manifest as a mapping (keys of docs/ARCHITECTURE.md).
    validate
        Re-read the written manifest with :func:`coverage_planner.model.manifest.load_manifest`.

    Returns
    -------
    Path
        The manifest file.
    """
    path = Path(folder) / "manifest.yaml"
    text = ("# Layer set written by `coverage fetch` / `coverage layers import`; format: docs/ARCHITECTURE.md.\n"
            + yaml.safe_dump(_ordered(doc), allow_unicode=True, sort_keys=False, width=110))
    old = path.read_text(encoding="utf-8") if path.exists() else None
    write_text_atomic(path, text)
    if validate:
        try:
            load_manifest(path)
        except ManifestError:
            if old is not None:
                write_text_atomic(path, old)
            else:
                path.unlink(missing_ok=True)
            raise
    return path


def read_manifest_dict(folder: str | Path) -> dict[str, Any]:
    """The manifest of ``folder`` as a plain dict (a clear error when there is none)."""
    path = Path(folder) / "manifest.yaml"
    if not path.is_file():
        raise ManifestError(message("err.no_manifest_to_update", path=str(path), folder=str(folder)))
    load_manifest(path)  # validates, with line numbers on error
    with open(path, encoding="utf-8") as fh:
        return _plain(yaml.safe_load(fh) or {})


def add_facility_layer(folder: str | Path, role: str, entry: Mapping[str, Any],
                       source: Mapping[str, Any] | None = None) -> Path:
    """Add (or replace) one facility role in the manifest of ``folder``, atomically.

    Parameters
    ----------
    folder
        The layer-set folder (holding ``manifest.yaml``).
    role
        Facility role (childcare, fitness, ...).
    entry
        The manifest entry (path relative to ``folder``, lon/lat, crs, coord_system, fields).
    source
        A ``sources:`` entry to add (replacing one with the same name).
    """
    doc = read_manifest_dict(folder)
    doc.setdefault("facilities", {})
    doc["facilities"] = dict(doc["facilities"] or {})
    doc["facilities"][role] = dict(entry)
    if source is not None:
        sources = [s for s in (doc.get("sources") or []) if s.get("name") != source.get("name")]
        doc["sources"] = [*sources, dict(source)]
    return write_manifest(folder, doc)
