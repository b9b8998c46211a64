"""/ask and /sources: full-text search over the documents, and the documents themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.respond import send, viewer_for
from cogs._cards import search_card, sources_card

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

MAX_HITS = 3
ASK_COOLDOWN = (2, 20.0)  # two questions per 20 seconds per user


class Ask(commands.Cog):
    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot

    @app_commands.command(name="ask")
    @app_commands.describe(
        question="Words to look for in the articles and the review",
        share="Post the answer in the channel (later episodes spoiler-tagged); default only you",
    )
    @app_commands.checks.cooldown(*ASK_COOLDOWN, key=lambda i: i.user.id)
    async def ask(
        self,
        interaction: discord.Interaction,
        question: str,
        share: bool = False,
    ) -> None:
        """Search the source documents; spoilers past your progress stay hidden."""
        await interaction.response.defer(ephemeral=not share, thinking=True)
        hits = await self.bot.facts.search(question, limit=MAX_HITS)
        viewer = await viewer_for(self.bot.state, interaction, share)
        embed = search_card(question, hits, viewer)
        await send(interaction, share=share, embed=embed)

    @app_commands.command(name="sources")
    @app_commands.describe(share="Post the list in the channel; default only you")
    async def sources(self, interaction: discord.Interaction, share: bool = False) -> None:
        """The documents every answer comes from, and how many facts each supports."""
        documents = await self.bot.facts.documents()
        await send(interaction, share=share, embed=sources_card(documents))


async def setup(bot: SoundtrackBot) -> None:
    await bot.add_cog(Ask(bot))
