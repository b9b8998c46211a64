"""What users are told when a command fails: pure functions, testable without Discord."""

from __future__ import annotations

import math
import sqlite3
import time

from discord import app_commands

from bot.permissions import missing_message

GENERIC_APOLOGY = "Sorry, something went wrong on my side. It has been logged; please try again."
STORAGE_TROUBLE = (
    "I couldn't save that: my storage is full or busy right now. Nothing was changed; "
    "please try again later."
)


class UserFacingError(app_commands.AppCommandError):
    """Raised by a command to tell the user, ephemerally, what to do differently."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def user_message(error: app_commands.AppCommandError, now: float | None = None) -> str | None:
    """The short message for an error the user can act on, or None for a bug."""
    if isinstance(error, app_commands.CommandInvokeError) and isinstance(
        error.original, UserFacingError
    ):
        error = error.original
    if isinstance(error, UserFacingError):
        return error.message
    if isinstance(error, app_commands.CommandInvokeError) and _storage_trouble(error.original):
        return STORAGE_TROUBLE
    if isinstance(error, app_commands.CommandOnCooldown):
        retry_at = math.ceil((now if now is not None else time.time()) + error.retry_after)
        return f"Slow down a little: you can use this again <t:{retry_at}:R>."
    if isinstance(error, app_commands.MissingPermissions):
        return missing_message("You", error.missing_permissions, why="for this")
    if isinstance(error, app_commands.BotMissingPermissions):
        return missing_message("I", error.missing_permissions, where="this channel")
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server."
    if isinstance(error, app_commands.MissingAnyRole | app_commands.MissingRole):
        return "You don't have the role this command needs."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(error, app_commands.TransformerError):
        return f"I couldn't understand {str(error.value)[:100]!r} there; please pick a suggestion."
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return "That command is out of date here; please try again in a minute."
    return None


def _storage_trouble(error: BaseException) -> bool:
    """A full disk or a database locked past the busy timeout: worth telling, not a bug."""
    if not isinstance(error, sqlite3.OperationalError):
        return False
    text = str(error).lower()
    return "full" in text or "locked" in text or "busy" in text
