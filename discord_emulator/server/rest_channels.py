"""REST routes: channels, messages, threads, forum posts, reactions and pins."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import unquote

from ..errors import ApiError
from . import payloads
from .http import Ctx, Router
from .messaging import create_kwargs, edit_changes
from .models import Channel, ChannelType, ForumTag, Message, Overwrite
from .permissions import P
from .snowflake import iso
from .validation import parse_message_body
from .world import MSG_THREAD_CREATED, World

log = logging.getLogger(__name__)

JSON = dict[str, Any]

_TEXT_TYPES = (ChannelType.GUILD_TEXT, ChannelType.GUILD_ANNOUNCEMENT)
_ARCHIVE_DURATIONS = (60, 1440, 4320, 10080)
_FORUM_REQUIRE_TAG = 1 << 4


def _channel(ctx: Ctx, *, view: bool = True) -> Channel:
    world = ctx.emu.world
    channel = world.channel(ctx.int_param("channel_id"))
    if channel.is_dm:
        return channel
    if view and not world.bot_permissions(channel) & P.VIEW_CHANNEL:
        raise ApiError.missing_access()
    return channel


def _perms(world: World, channel: Channel) -> int:
    return world.bot_permissions(channel)


def _need(world: World, channel: Channel, needed: int) -> None:
    if channel.is_dm:
        return
    world.require(channel, needed)


def _message(ctx: Ctx, channel: Channel) -> Message:
    message = ctx.emu.world.message(channel, ctx.int_param("message_id"))
    if message.ephemeral:
        raise ApiError.unknown_message()
    return message


def _check_can_send(world: World, channel: Channel) -> None:
    if channel.is_dm:
        return
    if channel.is_forum or channel.type == ChannelType.GUILD_CATEGORY:
        raise ApiError(400, 50008, "Cannot send messages in a non-text channel")
    if channel.is_thread:
        perms = _perms(world, channel)
        if not perms & P.VIEW_CHANNEL:
            raise ApiError.missing_access()
        if not perms & P.SEND_MESSAGES_IN_THREADS:
            raise ApiError.missing_permissions()
        if channel.archived:
            if channel.locked:
                raise ApiError(400, 50083, "Thread is archived")
            # Sending into an archived (unlocked) thread unarchives it, like Discord.
            world.update_channel(channel, archived=False, archive_timestamp=iso())
        return
    world.require(channel, P.SEND_MESSAGES)


def _check_not_archived(channel: Channel) -> None:
    """Discord refuses message edits, deletes, reactions and pins in archived threads."""
    if channel.is_thread and channel.archived:
        raise ApiError(400, 50083, "Thread is archived")


def _thread_name(body: JSON) -> str:
    name = str(body.get("name") or "")
    if not 1 <= len(name) <= 100:
        raise ApiError.invalid_form(
            "name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
        )
    return name


def _archive_duration(body: JSON, default: int) -> int:
    value = body.get("auto_archive_duration")
    if value is None:
        return default
    if int(value) not in _ARCHIVE_DURATIONS:
        raise ApiError.invalid_form(
            "auto_archive_duration",
            "BASE_TYPE_CHOICES",
            "Value must be one of (60, 1440, 4320, 10080).",
        )
    return int(value)


def _applied_tags(forum: Channel, raw: Any, perms: int) -> list[int]:
    tags = [int(t) for t in (raw or [])]
    if len(tags) > 5:
        raise ApiError.invalid_form(
            "applied_tags", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length."
        )
    known = {t.id: t for t in forum.available_tags}
    for i, tag_id in enumerate(tags):
        tag = known.get(tag_id)
        if tag is None:
            raise ApiError.invalid_form(
                f"applied_tags.{i}", "FORUM_TAG_UNKNOWN", "Unknown forum tag"
            )
        if tag.moderated and not perms & P.MANAGE_THREADS:
            raise ApiError.missing_permissions()
    return tags


def register(router: Router) -> None:
    r = router.route

    # -------------------------------------------------------------- channels

    @r("GET", "/channels/{channel_id}")
    async def get_channel(ctx: Ctx) -> JSON:
        return ctx.emu.world.render_channel(_channel(ctx))

    @r("PATCH", "/channels/{channel_id}")
    async def edit_channel(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        channel = _channel(ctx)
        if channel.is_thread:
            _edit_thread(world, channel, ctx.body)
        else:
            _edit_guild_channel(world, channel, ctx.body)
        return world.render_channel(channel)

    @r("DELETE", "/channels/{channel_id}")
    async def delete_channel(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        channel = _channel(ctx)
        if not channel.is_dm:
            _need(world, channel, P.MANAGE_THREADS if channel.is_thread else P.MANAGE_CHANNELS)
        payload = world.render_channel(channel)
        world.delete_channel(channel)
        return payload

    @r("PUT", "/channels/{channel_id}/permissions/{overwrite_id}")
    async def put_overwrite(ctx: Ctx) -> None:
        world = ctx.emu.world
        channel = _channel(ctx)
        _need(world, channel, P.MANAGE_ROLES)
        body = ctx.body
        target_id = ctx.int_param("overwrite_id")
        channel.overwrites = [o for o in channel.overwrites if o.id != target_id]
        channel.overwrites.append(
            Overwrite(
                target_id,
                int(body.get("type", 0)),
                int(body.get("allow") or 0),
                int(body.get("deny") or 0),
            )
        )
        world.update_channel(channel)

    @r("DELETE", "/channels/{channel_id}/permissions/{overwrite_id}")
    async def delete_overwrite(ctx: Ctx) -> None:
        world = ctx.emu.world
        channel = _channel(ctx)
        _need(world, channel, P.MANAGE_ROLES)
        target_id = ctx.int_param("overwrite_id")
        channel.overwrites = [o for o in channel.overwrites if o.id != target_id]
        world.update_channel(channel)

    @r("POST", "/channels/{channel_id}/typing")
    async def typing(ctx: Ctx) -> None:
        _check_can_send(ctx.emu.world, _channel(ctx))

    # -------------------------------------------------------------- messages

    @r("GET", "/channels/{channel_id}/messages")
    async def list_messages(ctx: Ctx) -> list[JSON]:
        world = ctx.emu.world
        channel = _channel(ctx)
        if not channel.is_dm and not _perms(world, channel) & P.READ_MESSAGE_HISTORY:
            return []
        limit = max(1, min(int(ctx.query.get("limit", 50) or 50), 100))
        messages = sorted(world.channel_messages(channel), key=lambda m: m.id, reverse=True)
        if "before" in ctx.query:
            before = int(ctx.query["before"])
            messages = [m for m in messages if m.id < before][:limit]
        elif "after" in ctx.query:
            after = int(ctx.query["after"])
            messages = sorted((m for m in messages if m.id > after), key=lambda m: m.id)[:limit]
            messages.reverse()
        elif "around" in ctx.query:
            around = int(ctx.query["around"])
            older = [m for m in messages if m.id <= around][: (limit + 1) // 2]
            newer = sorted((m for m in messages if m.id > around), key=lambda m: m.id)[: limit // 2]
            messages = list(reversed(newer)) + older
        else:
            messages = messages[:limit]
        return [world.render_message(m) for m in messages]

    @r("POST", "/channels/{channel_id}/messages/bulk-delete")
    async def bulk_delete(ctx: Ctx) -> None:
        world = ctx.emu.world
        channel = _channel(ctx)
        _need(world, channel, P.MANAGE_MESSAGES)
        ids = [int(i) for i in ctx.body.get("messages") or []]
        if not 2 <= len(ids) <= 100:
            raise ApiError.invalid_form(
                "messages", "BASE_TYPE_BAD_LENGTH", "Must be between 2 and 100 in length."
            )
        found = [world.message(channel, i) for i in ids]
        for m in found:
            m.deleted = True
        data: JSON = {"ids": [str(i) for i in ids], "channel_id": str(channel.id)}
        if channel.guild_id is not None:
            data["guild_id"] = str(channel.guild_id)
        world.dispatch("MESSAGE_DELETE_BULK", data, channel.guild_id)

    @r("GET", "/channels/{channel_id}/messages/pins")
    async def list_pins(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        channel = _channel(ctx)
        pinned = sorted(
            (m for m in world.channel_messages(channel) if m.pinned),
            key=lambda m: m.pinned_at or "",
            reverse=True,
        )
        if ctx.query.get("before"):
            before = ctx.query["before"]
            pinned = [m for m in pinned if (m.pinned_at or "") < before]
        limit = max(1, min(int(ctx.query.get("limit", 50) or 50), 50))
        return {
            "items": [
                {"pinned_at": m.pinned_at, "message": world.render_message(m)}
                for m in pinned[:limit]
            ],
            "has_more": len(pinned) > limit,
        }

    async def set_pin(ctx: Ctx, pinned: bool) -> None:
        world = ctx.emu.world
        channel = _channel(ctx)
        perms = P.ALL if channel.is_dm else _perms(world, channel)
        if not perms & (P.MANAGE_MESSAGES | P.PIN_MESSAGES):
            raise ApiError.missing_permissions()
        message = _message(ctx, channel)
        _check_not_archived(channel)
        message.pinned = pinned
        message.pinned_at = iso() if pinned else None
        data: JSON = {"channel_id": str(channel.id), "last_pin_timestamp": message.pinned_at}
        if channel.guild_id is not None:
            data["guild_id"] = str(channel.guild_id)
        world.dispatch("CHANNEL_PINS_UPDATE", data, channel.guild_id)

    async def pin(ctx: Ctx) -> None:
        await set_pin(ctx, True)

    async def unpin(ctx: Ctx) -> None:
        await set_pin(ctx, False)

    router.add("PUT", "/channels/{channel_id}/messages/pins/{message_id}", pin)
    router.add("DELETE", "/channels/{channel_id}/messages/pins/{message_id}", unpin)
    router.add("PUT", "/channels/{channel_id}/pins/{message_id}", pin)
    router.add("DELETE", "/channels/{channel_id}/pins/{message_id}", unpin)

    @r("POST", "/channels/{channel_id}/messages")
    async def send_message(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        channel = _channel(ctx)
        _check_can_send(world, channel)
        parsed = parse_message_body(ctx.body, ctx.files, creating=True)
        kwargs = create_kwargs(
            parsed,
            channel,
            ctx.emu.attachments,
            bot_permissions=None if channel.is_dm else _perms(world, channel),
        )
        if kwargs["flags"] & Message.EPHEMERAL:
            raise ApiError.invalid_form(
                "flags", "MESSAGE_FLAGS_INVALID", "Ephemeral messages require an interaction"
            )
        reference = parsed.fields.get("message_reference")
        if reference:
            kwargs["message_reference"] = _reference(world, channel, reference)
        message = world.add_message(channel, world.bot, type=19 if reference else 0, **kwargs)
        return world.render_message(message)

    @r("GET", "/channels/{channel_id}/messages/{message_id}")
    async def get_message(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        channel = _channel(ctx)
        _need(world, channel, P.READ_MESSAGE_HISTORY)
        return world.render_message(_message(ctx, channel))

    @r("PATCH", "/channels/{channel_id}/messages/{message_id}")
    async def edit_message(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        channel = _channel(ctx)
        message = _message(ctx, channel)
        _check_not_archived(channel)
        parsed = parse_message_body(ctx.body, ctx.files, creating=False)
        if message.author.id != world.bot.id:
            others = set(parsed.fields) - {"flags"}
            if others:
                raise ApiError(403, 50005, "Cannot edit a message authored by another user")
            _need(world, channel, P.MANAGE_MESSAGES)
        world.edit_message(message, edit_changes(parsed, message, ctx.emu.attachments))
        return world.render_message(message)

    @r("DELETE", "/channels/{channel_id}/messages/{message_id}")
    async def delete_message(ctx: Ctx) -> None:
        world = ctx.emu.world
        channel = _channel(ctx)
        message = _message(ctx, channel)
        _check_not_archived(channel)
        if message.author.id != world.bot.id:
            _need(world, channel, P.MANAGE_MESSAGES)
        world.delete_message(message)

    # -------------------------------------------------------------- reactions

    def emoji_key(ctx: Ctx) -> str:
        return unquote(ctx.params["emoji"])

    @r("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
    async def add_reaction(ctx: Ctx) -> None:
        world = ctx.emu.world
        channel = _channel(ctx)
        message = _message(ctx, channel)
        _check_not_archived(channel)
        key = emoji_key(ctx)
        if not channel.is_dm:
            perms = _perms(world, channel)
            if not perms & P.READ_MESSAGE_HISTORY:
                raise ApiError.missing_permissions()
            if not message.reactions.get(key) and not perms & P.ADD_REACTIONS:
                raise ApiError.missing_permissions()
        world.add_reaction(message, world.bot, key)

    @r("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me")
    async def remove_own_reaction(ctx: Ctx) -> None:
        world = ctx.emu.world
        channel = _channel(ctx)
        world.remove_reaction(_message(ctx, channel), world.bot, emoji_key(ctx))

    @r("GET", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}")
    async def reaction_users(ctx: Ctx) -> list[JSON]:
        world = ctx.emu.world
        message = _message(ctx, _channel(ctx))
        ids = message.reactions.get(emoji_key(ctx), [])
        limit = int(ctx.query.get("limit", 25) or 25)
        after = int(ctx.query.get("after", 0) or 0)
        return [payloads.user(world.users[u]) for u in sorted(ids) if u > after][:limit]

    @r("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/{user_id}")
    async def remove_reaction(ctx: Ctx) -> None:
        world = ctx.emu.world
        channel = _channel(ctx)
        _need(world, channel, P.MANAGE_MESSAGES)
        world.remove_reaction(
            _message(ctx, channel), world.user(ctx.int_param("user_id")), emoji_key(ctx)
        )

    @r("DELETE", "/channels/{channel_id}/messages/{message_id}/reactions")
    async def clear_reactions(ctx: Ctx) -> None:
        world = ctx.emu.world
        channel = _channel(ctx)
        _need(world, channel, P.MANAGE_MESSAGES)
        message = _message(ctx, channel)
        message.reactions.clear()
        data: JSON = {"channel_id": str(channel.id), "message_id": str(message.id)}
        if channel.guild_id is not None:
            data["guild_id"] = str(channel.guild_id)
        world.dispatch("MESSAGE_REACTION_REMOVE_ALL", data, channel.guild_id)

    # -------------------------------------------------------------- threads

    @r("POST", "/channels/{channel_id}/messages/{message_id}/threads")
    async def thread_from_message(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        channel = _channel(ctx)
        if channel.type not in _TEXT_TYPES:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        _need(world, channel, P.CREATE_PUBLIC_THREADS | P.READ_MESSAGE_HISTORY)
        message = _message(ctx, channel)
        if message.thread_id is not None:
            raise ApiError(400, 160004, "A thread has already been created for this message")
        body = ctx.body
        thread = world.create_thread(
            channel,
            name=_thread_name(body),
            owner=world.bot,
            type=ChannelType.ANNOUNCEMENT_THREAD
            if channel.type == ChannelType.GUILD_ANNOUNCEMENT
            else ChannelType.PUBLIC_THREAD,
            auto_archive_duration=_archive_duration(body, channel.default_auto_archive_duration),
            from_message=message,
            rate_limit_per_user=int(body.get("rate_limit_per_user") or 0),
        )
        world.edit_message(message, {}, mark_edited=False)
        return world.render_channel(thread)

    @r("POST", "/channels/{channel_id}/threads")
    async def start_thread(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        channel = _channel(ctx)
        body = ctx.body
        if channel.is_forum:
            return _forum_post(ctx, channel, body)
        if channel.type not in _TEXT_TYPES:
            raise ApiError(400, 50024, "Cannot execute action on this channel type")
        ttype = int(body.get("type") or ChannelType.PRIVATE_THREAD)
        if ttype not in (
            ChannelType.PUBLIC_THREAD,
            ChannelType.PRIVATE_THREAD,
            ChannelType.ANNOUNCEMENT_THREAD,
        ):
            raise ApiError.invalid_form(
                "type", "BASE_TYPE_CHOICES", "Value must be one of (10, 11, 12)."
            )
        _need(
            world,
            channel,
            P.CREATE_PRIVATE_THREADS
            if ttype == ChannelType.PRIVATE_THREAD
            else P.CREATE_PUBLIC_THREADS,
        )
        name = _thread_name(body)
        thread = world.create_thread(
            channel,
            name=name,
            owner=world.bot,
            type=ChannelType(ttype),
            auto_archive_duration=_archive_duration(body, channel.default_auto_archive_duration),
            invitable=bool(body.get("invitable", True)),
            rate_limit_per_user=int(body.get("rate_limit_per_user") or 0),
        )
        if ttype != ChannelType.PRIVATE_THREAD:
            world.add_message(
                channel,
                world.bot,
                content=name,
                type=MSG_THREAD_CREATED,
                message_reference={"channel_id": str(thread.id), "guild_id": str(channel.guild_id)},
            )
        return world.render_channel(thread)

    def _forum_post(ctx: Ctx, forum: Channel, body: JSON) -> JSON:
        world = ctx.emu.world
        perms = _perms(world, forum)
        world.require(forum, P.SEND_MESSAGES)
        name = _thread_name(body)
        tags = _applied_tags(forum, body.get("applied_tags"), perms)
        if forum.flags & _FORUM_REQUIRE_TAG and not tags:
            raise ApiError(400, 40067, "A tag is required to create a forum post in this channel")
        message_body = body.get("message")
        if not isinstance(message_body, dict):
            raise ApiError.invalid_form("message", "BASE_TYPE_REQUIRED", "This field is required")
        parsed = parse_message_body(message_body, ctx.files, creating=True)
        kwargs = create_kwargs(parsed, forum, ctx.emu.attachments, bot_permissions=perms)
        thread = world.create_thread(
            forum,
            name=name,
            owner=world.bot,
            type=ChannelType.PUBLIC_THREAD,
            auto_archive_duration=_archive_duration(body, forum.default_auto_archive_duration),
            applied_tags=tags,
            rate_limit_per_user=int(body.get("rate_limit_per_user") or 0),
            announce=False,
        )
        world.announce_thread_create(thread)
        starter = world.add_message(thread, world.bot, message_id=thread.id, **kwargs)
        data = world.render_channel(thread)
        data["message"] = world.render_message(starter)
        return data

    @r("GET", "/channels/{channel_id}/threads/archived/public")
    async def archived_public(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        channel = _channel(ctx)
        _need(world, channel, P.READ_MESSAGE_HISTORY)
        threads = [
            t
            for t in world.guild_threads(channel.guild_id or 0, active_only=False)
            if t.parent_id == channel.id and t.archived and t.type != ChannelType.PRIVATE_THREAD
        ]
        threads.sort(key=lambda t: t.archive_timestamp, reverse=True)
        if "before" in ctx.query:
            before = ctx.query["before"]
            threads = [t for t in threads if t.archive_timestamp < before]
        limit = int(ctx.query.get("limit", 50) or 50)
        page = threads[:limit]
        return {
            "threads": [payloads.thread(t) for t in page],
            "members": [],
            "has_more": len(threads) > limit,
        }

    async def join_thread(ctx: Ctx) -> None:
        world = ctx.emu.world
        thread = _thread(ctx)
        if world.bot.id not in thread.thread_member_ids:
            thread.thread_member_ids.append(world.bot.id)
            world.dispatch(
                "THREAD_MEMBER_UPDATE",
                {
                    **payloads.thread_member(thread.id, world.bot.id, iso()),
                    "guild_id": str(thread.guild_id),
                },
                thread.guild_id,
            )

    async def leave_thread(ctx: Ctx) -> None:
        world = ctx.emu.world
        thread = _thread(ctx)
        if world.bot.id in thread.thread_member_ids:
            thread.thread_member_ids.remove(world.bot.id)

    router.add("PUT", "/channels/{channel_id}/thread-members/@me", join_thread)
    router.add("DELETE", "/channels/{channel_id}/thread-members/@me", leave_thread)

    @r("PUT", "/channels/{channel_id}/thread-members/{user_id}")
    async def add_thread_member(ctx: Ctx) -> None:
        thread = _thread(ctx)
        uid = ctx.int_param("user_id")
        ctx.emu.world.user(uid)
        if uid not in thread.thread_member_ids:
            thread.thread_member_ids.append(uid)

    @r("DELETE", "/channels/{channel_id}/thread-members/{user_id}")
    async def remove_thread_member(ctx: Ctx) -> None:
        world = ctx.emu.world
        thread = _thread(ctx)
        uid = ctx.int_param("user_id")
        if thread.owner_id != world.bot.id:
            _need(world, thread, P.MANAGE_THREADS)
        if uid in thread.thread_member_ids:
            thread.thread_member_ids.remove(uid)

    @r("GET", "/channels/{channel_id}/thread-members/{user_id}")
    async def get_thread_member(ctx: Ctx) -> JSON:
        thread = _thread(ctx)
        uid = ctx.int_param("user_id")
        if uid not in thread.thread_member_ids:
            raise ApiError.unknown_member()
        return payloads.thread_member(thread.id, uid, thread.create_timestamp)

    @r("GET", "/channels/{channel_id}/thread-members")
    async def list_thread_members(ctx: Ctx) -> list[JSON]:
        thread = _thread(ctx)
        return [
            payloads.thread_member(thread.id, u, thread.create_timestamp)
            for u in thread.thread_member_ids
        ]


def _thread(ctx: Ctx) -> Channel:
    channel = _channel(ctx)
    if not channel.is_thread:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    return channel


def _reference(world: World, channel: Channel, reference: JSON) -> JSON:
    perms = P.ALL if channel.is_dm else world.bot_permissions(channel)
    if not perms & P.READ_MESSAGE_HISTORY:
        raise ApiError.missing_permissions()
    ref_channel = int(reference.get("channel_id") or channel.id)
    mid = int(reference.get("message_id") or 0)
    try:
        world.message(ref_channel, mid)
    except ApiError:
        if reference.get("fail_if_not_exists", True):
            raise ApiError.invalid_form(
                "message_reference", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message"
            ) from None
        return {}
    out: JSON = {"type": 0, "channel_id": str(ref_channel), "message_id": str(mid)}
    if channel.guild_id is not None:
        out["guild_id"] = str(channel.guild_id)
    return out


def _edit_thread(world: World, thread: Channel, body: JSON) -> None:
    perms = world.bot_permissions(thread)
    can_manage = bool(perms & P.MANAGE_THREADS)
    is_owner = thread.owner_id == world.bot.id
    owner_fields = {
        "name",
        "archived",
        "auto_archive_duration",
        "applied_tags",
        "rate_limit_per_user",
    }
    for key in body:
        if key in ("locked", "invitable", "flags") or key not in owner_fields:
            if not can_manage:
                raise ApiError.missing_permissions()
        elif not (is_owner or can_manage):
            raise ApiError.missing_permissions()
    if thread.locked and not can_manage and body.get("archived") is False:
        raise ApiError.missing_permissions()
    changes: JSON = {}
    if "name" in body:
        changes["name"] = _thread_name(body)
    if "auto_archive_duration" in body:
        changes["auto_archive_duration"] = _archive_duration(body, thread.auto_archive_duration)
    if "archived" in body and bool(body["archived"]) != thread.archived:
        changes["archived"] = bool(body["archived"])
        changes["archive_timestamp"] = iso()
    if "locked" in body:
        changes["locked"] = bool(body["locked"])
    if "invitable" in body:
        changes["invitable"] = bool(body["invitable"])
    if "rate_limit_per_user" in body:
        changes["rate_limit_per_user"] = int(body["rate_limit_per_user"] or 0)
    if "flags" in body:
        changes["flags"] = int(body["flags"] or 0)
    if "applied_tags" in body:
        parent = world.channels.get(thread.parent_id or 0)
        if parent is None or not parent.is_forum:
            raise ApiError.invalid_form(
                "applied_tags", "BASE_TYPE_INVALID", "Thread is not in a forum"
            )
        changes["applied_tags"] = _applied_tags(parent, body["applied_tags"], perms)
    world.update_channel(thread, **changes)


def _edit_guild_channel(world: World, channel: Channel, body: JSON) -> None:
    if channel.is_dm:
        raise ApiError(400, 50024, "Cannot execute action on this channel type")
    world.require(channel, P.MANAGE_CHANNELS)
    changes: JSON = {}
    for key in (
        "name",
        "topic",
        "nsfw",
        "position",
        "rate_limit_per_user",
        "default_auto_archive_duration",
        "flags",
        "bitrate",
        "user_limit",
    ):
        if key in body:
            changes[key] = body[key]
    if "name" in changes and not 1 <= len(str(changes["name"] or "")) <= 100:
        raise ApiError.invalid_form(
            "name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
        )
    if "parent_id" in body:
        changes["parent_id"] = int(body["parent_id"]) if body["parent_id"] else None
    if "permission_overwrites" in body:
        world.require(channel, P.MANAGE_ROLES)
        changes["overwrites"] = [
            Overwrite(
                int(o["id"]),
                int(o.get("type", 0)),
                int(o.get("allow") or 0),
                int(o.get("deny") or 0),
            )
            for o in body["permission_overwrites"] or []
        ]
    if "available_tags" in body:
        if not channel.is_forum:
            raise ApiError.invalid_form(
                "available_tags", "BASE_TYPE_INVALID", "Only forum channels have tags"
            )
        tags = []
        for raw in body["available_tags"] or []:
            tags.append(
                ForumTag(
                    id=int(raw["id"]) if raw.get("id") else world.new_id(),
                    name=str(raw["name"]),
                    moderated=bool(raw.get("moderated", False)),
                    emoji_name=raw.get("emoji_name"),
                    emoji_id=int(raw["emoji_id"]) if raw.get("emoji_id") else None,
                )
            )
        if len(tags) > 20:
            raise ApiError.invalid_form(
                "available_tags", "BASE_TYPE_MAX_LENGTH", "Must be 20 or fewer in length."
            )
        changes["available_tags"] = tags
    world.update_channel(channel, **changes)
