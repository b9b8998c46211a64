"""The command tree: one place where every slash command error is answered."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.errors import (
    DISCORD_TROUBLE,
    GENERIC_APOLOGY,
    LOST_PERMISSION,
    STORAGE_TROUBLE,
    interaction_gone,
    user_message,
)
from bot.i18n import t
from bot.respond import log_interaction_gone, send_ephemeral

log = logging.getLogger(__name__)


class SoundtrackTree(app_commands.CommandTree):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        original = getattr(error, "original", error)
        if interaction_gone(original):
            log_interaction_gone(interaction, original)
            return  # nothing can reach the user through this interaction any more
        message = user_message(error, where=interaction)
        if message == t(interaction, STORAGE_TROUBLE):
            log.error("State database write failed: %s", original)
        elif message in (t(interaction, DISCORD_TROUBLE), t(interaction, LOST_PERMISSION)):
            log.warning("Discord refused a request for %s: %s", interaction.id, original)
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
            message = t(interaction, GENERIC_APOLOGY)
        await send_ephemeral(interaction, message)
