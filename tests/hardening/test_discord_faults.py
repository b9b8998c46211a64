"""Discord misbehaving, end to end on the emulator: a refused RESUME, a zombie gateway, an
interaction delivered twice, slow and failing routes, a global 429, a permission taken
away mid-operation and a 15-minute token that expired. In every case nothing is lost:
finished trivia points are kept, and every interaction is answered or visibly expired."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.console.world import fan_world
from bot.errors import LOST_PERMISSION
from bot.facts.pipeline import BuildSummary
from cogs.trivia._session import Timings
from discord_emulator import Emulator, InteractionResult, InteractionTimeout, P
from tests.helpers.bot import Env, bot_session, bot_settings
from tests.helpers.trivia import answer_letter, closed, final, next_question, trivia

CALLBACK = "/interactions/{webhook_id}/{webhook_token}/callback"
FOLLOWUP = "/webhooks/{webhook_id}/{webhook_token}"
# The emulator serves @original through the {message_id} route; match it by path.
EDIT_ORIGINAL = re.compile(r"^/webhooks/\d+/[^/]+/messages/@original$")
MESSAGES = "/channels/{channel_id}/messages"
MESSAGE = "/channels/{channel_id}/messages/{message_id}"


def callbacks(env: Env, interaction_id: int) -> list[int | None]:
    """Statuses of every callback the bot sent for one interaction."""
    return [
        r.status
        for r in env.emu.requests_to("POST", CALLBACK)
        if r.path.startswith(f"/interactions/{interaction_id}/")
    ]


def assert_every_interaction_answered(env: Env, *, expired: frozenset[int] = frozenset()) -> None:
    for state in env.emu.interactions.by_id.values():
        if state.id in expired:
            assert not state.acknowledged  # Discord shows the user it failed
        else:
            assert state.acknowledged, state.command_name or state.type


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


# ----------------------------------------------------------------------------- gateway


async def test_a_refused_resume_mid_game_reidentifies_and_the_game_goes_on(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    trivia(env).timings = Timings(seconds_factor=0.25, pause=0.01)  # 5 s questions
    emu = env.emu
    await env.drv.invoke("/trivia start", rounds=2)
    q1 = await next_question(env)
    right, _ = await answer_letter(env, q1)
    assert "Locked in" in (await env.drv.click(q1, right)).content
    mark = len(emu.gateway.lifecycle)
    await emu.drop_gateway(resumable=False)
    # discord.py waits 5 s before a new IDENTIFY; the game carries on over REST meanwhile.
    await emu.gateway.wait_for_lifecycle("resume_refused", after=mark, timeout=10)
    await emu.gateway.wait_for_lifecycle("identify", after=mark, timeout=15)
    await env.drv.settled()
    await closed(env, q1)
    q2 = await next_question(env, 2)
    right, _ = await answer_letter(env, q2)
    assert "Locked in" in (await env.drv.click(q2, right, timeout=10)).content
    end = await final(env, within=20)
    assert end.embeds[0]["title"] == "Trivia over: final scores"
    [row] = await env.bot.state.trivia.leaderboard(env.world.guild.id)
    assert (row.user_id, row.answered, row.correct) == (env.world.alice.id, 2, 2)
    assert emu.gateway.count("identify") == 2 and emu.gateway.count("resume") == 0
    assert_every_interaction_answered(env)
    assert not errors_logged(caplog)


@pytest.fixture
async def quick_heartbeat_env(
    built_store: tuple[Path, BuildSummary], tmp_path: Path
) -> AsyncIterator[Env]:
    """Heartbeats every 0.3 s, and the bot gives a silent gateway 1 s."""
    settings = bot_settings(built_store[0], tmp_path / "state.db", GATEWAY_TIMEOUT="1")
    emu = Emulator(heartbeat_interval=0.3)
    world = fan_world(emu, built_store[1].counts["episodes"])
    async with bot_session(settings, emu, world) as session:
        yield session


async def test_a_zombie_gateway_is_left_and_resumed_by_the_bot_itself(
    quick_heartbeat_env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    env = quick_heartbeat_env
    trivia(env).timings = Timings(seconds_factor=0.2, pause=0.01)  # 4 s questions
    emu = env.emu
    await env.drv.invoke("/trivia start", rounds=1)
    question = await next_question(env)
    mark = len(emu.gateway.lifecycle)
    assert emu.zombie_gateway() == 1
    await emu.gateway.wait_for_lifecycle("resume", after=mark, timeout=5)
    kinds = [e.kind for e in emu.gateway.lifecycle[mark:]]
    assert kinds[:2] == ["zombie", "disconnect"]  # the bot hung up; the emulator did not
    await env.drv.settled()
    right, _ = await answer_letter(env, question)
    assert "Locked in" in (await env.drv.click(question, right)).content
    await final(env)
    [row] = await env.bot.state.trivia.leaderboard(env.world.guild.id)
    assert row.correct == 1
    assert emu.gateway.count("identify") == 1  # resumed, not a new session
    assert not errors_logged(caplog)


# ----------------------------------------------------------------------------- interactions


async def test_the_same_interaction_delivered_twice_is_answered_once_and_scored_once(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    trivia(env).timings = Timings(seconds_factor=0.1, pause=0.01)  # 2 s questions
    await env.drv.invoke("/trivia start", rounds=1)
    question = await next_question(env)
    right, _ = await answer_letter(env, question)
    click = await env.drv.click(question, right)
    env.emu.redeliver(click)
    saved = await env.drv.invoke("/progress", episode=2)
    env.emu.redeliver(saved)
    await env.drv.settled()
    await closed(env, question)
    await final(env)
    assert callbacks(env, click.interaction_id) == [200]
    assert callbacks(env, saved.interaction_id) == [200]
    assert len(env.emu.gateway.events("INTERACTION_CREATE")) == 5  # start, 2 clicks, 2 progress
    [row] = await env.bot.state.trivia.leaderboard(env.world.guild.id)
    assert (row.answered, row.correct) == (1, 1)
    assert not errors_logged(caplog)


async def test_a_slow_acknowledgement_in_time_is_not_answered_twice(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    trivia(env).timings = Timings(seconds_factor=0.15, pause=0.01)
    await env.drv.invoke("/trivia start", rounds=1)
    question = await next_question(env)
    right, _ = await answer_letter(env, question)
    # Discord takes 2.5 s to take the answer's acknowledgement: past the bot's 2 s grace
    # for clicks nobody handles, within Discord's 3 s.
    env.emu.delay(CALLBACK, 2.5, times=1)
    click = await env.drv.click(question, right)
    assert "Locked in" in click.content
    assert callbacks(env, click.interaction_id) == [200]
    await final(env)
    assert not errors_logged(caplog)


async def test_an_acknowledgement_that_arrives_after_3_seconds_is_logged_and_not_retried(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    trivia(env).timings = Timings(seconds_factor=0.1, pause=0.01)
    await env.drv.invoke("/trivia start", rounds=1)
    question = await next_question(env)
    right, _ = await answer_letter(env, question)
    env.emu.delay(CALLBACK, 0.3, times=2)
    for action in (env.drv.click(question, right, timeout=1), env.drv.invoke("/about", timeout=1)):
        task = asyncio.create_task(action)
        await asyncio.sleep(0.1)  # the bot's acknowledgement is on its way, held
        env.emu.advance_clock(3.1)  # so it lands after Discord's 3 s
        with pytest.raises(InteractionTimeout, match="HTTP 404"):
            await task
    late_ids = {
        s.id for s in env.emu.interactions.by_id.values() if s.callback_attempts[:1] == [(404, 4)]
    }
    assert len(late_ids) == 2
    assert all(callbacks(env, i) == [404] for i in late_ids)  # no second try, no "expired"
    gone = [r.getMessage() for r in caplog.records if "could not be answered" in r.getMessage()]
    assert len(gone) == 2
    await final(env)
    [row] = await env.bot.state.trivia.leaderboard(env.world.guild.id)
    assert row.correct == 1  # the answer counted though Discord refused its reply
    assert_every_interaction_answered(env, expired=frozenset(late_ids))
    assert not errors_logged(caplog)


async def open_discussion(env: Env, episode: int) -> InteractionResult:
    """/discussion open in #general: slow work, so it defers and answers in a followup."""
    return await env.drv.invoke(
        "/discussion open",
        episode=episode,
        user=env.world.moderator,
        options={"channel": env.world.general},
    )


async def test_a_slow_followup_still_reaches_the_user(env: Env) -> None:
    env.emu.delay(FOLLOWUP, 1.5, times=1)
    opened = await open_discussion(env, 1)
    assert opened.deferred and opened.ephemeral and "<#" in opened.text()
    assert [r.faults for r in env.emu.requests_to("POST", FOLLOWUP)] == [["delay"]]


# ----------------------------------------------------------------------------- server errors


async def test_5xx_on_callback_followup_and_edit_routes(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    env.emu.server_error(CALLBACK, status=500, times=1)  # retried by discord.py after 1 s
    assert (await env.drv.invoke("/about")).embed["title"] == "About this bot"
    env.emu.server_error(FOLLOWUP, method="POST", status=502, times=1)
    assert "<#" in (await open_discussion(env, 2)).text()
    assert [r.status for r in env.emu.requests_to("POST", FOLLOWUP)] == [502, 200]
    trivia(env).timings = Timings(seconds_factor=0.1, pause=0.01)
    await env.drv.invoke("/trivia start", rounds=2, user=env.world.bob)
    q1 = await next_question(env)
    right, _ = await answer_letter(env, q1)
    await env.drv.click(q1, right)
    # The first result edit fails with a 503 (not retried): the result is posted anew.
    env.emu.server_error(MESSAGE, method="PATCH", status=503, times=1)
    env.emu.server_error(EDIT_ORIGINAL, method="PATCH", status=500, times=1)  # retried
    reposted = await env.drv.wait_for_message(
        env.world.general,
        after=0,
        check=lambda m: bool(m.embeds) and "closed" in m.embeds[0]["title"],
    )
    assert reposted.id != q1.id and reposted.embeds[0]["title"].startswith("Question 1/")
    q2 = await next_question(env, 2)
    await env.drv.click(q2, "A")
    end = await final(env)
    assert end.embeds[0]["title"] == "Trivia over: final scores"
    [row, *_] = await env.bot.state.trivia.leaderboard(env.world.guild.id)
    assert row.user_id == env.world.alice.id and row.answered == 2
    await env.drv.wait_for_message(
        env.world.general, edits=True, after=0, check=lambda m: "has ended" in m.content
    )
    edits = [r.status for r in env.emu.requests_to("PATCH") if EDIT_ORIGINAL.search(r.path)]
    assert edits == [500, 200]
    assert_every_interaction_answered(env)
    assert not errors_logged(caplog)


async def test_a_trivia_start_whose_reply_fails_leaves_nothing_behind(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    env.emu.interactions.ack_deadline = 0.5  # so discord.py's 1 s retry of the 500 is late
    env.emu.server_error(CALLBACK, status=500, times=1)
    with pytest.raises(InteractionTimeout):
        await env.drv.invoke("/trivia start", rounds=1, timeout=2)
    await env.drv.settled()
    env.emu.interactions.ack_deadline = 3.0
    statuses = await env.bot.state._fetch_all("SELECT status FROM trivia_games")
    assert [row[0] for row in statuses] == ["failed"]
    assert not trivia(env).sessions
    assert env.drv.messages(env.world.general) == []
    again = await env.drv.invoke("/trivia start", rounds=1, user=env.world.bob)
    assert again.content.startswith("Trivia starts now")
    assert not errors_logged(caplog)


async def test_a_global_rate_limit_mid_game_is_waited_out(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    trivia(env).timings = Timings(seconds_factor=0.1, pause=0.01)
    await env.drv.invoke("/trivia start", rounds=2)
    q1 = await next_question(env)
    env.emu.global_rate_limit(retry_after=0.2, times=1)
    await env.drv.click(q1, (await answer_letter(env, q1))[0])
    q2 = await next_question(env, 2)
    await env.drv.click(q2, "A")
    await final(env)
    limited = [r for r in env.emu.requests if r.status == 429]
    assert len(limited) == 1 and limited[0].path.startswith("/channels/")
    assert any("Global rate limit has been hit" in r.getMessage() for r in caplog.records)
    [row] = await env.bot.state.trivia.leaderboard(env.world.guild.id)
    assert row.answered == 2
    assert_every_interaction_answered(env)


# ----------------------------------------------------------------------------- permissions


async def test_losing_send_messages_mid_game_tells_the_starter_and_keeps_points(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    trivia(env).timings = Timings(seconds_factor=0.1, pause=0.3)
    start = await env.drv.invoke("/trivia start", rounds=3)
    q1 = await next_question(env)
    await env.drv.click(q1, (await answer_letter(env, q1))[0])
    await closed(env, q1)
    # A moderator takes Send Messages away from the bot before question 2.
    env.emu.world.set_overwrite(env.world.general, env.world.bot_role, deny=P.SEND_MESSAGES)
    told = await start.wait_followup()
    assert told.ephemeral and "couldn't post its final scores" in told.content
    announcement = env.emu.world.find_message(start.message_id)  # type: ignore[arg-type]
    assert announcement.content.startswith("This trivia game has ended (something went wrong)")
    [row] = await env.bot.state.trivia.leaderboard(env.world.guild.id)
    assert row.correct == 1  # question 1's point is kept
    statuses = await env.bot.state._fetch_all("SELECT status FROM trivia_games")
    assert [r[0] for r in statuses] == ["failed"]
    session = trivia(env).sessions.get(env.world.general.id)
    if session is not None:  # the game's task may still be finishing its last requests
        await asyncio.wait_for(session.ended.wait(), timeout=5)
    assert not trivia(env).sessions  # the channel is free again
    assert_every_interaction_answered(env)


async def test_a_thread_the_bot_may_no_longer_post_in_is_not_left_half_made(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    env.drv.use(user=env.world.moderator)
    # Permissions change between the thread's creation and its first message.
    env.emu.forbid(MESSAGES, method="POST", times=1)
    reply = await env.drv.invoke(
        "/discussion open", episode=1, options={"channel": env.world.general}
    )
    assert reply.ephemeral and reply.content == LOST_PERMISSION
    assert env.drv.threads(env.world.general) == []
    assert await env.bot.state.discussions.threads(env.world.guild.id) == []
    assert not errors_logged(caplog)
    again = await env.drv.invoke(
        "/discussion open", episode=1, options={"channel": env.world.general}
    )
    assert len(env.drv.threads(env.world.general)) == 1 and "<#" in again.content
    assert_every_interaction_answered(env)


# ----------------------------------------------------------------------------- tokens


async def test_a_game_that_outlives_its_15_minute_token_closes_its_announcement_anyway(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    trivia(env).timings = Timings(seconds_factor=0.1, pause=0.01)
    start = await env.drv.invoke("/trivia start", rounds=1)
    question = await next_question(env)
    await env.drv.click(question, (await answer_letter(env, question))[0])
    env.emu.advance_clock(15 * 60 + 1)  # the game ran long: the start token is dead
    await final(env)
    await env.drv.wait_for_message(
        env.world.general, edits=True, after=0, check=lambda m: "has ended" in m.content
    )
    expired = [
        r for r in env.emu.requests_to("PATCH") if EDIT_ORIGINAL.search(r.path) and r.status == 401
    ]
    assert len(expired) == 1 and expired[0].response["code"] == 50027
    via_channel = [r for r in env.emu.requests_to("PATCH", MESSAGE) if r.status == 200]
    assert via_channel and via_channel[-1].path.endswith(f"/{start.message_id}")
    announcement = env.emu.world.find_message(start.message_id)  # type: ignore[arg-type]
    assert announcement.content.startswith("This trivia game has ended (every question")
    assert_every_interaction_answered(env)
    assert not errors_logged(caplog)
