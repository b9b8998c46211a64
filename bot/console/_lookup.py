"""The playground's world, with the same ids on every run, and lookups by typed name.

The playground keeps its state database between runs, and that state is keyed by Discord
ids (progress per user, scores per user and server). The emulator mints ids from the wall
clock, so the pretend server, users and channels are created from a fixed clock instead:
alice is the same alice tomorrow. Ids minted later (messages, threads) use the real clock
and so are always newer.
"""

from __future__ import annotations

from typing import Any

from bot.console.parse import CHANNEL, MENTIONABLE, ROLE, USER, ParseError
from bot.console.world import FanWorld, fan_world
from discord_emulator import (
    Channel,
    ChannelType,
    Emulator,
    Role,
    SnowflakeGenerator,
    User,
    World,
)

# 2022-03-23 00:00 UTC (the premiere), in milliseconds since the Discord epoch.
_PLAYGROUND_EPOCH_MS = 1647993600000 - 1420070400000


class StableSnowflakes(SnowflakeGenerator):
    """Snowflakes from a fixed starting millisecond, one per call, in order."""

    def __init__(self) -> None:
        super().__init__()
        self._count = 0

    def next(self) -> int:
        self._count += 1
        return ((_PLAYGROUND_EPOCH_MS + self._count) << 22) | (1 << 17)

    __call__ = next


def stable_world(emu: Emulator, episode_count: int) -> FanWorld:
    """The fan world ("Soundtrack Fans", owner, moderator, alice, bob) with fixed ids."""
    clock = emu.world.snowflakes
    emu.world.snowflakes = StableSnowflakes()
    try:
        return fan_world(emu, episode_count)
    finally:
        emu.world.snowflakes = clock


def _key(text: str) -> str:
    """Names compare without case, a leading # or @, and with spaces the same as hyphens."""
    return text.strip().lstrip("#@").strip().lower().replace("-", " ").replace("_", " ")


def _mention_id(raw: str) -> int | None:
    text = raw.strip()
    for prefix in ("<@&", "<@!", "<@", "<#"):
        if text.startswith(prefix) and text.endswith(">") and text[len(prefix) : -1].isdigit():
            return int(text[len(prefix) : -1])
    return int(text.lstrip("#@")) if text.lstrip("#@").isdigit() else None


class Lookup:
    """Find pretend users, channels (threads too) and roles from what someone typed."""

    def __init__(self, world: World, handles: FanWorld) -> None:
        self.world, self.handles = world, handles
        self.user_aliases = {
            "owner": handles.owner,
            "moderator": handles.moderator,
            "mod": handles.moderator,
        }

    def player_names(self) -> str:
        return ", ".join(f"{alias} ({u.username})" for alias, u in self._named_players())

    def _named_players(self) -> list[tuple[str, User]]:
        h = self.handles
        return [("owner", h.owner), ("moderator", h.moderator), ("alice", h.alice), ("bob", h.bob)]

    def user(self, raw: str) -> User | None:
        ident = _mention_id(raw)
        if ident is not None:
            return self.world.users.get(ident)
        key = _key(raw)
        if key in self.user_aliases:
            return self.user_aliases[key]
        for u in self.world.users.values():
            if key in (_key(u.username), _key(u.global_name or "")):
                return u
        return None

    def channels(self) -> list[Channel]:
        guild = self.handles.guild
        return [
            c
            for c in self.world.channels.values()
            if c.guild_id == guild.id and not c.deleted and c.type != ChannelType.GUILD_CATEGORY
        ]

    def channel(self, raw: str) -> Channel | None:
        ident = _mention_id(raw)
        found = self.channels()
        if ident is not None:
            return next((c for c in found if c.id == ident), None)
        key = _key(raw)
        exact = [c for c in found if _key(c.name) == key]
        starting = [c for c in found if _key(c.name).startswith(key)]
        containing = [c for c in found if key and key in _key(c.name)]
        matches = exact or starting or containing
        return matches[0] if matches else None

    def role(self, raw: str) -> Role | None:
        ident = _mention_id(raw)
        roles = self.handles.guild.roles
        if ident is not None:
            return roles.get(ident)
        key = _key(raw)
        if key in ("everyone", "@everyone"):
            return roles.get(self.handles.guild.id)
        return next((r for r in roles.values() if _key(r.name) == key), None)

    def resolve(self, kind: int, raw: str) -> Any:
        """For the parser: the user, channel or role an option value names."""
        if kind == CHANNEL:
            channel = self.channel(raw)
            if channel is None:
                names = ", ".join("#" + c.name for c in self.channels())
                raise ParseError(f"no channel {raw!r}; channels: {names}")
            return channel
        if kind in (ROLE, MENTIONABLE):
            role = self.role(raw)
            if role is not None and (kind == ROLE or self.user(raw) is None):
                return role
            if kind == ROLE:
                raise ParseError(f"no role {raw!r}")
        if kind in (USER, MENTIONABLE):
            user = self.user(raw)
            if user is not None:
                return user
        raise ParseError(f"no user {raw!r}; users: {self.player_names()}")
