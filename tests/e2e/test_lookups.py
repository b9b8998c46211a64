"""Issue 4: every lookup command end to end, with the real store, spoiler-aware and sourced."""

from __future__ import annotations

import asyncio
import re

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.app import EXPIRED_COMPONENT
from bot.embeds import base_embed
from bot.ui import Paginator
from emulator import DriverError
from tests.e2e.conftest import Env
from tests.facts.test_store import CLASSIC_HOSTILE

ENDING = "first and only"


def no_pings(env: Env) -> None:
    """Every message the bot sent disabled mentions."""
    for record in env.emu.requests:
        body = record.json if isinstance(record.json, dict) else {}
        body = body.get("data", body) if isinstance(body.get("data"), dict) else body
        if "content" in body or "embeds" in body:
            assert body.get("allowed_mentions") == {"parse": []}, record


# -- progress and settings ----------------------------------------------------------------
async def test_progress_is_personal_and_kept(env: Env) -> None:
    shown = await env.drv.invoke("/progress")
    assert shown.ephemeral and "not started" in shown.content and "default" in shown.content
    saved = await env.drv.invoke("/progress", episode=2)
    assert saved.ephemeral and "up to episode 2" in saved.content
    assert await env.bot.state.effective_progress(env.world.alice.id, env.world.guild.id) == 2
    here = await env.drv.invoke("/progress", episode=3, scope="this server")
    assert "in this server" in here.content
    again = await env.drv.invoke("/progress")
    assert "episode 3" in again.content and "this server" in again.content
    assert await env.bot.state.stored_progress(env.world.alice.id) == 2


async def test_server_default_progress_needs_manage_server(env: Env) -> None:
    with pytest.raises(DriverError, match="cannot see /settings"):
        await env.drv.invoke("/settings spoilers", default_progress=3)
    done = await env.drv.invoke("/settings spoilers", default_progress=3, user=env.world.moderator)
    assert done.ephemeral and "episode 3" in done.content
    bob = await env.drv.invoke("/progress", user=env.world.bob)
    assert "episode 3" in bob.content and "server's default" in bob.content


# -- /show, /episodes, /episode -------------------------------------------------------------
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


# -- /ask and /sources --------------------------------------------------------------------------
async def test_ask_finds_passages_with_sources(env: Env) -> None:
    reply = await env.drv.invoke("/ask", question="Who sings Love Beyond Words?")
    assert reply.ephemeral
    fields = reply.embed["fields"]
    assert 1 <= len(fields) <= 3
    assert any("Kyuhyun" in f["value"] for f in fields)
    assert "**" in fields[0]["value"]  # highlighted words
    assert reply.embed["footer"]["text"].startswith("Sources: ")


async def test_ask_about_the_ending_never_spoils_a_fan_at_episode_1(env: Env) -> None:
    questions = {
        env.world.alice: ("kiss", "how does it end"),
        env.world.bob: ("returns to Korea after a year", "confesses her love"),
    }
    for user, asked in questions.items():
        await env.drv.invoke("/progress", episode=1, user=user)
        for question in asked:
            reply = await env.drv.invoke("/ask", question=question, user=user)
            answer = reply.text().replace(question, "")
            assert ENDING not in answer and "after a year" not in answer
            assert "||" not in answer  # hidden, not merely tagged


async def test_ask_shows_the_ending_plainly_at_episode_4(env: Env) -> None:
    await env.drv.invoke("/progress", episode=4)
    reply = await env.drv.invoke("/ask", question="kiss")
    assert ENDING in reply.text() and "||" not in reply.text()
    shared = await env.drv.invoke("/ask", question="kiss", share=True)
    assert not shared.ephemeral and "Ep 4 spoiler: ||" in shared.text()


async def test_ask_with_no_match_suggests_commands(env: Env) -> None:
    reply = await env.drv.invoke("/ask", question="qwertyuiop")
    assert "Nothing in the documents matches" in reply.text() and "/cast" in reply.text()


async def test_ask_cooldown_says_when_to_retry(env: Env) -> None:
    for _ in range(2):
        await env.drv.invoke("/ask", question="love")
    slowed = await env.drv.invoke("/ask", question="love")
    assert slowed.ephemeral and re.search(r"<t:\d+:R>", slowed.content)


@pytest.mark.parametrize("text", CLASSIC_HOSTILE)
async def test_ask_survives_hostile_input(env: Env, text: str) -> None:
    reply = await env.drv.invoke("/ask", question=text)
    assert reply.embed is not None or reply.content
    no_pings(env)


async def test_sources(env: Env) -> None:
    embed = (await env.drv.invoke("/sources")).embed
    assert len(embed["fields"]) == 5
    review = next(f for f in embed["fields"] if f["name"] == "Soundtrack #1")
    assert "Outlet: Hallyu Reviews" in review["value"] and "Facts supported:" in review["value"]
    no_pings(env)


# -- paging and expired buttons ------------------------------------------------------------------
class Pages(commands.Cog):
    @app_commands.command(name="pages")
    async def pages(self, interaction: discord.Interaction) -> None:
        """Three pages (test command)."""
        view = Paginator(
            [base_embed(f"Page {n}") for n in (1, 2, 3)], interaction.user.id, timeout=0.5
        )
        view.interaction = interaction
        await interaction.response.send_message(embed=view.pages[0], view=view, ephemeral=True)

    @app_commands.command(name="stale")
    async def stale(self, interaction: discord.Interaction) -> None:
        """A button whose view is gone, as after a restart (test command)."""
        view = discord.ui.View()
        view.add_item(discord.ui.Button(label="Old", custom_id="old-button"))
        await interaction.response.send_message("old", view=view)
        view.stop()


async def test_pages_turn_for_the_invoker_only_and_expire(env: Env) -> None:
    await env.bot.add_cog(Pages())
    await env.bot.tree.sync()
    reply = await env.drv.invoke("/pages")
    assert [b.label for b in reply.buttons()] == ["◀ Previous", "1/3", "Next ▶"]
    turned = await env.drv.click(reply, "Next ▶")
    assert turned.message.embeds[0]["title"] == "Page 2"
    refused = await env.drv.click(reply, "Next ▶", user=env.world.bob)
    assert refused.ephemeral and "belong to whoever" in refused.content
    await asyncio.sleep(1.0)
    expired = env.drv.messages(env.world.general, include_ephemeral=True)[-1]
    assert all(b.disabled for b in expired.buttons())


async def test_a_button_nobody_handles_says_it_expired(env: Env) -> None:
    await env.bot.add_cog(Pages())
    await env.bot.tree.sync()
    reply = await env.drv.invoke("/stale")
    clicked = await env.drv.click(reply, "Old", timeout=10)
    assert clicked.ephemeral and clicked.content == EXPIRED_COMPONENT


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
