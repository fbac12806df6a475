"""coverage_planner: does a city's public service network reach its people?

Checks the spatial targets of Chinese five-year plans (childcare slots per 1000 people, 15-minute
walking circles, shelter area per person, seismic station spacing, ...) against facility layers,
population grids, administrative units and walking networks.

The public API (documented in ``docs/api.md``)::

    import coverage_planner as cp

    run = cp.check(2025, "demo")                 # every 2025 target on the demo city -> CheckRun
    run.units("childcare-slots-per-1000")        # per-unit GeoDataFrame: value, threshold, status, gap
    run.to_file("report.xlsx")                   # .json .csv .md .txt .xlsx .html (brief)
    study = cp.site(run, "fitness-15min-circle", new=20)
    cmp = cp.compare(run, cp.with_planned(run))
    prog = cp.progress([2020, 2022, 2023, 2025], "demo")

    cp.walk_access(homes, shops, "city.osm.pbf", distance_m=900)   # the engines on GeoDataFrames
    cp.two_step_fca(demand, supply, costs=cost_table, catchment_m=1000)
    cp.mclp(cost_matrix, service_radius=500, p_facilities=10)

Names are imported on first use, so ``import coverage_planner`` stays fast.
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if __name__ == "coverage":  # the checkout's folder found through the current directory: not coverage.py
    from ._shadow import hand_back_name

    hand_back_name(__file__)

try:
    __version__ = version("coverage-planner")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

#: Public name -> the module that defines it.
_API: dict[str, str] = {
    # studies: each returns a result object and writes nothing
    "check": "studies.check", "CheckRun": "studies.check", "resolve_layers": "studies.check",
    "run_years": "studies.check",
    "site": "studies.site", "SiteStudy": "studies.site",
    "progress": "studies.progress", "Progress": "studies.progress",
    "compare": "studies.compare", "Comparison": "studies.compare", "with_planned": "studies.compare",
    "with_sites": "studies.compare", "read_report": "studies.compare",
    "doctor": "studies.doctor", "Finding": "studies.doctor",
    "check_many": "studies.many", "map_city": "studies.many", "CityOutcome": "studies.many",
    "expand_layer_values": "studies.many", "city_names": "studies.many", "many_exit_code": "studies.many",
    # model
    "load_scenario": "model.scenario", "Scenario": "model.scenario",
    "TargetResult": "model.results", "UnitResult": "model.results", "scenario_json_schema": "model.params",
    # engines on ordinary inputs
    "walk_access": "engines", "two_step_fca": "engines", "mclp": "engines", "lscp": "engines",
    "load_network": "engines",
    # sources: layer sets from real data, the demo city
    "demo_city": "sources.demo", "fetch_layer_set": "sources.fetch.pipeline", "FetchOptions": "sources.fetch.pipeline",
    "build_from_shared": "sources.fetch.shared", "build_osm_city": "sources.fetch.osm_city",
    "OsmCityOptions": "sources.fetch.osm_city", "DEFAULT_FLOOR_M2_PER_PERSON": "sources.fetch.osm_city",
    "import_list": "sources.fetch.importer",
    # errors
    "CoverageError": "errors", "ScenarioError": "errors", "ManifestError": "errors", "LayerError": "errors",
    "MissingDataError": "errors", "OutputError": "errors", "MapError": "errors",
}
_RENAMED = {"demo_city": "demo_layer_dir", "doctor": "diagnose"}

__all__ = ["__version__", *sorted(_API)]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'coverage_planner' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), _RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from .engines import load_network, lscp, mclp, two_step_fca, walk_access
    from .errors import (
        CoverageError,
        LayerError,
        ManifestError,
        MapError,
        MissingDataError,
        OutputError,
        ScenarioError,
    )
    from .model.params import scenario_json_schema
    from .model.results import TargetResult, UnitResult
    from .model.scenario import Scenario, load_scenario
    from .sources.demo import demo_layer_dir as demo_city
    from .sources.fetch.importer import import_list
    from .sources.fetch.osm_city import DEFAULT_FLOOR_M2_PER_PERSON, OsmCityOptions, build_osm_city
    from .sources.fetch.pipeline import FetchOptions, fetch_layer_set
    from .sources.fetch.shared import build_from_shared
    from .studies.check import CheckRun, check, resolve_layers, run_years
    from .studies.compare import Comparison, compare, read_report, with_planned, with_sites
    from .studies.doctor import Finding
    from .studies.doctor import diagnose as doctor
    from .studies.many import (
        CityOutcome,
        check_many,
        city_names,
        expand_layer_values,
        many_exit_code,
        map_city,
    )
    from .studies.progress import Progress, progress
    from .studies.site import SiteStudy, site
