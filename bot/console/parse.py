"""Parse a typed line like `/cast name:Han So-hee` against the synced command schemas."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Discord option types (application command option type).
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, NUMBER = 3, 4, 5, 10
_TRUE = {"true", "yes", "y", "on", "1"}
_FALSE = {"false", "no", "n", "off", "0"}


class ParseError(ValueError):
    """The line does not fit the command; the message says how."""


@dataclass(frozen=True, slots=True)
class Invocation:
    command: str  # "/trivia start"
    options: dict[str, Any]


def _convert(option: dict[str, Any], raw: str) -> Any:
    kind, name = option.get("type"), option["name"]
    if kind == INTEGER:
        try:
            return int(raw)
        except ValueError:
            raise ParseError(f"{name} must be a whole number") from None
    if kind == NUMBER:
        try:
            return float(raw)
        except ValueError:
            raise ParseError(f"{name} must be a number") from None
    if kind == BOOLEAN:
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise ParseError(f"{name} must be true or false")
    return raw


def parse_line(line: str, schemas: list[dict[str, Any]]) -> Invocation:
    """`/name [sub] opt:value opt2:value2`, or `/name free text` for the first text option."""
    text = line.strip()
    if not text.startswith("/"):
        raise ParseError("commands start with /")
    words = text[1:].split(" ")
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
        names = "|".join(re.escape(n) for n in sorted(by_name, key=len, reverse=True))
        pattern = re.compile(rf"(?:^|\s)({names}):") if names else None
        marks = list(pattern.finditer(remainder)) if pattern else []
        if not marks:
            free = next((o for o in options if o.get("type") == STRING), None) or (
                options[0] if options else None
            )
            if free is None:
                raise ParseError(f"/{' '.join(path)} takes no options")
            values[free["name"]] = _convert(free, remainder)
        else:
            if remainder[: marks[0].start()].strip():
                raise ParseError("put options as name:value, e.g. name:Han So-hee")
            for i, mark in enumerate(marks):
                end = marks[i + 1].start() if i + 1 < len(marks) else len(remainder)
                option = by_name[mark.group(1)]
                raw = remainder[mark.end() : end].strip()
                if raw:  # "name:" with nothing after it means the option is left out
                    values[option["name"]] = _convert(option, raw)
    missing = [o["name"] for o in options if o.get("required") and o["name"] not in values]
    if missing:
        raise ParseError(f"/{' '.join(path)} needs {', '.join(m + ':' for m in missing)}")
    return Invocation("/" + " ".join(path), values)
