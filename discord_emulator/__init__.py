"""A loopback Discord (REST API v10 + gateway) for end-to-end tests of discord.py bots.

Everything runs in the test's event loop on 127.0.0.1; no token and no internet needed.

Quick start::

    import discord
    from discord.ext import commands
    from discord_emulator import Emulator, running_bot

    bot = commands.Bot(command_prefix=commands.when_mentioned, intents=discord.Intents(guilds=True))
    # ... add app commands to bot.tree ...

    emu = Emulator(heartbeat_interval=0.5)
    alice = emu.world.create_user("alice")
    guild = emu.world.create_guild("Test Server", owner=alice)
    general = emu.world.create_channel(guild, "general")
    async with running_bot(bot, emu) as (emu, drv):
        await bot.tree.sync()                   # or sync in setup_hook
        drv.use(user=alice, channel=general)
        reply = await drv.invoke("/quiz start", rounds=3)
        assert "Round 1" in reply.text()
        nxt = await drv.click(reply, "Next")    # button by label or custom_id
        assert nxt.callback_type == 7           # message updated in place

Layout: :mod:`discord_emulator.server` is Discord's side (world, REST routes, gateway,
payloads, permissions, faults); :mod:`discord_emulator.driver` is the user's side (invoke,
click, results). Everything public is re-exported here. See README.md for a guide.

Public API
----------
``Emulator(*, bot_name="Emulated Bot", heartbeat_interval=41.25, shards=1, ack_deadline=3.0,
token=None, rate_limit=(50, 1.0), allowed_intents=ALL, token_lifetime=900.0)``
    ``await emu.start()`` / ``await emu.stop()`` (or ``async with``); ``emu.base_url``,
    ``emu.api_url``, ``emu.gateway_url``. ``token=None`` accepts any token.
    ``rate_limit`` is per route bucket (Discord's real channel limit is ``(5, 5.0)``).
World set-up: ``emu.world`` (:class:`World`, changes are dispatched live):
    ``create_user``, ``create_guild``, ``create_role``, ``edit_role``, ``delete_role``,
    ``add_member``, ``remove_member``, ``set_member_roles``, ``set_bot_permissions``,
    ``create_channel(guild, name, ChannelType.X, category=, tags=, overwrites=)``,
    ``set_overwrite(channel, role_or_user, allow=, deny=)``, ``update_channel``,
    ``delete_channel`` (CHANNEL_DELETE / THREAD_DELETE), ``create_dm(user)``,
    ``create_thread``, ``create_forum_post(forum, author, name=, content=, tags=)``,
    ``vote_poll(message, user, answers)``, ``end_poll(message)`` (MESSAGE_UPDATE + a type 46
    POLL_RESULT message), ``scheduled_events`` / ``guild_events(guild)``,
    ``add_message(channel, author, content=...)`` (a user posts), ``add_reaction``,
    ``permissions_for(user, channel)``; permission bits are in :class:`P`.
Faults: ``emu.rate_limit(route, retry_after=0.05, times=1)``, ``emu.server_error(route,
    status=500, times=1)``, ``emu.delay(route, seconds)``, ``await emu.drop_gateway(abrupt=False)``;
    ``route`` is a discord.py route template (``"/channels/{channel_id}/messages"``), a concrete
    path, or a compiled regex; ``method=`` narrows it. Each returns a ``Fault`` (``.hits``).
    ``emu.forbid(route, code=50013)`` (403 as when a permission was taken away),
    ``emu.global_rate_limit(retry_after=)`` (429 ``global: true`` + ``X-RateLimit-Global``),
    ``await emu.drop_gateway(resumable=False)`` (the RESUME is refused: op 9 ``d=false``),
    ``emu.zombie_gateway()`` (heartbeats never acknowledged, nothing sent),
    ``emu.redeliver(result)`` (the same INTERACTION_CREATE again), ``emu.advance_clock(s)``
    (interaction tokens expire after ``token_lifetime``, 900 s: 401 / 50027).
Records: ``emu.requests`` (``RequestRecord``: method, path, route, query, json, files, headers
    without Authorization, status, response), ``emu.unknown_requests``,
    ``emu.requests_to(method, route)``, ``emu.server_errors`` (emulator bugs),
    ``emu.gateway.events("THREAD_CREATE")`` (dispatches sent), ``emu.gateway.lifecycle`` and
    ``await emu.gateway.wait_for_lifecycle("resume", after=n)``.
``point_discord_at(emu)``
    Context manager setting ``discord.http.Route.BASE``, ``DiscordWebSocket.DEFAULT_GATEWAY``
    and ``discord.asset.Asset.BASE`` to the emulator; restores them on exit. Given
    ``emu.base_url`` (a string) instead, it points a bot in another process at it.
Shards: ``Emulator(shards=n)`` is what ``GET /gateway/bot`` recommends; an IDENTIFY with
    ``shard=[id, count]`` gets only the guilds with ``(guild_id >> 22) % count == id``
    (``shard_of``) in READY and GUILD_CREATE, and only their events; DMs go to shard 0.
    More than 2,500 guilds on one shard: the IDENTIFY is closed with 4011.
    ``create_guild(..., shard=(id, count))`` makes a guild on that shard.
``running_bot(bot, emu=None, *, token="emulator-token", ready_timeout=10,
guild_ready_timeout=0.05)``
    Async context manager yielding ``(emu, driver)`` once ``bot`` is ready; on exit closes the
    bot, awaits its task and stops the emulator if it started it.
``Driver`` (coroutines take ``timeout=`` (default 5 s); ``user=``/``channel=`` default to
    ``drv.use(user=..., channel=...)``)
    ``invoke("/group sub", **options)`` (waits for deferrals unless ``wait=False``),
    ``run('/cmd opt:value member:@bob')``, ``autocomplete("/cmd", focused=, value=)`` -> choices,
    ``click(message, label_or_custom_id)``, ``select(message, custom_id, values)``,
    ``submit_modal(result_that_opened_it, {custom_id_or_label: value})``,
    ``context_menu(name, message_or_user)``, ``vote(poll_message, *answers, user=)``,
    ``messages(channel)`` (current state, oldest first),
    ``threads(parent=None)``, ``cursor()``,
    ``wait_for_message(channel, edits=False, check=None, after=cursor)``,
    ``settled()`` (gateway flushed, requests answered; use after changing the world).
``InteractionResult`` (what those return)
    ``content``, ``embeds``, ``embed``, ``components``, ``ephemeral``, ``message_id``,
    ``channel_id``, ``allowed_mentions``, ``callback_type``, ``deferred``, ``modal``,
    ``choices``, ``payload`` (the INTERACTION_CREATE sent), ``message`` (current :class:`Reply`),
    ``messages`` (every create/edit/delete snapshot), ``followups``, ``buttons()``,
    ``selects()``, ``text()``, ``await wait_messages(n)``, ``await wait_followup()``.
``Reply``: an immutable message snapshot with the same helpers.
Errors: ``CommandNotFound``, ``OptionError``, ``ComponentNotFound``, ``DriverError``,
``NoResponse`` (never acknowledged), ``InteractionTimeout`` (deferred but never completed, or
callback rejected), all subclasses of ``EmulatorError``.

Things worth knowing
--------------------
* Options named ``user``/``channel``/``options``/``timeout``/``wait``/``locale`` collide with
  the driver's own keywords: pass them as ``options={"channel": ...}``.
* Discord rules the emulator enforces: 3 s to acknowledge (``ack_deadline``), 15 minutes
  for followups and edits (``token_lifetime``; ``advance_clock`` skips ahead), one callback per
  interaction, the first followup after ``defer(thinking=True)`` replaces the "thinking" message
  (keeping the defer's ephemerality), message/command validation (lengths, empty messages,
  duplicate custom_ids, command names), permissions (403 / 50013, 50001).
* discord.py retries 500/502/504/524 five times sleeping 1+2n s (25 s in total); other 5xx
  (e.g. 503) raise ``DiscordServerError`` at once. Non-initial IDENTIFYs sleep 5 s
  (``before_identify_hook``), so prefer ``drop_gateway`` (RESUME) over invalidating sessions.
* Intents are honoured: with ``Intents(guilds=True)`` the bot gets no MESSAGE_CREATE/UPDATE
  (its message cache stays empty; component interactions still carry the full message) and
  GUILD_CREATE lists only the bot's own member; without MESSAGE_CONTENT other people's guild
  messages arrive with empty content unless they mention the bot.
* The driver refuses what a client could not do: unsynced commands, unknown or missing options,
  values outside choices/ranges, users who are not members or cannot see the channel, disabled
  or link buttons, commands hidden by ``default_member_permissions`` or contexts.
* Polls follow discord.py's ``types/poll.py``: a create request becomes a poll with answer ids
  1..n and an ``expiry``; votes come from ``world.vote_poll``/``drv.vote``; nothing ends by
  itself until ``world.end_poll(message)`` or ``world.end_due_polls(now)`` (or the bot's
  ``POST /channels/{c}/polls/{m}/expire``), which finalizes the results (MESSAGE_UPDATE)
  and posts a type 46 POLL_RESULT message with the ``poll_result`` embed discord.py reads.
* Scheduled events (``/guilds/{g}/scheduled-events``) need Manage Events (or Create Events
  for the bot's own), a future start and, for external ones, a location and an end; roles a
  bot creates start at position 1, and giving/taking/editing one needs Manage Roles and a
  role below the bot's highest. Localized command metadata is checked (Discord's locale
  codes, name rules per locale); ``server.localization.as_seen_by(body, locale)`` is
  what a client in that locale lists.
* Archived threads: sending unarchives an unlocked one; locked ones and edits, deletes,
  reactions and pins in archived threads answer 400 / 50083.
* After each action the driver waits until the emulator answered every in-flight request plus
  ``drv.settle`` (10 ms) so the bot has, e.g., registered a view before the next click.
"""

from __future__ import annotations

from .driver.driver import Driver
from .driver.results import Button, InteractionResult, Reply, Select
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
from .sample import SampleServer, sample_server
from .server.emulator import Emulator
from .server.http import RequestRecord
from .server.models import (
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
from .server.permissions import BOT_DEFAULT, EVERYONE_DEFAULT, MODERATOR_DEFAULT, P
from .server.snowflake import SnowflakeGenerator, shard_of, snowflake_time
from .server.world import World

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
    "MessageType",
    "NoResponse",
    "OptionError",
    "Overwrite",
    "P",
    "Reply",
    "RequestRecord",
    "Role",
    "SampleServer",
    "Select",
    "SnowflakeGenerator",
    "User",
    "World",
    "point_discord_at",
    "running_bot",
    "sample_server",
    "shard_of",
    "snowflake_time",
]
