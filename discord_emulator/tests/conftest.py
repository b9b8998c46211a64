"""Fixtures: a bare discord.py bot on a fresh emulator with the sample world."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import pytest

from discord_emulator import Emulator, running_bot

from .helpers import Env, LogCollector, build_bot, sample_world


@pytest.fixture
def discord_log() -> Iterator[LogCollector]:
    collector = LogCollector()
    logger = logging.getLogger("discord")
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)


@pytest.fixture
async def env(discord_log: LogCollector) -> AsyncIterator[Env]:
    bot = build_bot()
    emu = Emulator(heartbeat_interval=0.5)
    world = sample_world(emu)
    async with running_bot(bot, emu) as (emu, drv):
        await bot.tree.sync()
        drv.use(user=world.alice, channel=world.general)
        yield Env(bot, emu, drv, world, discord_log)
    assert emu.server_errors == []
