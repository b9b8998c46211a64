"""Server-written questions end to end: added through the modal by a moderator, checked,
played in a game once the server turns them on, listed, edited and removed."""

from __future__ import annotations

import re

from cogs.trivia._session import Timings
from tests.helpers.bot import Env
from tests.helpers.trivia import closed, final, next_question, trivia

FORM = {
    "Question": "Which snack does our server's mascot like best?",
    "Right answer (other spellings after |)": "Tteokbokki | Ddeokbokki",
    "Three wrong answers, one a line": "Kimbap\nHotteok\nJapchae",
    "Category": "Server lore",
    "episode": "0",  # by custom id: its label names the store's last episode
}


async def add_question(env: Env, **changes: str) -> str:
    opened = await env.drv.invoke("/trivia add", user=env.world.moderator)
    assert opened.modal is not None, opened.content
    saved = await env.drv.submit_modal(opened, {**FORM, **changes}, user=env.world.moderator)
    assert saved.ephemeral
    return saved.content


async def test_the_episode_field_is_bounded_by_the_store(env: Env) -> None:
    last = env.bot.facts.episode_count
    opened = await env.drv.invoke("/trivia add", user=env.world.moderator)
    assert opened.modal is not None
    [field] = [
        c
        for row in opened.modal["components"]
        for c in row["components"]
        if c["custom_id"] == "episode"
    ]
    assert field["label"] == f"Highest episode it spoils (0 = none, 1-{last})"
    assert field["max_length"] == len(str(last))
    past = await add_question(env, episode=str(last + 1))
    assert past.startswith("Not saved:") and f"from 0 (none) to {last}." in past
    assert await env.bot.state.custom_questions.questions(env.world.guild.id) == []
    saved = await add_question(env, episode=str(last))
    assert "Saved as question #1" in saved
    [kept] = await env.bot.state.custom_questions.questions(env.world.guild.id)
    assert kept.spoiler_level == last


async def test_a_custom_question_is_added_played_and_removed(env: Env) -> None:
    world = env.world
    refused = await env.drv.invoke("/trivia add", user=world.alice)
    assert refused.ephemeral and refused.modal is None and "Manage Messages" in refused.content
    bad = await add_question(env, **{"Three wrong answers, one a line": "Kimbap\ntteokbokki\nX"})
    assert bad.startswith("Not saved:") and "different" in bad
    mention = await add_question(env, Question="Who is <@123>?")
    assert "Not saved" in mention and "mention" in mention
    saved = await add_question(env)
    assert "Saved as question #1" in saved and "/trivia custom enable" in saved
    twice = await add_question(env)
    assert "already has a question with that text" in twice

    listed = await env.drv.invoke("/trivia custom list", user=world.moderator)
    assert listed.ephemeral and "Tteokbokki" in listed.embed["description"]
    assert "in games: off" in listed.embed["title"]
    hidden = await env.drv.invoke("/trivia custom list", user=world.alice)
    assert hidden.ephemeral and not hidden.embeds and "Manage Messages" in hidden.content

    on = await env.drv.invoke("/trivia custom enable", enabled=True, user=world.moderator)
    assert "now play alongside" in on.content
    trivia(env).timings = Timings(seconds_factor=0.05, pause=0.01)
    # Six questions take one from each category first: the server's own is always drawn.
    await env.drv.invoke("/trivia start", rounds=6, mode="typed")
    found = None
    for number in range(1, 7):
        q = await next_question(env, number)
        text = re.match(r"\*\*(.+?)\*\*", q.embeds[0]["description"]).group(1)  # type: ignore[union-attr]
        if text != FORM["Question"]:  # someone plays every question, so the game goes on
            opened = await env.drv.click(q, "Answer", user=world.alice)
            await env.drv.submit_modal(opened, {"Your answer": "no idea"}, user=world.alice)
            continue
        if text == FORM["Question"]:
            found = q
            opened = await env.drv.click(q, "Answer", user=world.bob)
            await env.drv.submit_modal(opened, {"Your answer": "ddeokbokki"}, user=world.bob)
            result = await closed(env, q)
            assert f"<@{world.bob.id}> +" in result.embeds[0]["description"]
            assert result.embeds[0]["footer"]["text"] == "Written by this server's moderators"
            assert q.embeds[0]["title"].endswith("· server lore")
            break
    assert found is not None, "the server's question was not played"
    await env.drv.invoke("/trivia stop")
    await final(env)
    rows = await env.bot.state._fetch_all(
        "SELECT question_id FROM trivia_rounds WHERE question_id = 'custom-1'"
    )
    assert rows

    choices = await env.drv.autocomplete(
        "/trivia custom remove", focused="number", value="snack", user=world.moderator
    )
    assert [c["value"] for c in choices] == [1]
    edit = await env.drv.invoke("/trivia custom edit", number=1, user=world.moderator)
    assert edit.modal is not None
    changed = await env.drv.submit_modal(edit, {**FORM, "Category": "Lore"}, user=world.moderator)
    assert "Question #1 updated" in changed.content
    stored = await env.bot.state.custom_questions.get(world.guild.id, 1)
    assert stored is not None and stored.category == "lore" and stored.aliases == ("Ddeokbokki",)

    gone = await env.drv.invoke("/trivia custom remove", number=1, user=world.moderator)
    assert gone.ephemeral and "Question #1 removed" in gone.content
    again = await env.drv.invoke("/trivia custom remove", number=1, user=world.moderator)
    assert again.ephemeral and "no question #1" in again.content
    assert await env.bot.state.custom_questions.questions(world.guild.id) == []
