"""What users are told when a command fails: pure functions, testable without Discord."""

from __future__ import annotations

import math
import time

import discord
from discord import app_commands

from bot.i18n import ENGLISH, N_, Where, t
from bot.permissions import permission_list
from bot.store.state import storage_trouble

GENERIC_APOLOGY = N_(
    "Sorry, something went wrong on my side. It has been logged; please try again."
)
STORAGE_TROUBLE = N_(
    "I couldn't save that: my storage is full, busy or read-only right now. Nothing was "
    "changed; please try again later."
)
DISCORD_TROUBLE = N_(
    "Discord had a problem with my answer (an error on its side); please try again."
)
LOST_PERMISSION = N_(
    "I lost a permission I need here while working on that; ask a server admin to check my "
    "permissions in this channel."
)
# Discord's codes for an interaction that takes no more answers.
UNKNOWN_INTERACTION = 10062  # not acknowledged within 3 seconds
INVALID_WEBHOOK_TOKEN = 50027  # its 15-minute token has expired


class UserFacingError(app_commands.AppCommandError):
    """Raised by a command to tell the user, ephemerally, what to do differently.

    Give it a catalog msgid and its values (`UserFacingError(N_("No episode {n}."), n=5)`)
    and the tree answers in the user's language; `message` is the English text (for logs
    and records). A plain English string works too and is answered as it is.
    """

    def __init__(self, message: str, /, **values: object) -> None:
        self.msgid = message
        self.values = values
        self.message = message.format(**values) if values else message
        super().__init__(self.message)

    def localized(self, where: Where) -> str:
        return t(where, self.msgid, **self.values)


def user_message(
    error: app_commands.AppCommandError, now: float | None = None, where: Where = ENGLISH
) -> str | None:
    """The short message for an error the user can act on (in the language of `where`), or
    None for a bug. A UserFacingError's text is used as its raiser wrote it."""
    if isinstance(error, app_commands.CommandInvokeError) and isinstance(
        error.original, UserFacingError
    ):
        error = error.original
    if isinstance(error, UserFacingError):
        return error.localized(where)
    if isinstance(error, app_commands.CommandInvokeError) and storage_trouble(error.original):
        return t(where, STORAGE_TROUBLE)
    if isinstance(error, app_commands.CommandInvokeError):
        if isinstance(error.original, discord.DiscordServerError):
            return t(where, DISCORD_TROUBLE)
        if isinstance(error.original, discord.Forbidden):
            return t(where, LOST_PERMISSION)
    if isinstance(error, app_commands.CommandOnCooldown):
        retry_at = math.ceil((now if now is not None else time.time()) + error.retry_after)
        return t(
            where,
            "Slow down a little: you can use this again in {wait} ({when}).",
            wait=wait_words(error.retry_after, where),
            when=f"<t:{retry_at}:R>",
        )
    if isinstance(error, app_commands.MissingPermissions):
        return t(
            where,
            "You need the {permissions} permission for this.",
            permissions=permission_list(error.missing_permissions, where),
        )
    if isinstance(error, app_commands.BotMissingPermissions):
        return t(
            where,
            "I need the {permissions} permission in this channel; ask a server admin to grant it.",
            permissions=permission_list(error.missing_permissions, where),
        )
    if isinstance(error, app_commands.NoPrivateMessage):
        return t(where, "This command only works in a server.")
    if isinstance(error, app_commands.MissingAnyRole | app_commands.MissingRole):
        return t(where, "You don't have the role this command needs.")
    if isinstance(error, app_commands.CheckFailure):
        return t(where, "You can't use this command here.")
    if isinstance(error, app_commands.TransformerError):
        return t(
            where,
            "I couldn't understand {value} there; please pick a suggestion.",
            value=repr(str(error.value)[:100]),
        )
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return t(where, "That command is out of date here; please try again in a minute.")
    return None


def interaction_gone(error: BaseException) -> bool:
    """Discord takes no more answers to this interaction: it was acknowledged too late, or
    its token expired. Nothing can reach that user through it."""
    return isinstance(error, discord.HTTPException) and error.code in (
        UNKNOWN_INTERACTION,
        INVALID_WEBHOOK_TOKEN,
    )


def wait_words(seconds: float, where: Where = ENGLISH) -> str:
    """A wait in words: "1 second", "12 seconds", "2 minutes"."""
    whole = max(1, math.ceil(seconds))
    if whole == 1:
        return t(where, "1 second")
    if whole < 90:
        return t(where, "{n} seconds", n=whole)
    return t(where, "{n} minutes", n=math.ceil(whole / 60))
