"""The emulated Discord world: users, guilds, roles, channels, threads and messages.

:class:`World` is synchronous state plus mutations. Every mutation that Discord would announce
on the gateway calls the dispatch hook (wired to
:class:`~discord_emulator.server.gateway.Gateway` by :class:`discord_emulator.Emulator`), so
changing the world "from Discord's side" while a bot is connected produces the same events a
real client would see.
"""

# ruff: noqa: ASYNC109  (explicit per-call timeouts are part of the driver API)
from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import ApiError
from . import payloads, polls, render
from . import scheduled_events as events
from .models import (
    AppCommand,
    Channel,
    ChannelType,
    ForumTag,
    Guild,
    Member,
    Message,
    MessageType,
    Overwrite,
    Role,
    User,
)
from .permissions import (
    BOT_DEFAULT,
    DM_PERMISSIONS,
    EVERYONE_DEFAULT,
    OverwriteData,
    P,
    apply_overwrites,
    base_permissions,
)
from .snowflake import SnowflakeGenerator, iso

log = logging.getLogger(__name__)

JSON = dict[str, Any]
DispatchHook = Callable[[str, JSON, "int | None"], None]
EventKind = Literal["create", "edit", "delete"]

#: Message types (aliases of :class:`discord_emulator.server.models.MessageType`).
MSG_DEFAULT = MessageType.DEFAULT
MSG_THREAD_CREATED = MessageType.THREAD_CREATED
MSG_REPLY = MessageType.REPLY
MSG_CHAT_INPUT_COMMAND = MessageType.CHAT_INPUT_COMMAND
MSG_THREAD_STARTER = MessageType.THREAD_STARTER_MESSAGE
MSG_CONTEXT_MENU_COMMAND = MessageType.CONTEXT_MENU_COMMAND


UserLike = User | Member | int
ChannelLike = Channel | int


@dataclass(frozen=True)
class MessageEvent:
    """One change to a message, in the order the emulator saw it."""

    seq: int
    kind: EventKind
    channel_id: int
    message: Message  # a snapshot taken right after the change
    interaction_id: int | None


def _permission_kind(c: Channel) -> str:
    if c.is_thread:
        return "thread"
    if c.type in (ChannelType.GUILD_VOICE, ChannelType.GUILD_STAGE_VOICE):
        return "voice"
    if c.type == ChannelType.GUILD_CATEGORY:
        return "other"
    return "text"


def _uid(user: UserLike) -> int:
    if isinstance(user, int):
        return user
    return user.id


class World:
    """All emulated Discord state. Create through :class:`discord_emulator.Emulator`."""

    def __init__(self, *, bot_name: str = "Emulated Bot") -> None:
        self.snowflakes = SnowflakeGenerator()
        self.users: dict[int, User] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, dict[int, Message]] = {}
        self.events: list[MessageEvent] = []
        self.commands: dict[int, AppCommand] = {}
        self.poll_states: dict[int, polls.PollState] = {}  # poll message id -> votes
        self.scheduled_events: dict[int, events.ScheduledEvent] = {}
        self._dm_by_user: dict[int, int] = {}
        self._joined_at: dict[int, str] = {}
        self._dispatch_hook: DispatchHook | None = None
        self._waiters: list[
            tuple[Callable[[MessageEvent], bool], asyncio.Future[MessageEvent]]
        ] = []
        self.bot: User = self.create_user(bot_name.replace(" ", ""), global_name=bot_name, bot=True)
        self.application_id: int = self.bot.id
        self.application_name: str = bot_name
        self.app_owner: User = self.create_user("app_developer", global_name="App Developer")
        # GATEWAY_PRESENCE_LIMITED | GATEWAY_GUILD_MEMBERS_LIMITED | GATEWAY_MESSAGE_CONTENT_LIMITED
        # | APPLICATION_COMMAND_BADGE: an unverified bot with every intent toggled on.
        self.application_flags: int = (1 << 13) | (1 << 15) | (1 << 19) | (1 << 23)

    # ------------------------------------------------------------------ plumbing

    def set_dispatch_hook(self, hook: DispatchHook | None) -> None:
        self._dispatch_hook = hook

    def dispatch(self, event: str, data: JSON, guild_id: int | None) -> None:
        if self._dispatch_hook is not None:
            self._dispatch_hook(event, data, guild_id)

    def new_id(self) -> int:
        return self.snowflakes.next()

    # ------------------------------------------------------------------ lookups

    def user(self, user: UserLike) -> User:
        if isinstance(user, User):
            return user
        if isinstance(user, Member):
            return user.user
        try:
            return self.users[user]
        except KeyError:
            raise ApiError.unknown_user() from None

    def guild(self, guild: Guild | int) -> Guild:
        gid = guild if isinstance(guild, int) else guild.id
        try:
            return self.guilds[gid]
        except KeyError:
            raise ApiError.unknown_guild() from None

    def channel(self, channel: ChannelLike) -> Channel:
        cid = channel if isinstance(channel, int) else channel.id
        found = self.channels.get(cid)
        if found is None or found.deleted:
            raise ApiError.unknown_channel()
        return found

    def message(self, channel: ChannelLike, message_id: int) -> Message:
        cid = channel if isinstance(channel, int) else channel.id
        found = self.messages.get(cid, {}).get(message_id)
        if found is None or found.deleted:
            raise ApiError.unknown_message()
        return found

    def find_message(self, message_id: int) -> Message:
        for store in self.messages.values():
            found = store.get(message_id)
            if found is not None and not found.deleted:
                return found
        raise ApiError.unknown_message()

    def member(self, guild: Guild | int, user: UserLike) -> Member:
        g = self.guild(guild)
        try:
            return g.members[_uid(user)]
        except KeyError:
            raise ApiError.unknown_member() from None

    def maybe_member(self, guild_id: int | None, user_id: int) -> Member | None:
        if guild_id is None:
            return None
        g = self.guilds.get(guild_id)
        return None if g is None else g.members.get(user_id)

    def guild_channels(self, guild: Guild | int) -> list[Channel]:
        g = self.guild(guild)
        out = [self.channels[c] for c in g.channel_ids if c in self.channels]
        return [c for c in out if not c.deleted and not c.is_thread]

    def guild_threads(self, guild: Guild | int, *, active_only: bool = True) -> list[Channel]:
        g = self.guild(guild)
        out = [self.channels[c] for c in g.channel_ids if c in self.channels]
        return [
            c for c in out if c.is_thread and not c.deleted and not (active_only and c.archived)
        ]

    def joined_at(self, guild: Guild) -> str:
        """When the bot joined ``guild`` (ISO timestamp)."""
        return self._joined_at.get(guild.id, guild.created_at)

    def bot_member(self, guild: Guild | int) -> Member:
        return self.member(guild, self.bot)

    def bot_role(self, guild: Guild | int) -> Role:
        """The managed role Discord created when the bot joined ``guild``."""
        g = self.guild(guild)
        for r in g.roles.values():
            if r.bot_id == self.bot.id:
                return r
        raise ApiError.unknown_role()

    def channel_messages(
        self, channel: ChannelLike, *, include_ephemeral: bool = False
    ) -> list[Message]:
        cid = channel if isinstance(channel, int) else channel.id
        out = [m for m in self.messages.get(cid, {}).values() if not m.deleted]
        if not include_ephemeral:
            out = [m for m in out if not m.ephemeral]
        return out

    # ------------------------------------------------------------------ permissions

    def base_permissions(self, guild: Guild, user_id: int) -> int:
        m = guild.members.get(user_id)
        roles = [] if m is None else [guild.roles[r] for r in m.roles if r in guild.roles]
        return base_permissions(
            user_id=user_id,
            owner_id=guild.owner_id,
            everyone_permissions=guild.everyone.permissions,
            role_permissions=[r.permissions for r in roles],
        )

    def permissions_for(self, user: UserLike, channel: ChannelLike) -> int:
        """Effective permissions of ``user`` in ``channel`` (threads use the parent's)."""
        c = self.channel(channel)
        uid = _uid(user)
        if c.is_dm:
            return DM_PERMISSIONS
        assert c.guild_id is not None
        g = self.guild(c.guild_id)
        base = self.base_permissions(g, uid)
        target = c
        if c.is_thread and c.parent_id is not None:
            target = self.channels.get(c.parent_id, c)
        # Channels inside a category without own overwrites would sync with it; we model
        # overwrites explicitly per channel, so only the channel's list applies.
        m = g.members.get(uid)
        perms = apply_overwrites(
            base,
            guild_id=g.id,
            user_id=uid,
            role_ids=[] if m is None else m.roles,
            overwrites=[OverwriteData(o.id, o.type, o.allow, o.deny) for o in target.overwrites],
            kind=_permission_kind(c),
        )
        private = c.type == ChannelType.PRIVATE_THREAD
        if private and not perms & P.MANAGE_THREADS and uid not in c.thread_member_ids:
            return 0
        return perms

    def bot_permissions(self, channel: ChannelLike) -> int:
        return self.permissions_for(self.bot, channel)

    def require(self, channel: ChannelLike, needed: int, *, user: UserLike | None = None) -> None:
        """Raise 403 like Discord when ``user`` (default: the bot) lacks ``needed``."""
        perms = self.permissions_for(self.bot if user is None else user, channel)
        if not perms & P.VIEW_CHANNEL:
            raise ApiError.missing_access()
        if perms & needed != needed:
            raise ApiError.missing_permissions()

    # ------------------------------------------------------------------ users & guilds

    def create_user(
        self, username: str, *, global_name: str | None = None, bot: bool = False
    ) -> User:
        u = User(id=self.new_id(), username=username, global_name=global_name, bot=bot)
        self.users[u.id] = u
        return u

    def create_guild(
        self,
        name: str,
        *,
        owner: User,
        everyone_permissions: int = EVERYONE_DEFAULT,
        bot_permissions: int = BOT_DEFAULT,
        locale: str = "en-US",
        add_bot: bool = True,
        shard: tuple[int, int] | None = None,
    ) -> Guild:
        """A new guild; ``shard=(shard_id, shard_count)`` gives it an id that Discord's rule
        ``(guild_id >> 22) % shard_count`` assigns to that shard (ids made in the same
        millisecond would otherwise all land on one shard)."""
        gid = self.new_id() if shard is None else self.snowflakes.next_on_shard(*shard)
        g = Guild(id=gid, name=name, owner_id=owner.id, preferred_locale=locale, created_at=iso())
        g.roles[gid] = Role(
            id=gid, guild_id=gid, name="@everyone", permissions=everyone_permissions
        )
        self.guilds[gid] = g
        self._add_member_silently(g, owner)
        if add_bot:
            self._add_bot(g, bot_permissions)
        return g

    def _add_bot(self, g: Guild, bot_permissions: int) -> None:
        role = Role(
            id=self.new_id(),
            guild_id=g.id,
            name=self.application_name,
            permissions=bot_permissions,
            position=len(g.roles),
            managed=True,
            bot_id=self.bot.id,
        )
        g.roles[role.id] = role
        self._add_member_silently(g, self.bot, roles=[role.id])
        self._joined_at[g.id] = iso()
        self.dispatch("GUILD_CREATE", self.render_guild_create(g), g.id)

    def _add_member_silently(self, g: Guild, user: User, roles: Iterable[int] = ()) -> Member:
        m = Member(user=user, guild_id=g.id, roles=list(roles), joined_at=iso())
        g.members[user.id] = m
        return m

    def add_member(
        self, guild: Guild, user: User, *, roles: Iterable[Role] = (), nick: str | None = None
    ) -> Member:
        g = self.guild(guild)
        m = self._add_member_silently(g, user, [r.id for r in roles])
        m.nick = nick
        data = payloads.member(m)
        data["guild_id"] = str(g.id)
        self.dispatch("GUILD_MEMBER_ADD", data, g.id)
        return m

    def remove_member(self, guild: Guild, user: User) -> None:
        """The user leaves (or is kicked from) ``guild``; announces GUILD_MEMBER_REMOVE."""
        g = self.guild(guild)
        g.members.pop(user.id, None)
        data = {"guild_id": str(g.id), "user": payloads.user(user)}
        self.dispatch("GUILD_MEMBER_REMOVE", data, g.id)

    def set_member_roles(self, member: Member, roles: Iterable[Role]) -> Member:
        member.roles = [r.id for r in roles]
        data = payloads.member(member)
        data["guild_id"] = str(member.guild_id)
        self.dispatch("GUILD_MEMBER_UPDATE", data, member.guild_id)
        return member

    def create_role(
        self,
        guild: Guild,
        name: str,
        *,
        permissions: int = 0,
        color: int = 0,
        hoist: bool = False,
        mentionable: bool = False,
        position: int | None = None,
    ) -> Role:
        """A new role, on top (default) or at ``position`` (others move up, like Discord puts
        roles a bot creates at position 1)."""
        g = self.guild(guild)
        if position is not None:
            for other in g.roles.values():
                if other.id != g.id and other.position >= position:
                    other.position += 1
        r = Role(
            id=self.new_id(),
            guild_id=g.id,
            name=name,
            permissions=permissions,
            position=(
                max((x.position for x in g.roles.values()), default=0) + 1
                if position is None
                else position
            ),
            color=color,
            hoist=hoist,
            mentionable=mentionable,
        )
        g.roles[r.id] = r
        self.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(g.id), "role": payloads.role(r)}, g.id)
        return r

    def edit_role(self, role: Role, **changes: Any) -> Role:
        _set_fields(role, changes)
        self.dispatch(
            "GUILD_ROLE_UPDATE",
            {"guild_id": str(role.guild_id), "role": payloads.role(role)},
            role.guild_id,
        )
        return role

    def delete_role(self, role: Role) -> None:
        g = self.guild(role.guild_id)
        g.roles.pop(role.id, None)
        for m in g.members.values():
            if role.id in m.roles:
                m.roles.remove(role.id)
        self.dispatch("GUILD_ROLE_DELETE", {"guild_id": str(g.id), "role_id": str(role.id)}, g.id)

    def set_bot_permissions(self, guild: Guild, permissions: int) -> Role:
        """Replace the permissions of the bot's managed role in ``guild``."""
        return self.edit_role(self.bot_role(guild), permissions=permissions)

    # ------------------------------------------------------------------ channels

    def create_channel(
        self,
        guild: Guild,
        name: str,
        type: ChannelType = ChannelType.GUILD_TEXT,
        *,
        category: Channel | None = None,
        topic: str | None = None,
        nsfw: bool = False,
        tags: Iterable[str | ForumTag] = (),
        overwrites: Iterable[Overwrite] = (),
        position: int | None = None,
    ) -> Channel:
        g = self.guild(guild)
        siblings = [c for c in self.guild_channels(g) if c.parent_id == (category and category.id)]
        c = Channel(
            id=self.new_id(),
            type=ChannelType(type),
            name=name,
            guild_id=g.id,
            position=len(siblings) if position is None else position,
            parent_id=None if category is None else category.id,
            topic=topic,
            nsfw=nsfw,
            overwrites=list(overwrites),
        )
        for tag in tags:
            c.available_tags.append(
                tag if isinstance(tag, ForumTag) else ForumTag(id=self.new_id(), name=tag)
            )
        self.channels[c.id] = c
        self.messages[c.id] = {}
        g.channel_ids.append(c.id)
        self.dispatch("CHANNEL_CREATE", payloads.channel(c), g.id)
        return c

    def update_channel(self, channel: Channel, **changes: Any) -> Channel:
        _set_fields(channel, changes)
        self._announce_channel_update(channel)
        return channel

    def _announce_channel_update(self, c: Channel) -> None:
        if c.is_thread:
            self.dispatch("THREAD_UPDATE", payloads.thread(c), c.guild_id)
        elif c.is_dm:
            self.dispatch("CHANNEL_UPDATE", self.render_channel(c), None)
        else:
            self.dispatch("CHANNEL_UPDATE", payloads.channel(c), c.guild_id)

    def set_overwrite(
        self, channel: Channel, target: Role | Member | User, *, allow: int = 0, deny: int = 0
    ) -> Channel:
        """Set (replace) the overwrite for a role or member on ``channel``."""
        otype = 0 if isinstance(target, Role) else 1
        channel.overwrites = [
            o for o in channel.overwrites if not (o.id == target.id and o.type == otype)
        ]
        if allow or deny:
            channel.overwrites.append(Overwrite(id=target.id, type=otype, allow=allow, deny=deny))
        self._announce_channel_update(channel)
        return channel

    def delete_channel(self, channel: Channel) -> None:
        """Delete a channel or thread "from Discord's side" and announce it."""
        c = self.channel(channel)
        c.deleted = True
        if c.is_thread:
            self.dispatch(
                "THREAD_DELETE",
                {
                    "id": str(c.id),
                    "guild_id": str(c.guild_id),
                    "parent_id": str(c.parent_id),
                    "type": int(c.type),
                },
                c.guild_id,
            )
            return
        if c.guild_id is not None:
            for t in self.guild_threads(c.guild_id, active_only=False):
                if t.parent_id == c.id:
                    t.deleted = True
        self.dispatch("CHANNEL_DELETE", self.render_channel(c), c.guild_id)

    def create_dm(self, user: User) -> Channel:
        """The DM channel between the bot and ``user`` (created on first use)."""
        existing = self._dm_by_user.get(user.id)
        if existing is not None:
            return self.channels[existing]
        c = Channel(id=self.new_id(), type=ChannelType.DM, name="", recipient_ids=[user.id])
        self.channels[c.id] = c
        self.messages[c.id] = {}
        self._dm_by_user[user.id] = c.id
        return c

    # ------------------------------------------------------------------ threads

    def create_thread(
        self,
        parent: Channel,
        *,
        name: str,
        owner: User,
        type: ChannelType = ChannelType.PUBLIC_THREAD,
        auto_archive_duration: int | None = None,
        applied_tags: Iterable[int] = (),
        from_message: Message | None = None,
        invitable: bool = True,
        rate_limit_per_user: int = 0,
        announce: bool = True,
    ) -> Channel:
        assert parent.guild_id is not None
        now = iso()
        t = Channel(
            id=from_message.id if from_message is not None else self.new_id(),
            type=ChannelType(type),
            name=name,
            guild_id=parent.guild_id,
            parent_id=parent.id,
            owner_id=owner.id,
            auto_archive_duration=auto_archive_duration or parent.default_auto_archive_duration,
            archive_timestamp=now,
            create_timestamp=now,
            applied_tags=list(applied_tags),
            invitable=invitable,
            rate_limit_per_user=rate_limit_per_user or 0,
            thread_member_ids=[owner.id],
        )
        self.channels[t.id] = t
        self.messages[t.id] = {}
        self.guild(parent.guild_id).channel_ids.append(t.id)
        if from_message is not None:
            from_message.thread_id = t.id
        if announce:
            self.announce_thread_create(t)
        return t

    def create_forum_post(
        self,
        forum: Channel,
        author: User,
        *,
        name: str,
        content: str,
        tags: Iterable[str | ForumTag] = (),
        embeds: list[JSON] | None = None,
    ) -> tuple[Channel, Message]:
        """A user opens a forum post (thread + starter message sharing its id)."""
        if not forum.is_forum:
            raise TypeError(f"#{forum.name} is not a forum channel")
        tag_ids = [t.id if isinstance(t, ForumTag) else forum.tag(t).id for t in tags]
        thread = self.create_thread(
            forum, name=name, owner=author, applied_tags=tag_ids, announce=False
        )
        self.announce_thread_create(thread)
        starter = self.add_message(
            thread, author, content=content, embeds=embeds, message_id=thread.id
        )
        return thread, starter

    def announce_thread_create(self, t: Channel) -> None:
        data = self.render_thread(t, for_user=self.bot.id)
        data["newly_created"] = True
        self.dispatch("THREAD_CREATE", data, t.guild_id)

    def render_thread(self, t: Channel, *, for_user: int | None = None) -> JSON:
        return render.thread(self, t, for_user=for_user)

    # ------------------------------------------------------------------ messages

    def add_message(
        self,
        channel: Channel,
        author: User,
        *,
        content: str = "",
        embeds: list[JSON] | None = None,
        components: list[JSON] | None = None,
        attachments: list[JSON] | None = None,
        flags: int = 0,
        type: int = MSG_DEFAULT,
        tts: bool = False,
        webhook_id: int | None = None,
        application_id: int | None = None,
        interaction_metadata: JSON | None = None,
        interaction_id: int | None = None,
        message_reference: JSON | None = None,
        allowed_mentions: JSON | None = None,
        nonce: str | int | None = None,
        poll: JSON | None = None,
        message_id: int | None = None,
        dispatch: bool = True,
    ) -> Message:
        mid = message_id if message_id is not None else self.new_id()
        if polls.is_create_request(poll):
            if channel.guild_id is not None and author.id in self.guild(channel.guild_id).members:
                self.require(channel, P.SEND_POLLS, user=author)
            poll = polls.build(poll)
            self.poll_states[mid] = polls.PollState()
        m = Message(
            id=mid,
            channel_id=channel.id,
            guild_id=channel.guild_id,
            author=author,
            content=content or "",
            embeds=list(embeds or []),
            components=list(components or []),
            attachments=list(attachments or []),
            flags=flags,
            type=type,
            timestamp=iso(),
            tts=tts,
            webhook_id=webhook_id,
            application_id=application_id,
            interaction_metadata=interaction_metadata,
            interaction_id=interaction_id,
            message_reference=message_reference,
            allowed_mentions=allowed_mentions,
            nonce=nonce,
            poll=poll,
        )
        self.messages.setdefault(channel.id, {})[m.id] = m
        if not m.ephemeral:
            channel.last_message_id = m.id
            if channel.is_thread:
                channel.message_count += 1
                channel.total_message_sent += 1
        self._record("create", m)
        if dispatch and not m.ephemeral:
            self.dispatch("MESSAGE_CREATE", self.render_message(m, gateway=True), m.guild_id)
        return m

    def edit_message(
        self,
        message: Message,
        changes: JSON,
        *,
        mark_edited: bool = True,
        interaction_id: int | None = None,
    ) -> Message:
        for key in (
            "content",
            "embeds",
            "components",
            "attachments",
            "flags",
            "allowed_mentions",
            "poll",
        ):
            if key in changes:
                value = changes[key]
                if key == "content":
                    value = value or ""
                elif key in ("embeds", "components", "attachments"):
                    value = list(value or [])
                elif key == "flags":
                    value = int(value or 0)
                setattr(message, key, value)
        if mark_edited:
            message.edited_timestamp = iso()
        self._record("edit", message, interaction_id=interaction_id)
        if not message.ephemeral:
            self.dispatch(
                "MESSAGE_UPDATE", self.render_message(message, gateway=True), message.guild_id
            )
        return message

    def delete_message(self, message: Message, *, interaction_id: int | None = None) -> None:
        message.deleted = True
        self._record("delete", message, interaction_id=interaction_id)
        if message.ephemeral:
            return
        data: JSON = {"id": str(message.id), "channel_id": str(message.channel_id)}
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
        self.dispatch("MESSAGE_DELETE", data, message.guild_id)

    def add_reaction(self, message: Message, user: User, emoji: str) -> None:
        users = message.reactions.setdefault(emoji, [])
        if user.id in users:
            return
        users.append(user.id)
        data: JSON = {
            "user_id": str(user.id),
            "channel_id": str(message.channel_id),
            "message_id": str(message.id),
            "emoji": payloads.emoji_from_key(emoji),
            "burst": False,
            "burst_colors": [],
            "type": 0,
            "message_author_id": str(message.author.id),
        }
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
            m = self.maybe_member(message.guild_id, user.id)
            if m is not None:
                data["member"] = payloads.member(m)
        self.dispatch("MESSAGE_REACTION_ADD", data, message.guild_id)

    def remove_reaction(self, message: Message, user: User, emoji: str) -> None:
        users = message.reactions.get(emoji, [])
        if user.id not in users:
            return
        users.remove(user.id)
        if not users:
            message.reactions.pop(emoji, None)
        data: JSON = {
            "user_id": str(user.id),
            "channel_id": str(message.channel_id),
            "message_id": str(message.id),
            "emoji": payloads.emoji_from_key(emoji),
            "burst": False,
            "type": 0,
        }
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
        self.dispatch("MESSAGE_REACTION_REMOVE", data, message.guild_id)

    # ------------------------------------------------------------------ commands

    def commands_for(self, guild_id: int | None) -> list[AppCommand]:
        return [c for c in self.commands.values() if c.guild_id == guild_id]

    def replace_commands(self, guild_id: int | None, bodies: list[JSON]) -> list[AppCommand]:
        """Bulk overwrite like ``PUT .../commands``: keep ids of commands whose name+type match."""
        existing = {(c.name, c.type): c for c in self.commands_for(guild_id)}
        result = []
        for body in bodies:
            key = (str(body["name"]), int(body.get("type", 1)))
            old = existing.pop(key, None)
            result.append(self.upsert_command(guild_id, body, existing=old))
        for stale in existing.values():
            self.commands.pop(stale.id, None)
        return result

    def upsert_command(
        self, guild_id: int | None, body: JSON, *, existing: AppCommand | None = None
    ) -> AppCommand:
        if existing is None:
            key = (str(body["name"]), int(body.get("type", 1)))
            existing = next(
                (c for c in self.commands_for(guild_id) if (c.name, c.type) == key), None
            )
        cmd = AppCommand(
            id=existing.id if existing else self.new_id(),
            application_id=self.application_id,
            guild_id=guild_id,
            payload=dict(body),
            version=self.new_id(),
        )
        self.commands[cmd.id] = cmd
        return cmd

    def render_command(self, cmd: AppCommand) -> JSON:
        return payloads.app_command(
            command_id=cmd.id,
            application_id=cmd.application_id,
            guild_id=cmd.guild_id,
            version=cmd.version,
            body=cmd.payload,
        )

    # ------------------------------------------------------------------ events & waiting

    def _record(self, kind: EventKind, m: Message, *, interaction_id: int | None = None) -> None:
        event = MessageEvent(
            seq=len(self.events),
            kind=kind,
            channel_id=m.channel_id,
            message=m.clone(),
            interaction_id=interaction_id if interaction_id is not None else m.interaction_id,
        )
        self.events.append(event)
        still_waiting = []
        for predicate, fut in self._waiters:
            if fut.done():
                continue
            try:
                matched = predicate(event)
            except Exception as exc:  # surface predicate bugs to the waiting test
                fut.set_exception(exc)
                continue
            if matched:
                fut.set_result(event)
            else:
                still_waiting.append((predicate, fut))
        self._waiters = still_waiting

    async def wait_for_event(
        self,
        predicate: Callable[[MessageEvent], bool],
        *,
        timeout: float,
        after: int | None = None,
    ) -> MessageEvent:
        """Wait for a message event matching ``predicate`` with ``seq >= after``.

        ``after`` defaults to "from now on"; pass an earlier cursor (``len(world.events)``
        captured before an action) to also accept events that already happened.
        """
        start = len(self.events) if after is None else after
        for event in self.events[start:]:
            if predicate(event):
                return event
        fut: asyncio.Future[MessageEvent] = asyncio.get_running_loop().create_future()
        self._waiters.append((predicate, fut))
        try:
            return await asyncio.wait_for(fut, timeout)
        finally:
            if not fut.done():
                fut.cancel()

    # ------------------------------------------------------------------ rendering
    # JSON views of the state; the work happens in :mod:`discord_emulator.server.render`.

    def render_channel(self, c: Channel) -> JSON:
        return render.channel(self, c)

    def render_member(
        self, m: Member, *, channel: Channel | None = None, with_user: bool = True
    ) -> JSON:
        return render.member(self, m, channel=channel, with_user=with_user)

    def render_guild_create(self, g: Guild) -> JSON:
        return render.guild_create(self, g)

    def render_message(self, m: Message, *, gateway: bool = False) -> JSON:
        return render.message(self, m, gateway=gateway)

    # ------------------------------------------------------------------ polls

    def poll_state(self, message: Message) -> polls.PollState:
        state = self.poll_states.get(message.id)
        if message.poll is None or state is None:
            raise ApiError(400, 520000, "This message has no poll")
        return state

    def vote_poll(self, message: Message, user: User, answers: Iterable[int | str]) -> None:
        """``user`` votes (replacing their earlier vote; no answers = withdraw), like a client.
        Announces MESSAGE_POLL_VOTE_ADD / _REMOVE per answer that changed."""
        state = self.poll_state(message)
        poll = message.poll
        assert poll is not None
        if state.finalized or polls.expired(poll):
            raise ApiError(400, 520001, "This poll has ended")
        if message.guild_id is not None:
            self.member(message.guild_id, user)
            if not self.permissions_for(user, message.channel_id) & P.VIEW_CHANNEL:
                raise ApiError.missing_access()
        chosen = list(dict.fromkeys(polls.find_answer(poll, a) for a in answers))
        if len(chosen) > 1 and not poll["allow_multiselect"]:
            raise ApiError(400, 520002, "This poll allows one answer")
        before = {aid for aid, voters in state.votes.items() if user.id in voters}
        for aid in before - set(chosen):
            state.votes[aid].remove(user.id)
            self._poll_vote_event("MESSAGE_POLL_VOTE_REMOVE", message, user, aid)
        for aid in chosen:
            if aid not in before:
                state.votes.setdefault(aid, []).append(user.id)
                self._poll_vote_event("MESSAGE_POLL_VOTE_ADD", message, user, aid)

    def _poll_vote_event(self, event: str, message: Message, user: User, answer_id: int) -> None:
        data: JSON = {
            "user_id": str(user.id),
            "channel_id": str(message.channel_id),
            "message_id": str(message.id),
            "answer_id": answer_id,
        }
        if message.guild_id is not None:
            data["guild_id"] = str(message.guild_id)
        self.dispatch(event, data, message.guild_id)

    def end_due_polls(self, now: dt.datetime | None = None) -> list[Message]:
        """End every poll whose expiry has passed, as Discord does on its own; returns the
        POLL_RESULT messages posted."""
        due = [
            self.find_message(mid)
            for mid, state in self.poll_states.items()
            if not state.finalized
            and any(mid in store and not store[mid].deleted for store in self.messages.values())
        ]
        return [self.end_poll(m) for m in due if m.poll is not None and polls.expired(m.poll, now)]

    def end_poll(self, message: Message) -> Message:
        """The poll ends (its time ran out, or its author ended it): Discord finalizes the
        results (MESSAGE_UPDATE) and posts a POLL_RESULT message; returns that message."""
        state = self.poll_state(message)
        if state.finalized:
            raise ApiError(400, 520001, "This poll has ended")
        assert message.poll is not None
        state.finalized = True
        if not polls.expired(message.poll):
            message.poll = {**message.poll, "expiry": iso()}
        self.edit_message(message, {}, mark_edited=False)
        reference: JSON = {
            "type": 0,
            "message_id": str(message.id),
            "channel_id": str(message.channel_id),
        }
        if message.guild_id is not None:
            reference["guild_id"] = str(message.guild_id)
        channel = self.channel(message.channel_id)
        return self.add_message(
            channel,
            message.author,
            type=polls.POLL_RESULT,
            embeds=[polls.result_embed(message.poll, state)],
            message_reference=reference,
        )

    # ------------------------------------------------------------------ scheduled events

    def guild_events(
        self, guild: Guild | int, *, finished: bool = False
    ) -> list[events.ScheduledEvent]:
        gid = guild if isinstance(guild, int) else guild.id
        return [
            e
            for e in self.scheduled_events.values()
            if e.guild_id == gid and (finished or not e.finished)
        ]

    def scheduled_event(self, guild: Guild | int, event_id: int) -> events.ScheduledEvent:
        gid = guild if isinstance(guild, int) else guild.id
        found = self.scheduled_events.get(event_id)
        if found is None or found.guild_id != gid:
            raise ApiError(404, 10070, "Unknown Guild Scheduled Event")
        return found

    def create_scheduled_event(
        self, guild: Guild, creator: User, body: JSON
    ) -> events.ScheduledEvent:
        g = self.guild(guild)
        event = events.ScheduledEvent(
            id=self.new_id(),
            guild_id=g.id,
            name="",
            scheduled_start_time="",
            entity_type=int(body.get("entity_type") or events.EXTERNAL),
            creator_id=creator.id,
        )
        events.apply(event, body, self.channels, creating=True)
        self.scheduled_events[event.id] = event
        self._event_dispatch("GUILD_SCHEDULED_EVENT_CREATE", event)
        return event

    def edit_scheduled_event(
        self, event: events.ScheduledEvent, body: JSON
    ) -> events.ScheduledEvent:
        events.apply(event, body, self.channels, creating=False)
        self._event_dispatch("GUILD_SCHEDULED_EVENT_UPDATE", event)
        return event

    def delete_scheduled_event(self, event: events.ScheduledEvent) -> None:
        self.scheduled_events.pop(event.id, None)
        self._event_dispatch("GUILD_SCHEDULED_EVENT_DELETE", event)

    def render_scheduled_event(
        self, event: events.ScheduledEvent, *, with_user_count: bool = False
    ) -> JSON:
        creator = self.users.get(event.creator_id)
        return events.payload(
            event,
            creator=None if creator is None else payloads.user(creator),
            with_user_count=with_user_count,
        )

    def _event_dispatch(self, name: str, event: events.ScheduledEvent) -> None:
        self.dispatch(name, self.render_scheduled_event(event), event.guild_id)


def _set_fields(handle: object, changes: dict[str, Any]) -> None:
    """Apply ``changes`` to a world object, refusing names it does not have."""
    for key, value in changes.items():
        if not hasattr(handle, key):
            raise TypeError(f"{type(handle).__name__} has no field {key!r}")
        setattr(handle, key, value)
