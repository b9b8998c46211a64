"""Pure builders that turn :mod:`discord_emulator.server.models` objects into Discord API JSON.

Every shape here mirrors what discord.py 2.7 parses (``discord/types/*.py``): ids are strings,
permission integers are strings, optional-but-read keys are present. Nothing in this module
does I/O or looks anything up; callers pass in whatever related objects a payload needs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from .models import Channel, ChannelType, ForumTag, Guild, Member, Message, Overwrite, Role, User

log = logging.getLogger(__name__)

JSON = dict[str, Any]

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


def sid(value: int | None) -> str | None:
    return None if value is None else str(value)


# ---------------------------------------------------------------------------- users & members


def user(u: User) -> JSON:
    data: JSON = {
        "id": str(u.id),
        "username": u.username,
        "discriminator": "0",
        "global_name": u.global_name,
        "avatar": u.avatar,
        "avatar_decoration_data": None,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "primary_guild": None,
        "collectibles": None,
    }
    if u.bot:
        data["bot"] = True
    return data


def current_user(u: User) -> JSON:
    """``GET /users/@me`` and READY's ``user``: the bot's own account."""
    data = user(u)
    data.update({"verified": True, "mfa_enabled": False, "locale": u.locale, "email": None})
    return data


def member(
    m: Member,
    *,
    with_user: bool = True,
    permissions: int | None = None,
) -> JSON:
    data: JSON = {
        "roles": [str(r) for r in m.roles],
        "joined_at": m.joined_at,
        "nick": m.nick,
        "avatar": None,
        "banner": None,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "flags": 0,
        "communication_disabled_until": None,
    }
    if with_user:
        data["user"] = user(m.user)
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def role(r: Role) -> JSON:
    data: JSON = {
        "id": str(r.id),
        "name": r.name,
        "color": r.color,
        "colors": {"primary_color": r.color, "secondary_color": None, "tertiary_color": None},
        "hoist": r.hoist,
        "icon": None,
        "unicode_emoji": None,
        "position": r.position,
        "permissions": str(r.permissions),
        "managed": r.managed,
        "mentionable": r.mentionable,
        "flags": 0,
    }
    if r.bot_id is not None:
        data["tags"] = {"bot_id": str(r.bot_id)}
    return data


# ---------------------------------------------------------------------------- channels


def overwrite(o: Overwrite) -> JSON:
    return {"id": str(o.id), "type": o.type, "allow": str(o.allow), "deny": str(o.deny)}


def forum_tag(t: ForumTag) -> JSON:
    return {
        "id": str(t.id),
        "name": t.name,
        "moderated": t.moderated,
        "emoji_id": sid(t.emoji_id),
        "emoji_name": t.emoji_name,
    }


def thread_metadata(c: Channel) -> JSON:
    return {
        "archived": c.archived,
        "auto_archive_duration": c.auto_archive_duration,
        "archive_timestamp": c.archive_timestamp,
        "locked": c.locked,
        "invitable": c.invitable,
        "create_timestamp": c.create_timestamp,
    }


def thread(c: Channel, *, member_payload: JSON | None = None) -> JSON:
    data: JSON = {
        "id": str(c.id),
        "type": int(c.type),
        "guild_id": sid(c.guild_id),
        "parent_id": sid(c.parent_id),
        "owner_id": sid(c.owner_id),
        "name": c.name,
        "last_message_id": sid(c.last_message_id),
        "last_pin_timestamp": None,
        "rate_limit_per_user": c.rate_limit_per_user,
        "message_count": c.message_count,
        "member_count": min(len(c.thread_member_ids), 50),
        "total_message_sent": c.total_message_sent,
        "flags": c.flags,
        "applied_tags": [str(t) for t in c.applied_tags],
        "thread_metadata": thread_metadata(c),
    }
    if member_payload is not None:
        data["member"] = member_payload
    return data


def thread_member(thread_id: int, user_id: int, joined: str) -> JSON:
    return {"id": str(thread_id), "user_id": str(user_id), "join_timestamp": joined, "flags": 1}


def channel(c: Channel, *, recipients: Iterable[User] = ()) -> JSON:
    """Any channel: guild channel, thread or DM."""
    if c.is_thread:
        return thread(c)
    if c.type in (ChannelType.DM, ChannelType.GROUP_DM):
        data: JSON = {
            "id": str(c.id),
            "type": int(c.type),
            "last_message_id": sid(c.last_message_id),
            "flags": 0,
            "recipients": [user(u) for u in recipients],
        }
        if c.type == ChannelType.GROUP_DM:
            data.update({"name": c.name, "icon": None, "owner_id": sid(c.owner_id)})
        return data
    data = {
        "id": str(c.id),
        "type": int(c.type),
        "guild_id": sid(c.guild_id),
        "name": c.name,
        "position": c.position,
        "permission_overwrites": [overwrite(o) for o in c.overwrites],
        "nsfw": c.nsfw,
        "parent_id": sid(c.parent_id),
        "flags": c.flags,
    }
    if c.type == ChannelType.GUILD_CATEGORY:
        return data
    data.update(
        {
            "last_message_id": sid(c.last_message_id),
            "rate_limit_per_user": c.rate_limit_per_user,
        }
    )
    if c.type in (ChannelType.GUILD_VOICE, ChannelType.GUILD_STAGE_VOICE):
        data.update({"bitrate": c.bitrate, "user_limit": c.user_limit, "rtc_region": None})
        if c.type == ChannelType.GUILD_VOICE:
            data["video_quality_mode"] = 1
        return data
    data.update(
        {
            "topic": c.topic,
            "default_auto_archive_duration": c.default_auto_archive_duration,
            "default_thread_rate_limit_per_user": 0,
        }
    )
    if c.is_forum:
        data.update(
            {
                "available_tags": [forum_tag(t) for t in c.available_tags],
                "default_reaction_emoji": None,
                "default_sort_order": None,
                "default_forum_layout": 0,
            }
        )
    return data


def interaction_channel(c: Channel, permissions: int, recipients: Iterable[User] = ()) -> JSON:
    """The ``channel`` object inside an interaction: the channel plus the user's permissions."""
    data = channel(c, recipients=recipients)
    if not c.is_dm:
        data["permissions"] = str(permissions)
    return data


# ---------------------------------------------------------------------------- guilds


def guild(g: Guild, *, member_count: int | None = None) -> JSON:
    """The REST shape of a guild (``GET /guilds/{id}``)."""
    roles = sorted(g.roles.values(), key=lambda r: (r.position, r.id))
    data: JSON = {
        "id": str(g.id),
        "name": g.name,
        "icon": None,
        "icon_hash": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "owner_id": str(g.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "widget_enabled": False,
        "widget_channel_id": None,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [role(r) for r in roles],
        "emojis": [],
        "stickers": [],
        "features": list(g.features),
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "description": g.description,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": g.preferred_locale,
        "max_members": 500000,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "incidents_data": None,
    }
    if member_count is not None:
        data["approximate_member_count"] = member_count
        data["approximate_presence_count"] = 0
    return data


def guild_create(
    g: Guild,
    *,
    channels: Iterable[JSON],
    threads: Iterable[JSON],
    members: Iterable[JSON],
    joined_at: str,
) -> JSON:
    data = guild(g)
    members = list(members)
    data.update(
        {
            "joined_at": joined_at,
            "large": len(g.members) >= 250,
            "unavailable": False,
            "member_count": len(g.members),
            "voice_states": [],
            "members": members,
            "channels": list(channels),
            "threads": list(threads),
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }
    )
    return data


# ---------------------------------------------------------------------------- messages


def emoji_from_key(key: str) -> JSON:
    """``"👍"`` or ``"name:id"`` (as used in reaction routes) -> partial emoji."""
    parts = key.split(":")
    if len(parts) == 3:  # "a:name:id"
        return {"id": parts[2], "name": parts[1], "animated": True}
    if len(parts) == 2:
        return {"id": parts[1], "name": parts[0], "animated": False}
    return {"id": None, "name": key}


def reactions(m: Message, viewer_id: int) -> list[JSON]:
    out = []
    for key, users in m.reactions.items():
        if not users:
            continue
        out.append(
            {
                "count": len(users),
                "count_details": {"burst": 0, "normal": len(users)},
                "me": viewer_id in users,
                "me_burst": False,
                "burst_colors": [],
                "emoji": emoji_from_key(key),
            }
        )
    return out


def message(
    m: Message,
    *,
    viewer_id: int,
    author_member: Member | None = None,
    mentions: Iterable[tuple[User, Member | None]] = (),
    mention_role_ids: Iterable[int] = (),
    mention_everyone: bool = False,
    thread_payload: JSON | None = None,
    include_guild_id: bool = True,
) -> JSON:
    data: JSON = {
        "id": str(m.id),
        "type": m.type,
        "channel_id": str(m.channel_id),
        "author": user(m.author),
        "content": m.content,
        "timestamp": m.timestamp,
        "edited_timestamp": m.edited_timestamp,
        "tts": m.tts,
        "mention_everyone": mention_everyone,
        "mentions": [_mention(u, mem) for u, mem in mentions],
        "mention_roles": [str(r) for r in mention_role_ids],
        "attachments": list(m.attachments),
        "embeds": list(m.embeds),
        "components": list(m.components),
        "pinned": m.pinned,
        "flags": m.flags,
    }
    if m.guild_id is not None and include_guild_id:
        data["guild_id"] = str(m.guild_id)
    if author_member is not None:
        data["member"] = member(author_member, with_user=False)
    reacted = reactions(m, viewer_id)
    if reacted:
        data["reactions"] = reacted
    if m.webhook_id is not None:
        data["webhook_id"] = str(m.webhook_id)
    if m.application_id is not None:
        data["application_id"] = str(m.application_id)
    if m.interaction_metadata is not None:
        data["interaction_metadata"] = m.interaction_metadata
    if m.message_reference is not None:
        data["message_reference"] = m.message_reference
    if m.nonce is not None:
        data["nonce"] = m.nonce
    if m.poll is not None:
        data["poll"] = m.poll
    if thread_payload is not None:
        data["thread"] = thread_payload
    return data


def _mention(u: User, m: Member | None) -> JSON:
    data = user(u)
    if m is not None:
        data["member"] = member(m, with_user=False)
    return data


# ---------------------------------------------------------------------------- gateway


def ready(
    *,
    bot: User,
    session_id: str,
    resume_gateway_url: str,
    guild_ids: Iterable[int],
    application_id: int,
    application_flags: int,
    shard: tuple[int, int] | None,
) -> JSON:
    data: JSON = {
        "v": 10,
        "user": current_user(bot),
        "user_settings": {},
        "session_type": "normal",
        "session_id": session_id,
        "resume_gateway_url": resume_gateway_url,
        "guilds": [{"id": str(g), "unavailable": True} for g in guild_ids],
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": ["loopback"],
        "application": {"id": str(application_id), "flags": application_flags},
        "auth": {},
        "_trace": ['["discord-emulator",{"micros":0}]'],
    }
    if shard is not None:
        data["shard"] = [shard[0], shard[1]]
    return data


# ---------------------------------------------------------------------------- application


def application(
    *,
    application_id: int,
    name: str,
    owner: User,
    bot: User,
    flags: int,
    guild_count: int,
) -> JSON:
    return {
        "id": str(application_id),
        "name": name,
        "icon": None,
        "description": "",
        "summary": "",
        "type": None,
        "hook": True,
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": flags,
        "owner": user(owner),
        "team": None,
        "bot": user(bot),
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "role_connections_verification_url": None,
        "tags": [],
        "approximate_guild_count": guild_count,
        "approximate_user_install_count": 0,
        "install_params": {"scopes": ["bot", "applications.commands"], "permissions": "0"},
        "integration_types_config": {
            "0": {
                "oauth2_install_params": {
                    "scopes": ["bot", "applications.commands"],
                    "permissions": "0",
                }
            },
            "1": {},
        },
    }


def app_command(
    *,
    command_id: int,
    application_id: int,
    guild_id: int | None,
    version: int,
    body: Mapping[str, Any],
) -> JSON:
    """What Discord answers for a registered command (the submitted body plus server fields)."""
    data: JSON = {
        "id": str(command_id),
        "application_id": str(application_id),
        "version": str(version),
        "type": int(body.get("type", 1)),
        "name": body["name"],
        "name_localizations": body.get("name_localizations"),
        "description": body.get("description", ""),
        "description_localizations": body.get("description_localizations"),
        "default_member_permissions": body.get("default_member_permissions"),
        "dm_permission": body.get("dm_permission", True),
        "nsfw": bool(body.get("nsfw", False)),
        "contexts": body.get("contexts"),
        "integration_types": body.get("integration_types", [0]),
    }
    if body.get("options"):
        data["options"] = body["options"]
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    return data


# ---------------------------------------------------------------------------- interactions


def interaction(
    *,
    interaction_id: int,
    application_id: int,
    type: int,
    token: str,
    data: JSON | None,
    channel_payload: JSON,
    guild_obj: Guild | None,
    member_payload: JSON | None,
    user_payload: JSON | None,
    app_permissions: int,
    locale: str,
    context: int,
    message_payload: JSON | None = None,
) -> JSON:
    """An INTERACTION_CREATE payload (``discord/types/interactions.py`` ``Interaction``)."""
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": type,
        "token": token,
        "version": 1,
        "channel": channel_payload,
        "channel_id": channel_payload["id"],
        "app_permissions": str(app_permissions),
        "locale": locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "context": context,
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    if data is not None:
        payload["data"] = data
    if guild_obj is not None:
        payload["guild_id"] = str(guild_obj.id)
        payload["guild"] = {
            "id": str(guild_obj.id),
            "locale": guild_obj.preferred_locale,
            "features": list(guild_obj.features),
        }
        payload["guild_locale"] = guild_obj.preferred_locale
        payload["authorizing_integration_owners"] = {"0": str(guild_obj.id)}
        payload["member"] = member_payload
    else:
        # Guild-installed app used in the bot's DM: the owner id is "0".
        payload["authorizing_integration_owners"] = {"0": "0"}
        payload["user"] = user_payload
    if message_payload is not None:
        payload["message"] = message_payload
    return payload


# ---------------------------------------------------------------------------- errors


def error(code: int, message: str, errors: JSON | None = None) -> JSON:
    data: JSON = {"message": message, "code": code}
    if errors is not None:
        data["errors"] = errors
    return data


def rate_limited(retry_after: float, *, is_global: bool = False) -> JSON:
    return {
        "message": "You are being rate limited.",
        "retry_after": round(retry_after, 3),
        "global": is_global,
        "code": 0,
    }
