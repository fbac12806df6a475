"""coverage: does a city's public service network reach its people?

Checks the spatial targets of Chinese five-year plans (childcare slots per 1000 people, 15-minute
walking circles, shelter area per person, seismic station spacing, ...) against facility layers,
population grids, administrative units and walking networks.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("coverage-planner")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
