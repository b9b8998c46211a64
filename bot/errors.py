"""What users are told when a command fails: pure functions, testable without Discord."""

from __future__ import annotations

import math
import time

import discord
from discord import app_commands

from bot.store.state import storage_trouble

GENERIC_APOLOGY = "Sorry, something went wrong on my side. It has been logged; please try again."
STORAGE_TROUBLE = (
    "I couldn't save that: my storage is full, busy or read-only right now. Nothing was "
    "changed; please try again later."
)
DISCORD_TROUBLE = "Discord had a problem with my answer (an error on its side); please try again."
LOST_PERMISSION = (
    "I lost a permission I need here while working on that; ask a server admin to check my "
    "permissions in this channel."
)
# Discord's codes for an interaction that takes no more answers.
UNKNOWN_INTERACTION = 10062  # not acknowledged within 3 seconds
INVALID_WEBHOOK_TOKEN = 50027  # its 15-minute token has expired


class UserFacingError(app_commands.AppCommandError):
    """Raised by a command to tell the user, ephemerally, what to do differently."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _permission_list(names: list[str]) -> str:
    pretty = [n.replace("_", " ").replace("guild", "server").title() for n in names]
    return ", ".join(pretty)


def user_message(error: app_commands.AppCommandError, now: float | None = None) -> str | None:
    """The short message for an error the user can act on, or None for a bug."""
    if isinstance(error, app_commands.CommandInvokeError) and isinstance(
        error.original, UserFacingError
    ):
        error = error.original
    if isinstance(error, UserFacingError):
        return error.message
    if isinstance(error, app_commands.CommandInvokeError) and storage_trouble(error.original):
        return STORAGE_TROUBLE
    if isinstance(error, app_commands.CommandInvokeError):
        if isinstance(error.original, discord.DiscordServerError):
            return DISCORD_TROUBLE
        if isinstance(error.original, discord.Forbidden):
            return LOST_PERMISSION
    if isinstance(error, app_commands.CommandOnCooldown):
        retry_at = math.ceil((now if now is not None else time.time()) + error.retry_after)
        return f"Slow down a little: you can use this again <t:{retry_at}:R>."
    if isinstance(error, app_commands.MissingPermissions):
        return f"You need the {_permission_list(error.missing_permissions)} permission for this."
    if isinstance(error, app_commands.BotMissingPermissions):
        missing = _permission_list(error.missing_permissions)
        return f"I need the {missing} permission in this channel; ask a server admin to grant it."
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


def interaction_gone(error: BaseException) -> bool:
    """Discord takes no more answers to this interaction: it was acknowledged too late, or
    its token expired. Nothing can reach that user through it."""
    return isinstance(error, discord.HTTPException) and error.code in (
        UNKNOWN_INTERACTION,
        INVALID_WEBHOOK_TOKEN,
    )
