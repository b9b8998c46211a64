"""A test-only cog with invoker-only pages, for the paging and expiry tests."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds import base_embed
from bot.ui import Paginator


class Pages(commands.Cog):
    @app_commands.command(name="pages")
    async def pages(self, interaction: discord.Interaction) -> None:
        """Three pages (test command)."""
        view = Paginator(
            [base_embed(f"Page {n}") for n in (1, 2, 3)], interaction.user.id, timeout=0.5
        )
        view.interaction = interaction
        await interaction.response.send_message(embed=view.pages[0], view=view, ephemeral=True)
