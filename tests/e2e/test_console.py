"""`soundtrack-bot console` driven with scripted input, as a person would type."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from bot.console.parse import ParseError, parse_line
from bot.console.render import Names, render
from bot.facts.pipeline import BuildSummary
from bot.settings import PROJECT_ROOT

SCRIPT = """\
/cast name:Han So-hee
/cast Seon-woo
:user bob
/progress episode:4
/progress
/ask question:kiss
/nope
/cast name:
/trivia start rounds:1 seconds:10
:wait 0.5
1
:channel Listening Party
:quit
"""


def test_a_scripted_console_session(built_store: tuple[Path, BuildSummary], tmp_path: Path) -> None:
    env = {
        **os.environ,
        "FACTS_DB": str(built_store[0]),
        "STATE_DB": str(tmp_path / "state.db"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console"],
        input=SCRIPT,
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "╭─ Han So-hee as Lee Eun-soo" in out
    assert "╭─ Park Hyung-sik as Han Seon-woo" in out
    assert "You are now bob." in out
    assert "Saved: all 4 episodes" in out
    assert "bob in #general>" in out
    assert "the first and only kiss" in out  # bob is at episode 4: shown plainly, **bold**
    assert "! no command /nope" in out
    assert "╭─ Soundtrack #1 — cast" in out  # "name:" left empty: the whole cast
    assert "╭─ Question 1/1 ·" in out and "[1] A " in out  # posted by the bot itself
    assert "Locked in: A." in out  # button 1 pressed by number
    assert "You are now in #Listening Party." in out
    assert out.rstrip().endswith("Bye.")
    # The playground never touches the bot's real state database.
    assert not (tmp_path / "state.db").exists()
    assert (tmp_path / "playground-state.db").exists()


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


def plain(renderable: object) -> str:
    buffer = io.StringIO()
    Console(width=100, force_terminal=False, no_color=True, file=buffer).print(renderable)
    return buffer.getvalue()


def test_render_shows_spoilers_timestamps_and_numbered_buttons() -> None:
    text = plain(
        render(
            "Ep 4 spoiler: ||the ending|| by <@5>",
            [
                {
                    "title": "T",
                    "description": "Aired <t:1648018800:D>",
                    "fields": [{"name": "F", "value": "v"}],
                    "footer": {"text": "Sources: X"},
                }
            ],
            [
                {
                    "type": 1,
                    "components": [
                        {"type": 2, "label": "Next", "custom_id": "n", "disabled": True}
                    ],
                }
            ],
            ephemeral=True,
            names=Names(users={5: "bob"}),
        )
    )
    assert "(only you can see this)" in text
    assert "▒spoiler: the ending▒ by @bob" in text
    assert "[2022-03-23 07:00 UTC]" in text
    assert "[1] Next (disabled)" in text
    assert "╰─ Sources: X" in text
