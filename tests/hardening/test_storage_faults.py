"""The state database on a full disk or read-only, at start and mid-game: the bot says so
clearly, keeps serving lookups, and neither loses nor half-writes a finished point."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.console.world import FanWorld
from bot.errors import STORAGE_TROUBLE
from bot.facts.pipeline import BuildSummary
from bot.store import StateStore
from cogs.trivia._session import Timings
from discord_emulator import Emulator
from tests.helpers.bot import Env, bot_session, bot_settings
from tests.helpers.trivia import answer_letter, closed, final, next_question, trivia


@contextlib.contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make files and directories unwritable, for root too (the immutable attribute)."""
    root = os.geteuid() == 0
    modes = {p: p.stat().st_mode for p in paths}
    try:
        for path in paths:
            if not root:
                path.chmod(0o555 if path.is_dir() else 0o444)
                continue
            try:
                subprocess.run(["chattr", "+i", str(path)], check=True, capture_output=True)
            except (OSError, subprocess.CalledProcessError):
                pytest.skip("root cannot make a file read-only on this filesystem")
        yield
    finally:
        for path in paths:
            if root:
                subprocess.run(["chattr", "-i", str(path)], check=False)
            else:
                path.chmod(modes[path])


async def assert_lookups_work(env: Env) -> None:
    cast = await env.drv.invoke("/cast", name="Han So-hee")
    assert cast.embed["title"] == "Han So-hee as Lee Eun-soo"
    assert (await env.drv.invoke("/progress")).content.startswith("You're at")


async def assert_lookups_work_and_writes_say_why(env: Env) -> None:
    await assert_lookups_work(env)
    refused = await env.drv.invoke("/progress", episode=1)
    assert refused.ephemeral and refused.content == STORAGE_TROUBLE
    started = await env.drv.invoke("/trivia start", rounds=1, user=env.world.bob)
    assert started.ephemeral and started.content == STORAGE_TROUBLE


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
async def test_a_full_disk_at_start(
    built_store: tuple[Path, BuildSummary],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    emu: Emulator,
    world: FanWorld,
) -> None:
    state_db = tmp_path / "state.db"
    state_db.symlink_to("/dev/full")  # every write: "No space left on device"
    async with bot_session(bot_settings(built_store[0], state_db), emu, world) as env:
        assert not env.bot.state.writable
        assert any("cannot be written" in r.getMessage() for r in caplog.records)
        progress = await env.drv.invoke("/progress")
        assert progress.ephemeral and progress.content.startswith("You're at")
        await assert_lookups_work_and_writes_say_why(env)


async def test_a_read_only_state_database_at_start_keeps_what_it_holds(
    built_store: tuple[Path, BuildSummary],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    emu: Emulator,
    world: FanWorld,
) -> None:
    state_dir = tmp_path / "state"
    state_db = state_dir / "state.db"
    earlier = await StateStore.open(state_db)
    await earlier.set_progress(world.alice.id, 3)
    await earlier.close()
    with read_only(state_db, state_dir):
        async with bot_session(bot_settings(built_store[0], state_db), emu, world) as env:
            assert not env.bot.state.writable
            assert any("cannot be written" in r.getMessage() for r in caplog.records)
            progress = await env.drv.invoke("/progress")
            assert "episode 3" in progress.content  # what was saved is still read
            await assert_lookups_work_and_writes_say_why(env)
        assert not [p.name for p in state_dir.iterdir() if p.name != "state.db"]


@pytest.mark.parametrize("fault", ["full", "read-only"])
async def test_storage_failing_mid_game_ends_it_clearly_and_keeps_earlier_points(
    env: Env, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    trivia(env).timings = Timings(seconds_factor=0.15, pause=0.01)  # 3 s questions
    state = env.bot.state
    fans = []
    if fault == "full":
        # One question's answers from 150 players need new pages; the disk has none.
        for n in range(150):
            fan = env.emu.world.create_user(f"fan{n}")
            env.emu.world.add_member(env.world.guild, fan)
            fans.append(fan)
    await env.drv.invoke("/trivia start", rounds=3)
    q1 = await next_question(env)
    await env.drv.click(q1, (await answer_letter(env, q1))[0])
    await closed(env, q1)
    if fault == "full":
        pages = (await state._fetch_one("PRAGMA page_count"))[0]  # type: ignore[index]
        await state._fetch_one(f"PRAGMA max_page_count = {pages}")
    else:
        await state._fetch_one("PRAGMA query_only = ON")  # as if remounted read-only
    q2 = await next_question(env, 2)
    await asyncio.gather(*(env.drv.click(q2, "A", user=fan) for fan in fans))
    await env.drv.click(q2, "B")  # alice last: her answer closes the question
    end = await final(env)
    assert end.embeds[0]["title"] == "Trivia stopped because of an error"
    assert "storage is full or read-only" in end.embeds[0]["description"]
    assert await state.integrity_check() == "ok"
    rows = await state._fetch_all("SELECT round, count(*) FROM trivia_answers GROUP BY round")
    assert [tuple(r) for r in rows] == [(1, 1)]  # round 1 kept, round 2 not half-written
    [row] = await state.trivia.leaderboard(env.world.guild.id)
    assert row.user_id == env.world.alice.id and row.correct == 1
    assert any("state database cannot be written" in r.getMessage() for r in caplog.records)
    if fault == "full":
        await assert_lookups_work(env)  # a small write may still fit in a free page
    else:
        await assert_lookups_work_and_writes_say_why(env)
