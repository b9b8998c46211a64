"""Playing trivia through the driver: find the questions, the results and the right answer."""

from __future__ import annotations

import re

from bot.store import FactStore
from cogs.trivia import Trivia
from cogs.trivia._session import Timings
from discord_emulator import Channel, Driver, Reply
from tests.helpers.bot import Env

FAST = Timings(seconds_factor=0.05, pause=0.01)  # a 20 s question lasts 1 s


def trivia(env: Env) -> Trivia:
    # discord.py re-imports an extension each time a bot loads it, so the class differs
    # from the one imported here: check by name.
    cog = env.bot.get_cog("Trivia")
    assert type(cog).__name__ == "Trivia"
    return cog  # type: ignore[return-value]


def _driver(env: Env | Driver) -> Driver:
    return env if isinstance(env, Driver) else env.drv


async def next_question(
    env: Env | Driver, number: int = 1, channel: Channel | None = None, within: float = 10
) -> Reply:
    """Question `number` of the game in `channel` (the fan world's #general if None and
    `env` is an Env), whenever it was posted."""
    if channel is None:
        assert isinstance(env, Env)
        channel = env.world.general
    return await _driver(env).wait_for_message(
        channel,
        after=0,
        timeout=within,
        check=lambda m: (
            bool(m.embeds)
            and m.embeds[0]["title"].startswith(f"Question {number}/")
            and "closed" not in m.embeds[0]["title"]
        ),
    )


async def closed(env: Env | Driver, question: Reply, within: float = 10) -> Reply:
    return await _driver(env).wait_for_message(
        question.channel_id,
        edits=True,
        after=0,
        timeout=within,
        check=lambda m: m.id == question.id and "closed" in m.embeds[0]["title"],
    )


async def final(env: Env, channel: Channel | None = None, within: float = 15) -> Reply:
    return await env.drv.wait_for_message(
        channel or env.world.general,
        after=0,
        timeout=within,
        check=lambda m: bool(m.embeds) and m.embeds[0]["title"].startswith("Trivia"),
    )


async def answer_letter(env: Env, question: Reply) -> tuple[str, str]:
    """(right letter, a wrong letter) for a question message, from the real store."""
    return await right_and_wrong(env.bot.facts, question)


async def right_and_wrong(facts: FactStore, question: Reply) -> tuple[str, str]:
    """(right letter, a wrong letter) for a question message, from `facts` (for a bot in
    another process: the same store opened here)."""
    description = question.embeds[0]["description"]
    text = re.match(r"\*\*(.+?)\*\*", description).group(1)  # type: ignore[union-attr]
    options = dict(re.findall(r"\*\*([ABCD])\.\*\* (.+)", description))
    stored = [q for q in await facts.questions() if q.question == text]
    assert stored, text
    rights = [letter for letter, option in options.items() if option == stored[0].answer]
    assert rights, (description, stored[0].answer)
    right = rights[0]
    wrong = next(letter for letter in options if letter != right)
    return right, wrong
