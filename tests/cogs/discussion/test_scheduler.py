"""The schedule's thread openings with the state on PostgreSQL shared by other processes:
while another process holds a server's schedule lock, this one opens nothing there; once
it is free, the due thread opens, once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from bot.console.world import FanWorld
from bot.facts.pipeline import BuildSummary
from bot.store import StateStore
from discord_emulator import Emulator
from tests.helpers.bot import bot_session, bot_settings
from tests.helpers.clock import FakeClock
from tests.helpers.discussion import discussion

POLL = 0.01  # seconds between the schedule's looks


async def test_a_server_whose_schedule_another_process_holds_waits_for_it(
    built_store: tuple[Path, BuildSummary],
    tmp_path: Path,
    emu: Emulator,
    world: FanWorld,
    database_url: str,
) -> None:
    settings = bot_settings(built_store[0], tmp_path / "state.db", DATABASE_URL=database_url)
    start = datetime(2030, 1, 5, 20, 0, tzinfo=UTC)
    other = await StateStore.connect(database_url, tmp_path / "unused.db")
    try:
        async with bot_session(settings, emu, world, user=world.moderator) as env:
            clock = FakeClock(start - timedelta(days=1))
            discussion(env).clock, discussion(env).poll_interval = clock, POLL
            await env.drv.invoke("/settings discussion", options={"channel": world.general})
            planned = await env.drv.invoke(
                "/discussion rewatch", start=f"{start:%Y-%m-%d %H:%M}", every=3, events=False
            )
            assert "Rewatch scheduled" in planned.content
            async with other.exclusive(f"discussion-schedule:{world.guild.id}") as held:
                assert held
                clock.now = start + timedelta(seconds=1)  # episode 1 is due
                await asyncio.sleep(POLL * 30)
                assert env.drv.threads(parent=world.general) == []
            opened = await emu.world.wait_for_event(
                lambda e: (
                    e.kind == "create"
                    and emu.world.channel(e.channel_id).parent_id == world.general.id
                ),
                timeout=5,
                after=0,
            )
            await asyncio.sleep(POLL * 30)
            assert [t.id for t in env.drv.threads(parent=world.general)] == [opened.channel_id]
    finally:
        await other.close()
    conn = await asyncpg.connect(database_url)
    try:
        runs = await conn.fetch(
            "SELECT episode, outcome FROM discussion_schedule_runs WHERE guild_id = $1",
            world.guild.id,
        )
    finally:
        await conn.close()
    assert [tuple(r) for r in runs] == [(1, "opened")]
