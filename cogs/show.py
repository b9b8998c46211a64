"""/show, /episodes and /episode: the drama itself, its air dates, and each episode."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.card_cache import KeptCards
from bot.episodes import EpisodeOption
from bot.i18n import t
from bot.respond import send, viewer_for
from cogs._cards import episode_card, episodes_card, rating_text, show_card

if TYPE_CHECKING:
    from bot.app import SoundtrackBot


class Show(commands.Cog):
    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot
        self.cards = KeptCards()

    @app_commands.command(name="show")
    @app_commands.describe(share="Post the card in the channel; default only you")
    async def show(self, interaction: discord.Interaction, share: bool = False) -> None:
        """Soundtrack #1 at a glance: platform, premiere, episodes, director, writer, premise."""
        facts = self.bot.facts
        viewer = await viewer_for(self.bot.state, interaction, share)

        async def build() -> discord.Embed:
            info = await facts.show()
            episodes = await facts.episodes()
            show_facts = await facts.facts("show", "show")
            crew_works = {
                p.name: await facts.facts("person", p.id, predicate="work")
                for p in await facts.people("crew")
                if p.name in (info.director, info.writer)
            }
            first = episodes[0] if episodes else None
            return show_card(info, first, show_facts, viewer, crew_works, interaction)

        card = await self.cards.card(facts, "show", viewer, interaction, build)
        await send(interaction, share=share, embed=card)

    @app_commands.command(name="episodes")
    @app_commands.describe(share="Post the list in the channel; default only you")
    async def episodes(self, interaction: discord.Interaction, share: bool = False) -> None:
        """Every episode: air dates in your time zone, and this server's discussion threads."""
        facts = self.bot.facts
        episodes = await facts.episodes()
        dated = await facts.facts("show", "show", predicates=("premiere", "slot", "episode_count"))
        guild_id = interaction.guild_id
        threads = await self.bot.state.discussions.thread_ids(guild_id) if guild_id else {}
        # The server's rating of each episode the viewer has reached, none beyond.
        viewer = await viewer_for(self.bot.state, interaction, share)
        rated = await self.bot.state.community.ratings(guild_id) if guild_id else {}
        ratings = {n: rating_text(r, interaction) for n, r in rated.items() if n <= viewer.progress}
        card = episodes_card(episodes, dated, threads, ratings, interaction)
        await send(interaction, share=share, embed=card)

    @app_commands.command(name="episode")
    @app_commands.describe(
        number="Which episode (1 is the first)",
        share="Post it in the channel (details spoiler-tagged); default only you",
    )
    async def episode(
        self,
        interaction: discord.Interaction,
        number: EpisodeOption,
        share: bool = False,
    ) -> None:
        """What is known about one episode, within how far you have watched."""
        facts = self.bot.facts
        episode = next((e for e in await facts.episodes() if e.number == number), None)
        if episode is None:
            text = t(interaction, "There is no episode {episode}.", episode=number)
            await send(interaction, share=False, content=text)
            return
        known = await facts.facts("episode", str(number))
        viewer = await viewer_for(self.bot.state, interaction, share)
        card = episode_card(episode, known, viewer, interaction)
        await send(interaction, share=share, embed=card)


async def setup(bot: SoundtrackBot) -> None:
    await bot.add_cog(Show(bot))
