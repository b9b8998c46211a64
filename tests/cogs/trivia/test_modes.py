"""Quickfire, survival and team games end to end, and the end-of-game highlights."""

from __future__ import annotations

import asyncio

from cogs.trivia._session import Timings
from tests.helpers.bot import Env
from tests.helpers.trivia import answer_letter, closed, final, next_question, trivia


async def test_quickfire_the_first_right_answer_takes_the_question(env: Env) -> None:
    trivia(env).timings = Timings(seconds_factor=0.5, pause=0.01)  # 10 s questions
    world = env.world
    start = await env.drv.invoke("/trivia start", rounds=1, play="quickfire")
    assert "quickfire" in start.content
    q = await next_question(env)
    assert "Quickfire" in q.embeds[0]["description"]
    right, wrong = await answer_letter(env, q)
    loop = asyncio.get_running_loop()
    opened = loop.time()
    await env.drv.click(q, wrong, user=world.bob)
    taken = await env.drv.click(q, right, user=world.alice)
    assert "Locked in" in taken.content
    result = await closed(env, q)
    assert loop.time() - opened < 5  # long before the 10 s buzzer
    description = result.embeds[0]["description"]
    assert f"<@{world.alice.id}> +" in description and f"<@{world.bob.id}>" not in description
    end = await final(env)
    assert "Fastest answer: <@" + str(world.alice.id) in end.embeds[0]["description"]
    rows = await env.bot.state._fetch_all("SELECT user_id, correct FROM trivia_answers")
    assert sorted(rows) == sorted([(world.alice.id, 1), (world.bob.id, 0)])
    games = await env.bot.state._fetch_all("SELECT play, mode FROM trivia_games")
    assert list(games[0]) == ["quickfire", "buttons"]


async def test_quickfire_two_right_answers_at_once_only_one_takes_it(env: Env) -> None:
    trivia(env).timings = Timings(seconds_factor=0.5, pause=0.01)
    world = env.world
    await env.drv.invoke("/trivia start", rounds=1, play="quickfire")
    q = await next_question(env)
    right, _ = await answer_letter(env, q)
    replies = await asyncio.gather(
        *(env.drv.click(q, right, user=u) for u in (world.alice, world.bob, world.moderator))
    )
    assert sum("Locked in" in r.content for r in replies) == 1
    assert sum(r.content == "This question is closed." for r in replies) == 2
    await final(env)
    rows = await env.bot.state._fetch_all("SELECT count(*), sum(correct) FROM trivia_answers")
    assert list(rows[0]) == [1, 1]


async def test_survival_a_wrong_answer_ends_your_game(env: Env) -> None:
    trivia(env).timings = Timings(seconds_factor=0.25, pause=0.01)
    world = env.world
    await env.drv.invoke("/trivia start", rounds=5, play="survival")
    q1 = await next_question(env)
    right, wrong = await answer_letter(env, q1)
    await env.drv.click(q1, right, user=world.alice)
    await env.drv.click(q1, wrong, user=world.bob)
    first = await closed(env, q1)
    assert f"Out: <@{world.bob.id}>" in first.embeds[0]["description"]
    q2 = await next_question(env, 2)
    right2, wrong2 = await answer_letter(env, q2)
    refused = await env.drv.click(q2, right2, user=world.bob)
    assert refused.ephemeral and "You're out" in refused.content
    await env.drv.click(q2, wrong2, user=world.alice)
    end = await final(env)
    assert "Everyone is out" in end.embeds[0]["description"]
    rounds = await env.bot.state._fetch_all("SELECT count(*) FROM trivia_rounds")
    assert rounds[0][0] == 2  # the game ended when the last player went out
    status = await env.bot.state._fetch_all("SELECT status, end_reason FROM trivia_games")
    assert list(status[0]) == ["finished", "everyone is out"]


async def test_a_team_game(env: Env) -> None:
    trivia(env).timings = Timings(seconds_factor=0.25, pause=0.01)
    world = env.world
    carol = env.emu.world.create_user("carol")
    env.emu.world.add_member(world.guild, carol)
    start = await env.drv.invoke("/trivia start", rounds=2, teams=2)
    assert "2 teams" in start.content
    assert [b.label for b in start.buttons()] == ["Join Team 1", "Join Team 2"]
    joined = await env.drv.click(start, "Join Team 1", user=world.alice)
    assert joined.ephemeral and "Team 1" in joined.content
    switched = await env.drv.click(start, "Join Team 2", user=world.alice)
    assert "already on **Team 1**" in switched.content
    await env.drv.click(start, "Join Team 2", user=world.bob)
    for number in (1, 2):
        q = await next_question(env, number)
        right, wrong = await answer_letter(env, q)
        await env.drv.click(q, right, user=world.alice)
        await env.drv.click(q, right if number == 2 else wrong, user=world.bob)
        await env.drv.click(q, right, user=carol)  # no team yet: the smaller team (1, tie)
        await closed(env, q)
    end = await final(env)
    description = end.embeds[0]["description"]
    rows = await env.bot.state._fetch_all(
        "SELECT team, sum(points) FROM trivia_answers GROUP BY team ORDER BY team"
    )
    totals = {int(team): int(total) for team, total in rows}
    assert set(totals) == {1, 2}
    assert f"Team 1 — {totals[1]} points" in description
    assert f"Team 2 — {totals[2]} points" in description
    assert "Team 1 wins!" in description  # two players right twice against one right once
    carol_team = await env.bot.state._fetch_all(
        "SELECT DISTINCT team FROM trivia_answers WHERE user_id = ?", (carol.id,)
    )
    assert carol_team == [(1,)]
    assert "Longest streak: <@" in description and "2 right in a row" in description


async def test_typed_quickfire_closes_on_the_first_right_typed_answer(env: Env) -> None:
    trivia(env).timings = Timings(seconds_factor=0.5, pause=0.01)  # 10 s questions
    world = env.world
    await env.drv.invoke(
        "/trivia start",
        rounds=1,
        mode="typed",
        play="quickfire",
        category="cast",
        difficulty="easy",
    )
    q = await next_question(env)
    text = q.embeds[0]["description"].split("**")[1]
    [question] = [x for x in await env.bot.facts.questions() if x.question == text]
    late_box = await env.drv.click(q, "Answer", user=world.moderator)  # opened in time
    wrong_box = await env.drv.click(q, "Answer", user=world.bob)
    await env.drv.submit_modal(wrong_box, {"Your answer": question.wrong[0]}, user=world.bob)
    right_box = await env.drv.click(q, "Answer", user=world.alice)
    taken = await env.drv.submit_modal(
        right_box, {"Your answer": question.answer.lower()}, user=world.alice
    )
    assert "Locked in" in taken.content
    result = await closed(env, q, within=5)
    assert f"<@{world.alice.id}> +" in result.embeds[0]["description"]
    late = await env.drv.submit_modal(
        late_box, {"Your answer": question.answer}, user=world.moderator
    )
    assert late.content == "This question is closed."
    await final(env)
