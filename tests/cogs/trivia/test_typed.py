"""Typed answers end to end: the Answer button opens a modal, the answer is matched
forgivingly against the store's spellings, hints cost points, and nothing wrong passes."""

from __future__ import annotations

import logging
import re

import pytest

from bot.store.records import Question
from cogs.trivia._scoring import BASE_POINTS, HINT_COST, SPEED_POINTS, points
from cogs.trivia._session import Timings
from discord_emulator import Reply
from tests.helpers.bot import Env
from tests.helpers.trivia import closed, final, next_question, trivia


def question_text(message: Reply) -> str:
    return re.match(r"\*\*(.+?)\*\*", message.embeds[0]["description"]).group(1)  # type: ignore[union-attr]


async def stored(env: Env, message: Reply) -> Question:
    text = question_text(message)
    found = [q for q in await env.bot.facts.questions() if q.question == text]
    assert found, text
    return found[0]


async def type_answer(env: Env, message: Reply, text: str, user: object) -> str:
    opened = await env.drv.click(message, "Answer", user=user)
    assert opened.modal is not None, opened.content
    submitted = await env.drv.submit_modal(opened, {"Your answer": text}, user=user)
    assert submitted.ephemeral
    return submitted.content


async def test_three_players_type_their_answers(env: Env, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="cogs.trivia._session")
    trivia(env).timings = Timings(seconds_factor=0.25, pause=0.01)  # 5 s questions
    world = env.world
    carol = env.emu.world.create_user("carol")
    env.emu.world.add_member(world.guild, carol)
    start = await env.drv.invoke(
        "/trivia start", rounds=1, mode="typed", category="cast", difficulty="easy"
    )
    assert "answers typed" in start.content
    q = await next_question(env)
    assert [b.label for b in q.buttons()] == ["Answer", "Hint"]
    assert "**A.**" not in q.embeds[0]["description"]  # typed: no options to pick from
    question = await stored(env, q)
    assert question.answer in {"Park Hyung-sik", "Han So-hee"}  # the easy cast questions

    # Alice misspells the answer (a letter short): accepted.
    said = await type_answer(env, q, question.answer[:-1], world.alice)
    assert "Locked in" in said and "correct" not in said.lower()
    # Bob takes a hint, then answers right: the hint costs him points.
    hint = await env.drv.click(q, "Hint", user=world.bob)
    assert hint.ephemeral and "Hint 1:" in hint.content and "actor" in hint.content
    assert question.answer not in hint.content
    second = await env.drv.click(q, "Hint", user=world.bob)
    assert "Hint 2: A related fact: the articles connect them with" in second.content
    third = await env.drv.click(q, "Hint", user=world.bob)
    assert "Hint 3:" in third.content and f"`{question.answer[0]}" in third.content
    fourth = await env.drv.click(q, "Hint", user=world.bob)
    assert "last hint" in fourth.content and "Hint 3:" in fourth.content
    await type_answer(env, q, question.answer.upper(), world.bob)
    # Carol names a similar wrong actor (another "Park", or the wrong option Park Hoon).
    similar = "Park Hoon" if question.answer == "Park Hyung-sik" else "Han Seon-woo"
    await type_answer(env, q, similar, carol)
    again = await env.drv.click(q, "Answer", user=carol)
    assert again.modal is None and "already answered" in again.content

    result = await closed(env, q)
    description = result.embeds[0]["description"]
    assert f"Answer: **{question.answer}**" in description
    assert f"<@{world.alice.id}> +" in description and f"<@{world.bob.id}> +" in description
    assert f"<@{carol.id}>" not in description and "(hint)" in description
    assert all(b.disabled for b in result.buttons())
    await final(env)

    rows = await env.bot.state._fetch_all(
        "SELECT user_id, choice, correct, points, answered_ms, hints FROM trivia_answers"
    )
    by_user = {r[0]: r for r in rows}
    assert by_user[world.alice.id][2] == 1 and by_user[world.alice.id][5] == 0
    assert by_user[carol.id][2] == 0 and by_user[carol.id][3] == 0
    assert by_user[carol.id][1] == similar
    bob = by_user[world.bob.id]
    assert bob[2] == 1 and bob[5] == 3
    # What the same answer at the same moment scores without hints, less three hints (the
    # stored time is cut to whole milliseconds, which can move the speed points by one).
    limit = 20 * 0.25
    assert abs(bob[3] - (points(True, bob[4] / 1000, limit) - 3 * HINT_COST)) <= 1
    assert bob[3] <= BASE_POINTS + SPEED_POINTS - 3 * HINT_COST
    why = [r.getMessage() for r in caplog.records if "accepted for" in r.getMessage()]
    assert any("near spelling" in w for w in why), why
    assert any("rejected" in r.getMessage() and similar in r.getMessage() for r in caplog.records)


async def test_buttons_of_a_typed_question_after_it_closed(env: Env) -> None:
    trivia(env).timings = Timings(seconds_factor=0.05, pause=0.01)
    await env.drv.invoke("/trivia start", rounds=1, mode="typed")
    q = await next_question(env)
    opened = await env.drv.click(q, "Answer")
    await closed(env, q)
    late = await env.drv.submit_modal(opened, {"Your answer": "anything"})
    assert late.ephemeral and late.content == "This question is closed."
    await final(env)


async def test_mixed_mode_alternates(env: Env) -> None:
    trivia(env).timings = Timings(seconds_factor=0.05, pause=0.01)
    await env.drv.invoke("/trivia start", rounds=2, mode="mixed")
    q1 = await next_question(env)
    assert [b.label for b in q1.buttons()] == ["A", "B", "C", "D"]
    clicked = await env.drv.click(q1, "A")
    assert "Locked in" in clicked.content
    q2 = await next_question(env, 2)
    assert [b.label for b in q2.buttons()] == ["Answer", "Hint"]
    await final(env)
