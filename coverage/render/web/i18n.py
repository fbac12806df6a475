"""Fixed labels of the map pages: a view of the one catalogue (:mod:`coverage_planner.render.catalogue`).

Data names are never translated. New words go into the catalogue, in its one order (English, Chinese).
"""

from __future__ import annotations

from ..catalogue import LANGS, Lang, fmt_year, t, term

__all__ = ["LANGS", "Lang", "fmt_year", "t", "term"]
