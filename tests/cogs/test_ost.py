"""/ost end to end: a song card shows what the store knows of its artists."""

from __future__ import annotations

from tests.e2e.conftest import Env


async def test_love_beyond_words_says_kyuhyun_is_in_super_junior(env: Env) -> None:
    await env.drv.invoke("/progress", episode=0)
    card = (await env.drv.invoke("/ost", song="Love Beyond Words")).embed
    fields = {f["name"]: f["value"] for f in card["fields"]}
    assert fields["Sung by"] == "Kyuhyun (Super Junior)"
    assert "Released before the premiere" in fields["What the documents say"]
    assert card["footer"]["text"].startswith("Sources: ")


async def test_every_song_card_at_progress_0_shows_its_level_0_facts(env: Env) -> None:
    await env.drv.invoke("/progress", episode=0)
    for song in await env.bot.facts.songs():
        card = await env.drv.invoke("/ost", song=song.id)
        text = card.text()
        for fact in await env.bot.facts.facts("song", song.id, max_level=0):
            if fact.predicate in ("about", "release", "sung_by", "written_by"):
                assert fact.object in text, (song.id, fact.predicate)
        for credit in song.credits:
            for fact in await env.bot.facts.facts("person", credit.person.id, max_level=0):
                assert fact.object in text, (song.id, fact.predicate)


async def test_the_tracklist_names_each_singers_group(env: Env) -> None:
    tracks = (await env.drv.invoke("/ost")).embed["description"]
    assert "**Love Beyond Words** by Kyuhyun (Super Junior)" in tracks
    assert "**Want to Be Happy** by Park Bo-ram —" in tracks
