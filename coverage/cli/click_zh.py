"""click's own words in the command's language: "Usage:", "Options:", parse errors, and wrapping Chinese.

click passes its messages through ``gettext``/``ngettext`` imported as module globals of its modules, and
wraps help text measuring one column per character. While a ``coverage`` command runs in Chinese,
:func:`click_speaks` replaces those globals with a lookup in
:data:`~coverage_planner.render.catalogue_help.CLICK_ZH` and a wrapper that counts a CJK character as two
columns, and puts click's own back when the command ends. Nothing is replaced at import time nor in English,
so ``import coverage_planner`` leaves click as it is for other programs (the replacement is process-wide
while a Chinese command runs: a thread running another click program at that moment would speak Chinese).
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import import_module
from typing import Any

from ..render.text import display_width  # columns on screen (one definition: model/words.display_width)

#: click's modules whose ``_``/``ngettext`` say words a planner reads (``tests/test_words.py`` checks they exist).
GETTEXT_MODULES: tuple[str, ...] = ("click.core", "click.exceptions", "click.formatting", "click.parser",
                                    "click.types", "click.decorators", "click.termui")
#: (module, name) replaced by a width-aware version in Chinese.
WIDTH_NAMES: tuple[tuple[str, str], ...] = (("click.formatting", "wrap_text"), ("click.formatting", "term_len"))

_LANG: ContextVar[str | None] = ContextVar("coverage_help_lang", default=None)
_LANG_OPTION = "--lang"
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def help_lang() -> str:
    """The language of help, usage and parse errors: the running command's ``--lang``, else COVERAGE_LANG, else en."""
    from .options import env_lang

    return _LANG.get() or env_lang()


def argv_lang(args: list[str]) -> str | None:
    """The value of ``--lang`` anywhere in ``args`` (before ``--``), e.g. after ``--help``; None if not given."""
    from .options import LANGS

    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = args[i + 1] if arg == _LANG_OPTION and i + 1 < len(args) else None
        if arg.startswith(_LANG_OPTION + "="):
            value = arg.split("=", 1)[1]
        if value is not None and value.strip().lower() in LANGS:
            return value.strip().lower()
    return None


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Run a command with help, usage and click's messages in ``lang``."""
    token = _LANG.set(lang)
    try:
        with click_speaks(lang):
            yield
    finally:
        _LANG.reset(token)


@contextmanager
def click_speaks(lang: str) -> Iterator[None]:
    """click's own messages and wrapping in ``lang`` until the block ends (nothing changes in English)."""
    if lang != "zh":
        yield
        return
    saved: list[tuple[Any, str, Any]] = []
    replacements: dict[str, Callable[..., Any]] = {"_": gettext_zh, "ngettext": ngettext_zh}
    for name in GETTEXT_MODULES:
        module = import_module(name)
        saved += [(module, attr, getattr(module, attr)) for attr in replacements if hasattr(module, attr)]
    for name, attr in WIDTH_NAMES:
        saved.append((import_module(name), attr, getattr(import_module(name), attr)))
    try:
        for module, attr, original in saved:
            new = replacements.get(attr) or (display_width if attr == "term_len" else _wrap_text_cjk(original))
            setattr(module, attr, new)
        yield
    finally:
        for module, attr, original in saved:
            setattr(module, attr, original)


class _ChinesePunctuation(str):
    """A translated frame (``错误:{message}``) whose ``format`` gives click's assembled message Chinese
    punctuation: click joins its pieces with ASCII (``"{missing}{hint}."``, ``"{message} {possibilities}"``)."""

    def format(self, *args: Any, **kwargs: Any) -> str:  # noqa: D102
        tidy = {k: _zh_punctuation(v) if isinstance(v, str) else v for k, v in kwargs.items()}
        return str.format(self, *args, **tidy)


def _zh_punctuation(text: str) -> str:
    """``。`` for the full stop click appends, no space before a Chinese bracket (Chinese text only)."""
    if not _CJK.search(text):
        return text
    text = re.sub(r"\.$", "。", text.rstrip())
    return re.sub(r"([。:;]) +(?=[((])", r"\1", text)


class _KindWords(str):
    """A translated message whose ``format`` says click's English kind words (``{number_type}``, a path's
    ``{name}``: "integer", "File") in Chinese (:data:`~coverage_planner.render.catalogue_help.CLICK_KIND_ZH`)."""

    def format(self, *args: Any, **kwargs: Any) -> str:  # noqa: D102
        from ..render.catalogue_help import CLICK_KIND_ZH

        said = {
            k: CLICK_KIND_ZH.get(v.lower(), v) if k in _KIND_FIELDS and isinstance(v, str) else v
            for k, v in kwargs.items()
        }
        return str.format(self, *args, **said)


_KIND_FIELDS = frozenset({"number_type", "name"})


def gettext_zh(message: str) -> str:
    """click's ``message`` in Chinese (as it is when the catalogue has none)."""
    from ..render.catalogue_help import CLICK_ZH

    zh = CLICK_ZH.get(message, message)
    if message == "Error: {message}":
        return _ChinesePunctuation(zh)
    return _KindWords(zh) if any("{" + field in message for field in _KIND_FIELDS) else zh


def ngettext_zh(singular: str, plural: str, n: int) -> str:
    """click's singular or plural message in Chinese (Chinese has one form; both msgids are in the table)."""
    return gettext_zh(singular if n == 1 else plural)


# ---------------------------------------------------------------- widths


def _is_wide(text: str) -> bool:
    return any(unicodedata.east_asian_width(c) in "WF" for c in text)


_OPENING = "([{“‘《「（"
_CLOSING = ")]}”’》」）,.;:!?，。、；：！？"
#: A wide character with the opening brackets before it and the punctuation after it, or a run of other text.
_PIECE = re.compile(rf"[{re.escape(_OPENING)}]*[^\x00-\u10ff][{re.escape(_CLOSING)}]*|[\x00-\u10ff]+")
_QUOTED = re.compile(r"('[^'\s]*')")  # 'demo:规模:种子': a value the planner types, kept on one line
_PAD = "\x00"  # stands for a wide character's second column while wrapping


class _CjkWrapper(textwrap.TextWrapper):
    """Wraps by columns: a line may break between two Chinese characters, never before a closing mark."""

    def _split(self, text: str) -> list[str]:
        chunks: list[str] = []
        for chunk in super()._split(text):
            for piece in _pieces(chunk):
                if chunks and chunks[-1].strip() and piece[0] in _CLOSING:  # "stdout。": no line starts with "。"
                    chunks[-1] += piece
                else:
                    chunks.append(piece)
        return [c + _PAD * (display_width(c) - len(c)) for c in chunks]

    def wrap(self, text: str) -> list[str]:
        return [line.replace(_PAD, "") for line in super().wrap(text)]


def _pieces(chunk: str) -> list[str]:
    """Where a line may break inside ``chunk``: between Chinese characters, never inside a quoted value."""
    if not _is_wide(chunk):
        return [chunk]
    out: list[str] = []
    for part in _QUOTED.split(chunk):
        out += [part] if _QUOTED.fullmatch(part) else _PIECE.findall(part)
    return out


def _pad(indent: str) -> str:
    return indent + _PAD * (display_width(indent) - len(indent))


def _wrap_text_cjk(original: Callable[..., str]) -> Callable[..., str]:
    """click's ``wrap_text`` for text with Chinese in it (``original`` for the rest: same output as click's)."""

    def wrap_text(text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "",
                  preserve_paragraphs: bool = False) -> str:
        if not _is_wide(text + initial_indent + subsequent_indent):
            return original(text, width, initial_indent, subsequent_indent, preserve_paragraphs)
        if not preserve_paragraphs:
            return _fill(text.expandtabs(), width, initial_indent, subsequent_indent)
        out = []
        for indent, raw, lines in _paragraphs(text.expandtabs()):
            first, rest = initial_indent + " " * indent, subsequent_indent + " " * indent
            if raw:
                out.append("\n".join((first if i == 0 else rest) + line for i, line in enumerate(lines)))
            else:
                out.append(_fill(" ".join(lines), width, first, rest))
        return "\n\n".join(out)

    return wrap_text


def _fill(text: str, width: int, first: str, rest: str) -> str:
    wrapper = _CjkWrapper(width, initial_indent=_pad(first), subsequent_indent=_pad(rest), replace_whitespace=False)
    return "\n".join(wrapper.wrap(text))


def _paragraphs(text: str) -> list[tuple[int, bool, list[str]]]:
    """(indent, printed as written, lines) of each paragraph, as click's ``wrap_text`` splits them."""
    out: list[tuple[int, bool, list[str]]] = []
    buf: list[str] = []
    indent = 0
    for line in [*text.splitlines(), ""]:
        if line:
            if not buf:
                indent = len(line) - len(line.lstrip())
            buf.append(line.lstrip() if not buf else line)
        elif buf:
            raw = buf[0].strip() == "\b"
            out.append((indent, raw, buf[1:] if raw else [b.strip() for b in buf]))
            buf = []
    return out
