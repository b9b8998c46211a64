"""Spoiler tools: /spoiler posts your text behind a tag; "Mark as spoiler" lets a moderator
hide someone else's message the same way.

User text is made inert before it is tagged (no markdown, no mentions, no bars that could
close the tag early), and every message goes out with mentions disabled.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.cooldown import per_user_cooldown
from bot.embeds import CONTENT_MAX
from bot.episodes import EpisodeOption
from bot.errors import UserFacingError
from bot.i18n import ENGLISH, N_, Where, t
from bot.permissions import mark_spoiler_needs, post_permission, require_bot, require_member
from bot.reply_text import safe_text
from bot.spoiler_gate import SPOILER, clip_balanced, defuse, spoiler_tag

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

log = logging.getLogger(__name__)

TEXT_MAX = 1500  # leaves room for the label and for escapes within one message
SPOILER_COOLDOWN = (3, 60.0)  # three spoilers a minute per user
MARK_MENU = "Mark as spoiler"  # its translations: CatalogTranslator
# Message types a moderator can hide: ordinary messages and replies.
_USER_MESSAGE_TYPES = (discord.MessageType.default, discord.MessageType.reply)


def posted_spoiler(author_id: int, text: str, episode: int) -> str:
    """What /spoiler posts: the author (not pinged) and the text behind a labelled tag."""
    return clip_balanced(f"<@{author_id}> · {spoiler_tag(safe_text(text), episode)}", CONTENT_MAX)


def marked_spoiler(
    author_id: int, moderator_id: int, text: str, where: Where = ENGLISH
) -> str | None:
    """A hidden message reposted under its author's name (the frame in the server's
    language, for everyone reads it); None if it wouldn't fit."""
    inner = defuse(safe_text(text)) or "\u200b"
    frame = t(
        where,
        "<@{author}> wrote (hidden as a spoiler by <@{moderator}>):",
        author=author_id,
        moderator=moderator_id,
    )
    content = f"{frame} {SPOILER}{inner}{SPOILER}"
    return content if len(content) <= CONTENT_MAX else None


class Spoiler(commands.Cog):
    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot
        self.mark_menu = app_commands.ContextMenu(name=MARK_MENU, callback=self.mark_as_spoiler)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.mark_menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.mark_menu.name, type=self.mark_menu.type)

    @app_commands.command(name="spoiler")
    @app_commands.describe(
        text="What to say; it is posted behind a spoiler tag", episode="The episode it spoils"
    )
    @app_commands.guild_only()
    @per_user_cooldown(*SPOILER_COOLDOWN)
    async def spoiler(
        self,
        interaction: discord.Interaction,
        text: app_commands.Range[str, 1, TEXT_MAX],
        episode: EpisodeOption,
    ) -> None:
        """Post text behind a spoiler tag labelled with its episode and your name."""
        # The reply is the interaction's own message, so the bot needs no channel
        # permission; the member must be allowed to talk here, or this would bypass it.
        require_member(interaction.permissions, (post_permission(interaction.channel),))
        if not text.strip():
            raise UserFacingError(N_("There is nothing to hide: the text is empty."))
        await interaction.response.send_message(
            posted_spoiler(interaction.user.id, text, episode),
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @app_commands.guild_only()
    @app_commands.default_permissions(manage_messages=True)
    @app_commands.checks.has_permissions(manage_messages=True)
    async def mark_as_spoiler(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """Repost a message behind a spoiler tag under its author's name, and delete it."""
        channel = interaction.channel
        if not isinstance(channel, discord.abc.Messageable):  # None, or a category/forum
            raise UserFacingError(N_("I can't reach that channel."))
        require_bot(interaction.app_permissions, mark_spoiler_needs(channel))
        if message.type not in _USER_MESSAGE_TYPES:
            raise UserFacingError(N_("That is a system message; there is nothing to hide."))
        if message.id == getattr(channel, "id", None):
            raise UserFacingError(
                N_(
                    "That is the opening message of a forum post: I can't delete it without "
                    "breaking the post. Edit or delete the post itself instead."
                )
            )
        if message.attachments or message.stickers:
            raise UserFacingError(
                N_(
                    "That message has attachments or stickers; I only repost text, so I left it "
                    "alone. Delete it, or ask its author to repost with the spoiler box ticked."
                )
            )
        if not message.content.strip():
            raise UserFacingError(N_("That message has no text to hide."))
        content = marked_spoiler(
            message.author.id, interaction.user.id, message.content, interaction.guild
        )
        if content is None:
            raise UserFacingError(
                N_("That message is too long to repost in one message; I left it alone.")
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        repost = await channel.send(content, allowed_mentions=discord.AllowedMentions.none())
        try:
            await message.delete()
        except discord.NotFound:
            pass  # already gone: the repost stands in for it
        except discord.HTTPException:
            await repost.delete()
            raise UserFacingError(
                N_(
                    "Discord refused to delete the original, so I removed my repost again; "
                    "nothing changed."
                )
            ) from None
        log.info(
            "Message %s in channel %s hidden as a spoiler by %s",
            message.id,
            channel.id,
            interaction.user.id,
        )
        await interaction.followup.send(
            t(
                interaction,
                "Done: reposted as a spoiler ({link}) and deleted the original.",
                link=repost.jump_url,
            ),
            ephemeral=True,
        )


async def setup(bot: SoundtrackBot) -> None:
    await bot.add_cog(Spoiler(bot))
