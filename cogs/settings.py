"""/settings: per-server configuration, for members with Manage Server."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discussion_channels import discussion_target
from bot.episodes import ProgressOption
from bot.errors import UserFacingError

if TYPE_CHECKING:
    from bot.app import SoundtrackBot


# Discord only honours default permissions on the top-level group, not on subcommands;
# each subcommand also checks at run time.
@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class ServerSettings(commands.GroupCog, group_name="settings"):
    """Server settings for the Soundtrack #1 bot."""

    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="spoilers")
    @app_commands.describe(
        default_progress="Episode assumed for members who never set /progress (0 = premise only)"
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def spoilers(
        self, interaction: discord.Interaction, default_progress: ProgressOption
    ) -> None:
        """Set the watch progress assumed for members who never set their own."""
        assert interaction.guild_id is not None  # guild_only
        await self.bot.state.set_default_progress(interaction.guild_id, default_progress)
        await interaction.response.send_message(
            f"Members who haven't set /progress are now treated as having watched up to "
            f"episode {default_progress}.",
            ephemeral=True,
        )

    @app_commands.command(name="discussion")
    @app_commands.describe(channel="Text or forum channel where episode discussion threads open")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def discussion(
        self, interaction: discord.Interaction, channel: app_commands.AppCommandChannel
    ) -> None:
        """Choose where episode discussion threads open (/discussion open and the schedule)."""
        if interaction.guild is None:
            raise UserFacingError("This command only works in a server.")
        target = discussion_target(interaction.guild, channel.id)  # says what is wrong
        await self.bot.state.discussions.set_channel(interaction.guild.id, target.channel.id)
        kind = "forum posts" if target.is_forum else "threads"
        await interaction.response.send_message(
            f"Episode discussion {kind} will open in {target.channel.mention}.", ephemeral=True
        )


async def setup(bot: SoundtrackBot) -> None:
    await bot.add_cog(ServerSettings(bot))
