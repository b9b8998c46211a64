"""Parsing what a playground user types into a slash command invocation."""

from __future__ import annotations

from bot.console.parse import ParseError, parse_line

SCHEMAS = [
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
    assert parse_line("/cast Han So-hee", SCHEMAS).options == {"name": "Han So-hee"}
    assert parse_line("/cast name:Han So-hee", SCHEMAS).options == {"name": "Han So-hee"}
    start = parse_line("/trivia start rounds:3 category:cast share:yes", SCHEMAS)
    assert start.command == "/trivia start"
    assert start.options == {"rounds": 3, "category": "cast", "share": True}
    for bad, message in [
        ("/episode", "needs number:"),
        ("/episode number:two", "whole number"),
        ("/trivia", "needs one of: start"),
        ("/zzz", "no command /zzz"),
    ]:
        try:
            parse_line(bad, SCHEMAS)
        except ParseError as exc:
            assert message in str(exc), (bad, exc)
        else:
            raise AssertionError(f"{bad!r} parsed")
