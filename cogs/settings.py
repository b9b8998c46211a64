"""/settings: per-server configuration, for members with Manage Server."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discussion_channels import discussion_target
from bot.episodes import ProgressOption
from bot.errors import UserFacingError
from bot.i18n import N_, t

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
            t(
                interaction,
                "Members who haven't set /progress are now treated as having watched up to "
                "episode {episode}.",
                episode=default_progress,
            ),
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
            raise UserFacingError(N_("This command only works in a server."))
        target = discussion_target(interaction.guild, channel.id)  # says what is wrong
        await self.bot.state.discussions.set_channel(interaction.guild.id, target.channel.id)
        text = (
            N_("Episode discussion forum posts will open in {channel}.")
            if target.is_forum
            else N_("Episode discussion threads will open in {channel}.")
        )
        await interaction.response.send_message(
            t(interaction, text, channel=target.channel.mention), ephemeral=True
        )

    @app_commands.command(name="alerts")
    @app_commands.describe(
        role_name="Name of the role /notify episodes gives (default: Episode alerts)"
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def alerts(
        self, interaction: discord.Interaction, role_name: app_commands.Range[str, 1, 100]
    ) -> None:
        """Name the role that members opt in to for episode alerts."""
        assert interaction.guild_id is not None  # guild_only
        name = role_name.strip()
        if not name or name.casefold() in ("@everyone", "@here", "everyone", "here"):
            raise UserFacingError(N_("Pick another name for the role."))
        # Forget the old role: the next /notify finds or creates one by the new name.
        await self.bot.state.community.set_alert_role(interaction.guild_id, name, None)
        await interaction.response.send_message(
            t(
                interaction,
                "Episode alerts now use the {role} role (found or created on the next "
                "`/notify episodes`).",
                role=f"“{discord.utils.escape_markdown(name)}”",
            ),
            ephemeral=True,
        )

    @app_commands.command(name="polls")
    @app_commands.describe(
        hours="How long each episode's rating poll runs (1-768 hours; 0 = no polls)"
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def polls(
        self, interaction: discord.Interaction, hours: app_commands.Range[int, 0, 768]
    ) -> None:
        """Set how long episode rating polls run, or turn them off."""
        assert interaction.guild_id is not None  # guild_only
        await self.bot.state.community.set_poll_hours(interaction.guild_id, hours)
        if hours == 0:
            text = t(interaction, "New episode threads get no rating poll.")
        else:
            text = t(
                interaction,
                "Each new episode thread gets a rating poll that runs {hours} hours.",
                hours=hours,
            )
        await interaction.response.send_message(text, ephemeral=True)


async def setup(bot: SoundtrackBot) -> None:
    await bot.add_cog(ServerSettings(bot))
