"""Per-user command cooldowns whose cost does not grow with the number of fans.

discord.py's `app_commands.checks.cooldown` sweeps every bucket on every use: a scan of
each user seen within the window, on every command. Here buckets are kept in order of
last use and only the expired ones at the front are dropped. The buckets are discord.py's
own (`app_commands.Cooldown`) and a refusal raises its `CommandOnCooldown`, so limits and
the error reply are the same.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import discord
from discord import app_commands

T = TypeVar("T")


class Cooldowns:
    """`rate` uses per `per` seconds for each key."""

    def __init__(self, rate: int, per: float) -> None:
        self.rate = rate
        self.per = per
        self._buckets: OrderedDict[int, tuple[float, app_commands.Cooldown]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def use(self, key: int, now: float) -> tuple[app_commands.Cooldown, float | None]:
        """Count one use by `key` at `now` (epoch seconds): its bucket, and how long to wait
        when the use is refused (None when allowed)."""
        while self._buckets:
            oldest, (last_used, _) = next(iter(self._buckets.items()))
            if now <= last_used + self.per:
                break
            del self._buckets[oldest]  # idle for a whole window: it would start afresh
        _, bucket = self._buckets.pop(key, (now, None))
        if bucket is None:
            bucket = app_commands.Cooldown(self.rate, self.per)
        self._buckets[key] = (now, bucket)
        return bucket, bucket.update_rate_limit(now)


def per_user_cooldown(rate: int, per: float) -> Callable[[T], T]:
    """A command check: `rate` uses per `per` seconds for each user."""
    cooldowns = Cooldowns(rate, per)

    def predicate(interaction: discord.Interaction) -> bool:
        bucket, retry_after = cooldowns.use(interaction.user.id, interaction.created_at.timestamp())
        if retry_after is not None:
            raise app_commands.CommandOnCooldown(bucket, retry_after)
        return True

    return app_commands.check(predicate)
