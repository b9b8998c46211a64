"""Episode options are bounded by the store's episodes when the command runs."""

from __future__ import annotations

import pytest

from discord_emulator import OptionError
from tests.helpers.bot import Env


async def test_the_last_episode_comes_from_the_store(env: Env) -> None:
    last = env.bot.facts.episode_count
    assert last == len(await env.bot.facts.episodes()) == 4
    done = await env.drv.invoke("/progress", episode=last)
    assert f"all {last} episodes" in done.content
    for command, option in [("/progress", "episode"), ("/episode", "number")]:
        past = await env.drv.invoke(command, **{option: last + 1})
        assert past.ephemeral and "Pick an episode from" in past.content
    assert await env.bot.state.stored_progress(env.world.alice.id) == last  # unchanged


async def test_below_the_first_is_refused_by_discord_itself(env: Env) -> None:
    with pytest.raises(OptionError):
        await env.drv.invoke("/episode", number=0)
