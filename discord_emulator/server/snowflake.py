"""Realistic Discord snowflakes and timestamps.

A snowflake is ``(ms_since_discord_epoch << 22) | (worker << 17) | (process << 12) | increment``,
so ``discord.utils.snowflake_time`` (and therefore ``created_at``) works on every id the
emulator hands out.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

log = logging.getLogger(__name__)

DISCORD_EPOCH_MS = 1420070400000


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord assigns a guild to: ``(guild_id >> 22) % shard_count``."""
    return (guild_id >> 22) % shard_count


def snowflake_time(snowflake: int) -> dt.datetime:
    """Return the UTC creation time encoded in ``snowflake``."""
    ms = (snowflake >> 22) + DISCORD_EPOCH_MS
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.UTC)


def iso(when: dt.datetime | None = None) -> str:
    """ISO-8601 timestamp in the format Discord uses (``+00:00`` offset, microseconds)."""
    when = when or dt.datetime.now(dt.UTC)
    return when.astimezone(dt.UTC).isoformat(timespec="microseconds")


def iso_from_snowflake(snowflake: int) -> str:
    return iso(snowflake_time(snowflake))


class SnowflakeGenerator:
    """Hands out strictly increasing snowflakes based on the wall clock."""

    def __init__(self, worker_id: int = 1, process_id: int = 0) -> None:
        self._worker = worker_id & 0x1F
        self._process = process_id & 0x1F
        self._last_ms = 0
        self._increment = 0
        self._lock = threading.Lock()

    def next(self) -> int:
        with self._lock:
            now_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
            if now_ms <= self._last_ms:
                # Same (or an earlier) millisecond: keep ids monotonic.
                self._increment += 1
                if self._increment > 0xFFF:
                    self._last_ms += 1
                    self._increment = 0
                now_ms = self._last_ms
            else:
                self._increment = 0
                self._last_ms = now_ms
            return (now_ms << 22) | (self._worker << 17) | (self._process << 12) | self._increment

    def next_on_shard(self, shard_id: int, shard_count: int) -> int:
        """The next snowflake whose guild shard (``shard_of``) is ``shard_id`` of
        ``shard_count``: its millisecond is moved forward by less than ``shard_count``, so
        ids stay increasing and their times within a few milliseconds of now."""
        if not 0 <= shard_id < shard_count:
            raise ValueError(f"shard {shard_id} is not one of {shard_count} shards")
        with self._lock:
            now_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
            ms = max(now_ms, self._last_ms + 1)
            ms += (shard_id - ms) % shard_count
            self._last_ms, self._increment = ms, 0
            return (ms << 22) | (self._worker << 17) | (self._process << 12)

    __call__ = next
