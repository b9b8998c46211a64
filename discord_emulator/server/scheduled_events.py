"""Guild scheduled events: the model, Discord's create/edit rules and the payload.

Shapes follow discord.py's ``types/scheduled_event.py``. Rules checked like Discord: a name
of 1-100 characters, a start in the future, ``privacy_level`` 2 (guild only), an EXTERNAL
event (type 3) needs ``entity_metadata.location`` and an end after its start and has no
channel, a VOICE/STAGE event (2/1) needs a voice/stage channel; status moves only
SCHEDULED -> ACTIVE | CANCELED and ACTIVE -> COMPLETED, and a finished event can't be edited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..errors import ApiError
from .models import Channel, ChannelType
from .snowflake import iso

JSON = dict[str, Any]

SCHEDULED, ACTIVE, COMPLETED, CANCELED = 1, 2, 3, 4
STAGE_INSTANCE, VOICE, EXTERNAL = 1, 2, 3
GUILD_ONLY = 2
_MOVES = {SCHEDULED: {SCHEDULED, ACTIVE, CANCELED}, ACTIVE: {ACTIVE, COMPLETED}}


@dataclass(eq=False)
class ScheduledEvent:
    id: int
    guild_id: int
    name: str
    scheduled_start_time: str
    entity_type: int
    creator_id: int
    scheduled_end_time: str | None = None
    channel_id: int | None = None
    location: str | None = None
    description: str | None = None
    privacy_level: int = GUILD_ONLY
    status: int = SCHEDULED
    user_count: int = 0

    @property
    def finished(self) -> bool:
        return self.status in (COMPLETED, CANCELED)


def payload(
    e: ScheduledEvent, *, creator: JSON | None = None, with_user_count: bool = False
) -> JSON:
    data: JSON = {
        "id": str(e.id),
        "guild_id": str(e.guild_id),
        "channel_id": None if e.channel_id is None else str(e.channel_id),
        "creator_id": str(e.creator_id),
        "name": e.name,
        "description": e.description,
        "scheduled_start_time": e.scheduled_start_time,
        "scheduled_end_time": e.scheduled_end_time,
        "privacy_level": e.privacy_level,
        "status": e.status,
        "entity_type": e.entity_type,
        "entity_id": None,
        "entity_metadata": {"location": e.location} if e.entity_type == EXTERNAL else None,
        "image": None,
    }
    if creator is not None:
        data["creator"] = creator
    if with_user_count:
        data["user_count"] = e.user_count
    return data


def _time(body: JSON, key: str) -> dt.datetime | None:
    value = body.get(key)
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ApiError.invalid_form(
            key, "DATE_TIME_TYPE_PARSE", "Invalid ISO8601 timestamp."
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _bad(key: str, message: str) -> ApiError:
    return ApiError.invalid_form(key, "GUILD_SCHEDULED_EVENT_INVALID", message)


def apply(
    event: ScheduledEvent,
    body: JSON,
    channels: dict[int, Channel],
    *,
    creating: bool,
    now: dt.datetime | None = None,
) -> None:
    """Check a create/edit body against ``event`` (its current state) and apply it."""
    now = now or dt.datetime.now(dt.UTC)
    if not creating and event.finished:
        raise ApiError(400, 180000, "Cannot modify a finished event")
    if "name" in body:
        name = str(body["name"] or "")
        if not 1 <= len(name) <= 100:
            raise ApiError.invalid_form(
                "name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
        event.name = name
    if "description" in body:
        description = body["description"]
        if description is not None and len(str(description)) > 1000:
            raise ApiError.invalid_form(
                "description", "BASE_TYPE_BAD_LENGTH", "Must be 1000 or fewer in length."
            )
        event.description = None if description is None else str(description)
    if "privacy_level" in body and body["privacy_level"] != GUILD_ONLY:
        raise _bad("privacy_level", "Value must be one of (2,).")
    if "entity_type" in body:
        if body["entity_type"] not in (STAGE_INSTANCE, VOICE, EXTERNAL):
            raise _bad("entity_type", "Value must be one of (1, 2, 3).")
        event.entity_type = int(body["entity_type"])
    start = _time(body, "scheduled_start_time")
    if start is not None:
        if start <= now:
            raise _bad("scheduled_start_time", "Cannot schedule event in the past.")
        event.scheduled_start_time = iso(start)
    elif creating:
        raise _bad("scheduled_start_time", "This field is required.")
    if "scheduled_end_time" in body:
        end = _time(body, "scheduled_end_time")
        event.scheduled_end_time = None if end is None else iso(end)
    if "channel_id" in body:
        event.channel_id = None if body["channel_id"] is None else int(body["channel_id"])
    metadata = body.get("entity_metadata")
    if isinstance(metadata, dict) and "location" in metadata:
        event.location = str(metadata["location"] or "") or None
    if "status" in body:
        status = int(body["status"])
        if status not in _MOVES.get(event.status, set()):
            raise _bad("status", f"Cannot move an event from status {event.status} to {status}.")
        event.status = status
    _check_entity(event, channels)


def _check_entity(event: ScheduledEvent, channels: dict[int, Channel]) -> None:
    start = dt.datetime.fromisoformat(event.scheduled_start_time)
    end = event.scheduled_end_time
    if end is not None and dt.datetime.fromisoformat(end) <= start:
        raise _bad("scheduled_end_time", "The end must be after the start.")
    if event.entity_type == EXTERNAL:
        if event.channel_id is not None:
            raise _bad("channel_id", "External events have no channel.")
        if not event.location or len(event.location) > 100:
            raise _bad("entity_metadata.location", "Must be between 1 and 100 in length.")
        if event.scheduled_end_time is None:
            raise _bad("scheduled_end_time", "External events need an end time.")
        return
    wanted = (
        ChannelType.GUILD_STAGE_VOICE
        if event.entity_type == STAGE_INSTANCE
        else (ChannelType.GUILD_VOICE)
    )
    channel = channels.get(event.channel_id or 0)
    if channel is None or channel.deleted or channel.type != wanted:
        raise _bad("channel_id", "A voice or stage channel of this guild is required.")
