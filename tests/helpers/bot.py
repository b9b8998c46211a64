"""Running the real bot, unmodified, against the loopback Discord emulator."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.app import SoundtrackBot, create_bot
from bot.console.world import FanWorld
from bot.settings import Settings, load_settings
from discord_emulator import Driver, Emulator, RequestRecord, User, running_bot


def new_emulator() -> Emulator:
    """A fresh emulator (not started: `running_bot` starts it); a 5 s heartbeat keeps the
    gateway quiet during a test."""
    return Emulator(heartbeat_interval=5.0)


@dataclass
class Env:
    bot: SoundtrackBot
    emu: Emulator
    drv: Driver
    world: FanWorld


def bot_settings(facts_db: Path, state_db: Path, **extra: str) -> Settings:
    return load_settings(
        environ={"FACTS_DB": str(facts_db), "STATE_DB": str(state_db), **extra},
        env_file=state_db.parent / "no.env",
    )


@contextlib.asynccontextmanager
async def bot_session(
    settings: Settings, emu: Emulator, world: FanWorld, user: User | None = None
) -> AsyncIterator[Env]:
    """A fresh bot on `emu`, commands synced, acting as `user` (alice) in #general. Several
    sessions in a row on one emulator and state file are a restart."""
    bot = create_bot(settings)
    async with running_bot(bot, emu) as (emu, drv):
        await bot.tree.sync()
        drv.use(user=user or world.alice, channel=world.general)
        yield Env(bot, emu, drv, world)


def sent_messages(env: Env) -> Iterator[tuple[RequestRecord, dict[str, Any]]]:
    """Every message body the bot sent: channel and forum posts, replies, followups, edits."""
    for record in env.emu.requests:
        body = record.json if isinstance(record.json, dict) else {}
        for key in ("message", "data"):  # a forum post's starter, an interaction callback's
            if isinstance(body.get(key), dict):
                body = body[key]
        if "content" in body or "embeds" in body:
            yield record, body


def assert_no_pings(env: Env) -> None:
    """Every message the bot sent disabled mentions."""
    for record, body in sent_messages(env):
        assert body.get("allowed_mentions") == {"parse": []}, record
