"""The background task that opens each episode's thread at its time.

Everything it needs is in the state database (the schedule, and every due time already
handled), so a restart resumes where it stopped: times missed while the bot was down are
opened late, never twice. The clock and the poll interval come from the cog, so tests run
it on a fake clock without waiting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from bot.errors import UserFacingError
from bot.store.discussions import Schedule
from bot.ticker import Ticker
from cogs.discussion._schedule import Due, due_times, pending, seconds_until
from cogs.discussion._text import scheduled_note
from cogs.discussion._threads import ThreadKeeper

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

log = logging.getLogger(__name__)


class Scheduler(Ticker):
    name = "discussion-schedule"
    what = "Discussion schedule check"

    def __init__(
        self,
        bot: SoundtrackBot,
        keeper: ThreadKeeper,
        clock: Callable[[], datetime],
        interval: Callable[[], float],
    ) -> None:
        super().__init__(bot, interval)
        self.bot: SoundtrackBot = bot
        self.keeper = keeper
        self._clock = clock

    async def tick(self) -> float:
        """Open whatever is due; returns the seconds until the next look."""
        now = self._clock()
        episodes = await self.bot.facts.episodes()
        wait = self._interval()
        for schedule in await self.bot.state.discussions.enabled_schedules():
            if not self.bot.serves(schedule.guild_id):
                continue  # another process opens that server's threads
            times = due_times(episodes, schedule)
            await self._open_due(schedule, times, now)
            until = seconds_until(times, now)
            if until is not None:
                wait = min(wait, until)
        # Rating polls end on their own clock: collect the ended ones, wake for the next.
        until_poll = await self.keeper.polls.tick(now, retry=wait)
        if until_poll is not None:
            wait = min(wait, until_poll)
        return wait

    async def _open_due(self, schedule: Schedule, times: list[Due], now: datetime) -> None:
        """Open what is due in one server. What is due is read again under the server's
        schedule lock, so two processes that both think they serve it never both open."""
        records = self.bot.state.discussions

        async def due_now() -> list[Due]:
            done = [(r.episode, r.due) for r in await records.runs(schedule.guild_id)]
            return pending(times, schedule, now, done)

        if not await due_now():
            return  # the usual look: nothing due, no lock taken
        async with self.bot.state.exclusive(f"discussion-schedule:{schedule.guild_id}") as mine:
            if not mine:
                log.info("Guild %s's schedule is being run elsewhere", schedule.guild_id)
                return
            for number, due in await due_now():
                await self._open(schedule, number, due)

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
