"""/discussion: one thread per episode per server, opened by hand or on a schedule.

The cog only routes: ThreadKeeper opens, finds and labels threads; Scheduler is the
background task that opens them at their time; _text builds every message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discussion_channels import discussion_target, require_member_manage_threads
from bot.episodes import EpisodeOption
from bot.errors import UserFacingError
from bot.i18n import ENGLISH, N_, Where, t
from bot.reply_text import timestamp
from bot.respond import send
from bot.store.discussions import Schedule
from cogs.discussion._events import EventPlanner
from cogs.discussion._schedule import (
    START_FORMATS,
    due_times,
    missed,
    parse_start,
    pending,
    upcoming,
)
from cogs.discussion._scheduler import Scheduler
from cogs.discussion._text import (
    due_lines,
    existing_reply,
    list_embed,
    opened_reply,
    schedule_line,
)
from cogs.discussion._threads import ThreadKeeper

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

__all__ = ["Discussion"]

log = logging.getLogger(__name__)

POLL_INTERVAL = 30.0  # seconds between looks at the schedule (it also wakes on changes)


def utc_now() -> datetime:
    return datetime.now(UTC)


# Discord honours default permissions on the top-level group only; each subcommand that
# changes something also checks at run time (server admins can re-grant the group).
@app_commands.guild_only()
@app_commands.default_permissions(manage_threads=True)
class Discussion(commands.GroupCog, group_name="discussion"):
    """Episode discussion threads."""

    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot
        self._clock: Callable[[], datetime] = utc_now
        self._poll_interval = POLL_INTERVAL
        self.keeper = ThreadKeeper(bot)
        self.events = EventPlanner(bot)
        self.scheduler = Scheduler(
            bot, self.keeper, clock=lambda: self._clock(), interval=lambda: self._poll_interval
        )
        super().__init__()

    # The schedule's clock (aware UTC) and poll interval are settable, e.g. to a fake clock
    # in tests; setting either makes the schedule look again at once.
    @property
    def clock(self) -> Callable[[], datetime]:
        return self._clock

    @clock.setter
    def clock(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self.scheduler.wake()

    @property
    def poll_interval(self) -> float:
        return self._poll_interval

    @poll_interval.setter
    def poll_interval(self, seconds: float) -> None:
        self._poll_interval = seconds
        self.scheduler.wake()

    async def cog_load(self) -> None:
        self.scheduler.start()

    async def cog_unload(self) -> None:
        await self.scheduler.stop()

    @commands.Cog.listener()
    async def on_episode_thread_opened(
        self, guild: discord.Guild, episode: int, thread: discord.Thread
    ) -> None:
        """A thread opened (or a rewatch reached it): its rating poll, if it has none."""
        await self.keeper.polls.post(guild, episode, thread)

    @commands.Cog.listener()
    async def on_raw_thread_delete(self, payload: discord.RawThreadDeleteEvent) -> None:
        await self.keeper.forget(self.bot.get_guild(payload.guild_id), payload.thread_id)

    # -- helpers ----------------------------------------------------------------------
    @staticmethod
    def _guild_and_member(
        interaction: discord.Interaction,
    ) -> tuple[discord.Guild, discord.Member]:
        guild, member = interaction.guild, interaction.user
        if guild is None or not isinstance(member, discord.Member):
            raise UserFacingError(N_("This command only works in a server."))
        return guild, member

    async def _usable_channel(self, guild: discord.Guild, member: discord.Member) -> int:
        """The configured discussion channel, checked for the member and the bot."""
        channel_id = await self.bot.state.discussions.channel(guild.id)
        if channel_id is None:
            raise UserFacingError(
                N_(
                    "Set a discussion channel first: `/settings discussion channel:` (needs "
                    "Manage Server)."
                )
            )
        target = discussion_target(guild, channel_id)
        require_member_manage_threads(member, target.channel)
        return channel_id

    # -- commands -----------------------------------------------------------------------
    @app_commands.command(name="open")
    @app_commands.describe(
        episode="Which episode (1 is the first)",
        channel="Text or forum channel for a new thread (default: the server's discussion channel)",
    )
    @app_commands.checks.has_permissions(manage_threads=True)
    async def open(
        self,
        interaction: discord.Interaction,
        episode: EpisodeOption,
        channel: app_commands.AppCommandChannel | None = None,
    ) -> None:
        """Open an episode's discussion thread, or link the one it already has."""
        guild, member = self._guild_and_member(interaction)
        channel_id = (
            channel.id
            if channel is not None
            else await self.bot.state.discussions.channel(guild.id)
        )
        if channel_id is not None:
            where = guild.get_channel(channel_id)
            if where is not None:
                require_member_manage_threads(member, where)
        # A thread that only needs linking is answered in the one callback; opening or
        # reopening one takes requests to Discord, so only then "thinking…" first.
        outcome = await self.keeper.linkable(guild, episode)
        if outcome is None:
            await interaction.response.defer(ephemeral=True, thinking=True)
            outcome = await self.keeper.open(guild, episode, channel_id, opened_by=member.id)
        if outcome.created:
            text = opened_reply(outcome.thread.id, episode, outcome.notes, interaction)
        else:
            text = existing_reply(
                outcome.thread.id, episode, outcome.reopened, outcome.notes, interaction
            )
        await send(interaction, share=False, content=text)

    @app_commands.command(name="list")
    @app_commands.checks.has_permissions(manage_threads=True)
    async def list_threads(self, interaction: discord.Interaction) -> None:
        """This server's discussion threads by episode, and the schedule."""
        # Fans find the same links in /episodes and in every thread's starter.
        guild, _ = self._guild_and_member(interaction)
        records = self.bot.state.discussions
        episodes = await self.bot.facts.episodes()
        schedule = await records.schedule(guild.id)
        coming = upcoming(due_times(episodes, schedule), schedule, self.clock()) if schedule else []
        embed = list_embed(
            [e.number for e in episodes],
            await records.threads(guild.id),
            await records.channel(guild.id),
            schedule,
            coming,
            await records.runs(guild.id),
            interaction,
        )
        await send(interaction, share=False, embed=embed)

    @app_commands.command(name="schedule")
    @app_commands.describe(
        enable="On: open each thread at its episode's air time (or the rewatch's). Off: stop."
    )
    @app_commands.checks.has_permissions(manage_threads=True)
    async def schedule(self, interaction: discord.Interaction, enable: bool) -> None:
        """Open each episode's thread by itself at its time."""
        guild, member = self._guild_and_member(interaction)
        records = self.bot.state.discussions
        now = self.clock()
        if not enable:
            await records.set_schedule(guild.id, enabled=False, since=now)
            self.scheduler.wake()
            notes = await self._sync_events(interaction, guild, [], None, now)
            text = t(
                interaction,
                "The schedule is off (and any rewatch forgotten): threads open only "
                "with `/discussion open`.",
            )
            await send(interaction, share=False, content="\n".join([text, *notes]))
            return
        channel_id = await self._usable_channel(guild, member)
        current = await records.schedule(guild.id)
        if current is not None and current.enabled:
            note = t(interaction, "The schedule was already on.")
        else:
            await records.set_schedule(guild.id, enabled=True, since=now)
            current = await records.schedule(guild.id)
            note = t(
                interaction, "The schedule is on: threads open in <#{channel}>.", channel=channel_id
            )
            # The original air times are long past: a rewatch's events have no place here.
            extra = await self._sync_events(interaction, guild, [], channel_id, now)
            note = "\n".join([note, *extra])
        assert current is not None
        self.scheduler.wake()
        await send(
            interaction, share=False, content=await self._summary(current, now, note, interaction)
        )

    @app_commands.command(name="rewatch")
    @app_commands.describe(
        start="When episode 1's thread opens: YYYY-MM-DD or YYYY-MM-DD HH:MM (UTC)",
        every="Days between episodes (1-30, default 7)",
        events="Also list each episode as a Discord server event (default on; needs Manage Events)",
    )
    @app_commands.checks.has_permissions(manage_threads=True)
    async def rewatch(
        self,
        interaction: discord.Interaction,
        start: app_commands.Range[str, 1, 40],
        every: app_commands.Range[int, 1, 30] = 7,
        events: bool = True,
    ) -> None:
        """Schedule a rewatch: a thread opens every few days from a start you choose."""
        guild, member = self._guild_and_member(interaction)
        try:
            first = parse_start(start)
        except ValueError:
            raise UserFacingError(
                N_("I couldn't read {start} as a date. Use {formats}."),
                start=repr(start[:40]),
                formats=START_FORMATS,
            ) from None
        now = self.clock()
        episodes = await self.bot.facts.episodes()
        last = first + timedelta(days=every * (max(e.number for e in episodes) - 1))
        if last < now:
            raise UserFacingError(
                N_(
                    "That rewatch would already be over (the last episode at {last}); "
                    "pick a later start."
                ),
                last=timestamp(last, "f"),
            )
        channel_id = await self._usable_channel(guild, member)
        records = self.bot.state.discussions
        await records.set_schedule(
            guild.id, enabled=True, since=first, rewatch_start=first, rewatch_every_days=every
        )
        current = await records.schedule(guild.id)
        assert current is not None
        self.scheduler.wake()
        wanted = due_times(episodes, current) if events else []
        extra = await self._sync_events(interaction, guild, wanted, channel_id, now)
        scheduled = t(
            interaction, "Rewatch scheduled: threads open in <#{channel}>.", channel=channel_id
        )
        note = "\n".join([scheduled, *extra])
        await send(
            interaction, share=False, content=await self._summary(current, now, note, interaction)
        )

    async def _sync_events(
        self,
        interaction: discord.Interaction,
        guild: discord.Guild,
        wanted: list[tuple[int, datetime]],
        channel_id: int | None,
        now: datetime,
    ) -> list[str]:
        """The rewatch's server events brought in line; deferred first when there is work
        (a few Discord calls)."""
        if (wanted or await self.bot.state.community.events(guild.id)) and not (
            interaction.response.is_done()
        ):
            await interaction.response.defer(ephemeral=True, thinking=True)
        return await self.events.sync(guild, wanted, channel_id, now, interaction)

    async def _summary(
        self, schedule: Schedule, now: datetime, note: str, where: Where = ENGLISH
    ) -> str:
        episodes = await self.bot.facts.episodes()
        times = due_times(episodes, schedule)
        runs = await self.bot.state.discussions.runs(schedule.guild_id)
        done = [(r.episode, r.due) for r in runs]
        lines = [note, schedule_line(schedule, where)]
        due_now = pending(times, schedule, now, done)
        if due_now:
            names = ", ".join(str(n) for n, _ in due_now)
            lines.append(
                t(where, "Due already, opening now: episode(s) {episodes}.", episodes=names)
            )
        coming = upcoming(times, schedule, now)
        if coming:
            lines += [t(where, "Coming up:"), *due_lines(coming, where)]
        gone = missed(times, schedule)
        if gone:
            names = ", ".join(str(n) for n, _ in gone)
            lines.append(
                t(
                    where,
                    "Already aired before the schedule was on, so not opened by it: "
                    "episode(s) {episodes}. Use `/discussion open` for those.",
                    episodes=names,
                )
            )
        return "\n".join(lines)


async def setup(bot: SoundtrackBot) -> None:
    await bot.add_cog(Discussion(bot))
