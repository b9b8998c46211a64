"""`soundtrack-bot build` as a user runs it."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import pty
import re
import socket
import subprocess
import sys
from pathlib import Path

import discord
import pytest

from bot.app import create_bot
from bot.cli import (
    MISSING_INTENTS,
    REJECTED_TOKEN,
    EpisodeOutOfRange,
    _episode,
    _with_token,
    episode_up_to,
)
from bot.cli import (
    parser as cli_parser,
)
from bot.console.world import fan_world
from bot.facts.pipeline import BuildSummary
from bot.settings import PROJECT_ROOT, load_settings
from discord_emulator import Emulator
from tests.helpers.cli import run_cli


def test_build_prints_a_summary_and_json(tmp_path: Path) -> None:
    env = {"FACTS_DB": str(tmp_path / "facts.db")}
    text = run_cli("build", env=env)
    assert text.returncode == 0, text.stderr
    for word in (
        "documents",
        "passages",
        "people",
        "characters",
        "songs",
        "episodes",
        "facts",
        "questions",
        "conflicts",
    ):
        assert word in text.stdout
    as_json = run_cli("build", "--json", env=env)
    counts = json.loads(as_json.stdout)
    assert counts["documents"] == 5 and counts["questions"] >= 40
    assert (tmp_path / "facts.db").is_file()


def test_a_bad_setting_gives_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = run_cli("build", env={"LOG_LEVEL": "loud", "FACTS_DB": str(tmp_path / "f.db")})
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "LOG_LEVEL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_failed_build_names_the_problem(tmp_path: Path) -> None:
    curated = tmp_path / "curated.toml"
    curated.write_text('[[person]]\nid = "x"\n', encoding="utf-8")
    result = run_cli(
        "build", env={"CURATED_FILE": str(curated), "FACTS_DB": str(tmp_path / "f.db")}
    )
    assert result.returncode == 1
    assert "person 'x'" in result.stderr and "Traceback" not in result.stderr


def test_run_without_a_token_says_how_to_set_one(tmp_path: Path) -> None:
    result = run_cli("run", env={"DISCORD_TOKEN": "", "STATE_DB": str(tmp_path / "s.db")})
    assert result.returncode == 2  # a configuration error: a service manager won't retry
    assert result.stderr.strip().count("\n") == 0
    assert "DISCORD_TOKEN" in result.stderr and "soundtrack-bot console" in result.stderr


def test_start_without_a_token_opens_the_playground(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "start"],
        input=":quit\n",
        capture_output=True,
        text=True,
        env={**os.environ, "DISCORD_TOKEN": "", "STATE_DB": str(tmp_path / "s.db")},
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "playground" in result.stdout and result.stdout.rstrip().endswith("Bye.")


def test_version_and_help_for_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    version = run_cli("--version", env={})
    assert version.returncode == 0 and version.stdout.strip() == "soundtrack-bot 0.1.0"
    top = run_cli("--help", env={})
    assert top.returncode == 0
    commands = ("build", "run", "sync", "console", "start", "invite", "health")
    helps: dict[str, str] = {}
    for name in commands:  # in this process: the entry point is proven above
        assert name in top.stdout
        with pytest.raises(SystemExit) as exited:
            cli_parser().parse_args([name, "--help"])
        assert exited.value.code == 0, name
        helps[name] = capsys.readouterr().out
        usage, _, description = helps[name].partition("\n\n")
        assert usage.startswith(f"usage: soundtrack-bot {name}")
        assert len(description.split("options:")[0].split()) >= 8, name  # says what it does
    assert "print only the counts, as one line of JSON" in helps["build"]
    assert "DEV_GUILD_ID" in helps["sync"]
    assert "heartbeat" in helps["health"]


def test_python_m_bot_help_helps_instead_of_starting() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "DISCORD_TOKEN": "abc.def.ghi"},
        cwd=PROJECT_ROOT,
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("usage: soundtrack-bot") and "run" in result.stdout
    assert "logging in" not in result.stderr


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_against(api_url: str, gateway_url: str = "") -> list[str]:
    """`soundtrack-bot run` with Discord's REST base (and gateway) pointed elsewhere."""
    return [
        sys.executable,
        "-c",
        "import sys, yarl, discord.http, discord.gateway; discord.http.Route.BASE = sys.argv[1];"
        " gateway = sys.argv[2];"
        " discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway) if gateway"
        " else discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY;"
        " from bot.cli import main; raise SystemExit(main(['run']))",
        api_url,
        gateway_url,
    ]


def test_discord_unreachable_is_one_line_and_exit_1(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/api/v10"
    result = subprocess.run(
        run_against(url),
        capture_output=True,
        text=True,
        env={**os.environ, "DISCORD_TOKEN": "abc.def.ghi", "DB_DIR": str(tmp_path)},
        cwd=PROJECT_ROOT,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    problems = [line for line in result.stderr.splitlines() if "logging in" not in line]
    assert len(problems) == 1 and problems[0].startswith("Cannot reach Discord:"), result.stderr
    assert "abc.def.ghi" not in result.stderr  # the token is never printed


async def test_an_unreachable_gateway_is_one_line_and_exit_1(
    built_store: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    """REST answers (the token is fine) but the gateway's address refuses connections."""
    async with Emulator() as emu:
        fan_world(emu, episode_count=4)  # the server the bot joins; no store is read
        process = await asyncio.create_subprocess_exec(
            *run_against(emu.api_url, f"ws://127.0.0.1:{closed_port()}/"),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={
                **os.environ,
                "DISCORD_TOKEN": "emulator-token",
                "FACTS_DB": str(built_store[0]),
                "STATE_DB": str(tmp_path / "state.db"),
            },
            cwd=PROJECT_ROOT,
        )
        _, err = await asyncio.wait_for(process.communicate(), 60)
    stderr = err.decode()
    assert process.returncode == 1
    assert "Traceback" not in stderr
    *logged, last = stderr.splitlines()
    assert last.startswith("Cannot reach Discord: Cannot connect to host 127.0.0.1"), stderr
    # Everything before it is a one-line log record (the reconnect attempt without its
    # traceback), none of them the token.
    assert all(re.search(r"\d\d:\d\d:\d\d\S* \S*(INFO|WARNING|ERROR)", line) for line in logged)
    assert "emulator-token" not in stderr


async def test_a_rejected_token_is_one_line_and_exit_3(tmp_path: Path) -> None:
    async with Emulator(token="the-right-token") as emu:
        process = await asyncio.create_subprocess_exec(
            *run_against(emu.api_url),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**os.environ, "DISCORD_TOKEN": "a.wrong.token", "DB_DIR": str(tmp_path)},
            cwd=PROJECT_ROOT,
        )
        _, err = await asyncio.wait_for(process.communicate(), 60)
    stderr = err.decode()
    assert process.returncode == 3
    problems = [line for line in stderr.splitlines() if "logging in" not in line]
    assert problems == [REJECTED_TOKEN], stderr
    assert "a.wrong.token" not in stderr


def test_missing_privileged_intents_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import bot.runner

    async def refused(token: str) -> None:
        raise discord.PrivilegedIntentsRequired(shard_id=None)

    monkeypatch.setattr(bot.runner, "setup_logging", lambda settings: None)
    settings = load_settings(environ={"DISCORD_TOKEN": "x"}, env_file=tmp_path / "none.env")
    assert _with_token(settings, refused) == 3
    assert capsys.readouterr().err == MISSING_INTENTS + "\n"


def test_build_on_a_terminal_shows_progress_and_a_table(tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "build"],
        stdout=secondary,
        stderr=subprocess.PIPE,
        env={**os.environ, "FACTS_DB": str(tmp_path / "facts.db"), "COLUMNS": "100"},
        cwd=PROJECT_ROOT,
    )
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    assert process.wait(timeout=60) == 0
    shown = b"".join(chunks).decode()
    assert "\x1b[" in shown  # styled for a terminal
    for row in ("documents", "facts", "questions", "conflicts", "warnings"):
        assert re.search(rf"│ {row}\s+│\s+\d+ │", shown), row
    # Piped (as in test_build_prints_a_summary_and_json), the same build prints no styling.
    piped = run_cli("build", env={"FACTS_DB": str(tmp_path / "facts.db")})
    assert "\x1b[" not in piped.stdout and "│" not in piped.stdout


def test_the_voice_warnings_and_only_those_are_silenced(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    create_bot(load_settings(environ={}, env_file=tmp_path / "none.env"))
    client_log = logging.getLogger("discord.client")
    with caplog.at_level(logging.WARNING, logger="discord.client"):
        client_log.warning("PyNaCl is not installed, voice will NOT be supported")
        client_log.warning("davey is not installed, voice will NOT be supported")
        client_log.warning("Shard ID None heartbeat blocked for more than 10 seconds.")
    assert [r.getMessage() for r in caplog.records] == [
        "Shard ID None heartbeat blocked for more than 10 seconds."
    ]


def test_episode_options_are_bounded_by_the_stores_last_episode() -> None:
    # A show of six episodes: 6 is an episode, 7 is not, and left out means the last.
    assert episode_up_to(_episode("6"), 6, "--spoils") == 6
    assert episode_up_to(_episode("0"), 6, "--spoils") == 0
    assert episode_up_to(None, 6, "--spoils") == 6
    with pytest.raises(EpisodeOutOfRange, match="--spoils must be an episode from 0 to 6"):
        episode_up_to(_episode("7"), 6, "--spoils")
    for typed in ("-1", "two", ""):
        with pytest.raises(argparse.ArgumentTypeError):
            _episode(typed)
