"""Many cities at once: one check per layer set, run in this process or as Dask tasks.

A provincial department checks the same scenario on every city's layer set. :func:`check_many` takes the
layer-set values (folders, names or ``demo:SCALE``), runs :func:`check_city` for each, in order in this process
(``scheduler="sequential"``) or as one ``dask.distributed`` task per city (``"local"``: a LocalCluster on this
machine; ``"tcp://HOST:PORT"``: an existing cluster), and returns one :class:`CityOutcome` per layer set in the
order given. A city whose data is bad fails alone: its outcome carries the one-paragraph message and the others
go on. Workers return plain data (report text, statuses), never Region objects.
"""

from __future__ import annotations

import glob
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CoverageError
from ..model.messages import Message
from ..model.reasons import reason_words

__all__ = ["BAD_INPUT", "INTERNAL", "OK", "CityOutcome", "check_city", "check_many", "city_names",
           "expand_layer_values", "many_exit_code", "map_city"]

logger = logging.getLogger(__name__)

OK, BAD_INPUT, INTERNAL = "ok", "bad_input", "internal_error"
_GLOB_CHARS = re.compile(r"[*?\[]")
_UNSAFE = re.compile(r"[^\w.\-]+")


@dataclass(frozen=True)
class CityOutcome:
    """What one city's check produced (plain, picklable data).

    Attributes
    ----------
    layers
        The ``--layers`` value as given (folder, name or ``demo:SCALE``).
    name
        The city's folder name in the output (unique within one run).
    state
        ``"ok"``, ``"bad_input"`` (the data or manifest is bad) or ``"internal_error"``.
    report
        The rendered report (empty unless ``state == "ok"``).
    statuses
        Target id -> ``"pass"`` / ``"fail"`` / ``"no_data"``, in the scenario's order.
    exit_code
        What ``coverage check`` on this layer set alone exits with (0, 1, 2 or 3).
    message
        The error paragraph for a failed city.
    """

    layers: str
    name: str
    state: str
    report: str = ""
    statuses: dict[str, str] = field(default_factory=dict)
    exit_code: int = 0
    message: str = ""


def expand_layer_values(values: Sequence[str]) -> list[str]:
    """Expand globs (``layers/*/``) in ``--layers`` values; plain values are kept as given, in order.

    A glob matching nothing is kept as it is, so that its city fails with a "not found" message rather
    than vanishing from the report. Duplicates (after expansion) are dropped.
    """
    out: list[str] = []
    for value in values:
        matches = sorted(glob.glob(value)) if _GLOB_CHARS.search(value) else []
        for item in matches or [value]:
            if item not in out:
                out.append(item)
    return out


def city_names(values: Sequence[str]) -> list[str]:
    """One output folder name per layer-set value: its last path part, made unique with ``-2``, ``-3``…"""
    names: list[str] = []
    for value in values:
        base = _UNSAFE.sub("-", Path(value.rstrip("/\\")).name or value).strip("-.") or "city"
        name, k = base, 2
        while name in names:
            name, k = f"{base}-{k}", k + 1
        names.append(name)
    return names


def _guarded(layers: str, name: str, job: Callable[[], CityOutcome]) -> CityOutcome:
    """Run one city's job; bad input and bugs become a failed outcome naming the layer set, not an exception."""
    try:
        return job()
    except CoverageError as exc:
        text = exc.message  # name the layer set unless the message already does (a catalogue sentence: both languages)
        return CityOutcome(layers, name, BAD_INPUT, exit_code=2,
                           message=text if layers in text else Message("err.many_layer_set", layers=layers, text=text))
    except MemoryError:
        return CityOutcome(layers, name, BAD_INPUT, exit_code=2,
                           message=Message("err.many_out_of_memory", layers=layers))
    except Exception as exc:  # noqa: BLE001 - one city's bug must not stop the others
        logger.debug("internal error on %s", layers, exc_info=True)
        return CityOutcome(layers, name, INTERNAL, exit_code=3,
                           message=Message("err.many_internal", layers=layers, kind=type(exc).__name__, text=str(exc)))


# PLR0913: the options of `coverage many` for one city, as the public API passes them
def check_city(layers: str, name: str, scenario: str, *, targets: list[str] | None = None, fmt: str = "text",  # noqa: PLR0913
               lang: str = "en", strict: bool = False, demo_scale: float | None = None,
               allow_outside_paths: bool = False) -> CityOutcome:
    """Check one layer set and render its report; bad input becomes a failed outcome, not an exception.

    This is the task a Dask worker runs: arguments and result are plain data.

    Parameters
    ----------
    layers
        The layer-set value (folder, name under ``layers/`` or ``demo:SCALE[:SEED]``).
    name
        The city's output folder name.
    scenario
        A year or scenario file path (as for ``coverage check``).
    targets, demo_scale, allow_outside_paths
        As for :func:`coverage_planner.studies.check.run_check`.
    fmt, lang
        Report format and language (as for :func:`coverage_planner.render.text.render`).
    strict
        Targets with no data count as failures in ``exit_code``.
    """
    from ..render.text import exit_code, render
    from .check import run_check

    def job() -> CityOutcome:
        run = run_check(scenario, layers, targets=targets, demo_scale=demo_scale,
                        allow_outside_paths=allow_outside_paths, want_geo=False)
        text = render(run.results, run.meta(), fmt=fmt, lang=lang)
        return CityOutcome(layers, name, OK, report=text, statuses={r.id: r.status for r in run.results},
                           exit_code=exit_code(run.results, strict=strict))

    return _guarded(layers, name, job)


def map_city(layers: str, name: str, scenario: str, *, out: str, targets: list[str] | None = None,
             demo_scale: float | None = None, allow_outside_paths: bool = False, **publish_kw: Any) -> CityOutcome:
    """Publish one layer set's maps into ``<out>/<name>/`` (on the worker: ``out`` must be a folder it sees).

    ``publish_kw`` goes to :func:`coverage_planner.render.web.publish` (``tiles``, ``tianditu_key``, ``lang``, ``assets``).
    The outcome's ``report`` is the index page's path; its ``exit_code`` is 0 (maps written) or 2/3.
    """
    from ..render.web import publish
    from .check import run_check

    def job() -> CityOutcome:
        run = run_check(scenario, layers, targets=targets, demo_scale=demo_scale,
                        allow_outside_paths=allow_outside_paths)
        paths = publish(run, Path(out) / name, **publish_kw)
        return CityOutcome(layers, name, OK, report=str(paths[0]), statuses={r.id: r.status for r in run.results})

    return _guarded(layers, name, job)


def _local_cluster(n_workers: int) -> Any:
    from distributed import LocalCluster

    return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                        silence_logs=logging.ERROR)


def check_many(layer_values: Sequence[str], scenario: str, *, scheduler: str = "local", workers: int | None = None,
               task: Callable[..., CityOutcome] = check_city, **options: Any) -> list[CityOutcome]:
    """Check ``scenario`` on every layer set; one outcome per value, in the order given.

    Parameters
    ----------
    layer_values
        Layer-set values (already glob-expanded, see :func:`expand_layer_values`).
    scenario
        A year or scenario file path.
    scheduler
        ``"sequential"`` (in this process, no Dask), ``"local"`` (a LocalCluster of ``workers`` processes with
        one thread each, closed afterwards) or a scheduler address ``tcp://HOST:PORT`` of an existing cluster
        (whose workers must have this package installed and see the layer-set paths).
    workers
        Worker processes of the local cluster (default: one per city, at most the machine's cores).
    task
        What to run per city: :func:`check_city` (default) or :func:`map_city`.
    **options
        Passed to ``task`` (for :func:`check_city`: ``targets``, ``fmt``, ``lang``, ``strict``, ``demo_scale``,
        ``allow_outside_paths``).
    """
    values = list(layer_values)
    names = city_names(values)
    if scheduler == "sequential":
        return [task(v, n, scenario, **options) for v, n in zip(values, names, strict=True)]
    from distributed import Client

    root_level = logging.getLogger().getEffectiveLevel()  # distributed logs at INFO unless told otherwise
    logging.getLogger("distributed").setLevel(logging.DEBUG if root_level <= logging.DEBUG else logging.WARNING)
    if scheduler == "local":
        import os

        n = workers or max(1, min(len(values), os.cpu_count() or 1))
        with _local_cluster(n) as cluster, Client(cluster) as client:
            return _run_on(client, task, values, names, scenario, options)
    if not scheduler.startswith(("tcp://", "tls://", "inproc://", "ws://", "wss://")):
        raise CoverageError(Message("err.many_scheduler", scheduler=scheduler))
    try:
        client = Client(scheduler, timeout="20s")
    except OSError as exc:
        raise CoverageError(Message("err.many_scheduler_unreachable", scheduler=scheduler,
                                    reason=reason_words(exc))) from exc
    with client:
        return _run_on(client, task, values, names, scenario, options)


def _run_on(client: Any, task: Callable[..., CityOutcome], values: list[str], names: list[str], scenario: str,
            options: dict[str, Any]) -> list[CityOutcome]:
    futures = [client.submit(task, v, n, scenario, key=f"coverage-{task.__name__}-{i}-{n}", pure=False, **options)
               for i, (v, n) in enumerate(zip(values, names, strict=True))]
    out: list[CityOutcome] = []
    for v, n, fut in zip(values, names, futures, strict=True):
        try:
            out.append(fut.result())
        except Exception as exc:  # noqa: BLE001 - a worker died (memory, killed): that city fails alone
            out.append(CityOutcome(v, n, INTERNAL, exit_code=3,
                                   message=Message("err.many_task_failed", layers=v, kind=type(exc).__name__,
                                                   text=str(exc))))
    return out


def many_exit_code(outcomes: Sequence[CityOutcome], *, exit_zero: bool = False) -> int:
    """3 if a city hit an internal error, else 2 if a city had bad input, else 1 if a target failed, else 0.

    ``exit_zero`` turns the last case (failing targets) into 0; bad input still counts.
    """
    states = {o.state for o in outcomes}
    if INTERNAL in states:
        return 3
    if BAD_INPUT in states:
        return 2
    if not exit_zero and any(o.exit_code == 1 for o in outcomes):
        return 1
    return 0

