"""/cast end to end: every spelling, progress-aware traits, autocomplete, did-you-mean; and
lookups in DMs."""

from __future__ import annotations

import pytest

from tests.helpers.bot import Env

# -- progress and settings ----------------------------------------------------------------


# -- /show, /episodes, /episode -------------------------------------------------------------


# -- /cast ------------------------------------------------------------------------------------
async def test_cast_list(env: Env) -> None:
    embed = (await env.drv.invoke("/cast")).embed
    for actor, character in [
        ("Park Hyung-sik", "Han Seon-woo"),
        ("Han So-hee", "Lee Eun-soo"),
        ("Kim Joo-heon", "Kang Woo-il"),
        ("Seo In-guk", "Jay Jun"),
        ("Park Min-jung", "Mari"),
        ("Park Hoon", "Gyeol Han"),
        ("Yoon Byung-hee", "Yoon Dong-hyeon"),
    ]:
        assert f"**{actor}** as {character}" in embed["description"]
    assert "Song Kang" not in embed["description"]
    assert embed["footer"]["text"].startswith("Sources: ")


@pytest.mark.parametrize(
    ("typed", "title"),
    [
        ("Han So-hee", "Han So-hee as Lee Eun-soo"),
        ("hansohee", "Han So-hee as Lee Eun-soo"),
        ("Han Soo-hee", "Han So-hee as Lee Eun-soo"),
        ("Eun-so", "Han So-hee as Lee Eun-soo"),
        ("Lee Eun Soo", "Han So-hee as Lee Eun-soo"),
        ("Sun-woo", "Park Hyung-sik as Han Seon-woo"),
        ("park hyungsik", "Park Hyung-sik as Han Seon-woo"),
        ("Kim Joo Hun", "Kim Joo-heon as Kang Woo-il"),
        ("Woo-il", "Kim Joo-heon as Kang Woo-il"),
        ("Jay Jun", "Seo In-guk as Jay Jun"),
        ("Seo In Guk", "Seo In-guk as Jay Jun"),
        ("Mari", "Park Min-jung as Mari"),
        ("Gyeol Han", "Park Hoon as Gyeol Han"),
        ("Yoon Dong Hyeon", "Yoon Byung-hee as Yoon Dong-hyeon"),
    ],
)
async def test_cast_card_from_any_spelling(env: Env, typed: str, title: str) -> None:
    reply = await env.drv.invoke("/cast", name=typed)
    assert reply.ephemeral
    assert reply.embed["title"] == title
    assert reply.embed["footer"]["text"].startswith("Sources: ")


async def test_cast_card_traits_follow_progress(env: Env) -> None:
    early = await env.drv.invoke("/cast", name="Eun-soo")
    assert "mandarins" not in early.text().lower() and "zombie" not in early.text().lower()
    assert "hidden" in early.text().lower()
    await env.drv.invoke("/progress", episode=2)
    later = await env.drv.invoke("/cast", name="Eun-soo")
    assert "zombie movies" in later.text().lower()
    works = next(f for f in later.embed["fields"] if f["name"].startswith("Other works"))
    assert "My Name (2021, female lead)" in works["value"]


async def test_mentioned_people_are_not_cast(env: Env) -> None:
    for name in ("Song Kang", "Park Seo-joon", "Kim Seok-jin"):
        reply = await env.drv.invoke("/cast", name=name)
        assert reply.ephemeral and "not in the cast" in reply.content
        assert reply.embed is None


async def test_cast_autocomplete_is_ranked_and_bounded(env: Env) -> None:
    choices = await env.drv.autocomplete("/cast", focused="name", value="han so")
    assert 1 <= len(choices) <= 25
    assert choices[0]["value"] == "person:han-so-hee"
    empty = await env.drv.autocomplete("/cast", focused="name", value="")
    assert len(empty) == 7 and empty[0]["name"].startswith("Park Hyung-sik")
    picked = await env.drv.invoke("/cast", name=choices[0]["value"])
    assert picked.embed["title"] == "Han So-hee as Lee Eun-soo"


async def test_unknown_name_offers_did_you_mean_buttons(env: Env) -> None:
    reply = await env.drv.invoke("/cast", name="Park")
    assert reply.ephemeral and "Did you mean" in reply.content
    labels = [b.label for b in reply.buttons()]
    assert "Park Hyung-sik" in labels and len(labels) <= 5
    other = await env.drv.click(reply, "Park Hyung-sik", user=env.world.bob)
    assert other.ephemeral and "belong to whoever ran the command" in other.content
    card = await env.drv.click(reply, "Park Hyung-sik")
    assert card.message.embeds[0]["title"] == "Park Hyung-sik as Han Seon-woo"
    nothing = await env.drv.invoke("/cast", name="zzzz qqqq")
    assert "No cast member or character matches" in nothing.content


# -- /ost ----------------------------------------------------------------------------------


# -- /ask and /sources --------------------------------------------------------------------------


# -- paging and expired buttons ------------------------------------------------------------------


async def test_lookups_work_in_direct_messages(env: Env) -> None:
    dm = env.emu.world.create_dm(env.world.alice)
    await env.drv.invoke("/progress", episode=4, channel=dm)
    card = await env.drv.invoke("/cast", name="Eun-soo", channel=dm)
    assert card.embed["title"] == "Han So-hee as Lee Eun-soo"
    assert "zombie movies" in card.text().lower()  # progress set in the DM applies
    ending = await env.drv.invoke("/episode", number=4, channel=dm)
    assert "returns after a year" in ending.text()
    refused = await env.drv.invoke("/trivia start", channel=dm)
    assert refused.ephemeral and refused.content == "Trivia runs in a server channel."
    board = await env.drv.invoke("/trivia leaderboard", scope="global", channel=dm)
    assert board.ephemeral and "No games played yet" in board.text()


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
    reply = await env.drv.invoke("/cast", name="Yoon Dong-hyoun")
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


async def test_a_romanisation_variant_is_taken_like_the_spelling(env: Env) -> None:
    """Hyun/Hyeon and Gyul/Gyeol write one Korean vowel two ways: not a typo to ask about."""
    reply = await env.drv.invoke("/cast", name="Yoon Dong-hyun")
    assert reply.embed is not None and "Yoon Dong-hyeon" in reply.embed["title"]
    assert not reply.buttons()
