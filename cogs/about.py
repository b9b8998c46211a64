"""/about: what this bot is and what it knows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds import base_embed

if TYPE_CHECKING:
    from bot.app import SoundtrackBot


def about_embed(counts: dict[str, int]) -> discord.Embed:
    description = (
        "A spoiler-safe fan bot for the K-drama **Soundtrack #1** (Disney+, 2022).\n"
        "Every answer comes from the source documents and can show where it comes from; "
        "story details stay hidden until you say you have watched that far."
    )
    embed = base_embed("About this bot", description, footer="No outside services: all local.")
    embed.add_field(
        name="What I know",
        value=(
            f"{counts.get('documents', 0)} documents, {counts.get('facts', 0)} facts, "
            f"{counts.get('questions', 0)} trivia questions"
        ),
        inline=False,
    )
    return embed


class About(commands.Cog):
    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot

    @app_commands.command(name="about")
    async def about(self, interaction: discord.Interaction) -> None:
        """What this bot is and what it knows."""
        counts = await self.bot.facts.counts()
        await interaction.response.send_message(embed=about_embed(counts), ephemeral=True)


async def setup(bot: SoundtrackBot) -> None:
    await bot.add_cog(About(bot))
