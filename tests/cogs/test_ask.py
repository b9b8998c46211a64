"""/ask and /sources end to end: passages with sources, never a spoiler, any input."""

from __future__ import annotations

import asyncio
import logging
import re

import pytest

from bot.errors import GENERIC_APOLOGY
from cogs.ask import ASK_COOLDOWN
from tests.helpers.bot import Env, assert_no_pings
from tests.helpers.inputs import CLASSIC_HOSTILE

ENDING = "first and only"


async def test_ask_finds_passages_with_sources(env: Env) -> None:
    reply = await env.drv.invoke("/ask", question="Who sings Love Beyond Words?")
    assert reply.ephemeral
    fields = [f for f in reply.embed["fields"] if f["name"] != "Beyond your progress"]
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
    for _ in range(ASK_COOLDOWN[0]):
        await env.drv.invoke("/ask", question="love")
    slowed = await env.drv.invoke("/ask", question="love")
    assert slowed.ephemeral and re.search(r"again in \d+ seconds \(<t:\d+:R>\)", slowed.content)


@pytest.mark.parametrize("text", CLASSIC_HOSTILE)
async def test_ask_survives_hostile_input(
    env: Env, text: str, discord_errors: pytest.LogCaptureFixture
) -> None:
    reply = await env.drv.invoke("/ask", question=text)
    assert reply.embed is not None or reply.content
    # A crash would be answered with the apology too: what proves none is the log.
    assert not [r for r in discord_errors.records if r.levelno >= logging.ERROR]
    assert GENERIC_APOLOGY not in reply.text()
    assert_no_pings(env)


async def test_sources(env: Env) -> None:
    embed = (await env.drv.invoke("/sources")).embed
    assert len(embed["fields"]) == 5
    review = next(f for f in embed["fields"] if f["name"] == "Soundtrack #1")
    assert "Outlet: Hallyu Reviews" in review["value"] and "Facts supported:" in review["value"]
    assert_no_pings(env)


LATER_EPISODE = re.compile(r"\b(?:episodes?|ep)\s*([2-4])\b", re.IGNORECASE)


def reply_text(reply) -> str:
    """Everything the fan sees except the title, which repeats their question."""
    embed = reply.embed or {}
    parts = [reply.content or "", embed.get("description") or ""]
    parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def bot_problems(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.levelno >= logging.WARNING and r.name.startswith(("bot", "cogs", "discord.app"))
    ]


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        ("who plays gyeol han", "**Park Hoon** plays **Gyeol Han**"),
        ("who is mari", "Park Min-jung"),
        ("what does eun-soo do for a living", "**lyricist**"),
        ("who sings love beyond words", "**Kyuhyun**"),
        ("who wrote want to be happy", "**Park Bo-ram**"),
        ("what songs are on the ost", "**Your Tender Heart Hurts Me**"),
        ("who directed it", "**Kim Hee-won**"),
        ("who wrote the script", "**Ahn Sae-bom**"),
        ("who made the show", "directed by **Kim Hee-won** and written by **Ahn Sae-bom**"),
        ("how old is park hyung sik", "**Park Hyung-sik** was **30** at the time of “5 Facts"),
        ("who interviewed han so-hee", "interviewed by **Star Today** (translated by Soompi)"),
        ("when did it premiere", "premiered on **Disney+** on <t:1648018800:D>"),
        ("when does episode 2 air", "Episode 2 airs <t:1648623600:F>"),
        ("what day does it air", "Wednesday at 14:00 WIB"),
        ("how many episodes", "**4** episodes"),
        ("where can i stream it", "**Disney+**"),
        ("what is han so-hee's next drama", "Gyeongseong Creature"),
        ("what did park hyung-sik star in before", "Happiness"),
        ("what happens in episode 1", "move in with her"),
        ("how long have they been friends", "**20 years**"),
        ("who are mari and gyeol han", "**Park Hoon**: A mutual friend"),
        ("is it a romcom", "light-hearted romantic drama"),
        ("what movies does eun soo like", "Prefers zombie movies"),
        ("siapa pemeran mari", "**Park Min-jung** plays **Mari**"),  # in Indonesian
        ("mari 누가 연기했어", "**Park Min-jung** plays **Mari**"),  # in Korean
        ("who plays mari? and who sings love beyond words", "is sung by **Kyuhyun**"),
    ],
)
async def test_each_question_form_gets_a_direct_sourced_answer(
    env: Env, question: str, fragment: str
) -> None:
    await env.drv.invoke("/progress", episode=4)
    reply = await env.drv.invoke("/ask", question=question)
    assert reply.ephemeral and not reply.deferred  # answered in the first callback
    description = reply.embed["description"]
    assert fragment in description, description
    assert "\n> " in description and "\n— " in description  # the supporting sentence, cited
    assert reply.embed["footer"]["text"].startswith("Sources: ")
    assert len([f for f in reply.embed["fields"] if f["name"] != "Beyond your progress"]) <= 3


async def test_a_question_no_fact_answers_gets_passages_not_a_profile(env: Env) -> None:
    """ "Who is Seon-woo's mentor": no document names him; Seon-woo's own profile would
    answer another question, so only the passages answer."""
    await env.drv.invoke("/progress", episode=4)
    reply = await env.drv.invoke("/ask", question="who is seon woo's mentor")
    assert "Park Hyung-sik" not in (reply.embed.get("description") or "")
    assert "work with his **mentor**" in reply_text(reply)  # the one passage that says so


async def test_of_two_questions_the_one_beyond_progress_is_said_not_shown(env: Env) -> None:
    reply = await env.drv.invoke(
        "/ask", question="who plays mari and what happens in the last episode"
    )
    text = reply_text(reply)
    assert "**Park Min-jung** plays **Mari**" in text
    assert "The rest of what you asked is beyond how far you've watched." in text
    assert ENDING not in text and not LATER_EPISODE.search(text)


async def test_documents_that_disagree_are_named(env: Env) -> None:
    reply = await env.drv.invoke("/ask", question="how long have seon woo and eun soo been friends")
    assert "Sources differ" in reply.embed["description"]
    assert "nearly twenty years" in reply.embed["description"]


async def test_a_follow_up_refers_to_the_last_question(env: Env) -> None:
    await env.drv.invoke("/ask", question="who is kyuhyun")
    reply = await env.drv.invoke("/ask", question="what group is he in")
    assert "**Super Junior**" in reply.embed["description"]
    other = await env.drv.invoke("/ask", question="what group is he in", user=env.world.bob)
    assert "Super Junior" not in (other.embed.get("description") or "")


@pytest.mark.parametrize("question", ["do they kiss", "kiss", "how does it end", "jennifer"])
async def test_no_hint_names_a_later_episode(env: Env, question: str) -> None:
    await env.drv.invoke("/progress", episode=1)
    reply = await env.drv.invoke("/ask", question=question)
    text = reply_text(reply)
    assert not LATER_EPISODE.search(text), text
    assert "only kiss" not in text and "happily in love" not in text and "||" not in text


async def test_beyond_progress_is_counted_not_placed(env: Env) -> None:
    await env.drv.invoke("/progress", episode=1)
    reply = await env.drv.invoke("/ask", question="kiss")
    beyond = next(f for f in reply.embed["fields"] if f["name"] == "Beyond your progress")
    assert re.match(r"\d+ more match(es are| is) beyond how far you've watched", beyond["value"])
    await env.drv.invoke("/progress", episode=0)
    hidden = await env.drv.invoke("/ask", question="who is jennifer")
    assert "beyond how far you've watched" in hidden.embed["description"]
    assert not LATER_EPISODE.search(reply_text(hidden))


async def test_a_safe_answer_ranked_below_spoilers_is_shown_at_episode_1(env: Env) -> None:
    await env.drv.invoke("/progress", episode=1)
    reply = await env.drv.invoke("/ask", question="what language audio does Disney+ default to")
    assert "dubbed English" in reply_text(reply)
    mari = await env.drv.invoke("/ask", question="who is mari")
    assert "Park Min-jung" in mari.embed["description"]


async def test_shared_answers_tag_story_details(env: Env) -> None:
    await env.drv.invoke("/progress", episode=4)
    shared = await env.drv.invoke("/ask", question="who is jennifer", share=True)
    assert not shared.ephemeral
    assert "Ep 1 spoiler: ||" in shared.embed["description"]
    casting = await env.drv.invoke("/ask", question="who plays mari", share=True)
    answer, quote = casting.embed["description"].split("\n\n", 1)
    assert "||" not in answer  # casting is never a spoiler
    assert quote.startswith("Ep 2 spoiler: ||")  # the sentence it comes from tells more


async def test_a_cited_sentence_beyond_progress_is_not_quoted(env: Env) -> None:
    reply = await env.drv.invoke("/ask", question="who plays mari")  # progress 0
    assert "**Park Min-jung** plays **Mari**" in reply.embed["description"]
    assert "scumbags" not in reply_text(reply)


@pytest.mark.parametrize(
    "question",
    [
        *CLASSIC_HOSTILE,
        "who plays **Mari** `code` ~~x~~ > quote",
        "who plays mari @everyone <@123> <@&456> <#789>",
        '"who" NEAR(plays mari) OR text: AND',
        "who plays mari " + "x" * 5980,
    ],
)
async def test_hostile_input_is_answered_normally(
    env: Env, discord_errors: pytest.LogCaptureFixture, question: str
) -> None:
    reply = await env.drv.invoke("/ask", question=question)
    assert reply.ephemeral and reply.embed is not None
    assert GENERIC_APOLOGY not in reply_text(reply)
    assert not bot_problems(discord_errors)
    assert len(reply.embed["title"]) <= 256
    for record in env.emu.requests:
        body = record.json if isinstance(record.json, dict) else {}
        data = body.get("data", body) if isinstance(body.get("data"), dict) else body
        if "embeds" in data:
            assert data.get("allowed_mentions") == {"parse": []}
    if question.startswith("who plays mari"):
        assert "Park Min-jung" in reply.embed["description"]


async def test_the_cooldown_lets_a_conversation_flow(env: Env) -> None:
    for n in range(ASK_COOLDOWN[0]):
        reply = await env.drv.invoke("/ask", question=f"who plays mari {n}")
        assert reply.embed is not None
    slowed = await env.drv.invoke("/ask", question="who plays mari")
    assert slowed.ephemeral
    assert re.search(r"again in \d+ seconds \(<t:\d+:R>\)", slowed.content)
    other = await env.drv.invoke("/ask", question="who plays mari", user=env.world.bob)
    assert other.embed is not None  # per fan


async def test_slow_work_is_deferred_then_answered(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A store slowed by a busy disk: the answer comes after a "thinking…" acknowledgement.
    store = env.bot.facts
    real = store.search_counted

    async def slow(*args, **kwargs):
        await asyncio.sleep(0.3)
        return await real(*args, **kwargs)

    monkeypatch.setattr(store, "search_counted", slow)
    monkeypatch.setattr(env.bot.get_cog("Ask"), "defer_after", 0.05)
    reply = await env.drv.invoke("/ask", question="who plays mari")
    assert reply.deferred and reply.ephemeral
    assert "**Park Min-jung** plays **Mari**" in reply.embed["description"]
