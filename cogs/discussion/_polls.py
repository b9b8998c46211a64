"""Each episode's rating poll: a native Discord poll posted when the thread opens, and its
result, kept in the state database, posted into the thread and shown in every table.

The bot asks for no extra intent: it knows when each poll ends (the expiry Discord gave it
is stored) and, once that time has passed, fetches the message and reads the finalized
count. Discord finalizes a moment after the expiry; until then it simply looks again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import discord

from bot.store.community import STARS, EpisodePoll, Rating
from cogs.discussion._text import poll_answers, poll_question, poll_result_text

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

log = logging.getLogger(__name__)

RefreshTables = Callable[[discord.Guild], Awaitable[None]]
GuildLock = Callable[[int], asyncio.Lock]


def count_votes(poll: discord.Poll) -> tuple[int, ...]:
    """Votes per star (1 to 5) from a poll whose answers are the five star labels."""
    labels = poll_answers()
    counts = dict.fromkeys(range(STARS), 0)
    for answer in poll.answers:
        if answer.text in labels:
            counts[labels.index(answer.text)] = answer.vote_count
    return tuple(counts[i] for i in range(STARS))


class PollKeeper:
    def __init__(self, bot: SoundtrackBot, refresh_tables: RefreshTables, lock: GuildLock) -> None:
        self.bot = bot
        self._refresh_tables = refresh_tables
        self._lock = lock  # the server's thread lock: one poll per episode, however raced

    async def can_post(self, guild: discord.Guild, thread: discord.Thread) -> bool:
        """False when polls are on here but the bot may not post one in the thread."""
        if await self.bot.state.community.poll_hours(guild.id) == 0:
            return True
        return thread.permissions_for(guild.me).send_polls

    async def post(self, guild: discord.Guild, episode: int, thread: discord.Thread) -> None:
        """Post the episode's poll into its thread, unless it has had one (or polls are off)."""
        records = self.bot.state.community
        async with self._lock(guild.id):
            hours = await records.poll_hours(guild.id)
            if hours == 0 or await records.poll(guild.id, episode) is not None:
                return
            if not thread.permissions_for(guild.me).send_polls:
                log.info("No Send Polls in thread %s: no rating poll", thread.id)
                return
            poll = discord.Poll(poll_question(episode, guild), duration=timedelta(hours=hours))
            for label in poll_answers():
                poll.add_answer(text=label)
            try:
                message = await thread.send(poll=poll)
            except discord.HTTPException:
                log.warning("Could not post the rating poll in thread %s", thread.id, exc_info=True)
                return
            expires = message.poll.expires_at if message.poll else None
            if expires is None:
                expires = message.created_at + timedelta(hours=hours)
            await records.save_poll(guild.id, episode, thread.id, message.id, expires)
        log.info("Rating poll %s for episode %s in guild %s", message.id, episode, guild.id)

    async def tick(self, now: datetime, retry: float) -> float | None:
        """Collect every poll that has ended; seconds until the next one ends (or retry)."""
        wait: float | None = None
        for poll in await self.bot.state.community.open_polls():
            if not self.bot.serves(poll.guild_id):
                continue  # another process collects that server's polls
            if poll.expires_at > now:
                until = (poll.expires_at - now).total_seconds()
                wait = until if wait is None else min(wait, until)
                continue
            if not await self._collect(poll, now):
                wait = retry if wait is None else min(wait, retry)
        return wait

    async def _collect(self, record: EpisodePoll, now: datetime) -> bool:
        """True when the poll is settled (its result stored, or it is gone)."""
        guild = self.bot.get_guild(record.guild_id)
        if guild is None:
            return False
        records = self.bot.state.community
        try:
            channel = guild.get_thread(record.channel_id) or await guild.fetch_channel(
                record.channel_id
            )
            assert isinstance(channel, discord.Thread)
            message = await channel.fetch_message(record.message_id)
        except discord.NotFound:
            log.info("Rating poll %s is gone before it ended", record.message_id)
            await records.forget_poll(record.message_id)
            return True
        except (discord.HTTPException, AssertionError):
            log.warning("Cannot read rating poll %s yet", record.message_id, exc_info=True)
            return False
        if message.poll is None or not message.poll.is_finalized():
            return False  # Discord is still counting
        rating = Rating(count_votes(message.poll))
        if not await records.finish_poll(record.message_id, rating.votes, now):
            return True
        try:
            await channel.send(poll_result_text(record.episode, rating, guild))
        except discord.HTTPException:
            log.warning("Could not post the rating of episode %s", record.episode)
        await self._refresh_tables(guild)
        return True
