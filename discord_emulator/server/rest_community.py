"""REST routes: poll voters and early ends, guild scheduled events, member roles and role edits.

Permission rules as Discord applies them: ending a poll is for its author; scheduled events
need Manage Events (Create Events for the bot's own); giving, taking and editing roles need
Manage Roles and a role below the bot's highest one (never a managed role or @everyone).
"""

from __future__ import annotations

import logging
from typing import Any

from ..errors import ApiError
from . import payloads
from .http import Ctx, Router
from .models import Guild, Role
from .permissions import P

log = logging.getLogger(__name__)

JSON = dict[str, Any]


def _guild(ctx: Ctx) -> Guild:
    guild = ctx.emu.world.guild(ctx.int_param("guild_id"))
    if ctx.emu.world.bot.id not in guild.members:
        raise ApiError.missing_access()
    return guild


def _bot_has(ctx: Ctx, guild: Guild, needed: int) -> bool:
    perms = ctx.emu.world.base_permissions(guild, ctx.emu.world.bot.id)
    return perms & P.ADMINISTRATOR != 0 or perms & needed == needed


def _top_position(ctx: Ctx, guild: Guild) -> int:
    member = guild.members[ctx.emu.world.bot.id]
    return max((guild.roles[r].position for r in member.roles if r in guild.roles), default=0)


def _manageable_role(ctx: Ctx, guild: Guild) -> Role:
    if not _bot_has(ctx, guild, P.MANAGE_ROLES):
        raise ApiError.missing_permissions()
    role = guild.roles.get(ctx.int_param("role_id"))
    if role is None:
        raise ApiError.unknown_role()
    if role.managed or role.is_everyone or role.position >= _top_position(ctx, guild):
        raise ApiError.missing_permissions()
    return role


def register(router: Router) -> None:
    r = router.route

    # -------------------------------------------------------------- polls

    def poll_message(ctx: Ctx) -> Any:
        world = ctx.emu.world
        channel = world.channel(ctx.int_param("channel_id"))
        if not channel.is_dm and not world.bot_permissions(channel) & P.VIEW_CHANNEL:
            raise ApiError.missing_access()
        message = world.message(channel, ctx.int_param("message_id"))
        world.poll_state(message)
        return message

    @r("GET", "/channels/{channel_id}/polls/{message_id}/answers/{answer_id}")
    async def answer_voters(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        message = poll_message(ctx)
        voters = world.poll_state(message).voters(ctx.int_param("answer_id"))
        after = int(ctx.query.get("after", 0) or 0)
        limit = max(1, min(100, int(ctx.query.get("limit", 25) or 25)))
        users = [world.users[u] for u in sorted(voters) if u > after][:limit]
        return {"users": [payloads.user(u) for u in users]}

    @r("POST", "/channels/{channel_id}/polls/{message_id}/expire")
    async def expire_poll(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        message = poll_message(ctx)
        if message.author.id != world.bot.id:
            raise ApiError(
                403, 50005, "Cannot execute action on a message authored by another user"
            )
        world.end_poll(message)
        return world.render_message(message)

    # -------------------------------------------------------------- scheduled events

    @r("GET", "/guilds/{guild_id}/scheduled-events")
    async def list_events(ctx: Ctx) -> list[JSON]:
        world = ctx.emu.world
        counts = ctx.query.get("with_user_count", "false").lower() in ("1", "true")
        return [
            world.render_scheduled_event(e, with_user_count=counts)
            for e in world.guild_events(_guild(ctx))
        ]

    @r("POST", "/guilds/{guild_id}/scheduled-events")
    async def create_event(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        guild = _guild(ctx)
        if not (_bot_has(ctx, guild, P.MANAGE_EVENTS) or _bot_has(ctx, guild, P.CREATE_EVENTS)):
            raise ApiError.missing_permissions()
        return world.render_scheduled_event(
            world.create_scheduled_event(guild, world.bot, ctx.body)
        )

    def editable_event(ctx: Ctx) -> Any:
        world = ctx.emu.world
        guild = _guild(ctx)
        event = world.scheduled_event(guild, ctx.int_param("event_id"))
        own = event.creator_id == world.bot.id and _bot_has(ctx, guild, P.CREATE_EVENTS)
        if not (own or _bot_has(ctx, guild, P.MANAGE_EVENTS)):
            raise ApiError.missing_permissions()
        return event

    @r("GET", "/guilds/{guild_id}/scheduled-events/{event_id}")
    async def get_event(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        counts = ctx.query.get("with_user_count", "false").lower() in ("1", "true")
        event = world.scheduled_event(_guild(ctx), ctx.int_param("event_id"))
        return world.render_scheduled_event(event, with_user_count=counts)

    @r("PATCH", "/guilds/{guild_id}/scheduled-events/{event_id}")
    async def edit_event(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        return world.render_scheduled_event(
            world.edit_scheduled_event(editable_event(ctx), ctx.body)
        )

    @r("DELETE", "/guilds/{guild_id}/scheduled-events/{event_id}")
    async def delete_event(ctx: Ctx) -> None:
        ctx.emu.world.delete_scheduled_event(editable_event(ctx))

    # -------------------------------------------------------------- roles

    @r("PATCH", "/guilds/{guild_id}/roles/{role_id}")
    async def edit_role(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        role = _manageable_role(ctx, _guild(ctx))
        changes: JSON = {}
        for key in ("name", "color", "hoist", "mentionable", "permissions"):
            if key in ctx.body and ctx.body[key] is not None:
                value = ctx.body[key]
                changes[key] = int(value) if key in ("color", "permissions") else value
        if "name" in changes and not 1 <= len(str(changes["name"])) <= 100:
            raise ApiError.invalid_form(
                "name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
        return payloads.role(world.edit_role(role, **changes))

    async def member_role(ctx: Ctx, add: bool) -> None:
        world = ctx.emu.world
        guild = _guild(ctx)
        role = _manageable_role(ctx, guild)
        member = world.member(guild, ctx.int_param("user_id"))
        roles = [guild.roles[r] for r in member.roles if r in guild.roles and r != role.id]
        if add:
            roles.append(role)
        if set(member.roles) != {x.id for x in roles}:
            world.set_member_roles(member, roles)

    @r("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
    async def add_member_role(ctx: Ctx) -> None:
        await member_role(ctx, True)

    @r("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}")
    async def remove_member_role(ctx: Ctx) -> None:
        await member_role(ctx, False)
