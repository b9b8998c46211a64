"""REST routes: users, gateway discovery, application info, commands and guilds."""

from __future__ import annotations

import logging
from typing import Any

from ..errors import ApiError
from . import payloads
from .commands import validate_bulk, validate_command
from .http import Ctx, Router
from .models import ChannelType, Guild, Overwrite
from .permissions import P

log = logging.getLogger(__name__)

JSON = dict[str, Any]


def register(router: Router) -> None:
    r = router.route

    # -------------------------------------------------------------- users / gateway / app

    @r("GET", "/users/@me")
    async def get_me(ctx: Ctx) -> JSON:
        return payloads.current_user(ctx.emu.world.bot)

    @r("GET", "/users/{user_id}")
    async def get_user(ctx: Ctx) -> JSON:
        return payloads.user(ctx.emu.world.user(ctx.int_param("user_id")))

    @r("POST", "/users/@me/channels")
    async def create_dm(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        try:
            recipient = world.user(int(ctx.body.get("recipient_id", 0)))
        except (TypeError, ValueError):
            raise ApiError.unknown_user() from None
        return world.render_channel(world.create_dm(recipient))

    @r("GET", "/gateway")
    async def get_gateway(ctx: Ctx) -> JSON:
        return {"url": ctx.emu.gateway_url}

    @r("GET", "/gateway/bot")
    async def get_gateway_bot(ctx: Ctx) -> JSON:
        return {
            "url": ctx.emu.gateway_url,
            "shards": ctx.emu.gateway.shard_count,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }

    async def app_info(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        return payloads.application(
            application_id=world.application_id,
            name=world.application_name,
            owner=world.app_owner,
            bot=world.bot,
            flags=world.application_flags,
            guild_count=len(world.guilds),
        )

    router.add("GET", "/oauth2/applications/@me", app_info)
    router.add("GET", "/applications/@me", app_info)
    router.add("PATCH", "/applications/@me", app_info)

    # -------------------------------------------------------------- application commands

    def scope(ctx: Ctx) -> int | None:
        if ctx.int_param("application_id") != ctx.emu.world.application_id:
            raise ApiError(403, 50001, "Missing Access")
        if "guild_id" not in ctx.params:
            return None
        guild = ctx.emu.world.guild(ctx.int_param("guild_id"))
        if ctx.emu.world.bot.id not in guild.members:
            raise ApiError(403, 50001, "Missing Access")
        return guild.id

    async def list_commands(ctx: Ctx) -> list[JSON]:
        world = ctx.emu.world
        return [world.render_command(c) for c in world.commands_for(scope(ctx))]

    async def bulk_commands(ctx: Ctx) -> list[JSON]:
        guild_id = scope(ctx)
        bodies = validate_bulk(ctx.json)
        world = ctx.emu.world
        return [world.render_command(c) for c in world.replace_commands(guild_id, bodies)]

    async def create_command(ctx: Ctx) -> JSON:
        guild_id = scope(ctx)
        validate_command(ctx.body)
        world = ctx.emu.world
        return world.render_command(world.upsert_command(guild_id, ctx.body))

    def find_command(ctx: Ctx) -> Any:
        guild_id = scope(ctx)
        cmd = ctx.emu.world.commands.get(ctx.int_param("command_id"))
        if cmd is None or cmd.guild_id != guild_id:
            raise ApiError.unknown_command()
        return cmd

    async def get_command(ctx: Ctx) -> JSON:
        return ctx.emu.world.render_command(find_command(ctx))

    async def edit_command(ctx: Ctx) -> JSON:
        cmd = find_command(ctx)
        merged = {**cmd.payload, **ctx.body}
        validate_command(merged)
        world = ctx.emu.world
        return world.render_command(world.upsert_command(cmd.guild_id, merged, existing=cmd))

    async def delete_command(ctx: Ctx) -> None:
        cmd = find_command(ctx)
        ctx.emu.world.commands.pop(cmd.id, None)

    for base in (
        "/applications/{application_id}",
        "/applications/{application_id}/guilds/{guild_id}",
    ):
        router.add("GET", base + "/commands", list_commands)
        router.add("PUT", base + "/commands", bulk_commands)
        router.add("POST", base + "/commands", create_command)
        if "guild_id" in base:
            router.add("GET", base + "/commands/permissions", _no_command_permissions)
        router.add("GET", base + "/commands/{command_id}", get_command)
        router.add("PATCH", base + "/commands/{command_id}", edit_command)
        router.add("DELETE", base + "/commands/{command_id}", delete_command)

    # -------------------------------------------------------------- guilds

    def guild_of(ctx: Ctx) -> Guild:
        guild = ctx.emu.world.guild(ctx.int_param("guild_id"))
        if ctx.emu.world.bot.id not in guild.members:
            raise ApiError.missing_access()
        return guild

    def require_guild_permission(ctx: Ctx, guild: Guild, needed: int) -> None:
        perms = ctx.emu.world.base_permissions(guild, ctx.emu.world.bot.id)
        if perms & needed != needed:
            raise ApiError.missing_permissions()

    @r("GET", "/guilds/{guild_id}")
    async def get_guild(ctx: Ctx) -> JSON:
        guild = guild_of(ctx)
        with_counts = ctx.query.get("with_counts", "false").lower() in ("1", "true")
        return payloads.guild(guild, member_count=len(guild.members) if with_counts else None)

    @r("GET", "/guilds/{guild_id}/channels")
    async def get_channels(ctx: Ctx) -> list[JSON]:
        world = ctx.emu.world
        return [world.render_channel(c) for c in world.guild_channels(guild_of(ctx))]

    @r("POST", "/guilds/{guild_id}/channels")
    async def create_channel(ctx: Ctx) -> JSON:
        guild = guild_of(ctx)
        require_guild_permission(ctx, guild, P.MANAGE_CHANNELS)
        body = ctx.body
        name = str(body.get("name") or "")
        if not 1 <= len(name) <= 100:
            raise ApiError.invalid_form(
                "name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
            )
        world = ctx.emu.world
        parent = None
        if body.get("parent_id"):
            parent = world.channel(int(body["parent_id"]))
        channel = world.create_channel(
            guild,
            name,
            ChannelType(int(body.get("type", 0))),
            category=parent,
            topic=body.get("topic"),
            nsfw=bool(body.get("nsfw", False)),
            tags=[t["name"] for t in body.get("available_tags") or []],
            overwrites=[
                Overwrite(
                    int(o["id"]),
                    int(o.get("type", 0)),
                    int(o.get("allow") or 0),
                    int(o.get("deny") or 0),
                )
                for o in body.get("permission_overwrites") or []
            ],
        )
        return world.render_channel(channel)

    @r("GET", "/guilds/{guild_id}/members/{user_id}")
    async def get_member(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        return world.render_member(world.member(guild_of(ctx), ctx.int_param("user_id")))

    @r("GET", "/guilds/{guild_id}/members")
    async def list_members(ctx: Ctx) -> list[JSON]:
        world = ctx.emu.world
        members = sorted(guild_of(ctx).members.values(), key=lambda m: m.id)
        after = int(ctx.query.get("after", 0) or 0)
        limit = int(ctx.query.get("limit", 1) or 1)
        members = [m for m in members if m.id > after][:limit]
        return [world.render_member(m) for m in members]

    @r("GET", "/guilds/{guild_id}/roles")
    async def list_roles(ctx: Ctx) -> list[JSON]:
        return [payloads.role(r) for r in guild_of(ctx).roles.values()]

    @r("POST", "/guilds/{guild_id}/roles")
    async def create_role(ctx: Ctx) -> JSON:
        guild = guild_of(ctx)
        require_guild_permission(ctx, guild, P.MANAGE_ROLES)
        body = ctx.body
        role = ctx.emu.world.create_role(
            guild,
            str(body.get("name") or "new role"),
            permissions=int(body.get("permissions") or 0),
            color=int(body.get("color") or 0),
            hoist=bool(body.get("hoist", False)),
            mentionable=bool(body.get("mentionable", False)),
            position=1,  # Discord puts new roles just above @everyone
        )
        return payloads.role(role)

    @r("GET", "/guilds/{guild_id}/threads/active")
    async def active_threads(ctx: Ctx) -> JSON:
        world = ctx.emu.world
        threads = world.guild_threads(guild_of(ctx))
        bot_id = world.bot.id
        return {
            "threads": [payloads.thread(t) for t in threads],
            "members": [
                payloads.thread_member(t.id, bot_id, t.create_timestamp)
                for t in threads
                if bot_id in t.thread_member_ids
            ],
            "has_more": False,
        }


async def _no_command_permissions(ctx: Ctx) -> list[JSON]:
    return []
