"""Plain data objects for the emulated Discord world.

These are the "handles" tests get back from the world set-up API. They hold state only;
:mod:`~discord_emulator.server.world` mutates them and
:mod:`~discord_emulator.server.payloads` turns them into JSON.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

log = logging.getLogger(__name__)


class ChannelType(IntEnum):
    GUILD_TEXT = 0
    DM = 1
    GUILD_VOICE = 2
    GROUP_DM = 3
    GUILD_CATEGORY = 4
    GUILD_ANNOUNCEMENT = 5
    ANNOUNCEMENT_THREAD = 10
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12
    GUILD_STAGE_VOICE = 13
    GUILD_FORUM = 15
    GUILD_MEDIA = 16


class MessageType(IntEnum):
    """The message types the emulator produces."""

    DEFAULT = 0
    THREAD_CREATED = 18
    REPLY = 19
    CHAT_INPUT_COMMAND = 20
    THREAD_STARTER_MESSAGE = 21
    CONTEXT_MENU_COMMAND = 23
    POLL_RESULT = 46


THREAD_TYPES = frozenset(
    {ChannelType.ANNOUNCEMENT_THREAD, ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD}
)
FORUM_TYPES = frozenset({ChannelType.GUILD_FORUM, ChannelType.GUILD_MEDIA})


@dataclass(eq=False)
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    avatar: str | None = None
    locale: str = "en-US"

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    @property
    def display_name(self) -> str:
        return self.global_name or self.username


@dataclass(eq=False)
class Role:
    id: int
    guild_id: int
    name: str
    permissions: int
    position: int = 0
    color: int = 0
    hoist: bool = False
    mentionable: bool = False
    managed: bool = False
    bot_id: int | None = None

    @property
    def is_everyone(self) -> bool:
        return self.id == self.guild_id

    @property
    def mention(self) -> str:
        return "@everyone" if self.is_everyone else f"<@&{self.id}>"


@dataclass(eq=False)
class Member:
    user: User
    guild_id: int
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = ""

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def mention(self) -> str:
        return self.user.mention


@dataclass
class Overwrite:
    id: int
    type: int  # 0 = role, 1 = member
    allow: int = 0
    deny: int = 0


@dataclass
class ForumTag:
    id: int
    name: str
    moderated: bool = False
    emoji_name: str | None = None
    emoji_id: int | None = None


@dataclass(eq=False)
class Channel:
    id: int
    type: ChannelType
    name: str
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    nsfw: bool = False
    overwrites: list[Overwrite] = field(default_factory=list)
    rate_limit_per_user: int = 0
    last_message_id: int | None = None
    flags: int = 0
    # forum / media
    available_tags: list[ForumTag] = field(default_factory=list)
    default_auto_archive_duration: int = 1440
    # voice
    bitrate: int = 64000
    user_limit: int = 0
    # DM
    recipient_ids: list[int] = field(default_factory=list)
    # threads
    owner_id: int | None = None
    archived: bool = False
    locked: bool = False
    invitable: bool = True
    auto_archive_duration: int = 1440
    archive_timestamp: str = ""
    create_timestamp: str = ""
    applied_tags: list[int] = field(default_factory=list)
    message_count: int = 0
    total_message_sent: int = 0
    thread_member_ids: list[int] = field(default_factory=list)
    deleted: bool = False

    @property
    def is_thread(self) -> bool:
        return self.type in THREAD_TYPES

    @property
    def is_forum(self) -> bool:
        return self.type in FORUM_TYPES

    @property
    def is_dm(self) -> bool:
        return self.type in (ChannelType.DM, ChannelType.GROUP_DM)

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def tag(self, name: str) -> ForumTag:
        """Return the forum tag called ``name`` (case-insensitive)."""
        for tag in self.available_tags:
            if tag.name.lower() == name.lower():
                return tag
        raise KeyError(f"forum #{self.name} has no tag {name!r}")


@dataclass(eq=False)
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    channel_ids: list[int] = field(default_factory=list)
    preferred_locale: str = "en-US"
    features: list[str] = field(default_factory=list)
    description: str | None = None
    created_at: str = ""

    @property
    def everyone(self) -> Role:
        return self.roles[self.id]


@dataclass(eq=False)
class Message:
    id: int
    channel_id: int
    guild_id: int | None
    author: User
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[dict[str, Any]] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    timestamp: str = ""
    edited_timestamp: str | None = None
    tts: bool = False
    pinned: bool = False
    pinned_at: str | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    message_reference: dict[str, Any] | None = None
    thread_id: int | None = None
    allowed_mentions: dict[str, Any] | None = None
    nonce: str | int | None = None
    poll: dict[str, Any] | None = None
    # emoji key ("name" or "name:id") -> ordered user ids
    reactions: dict[str, list[int]] = field(default_factory=dict)
    deleted: bool = False
    interaction_id: int | None = None

    EPHEMERAL = 1 << 6
    LOADING = 1 << 7

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & self.EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & self.LOADING)

    def clone(self) -> Message:
        return copy.deepcopy(self)


@dataclass(eq=False)
class AppCommand:
    id: int
    application_id: int
    guild_id: int | None
    payload: dict[str, Any]
    version: int

    @property
    def name(self) -> str:
        return str(self.payload["name"])

    @property
    def type(self) -> int:
        return int(self.payload.get("type", 1))
