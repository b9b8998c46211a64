"""Where discussion threads may open: a text or forum channel the bot can see and post in.

Every check names the channel and the missing permission, so that a refusal says exactly
what to change; nothing is created before they all pass. Shared by the discussion and the
settings extensions (no extension imports another).
"""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.errors import UserFacingError
from bot.i18n import N_
from bot.permissions import (
    DISCUSSION_FORUM_NEEDS,
    DISCUSSION_TEXT_NEEDS,
    missing,
    missing_message,
)

_A_THREAD = N_("{channel} is a thread: discussion threads need a text or forum channel.")
_NOT_TEXT = {
    discord.ChannelType.voice: N_(
        "{channel} is a voice channel: discussion threads need a text or forum channel."
    ),
    discord.ChannelType.stage_voice: N_(
        "{channel} is a stage channel: discussion threads need a text or forum channel."
    ),
    discord.ChannelType.category: N_(
        "{channel} is a category: discussion threads need a text or forum channel."
    ),
    discord.ChannelType.public_thread: _A_THREAD,
    discord.ChannelType.private_thread: _A_THREAD,
    discord.ChannelType.news_thread: _A_THREAD,
}
_OTHER = N_(
    "{channel} is not a text or forum channel: discussion threads need a text or forum channel."
)


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
            N_(
                "I can't see {channel} (or it was deleted). Pick a text or forum channel "
                "that I can view."
            ),
            channel=f"<#{channel_id}>",
        )
    if not isinstance(channel, discord.TextChannel | discord.ForumChannel):
        raise UserFacingError(_NOT_TEXT.get(channel.type, _OTHER), channel=channel.mention)
    permissions = channel.permissions_for(guild.me)
    if not permissions.view_channel:
        raise UserFacingError(
            N_(
                "I can't see {channel}. Give me the View Channel permission there, or "
                "pick another channel."
            ),
            channel=channel.mention,
        )
    forum = isinstance(channel, discord.ForumChannel)
    lacking = missing(permissions, DISCUSSION_FORUM_NEEDS if forum else DISCUSSION_TEXT_NEEDS)
    if lacking:
        raise UserFacingError(
            missing_message("I", lacking, channel.mention, "to open discussion threads there")
        )
    return Target(channel, permissions)


def require_member_manage_threads(
    member: discord.Member, channel: discord.abc.GuildChannel
) -> None:
    if lacking := missing(channel.permissions_for(member), ("manage_threads",)):
        raise UserFacingError(missing_message("You", lacking, channel.mention, "for this"))
