"""Pointing discord.py at the emulator and running a bot against it.

Only two class attributes are changed (and restored): ``discord.http.Route.BASE`` and
``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY``; ``discord.asset.Asset.BASE`` is pointed
at the emulator too, so even avatar downloads cannot leave 127.0.0.1.
"""

# ruff: noqa: ASYNC109  (explicit per-call timeouts are part of the driver API)
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

from .driver.driver import Driver
from .server.emulator import Emulator

if TYPE_CHECKING:
    import discord

log = logging.getLogger(__name__)


@contextlib.contextmanager
def point_discord_at(emu: Emulator | str) -> Iterator[Emulator | str]:
    """Redirect discord.py (this process) to ``emu``, or to the emulator whose
    ``base_url`` is given (one running in another process, serving bots in several);
    the old values are restored on exit."""
    import discord.asset
    import discord.gateway
    import discord.http
    import yarl

    base = emu.base_url if isinstance(emu, Emulator) else emu.rstrip("/")
    route_cls = discord.http.Route
    ws_cls = discord.gateway.DiscordWebSocket
    asset_cls = discord.asset.Asset
    old = (route_cls.BASE, ws_cls.DEFAULT_GATEWAY, asset_cls.BASE)
    route_cls.BASE = f"{base}/api/v10"
    ws_cls.DEFAULT_GATEWAY = yarl.URL(base.replace("http://", "ws://", 1) + "/")
    asset_cls.BASE = f"{base}/cdn"
    try:
        yield emu
    finally:
        route_cls.BASE, ws_cls.DEFAULT_GATEWAY, asset_cls.BASE = old


async def _wait_ready(bot: discord.Client, task: asyncio.Task[None], timeout: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not bot.is_ready():
        if task.done():
            exc = task.exception()
            raise RuntimeError("the bot stopped before it became ready") from exc
        if loop.time() > deadline:
            raise TimeoutError(f"the bot did not become ready within {timeout}s")
        await asyncio.sleep(0.01)


@contextlib.asynccontextmanager
async def running_bot(
    bot: discord.Client,
    emu: Emulator | None = None,
    *,
    token: str = "emulator-token",
    ready_timeout: float = 10.0,
    guild_ready_timeout: float | None = 0.05,
    close_timeout: float = 5.0,
) -> AsyncIterator[tuple[Emulator, Driver]]:
    """Start ``emu`` (a fresh one if ``None``), point discord.py at it, start ``bot``, wait
    until it is ready, and yield ``(emu, driver)``. Everything is torn down on exit.

    ``guild_ready_timeout`` overrides discord.py's 2 s wait for more GUILD_CREATEs before
    ``on_ready`` (set ``None`` to keep the bot's own value).
    """
    emu = emu if emu is not None else Emulator()
    started_here = not emu.started
    if started_here:
        await emu.start()
    try:
        with point_discord_at(emu):
            if guild_ready_timeout is not None:
                bot._connection.guild_ready_timeout = guild_ready_timeout
            task = asyncio.create_task(bot.start(token), name="emulated-bot")
            try:
                await _wait_ready(bot, task, ready_timeout)
                yield emu, Driver(emu)
            finally:
                await bot.close()
                try:
                    await asyncio.wait_for(task, close_timeout)
                except (TimeoutError, asyncio.CancelledError):
                    task.cancel()
                except Exception:
                    log.debug("bot task ended with an exception during teardown", exc_info=True)
    finally:
        if started_here:
            await emu.stop()
