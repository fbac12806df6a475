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

__all__ = ["PathRefused", "resolve_inside", "safe_resolve"]


class PathRefused(ValueError):
    """A path that cannot be used; ``str()`` is the planner's sentence (without file and line)."""


def safe_resolve(path: str | os.PathLike[str]) -> Path:
    """``Path.resolve`` that turns a symbolic-link loop into :class:`PathRefused` instead of RuntimeError."""
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        pass  # a missing file is reported by whoever reads it; the loop check below still applies
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            msg = f"{os.fspath(path)!r} is a symbolic-link loop (a link that leads back to itself)"
            raise PathRefused(msg) from exc
        raise PathRefused(f"{os.fspath(path)!r} cannot be resolved ({exc.strerror or exc})") from exc
    try:
        return Path(path).resolve()
    except RuntimeError as exc:  # Python < 3.13: "Symlink loop from ..."
        msg = f"{os.fspath(path)!r} is a symbolic-link loop (a link that leads back to itself)"
        raise PathRefused(msg) from exc


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
        msg = "the path is empty"
        raise PathRefused(msg)
    if "\x00" in text:
        msg = "the path contains a NUL character"
        raise PathRefused(msg)
    base = safe_resolve(roots[0])
    path = safe_resolve(base / Path(text).expanduser()) if not Path(text).is_absolute() else safe_resolve(text)
    if allow_outside:
        return path
    for root in roots:
        r = safe_resolve(root)
        if path == r or r in path.parents:
            return path
    where = " or ".join(str(safe_resolve(r)) for r in roots)
    how = "an absolute path" if Path(text).is_absolute() else "a path leading out (through '..' or a symbolic link)"
    msg = f"{text!r} leaves the {label} folder {where} ({how}); keep the file inside that folder"
    raise PathRefused(msg)
