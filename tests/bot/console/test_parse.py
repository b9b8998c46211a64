"""Typed lines against command schemas: bare values, choices, users and channels by name."""

from __future__ import annotations

from typing import Any

import pytest

from bot.console.parse import CHANNEL, USER, ParseError, parse_line

SCHEMAS: list[dict[str, Any]] = [
    {
        "name": "progress",
        "type": 1,
        "options": [
            {
                "type": 4,
                "name": "episode",
                "choices": [{"name": f"Episode {n}", "value": n} for n in range(5)],
            },
            {
                "type": 3,
                "name": "scope",
                "choices": [
                    {"name": "everywhere", "value": "global"},
                    {"name": "this server", "value": "guild"},
                ],
            },
        ],
    },
    {
        "name": "discussion",
        "type": 1,
        "options": [
            {
                "type": 1,
                "name": "open",
                "options": [
                    {
                        "type": 4,
                        "name": "episode",
                        "required": True,
                        "min_value": 1,
                        "max_value": 4,
                    },
                    {"type": 7, "name": "channel"},
                ],
            }
        ],
    },
    {"name": "stats", "type": 1, "options": [{"type": 6, "name": "user"}]},
    {"name": "cast", "type": 1, "options": [{"type": 3, "name": "name"}]},
    {"name": "about", "type": 1},
]
CHANNELS = {"general": "<general>", "listening party": "<voice>"}


def resolve(kind: int, raw: str) -> Any:
    key = raw.lstrip("#@").lower()
    if kind == CHANNEL and key in CHANNELS:
        return CHANNELS[key]
    if kind == USER and key == "bob":
        return "<bob>"
    raise ParseError(f"no such {kind}: {raw}")


def options(line: str) -> dict[str, Any]:
    return parse_line(line, SCHEMAS, resolve).options


def test_a_bare_value_goes_to_the_first_option_it_fits() -> None:
    assert options("/progress 0") == {"episode": 0}
    assert options("/progress 4") == {"episode": 4}
    assert options("/progress this server") == {"scope": "guild"}  # choice by its name
    assert options("/progress Episode 2") == {"episode": 2}
    assert options("/cast Han So-hee") == {"name": "Han So-hee"}  # several words, one value
    # Several bare values: each word to the next option it fits.
    assert options("/discussion open 2 #general") == {"episode": 2, "channel": "<general>"}
    assert options("/discussion open 3 channel:listening party") == {
        "episode": 3,
        "channel": "<voice>",
    }


def test_users_and_channels_are_resolved_by_name() -> None:
    assert options("/discussion open episode:1 channel:general") == {
        "episode": 1,
        "channel": "<general>",
    }
    assert options("/discussion open episode:1 channel:#general")["channel"] == "<general>"
    assert options("/stats user:bob") == {"user": "<bob>"}
    assert options("/stats user:@bob") == {"user": "<bob>"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("/progress 9", "episode must be one of"),
        ("/progress scope:nowhere", "scope must be one of: everywhere, this server"),
        ("/discussion open", "needs episode:"),
        ("/discussion open episode:7", "from 1 to 4"),
        ("/discussion open 1 #nope", "no such 7: #nope"),  # the part that is wrong
        ("/discussion", "needs one of: open"),
        ("/stats user:zed", "no such 6: zed"),
        ("/about now", "takes no options"),
        ("/", "type a command name"),
        ("/zzz", "no command /zzz"),
    ],
)
def test_bad_lines_say_what_is_wrong(line: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_line(line, SCHEMAS, resolve)
    assert message in str(caught.value)


GAME_SCHEMAS: list[dict[str, Any]] = [
    {
        "name": "trivia",
        "type": 1,
        "options": [
            {
                "type": 1,
                "name": "start",
                "options": [
                    {"type": 4, "name": "rounds"},
                    {"type": 3, "name": "category"},
                    {"type": 5, "name": "share"},
                ],
            }
        ],
    },
    {"name": "cast", "type": 1, "options": [{"type": 3, "name": "name"}]},
    {"name": "episode", "type": 1, "options": [{"type": 4, "name": "number", "required": True}]},
]


def test_parse_lines() -> None:
    assert parse_line("/cast Han So-hee", GAME_SCHEMAS).options == {"name": "Han So-hee"}
    assert parse_line("/cast name:Han So-hee", GAME_SCHEMAS).options == {"name": "Han So-hee"}
    start = parse_line("/trivia start rounds:3 category:cast share:yes", GAME_SCHEMAS)
    assert start.command == "/trivia start"
    assert start.options == {"rounds": 3, "category": "cast", "share": True}
    for bad, message in [
        ("/episode", "needs number:"),
        ("/episode number:two", "whole number"),
        ("/trivia", "needs one of: start"),
        ("/zzz", "no command /zzz"),
    ]:
        try:
            parse_line(bad, GAME_SCHEMAS)
        except ParseError as exc:
            assert message in str(exc), (bad, exc)
        else:
            raise AssertionError(f"{bad!r} parsed")
