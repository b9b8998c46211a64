"""Where discussion threads may open: a text or forum channel the bot can see and post in.

Every check names the channel and the missing permission, so that a refusal says exactly
what to change; nothing is created before they all pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import discord

from bot.errors import UserFacingError

# What the bot needs to open a thread, per kind of channel.
TEXT_NEEDS = ("view_channel", "create_public_threads", "send_messages_in_threads")
# A forum post is created with Send Messages; later notes go into the thread.
FORUM_NEEDS = ("view_channel", "send_messages", "send_messages_in_threads")

_KIND_NAMES = {
    discord.ChannelType.voice: "a voice channel",
    discord.ChannelType.stage_voice: "a stage channel",
    discord.ChannelType.category: "a category",
    discord.ChannelType.public_thread: "a thread",
    discord.ChannelType.private_thread: "a thread",
    discord.ChannelType.news_thread: "a thread",
}


def permission_name(name: str) -> str:
    """ "send_messages_in_threads" -> "Send Messages In Threads" (Discord's own wording)."""
    return name.replace("_", " ").replace("guild", "server").title()


def permission_list(names: Sequence[str]) -> str:
    pretty = [permission_name(n) for n in names]
    if len(pretty) <= 1:
        return "".join(pretty)
    return ", ".join(pretty[:-1]) + " and " + pretty[-1]


def missing_permissions(permissions: discord.Permissions, needed: Sequence[str]) -> list[str]:
    return [name for name in needed if not getattr(permissions, name)]


def missing_message(who: str, missing: Sequence[str], where: str) -> str:
    noun = "permission" if len(missing) == 1 else "permissions"
    return f"{who} the {permission_list(missing)} {noun} in {where}"


@dataclass(frozen=True, slots=True)
class Target:
    """A channel that passed every check for opening a discussion thread."""

    channel: discord.TextChannel | discord.ForumChannel
    permissions: discord.Permissions  # the bot's, in that channel

    @property
    def is_forum(self) -> bool:
        return isinstance(self.channel, discord.ForumChannel)


def discussion_target(guild: discord.Guild, channel_id: int) -> Target:
    """The channel, if the bot can open discussion threads there; else a UserFacingError."""
    channel = guild.get_channel(channel_id)
    if channel is None:
        raise UserFacingError(
            f"I can't see <#{channel_id}> (or it was deleted). Pick a text or forum channel "
            "that I can view."
        )
    if not isinstance(channel, discord.TextChannel | discord.ForumChannel):
        kind = _KIND_NAMES.get(channel.type, "not a text or forum channel")
        raise UserFacingError(
            f"{channel.mention} is {kind}: discussion threads need a text or forum channel."
        )
    permissions = channel.permissions_for(guild.me)
    if not permissions.view_channel:
        raise UserFacingError(
            f"I can't see {channel.mention}. Give me the View Channel permission there, or "
            "pick another channel."
        )
    needed = FORUM_NEEDS if isinstance(channel, discord.ForumChannel) else TEXT_NEEDS
    missing = missing_permissions(permissions, needed)
    if missing:
        raise UserFacingError(
            missing_message("I need", missing, channel.mention)
            + " to open discussion threads there; ask a server admin to grant "
            + ("it." if len(missing) == 1 else "them.")
        )
    return Target(channel, permissions)


def require_member_manage_threads(
    member: discord.Member, channel: discord.abc.GuildChannel
) -> None:
    if not channel.permissions_for(member).manage_threads:
        raise UserFacingError(
            f"You need the Manage Threads permission in {channel.mention} for this."
        )
