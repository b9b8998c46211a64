"""Watch-party events: the rewatch as Discord scheduled events, one per episode, kept in step
with the schedule ("Rewatch: Episode 2" at its time, in the thread's channel).

Discord's text channels can't host an event, so each one is an external event whose
location names the discussion channel. Events are optional like forum tags: without
Manage Events the threads still open on time, and the moderator is told why no events
appeared. Only future times get an event (Discord refuses the past); an event whose
episode left the schedule, or whose time moved into the past, is cancelled.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.i18n import Where, t
from cogs.discussion._schedule import Due

if TYPE_CHECKING:
    from bot.app import SoundtrackBot

log = logging.getLogger(__name__)

WATCH_PARTY = timedelta(hours=2)  # how long each event is listed as running
LOCATION_MAX = 100  # Discord's limit for an external event's location


def event_name(episode: int, where: Where) -> str:
    return t(where, "Rewatch: Episode {episode}", episode=episode)


def event_description(episode: int, channel: str, where: Where) -> str:
    return t(
        where,
        "Episode {episode}'s discussion thread opens in {channel} at this time. Spoilers up to "
        "episode {episode} there.",
        episode=episode,
        channel=channel,
    )


def can_manage_events(guild: discord.Guild) -> bool:
    mine = guild.me.guild_permissions
    return mine.manage_events or mine.create_events


class EventPlanner:
    def __init__(self, bot: SoundtrackBot) -> None:
        self.bot = bot

    async def sync(
        self,
        guild: discord.Guild,
        wanted: Sequence[Due],
        channel_id: int | None,
        now: datetime,
        reply_in: Where,
    ) -> list[str]:
        """Create, move or cancel the server's rewatch events so that there is one per
        future time in `wanted`; notes for the moderator (in `reply_in`'s language)."""
        records = self.bot.state.community
        current = await records.events(guild.id)
        future = {n: when for n, when in wanted if when > now}
        if not current and not future:
            return []
        if not can_manage_events(guild):
            return [
                t(
                    reply_in,
                    "I need the Manage Events permission to put the rewatch in the server's "
                    "events; the threads open on time without it.",
                )
            ]
        channel = guild.get_channel(channel_id) if channel_id else None
        location = f"#{channel.name}" if channel is not None else guild.name
        notes: list[str] = []
        made = moved = cancelled = 0
        try:
            for episode, record in current.items():
                if episode in future:
                    continue
                await self._cancel(guild, record.event_id)
                await records.forget_event(guild.id, episode)
                cancelled += 1
            for episode, when in sorted(future.items()):
                fields: dict[str, Any] = {
                    "name": event_name(episode, guild),
                    "description": event_description(episode, location, guild),
                    "start_time": when,
                    "end_time": when + WATCH_PARTY,
                    "location": location[:LOCATION_MAX],
                }
                existing = current.get(episode)
                event = None
                if existing is not None:
                    event = await self._fetch(guild, existing.event_id)
                if event is None:
                    created = await guild.create_scheduled_event(
                        entity_type=discord.EntityType.external,
                        privacy_level=discord.PrivacyLevel.guild_only,
                        reason=f"Rewatch of episode {episode}",
                        **fields,
                    )
                    await records.save_event(guild.id, episode, created.id, when)
                    made += 1
                elif existing is not None and existing.starts_at != when:
                    await event.edit(**fields)
                    await records.save_event(guild.id, episode, event.id, when)
                    moved += 1
        except discord.Forbidden:
            notes.append(
                t(reply_in, "Discord refused to change the server's events: I need Manage Events.")
            )
        except discord.HTTPException as error:
            log.warning("Rewatch events in guild %s: %s", guild.id, error)
            notes.append(t(reply_in, "Discord refused a rewatch event: {error}", error=error.text))
        if made or moved or cancelled:
            notes.insert(
                0,
                t(
                    reply_in,
                    "Server events: {made} created, {moved} moved, {cancelled} cancelled.",
                    made=made,
                    moved=moved,
                    cancelled=cancelled,
                ),
            )
        return notes

    async def _fetch(self, guild: discord.Guild, event_id: int) -> discord.ScheduledEvent | None:
        """The event if it still exists and can still change (not ended or cancelled)."""
        try:
            event = await guild.fetch_scheduled_event(event_id)
        except discord.NotFound:
            return None
        if event.status in (discord.EventStatus.completed, discord.EventStatus.cancelled):
            return None
        return event

    async def _cancel(self, guild: discord.Guild, event_id: int) -> None:
        event = await self._fetch(guild, event_id)
        if event is None:
            return
        if event.status is discord.EventStatus.active:
            await event.end()
        else:
            await event.cancel()
