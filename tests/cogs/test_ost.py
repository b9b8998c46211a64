"""/ost end to end: the tracklist and song cards."""

from __future__ import annotations

from tests.helpers.bot import Env


async def test_tracklist_and_song_cards(env: Env) -> None:
    tracks = (await env.drv.invoke("/ost")).embed["description"]
    assert tracks.index("Love Beyond Words") < tracks.index("Want to Be Happy")
    assert "Your Tender Heart Hurts Me** by DAVICHI" in tracks
    for typed, singer in [
        ("Love Beyond Words", "Kyuhyun (Super Junior)"),
        ("want to be hapy", "Park Bo-ram"),
        ("tender heart", "DAVICHI"),
    ]:
        card = (await env.drv.invoke("/ost", song=typed)).embed
        fields = {f["name"]: f["value"] for f in card["fields"]}
        assert fields["Sung by"] == singer
        assert card["footer"]["text"].startswith("Sources: ")
    happy = (await env.drv.invoke("/ost", song="Want to Be Happy")).embed
    assert any(f["name"] == "Written by" and f["value"] == "Park Bo-ram" for f in happy["fields"])
    choices = await env.drv.autocomplete("/ost", focused="song", value="love")
    assert choices[0]["value"] == "love-beyond-words"
    missing = await env.drv.invoke("/ost", song="Dynamite")
    assert missing.ephemeral and "No OST song matches" in missing.content


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
