"""The command tree: one place where every slash command error is answered."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.errors import GENERIC_APOLOGY, STORAGE_TROUBLE, user_message
from bot.i18n import t
from bot.replies import send

log = logging.getLogger(__name__)


async def send_ephemeral(interaction: discord.Interaction, content: str) -> None:
    """Answer ephemerally whether or not the interaction was already acknowledged."""
    try:
        await send(interaction, share=False, content=content)
    except discord.HTTPException:
        log.warning("Could not tell user %s about an error (interaction gone)", interaction.user.id)


class SoundtrackTree(app_commands.CommandTree):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        message = user_message(error, where=interaction)
        if message == t(interaction, STORAGE_TROUBLE):
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
            message = t(interaction, GENERIC_APOLOGY)
        await send_ephemeral(interaction, message)
