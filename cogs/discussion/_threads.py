"""One discussion thread per episode per server: open, find again, reopen, keep the link
table of every starter up to date.

All work for one server takes that server's lock, so that a command and the schedule
opening the same episode at the same moment still make one thread.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import discord

from bot.discussion_channels import Target, discussion_target
from bot.errors import UserFacingError
from bot.i18n import N_, t
from bot.permissions import missing_message
from bot.store.discussions import DiscussionRecords, ThreadRecord
from bot.store.records import Episode
from cogs.discussion._polls import PollKeeper
from cogs.discussion._text import SPOILERS_TAG, episode_tag, starter_text, thread_title

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

log = logging.getLogger(__name__)

MAX_FORUM_TAGS = 20  # Discord's limit per forum


@dataclass(slots=True)
class Outcome:
    thread: discord.Thread
    created: bool
    reopened: bool = False
    notes: list[str] = field(default_factory=list)


class ThreadKeeper:
    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot
        self._locks: dict[int, asyncio.Lock] = {}
        self.polls = PollKeeper(bot, self.refresh_all, self.lock)

    def lock(self, guild_id: int) -> asyncio.Lock:
        return self._locks.setdefault(guild_id, asyncio.Lock())

    @property
    def _store(self) -> DiscussionRecords:
        return self.bot.state.discussions

    # -- opening ------------------------------------------------------------------------
    async def open(
        self,
        guild: discord.Guild,
        episode: int,
        channel_id: int | None,
        *,
        opened_by: int | None,
        scheduled_due: datetime | None = None,
    ) -> Outcome:
        """The episode's thread: the remembered one (reopened if archived), or a new one in
        channel_id. Raises UserFacingError, before creating anything, when it can't."""
        async with self.lock(guild.id):
            record = await self._store.thread(guild.id, episode)
            if record is not None:
                thread = await self._find(guild, record)
                if thread is not None:
                    return await self._existing(guild, record, thread)
                log.info(
                    "Thread %s of episode %s in guild %s is gone",
                    record.thread_id,
                    episode,
                    guild.id,
                )
                await self._store.forget_thread(record.thread_id)
            if channel_id is None:
                raise UserFacingError(
                    N_(
                        "No discussion channel is set for this server: pass `channel:`, or set "
                        "one with `/settings discussion channel:`."
                    )
                )
            target = discussion_target(guild, channel_id)
            outcome = await self._create(guild, episode, target, opened_by, scheduled_due)
            await self._refresh_tables(guild, skip=episode)
            if not await self.polls.can_post(guild, outcome.thread):
                outcome.notes.append(
                    t(
                        guild,
                        "I need the Send Polls permission in the thread to post its rating poll.",
                    )
                )
        # Side effects that the reply need not wait for: the rating poll (the cog) and the
        # opt-in alert (cogs/notify), posted into the new thread.
        self.bot.dispatch("episode_thread_opened", guild, episode, outcome.thread)
        return outcome

    async def linkable(self, guild: discord.Guild, episode: int) -> Outcome | None:
        """The episode's thread when linking it needs no request to Discord (remembered,
        cached, not archived), so the command can answer at once; else None: use open()."""
        record = await self._store.thread(guild.id, episode)
        thread = guild.get_thread(record.thread_id) if record is not None else None
        if thread is None or thread.archived:
            return None
        return Outcome(thread, created=False)

    async def _existing(
        self, guild: discord.Guild, record: ThreadRecord, thread: discord.Thread
    ) -> Outcome:
        outcome = Outcome(thread, created=False)
        if thread.archived:
            if thread.locked and not thread.permissions_for(guild.me).manage_threads:
                raise UserFacingError(
                    f"Episode {record.episode}'s thread <#{thread.id}> is archived and locked. "
                    + missing_message("I", ["manage_threads"], why="to reopen it")
                )
            try:
                outcome.thread = await thread.edit(archived=False)
            except discord.Forbidden:
                raise UserFacingError(
                    f"Episode {record.episode}'s thread <#{thread.id}> is archived and I'm not "
                    "allowed to reopen it. " + missing_message("I", ["manage_threads"], "it")
                ) from None
            outcome.reopened = True
            # Its table may be older than the threads opened since.
            await self._refresh_tables(guild, only=record.episode)
        return outcome

    async def _create(
        self,
        guild: discord.Guild,
        episode: int,
        target: Target,
        opened_by: int | None,
        scheduled_due: datetime | None,
    ) -> Outcome:
        numbers, episodes = await self._episodes()
        if episode not in episodes:
            raise UserFacingError(N_("There is no episode {episode}."), episode=episode)
        recap = await self.bot.facts.facts("episode", str(episode))
        others = {n: t for n, t in (await self._store.thread_ids(guild.id)).items() if n != episode}
        ratings = await self.bot.state.community.ratings(guild.id)
        content = starter_text(episodes[episode], recap, numbers, others, ratings, guild)
        archive = self.bot.settings.thread_auto_archive_minutes
        notes: list[str] = []
        if isinstance(target.channel, discord.ForumChannel):
            tags, notes = await self._forum_tags(target.channel, target.permissions, episode)
            created = await target.channel.create_thread(
                name=thread_title(episode, guild),
                content=content,
                applied_tags=tags,
                auto_archive_duration=archive,
                reason=f"Episode {episode} discussion",
            )
            thread, starter_id = created.thread, created.message.id
        else:
            kind = (
                discord.ChannelType.news_thread
                if target.channel.is_news()
                else discord.ChannelType.public_thread
            )
            thread = await target.channel.create_thread(
                name=thread_title(episode, guild),
                type=kind,
                auto_archive_duration=archive,
                reason=f"Episode {episode} discussion",
            )
            try:
                starter_id = (await thread.send(content)).id
            except BaseException:
                await self._undo(thread)
                raise
        try:
            await self._store.save_thread(
                guild_id=guild.id,
                episode=episode,
                thread_id=thread.id,
                parent_id=target.channel.id,
                starter_message_id=starter_id,
                opened_by=opened_by,
                created_at=thread.created_at or datetime.now(UTC),
                scheduled_due=scheduled_due,
            )
        except BaseException:
            await self._undo(thread)
            raise
        log.info("Opened thread %s for episode %s in guild %s", thread.id, episode, guild.id)
        return Outcome(thread, created=True, notes=notes)

    async def _undo(self, thread: discord.Thread) -> None:
        """Nothing half-created: a thread whose set-up failed is deleted again."""
        try:
            await thread.delete()
        except discord.HTTPException:
            log.warning("Could not delete half-created thread %s", thread.id)

    async def _forum_tags(
        self, forum: discord.ForumChannel, permissions: discord.Permissions, episode: int
    ) -> tuple[list[discord.ForumTag], list[str]]:
        """The forum's "Episode N" and "Spoilers" tags, created when missing and allowed."""
        wanted = [episode_tag(episode), SPOILERS_TAG]
        available = {t.name.casefold(): t for t in forum.available_tags}
        missing = [name for name in wanted if name.casefold() not in available]
        notes: list[str] = []
        if missing:
            quoted = " and ".join(f"“{name}”" for name in missing)
            noun = "tag" if len(missing) == 1 else "tags"
            if not permissions.manage_channels:
                notes.append(
                    f"The forum has no {quoted} {noun}, and "
                    + missing_message(
                        "I", ["manage_channels"], why="to add tags, so I created none"
                    )
                )
            elif len(forum.available_tags) + len(missing) > MAX_FORUM_TAGS:
                notes.append(f"The forum has no {quoted} {noun} and no room for more tags.")
            else:
                new = [discord.ForumTag(name=name) for name in missing]
                edited = await forum.edit(available_tags=[*forum.available_tags, *new])
                tags = edited.available_tags if isinstance(edited, discord.ForumChannel) else []
                available = {t.name.casefold(): t for t in tags}
                notes.append(f"I added the {quoted} {noun} to the forum.")
        chosen = [available[n.casefold()] for n in wanted if n.casefold() in available]
        moderated = [t for t in chosen if t.moderated]
        if moderated and not permissions.manage_threads:
            chosen = [t for t in chosen if not t.moderated]
            names = " and ".join(f"“{t.name}”" for t in moderated)
            notes.append(
                f"Only moderators may apply {names}. "
                + missing_message("I", ["manage_threads"], why="for them")
            )
        if forum.flags.require_tag and not chosen:
            raise UserFacingError(
                f"{forum.mention} requires a tag on every post, and I can't apply "
                f"“{episode_tag(episode)}” or “{SPOILERS_TAG}”. " + (notes[0] if notes else "")
            )
        return chosen, notes

    # -- finding threads again ----------------------------------------------------------
    async def _find(self, guild: discord.Guild, record: ThreadRecord) -> discord.Thread | None:
        """The remembered thread, archived or not; None when it was deleted in Discord."""
        thread = guild.get_thread(record.thread_id)
        if thread is not None:
            return thread
        try:
            channel = await guild.fetch_channel(record.thread_id)
        except discord.NotFound:
            return None
        except discord.Forbidden:
            raise UserFacingError(
                f"Episode {record.episode} has a thread (<#{record.thread_id}>), but I can't see "
                "it any more. " + missing_message("I", ["view_channel"], "its channel")
            ) from None
        return channel if isinstance(channel, discord.Thread) else None

    async def forget(self, guild: discord.Guild | None, thread_id: int) -> None:
        """A thread was deleted in Discord: forget it and take it out of the other tables."""
        forgotten = await self._store.forget_thread(thread_id)
        if forgotten is None or guild is None:
            return
        log.info("Thread %s (episode %s) was deleted", thread_id, forgotten.episode)
        async with self.lock(guild.id):
            await self._refresh_tables(guild)

    # -- the link table -----------------------------------------------------------------
    async def _episodes(self) -> tuple[list[int], dict[int, Episode]]:
        episodes = {e.number: e for e in await self.bot.facts.episodes()}
        return sorted(episodes), episodes

    async def refresh_all(self, guild: discord.Guild) -> None:
        """Every starter's table again (a rating came in)."""
        async with self.lock(guild.id):
            await self._refresh_tables(guild)

    async def _refresh_tables(
        self, guild: discord.Guild, *, skip: int | None = None, only: int | None = None
    ) -> None:
        """Edit every starter's table to link every thread (the new one too)."""
        records = await self._store.threads(guild.id)
        found: list[tuple[ThreadRecord, discord.Thread]] = []
        for record in records:
            try:
                thread = await self._find(guild, record)
            except UserFacingError:
                log.warning("Cannot see thread %s to update its table", record.thread_id)
                continue
            if thread is None:
                await self._store.forget_thread(record.thread_id)
            else:
                found.append((record, thread))
        threads = {record.episode: thread.id for record, thread in found}
        numbers, episodes = await self._episodes()
        ratings = await self.bot.state.community.ratings(guild.id)
        for record, thread in found:
            if record.episode == skip or (only is not None and record.episode != only):
                continue
            recap = await self.bot.facts.facts("episode", str(record.episode))
            content = starter_text(
                episodes[record.episode], recap, numbers, threads, ratings, guild
            )
            await self._edit_starter(guild, record, thread, content)

    async def _edit_starter(
        self, guild: discord.Guild, record: ThreadRecord, thread: discord.Thread, content: str
    ) -> None:
        archived = thread.archived
        try:
            if archived:
                # Discord refuses edits in archived threads: reopen, edit, archive again.
                if thread.locked and not thread.permissions_for(guild.me).manage_threads:
                    log.info("Thread %s is locked; its table stays as it is", thread.id)
                    return
                thread = await thread.edit(archived=False)
            await thread.get_partial_message(record.starter_message_id).edit(content=content)
        except discord.NotFound:
            log.info("Starter of thread %s is gone; its table stays as it is", thread.id)
        except discord.HTTPException:
            log.warning("Could not update the table in thread %s", thread.id, exc_info=True)
        finally:
            if archived and not thread.archived:
                try:
                    await thread.edit(archived=True)
                except discord.HTTPException:
                    log.warning("Could not archive thread %s again", thread.id)
