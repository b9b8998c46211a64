"""/cast: the cast list, or one actor or character, from any spelling the documents use."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import bot_of
from bot.card_cache import KeptCards
from bot.i18n import t
from bot.reply_text import safe_text
from bot.respond import send, viewer_for
from bot.store.records import NameMatch
from bot.ui import OwnedView, send_pages
from cogs._cards import cast_card, cast_list_pages, not_cast_message

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

log = logging.getLogger(__name__)

EXACT_SCORE = 100.0  # an alias typed exactly is taken without asking
GOOD_SCORE = 75.0  # a near match is taken when it also leads the next one clearly
CLEAR_LEAD = 8.0
SUGGESTIONS = 5
NAME_TYPES = ("person", "character")


@dataclass(frozen=True, slots=True)
class NameQuery:
    text: str
    match: NameMatch | None  # the one it resolved to, if it did
    suggestions: tuple[NameMatch, ...]


def resolve(matches: list[NameMatch], text: str) -> NameQuery:
    """Take the best match when it is clearly the one meant; else offer suggestions."""
    if matches:
        best = matches[0]
        runner_up = matches[1].score if len(matches) > 1 else 0.0
        if best.score >= EXACT_SCORE or (
            best.score >= GOOD_SCORE and best.score - runner_up >= CLEAR_LEAD
        ):
            return NameQuery(text, best, ())
    return NameQuery(text, None, tuple(matches[:SUGGESTIONS]))


class CastName(app_commands.Transformer):
    """An actor or character: autocompleted, and re-checked when the command runs."""

    async def autocomplete(
        self, interaction: discord.Interaction, value: int | float | str, /
    ) -> list[app_commands.Choice[int | float | str]]:
        facts = bot_of(interaction).facts
        value = str(value)  # a string option: discord.py's signature allows numbers too
        if not value.strip():
            cast = await facts.cast()
            everyone: list[app_commands.Choice[int | float | str]] = [
                app_commands.Choice(name=f"{c.actor.name} ({c.name})", value=f"person:{c.actor.id}")
                for c in cast
                if c.actor
            ]
            return everyone[:25]
        return [
            app_commands.Choice(name=_choice_label(m), value=f"{m.entity_type}:{m.entity_id}")
            for m in facts.find_names(value, NAME_TYPES, limit=25)
        ]

    async def transform(self, interaction: discord.Interaction, value: str, /) -> NameQuery:
        facts = bot_of(interaction).facts
        kind, _, ident = value.partition(":")
        name = facts.name_of(kind, ident) if kind in NAME_TYPES else None
        if name:
            return NameQuery(value, NameMatch(kind, ident, name, name, 100.0), ())
        exact = facts.exact_name(value, NAME_TYPES)  # a known spelling: no fuzzy ranking
        if exact is not None:
            return NameQuery(value, exact, ())
        return resolve(facts.find_names(value, NAME_TYPES, limit=SUGGESTIONS + 1), value)


def _choice_label(match: NameMatch) -> str:
    label = match.name if match.matched == match.name else f"{match.name} (“{match.matched}”)"
    return label[:100]


class Suggestions(OwnedView):
    """ "Did you mean" buttons: pressing one shows that card in place."""

    def __init__(self, cog: Cast, owner_id: int, matches: tuple[NameMatch, ...]) -> None:
        super().__init__(owner_id)
        self.cog = cog
        for match in matches:
            self.add_item(_Suggestion(match))

    async def show(self, interaction: discord.Interaction, match: NameMatch) -> None:
        embed, message = await self.cog.card_for(match, interaction, share=False)
        self.stop()
        await interaction.response.edit_message(content=message, embed=embed, view=None)


class _Suggestion(discord.ui.Button[Suggestions]):
    def __init__(self, match: NameMatch) -> None:
        super().__init__(label=match.name[:80], style=discord.ButtonStyle.primary)
        self.match = match

    async def callback(self, interaction: discord.Interaction) -> None:
        if self.view is not None:
            await self.view.show(interaction, self.match)


class Cast(commands.Cog):
    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot
        self.cards = KeptCards()

    async def card_for(
        self, match: NameMatch, interaction: discord.Interaction, *, share: bool
    ) -> tuple[discord.Embed | None, str | None]:
        facts = self.bot.facts
        if match.entity_type == "person":
            person = await facts.person(match.entity_id)
            character = await facts.role_of(match.entity_id)
            if person is None:
                return None, t(interaction, "I don't know that name.")
            if character is None:  # answered privately whatever `share` says
                viewer = await viewer_for(self.bot.state, interaction, False)
                known = await facts.facts("person", person.id)
                roles = [f for f in await facts.facts("show", "show") if f.object == person.name]
                return None, not_cast_message(person, [*roles, *known], viewer, interaction)
        else:
            character = await facts.character(match.entity_id)
            if character is None:
                return None, t(interaction, "I don't know that name.")
        viewer = await viewer_for(self.bot.state, interaction, share)
        shown = character

        async def build() -> discord.Embed:
            character_facts = await facts.facts("character", shown.id)
            actor_facts = await facts.facts("person", shown.actor.id) if shown.actor else []
            return cast_card(shown, character_facts, actor_facts, viewer, interaction)

        card = await self.cards.card(facts, ("character", shown.id), viewer, interaction, build)
        return card, None

    @app_commands.command(name="cast")
    @app_commands.describe(
        name="An actor or character, in any spelling; leave out for the whole cast",
        share="Post the answer in the channel (story details spoiler-tagged); default only you",
    )
    async def cast(
        self,
        interaction: discord.Interaction,
        name: app_commands.Transform[NameQuery, CastName] | None = None,
        share: bool = False,
    ) -> None:
        """Who plays whom in Soundtrack #1, or one actor or character in detail."""
        facts = self.bot.facts
        if name is None or not name.text.strip():
            cast = await facts.cast()
            # Who plays whom is cast information, safe for everyone.
            played_by = await facts.facts("character", predicate="played_by", max_level=0)
            pages = cast_list_pages(cast, played_by, interaction)
            await send_pages(interaction, pages, share=share)
            return
        if name.match is None:
            text = safe_text(name.text[:80])
            if not name.suggestions:
                await send(
                    interaction,
                    share=False,
                    content=t(
                        interaction, "No cast member or character matches “{text}”.", text=text
                    ),
                )
                return
            view = Suggestions(self, interaction.user.id, name.suggestions)
            view.interaction = interaction
            await send(
                interaction,
                share=False,
                content=t(interaction, "No exact match for “{text}”. Did you mean:", text=text),
                view=view,
            )
            return
        embed, message = await self.card_for(name.match, interaction, share=share)
        if embed is None:
            await send(interaction, share=False, content=message)
        else:
            await send(interaction, share=share, embed=embed)


async def setup(bot: SoundtrackBot) -> None:
    await bot.add_cog(Cast(bot))
