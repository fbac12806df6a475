"""The ``coverage`` / ``coverage-planner`` command group."""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from .. import __version__
from .._io import raise_terminated, tidy_cache
from ..errors import CoverageError
from .base import catalogue_group, option
from .click_zh import help_lang
from .options import group_lang_opt

F = TypeVar("F", bound=Callable[..., Any])

#: Exit codes: 0 all targets pass, 1 a target fails, 2 bad input or usage, 3 internal error.
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


def friendly_errors(fn: F) -> F:
    """Turn package errors into one paragraph on stderr and exit 2 (no traceback)."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from ..render.catalogue import t

        lang = str(kwargs.get("lang") or _command_lang())  # the command's --lang (or COVERAGE_LANG)
        try:
            return fn(*args, **kwargs)
        except CoverageError as exc:
            click.echo(t("err.cli_error", lang, text=exc.text(lang)), err=True)
            sys.exit(EXIT_BAD_INPUT)
        except KeyboardInterrupt:
            click.echo(t("err.cli_interrupted", lang), err=True)
            sys.exit(130)
        except click.ClickException as exc:
            if not hasattr(exc.message, "text"):  # click's own: it prints them
                raise
            click.echo(t("err.cli_error", lang, text=exc.message.text(lang)), err=True)  # one paragraph, in --lang
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, SystemExit):
            raise
        except MemoryError:
            click.echo(t("err.cli_error", lang, text=t("err.cli_out_of_memory", lang)), err=True)
            sys.exit(EXIT_BAD_INPUT)
        except Exception as exc:  # noqa: BLE001 - last line of defence: no raw traceback for planners
            if logging.getLogger().isEnabledFor(logging.DEBUG):
                traceback.print_exc()
            click.echo(t("err.cli_internal", lang, kind=type(exc).__name__, text=exc), err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


class _LibraryWarningsToDebug(logging.Filter):
    """Library warnings (shapely, pyogrio, pandas ...) are debug output: shown with -vv, never otherwise.

    The planner reads the tool's own messages; a ``RuntimeWarning`` from deep inside a library says nothing
    they can act on, and every condition behind one that matters is checked and reported by the tool itself.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger().isEnabledFor(logging.DEBUG)


def route_library_warnings() -> None:
    """Send Python warnings to the ``py.warnings`` logger at DEBUG level instead of the terminal."""
    logging.captureWarnings(True)
    log = logging.getLogger("py.warnings")
    if not any(isinstance(f, _LibraryWarningsToDebug) for f in log.filters):
        log.addFilter(_LibraryWarningsToDebug())


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--version``: the program's name and version, in the command's language."""
    from ..render.catalogue import t

    if value and not ctx.resilient_parsing:
        click.echo(t("help.version", help_lang(), prog="coverage-planner", version=__version__))
        ctx.exit()


@catalogue_group(key="cli", context_settings={"help_option_names": ["-h", "--help"]})
@option("-v", "--verbose", key="verbose", count=True)
@option("-q", "--quiet", key="quiet", count=True)
@group_lang_opt
@option("--version", key="version", is_flag=True, expose_value=False, is_eager=True, callback=_print_version)
def cli(verbose: int, quiet: int) -> None:
    """The ``coverage`` group (help: catalogue ``help.cmd.cli``): logging, cache sweep, progress bars."""
    with contextlib.suppress(ValueError):  # only possible in the main thread
        signal.signal(signal.SIGTERM, raise_terminated)  # before any temporary can exist
    level = max(logging.DEBUG, logging.WARNING - 10 * verbose + 10 * quiet)
    logging.basicConfig(stream=sys.stderr, level=level, format="%(levelname)s %(name)s: %(message)s")
    route_library_warnings()
    tidy_cache()  # killed runs' temporaries, the cached answers' size budget
    _progress_bars(click.get_current_context(), quiet=quiet > 0)


def _progress_bars(ctx: click.Context, *, quiet: bool) -> None:
    """Bars on stderr for long steps (a terminal only, not with -q), labelled in the command's --lang."""
    from ..progress_bar import use_reporter
    from ..render.status import terminal_reporter

    ctx.with_resource(use_reporter(terminal_reporter(lang=_command_lang, quiet=quiet)))


def _command_lang() -> str:
    """The --lang of the running command (read when a step starts: the group runs before it is parsed).

    A command without ``--lang`` speaks the language of ``--lang`` on its command line (read before parsing,
    e.g. for a parse error), else ``COVERAGE_LANG`` (English when unset).
    """
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if ctx.params.get("lang"):
            return str(ctx.params["lang"])
        ctx = ctx.parent
    return help_lang()


def _register() -> None:
    from . import check, compare, demo, doctor, fetch, layers, maps, progress, schema, site

    cli.add_command(check.check)
    cli.add_command(demo.demo)
    for mod in (maps, site, progress, compare, doctor, fetch, layers, schema):
        cli.add_command(mod.command)


_register()
