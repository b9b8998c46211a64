"""/cast end to end: suggestions by spelling alone, cast information at progress 0."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Env

CENTRAL_REVEAL = "lee-eun-soo"  # who "Jennifer" is


@pytest.mark.parametrize("typed", ["jennifer", "Jennifer", "JENNIFER", "jenifer", "Jennifer Lee"])
async def test_jennifer_is_never_linked_to_eun_soo(env: Env, typed: str) -> None:
    reply = await env.drv.invoke("/cast", name=typed)
    assert reply.ephemeral and reply.embed is None
    assert "Lee Eun-soo" not in reply.text() and "Eun-so" not in reply.text()
    assert not reply.buttons()
    assert "No cast member or character matches" in reply.content
    choices = await env.drv.autocomplete("/cast", focused="name", value=typed)
    assert all(CENTRAL_REVEAL not in c["value"] for c in choices)


async def test_lee_min_ho_suggests_no_one(env: Env) -> None:
    reply = await env.drv.invoke("/cast", name="Lee Min-ho")
    assert "Kim Seok-jin" not in reply.text() and "Lee Eun-soo" not in reply.text()
    assert not reply.buttons() and "No cast member or character matches" in reply.content
    assert await env.drv.autocomplete("/cast", focused="name", value="Lee Min-ho") == []


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("hansohe", "Han So-hee as Lee Eun-soo"),
        ("Park Hyung-sick", "Park Hyung-sik as Han Seon-woo"),
        ("Kim Joo-hoen", "Kim Joo-heon as Kang Woo-il"),
    ],
)
async def test_a_typo_of_one_edit_opens_the_card(env: Env, typed: str, title: str) -> None:
    reply = await env.drv.invoke("/cast", name=typed)
    assert reply.embed is not None and reply.embed["title"] == title


async def test_two_edits_ask_first(env: Env) -> None:
    reply = await env.drv.invoke("/cast", name="Yoon Dong-hyun")
    assert "Did you mean" in reply.content
    assert [b.label for b in reply.buttons()] == ["Yoon Dong-hyeon"]


async def test_autocomplete_of_a_typo_offers_the_name(env: Env) -> None:
    choices = await env.drv.autocomplete("/cast", focused="name", value="hansohe")
    assert choices[0]["value"] == "person:han-so-hee"


@pytest.mark.parametrize(
    ("typed", "role"),
    [
        ("Yoon Byung-hee", "Seon-woo's manager."),
        ("Kim Joo-heon", "Eun-soo's mentor."),
        ("Park Min-jung", "A mutual friend of Seon-woo and Eun-soo."),
        ("Park Hoon", "A mutual friend of Seon-woo and Eun-soo."),
    ],
)
async def test_a_place_in_the_cast_shows_at_progress_0(env: Env, typed: str, role: str) -> None:
    await env.drv.invoke("/progress", episode=0)
    card = (await env.drv.invoke("/cast", name=typed)).embed
    assert role in card["description"]


async def test_manager_card_at_progress_0_hides_the_story(env: Env) -> None:
    await env.drv.invoke("/progress", episode=0)
    card = await env.drv.invoke("/cast", name="Yoon Byung-hee")
    fields = {f["name"]: f["value"] for f in card.embed["fields"]}
    assert fields["Role"] == "manager"
    assert "imposter" not in card.text()
    woo_il = await env.drv.invoke("/cast", name="Kang Woo-il")
    assert "composer" in woo_il.text() and "love interest" not in woo_il.text()
    # The love interest is hidden, and the card says so without naming its episode:
    # "episode 1" next to Kang Woo-il would tell when something happens to him.
    assert "hidden" in woo_il.text() and "episode" not in woo_il.text().lower()


@pytest.mark.parametrize("typed", ["Eun-soo", "Seon-woo", "Mari", "Gyeol Han", "Kang Woo-il"])
async def test_cast_cards_name_no_episode_beyond_progress(env: Env, typed: str) -> None:
    await env.drv.invoke("/progress", episode=1)
    text = (await env.drv.invoke("/cast", name=typed)).text().lower()
    assert not any(f"episode {n}" in text or f"episodes {n}" in text for n in (2, 3, 4))


@pytest.mark.parametrize(
    ("typed", "known"),
    [
        ("Kim Seok-jin", "member of BTS"),
        ("Kim Hee-won", "director of Soundtrack #1"),
        ("Kim Hee-won", "Money Flower (MBC, director)"),
        ("Kyuhyun", "member of Super Junior"),
    ],
)
async def test_people_outside_the_cast_say_what_the_store_knows(
    env: Env, typed: str, known: str
) -> None:
    await env.drv.invoke("/progress", episode=0)
    reply = await env.drv.invoke("/cast", name=typed)
    assert "not in the cast" in reply.content and known in reply.content
