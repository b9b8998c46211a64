"""A background job that looks at a schedule: once the bot is ready, then again after the
seconds its last look asked for, or at once when woken (the schedule changed).

The discussion schedule and the daily trivia question share it; each says what one look
does in `tick`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from discord.ext import commands

from bot.waits import event_set_within

log = logging.getLogger(__name__)


class Ticker:
    """Subclasses define `tick`; a look that fails is logged and tried again after
    `interval()` seconds."""

    #: The task's name, and what the log says failed.
    name = "ticker"
    what = "Scheduled check"

    def __init__(self, bot: commands.Bot, interval: Callable[[], float]) -> None:
        self.bot = bot
        self._interval = interval
        self._wake = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def tick(self) -> float:
        """Do what is due; the seconds until the next look."""
        raise NotImplementedError

    def start(self) -> None:
        self.task = asyncio.create_task(self._run(), name=self.name)
        self.task.add_done_callback(self._log_crash)

    async def stop(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    def wake(self) -> None:
        """Look now (the schedule changed), not at the next poll."""
        self._wake.set()

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while True:
            self._wake.clear()
            try:
                wait = await self.tick()
            except Exception:
                log.exception("%s failed; trying again later", self.what)
                wait = self._interval()
            await event_set_within(self._wake, wait)

    def _log_crash(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("%s stopped", self.what, exc_info=task.exception())
