"""Validation of application-command registrations, following Discord's documented limits.

A bot whose command tree Discord would reject (upper-case names, over-long descriptions,
required options after optional ones, >25 choices...) gets the same ``400 Invalid Form
Body`` from the emulator, so ``tree.sync()`` fails in tests exactly as in production.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from ..errors import ApiError
from . import localization

log = logging.getLogger(__name__)

JSON = dict[str, Any]

CHAT_INPUT, USER, MESSAGE = 1, 2, 3
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER_OPT, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)

_NAME = re.compile(r"^[-_\w]{1,32}$")
MAX_CHAT_INPUT = 100
MAX_CONTEXT_MENUS = 15


def _bad(path: str, code: str, message: str) -> ApiError:
    return ApiError.invalid_form(path, code, message)


def _check_name(path: str, name: Any) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        raise _bad(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    if name != name.lower():
        raise _bad(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")


def _check_description(path: str, description: Any) -> None:
    if not isinstance(description, str) or not 1 <= len(description) <= 100:
        raise _bad(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")


def _check_options(path: str, options: list[JSON], *, depth: int) -> None:
    if len(options) > 25:
        raise _bad(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    names: set[str] = set()
    seen_optional = False
    kinds = {int(o.get("type", 0)) in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in options}
    if len(kinds) > 1:
        raise _bad(
            path,
            "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
            "Sub-command and sub-command group option types are mutually exclusive "
            "to all other types",
        )
    for i, opt in enumerate(options):
        opath = f"{path}.{i}"
        otype = int(opt.get("type", 0))
        if not 1 <= otype <= 11:
            raise _bad(
                f"{opath}.type", "BASE_TYPE_CHOICES", f"Value must be one of 1..11, got {otype}."
            )
        _check_name(f"{opath}.name", opt.get("name"))
        _check_description(f"{opath}.description", opt.get("description"))
        if opt["name"] in names:
            raise _bad(
                f"{opath}.name",
                "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
                "Option name already exists",
            )
        names.add(opt["name"])
        if otype == SUB_COMMAND_GROUP:
            if depth != 0:
                raise _bad(
                    f"{opath}.type",
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Sub-command groups can only be nested at the top level",
                )
            subs = opt.get("options") or []
            if any(int(s.get("type", 0)) != SUB_COMMAND for s in subs):
                raise _bad(
                    f"{opath}.options",
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Sub-command groups can only contain sub-commands",
                )
            _check_options(f"{opath}.options", subs, depth=depth + 1)
            continue
        if otype == SUB_COMMAND:
            if depth > 1:
                raise _bad(
                    f"{opath}.type",
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "Sub-commands cannot be nested this deep",
                )
            _check_options(f"{opath}.options", opt.get("options") or [], depth=2)
            continue
        required = bool(opt.get("required", False))
        if required and seen_optional:
            raise _bad(
                f"{opath}.required",
                "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                "Required options must be placed before non-required options",
            )
        seen_optional = seen_optional or not required
        choices = opt.get("choices") or []
        if choices:
            if otype not in (STRING, INTEGER, NUMBER):
                raise _bad(
                    f"{opath}.choices",
                    "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
                    "Choices are only allowed for string, integer and number options",
                )
            if opt.get("autocomplete"):
                raise _bad(
                    f"{opath}.autocomplete",
                    "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                    "Autocomplete cannot be set with choices",
                )
            if len(choices) > 25:
                raise _bad(
                    f"{opath}.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."
                )
            for j, choice in enumerate(choices):
                if not 1 <= len(str(choice.get("name", ""))) <= 100:
                    raise _bad(
                        f"{opath}.choices.{j}.name",
                        "BASE_TYPE_BAD_LENGTH",
                        "Must be between 1 and 100 in length.",
                    )
                if otype == STRING and len(str(choice.get("value", ""))) > 100:
                    raise _bad(
                        f"{opath}.choices.{j}.value",
                        "BASE_TYPE_MAX_LENGTH",
                        "Must be 100 or fewer in length.",
                    )
        if opt.get("autocomplete") and otype not in (STRING, INTEGER, NUMBER):
            raise _bad(
                f"{opath}.autocomplete",
                "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
                "Autocomplete is only allowed for string, integer and number options",
            )


def validate_command(body: JSON, path: str = "") -> None:
    """Raise :class:`ApiError` (50035) if Discord would reject this command body."""
    prefix = f"{path}." if path else ""
    ctype = int(body.get("type", CHAT_INPUT))
    name = body.get("name")
    if ctype == CHAT_INPUT:
        _check_name(f"{prefix}name", name)
        _check_description(f"{prefix}description", body.get("description"))
        _check_options(f"{prefix}options", body.get("options") or [], depth=0)
    elif ctype in (USER, MESSAGE):
        if not isinstance(name, str) or not 1 <= len(name) <= 32:
            raise _bad(
                f"{prefix}name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length."
            )
        if body.get("description"):
            raise _bad(
                f"{prefix}description",
                "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                "Context menu commands cannot have a description",
            )
        if body.get("options"):
            raise _bad(
                f"{prefix}options",
                "APPLICATION_COMMAND_CONTEXT_MENU_OPTIONS",
                "Context menu commands cannot have options",
            )
    else:
        raise _bad(f"{prefix}type", "BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3).")
    localization.check(body, path, chat_input=ctype == CHAT_INPUT)


def validate_bulk(bodies: Any) -> list[JSON]:
    """Validate a ``PUT .../commands`` body (list of commands)."""
    if not isinstance(bodies, list):
        raise _bad("_root", "BASE_TYPE_ARRAY", "Must be an array.")
    seen: set[tuple[int, str]] = set()
    counts = {CHAT_INPUT: 0, USER: 0, MESSAGE: 0}
    for i, body in enumerate(bodies):
        validate_command(body, str(i))
        key = (int(body.get("type", CHAT_INPUT)), str(body["name"]))
        if key in seen:
            raise _bad(
                f"{i}.name",
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                f"Application command names must be unique ({key[1]})",
            )
        seen.add(key)
        counts[key[0]] += 1
    if counts[CHAT_INPUT] > MAX_CHAT_INPUT:
        raise _bad("_root", "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer chat input commands.")
    if counts[USER] > MAX_CONTEXT_MENUS or counts[MESSAGE] > MAX_CONTEXT_MENUS:
        raise _bad("_root", "BASE_TYPE_MAX_LENGTH", "Too many context menu commands.")
    return bodies
