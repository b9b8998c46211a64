"""A bare discord.py bot against the emulator: login, sync, every interaction style, faults."""

from __future__ import annotations

import asyncio

import discord
import pytest

from discord_emulator import (
    CommandNotFound,
    ComponentNotFound,
    DriverError,
    Emulator,
    NoResponse,
    OptionError,
    P,
    running_bot,
)

from .helpers import CAST, Env, LogCollector, build_bot, sample_world

CALLBACK = "/interactions/{webhook_id}/{webhook_token}/callback"
MESSAGES = "/channels/{channel_id}/messages"


def assert_quiet(log: LogCollector) -> None:
    assert log.messages() == []


# ----------------------------------------------------------------------------- start-up


async def test_bot_reaches_ready_with_full_guild_cache(env: Env) -> None:
    bot, world = env.bot, env.world
    assert bot.is_ready()
    assert bot.user is not None and bot.user.id == env.emu.world.bot.id
    assert bot.application_id == env.emu.world.application_id
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    assert guild.name == "Test Server"
    assert guild.owner_id == world.owner.id
    assert guild.member_count == 5
    # Without the GUILD_MEMBERS intent Discord only lists the bot itself in GUILD_CREATE.
    (created,) = env.emu.gateway.events("GUILD_CREATE")
    assert [m["user"]["id"] for m in created.data["members"]] == [str(bot.user.id)]
    assert guild.me is not None and guild.me.id == bot.user.id
    kinds = {c.name: type(c).__name__ for c in guild.channels}
    assert kinds == {
        "Chat": "CategoryChannel",
        "general": "TextChannel",
        "forum": "ForumChannel",
        "Voice": "VoiceChannel",
    }
    forum = guild.get_channel(world.forum.id)
    assert isinstance(forum, discord.ForumChannel)
    assert [t.name for t in forum.available_tags] == [
        "Episode 1",
        "Episode 2",
        "Episode 3",
        "Episode 4",
        "Spoilers",
    ]
    assert {r.name for r in guild.roles} == {"@everyone", "Moderator", "Emulated Bot"}
    perms = guild.get_channel(world.general.id).permissions_for(guild.me)
    assert perms.send_messages and perms.manage_threads and perms.embed_links
    assert not perms.administrator and not perms.manage_guild
    # discord.py's own permission maths agrees with the emulator's.
    assert perms.value == env.emu.world.bot_permissions(world.general)
    assert env.emu.unknown_requests == []
    assert_quiet(env.log)


async def test_created_at_comes_from_realistic_snowflakes(env: Env) -> None:
    guild = env.bot.get_guild(env.world.guild.id)
    assert guild is not None
    age = discord.utils.utcnow() - guild.created_at
    assert 0 <= age.total_seconds() < 60


async def test_sync_registers_global_and_guild_commands(env: Env) -> None:
    emu, bot, world = env.emu, env.bot, env.world
    global_names = {c.name for c in emu.world.commands_for(None)}
    assert {"hello", "trivia", "cast", "slow", "Mark as spoiler", "Profile"} <= global_names
    bot.tree.copy_global_to(guild=discord.Object(world.guild.id))
    synced = await bot.tree.sync(guild=discord.Object(world.guild.id))
    stored = {c.id: c.name for c in emu.world.commands_for(world.guild.id)}
    assert {c.id: c.name for c in synced} == stored
    fetched = await bot.tree.fetch_commands(guild=discord.Object(world.guild.id))
    assert {c.id for c in fetched} == set(stored)
    trivia = next(c for c in fetched if c.name == "trivia")
    assert [o.name for o in trivia.options] == ["start"]
    assert emu.requests_to("PUT", "/applications/{application_id}/guilds/{guild_id}/commands")
    assert_quiet(env.log)


async def test_invalid_command_tree_is_rejected_like_discord(env: Env) -> None:
    @env.bot.tree.command(name="bad", description="x" * 101)
    async def bad(interaction: discord.Interaction) -> None:  # pragma: no cover
        pass

    with pytest.raises(discord.HTTPException) as info:
        await env.bot.tree.sync()
    assert info.value.status == 400 and info.value.code == 50035


# ----------------------------------------------------------------------------- slash commands


async def test_invoke_returns_the_reply(env: Env) -> None:
    reply = await env.drv.invoke("/hello", name="Ji-woo", times=2)
    assert reply.callback_type == 4
    assert reply.content == "Hello Ji-woo!"
    assert not reply.ephemeral
    assert reply.embed is not None and reply.embed["title"] == "Greeting"
    assert reply.embed["description"] == "Hello Ji-woo! Hello Ji-woo!"
    assert "Hello Ji-woo! Hello Ji-woo!" in reply.text()
    assert reply.channel_id == env.world.general.id
    # The reply is a real channel message (not ephemeral) with interaction metadata.
    logged = env.drv.messages(env.world.general)
    assert [m.id for m in logged] == [reply.message_id]
    assert logged[0].type == 20  # CHAT_INPUT_COMMAND
    assert_quiet(env.log)


async def test_subcommand_with_choices_and_ephemeral_reply(env: Env) -> None:
    reply = await env.drv.invoke("/trivia start", rounds=5, category="Music")  # choice by name
    assert reply.content == "Starting 5 rounds of music"
    assert reply.ephemeral
    assert env.drv.messages(env.world.general) == []  # ephemeral: not in the channel log
    sent = reply.payload["data"]["options"][0]
    assert sent == {
        "type": 1,
        "name": "start",
        "options": [
            {"type": 4, "name": "rounds", "value": 5},
            {"type": 3, "name": "category", "value": "music"},
        ],
    }


async def test_driver_rejects_what_a_client_could_not_send(env: Env) -> None:
    drv = env.drv
    with pytest.raises(OptionError, match="required option 'name'"):
        await drv.invoke("/hello")
    with pytest.raises(OptionError, match="no option"):
        await drv.invoke("/hello", name="x", colour="red")
    with pytest.raises(OptionError, match=r"outside 1\.\.5"):
        await drv.invoke("/hello", name="x", times=9)
    with pytest.raises(OptionError, match="not one of the choices"):
        await drv.invoke("/trivia start", category="sports")
    with pytest.raises(CommandNotFound, match="not synced"):
        await drv.invoke("/nope")
    with pytest.raises(CommandNotFound, match="needs a subcommand"):
        await drv.invoke("/trivia")


async def test_defer_then_followup(env: Env) -> None:
    reply = await env.drv.invoke("/slow")
    assert reply.callback_type == 5 and reply.deferred
    assert reply.content == "Done thinking"
    assert reply.embed is not None and reply.embed["title"] == "Result"
    # The first followup after "thinking" replaces the loading message (Discord behaviour).
    kinds = [(m.kind, m.loading) for m in reply.messages]
    assert kinds == [("create", True), ("edit", False)]
    assert reply.followups == []
    assert_quiet(env.log)


async def test_resolved_user_channel_and_role_options(env: Env) -> None:
    world = env.world
    # "channel" (like "user") is also the driver's own keyword: pass such options via options=.
    reply = await env.drv.invoke(
        "/whois",
        member=world.moderator,
        role=world.moderator_role,
        options={"channel": world.general},
    )
    assert reply.content == "Moderator (Member) #general @Moderator"
    resolved = reply.payload["data"]["resolved"]
    assert set(resolved) == {"users", "members", "channels", "roles"}


async def test_autocomplete_returns_choices(env: Env) -> None:
    choices = await env.drv.autocomplete("/cast", focused="name", value="han")
    assert [c["name"] for c in choices] == ["Han Seo-jun", "Hana Kim"]
    assert [c["value"] for c in choices] == ["Han Seo-jun", "Hana Kim"]
    everything = await env.drv.autocomplete("/cast", focused="name", value="")
    assert len(everything) == len(CAST)
    assert_quiet(env.log)


async def test_command_that_raises_gets_no_response(env: Env) -> None:
    with pytest.raises(NoResponse):
        await env.drv.invoke("/boom", timeout=0.5)
    errors = [r for r in env.log.records if r.levelname == "ERROR"]
    assert errors and "Ignoring exception in command" in errors[0].getMessage()


async def test_dm_interaction_uses_user_not_member(env: Env) -> None:
    dm = env.emu.world.create_dm(env.world.bob)
    reply = await env.drv.invoke("/hello", name="Bob", user=env.world.bob, channel=dm)
    assert reply.content == "Hello Bob!"
    assert "user" in reply.payload and "member" not in reply.payload
    assert reply.payload["context"] == 1
    assert reply.payload["channel"]["type"] == 1
    with pytest.raises(DriverError, match="not available in DMs"):
        await env.drv.invoke("/trivia start", user=env.world.bob, channel=dm)
    assert_quiet(env.log)


# ----------------------------------------------------------------------------- components


async def test_button_click_edits_message_in_place(env: Env) -> None:
    drv = env.drv
    first = await drv.invoke("/pages")
    assert first.content == "Page 1"
    assert [(b.label, b.custom_id, b.disabled) for b in first.buttons()] == [
        ("Next", "pager:next", False),
        ("Open site", None, False),
    ]
    second = await drv.click(first, "Next", user=env.world.bob)
    assert second.callback_type == 7
    assert second.message_id == first.message_id
    assert second.content == "Page 2"
    assert second.buttons()[0].disabled
    assert first.content == "Page 2"  # results show the message's current state
    with pytest.raises(ComponentNotFound, match="disabled"):
        await drv.click(second, "Next")
    with pytest.raises(ComponentNotFound, match="link"):
        await drv.click(second, "Open site")
    assert_quiet(env.log)


async def test_select_menu(env: Env) -> None:
    shown = await env.drv.invoke("/pick")
    assert shown.selects()[0].custom_id == "picker:episode"
    picked = await env.drv.select(shown, "picker:episode", ["Episode 3"])
    assert picked.content == "You picked episode 3"
    assert picked.components == []
    with pytest.raises(ComponentNotFound):
        await env.drv.select(picked, "picker:episode", ["1"])


async def test_modal_round_trip(env: Env) -> None:
    opened = await env.drv.invoke("/feedback")
    assert opened.callback_type == 9
    assert opened.modal is not None and opened.modal["title"] == "Feedback"
    with pytest.raises(OptionError, match="required"):
        await env.drv.submit_modal(opened, {})
    done = await env.drv.submit_modal(opened, {"Your answer": "Great show"})
    assert done.content == "Thanks: Great show"
    assert done.ephemeral
    assert_quiet(env.log)


async def test_message_and_user_context_menus(env: Env) -> None:
    world = env.emu.world
    said = world.add_message(env.world.general, env.world.alice, content="The twist in ep 4!")
    reply = await env.drv.context_menu("Mark as spoiler", said)
    assert reply.content == f"Marked {said.id}: The twist in ep 4!"
    profile = await env.drv.context_menu("Profile", env.world.bob)
    assert profile.content == "Profile of bob"


async def test_file_upload_becomes_an_attachment_served_by_the_emulator(env: Env) -> None:
    reply = await env.drv.invoke("/export")
    assert reply.content == "Here you go"
    message = reply.message
    assert message is not None
    (attachment,) = message.attachments
    assert attachment["filename"] == "notes.txt" and attachment["size"] == len(b"episode notes")
    assert attachment["url"].startswith(env.emu.base_url)
    assert env.emu.requests_to("POST", CALLBACK)[-1].files == ["notes.txt"]
    data = await env.bot.http.get_from_cdn(attachment["url"])
    assert data == b"episode notes"
    avatar = await env.bot.user.display_avatar.read()  # CDN requests stay on 127.0.0.1 too
    assert avatar.startswith(b"\x89PNG")


# ----------------------------------------------------------------------------- channels & threads


async def test_world_changes_after_ready_reach_the_bot(env: Env) -> None:
    emu, world, bot = env.emu, env.world, env.bot
    created: list[discord.Thread] = []

    async def on_thread_create(thread: discord.Thread) -> None:
        created.append(thread)

    bot.add_listener(on_thread_create)
    new_guild = emu.world.create_guild("Late Guild", owner=world.owner)
    lobby = emu.world.create_channel(new_guild, "lobby")
    post, starter = emu.world.create_forum_post(
        world.forum, world.alice, name="Ep 2 theories", content="Thoughts?", tags=["Episode 2"]
    )
    emu.world.remove_member(world.guild, world.bob)
    await env.drv.settled()
    joined = bot.get_guild(new_guild.id)
    assert joined is not None and joined.get_channel(lobby.id) is not None
    assert [t.id for t in created] == [post.id]
    assert [t.name for t in created[0].applied_tags] == ["Episode 2"]
    assert starter.id == post.id
    assert_quiet(env.log)


async def test_threads_in_text_and_forum_channels(env: Env) -> None:
    emu, world, bot = env.emu, env.world, env.bot
    reply = await env.drv.invoke("/threads", forum=world.forum)
    text_id, post_id = (int(x) for x in reply.content.split())
    created = emu.gateway.events("THREAD_CREATE")
    assert [int(e.data["id"]) for e in created] == [text_id, post_id]
    assert all(e.data["newly_created"] for e in created)
    guild = bot.get_guild(world.guild.id)
    assert guild is not None
    text_thread, post = guild.get_thread(text_id), guild.get_thread(post_id)
    assert text_thread is not None and text_thread.parent_id == world.general.id
    assert post is not None and post.parent_id == world.forum.id
    assert [t.name for t in post.applied_tags] == ["Episode 1"]
    assert post.owner_id == bot.user.id
    # The forum post's starter message lives in the thread and shares its id.
    starter = env.drv.messages(post_id)
    assert [(m.id, m.content) for m in starter] == [(post_id, "Talk here")]
    # A text-channel thread without a message leaves a "thread created" system message.
    assert [m.type for m in env.drv.messages(world.general)] == [18]
    assert {t.id for t in env.drv.threads()} == {text_id, post_id}
    assert_quiet(env.log)


async def test_channel_deleted_from_discords_side(env: Env) -> None:
    guild = env.bot.get_guild(env.world.guild.id)
    assert guild is not None
    doomed = env.emu.world.create_channel(env.world.guild, "doomed")
    await env.drv.settled()
    assert guild.get_channel(doomed.id) is not None
    env.emu.world.delete_channel(doomed)
    await env.drv.settled()
    assert guild.get_channel(doomed.id) is None


async def test_missing_permission_answers_403_50013(env: Env) -> None:
    world = env.world
    env.emu.world.set_overwrite(world.general, world.bot_role, deny=P.SEND_MESSAGES)
    reply = await env.drv.invoke("/post")
    assert reply.content == "forbidden 403 50013"
    rec = env.emu.requests_to("POST", MESSAGES)[-1]
    assert rec.status == 403 and rec.response == {"message": "Missing Permissions", "code": 50013}
    assert_quiet(env.log)


async def test_wait_for_message_sees_messages_the_bot_posts_by_itself(env: Env) -> None:
    drv = env.drv
    mark = drv.cursor()
    await drv.invoke("/countdown", start=2)
    first = await drv.wait_for_message(env.world.general, after=mark, timeout=2)
    second = await drv.wait_for_message(
        env.world.general, check=lambda m: m.content == "1...", timeout=2
    )
    assert (first.content, second.content) == ("2...", "1...")
    assert [m.content for m in drv.messages(env.world.general)] == ["2...", "1..."]


async def test_guild_messages_are_not_dispatched_without_the_intent(env: Env) -> None:
    await env.drv.invoke("/post")
    env.emu.world.add_message(env.world.general, env.world.alice, content="hi")
    await env.emu.gateway.flush()
    assert env.emu.gateway.events("MESSAGE_CREATE") == []
    assert env.emu.gateway.events("INTERACTION_CREATE")


# ----------------------------------------------------------------------------- faults


async def test_429_on_interaction_callback_is_retried(env: Env) -> None:
    fault = env.emu.rate_limit(CALLBACK, retry_after=0.05)
    reply = await env.drv.invoke("/hello", name="again")
    assert reply.content == "Hello again!"
    assert fault.hits == 1
    statuses = [r.status for r in env.emu.requests_to("POST", CALLBACK)]
    assert statuses == [429, 200]
    warnings = env.log.messages()
    assert len(warnings) == 1 and "rate limited" in warnings[0]


async def test_429_on_rest_route_is_retried(env: Env) -> None:
    env.emu.rate_limit(MESSAGES, method="POST", retry_after=0.05)
    reply = await env.drv.invoke("/post")
    assert reply.content.startswith("posted ")
    assert [r.status for r in env.emu.requests_to("POST", MESSAGES)] == [429, 200]


async def test_server_error_surfaces_as_http_exception(env: Env) -> None:
    # 503 is not retried by discord.py: it surfaces at once as DiscordServerError.
    env.emu.server_error(MESSAGES, method="POST", status=503)
    reply = await env.drv.invoke("/post")
    assert reply.content == "failed DiscordServerError 503"


async def test_single_500_is_retried_by_discord_py(env: Env) -> None:
    # discord.py sleeps 1 s before retrying a 500; the message then goes through.
    env.emu.server_error(MESSAGES, method="POST", status=500, times=1)
    reply = await env.drv.invoke("/post", text="after retry", timeout=4)
    assert reply.content.startswith("posted ")
    assert [r.status for r in env.emu.requests_to("POST", MESSAGES)] == [500, 200]
    assert [m.content for m in env.drv.messages(env.world.general)] == ["after retry"]


@pytest.mark.parametrize("how", ["close", "abrupt", "reconnect-opcode"])
async def test_gateway_drop_resumes_and_replays(env: Env, how: str) -> None:
    emu, bot, world = env.emu, env.bot, env.world
    mark = len(emu.gateway.lifecycle)
    if how == "reconnect-opcode":
        emu.gateway.send_reconnect()
        await emu.gateway.wait_for_lifecycle("disconnect", after=mark, timeout=5)
    else:
        assert await emu.drop_gateway(abrupt=how == "abrupt") == 1
    # Something happens while the bot is disconnected: it must be replayed on RESUME.
    role = emu.world.create_role(world.guild, "While Away")
    await emu.gateway.wait_for_lifecycle("resume", after=mark, timeout=5)
    await env.drv.settled()
    guild = bot.get_guild(world.guild.id)
    assert guild is not None and guild.get_role(role.id) is not None
    assert emu.gateway.count("identify") == 1  # resumed, not re-identified
    reply = await env.drv.invoke("/hello", name="back")
    assert reply.content == "Hello back!"
    assert [r for r in env.log.records if r.levelno >= 40] == []


async def test_delay_fault_holds_the_response(env: Env) -> None:
    fault = env.emu.delay(CALLBACK, 0.2, times=1)
    loop = asyncio.get_running_loop()
    start = loop.time()
    reply = await env.drv.invoke("/hello", name="late")
    assert loop.time() - start >= 0.2
    assert reply.content == "Hello late!" and fault.hits == 1


async def test_late_acknowledgement_is_unknown_interaction(env: Env) -> None:
    env.emu.interactions.ack_deadline = 0.05
    env.emu.delay(CALLBACK, 0.1, times=1)
    with pytest.raises(Exception, match="rejected with HTTP 404"):
        await env.drv.invoke("/hello", name="too late", timeout=0.5)
    errors = [r.getMessage() for r in env.log.records if r.levelname == "ERROR"]
    assert errors and "Ignoring exception in command" in errors[0]


async def test_unknown_routes_are_recorded(env: Env) -> None:
    route = discord.http.Route("GET", "/guilds/{guild_id}/audit-logs", guild_id=env.world.guild.id)
    with pytest.raises(discord.NotFound) as info:
        await env.bot.http.request(route)
    assert info.value.code == 0 and info.value.text == "404: Not Found"
    assert [(r.method, r.path) for r in env.emu.unknown_requests] == [
        ("GET", f"/guilds/{env.world.guild.id}/audit-logs")
    ]


# ----------------------------------------------------------------------------- other set-ups


async def test_requests_never_record_the_token(env: Env) -> None:
    for rec in env.emu.requests:
        assert "authorization" not in {k.lower() for k in rec.headers}
        assert "emulator-token" not in repr(rec.headers)


async def test_running_bot_without_an_emulator_and_with_a_token(discord_log: LogCollector) -> None:
    bot = build_bot()
    async with running_bot(
        bot, Emulator(token="s3cret", heartbeat_interval=0.5), token="s3cret"
    ) as (_emu, _drv):
        assert bot.is_ready()
        assert list(bot.guilds) == []
    assert discord_log.messages() == []


async def test_wrong_token_fails_login(discord_log: LogCollector) -> None:
    bot = build_bot()
    with pytest.raises(RuntimeError, match="stopped before it became ready") as info:
        async with running_bot(bot, Emulator(token="right"), token="wrong"):
            pass  # pragma: no cover
    assert isinstance(info.value.__cause__, discord.LoginFailure)


async def test_auto_sharded_bot(discord_log: LogCollector) -> None:
    from discord.ext import commands

    class FastShardedBot(commands.AutoShardedBot):
        async def before_identify_hook(
            self, shard_id: int | None, *, initial: bool = False
        ) -> None:
            return None  # discord.py sleeps 5 s between IDENTIFYs by default

    emu = Emulator(shards=2, heartbeat_interval=0.5)
    world = sample_world(emu)
    other = emu.world.create_guild("Second Guild", owner=world.owner)
    bot = build_bot(FastShardedBot)
    async with running_bot(bot, emu) as (emu, drv):
        assert bot.shard_count == 2
        assert {g.id for g in bot.guilds} == {world.guild.id, other.id}
        shards = sorted(s.shard for s in emu.gateway.sessions.values())
        assert shards == [(0, 2), (1, 2)]
        await bot.tree.sync()
        reply = await drv.invoke("/hello", name="shard", user=world.alice, channel=world.general)
        assert reply.content == "Hello shard!"
    assert discord_log.messages() == []


async def test_message_content_is_redacted_without_the_intent() -> None:
    bot = build_bot(intents=discord.Intents(guilds=True, guild_messages=True))
    emu = Emulator(heartbeat_interval=0.5)
    world = sample_world(emu)
    seen: list[discord.Message] = []

    async def on_message(message: discord.Message) -> None:
        seen.append(message)

    bot.add_listener(on_message)
    async with running_bot(bot, emu) as (emu, drv):
        emu.world.add_message(world.general, world.alice, content="secret plot")
        emu.world.add_message(world.general, world.alice, content=f"{emu.world.bot.mention} hi")
        await drv.settled()
    assert [m.content for m in seen] == ["", f"<@{emu.world.bot.id}> hi"]
    assert all(m.channel.id == world.general.id for m in seen)


async def test_run_parses_a_typed_command_line(env: Env) -> None:
    reply = await env.drv.run("/trivia start rounds:4 category:Music")
    assert reply.content == "Starting 4 rounds of music"
    who = await env.drv.run('/whois member:@moderator channel:#general role:"Moderator"')
    assert who.content == "Moderator (Member) #general @Moderator"
    with pytest.raises(OptionError, match="not a number"):
        await env.drv.run("/trivia start rounds:many")


async def test_disallowed_privileged_intent_closes_with_4014(discord_log: LogCollector) -> None:
    from discord_emulator.server.gateway import ALL_INTENTS, MESSAGE_CONTENT

    bot = build_bot(intents=discord.Intents(guilds=True, message_content=True))
    emu = Emulator(allowed_intents=ALL_INTENTS & ~MESSAGE_CONTENT)
    with pytest.raises(RuntimeError) as info:
        async with running_bot(bot, emu, ready_timeout=3):
            pass  # pragma: no cover
    assert isinstance(info.value.__cause__, discord.PrivilegedIntentsRequired)


async def test_channel_message_and_thread_routes(env: Env) -> None:
    emu, world, bot = env.emu, env.world, env.bot
    reply = await env.drv.invoke("/manage", forum=world.forum)
    assert reply.content == (
        "pins=1 edited=True history=1 reactions=[('👍', 1, True)] thread_is_message=True "
        "archived=50083 fetched=general member=alice"
    )
    assert emu.unknown_requests == [] and emu.server_errors == []
    (poll,) = env.drv.messages(world.general)
    assert poll.content.endswith("(closed)") and poll.edited and poll.reactions == {"👍": 1}
    thread = emu.world.channel(poll.id)
    assert thread.archived and thread.locked
    assert env.drv.messages(thread) == []  # the bot deleted its thread message
    post = next(t for t in env.drv.threads(world.forum))
    assert [world.forum.tag("Spoilers").id] == post.applied_tags
    await env.drv.settled()
    cached = bot.get_guild(world.guild.id).get_thread(post.id)
    assert cached is not None and [t.name for t in cached.applied_tags] == ["Spoilers"]
    assert_quiet(env.log)


async def test_thread_edits_need_manage_threads_unless_owner(env: Env) -> None:
    emu, world = env.emu, env.world
    post, _ = emu.world.create_forum_post(world.forum, world.alice, name="Mine", content="x")
    emu.world.set_bot_permissions(
        world.guild, emu.world.bot_role(world.guild).permissions & ~P.MANAGE_THREADS
    )
    await env.drv.settled()
    thread = env.bot.get_guild(world.guild.id).get_thread(post.id)
    assert thread is not None
    with pytest.raises(discord.Forbidden) as info:
        await thread.edit(locked=True)
    assert info.value.code == 50013


async def test_direct_messages_and_replies_from_bot_code(env: Env) -> None:
    emu, world, bot = env.emu, env.world, env.bot
    user = await bot.fetch_user(world.bob.id)
    dm_message = await user.send("psst", allowed_mentions=discord.AllowedMentions.none())
    dm = emu.world.create_dm(world.bob)
    assert dm_message.channel.id == dm.id
    (logged,) = env.drv.messages(dm)
    assert logged.content == "psst"
    assert logged.allowed_mentions == {"parse": []}  # exactly as discord.py sent it
    said = emu.world.add_message(world.general, world.alice, content="Which episode?")
    channel = bot.get_channel(world.general.id)
    assert isinstance(channel, discord.TextChannel)
    original = await channel.fetch_message(said.id)
    answer = await original.reply("Episode 4!")
    assert answer.reference is not None and answer.reference.message_id == said.id
    assert isinstance(answer.reference.resolved, discord.Message)
    assert answer.reference.resolved.content == "Which episode?"
    assert [u.id for u in answer.mentions] == [world.alice.id]  # replied_user mention
    stored = emu.world.message(world.general, answer.id)
    assert stored.type == 19 and stored.message_reference["message_id"] == str(said.id)
    assert_quiet(env.log)


async def test_rejected_callback_then_a_valid_one(env: Env) -> None:
    reply = await env.drv.invoke("/ramble")
    assert reply.content == "Sorry (400 50035)"
    statuses = [r.status for r in env.emu.requests_to("POST", CALLBACK)]
    assert statuses == [400, 200]
    assert "BASE_TYPE_MAX_LENGTH" in repr(env.emu.requests_to("POST", CALLBACK)[0].response)


async def test_invalid_session_leads_to_a_fresh_identify(env: Env) -> None:
    emu = env.emu

    async def no_wait(shard_id: int | None, *, initial: bool = False) -> None:
        return None  # discord.py sleeps 5 s before a non-initial IDENTIFY

    env.bot.before_identify_hook = no_wait  # type: ignore[method-assign]
    mark = len(emu.gateway.lifecycle)
    emu.gateway.invalidate_sessions(resumable=False)
    await emu.gateway.wait_for_lifecycle("identify", after=mark, timeout=5)
    assert sum(1 for s in emu.gateway.sessions.values() if not s.invalidated) == 1
    await asyncio.sleep(0.1)  # let discord.py finish its READY handling
    reply = await env.drv.invoke("/hello", name="fresh")
    assert reply.content == "Hello fresh!"
    assert len(emu.gateway.events("INTERACTION_CREATE")) == 1  # only the live session


async def test_driver_refuses_what_the_user_could_not_do(env: Env) -> None:
    emu, world = env.emu, env.world
    stranger = emu.world.create_user("stranger")
    with pytest.raises(DriverError, match="not a member"):
        await env.drv.invoke("/hello", name="x", user=stranger)
    secret = emu.world.create_channel(world.guild, "secret")
    emu.world.set_overwrite(secret, world.guild.everyone, deny=P.VIEW_CHANNEL)
    with pytest.raises(DriverError, match="cannot see"):
        await env.drv.invoke("/hello", name="x", channel=secret)
    dm = emu.world.create_dm(world.bob)
    with pytest.raises(DriverError, match="not a recipient"):
        await env.drv.invoke("/hello", name="x", channel=dm)  # alice is not in bob's DM
