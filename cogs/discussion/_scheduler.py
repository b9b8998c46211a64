"""The background task that opens each episode's thread at its time.

Everything it needs is in the state database (the schedule, and every due time already
handled), so a restart resumes where it stopped: times missed while the bot was down are
opened late, never twice. The clock and the poll interval come from the cog, so tests run
it on a fake clock without waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.errors import UserFacingError
from bot.store.discussions import Schedule
from cogs.discussion._schedule import due_times, pending, seconds_until
from cogs.discussion._text import scheduled_note
from cogs.discussion._threads import ThreadKeeper

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(
        self,
        bot: SoundtrackBot,
        keeper: ThreadKeeper,
        clock: Callable[[], datetime],
        interval: Callable[[], float],
    ) -> None:
        self.bot = bot
        self.keeper = keeper
        self._clock = clock
        self._interval = interval
        self._wake = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._run(), name="discussion-schedule")
        self.task.add_done_callback(_log_crash)

    async def stop(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    def wake(self) -> None:
        """Look at the schedule now (it changed), not at the next poll."""
        self._wake.set()

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while True:
            self._wake.clear()
            try:
                wait = await self.tick()
            except Exception:
                log.exception("Discussion schedule check failed; trying again later")
                wait = self._interval()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=max(wait, 0.0))

    async def tick(self) -> float:
        """Open whatever is due; returns the seconds until the next look."""
        now = self._clock()
        episodes = await self.bot.facts.episodes()
        wait = self._interval()
        for schedule in await self.bot.state.discussions.enabled_schedules():
            times = due_times(episodes, schedule)
            runs = await self.bot.state.discussions.runs(schedule.guild_id)
            done = [(r.episode, r.due) for r in runs]
            for number, due in pending(times, schedule, now, done):
                await self._open(schedule, number, due)
            until = seconds_until(times, now)
            if until is not None:
                wait = min(wait, until)
        # Rating polls end on their own clock: collect the ended ones, wake for the next.
        until_poll = await self.keeper.polls.tick(now, retry=wait)
        if until_poll is not None:
            wait = min(wait, until_poll)
        return wait

    async def _open(self, schedule: Schedule, episode: int, due: datetime) -> None:
        records = self.bot.state.discussions
        guild = self.bot.get_guild(schedule.guild_id)
        if guild is None:
            log.debug("Not in guild %s: episode %s waits", schedule.guild_id, episode)
            return
        channel_id = await records.channel(guild.id)
        try:
            outcome = await self.keeper.open(
                guild, episode, channel_id, opened_by=None, scheduled_due=due
            )
        except UserFacingError as error:
            log.warning(
                "Scheduled thread for episode %s in guild %s failed: %s",
                episode,
                guild.id,
                error.message,
            )
            await records.record_run(guild.id, episode, due, "failed", error.message)
            return
        except discord.DiscordServerError:
            log.warning(
                "Discord failed opening episode %s in guild %s; retrying", episode, guild.id
            )
            return
        except discord.HTTPException as error:
            log.warning("Scheduled thread for episode %s in guild %s: %s", episode, guild.id, error)
            await records.record_run(
                guild.id, episode, due, "failed", f"Discord said: {error.text}"
            )
            return
        if outcome.created:
            return  # the run was recorded with the thread
        # The thread was opened earlier by hand (or for the first watch): say it's time.
        if await records.record_run(guild.id, episode, due, "existing"):
            rewatch = schedule.rewatch_start is not None
            try:
                await outcome.thread.send(scheduled_note(episode, rewatch, guild))
            except discord.HTTPException:
                log.warning(
                    "Could not announce episode %s in thread %s", episode, outcome.thread.id
                )
            else:
                self.bot.dispatch("episode_thread_opened", guild, episode, outcome.thread)


def _log_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("The discussion schedule stopped", exc_info=task.exception())
