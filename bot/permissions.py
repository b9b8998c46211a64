"""Discord permissions, in one place: what the bot asks for at invite (never Administrator),
what each action needs in a channel, what is missing, and how to say so.

Commands check with :func:`require_bot` / :func:`require_member`; the raised
``BotMissingPermissions`` / ``MissingPermissions`` are worded by :func:`missing_message`
(through :func:`bot.errors.user_message`), and a feature that refuses with its own
sentence words it with :func:`missing_message` too, so every refusal reads the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import discord
from discord import app_commands

from bot.i18n import ENGLISH, N_, Where, t

# Each permission the bot is invited with, and what needs it.
REQUIRED = {
    "view_channel": "see the channels it answers in",
    "send_messages": "post trivia questions, scoreboards and Mark-as-spoiler reposts",
    "send_messages_in_threads": "post in discussion threads",
    "create_public_threads": "open episode discussion threads",
    "manage_threads": "reopen archived discussion threads and apply forum tags",
    "embed_links": "show cards and trivia questions as embeds",
    "read_message_history": "edit its own earlier posts (results, thread tables)",
    "manage_messages": "Mark as spoiler: delete the original message",
    "send_polls": "post each episode thread's rating poll",
}
# In the invite too, but the bot works without each and says what it skipped; an admin
# may untick them on the invite page.
OPTIONAL = {
    "manage_channels": "create a forum's missing Episode N and Spoilers tags",
    "manage_events": "list a rewatch's episodes as server events (/discussion rewatch)",
    "manage_roles": "create and give the opt-in episode-alert role (/notify episodes)",
}
SCOPES = ("bot", "applications.commands")


def required_permissions() -> discord.Permissions:
    return discord.Permissions(**dict.fromkeys(REQUIRED, True))


def invite_permissions() -> discord.Permissions:
    """What the invite asks for: the required permissions and the optional ones."""
    return discord.Permissions(**dict.fromkeys([*REQUIRED, *OPTIONAL], True))


def invite_url(client_id: int) -> str:
    return discord.utils.oauth_url(client_id, permissions=invite_permissions(), scopes=SCOPES)


# -- what each action needs in a channel ------------------------------------------------------
def post_permission(channel: object) -> str:
    """Posting in a thread takes Send Messages In Threads; anywhere else, Send Messages."""
    return "send_messages_in_threads" if isinstance(channel, discord.Thread) else "send_messages"


def trivia_game_needs(channel: object) -> tuple[str, ...]:
    """A game posts questions as embeds and edits them when they close."""
    return (post_permission(channel), "embed_links", "read_message_history")


def mark_spoiler_needs(channel: object) -> tuple[str, ...]:
    """Mark as spoiler reposts the message and deletes the original."""
    return ("view_channel", post_permission(channel), "manage_messages")


# A discussion thread in a text channel is created on a message; a forum post is created
# with Send Messages. Either way later notes go into the thread.
DISCUSSION_TEXT_NEEDS = ("view_channel", "create_public_threads", "send_messages_in_threads")
DISCUSSION_FORUM_NEEDS = ("view_channel", "send_messages", "send_messages_in_threads")


# -- what is missing ------------------------------------------------------------------------
def missing(permissions: discord.Permissions, needed: Sequence[str]) -> list[str]:
    """The names in ``needed`` that ``permissions`` lacks, in order."""
    return [name for name in needed if not getattr(permissions, name)]


def require_bot(permissions: discord.Permissions, needed: Sequence[str]) -> None:
    """Raise ``BotMissingPermissions`` unless the bot (``app_permissions``) has all of them."""
    if lacking := missing(permissions, needed):
        raise app_commands.BotMissingPermissions(lacking)


def require_member(permissions: discord.Permissions, needed: Sequence[str]) -> None:
    """Raise ``MissingPermissions`` unless the member has all of them."""
    if lacking := missing(permissions, needed):
        raise app_commands.MissingPermissions(lacking)


# -- how to say it --------------------------------------------------------------------------
# The names of the permissions the bot asks about, marked for the catalogs (translated as
# Discord's own client names them in that language).
_NAMED = (
    N_("View Channel"),
    N_("Send Messages"),
    N_("Send Messages In Threads"),
    N_("Create Public Threads"),
    N_("Manage Threads"),
    N_("Embed Links"),
    N_("Read Message History"),
    N_("Manage Messages"),
    N_("Send Polls"),
    N_("Manage Channels"),
    N_("Manage Events"),
    N_("Manage Roles"),
    N_("Manage Server"),
)


def permission_name(name: str, where: Where = ENGLISH) -> str:
    """ "send_messages_in_threads" -> "Send Messages In Threads" (Discord's own wording),
    in the language of `where` for the permissions in the catalogs."""
    english = name.replace("_", " ").replace("guild", "server").title()
    return t(where, english) if english in _NAMED else english


def permission_list(names: Sequence[str], where: Where = ENGLISH) -> str:
    """ "Send Messages", "Send Messages and Embed Links", "A, B and C"."""
    pretty = [permission_name(n, where) for n in names]
    if len(pretty) <= 1:
        return "".join(pretty)
    return t(where, "{names} and {last}", names=", ".join(pretty[:-1]), last=pretty[-1])


def missing_message(
    who: Literal["I", "You"], lacking: Sequence[str], where: str | None = None, why: str = ""
) -> str:
    """One sentence naming what is missing, where, and (for the bot) who can fix it:
    "I need the Send Messages permission in #general to post there; ask a server admin
    to grant it." ``where`` (a channel) and ``why`` ("to post there") are optional."""
    noun = "permission" if len(lacking) == 1 else "permissions"
    sentence = f"{who} need the {permission_list(lacking)} {noun}"
    if where:
        sentence += f" in {where}"
    if why:
        sentence += f" {why}"
    if who == "I":
        return (
            sentence + "; ask a server admin to grant " + ("it." if len(lacking) == 1 else "them.")
        )
    return sentence + "."
