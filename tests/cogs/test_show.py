"""/show end to end: the card shows every show fact within the viewer's progress."""

from __future__ import annotations

from tests.e2e.conftest import Env

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
