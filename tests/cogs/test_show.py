"""/show, /episodes, /episode end to end: the real store, spoiler-aware and sourced."""

from __future__ import annotations

import re

from tests.helpers.bot import Env


async def test_show_card(env: Env) -> None:
    reply = await env.drv.invoke("/show")
    embed = reply.embed
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert embed["title"] == "Soundtrack #1"
    assert fields["Platform"] == "Disney+"
    assert re.fullmatch(r"<t:\d+:D>", fields["Premiere"])
    assert fields["Episodes"].startswith("4, Wednesdays at 14:00 WIB")
    assert fields["Director"].startswith("Kim Hee-won") and fields["Writer"] == "Ahn Sae-bom"
    assert "20 years" in embed["description"]
    assert embed["footer"]["text"].startswith("Sources: ")


async def test_episodes_list_uses_discord_timestamps(env: Env) -> None:
    embed = (await env.drv.invoke("/episodes")).embed
    assert len(re.findall(r"\*\*Episode \d\*\* — <t:\d+:D>", embed["description"])) == 4
    assert "derived" in embed["description"]
    assert "Sources:" in embed["footer"]["text"]


async def test_the_ending_is_hidden_until_you_have_watched_it(env: Env) -> None:
    await env.drv.invoke("/progress", episode=1)
    early = await env.drv.invoke("/episode", number=4)
    assert "returns after a year" not in early.text()
    assert "episode 4" in early.text() and "hidden" in early.text()
    await env.drv.invoke("/progress", episode=4)
    late = await env.drv.invoke("/episode", number=4)
    assert "returns after a year" in late.text() and "||" not in late.text()


async def test_shared_episode_card_tags_spoilers(env: Env) -> None:
    await env.drv.invoke("/progress", episode=4)
    shared = await env.drv.invoke("/episode", number=2, share=True)
    assert not shared.ephemeral
    value = shared.embed["fields"][0]["value"]
    assert "Ep 2 spoiler: ||" in value and value.count("||") % 2 == 0


SHOWN_ELSEWHERE = {"title", "genre", "director", "writer", "platform", "episode_count", "slot"}


async def test_show_card_at_progress_0_shows_every_level_0_note(env: Env) -> None:
    await env.drv.invoke("/progress", episode=0)
    card = await env.drv.invoke("/show")
    fields = {f["name"]: f["value"] for f in card.embed["fields"]}
    assert "Korean winter" in fields["Setting"]
    assert "music videos" in fields["Release"]
    assert "another character" in fields["Music"]
    assert "lyricist" in fields["From the press"]
    text = card.text()
    for fact in await env.bot.facts.facts("show", "show", max_level=0):
        if fact.predicate in ("setting", "release", "music", "press"):
            assert fact.object in text, fact.predicate


async def test_show_card_says_what_else_the_director_made(env: Env) -> None:
    fields = {f["name"]: f["value"] for f in (await env.drv.invoke("/show")).embed["fields"]}
    assert fields["Director"].startswith("Kim Hee-won\nAlso: Money Flower (MBC, director)")
    assert "Vincenzo" in fields["Director"] and fields["Director"].count("Vincenzo") == 1
    assert fields["Writer"] == "Ahn Sae-bom"  # the documents name no other work of hers
