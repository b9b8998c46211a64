"""A loopback Discord (REST API v10 + gateway) for end-to-end tests of discord.py bots.

Everything runs in the test's event loop on 127.0.0.1; no token and no internet needed.

Quick start::

    import discord
    from discord.ext import commands
    from emulator import Emulator, running_bot

    bot = commands.Bot(command_prefix=commands.when_mentioned, intents=discord.Intents(guilds=True))
    # ... add app commands to bot.tree ...

    emu = Emulator(heartbeat_interval=0.5)
    world = emu.default_world()                 # "Soundtrack Fans" guild, users, channels
    async with running_bot(bot, emu) as (emu, drv):
        await bot.tree.sync(guild=world.guild)  # or sync in setup_hook
        drv.use(user=world.alice, channel=world.general)
        reply = await drv.invoke("/trivia start", rounds=3, category="cast")
        assert "Round 1" in reply.text()
        nxt = await drv.click(reply, "Next")    # button by label or custom_id
        assert nxt.callback_type == 7           # message updated in place

Public API
----------
``Emulator(*, bot_name, heartbeat_interval=41.25, shards=1, ack_deadline=3.0, token=None,
rate_limit=(50, 1.0), allowed_intents=ALL)``
    ``await emu.start()`` / ``await emu.stop()`` (or ``async with``); ``emu.base_url``,
    ``emu.api_url``, ``emu.gateway_url``.
    World set-up: ``emu.default_world() -> DefaultWorld`` and ``emu.world`` (:class:`World`):
    ``create_user``, ``create_guild``, ``create_role``, ``edit_role``, ``add_member``,
    ``set_member_roles``, ``create_channel(guild, name, ChannelType..., category=, tags=,
    overwrites=)``, ``set_overwrite``, ``set_bot_permissions``, ``update_channel``,
    ``delete_channel`` (dispatches CHANNEL_DELETE / THREAD_DELETE), ``create_dm``,
    ``add_message`` (a user posting), ``add_reaction``, ``permissions_for``.
    Faults: ``emu.rate_limit(route, retry_after=, times=)``, ``emu.server_error(route,
    status=500, times=)``, ``emu.delay(route, seconds)``, ``await emu.drop_gateway(abrupt=)``;
    ``route`` is a discord.py route template (``"/channels/{channel_id}/messages"``), a path, or
    a compiled regex; ``method=`` narrows it.
    Records: ``emu.requests`` (method, path, route, query, json, files, headers, status),
    ``emu.unknown_requests``, ``emu.requests_to(method, route)``, ``emu.server_errors``,
    ``emu.gateway.events(name)`` (dispatches sent), ``emu.gateway.lifecycle`` /
    ``wait_for_lifecycle("resume")``.
``point_discord_at(emu)``
    Context manager that sets ``discord.http.Route.BASE`` / ``DiscordWebSocket.DEFAULT_GATEWAY``
    (and ``Asset.BASE``) and restores them.
``running_bot(bot, emu=None, *, token="emulator-token", ready_timeout=10,
guild_ready_timeout=0.05)``
    Async context manager yielding ``(emu, driver)`` once ``bot`` is ready; closes everything.
``Driver`` (all coroutines take ``timeout=``; ``user=``/``channel=`` default to ``drv.use(...)``)
    ``invoke("/group sub", **options) -> InteractionResult`` (waits for deferrals),
    ``autocomplete("/cmd", focused=, value=) -> list[dict]``, ``click(message, label_or_id)``,
    ``select(message, custom_id, values)``,
    ``submit_modal(result_with_modal, {id_or_label: value})``,
    ``context_menu(name, message_or_user)``, ``messages(channel)``, ``threads(parent)``,
    ``cursor()``, ``wait_for_message(channel, edits=False, check=None, after=None)``.
``InteractionResult``
    ``content``, ``embeds``, ``embed``, ``components``, ``ephemeral``, ``message_id``,
    ``channel_id``, ``allowed_mentions``, ``callback_type``, ``deferred``, ``modal``,
    ``choices``, ``message`` (current :class:`Reply`), ``messages`` (every create/edit/delete
    snapshot), ``followups``, ``buttons()``, ``selects()``, ``text()``, ``wait_messages(n)``,
    ``wait_followup()``.
``Reply``
    Immutable message snapshot with the same helpers (``buttons()``, ``embed``, ``text()``).
Errors: ``CommandNotFound``, ``OptionError``, ``ComponentNotFound``, ``NoResponse`` (bot never
acknowledged), ``InteractionTimeout`` (deferred but never completed), all ``EmulatorError``.
"""

from __future__ import annotations

from .core import DefaultWorld, Emulator
from .driver import Driver
from .errors import (
    ApiError,
    CommandNotFound,
    ComponentNotFound,
    DriverError,
    EmulatorError,
    InteractionTimeout,
    NoResponse,
    OptionError,
)
from .harness import point_discord_at, running_bot
from .models import (
    AppCommand,
    Channel,
    ChannelType,
    ForumTag,
    Guild,
    Member,
    Message,
    Overwrite,
    Role,
    User,
)
from .permissions import BOT_DEFAULT, EVERYONE_DEFAULT, MODERATOR_DEFAULT, P
from .results import Button, InteractionResult, Reply, Select
from .snowflake import SnowflakeGenerator, snowflake_time
from .world import World

__all__ = [
    "BOT_DEFAULT",
    "EVERYONE_DEFAULT",
    "MODERATOR_DEFAULT",
    "ApiError",
    "AppCommand",
    "Button",
    "Channel",
    "ChannelType",
    "CommandNotFound",
    "ComponentNotFound",
    "DefaultWorld",
    "Driver",
    "DriverError",
    "Emulator",
    "EmulatorError",
    "ForumTag",
    "Guild",
    "InteractionResult",
    "InteractionTimeout",
    "Member",
    "Message",
    "NoResponse",
    "OptionError",
    "Overwrite",
    "P",
    "Reply",
    "Role",
    "Select",
    "SnowflakeGenerator",
    "User",
    "World",
    "point_discord_at",
    "running_bot",
    "snowflake_time",
]
