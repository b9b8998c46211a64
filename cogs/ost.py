"""/ost: the soundtrack's songs, and what the documents say about each."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.i18n import t
from bot.reply_text import safe_text
from bot.respond import send, viewer_for
from cogs._cards import artist_groups, song_card, tracklist

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

SONG_SCORE = 70.0  # below this a typed title is not taken as a song


class Ost(commands.Cog):
    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot

    async def song_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        facts = self.bot.facts
        if not current.strip():
            return [
                app_commands.Choice(name=s.title[:100], value=s.id) for s in await facts.songs()
            ][:25]
        return [
            app_commands.Choice(name=m.name[:100], value=m.entity_id)
            for m in facts.find_songs(current, limit=25)
        ]

    @app_commands.command(name="ost")
    @app_commands.describe(
        song="A song title, singer or writer (typos are fine); leave out for the tracklist",
        share="Post the answer in the channel; default only you",
    )
    @app_commands.autocomplete(song=song_choices)
    async def ost(
        self, interaction: discord.Interaction, song: str | None = None, share: bool = False
    ) -> None:
        """The Soundtrack #1 OST, or one song in detail."""
        facts = self.bot.facts
        songs = await facts.songs()
        if song is None:
            # Who is in which group is cast-level information, safe for everyone.
            members = await facts.facts("person", predicate="member_of", max_level=0)
            cited = [*await facts.facts("song", max_level=0), *members]
            embed = tracklist(songs, cited, artist_groups(members, 0), interaction)
            await send(interaction, share=share, embed=embed)
            return
        # The value is a song id when picked from autocomplete, else whatever was typed.
        found = next((s for s in songs if s.id == song), None)
        exact = facts.exact_name(song, ("song",)) if found is None else None
        if exact is not None:  # a known title: no fuzzy ranking
            found = next((s for s in songs if s.id == exact.entity_id), None)
        if found is None:
            matches = facts.find_songs(song, limit=1)
            if matches and matches[0].score >= SONG_SCORE:
                found = next((s for s in songs if s.id == matches[0].entity_id), None)
        person, credited = ("", []) if found is not None else facts.songs_by(song, SONG_SCORE)
        if len(credited) == 1:  # a singer or writer with one song: that song
            found = credited[0]
        elif credited:
            titles = ", ".join(f"“{s.title}”" for s in credited)
            await send(
                interaction,
                share=False,
                content=t(
                    interaction, "{person} is credited on {titles}.", person=person, titles=titles
                ),
            )
            return
        if found is None:
            titles = ", ".join(f"“{s.title}”" for s in songs)
            await send(
                interaction,
                share=False,
                content=t(
                    interaction,
                    "No OST song matches “{song}”. I know {titles}.",
                    song=safe_text(song[:80]),
                    titles=titles,
                ),
            )
            return
        viewer = await viewer_for(self.bot.state, interaction, share)
        artist_facts = [
            f
            for person_id in dict.fromkeys(c.person.id for c in found.credits)
            for f in await facts.facts("person", person_id)
        ]
        song_facts = await facts.facts("song", found.id)
        embed = song_card(found, song_facts, viewer, artist_facts, interaction)
        await send(interaction, share=share, embed=embed)


async def setup(bot: SoundtrackBot) -> None:
    await bot.add_cog(Ost(bot))
