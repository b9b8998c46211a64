"""Named seasons end to end: a moderator starts one, games count towards it, ending it
keeps the winner."""

from __future__ import annotations

from cogs.trivia._session import Timings
from tests.helpers.bot import Env
from tests.helpers.trivia import answer_letter, closed, final, next_question, trivia


async def test_a_season_is_started_played_and_ended(env: Env) -> None:
    world = env.world
    trivia(env).timings = Timings(seconds_factor=0.05, pause=0.01)
    # A game before the season: its points do not count for it.
    await env.drv.invoke("/trivia start", rounds=1, user=world.owner)
    early = await next_question(env)
    await env.drv.click(early, (await answer_letter(env, early))[0], user=world.bob)
    await final(env)

    refused = await env.drv.invoke("/trivia season start", name="Winter", user=world.alice)
    assert refused.ephemeral and "Manage Messages" in refused.content
    none = await env.drv.invoke("/trivia season end", user=world.moderator)
    assert none.ephemeral and "No season is running" in none.content
    started = await env.drv.invoke("/trivia season start", name="Winter", user=world.moderator)
    assert not started.ephemeral and "Trivia season **Winter** starts now" in started.content
    twice = await env.drv.invoke("/trivia season start", name="Spring", user=world.moderator)
    assert twice.ephemeral and "**Winter** is still running" in twice.content

    mark = env.drv.cursor()
    await env.drv.invoke("/trivia start", rounds=1)
    q = await env.drv.wait_for_message(
        world.general,
        after=mark,
        timeout=10,
        check=lambda m: bool(m.embeds) and m.embeds[0]["title"].startswith("Question 1/1 ·"),
    )
    right, wrong = await answer_letter(env, q)
    await env.drv.click(q, right, user=world.alice)
    await env.drv.click(q, wrong, user=world.bob)
    await closed(env, q)
    await env.drv.wait_for_message(
        world.general,
        after=mark,
        timeout=10,
        check=lambda m: bool(m.embeds) and m.embeds[0]["title"].startswith("Trivia over"),
    )
    board = await env.drv.invoke("/trivia leaderboard", period="season")
    description = board.embed["description"]
    assert "season Winter" in board.embed["title"]
    assert description.startswith(f"1. <@{world.alice.id}>") and "(0/1 correct)" in description

    ended = await env.drv.invoke("/trivia season end", user=world.moderator)
    assert not ended.ephemeral
    assert f"Season **Winter** is over! 🏆 <@{world.alice.id}> wins it" in ended.content
    listed = await env.drv.invoke("/trivia season list", user=world.bob)
    assert f"🏆 <@{world.alice.id}>" in listed.embed["description"]
    rows = await env.bot.state._fetch_all(
        "SELECT name, winner_id, ended_by FROM trivia_seasons ORDER BY id"
    )
    assert [tuple(r) for r in rows] == [("Winter", world.alice.id, world.moderator.id)]
    no_season = await env.drv.invoke("/trivia leaderboard", period="season")
    assert no_season.ephemeral and "No season is running" in no_season.content
    # The next season starts from nothing.
    await env.drv.invoke("/trivia season start", name="Spring", user=world.moderator)
    empty = await env.drv.invoke("/trivia season end", user=world.moderator)
    assert "Nobody scored, so it has no winner" in empty.content
