"""One resolver for every path an untrusted file names (manifest layers and groups, scenario ``extends:``).

A manifest or scenario is untrusted input: a path it names must stay inside its folder (symbolic links are
followed before the check, so a link pointing out is refused too), and a symbolic-link loop is bad input,
not a crash. Nothing is opened before the check passes.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from pathlib import Path

from .messages import Message

__all__ = ["PathRefused", "resolve_inside", "safe_resolve"]


class PathRefused(ValueError):
    """A path that cannot be used; ``str()`` is the planner's sentence (without file and line).

    ``message`` is that sentence as a catalogue ``Message`` (for the reader's language).
    """

    @property
    def message(self) -> str:
        """The sentence (a ``Message``)."""
        return self.args[0] if self.args and isinstance(self.args[0], str) else str(self)


#: The ``label`` of :func:`resolve_inside` as catalogue words (other labels are shown as they are).
_LABELS = {"layer-set": "err.folder_layer_set", "scenarios": "err.folder_scenarios"}


def safe_resolve(path: str | os.PathLike[str]) -> Path:
    """``Path.resolve`` that turns a symbolic-link loop into :class:`PathRefused` instead of RuntimeError."""
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        pass  # a missing file is reported by whoever reads it; the loop check below still applies
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise PathRefused(Message("err.path_loop", path=os.fspath(path))) from exc
        raise PathRefused(Message("err.path_unresolved", path=os.fspath(path), reason=str(exc.strerror or exc))) from exc
    try:
        return Path(path).resolve()
    except RuntimeError as exc:  # Python < 3.13: "Symlink loop from ..."
        raise PathRefused(Message("err.path_loop", path=os.fspath(path))) from exc


def resolve_inside(value: object, roots: Sequence[Path], *, label: str, allow_outside: bool = False) -> Path:
    """Resolve ``value`` (relative to ``roots[0]``) and refuse it unless it stays inside one of ``roots``.

    Parameters
    ----------
    value
        The path as written in the file (text).
    roots
        The folders the path may lead into; relative paths are taken from the first.
    label
        What the folder is, for the message ("layer-set", "scenarios").
    allow_outside
        Skip the containment check (the user said they trust the file); loops are still refused.

    Returns
    -------
    Path
        The resolved absolute path (symbolic links followed).

    Raises
    ------
    PathRefused
        The path is empty, leaves the folder, or is a symbolic-link loop; the message says which.
    """
    text = str(value).strip() if value is not None else ""
    if not text:
        raise PathRefused(Message("err.path_empty"))
    if "\x00" in text:
        raise PathRefused(Message("err.path_nul"))
    base = safe_resolve(roots[0])
    path = safe_resolve(base / Path(text).expanduser()) if not Path(text).is_absolute() else safe_resolve(text)
    if allow_outside:
        return path
    for root in roots:
        r = safe_resolve(root)
        if path == r or r in path.parents:
            return path
    where = " or ".join(str(safe_resolve(r)) for r in roots)
    key = "err.path_outside_absolute" if Path(text).is_absolute() else "err.path_outside_relative"
    raise PathRefused(Message(key, path=text, label=Message(_LABELS[label]) if label in _LABELS else label, where=where))
