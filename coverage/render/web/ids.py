"""Deterministic element ids for Folium/branca pages.

branca gives every ``Element`` a random id (``hexlify(urandom(16))`` in ``Element._generate_id``,
called from ``Element.__init__``); the id ends up in JavaScript variable names and HTML ids, so two
renders of the same map differ. Inside :func:`deterministic_ids` the class method is replaced by a
counter that restarts for every page, so the same page always gets the same ids. Elements that
folium creates while rendering (links, ``addTo`` calls) are made inside the block too, as long as the
page is also rendered there.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from branca.element import Element

__all__ = ["deterministic_ids"]

_LOCK = threading.RLock()


@contextmanager
def deterministic_ids(prefix: str = "") -> Iterator[None]:
    """Give every branca element created in the block the id ``{prefix}{n}``, n = 1, 2, ...

    Parameters
    ----------
    prefix
        Text put before the counter (letters, digits and underscores only: ids become JavaScript
        variable names).

    Notes
    -----
    The patch is process-wide, so blocks are serialised with a lock; nesting in one thread is allowed
    (the inner block counts on its own and the outer counter resumes afterwards).
    """
    if not prefix.replace("_", "").isalnum() and prefix:
        msg = f"id prefix was {prefix!r}; use letters, digits and underscores only"
        raise ValueError(msg)
    counter = itertools.count(1)

    def _generate_id(cls: type[Element]) -> str:
        return f"{prefix}{next(counter)}"

    with _LOCK:
        saved = Element.__dict__["_generate_id"]
        Element._generate_id = classmethod(_generate_id)  # type: ignore[method-assign,assignment]
        try:
            yield
        finally:
            Element._generate_id = saved  # type: ignore[method-assign]
