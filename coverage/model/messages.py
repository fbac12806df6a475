"""Sentences a planner reads, kept as a catalogue key and its parameters so they render in either language.

The targets, studies and seismic models write their assumptions, data notes and solver sentences as a
:class:`Message`: the key of a sentence in :mod:`coverage_planner.render.catalogue` and the parameters it
needs. A ``Message`` *is* a ``str`` (its English text), so code that only joins, compares or serialises
sentences keeps working; renderers that know the reader's language call :func:`in_lang`.

Parameters are shown as they are, except two wrappers that differ by language:

- :class:`Code` -- a code from data or a scenario (a facility layer, a level, a status), shown in words
  through :func:`coverage_planner.model.words.words`;
- :class:`Both` -- words the caller already has in both languages (a facility label from the scenario).

Examples
--------
>>> m = Message("say.data_synthetic", name="Demo City")
>>> str(m)
'Data: Demo City — not real figures for any city.'
>>> m.text("zh")
'数据:Demo City 为合成数据,数字不代表任何真实城市。'
>>> m.to_dict()
{'key': 'say.data_synthetic', 'params': {'name': 'Demo City'}}
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .words import words

__all__ = ["Both", "Code", "Lines", "Message", "in_lang", "message_dicts"]


class Code(str):
    """A code (snake_case) from data or a scenario: shown in words in the reader's language."""

    __slots__ = ()

    def text(self, lang: str) -> str:
        """The code in words."""
        return words(str(self), lang)


class Both(NamedTuple):
    """Words the caller already has in both languages (English, Chinese)."""

    en: str
    zh: str

    def text(self, lang: str) -> str:
        """The words in ``lang``."""
        return self.zh if lang == "zh" else self.en


class Lines(str):
    """Several sentences, one per line as a list (``- ...``), each in the reader's language (a list of problems).

    As a ``str``, the English lines.
    """

    items: tuple[str, ...]

    def __new__(cls, items: list[str] | tuple[str, ...]) -> Lines:  # noqa: D102
        obj = super().__new__(cls, "\n".join(f"- {p}" for p in items))
        obj.items = tuple(items)
        return obj

    def __reduce__(self) -> tuple[type[Lines], tuple[tuple[str, ...]]]:  # pickling (many-city runs)
        return (Lines, (self.items,))

    def text(self, lang: str) -> str:
        """The lines in ``lang``."""
        return "\n".join(f"- {in_lang(p, lang)}" for p in self.items)


class Message(str):
    """A sentence: a catalogue key with its parameters; as a ``str``, the English text.

    Parameters
    ----------
    key
        A sentence key of the catalogue (``say.*``).
    **params
        Values for the sentence's fields: plain values are shown as they are (format numbers before),
        :class:`Code` and :class:`Both` in the reader's language.
    """

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, /, **params: Any) -> Message:  # noqa: D102
        from ..render.catalogue import sentence  # the catalogue reads the model's words: import when used

        obj = super().__new__(cls, sentence(key, "en", params))
        obj.key = key
        obj.params = params
        return obj

    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, Any]]:  # pickling (many-city runs, caches)
        return (self.key,), dict(self.params)

    def text(self, lang: str) -> str:
        """The sentence in ``lang`` ('en' or 'zh')."""
        if lang != "zh":
            return str.__str__(self)
        from ..render.catalogue import sentence

        return sentence(self.key, lang, self.params)

    def to_dict(self) -> dict[str, Any]:
        """``{"key": ..., "params": {...}}`` for machine readers (wrapped values as their English words)."""
        return {"key": self.key, "params": {k: _plain(v) for k, v in self.params.items()}}


def _plain(v: Any) -> Any:
    if isinstance(v, Both):
        return {"en": v.en, "zh": v.zh}
    if isinstance(v, Lines):
        return [_plain(p) for p in v.items]
    if isinstance(v, Code | str):
        return str(v)
    return v


def in_lang(text: str, lang: str) -> str:
    """``text`` in ``lang`` when it is a :class:`Message`; other text (from data or a scenario) as it is."""
    return text.text(lang) if isinstance(text, Message) else str(text)


def message_dicts(texts: list[str]) -> list[dict[str, Any] | None]:
    """For JSON: each sentence's key and parameters, ``None`` for text from data or a scenario."""
    return [t.to_dict() if isinstance(t, Message) else None for t in texts]
