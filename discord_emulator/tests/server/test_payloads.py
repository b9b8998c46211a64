"""Unit tests of the pure parts: payload builders parse cleanly in discord.py's own classes,
permission maths matches discord.py, validation, faults, compression and snowflakes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import discord
import discord.utils
import pytest
from discord import app_commands

from discord_emulator import ApiError, ChannelType, Emulator, P, SampleServer
from discord_emulator.server import payloads
from discord_emulator.server.commands import validate_bulk
from discord_emulator.server.faults import FaultPlan
from discord_emulator.server.gateway import _Compressor
from discord_emulator.server.snowflake import SnowflakeGenerator, snowflake_time
from discord_emulator.server.validation import parse_message_body

from ..helpers import LogCollector, sample_world


@pytest.fixture
def world_env() -> tuple[Emulator, SampleServer]:
    emu = Emulator()
    return emu, sample_world(emu)


@pytest.fixture
def state(
    world_env: tuple[Emulator, SampleServer], discord_log: LogCollector
) -> Iterator[discord.state.ConnectionState]:
    emu, _ = world_env
    client = discord.Client(intents=discord.Intents.all())
    state = client._connection
    state.user = discord.ClientUser(state=state, data=payloads.current_user(emu.world.bot))
    yield state
    assert discord_log.messages() == []


def parse_guild(
    emu: Emulator, dw: SampleServer, state: discord.state.ConnectionState
) -> discord.Guild:
    guild = discord.Guild(data=emu.world.render_guild_create(dw.guild), state=state)
    state._add_guild(guild)
    return guild


def test_guild_create_parses_in_discord_guild(
    world_env: tuple[Emulator, SampleServer], state
) -> None:
    emu, dw = world_env
    w = emu.world
    thread = w.create_thread(dw.general, name="Chat", owner=w.bot)
    guild = parse_guild(emu, dw, state)
    assert guild.name == "Test Server" and guild.owner_id == dw.owner.id
    assert guild.member_count == len(dw.guild.members) and guild.me is not None
    assert {type(c) for c in guild.channels} == {
        discord.CategoryChannel,
        discord.TextChannel,
        discord.ForumChannel,
        discord.VoiceChannel,
    }
    general = guild.get_channel(dw.general.id)
    assert isinstance(general, discord.TextChannel) and general.category_id == dw.category.id
    assert general.topic == "General chat"
    parsed_thread = guild.get_thread(thread.id)
    assert parsed_thread is not None and parsed_thread.parent == general
    assert parsed_thread.owner_id == w.bot.id and not parsed_thread.archived
    assert parsed_thread.me is not None  # the bot's thread member is included
    bot_role = guild.get_role(dw.bot_role.id)
    assert bot_role is not None and bot_role.is_bot_managed() and bot_role.tags.bot_id == w.bot.id
    assert guild.default_role.permissions.value == dw.guild.everyone.permissions
    assert guild.created_at == snowflake_time(dw.guild.id)


def test_permissions_match_discord_py(world_env: tuple[Emulator, SampleServer], state) -> None:
    emu, dw = world_env
    w = emu.world
    secret = w.create_channel(dw.guild, "mods-only", category=dw.category)
    w.set_overwrite(secret, dw.guild.everyone, deny=P.VIEW_CHANNEL)
    w.set_overwrite(secret, dw.moderator_role, allow=P.VIEW_CHANNEL | P.MANAGE_CHANNELS)
    w.set_overwrite(dw.general, dw.bot_role, deny=P.SEND_MESSAGES, allow=P.ATTACH_FILES)
    w.set_overwrite(dw.general, dw.bob, deny=P.ADD_REACTIONS)
    w.set_overwrite(dw.voice, dw.guild.everyone, deny=P.CONNECT)
    admin_role = w.create_role(dw.guild, "Admin", permissions=P.ADMINISTRATOR)
    carol = w.create_user("carol")
    w.add_member(dw.guild, carol, roles=[admin_role])
    thread = w.create_thread(dw.general, name="t", owner=w.bot)
    guild = parse_guild(emu, dw, state)
    users = [dw.owner, dw.moderator, dw.alice, dw.bob, carol, w.bot]
    channels = [dw.general, dw.forum, dw.voice, dw.category, secret]
    for user in users:
        member = guild.get_member(user.id)
        assert member is not None
        for channel in channels:
            ours = w.permissions_for(user, channel)
            theirs = guild.get_channel(channel.id).permissions_for(member).value
            assert ours == theirs, (user.username, channel.name, set(_diff(ours, theirs)))
        assert (
            w.permissions_for(user, thread)
            == guild.get_thread(thread.id).permissions_for(member).value
        )
    assert not w.permissions_for(dw.alice, secret) & P.VIEW_CHANNEL
    assert w.permissions_for(dw.moderator, secret) & P.MANAGE_CHANNELS


def _diff(a: int, b: int) -> Iterator[str]:
    for name, value in discord.Permissions(a ^ b):
        if value:
            yield name


def test_permission_sets_match_discord_definitions() -> None:
    from discord_emulator.server.permissions import ALL_CHANNEL, VOICE

    assert discord.Permissions.all().value == P.ALL
    assert discord.Permissions.all_channel().value == ALL_CHANNEL
    assert discord.Permissions.voice().value == VOICE
    assert (
        discord.Permissions(manage_threads=True, pin_messages=True).value
        == P.MANAGE_THREADS | P.PIN_MESSAGES
    )


def test_message_payload_parses(world_env: tuple[Emulator, SampleServer], state) -> None:
    emu, dw = world_env
    w = emu.world
    guild = parse_guild(emu, dw, state)
    channel = guild.get_channel(dw.general.id)
    m = w.add_message(
        dw.general,
        dw.alice,
        content=f"hi {dw.bob.mention} and {dw.moderator_role.mention} @everyone",
        embeds=[{"title": "T", "description": "D", "fields": [{"name": "a", "value": "b"}]}],
        components=[
            {"type": 1, "components": [{"type": 2, "style": 1, "label": "Go", "custom_id": "go"}]}
        ],
    )
    w.add_reaction(m, w.bot, "👍")
    w.add_reaction(m, dw.bob, "👍")
    msg = discord.Message(state=state, channel=channel, data=w.render_message(m, gateway=True))
    assert msg.author == guild.get_member(dw.alice.id)
    assert [u.id for u in msg.mentions] == [dw.bob.id]
    assert [r.id for r in msg.role_mentions] == [dw.moderator_role.id]
    assert msg.mention_everyone
    assert msg.embeds[0].fields[0].value == "b"
    assert msg.components[0].children[0].label == "Go"
    assert [(str(r.emoji), r.count, r.me) for r in msg.reactions] == [("👍", 2, True)]
    assert msg.created_at == snowflake_time(m.id)
    # allowed_mentions limits what is parsed as a mention
    quiet = w.add_message(
        dw.general, w.bot, content=f"{dw.bob.mention} @everyone", allowed_mentions={"parse": []}
    )
    parsed = discord.Message(state=state, channel=channel, data=w.render_message(quiet))
    assert parsed.mentions == [] and not parsed.mention_everyone


def test_interaction_payloads_parse(world_env: tuple[Emulator, SampleServer], state) -> None:
    emu, dw = world_env
    w = emu.world
    guild = parse_guild(emu, dw, state)
    sent: list[tuple[str, dict]] = []
    w.set_dispatch_hook(lambda event, data, gid: sent.append((event, data)))
    st = emu.interactions.create(
        type=2,
        user=dw.moderator,
        channel=dw.general,
        data={"id": "1", "name": "x", "type": 1, "options": []},
    )
    assert sent == [("INTERACTION_CREATE", st.payload)]
    interaction = discord.Interaction(data=st.payload, state=state)
    assert isinstance(interaction.user, discord.Member)
    assert interaction.user.id == dw.moderator.id
    assert interaction.guild == guild
    assert isinstance(interaction.channel, discord.TextChannel)
    assert interaction.permissions.value == w.permissions_for(dw.moderator, dw.general)
    assert interaction.app_permissions.value == w.bot_permissions(dw.general)
    assert interaction.app_permissions.manage_threads
    assert interaction.locale == discord.Locale.american_english
    assert interaction.guild_locale == discord.Locale.american_english
    assert interaction.context.guild and interaction.is_guild_integration()
    dm = w.create_dm(dw.bob)
    st = emu.interactions.create(
        type=2, user=dw.bob, channel=dm, data={"id": "1", "name": "x", "type": 1}
    )
    dm_interaction = discord.Interaction(data=st.payload, state=state)
    assert isinstance(dm_interaction.user, discord.User) and dm_interaction.guild is None
    assert isinstance(dm_interaction.channel, discord.DMChannel)
    assert dm_interaction.context.dm_channel


def test_command_thread_and_app_payloads_parse(
    world_env: tuple[Emulator, SampleServer], state
) -> None:
    emu, dw = world_env
    w = emu.world
    guild = parse_guild(emu, dw, state)
    group = app_commands.Group(name="trivia", description="Trivia")

    @group.command(description="Start")
    async def start(interaction: discord.Interaction, rounds: int = 3) -> None:  # pragma: no cover
        pass

    body = group.to_dict(
        discord.app_commands.CommandTree(discord.Client(intents=discord.Intents(guilds=True)))
    )
    (cmd,) = w.replace_commands(dw.guild.id, validate_bulk([body]))
    parsed = app_commands.AppCommand(data=w.render_command(cmd), state=state)
    assert parsed.id == cmd.id and parsed.guild_id == dw.guild.id
    assert parsed.options[0].name == "start" and parsed.options[0].options[0].name == "rounds"
    post = w.create_thread(
        dw.forum, name="Ep 1", owner=w.bot, applied_tags=[dw.forum.tag("Episode 1").id]
    )
    thread = discord.Thread(guild=guild, state=state, data=payloads.thread(post))
    assert [t.name for t in thread.applied_tags] == ["Episode 1"]
    info = discord.AppInfo(
        state,
        payloads.application(
            application_id=w.application_id,
            name="Bot",
            owner=dw.owner,
            bot=w.bot,
            flags=0,
            guild_count=1,
        ),
    )
    assert info.owner.id == dw.owner.id and info.interactions_endpoint_url is None


def test_zlib_stream_frames_decompress_in_discord_py() -> None:
    if discord.utils._ActiveDecompressionContext.COMPRESSION_TYPE != "zlib-stream":
        pytest.skip("discord.py uses zstd here")
    comp = _Compressor("zlib-stream")
    ctx = discord.utils._ActiveDecompressionContext()
    for text in ['{"op":10}', '{"op":11}', '{"op":0,"d":"' + "x" * 5000 + '"}']:
        frame = comp.encode(text)
        assert isinstance(frame, bytes) and frame.endswith(b"\x00\x00\xff\xff")
        assert ctx.decompress(frame) == text


def test_snowflakes_are_monotonic_and_timestamped() -> None:
    gen = SnowflakeGenerator()
    ids = [gen.next() for _ in range(5000)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert discord.utils.snowflake_time(ids[-1]) == snowflake_time(ids[-1])
    assert (discord.utils.utcnow() - snowflake_time(ids[0])).total_seconds() < 5


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"name": "Hello", "description": "d", "type": 1}, "APPLICATION_COMMAND_INVALID_NAME"),
        ({"name": "hello", "description": "", "type": 1}, "BASE_TYPE_BAD_LENGTH"),
        (
            {
                "name": "x",
                "description": "d",
                "options": [
                    {"type": 3, "name": "a", "description": "d"},
                    {"type": 3, "name": "b", "description": "d", "required": True},
                ],
            },
            "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
        ),
        (
            {
                "name": "x",
                "description": "d",
                "options": [
                    {
                        "type": 3,
                        "name": "a",
                        "description": "d",
                        "autocomplete": True,
                        "choices": [{"name": "n", "value": "v"}],
                    },
                ],
            },
            "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID",
        ),
        (
            {"name": "Mark", "description": "nope", "type": 3},
            "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
        ),
    ],
)
def test_invalid_commands_are_rejected(body: dict, code: str) -> None:
    with pytest.raises(ApiError) as info:
        validate_bulk([body])
    assert info.value.code == 50035 and code in repr(info.value.errors)


def test_duplicate_command_names_are_rejected() -> None:
    body = {"name": "x", "description": "d"}
    with pytest.raises(ApiError, match="Invalid Form Body"):
        validate_bulk([body, dict(body)])
    assert validate_bulk([body, {"name": "x", "type": 3, "description": ""}])


def test_message_body_validation() -> None:
    with pytest.raises(ApiError) as info:
        parse_message_body({"content": "x" * 2001}, [], creating=True)
    assert info.value.code == 50035 and "BASE_TYPE_MAX_LENGTH" in repr(info.value.errors)
    with pytest.raises(ApiError) as info:
        parse_message_body({"content": ""}, [], creating=True)
    assert info.value.code == 50006
    dup = [
        {
            "type": 1,
            "components": [
                {"type": 2, "style": 1, "custom_id": "a", "label": "A"},
                {"type": 2, "style": 1, "custom_id": "a", "label": "B"},
            ],
        }
    ]
    with pytest.raises(ApiError, match="Invalid Form Body"):
        parse_message_body({"content": "x", "components": dup}, [], creating=True)
    assert parse_message_body({"content": None}, [], creating=False).fields == {"content": ""}


def test_fault_matching() -> None:
    plan = FaultPlan()
    by_template = plan.rate_limit("/channels/{channel_id}/messages", method="POST", times=2)
    by_regex = plan.server_error(re.compile(r"/guilds/\d+$"), status=502, times=None)
    delay = plan.delay("/users/@me", 0.01, times=1)
    assert plan.match("GET", "/channels/1/messages", "/channels/{channel_id}/messages") == []
    assert plan.match("POST", "/channels/1/messages", "/channels/{channel_id}/messages") == [
        by_template
    ]
    assert plan.match("POST", "/channels/1/messages", "/channels/{channel_id}/messages") == [
        by_template
    ]
    assert plan.match("POST", "/channels/1/messages", "/channels/{channel_id}/messages") == []
    assert plan.match("GET", "/guilds/5", "/guilds/{guild_id}") == [by_regex]
    assert plan.match("GET", "/guilds/5", "/guilds/{guild_id}") == [by_regex]
    assert plan.match("GET", "/users/@me", "/users/@me") == [delay]
    assert plan.match("GET", "/users/@me", "/users/@me") == []
    assert by_template.hits == 2 and by_regex.hits == 2 and by_regex.remaining is None


def test_world_handles_and_lookups(world_env: tuple[Emulator, SampleServer]) -> None:
    emu, dw = world_env
    assert dw.forum.type == ChannelType.GUILD_FORUM
    assert dw.forum.tag("spoilers").name == "Spoilers"
    with pytest.raises(KeyError):
        dw.forum.tag("Episode 9")
    assert emu.world.bot_member(dw.guild).roles == [dw.bot_role.id]
    with pytest.raises(ApiError) as info:
        emu.world.channel(12345)
    assert info.value.code == 10003


async def test_point_discord_at_sets_and_restores_the_urls() -> None:
    import discord.gateway
    import discord.http

    from discord_emulator import point_discord_at

    before = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    async with Emulator() as emu:
        with point_discord_at(emu):
            assert f"http://127.0.0.1:{emu.port}/api/v10" == discord.http.Route.BASE
            assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == emu.gateway_url
            assert discord.http.Route("GET", "/users/@me").url.startswith("http://127.0.0.1:")
    assert before == (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
