"""What users are told for each kind of failure (pure, no Discord)."""

from __future__ import annotations

import sqlite3
from types import SimpleNamespace

import discord
from discord import app_commands

from bot.errors import (
    DISCORD_TROUBLE,
    LOST_PERMISSION,
    STORAGE_TROUBLE,
    UserFacingError,
    interaction_gone,
    user_message,
    wait_words,
)


def test_user_errors_get_short_actionable_messages() -> None:
    cooldown = app_commands.CommandOnCooldown(app_commands.Cooldown(1, 30.0), 12.2)
    assert user_message(cooldown, now=1000.0) == (
        "Slow down a little: you can use this again in 13 seconds (<t:1013:R>)."
    )
    assert wait_words(0.2) == "1 second" and wait_words(150) == "3 minutes"
    missing = app_commands.MissingPermissions(["manage_guild"])
    assert user_message(missing) == "You need the Manage Server permission for this."
    bot_missing = app_commands.BotMissingPermissions(["manage_threads"])
    assert "I need the Manage Threads permission" in (user_message(bot_missing) or "")
    assert user_message(app_commands.NoPrivateMessage()) == "This command only works in a server."
    assert user_message(UserFacingError("Pick 0-4.")) == "Pick 0-4."


def test_a_bug_gets_no_user_message() -> None:
    assert user_message(app_commands.AppCommandError("boom")) is None


def http_error(kind: type[discord.HTTPException], status: int, code: int) -> Exception:
    # discord.py builds these from an aiohttp response; only status and reason are read.
    response = SimpleNamespace(status=status, reason="emulated")
    return kind(response, {"code": code, "message": "emulated"})  # type: ignore[arg-type]


def test_discord_and_storage_failures_get_clear_messages() -> None:
    async def noop(interaction: discord.Interaction) -> None:
        return None

    command = app_commands.Command(name="probe", description="A command", callback=noop)

    def invoke_error(original: Exception) -> app_commands.CommandInvokeError:
        return app_commands.CommandInvokeError(command, original)

    server = http_error(discord.DiscordServerError, 503, 0)
    assert user_message(invoke_error(server)) == DISCORD_TROUBLE
    forbidden = http_error(discord.Forbidden, 403, 50013)
    assert user_message(invoke_error(forbidden)) == LOST_PERMISSION
    for text in ("database or disk is full", "attempt to write a readonly database"):
        assert user_message(invoke_error(sqlite3.OperationalError(text))) == STORAGE_TROUBLE
    assert user_message(invoke_error(sqlite3.OperationalError("no such table: x"))) is None


def test_an_interaction_discord_no_longer_takes_is_recognised() -> None:
    assert interaction_gone(http_error(discord.NotFound, 404, 10062))  # acknowledged late
    assert interaction_gone(http_error(discord.HTTPException, 401, 50027))  # token expired
    assert not interaction_gone(http_error(discord.NotFound, 404, 10008))  # unknown message
    assert not interaction_gone(RuntimeError("x"))


def test_a_user_facing_error_with_a_msgid_answers_in_the_users_language() -> None:
    error = UserFacingError("There is no episode {episode}.", episode=7)
    assert error.message == "There is no episode 7." and str(error) == "There is no episode 7."
    assert user_message(error) == "There is no episode 7."
    assert user_message(error, where="ko") == "7화는 없어요."
