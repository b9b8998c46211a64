"""The bot in Korean and Indonesian: gettext catalogs read with Babel, one per language.

`t(where, msgid, **values)` is the reply text in the language of `where` (an interaction,
a guild, a discord.Locale or a locale string): the interaction's own locale for a reply, the
server's preferred locale for what the bot posts for everyone. Anything without a
translation falls back to the English msgid. `N_` marks a string for the catalogs where
it is defined and translated later. `CatalogTranslator` gives discord.py every command's
names, descriptions, option names and choices in the same catalogs, with the string's
place (command_name, parameter_description, choice_name...) as its gettext context.

The .po files are read at start (no compile step), so a fresh clone works as it is.
`python -m bot.i18n.extract` lists, and writes to the catalogs, every msgid without a
translation.
"""

from __future__ import annotations

import logging
import re
from functools import cache
from pathlib import Path

import discord
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from discord import app_commands

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
LANGUAGES = ("ko", "id")  # besides English, the source language
ENGLISH = "en"
_PLACEHOLDER = re.compile(r"\{(\w*)(?:[!:][^{}]*)?\}")

Where = discord.Interaction | discord.Guild | discord.Locale | str | None


def catalog_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalog(language: str) -> Catalog:
    with catalog_path(language).open("rb") as file:
        return read_po(file, locale=language)


def language_of(where: Where) -> str:
    """The catalog language for a place: "ko", "id" or "en" (everything else)."""
    if isinstance(where, discord.Interaction):
        where = where.locale
    elif isinstance(where, discord.Guild):
        where = where.preferred_locale
    if where is None:
        return ENGLISH
    code = where.value if isinstance(where, discord.Locale) else str(where)
    base = code.split("-")[0].lower()
    return base if base in LANGUAGES else ENGLISH


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def lookup(language: str, msgid: str, context: str | None = None) -> str | None:
    """The translation, or None (English, unknown, empty or fuzzy)."""
    if language == ENGLISH:
        return None
    message = catalog(language).get(msgid, context=context)
    if message is None or not message.string or message.fuzzy:
        return None
    return str(message.string)


def t(where: Where, msgid: str, /, **values: object) -> str:
    """`msgid` in the language of `where`, with `{name}` placeholders filled in."""
    text = lookup(language_of(where), msgid) or msgid
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        log.error("Bad placeholders in the %s translation of %r", language_of(where), msgid)
        return msgid.format(**values)


def decimal(value: float, where: Where) -> str:
    """One decimal, written the way the language writes it (4.3, 4,3)."""
    return str(format_decimal(value, format="0.0", locale=language_of(where)))


def N_(msgid: str) -> str:  # gettext's name for "mark now, translate later"
    return msgid


_NAMED = (
    app_commands.TranslationContextLocation.command_name,
    app_commands.TranslationContextLocation.group_name,
)


def context_of(context: app_commands.TranslationContextTypes) -> str:
    """The gettext context of a command string: its place, and for a command's own name
    also the command, since "episodes" under /notify is not the /episodes command."""
    place = context.location.name
    if context.location in _NAMED:
        return f"{place} /{getattr(context.data, 'qualified_name', '')}"
    return place


class CatalogTranslator(app_commands.Translator):
    """Command names, descriptions, option names and choices from the catalogs."""

    async def load(self) -> None:
        # Read every catalog now (the tree calls this when the translator is set): a broken
        # one stops the start, and no reply waits for a file.
        for language in LANGUAGES:
            log.debug("%s catalog: %d messages", language, len(catalog(language)))

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        language = language_of(locale)
        if language == ENGLISH:
            return None
        return lookup(language, string.message, context_of(context))
