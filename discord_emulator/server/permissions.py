"""Discord permission bits and the permission computation Discord performs.

The algorithm follows Discord's documentation ("Permission Overwrites"): base permissions
from @everyone plus every role of the member, owner and ADMINISTRATOR short-circuit to all
permissions, then channel overwrites are applied in the order @everyone, roles (all denies
then all allows), member. Threads use their parent channel's overwrites.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

log = logging.getLogger(__name__)


class P:
    """Permission bit values (``discord.Permissions`` uses the same numbers)."""

    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    PRIORITY_SPEAKER = 1 << 8
    STREAM = 1 << 9
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    SEND_TTS_MESSAGES = 1 << 12
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    VIEW_GUILD_INSIGHTS = 1 << 19
    CONNECT = 1 << 20
    SPEAK = 1 << 21
    MUTE_MEMBERS = 1 << 22
    DEAFEN_MEMBERS = 1 << 23
    MOVE_MEMBERS = 1 << 24
    USE_VAD = 1 << 25
    CHANGE_NICKNAME = 1 << 26
    MANAGE_NICKNAMES = 1 << 27
    MANAGE_ROLES = 1 << 28
    MANAGE_WEBHOOKS = 1 << 29
    MANAGE_GUILD_EXPRESSIONS = 1 << 30
    USE_APPLICATION_COMMANDS = 1 << 31
    REQUEST_TO_SPEAK = 1 << 32
    MANAGE_EVENTS = 1 << 33
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    CREATE_PRIVATE_THREADS = 1 << 36
    USE_EXTERNAL_STICKERS = 1 << 37
    SEND_MESSAGES_IN_THREADS = 1 << 38
    USE_EMBEDDED_ACTIVITIES = 1 << 39
    MODERATE_MEMBERS = 1 << 40
    VIEW_CREATOR_MONETIZATION_ANALYTICS = 1 << 41
    USE_SOUNDBOARD = 1 << 42
    CREATE_GUILD_EXPRESSIONS = 1 << 43
    CREATE_EVENTS = 1 << 44
    USE_EXTERNAL_SOUNDS = 1 << 45
    SEND_VOICE_MESSAGES = 1 << 46
    SET_VOICE_CHANNEL_STATUS = 1 << 48
    SEND_POLLS = 1 << 49
    USE_EXTERNAL_APPS = 1 << 50
    PIN_MESSAGES = 1 << 51
    BYPASS_SLOWMODE = 1 << 52

    #: Every defined permission (bit 47 is unused).
    ALL = ((1 << 53) - 1) & ~(1 << 47)


#: Permissions that only mean something inside a channel (lost without VIEW_CHANNEL).
ALL_CHANNEL = (
    P.CREATE_INSTANT_INVITE
    | P.MANAGE_CHANNELS
    | P.ADD_REACTIONS
    | P.PRIORITY_SPEAKER
    | P.STREAM
    | P.VIEW_CHANNEL
    | P.SEND_MESSAGES
    | P.SEND_TTS_MESSAGES
    | P.MANAGE_MESSAGES
    | P.EMBED_LINKS
    | P.ATTACH_FILES
    | P.READ_MESSAGE_HISTORY
    | P.MENTION_EVERYONE
    | P.USE_EXTERNAL_EMOJIS
    | P.CONNECT
    | P.SPEAK
    | P.MUTE_MEMBERS
    | P.DEAFEN_MEMBERS
    | P.MOVE_MEMBERS
    | P.USE_VAD
    | P.MANAGE_ROLES
    | P.MANAGE_WEBHOOKS
    | P.USE_APPLICATION_COMMANDS
    | P.REQUEST_TO_SPEAK
    | P.MANAGE_THREADS
    | P.CREATE_PUBLIC_THREADS
    | P.CREATE_PRIVATE_THREADS
    | P.USE_EXTERNAL_STICKERS
    | P.SEND_MESSAGES_IN_THREADS
    | P.USE_EMBEDDED_ACTIVITIES
    | P.USE_SOUNDBOARD
    | P.USE_EXTERNAL_SOUNDS
    | P.SEND_VOICE_MESSAGES
    | P.SEND_POLLS
    | P.USE_EXTERNAL_APPS
    | P.PIN_MESSAGES
    | P.BYPASS_SLOWMODE
)

#: Voice-only permissions (meaningless in text channels).
VOICE = (
    P.PRIORITY_SPEAKER
    | P.STREAM
    | P.CONNECT
    | P.SPEAK
    | P.MUTE_MEMBERS
    | P.DEAFEN_MEMBERS
    | P.MOVE_MEMBERS
    | P.USE_VAD
    | P.USE_EMBEDDED_ACTIVITIES
    | P.USE_SOUNDBOARD
    | P.USE_EXTERNAL_SOUNDS
    | P.SET_VOICE_CHANNEL_STATUS
)


#: What a fresh guild's @everyone role gets (roughly Discord's defaults).
EVERYONE_DEFAULT = (
    P.CREATE_INSTANT_INVITE
    | P.ADD_REACTIONS
    | P.STREAM
    | P.VIEW_CHANNEL
    | P.SEND_MESSAGES
    | P.EMBED_LINKS
    | P.ATTACH_FILES
    | P.READ_MESSAGE_HISTORY
    | P.MENTION_EVERYONE
    | P.USE_EXTERNAL_EMOJIS
    | P.CONNECT
    | P.SPEAK
    | P.USE_VAD
    | P.CHANGE_NICKNAME
    | P.USE_APPLICATION_COMMANDS
    | P.REQUEST_TO_SPEAK
    | P.CREATE_PUBLIC_THREADS
    | P.CREATE_PRIVATE_THREADS
    | P.USE_EXTERNAL_STICKERS
    | P.SEND_MESSAGES_IN_THREADS
    | P.USE_EMBEDDED_ACTIVITIES
    | P.USE_SOUNDBOARD
    | P.USE_EXTERNAL_SOUNDS
    | P.SEND_VOICE_MESSAGES
    | P.SEND_POLLS
    | P.USE_EXTERNAL_APPS
)

#: The usual non-admin permissions a content bot is invited with.
BOT_DEFAULT = (
    P.VIEW_CHANNEL
    | P.SEND_MESSAGES
    | P.SEND_MESSAGES_IN_THREADS
    | P.CREATE_PUBLIC_THREADS
    | P.MANAGE_THREADS
    | P.EMBED_LINKS
    | P.READ_MESSAGE_HISTORY
    | P.ADD_REACTIONS
    | P.MANAGE_MESSAGES
)

MODERATOR_DEFAULT = P.MANAGE_GUILD | P.MANAGE_THREADS | P.MANAGE_MESSAGES

#: Permissions Discord reports for a bot inside a DM (no guild roles involved).
DM_PERMISSIONS = (
    P.ADD_REACTIONS
    | P.VIEW_CHANNEL
    | P.SEND_MESSAGES
    | P.SEND_TTS_MESSAGES
    | P.EMBED_LINKS
    | P.ATTACH_FILES
    | P.READ_MESSAGE_HISTORY
    | P.MENTION_EVERYONE
    | P.USE_EXTERNAL_EMOJIS
    | P.USE_APPLICATION_COMMANDS
    | P.USE_EXTERNAL_STICKERS
    | P.SEND_VOICE_MESSAGES
    | P.SEND_POLLS
    | P.USE_EXTERNAL_APPS
)

# Permissions that are meaningless without the right to send (mirrors Discord clients).
_SEND_DEPENDENT = P.SEND_TTS_MESSAGES | P.MENTION_EVERYONE | P.EMBED_LINKS | P.ATTACH_FILES


@dataclass(frozen=True)
class OverwriteData:
    """One permission overwrite: ``type`` 0 = role, 1 = member."""

    id: int
    type: int
    allow: int
    deny: int


def base_permissions(
    *,
    user_id: int,
    owner_id: int,
    everyone_permissions: int,
    role_permissions: Iterable[int],
) -> int:
    if user_id == owner_id:
        return P.ALL
    perms = everyone_permissions
    for value in role_permissions:
        perms |= value
    if perms & P.ADMINISTRATOR:
        return P.ALL
    return perms


def apply_overwrites(
    base: int,
    *,
    guild_id: int,
    user_id: int,
    role_ids: Iterable[int],
    overwrites: Iterable[OverwriteData],
    kind: str = "text",
) -> int:
    """Apply a channel's overwrites to ``base`` (already computed guild-level permissions).

    ``kind`` is ``"text"`` (text, announcement, forum, media), ``"thread"``, ``"voice"`` or
    ``"other"``; the implicit rules afterwards match Discord's clients (and discord.py's
    ``permissions_for``): no send -> no embeds/files/TTS/@everyone, no view -> no channel
    permissions, no voice permissions in text channels (threads keep them, as in discord.py),
    no connect -> no voice permissions.
    """
    perms = base
    if base & P.ADMINISTRATOR:
        # Owners and administrators ignore overwrites; the implicit rules below still apply.
        overwrites = ()
    by_id = {(o.type, o.id): o for o in overwrites}
    everyone = by_id.get((0, guild_id))
    if everyone is not None:
        perms = (perms & ~everyone.deny) | everyone.allow
    allow = deny = 0
    for role_id in role_ids:
        ow = by_id.get((0, role_id))
        if ow is not None:
            allow |= ow.allow
            deny |= ow.deny
    perms = (perms & ~deny) | allow
    member_ow = by_id.get((1, user_id))
    if member_ow is not None:
        perms = (perms & ~member_ow.deny) | member_ow.allow
    send = P.SEND_MESSAGES_IN_THREADS if kind == "thread" else P.SEND_MESSAGES
    if kind != "other" and not perms & send:
        perms &= ~_SEND_DEPENDENT
    if not perms & P.VIEW_CHANNEL:
        perms &= ~ALL_CHANNEL
    if kind == "text":
        perms &= ~VOICE
    elif kind == "voice" and not perms & P.CONNECT:
        perms &= ~(VOICE | P.MANAGE_CHANNELS | P.MANAGE_ROLES)
    return perms


def names(value: int) -> list[str]:
    """Human-readable names of the bits set in ``value`` (for error messages)."""
    return [
        name
        for name, bit in vars(P).items()
        if name.isupper() and name != "ALL" and isinstance(bit, int) and value & bit == bit
    ]
