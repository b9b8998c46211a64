"""/ost end to end: the tracklist and song cards."""

from __future__ import annotations

from tests.helpers.bot import Env


async def test_tracklist_and_song_cards(env: Env) -> None:
    tracks = (await env.drv.invoke("/ost")).embed["description"]
    assert tracks.index("Love Beyond Words") < tracks.index("Want to Be Happy")
    assert "Your Tender Heart Hurts Me** by DAVICHI" in tracks
    for typed, singer in [
        ("Love Beyond Words", "Kyuhyun"),
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
