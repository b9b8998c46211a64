"""Run the bot against Discord until SIGINT/SIGTERM, then close everything in order."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import discord

from bot.app import SoundtrackBot, create_bot, sync_commands
from bot.health import HEARTBEAT_SECONDS, clear_heartbeat, touch_heartbeat
from bot.settings import Settings

log = logging.getLogger(__name__)

NO_TOKEN = (
    "DISCORD_TOKEN is not set: put it in .env (see .env.example), "
    "or try the bot locally with `soundtrack-bot console`."
)


def setup_logging(settings: Settings) -> None:
    discord.utils.setup_logging(level=logging.getLevelNamesMapping()[settings.log_level])


async def _heartbeat(bot: SoundtrackBot, settings: Settings) -> None:
    """Touch the heartbeat file while connected, for `soundtrack-bot health --live`."""
    while True:
        if bot.is_ready() and not bot.is_closed():
            await asyncio.to_thread(touch_heartbeat, settings)
            await asyncio.sleep(HEARTBEAT_SECONDS)
        else:
            await asyncio.sleep(1.0)  # not connected (yet, or again): beat as soon as it is


async def run_bot(settings: Settings, token: str) -> None:
    """Start the gateway; a signal closes the gateway, finishes writes, closes both databases."""
    bot = create_bot(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    handled = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on every platform
            loop.add_signal_handler(sig, stop.set)
            handled.append(sig)
    try:
        async with bot:
            running = asyncio.create_task(bot.start(token))
            stopping = asyncio.create_task(stop.wait())
            beating = asyncio.create_task(_heartbeat(bot, settings))
            done, _ = await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if stopping in done:
                log.info("Signal received: shutting down")
            else:
                stopping.cancel()
            beating.cancel()
            await bot.close()  # gateway first, then cogs stop their work, then both databases
            if running.done():
                running.result()  # re-raise a login failure or crash
            else:
                running.cancel()
    finally:
        for sig in handled:
            loop.remove_signal_handler(sig)
        clear_heartbeat(settings)
    log.info("Stopped cleanly")


async def sync_once(settings: Settings, token: str, guild_id: int | None) -> list[str]:
    """Log in over REST only (no gateway), load the commands, sync them, log out."""
    bot = create_bot(settings)
    async with bot:
        await bot.login(token)  # runs setup_hook, which loads every extension
        return await sync_commands(bot, guild_id)
