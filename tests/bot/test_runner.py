"""`soundtrack-bot run`'s loop: SIGTERM closes the gateway and both databases cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3

from bot.console.world import FanWorld
from bot.runner import run_bot
from bot.settings import Settings
from discord_emulator import Emulator, point_discord_at


async def test_sigterm_shuts_down_cleanly(
    settings: Settings, emu: Emulator, world: FanWorld
) -> None:
    async with emu:
        with point_discord_at(emu):
            running = asyncio.create_task(run_bot(settings, "emulator-token"))
            await emu.gateway.wait_for_lifecycle("identify", timeout=15)
            await asyncio.sleep(0.2)  # READY and GUILD_CREATE on their way
            os.kill(os.getpid(), signal.SIGTERM)
            await asyncio.wait_for(running, timeout=15)
        assert running.exception() is None
        await emu.gateway.wait_for_lifecycle("disconnect", timeout=5)
    # Both databases were closed: WAL checkpointed away, and the file is intact.
    assert not settings.state_db.with_name("state.db-wal").exists()
    with sqlite3.connect(settings.state_db) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
