"""The one permission module: what an action needs, what is missing, how it is said."""

from __future__ import annotations

import discord
import pytest
from discord import app_commands

from bot.permissions import (
    mark_spoiler_needs,
    missing,
    missing_message,
    post_permission,
    require_bot,
    require_member,
    trivia_game_needs,
)


def test_missing_keeps_the_order_of_what_is_needed() -> None:
    have = discord.Permissions(send_messages=True, embed_links=False, view_channel=False)
    assert missing(have, ("view_channel", "send_messages", "embed_links")) == [
        "view_channel",
        "embed_links",
    ]


def test_refusals_name_every_missing_permission_and_who_can_fix_it() -> None:
    assert missing_message("You", ["manage_guild"], why="for this") == (
        "You need the Manage Server permission for this."
    )
    assert missing_message("I", ["send_messages", "embed_links"], "<#1>", "to post there") == (
        "I need the Send Messages and Embed Links permissions in <#1> to post there; "
        "ask a server admin to grant them."
    )
    assert missing_message("I", ["a", "b", "c"]).startswith("I need the A, B and C permissions;")


def test_require_raises_the_error_the_tree_words() -> None:
    none = discord.Permissions.none()
    with pytest.raises(app_commands.BotMissingPermissions) as bot_error:
        require_bot(none, trivia_game_needs(None))
    assert bot_error.value.missing_permissions == [
        "send_messages",
        "embed_links",
        "read_message_history",
    ]
    with pytest.raises(app_commands.MissingPermissions):
        require_member(none, ("manage_messages",))
    require_bot(discord.Permissions.all(), mark_spoiler_needs(None))  # nothing missing


def test_threads_need_their_own_send_permission() -> None:
    assert post_permission(None) == "send_messages"
    assert "send_messages_in_threads" not in mark_spoiler_needs(None)
