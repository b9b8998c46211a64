"""The real bot, unmodified, against the loopback Discord emulator, with the real store."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app import SoundtrackBot, create_bot
from bot.facts.pipeline import BuildSummary
from bot.settings import Settings, load_settings
from emulator import DefaultWorld, Driver, Emulator, User, running_bot


@dataclass
class Env:
    bot: SoundtrackBot
    emu: Emulator
    drv: Driver
    world: DefaultWorld


def bot_settings(facts_db: Path, state_db: Path, **extra: str) -> Settings:
    return load_settings(
        environ={"FACTS_DB": str(facts_db), "STATE_DB": str(state_db), **extra},
        env_file=state_db.parent / "no.env",
    )


@contextlib.asynccontextmanager
async def bot_session(
    settings: Settings, emu: Emulator, world: DefaultWorld, user: User | None = None
) -> AsyncIterator[Env]:
    """A fresh bot on `emu`, commands synced, acting as `user` (alice) in #general. Several
    sessions in a row on one emulator and state file are a restart."""
    bot = create_bot(settings)
    async with running_bot(bot, emu) as (emu, drv):
        await bot.tree.sync()
        drv.use(user=user or world.alice, channel=world.general)
        yield Env(bot, emu, drv, world)


@pytest.fixture
async def env(built_store: tuple[Path, BuildSummary], tmp_path: Path) -> AsyncIterator[Env]:
    settings = bot_settings(built_store[0], tmp_path / "state.db", OWNER_IDS="1")
    emu = Emulator(heartbeat_interval=5.0)
    world = emu.default_world()
    async with bot_session(settings, emu, world) as session:
        yield session


@pytest.fixture
def discord_errors(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Warnings and errors logged by discord.py or the bot during a test."""
    caplog.set_level(logging.WARNING)
    return caplog
