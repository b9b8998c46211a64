"""Owner-only maintenance: command sync on request (never on start)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import bot_of, sync_commands
from bot.errors import UserFacingError
from bot.i18n import N_, t

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

log = logging.getLogger(__name__)


async def is_owner(interaction: discord.Interaction) -> bool:
    if await bot_of(interaction).is_owner(interaction.user):
        return True
    raise UserFacingError(N_("Only the bot's owner can do that."))


class Admin(commands.Cog):
    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot

    @app_commands.command(name="sync")
    @app_commands.describe(scope="global: every server (can take a while); here: this server now")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.check(is_owner)
    async def sync(
        self, interaction: discord.Interaction, scope: Literal["global", "here"] = "here"
    ) -> None:
        """Owner only: publish the bot's slash commands."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        if scope == "here" and interaction.guild_id is None:
            raise UserFacingError(N_("Use scope:global in DMs; there is no server here."))
        guild_id = interaction.guild_id if scope == "here" else None
        names = await sync_commands(self.bot, guild_id)
        log.info("Synced %d commands (%s) for user %s", len(names), scope, interaction.user.id)
        await interaction.followup.send(
            t(
                interaction,
                "Synced {count} commands ({scope}): {names}",
                count=len(names),
                scope=scope,
                names=", ".join(sorted(names)),
            ),
            ephemeral=True,
        )


async def setup(bot: SoundtrackBot) -> None:
    await bot.add_cog(Admin(bot))
