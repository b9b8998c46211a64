"""Parse a typed line like `/cast name:Han So-hee` against the synced command schemas."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Discord option types (application command option type).
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 3, 4, 5, 6, 7, 8, 9, 10
ENTITY_TYPES = (USER, CHANNEL, ROLE, MENTIONABLE)
_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0"}

# resolve(option type, typed text) -> the user, channel or role it names; raises ParseError.
Resolver = Callable[[int, str], Any]


class ParseError(ValueError):
    """The line does not fit the command; the message says how."""


@dataclass(frozen=True, slots=True)
class Invocation:
    command: str  # "/trivia start"
    options: dict[str, Any]


def _no_entities(kind: int, raw: str) -> Any:
    raise ParseError(f"cannot look up {raw!r} here")


def _choice(option: dict[str, Any], value: Any, raw: str) -> Any:
    choices = option.get("choices") or []
    if not choices:
        return value
    for choice in choices:
        if choice["value"] == value or str(choice["name"]).lower() == raw.lower():
            return choice["value"]
    names = ", ".join(str(c["name"]) for c in choices)
    raise ParseError(f"{option['name']} must be one of: {names}")


def _number(option: dict[str, Any], raw: str, kind: type[int] | type[float]) -> int | float:
    name = option["name"]
    try:
        value = kind(raw)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ParseError(f"{name} must be {what}") from None
    low, high = option.get("min_value"), option.get("max_value")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ParseError(f"{name} must be from {low} to {high}")
    return value


def _convert(option: dict[str, Any], raw: str, resolve: Resolver) -> Any:
    kind, name = option.get("type"), option["name"]
    value: Any
    if kind == INTEGER:
        value = raw if option.get("choices") and not raw.lstrip("-").isdigit() else None
        value = _number(option, raw, int) if value is None else value
    elif kind == NUMBER:
        value = _number(option, raw, float)
    elif kind == BOOLEAN:
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise ParseError(f"{name} must be true or false")
    elif kind in ENTITY_TYPES:
        return resolve(int(kind), raw)
    else:
        value = raw
    return _choice(option, value, raw)


def _positional(
    options: list[dict[str, Any]], given: dict[str, Any], raw: str, resolve: Resolver
) -> dict[str, Any]:
    """Bare values go to the first option not yet given that they fit: `/progress 0` sets
    episode, `/discussion open 2 #general` sets episode and then channel. The whole text is
    tried first, so `/cast Han So-hee` stays one name."""
    candidates = [o for o in options if o["name"] not in given]
    first_error: ParseError | None = None
    for option in candidates:
        try:
            return {option["name"]: _convert(option, raw, resolve)}
        except ParseError as exc:
            first_error = first_error or exc
    head, _, tail = raw.partition(" ")
    if tail.strip():
        for option in candidates:
            try:
                value = _convert(option, head, resolve)
            except ParseError:
                continue
            try:
                rest = _positional(options, {**given, option["name"]: value}, tail.strip(), resolve)
            except ParseError as exc:
                # The first word fitted: what is wrong is in the rest, so say that.
                first_error = exc
                continue
            return {option["name"]: value, **rest}
    if first_error is None:
        raise ParseError("put options as name:value, e.g. name:Han So-hee")
    raise first_error


def parse_line(
    line: str, schemas: list[dict[str, Any]], resolve: Resolver = _no_entities
) -> Invocation:
    """`/name [sub] opt:value opt2:value2`, or `/name value` for the first option it fits."""
    text = line.strip()
    if not text.startswith("/"):
        raise ParseError("commands start with /")
    words = text[1:].split()
    if not words:
        raise ParseError("type a command name after /, e.g. /cast")
    schema = next((s for s in schemas if s.get("name") == words[0] and s.get("type", 1) == 1), None)
    if schema is None:
        names = ", ".join(sorted("/" + s["name"] for s in schemas if s.get("type", 1) == 1))
        raise ParseError(f"no command /{words[0]}; try one of: {names}")
    path, options, rest = [words[0]], schema.get("options") or [], words[1:]
    while rest:
        sub = next(
            (
                o
                for o in options
                if o["name"] == rest[0] and o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)
            ),
            None,
        )
        if sub is None:
            break
        path.append(rest[0])
        options, rest = sub.get("options") or [], rest[1:]
    if any(o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) for o in options):
        subs = ", ".join(o["name"] for o in options)
        raise ParseError(f"/{' '.join(path)} needs one of: {subs}")
    remainder = " ".join(rest).strip()
    by_name = {o["name"]: o for o in options}
    values: dict[str, Any] = {}
    if remainder:
        if not options:
            raise ParseError(f"/{' '.join(path)} takes no options")
        names = "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True))
        marks = list(re.finditer(rf"(?:^|\s)({names}):", remainder))
        for i, mark in enumerate(marks):
            end = marks[i + 1].start() if i + 1 < len(marks) else len(remainder)
            option = by_name[mark.group(1)]
            raw = remainder[mark.end() : end].strip()
            if raw:  # "name:" with nothing after it means the option is left out
                values[option["name"]] = _convert(option, raw, resolve)
        leading = remainder[: marks[0].start()] if marks else remainder
        if leading.strip():
            values.update(_positional(options, values, leading.strip(), resolve))
    missing = [o["name"] for o in options if o.get("required") and o["name"] not in values]
    if missing:
        raise ParseError(f"/{' '.join(path)} needs {', '.join(m + ':' for m in missing)}")
    return Invocation("/" + " ".join(path), values)
