"""`soundtrack-bot console` driven with scripted input, as a person would type."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
