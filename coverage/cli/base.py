"""The command, group and option classes of ``coverage``: help texts from the catalogue, in the command's language.

Every command and option names a catalogue key (``help.cmd.*``, ``help.opt.*`` in
``render/catalogue_help.py``) instead of holding a sentence; ``help`` is read in the language of
:func:`~coverage_planner.cli.click_zh.help_lang` whenever click asks for it, so one registry serves
English and Chinese. The root group's :meth:`CatalogueGroup.main` picks that language from ``--lang``
anywhere on the command line (also after ``--help``), else ``COVERAGE_LANG``, else English, and lets
click speak it (:func:`~coverage_planner.cli.click_zh.speaking`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import click

from .click_zh import argv_lang, help_lang, speaking

#: A field of a help text that depends on the language (e.g. the list of --format names): lang -> text.
HelpField = Callable[[str], str]

_OUTSIDE_BRACKETS_COLON = re.compile(r":(?![^(]*\))")
_METAVAR_WORD = re.compile(r"FLOAT RANGE|INTEGER RANGE|\b[A-Z]{2,}\b")


def metavar_in(text: str, lang: str) -> str:
    """A placeholder (``YEAR|FILE``, ``[OPTIONS]``) in ``lang``: its capitalised words translated, values kept."""
    if lang != "zh":
        return text
    from ..render.catalogue_help import METAVAR_ZH

    return _METAVAR_WORD.sub(lambda m: METAVAR_ZH.get(m.group(0), m.group(0)), text)


class CatalogueOption(click.Option):
    """A click option whose help is the catalogue sentence ``help_key`` in the command's language.

    Parameters
    ----------
    *args, **kwargs
        As :class:`click.Option` (without ``help``).
    help_key : str
        The catalogue key of the help text.
    help_fields : Mapping[str, HelpField], optional
        Fields of the sentence that depend on the language.
    """

    def __init__(self, *args: Any, help_key: str, help_fields: Mapping[str, HelpField] | None = None,
                 **kwargs: Any) -> None:
        self.help_key = help_key
        self.help_fields = dict(help_fields or {})
        super().__init__(*args, **kwargs)

    @property
    def help(self) -> str:
        """The help text in the command's language."""
        from ..render.catalogue import t

        lang = help_lang()
        return t(self.help_key, lang, **{k: f(lang) for k, f in self.help_fields.items()})

    @help.setter
    def help(self, value: str | None) -> None:
        """click sets the help it was given: the catalogue's is the one shown."""

    def make_metavar(self, ctx: click.Context) -> str:
        return metavar_in(super().make_metavar(ctx), help_lang())


class _CatalogueHelp:
    """What commands and groups share: help from the catalogue, Chinese placeholders and short help."""

    help_key: str
    params: list[click.Parameter]

    @property
    def help(self) -> str:
        """The command's help in the command's language."""
        from ..render.catalogue import t

        return t(self.help_key, help_lang())

    @help.setter
    def help(self, value: str | None) -> None:
        """click sets the docstring: the catalogue's text is the one shown."""

    @property
    def options_metavar(self) -> str:
        """``[OPTIONS]`` of the usage line, in the command's language."""
        return metavar_in("[OPTIONS]", help_lang())

    @options_metavar.setter
    def options_metavar(self, value: str | None) -> None:
        """Fixed: every command says ``[OPTIONS]``."""

    def get_short_help_str(self, limit: int = 45) -> str:
        """The first sentence of the help for a group's list (Chinese cut by columns, not characters)."""
        lang = help_lang()
        if lang != "zh":
            return super().get_short_help_str(limit)  # type: ignore[misc]
        from .click_zh import display_width

        text = self.help.split("\n", 1)[0].split("。", 1)[0]  # the first sentence
        if display_width(text) > limit:
            text = _OUTSIDE_BRACKETS_COLON.split(text, maxsplit=1)[0]  # its head, before a colon
        if display_width(text) <= limit:
            return text
        while display_width(text + "…") > limit:
            text = text[:-1]
        return text + "…"

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """click's ``--help``, saying what it does in the command's language."""
        from ..render.catalogue import t

        opt: click.Option | None = super().get_help_option(ctx)  # type: ignore[misc]
        if opt is not None:
            opt.help = t("help.opt.help", help_lang())  # click keeps one: say it again in this run's language
        return opt

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        return [metavar_in(p, help_lang()) for p in pieces]


class CatalogueCommand(_CatalogueHelp, click.Command):  # type: ignore[misc]  # help: a property here
    """A ``coverage`` command: ``help_key`` names its help in the catalogue."""

    def __init__(self, *args: Any, help_key: str, **kwargs: Any) -> None:
        self.help_key = help_key
        super().__init__(*args, **kwargs)


class CatalogueGroup(_CatalogueHelp, click.Group):  # type: ignore[misc]  # help: a property here
    """A ``coverage`` group: its commands and subgroups are catalogue commands too.

    As the root, :meth:`main` runs the command with help, usage and click's messages in the language of
    ``--lang`` (wherever it is on the command line), else ``COVERAGE_LANG``, else English.
    """

    command_class = CatalogueCommand
    group_class = type  # subgroups are CatalogueGroups

    def __init__(self, *args: Any, help_key: str, **kwargs: Any) -> None:
        self.help_key = help_key
        super().__init__(*args, **kwargs)

    @property
    def subcommand_metavar(self) -> str:
        """``COMMAND [ARGS]...`` of the usage line, in the command's language."""
        return metavar_in("COMMAND [ARGS]...", help_lang())

    @subcommand_metavar.setter
    def subcommand_metavar(self, value: str | None) -> None:
        """Fixed: groups here are never chained."""

    def main(self, args: Sequence[str] | None = None, *pos: Any, **kwargs: Any) -> Any:
        """Run the command line speaking the language of its ``--lang`` (or COVERAGE_LANG)."""
        lang = argv_lang(list(sys.argv[1:] if args is None else args)) or help_lang()
        with speaking(lang):
            return super().main(args, *pos, **kwargs)


def option(*decls: str, key: str, fields: Mapping[str, HelpField] | None = None, **kwargs: Any) -> Callable[[Any], Any]:
    """``click.option`` with the help text ``help.opt.<key>`` of the catalogue (``fields`` by language)."""
    return click.option(*decls, cls=CatalogueOption, help_key=f"help.opt.{key}", help_fields=fields, **kwargs)


def catalogue_command(name: str | None = None, *, key: str, **kwargs: Any) -> Callable[[Any], CatalogueCommand]:
    """``click.command`` with the help text ``help.cmd.<key>`` of the catalogue."""
    return click.command(name, cls=CatalogueCommand, help_key=f"help.cmd.{key}", **kwargs)


def catalogue_group(name: str | None = None, *, key: str, **kwargs: Any) -> Callable[[Any], CatalogueGroup]:
    """``click.group`` with the help text ``help.cmd.<key>`` of the catalogue."""
    return click.group(name, cls=CatalogueGroup, help_key=f"help.cmd.{key}", **kwargs)
