"""What users are told for each kind of failure (pure, no Discord)."""

from __future__ import annotations

from discord import app_commands

from bot.errors import UserFacingError, user_message, wait_words


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
