"""The command tree: one place where every slash command error is answered."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.errors import GENERIC_APOLOGY, STORAGE_TROUBLE, user_message
from bot.respond import send_ephemeral

log = logging.getLogger(__name__)


class SoundtrackTree(app_commands.CommandTree):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        message = user_message(error)
        if message == STORAGE_TROUBLE:
            log.error("State database write failed: %s", getattr(error, "original", error))
        if message is None:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error(
                "Unhandled error in /%s (user %s, guild %s, channel %s)",
                command,
                interaction.user.id,
                interaction.guild_id,
                interaction.channel_id,
                exc_info=error,
            )
            message = GENERIC_APOLOGY
        await send_ephemeral(interaction, message)
