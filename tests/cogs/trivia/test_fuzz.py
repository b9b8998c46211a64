"""Hostile text in every trivia form: the typed answer and the question form. Every
submission is answered, nothing fails, nothing pings, and no invalid question is kept."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cogs.trivia._session import Timings
from tests.hardening.test_fuzz import assert_no_pings_and_within_limits, hostile_text
from tests.helpers.bot import Env
from tests.helpers.trivia import next_question, trivia

FIELDS = (
    "Question",
    "Right answer (other spellings after |)",
    "Three wrong answers, one a line",
    "Category",
    "episode",  # by custom id: its label and length follow the store's episodes
)
LIMITS = {FIELDS[0]: 300, FIELDS[1]: 200, FIELDS[2]: 242, FIELDS[3]: 32}
VALID = ["Which one?", "A", "B\nC\nD", "fan", "0"]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=hostile_text, field=st.sampled_from(FIELDS))
async def test_hostile_question_forms(
    env: Env, caplog: pytest.LogCaptureFixture, text: str, field: str
) -> None:
    caplog.set_level(logging.ERROR)
    values = dict(zip(FIELDS, VALID, strict=True))
    # What Discord enforces before the bot sees it: the field's length, and required.
    limit = LIMITS.get(field, len(str(env.bot.facts.episode_count)))
    values[field] = text[:limit] or "x"
    opened = await env.drv.invoke("/trivia add", user=env.world.moderator)
    reply = await env.drv.submit_modal(opened, values, user=env.world.moderator)
    assert reply.ephemeral and reply.content
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    for q in await env.bot.state.custom_questions.questions(env.world.guild.id):
        assert "@everyone" not in q.question and "<@" not in q.answer
        assert len(q.question) <= 300 and len({q.answer, *q.wrong}) == 4
    assert_no_pings_and_within_limits(env)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=st.lists(hostile_text, min_size=1, max_size=4))
async def test_hostile_typed_answers(
    env: Env, caplog: pytest.LogCaptureFixture, texts: list[str]
) -> None:
    caplog.set_level(logging.ERROR)
    cog = trivia(env)
    cog.timings = Timings(seconds_factor=3.0, pause=0.0)  # one 60 s question
    if not cog.sessions:
        await env.drv.invoke("/trivia start", rounds=1, mode="typed", user=env.world.owner)
    q = await next_question(env)
    for text in texts:
        player = env.emu.world.create_user("typist")
        env.emu.world.add_member(env.world.guild, player)
        opened = await env.drv.click(q, "Answer", user=player)
        reply = await env.drv.submit_modal(opened, {"Your answer": text[:100] or "x"}, user=player)
        assert reply.ephemeral and len(reply.content) <= 2000
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert_no_pings_and_within_limits(env)
