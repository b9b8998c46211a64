"""/discussion open answers in one callback when the thread only needs linking, and says
"thinking…" first only when it must ask Discord (opening or reopening a thread)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.console.world import FanWorld
from bot.facts.pipeline import BuildSummary
from discord_emulator import Emulator
from tests.helpers.bot import Env, bot_session, bot_settings

CHANNEL_MESSAGE, DEFERRED = 4, 5


@pytest.fixture
async def env(
    built_store: tuple[Path, BuildSummary], tmp_path: Path, emu: Emulator, world: FanWorld
) -> AsyncIterator[Env]:
    settings = bot_settings(built_store[0], tmp_path / "state.db")
    async with bot_session(settings, emu, world, user=world.moderator) as session:
        yield session


def linked_thread(text: str) -> int:
    return int(re.search(r"<#(\d+)>", text).group(1))  # type: ignore[union-attr]


async def test_linking_an_open_thread_answers_in_one_callback(env: Env) -> None:
    forum = env.world.episodes
    opened = await env.drv.invoke("/discussion open", episode=2, options={"channel": forum})
    assert opened.callback_type == DEFERRED and opened.content.startswith("Opened <#")
    thread = env.emu.world.channel(linked_thread(opened.content))

    before = len(env.emu.requests)
    again = await env.drv.invoke("/discussion open", episode=2, options={"channel": forum})
    assert again.callback_type == CHANNEL_MESSAGE and again.ephemeral
    assert "already has its thread" in again.content
    assert linked_thread(again.content) == thread.id
    sent = env.emu.requests[before:]
    assert [r.path.rsplit("/", 1)[-1] for r in sent] == ["callback"]  # nothing else

    env.emu.world.update_channel(thread, archived=True)  # reopening needs Discord: defer
    reopened = await env.drv.invoke("/discussion open", episode=2)
    assert reopened.callback_type == DEFERRED and "I reopened it" in reopened.content
    assert not thread.archived


async def test_a_thread_deleted_in_discord_is_opened_again(env: Env) -> None:
    forum = env.world.episodes
    opened = await env.drv.invoke("/discussion open", episode=1, options={"channel": forum})
    env.emu.world.delete_channel(env.emu.world.channel(linked_thread(opened.content)))
    await env.drv.settled()
    again = await env.drv.invoke("/discussion open", episode=1, options={"channel": forum})
    assert again.callback_type == DEFERRED and again.content.startswith("Opened <#")
    assert linked_thread(again.content) != linked_thread(opened.content)
