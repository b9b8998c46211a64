"""Kept lookup cards: built once per store, subject, viewer and language; handed out as copies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord

from bot.card_cache import KeptCards
from bot.spoiler_gate import Audience, Viewer


class Builds:
    def __init__(self) -> None:
        self.count = 0

    def builder(self, title: str) -> Callable[[], Awaitable[discord.Embed]]:
        async def build() -> discord.Embed:
            self.count += 1
            return discord.Embed(title=f"{title} #{self.count}")

        return build


async def test_a_card_is_built_once_per_key() -> None:
    cards, builds, store = KeptCards(), Builds(), object()
    viewer = Viewer(1, Audience.PERSONAL)
    first = await cards.card(store, "show", viewer, "en-US", builds.builder("show"))
    again = await cards.card(store, "show", viewer, "en-GB", builds.builder("show"))
    assert builds.count == 1 and first.title == again.title == "show #1"


async def test_progress_audience_language_and_subject_each_make_another_card() -> None:
    cards, builds, store = KeptCards(), Builds(), object()
    personal = Viewer(1, Audience.PERSONAL)
    for what, viewer, where in [
        ("show", personal, "en-US"),
        ("show", Viewer(4, Audience.PERSONAL), "en-US"),
        ("show", Viewer(1, Audience.SHARED), "en-US"),
        ("show", personal, "ko"),
        ("show", personal, "id"),
        (("character", "mari"), personal, "en-US"),
    ]:
        await cards.card(store, what, viewer, where, builds.builder("x"))
    assert builds.count == 6 and len(cards) == 6


async def test_another_store_forgets_every_card() -> None:
    cards, builds = KeptCards(), Builds()
    viewer = Viewer(0, Audience.PERSONAL)
    await cards.card(object(), "show", viewer, None, builds.builder("old"))
    fresh = await cards.card(object(), "show", viewer, None, builds.builder("new"))
    assert fresh.title == "new #2" and len(cards) == 1


async def test_a_copy_changed_by_its_caller_leaves_the_kept_card_alone() -> None:
    cards, builds, store = KeptCards(), Builds(), object()
    viewer = Viewer(0, Audience.PERSONAL)
    mine = await cards.card(store, "show", viewer, None, builds.builder("show"))
    mine.add_field(name="added", value="by the caller")
    mine.title = "changed"
    kept = await cards.card(store, "show", viewer, None, builds.builder("show"))
    assert kept.title == "show #1" and not kept.fields


async def test_the_kept_card_is_within_discords_limits() -> None:
    cards, store = KeptCards(), object()

    async def too_many_fields() -> discord.Embed:
        embed = discord.Embed(title="big")
        for i in range(40):
            embed.add_field(name=str(i), value="v")
        return embed

    card = await cards.card(store, "big", Viewer(0, Audience.PERSONAL), None, too_many_fields)
    assert len(card.fields) == 25
