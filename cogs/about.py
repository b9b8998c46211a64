"""/about: what this bot is and what it knows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.embeds import base_embed
from bot.i18n import ENGLISH, Where, t

if TYPE_CHECKING:
    from bot.app import SoundtrackBot


def about_embed(counts: dict[str, int], where: Where = ENGLISH) -> discord.Embed:
    description = t(
        where,
        "A spoiler-safe fan bot for the K-drama **Soundtrack #1** (Disney+, 2022).\n"
        "Every answer comes from the source documents and can show where it comes from; "
        "story details stay hidden until you say you have watched that far.",
    )
    embed = base_embed(
        t(where, "About this bot"),
        description,
        footer=t(where, "No outside services: all local."),
    )
    embed.add_field(
        name=t(where, "What I know"),
        value=t(
            where,
            "{documents} documents, {facts} facts, {questions} trivia questions",
            documents=counts.get("documents", 0),
            facts=counts.get("facts", 0),
            questions=counts.get("questions", 0),
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
        await interaction.response.send_message(
            embed=about_embed(counts, interaction), ephemeral=True
        )


async def setup(bot: SoundtrackBot) -> None:
    await bot.add_cog(About(bot))
