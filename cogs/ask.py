"""/ask and /sources: a direct, sourced answer to a fan's question, and the documents."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers import Answers, Conversations
from bot.answers._card import answer_card
from bot.card_cache import KeptCards
from bot.cooldown import per_user_cooldown
from bot.respond import ready_or_deferred, send, viewer_for
from bot.spoiler_gate import Audience, Viewer
from cogs._cards import sources_card

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

log = logging.getLogger(__name__)

# Enough for a conversation (a question and a few follow-ups), not for a flood.
ASK_COOLDOWN = (5, 30.0)
# An answer is normally ready in milliseconds (at once when the question was asked
# lately) and goes out in the first callback; only when it takes longer than this is the
# interaction deferred ("thinking…") first.
DEFER_AFTER = 1.0


class Ask(commands.Cog):
    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot
        self.conversations = Conversations()
        self.cards = KeptCards()
        self.defer_after = DEFER_AFTER
        self._answers: Answers | None = None

    @property
    def answers(self) -> Answers:
        """The answer layer over the bot's fact store (kept replies go with that store)."""
        if self._answers is None or self._answers.store is not self.bot.facts:
            self._answers = Answers(self.bot.facts)
        return self._answers

    @app_commands.command(name="ask")
    @app_commands.describe(
        question="Your question, e.g. “who plays Mari?” or “when does episode 2 air?”",
        share="Post the answer in the channel (later episodes spoiler-tagged); default only you",
    )
    @per_user_cooldown(*ASK_COOLDOWN)
    async def ask(
        self,
        interaction: discord.Interaction,
        question: str,
        share: bool = False,
    ) -> None:
        """Ask about the show, cast or songs; nothing past your progress is shown."""
        viewer = await viewer_for(self.bot.state, interaction, share)
        context = self.conversations.context(interaction.user.id)
        reply = self.answers.kept(question, viewer.progress, context)
        if reply is None:
            reply = await ready_or_deferred(
                interaction,
                self.answers.answer(question, viewer.progress, context),
                after=self.defer_after,
                ephemeral=not share,
            )
        self.conversations.remember(interaction.user.id, reply)
        await send(interaction, share=share, embed=answer_card(reply, viewer, interaction))

    @app_commands.command(name="sources")
    @app_commands.describe(share="Post the list in the channel; default only you")
    async def sources(self, interaction: discord.Interaction, share: bool = False) -> None:
        """The documents every answer comes from, and how many facts each supports."""
        facts = self.bot.facts
        # The list is no story: the same for every viewer but for the reader's language.
        viewer = Viewer(0, Audience.PERSONAL)

        async def build() -> discord.Embed:
            return sources_card(await facts.documents(), interaction)

        card = await self.cards.card(facts, "sources", viewer, interaction, build)
        await send(interaction, share=share, embed=card)


async def setup(bot: SoundtrackBot) -> None:
    await bot.add_cog(Ask(bot))
