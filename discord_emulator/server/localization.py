"""Localized command metadata: Discord's rules for ``*_localizations`` and what a client in a
given locale shows.

Discord accepts only its own locale codes as keys; a localized chat-input or option name
follows the same name rules as the default one, and must be unique among its siblings in
that locale; localized descriptions are 1-100 characters, localized choice names 1-100.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import ApiError

JSON = dict[str, Any]

#: Discord's locale codes (https://discord.com/developers/docs/reference#locales).
LOCALES = frozenset(
    [
        "id",
        "da",
        "de",
        "en-GB",
        "en-US",
        "es-ES",
        "es-419",
        "fr",
        "hr",
        "it",
        "lt",
        "hu",
        "nl",
        "no",
        "pl",
        "pt-BR",
        "ro",
        "fi",
        "sv-SE",
        "vi",
        "tr",
        "cs",
        "el",
        "bg",
        "ru",
        "uk",
        "hi",
        "th",
        "zh-CN",
        "ja",
        "zh-TW",
        "ko",
    ]
)
_NAME = re.compile(r"^[-_\w]{1,32}$")
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2


def _bad(path: str, message: str) -> ApiError:
    return ApiError.invalid_form(path, "LOCALIZATION_INVALID", message)


def _locales(path: str, mapping: Any) -> dict[str, str]:
    if mapping is None:
        return {}
    if not isinstance(mapping, dict):
        raise _bad(path, "Must be an object.")
    for key, value in mapping.items():
        if key not in LOCALES:
            raise _bad(f"{path}.{key}", f"Unknown locale {key!r}.")
        if not isinstance(value, str):
            raise _bad(f"{path}.{key}", "Must be a string.")
    return mapping


def _check_name(path: str, mapping: Any, *, chat_input: bool) -> dict[str, str]:
    names = _locales(path, mapping)
    for key, value in names.items():
        if chat_input and (not _NAME.match(value) or value != value.lower()):
            raise _bad(f"{path}.{key}", "Command name is invalid")
        if not 1 <= len(value) <= 32:
            raise _bad(f"{path}.{key}", "Must be between 1 and 32 in length.")
    return names


def _check_description(path: str, mapping: Any) -> None:
    for key, value in _locales(path, mapping).items():
        if not 1 <= len(value) <= 100:
            raise _bad(f"{path}.{key}", "Must be between 1 and 100 in length.")


def _check_siblings(path: str, items: list[JSON]) -> None:
    """Names seen in one locale (localized, or the default) must not repeat."""
    for locale in LOCALES:
        seen: set[str] = set()
        for item in items:
            shown = (item.get("name_localizations") or {}).get(locale, item.get("name"))
            if shown in seen:
                raise _bad(f"{path}.name_localizations.{locale}", f"Duplicate name {shown!r}.")
            seen.add(shown)


def check(body: JSON, path: str = "", *, chat_input: bool = True) -> None:
    """Raise :class:`ApiError` if Discord would reject this command's localizations."""
    prefix = f"{path}." if path else ""
    _check_name(
        f"{prefix}name_localizations", body.get("name_localizations"), chat_input=chat_input
    )
    _check_description(f"{prefix}description_localizations", body.get("description_localizations"))
    options = body.get("options") or []
    _check_siblings(f"{prefix}options", options)
    for i, option in enumerate(options):
        check(option, f"{prefix}options.{i}", chat_input=True)
        for j, choice in enumerate(option.get("choices") or []):
            for key, value in _locales(
                f"{prefix}options.{i}.choices.{j}.name_localizations",
                choice.get("name_localizations"),
            ).items():
                if not 1 <= len(value) <= 100:
                    raise _bad(f"{prefix}options.{i}.choices.{j}.{key}", "Bad length.")


def _shown(item: JSON, key: str, locale: str) -> Any:
    return (item.get(f"{key}_localizations") or {}).get(locale, item.get(key))


def as_seen_by(body: JSON, locale: str) -> JSON:
    """The command as a Discord client set to ``locale`` lists it: localized name,
    description, options and choices, falling back to the defaults."""
    seen: JSON = {"name": _shown(body, "name", locale)}
    if body.get("description"):
        seen["description"] = _shown(body, "description", locale)
    options = []
    for option in body.get("options") or []:
        shown = as_seen_by(option, locale)
        choices = [_shown(c, "name", locale) for c in option.get("choices") or []]
        if choices:
            shown["choices"] = choices
        options.append(shown)
    if options:
        seen["options"] = options
    return seen
