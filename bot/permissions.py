"""The Discord permissions the bot needs, and its invite link: no Administrator, ever."""

from __future__ import annotations

import discord

# Each one, and what needs it.
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
