"""The emulator's fault switches behave like Discord: a refused RESUME, a zombie gateway, an
interaction delivered twice, an expired interaction token, a global 429 and a 403."""

from __future__ import annotations

import asyncio
import functools

import aiohttp
import pytest
from discord.ext import commands

from discord_emulator import Emulator, running_bot

from .helpers import Env, LogCollector, build_bot, sample_world

CALLBACK = "/interactions/{webhook_id}/{webhook_token}/callback"
MESSAGES = "/channels/{channel_id}/messages"


async def no_wait(shard_id: int | None, *, initial: bool = False) -> None:
    return None  # discord.py sleeps 5 s before a non-initial IDENTIFY


async def test_a_refused_resume_answers_op_9_false_and_the_bot_identifies_again(
    env: Env,
) -> None:
    emu = env.emu
    env.bot.before_identify_hook = no_wait  # type: ignore[method-assign]
    mark = len(emu.gateway.lifecycle)
    assert await emu.drop_gateway(resumable=False) == 1
    refused = await emu.gateway.wait_for_lifecycle("resume_refused", after=mark, timeout=5)
    await emu.gateway.wait_for_lifecycle("identify", after=refused.index, timeout=5)
    kinds = [e.kind for e in emu.gateway.lifecycle[mark:]]
    assert kinds.index("invalid_session") < kinds.index("resume_refused") < kinds.index("identify")
    assert "resume" not in kinds
    assert emu.gateway.count("identify") == 2
    await asyncio.sleep(0.1)  # discord.py finishes READY
    assert (await env.drv.invoke("/hello", name="again")).content == "Hello again!"


async def test_a_zombie_gateway_is_left_by_a_client_with_a_heartbeat_timeout(
    discord_log: LogCollector,
) -> None:
    bot = build_bot(functools.partial(commands.Bot, heartbeat_timeout=1.0))
    emu = Emulator(heartbeat_interval=0.2)
    world = sample_world(emu)
    async with running_bot(bot, emu) as (emu, drv):
        await bot.tree.sync()
        drv.use(user=world.alice, channel=world.general)
        mark = len(emu.gateway.lifecycle)
        beats = next(iter(emu.gateway.connections)).heartbeats
        assert emu.zombie_gateway() == 1
        role = emu.world.create_role(world.guild, "While Zombie")  # held for the RESUME
        resumed = await emu.gateway.wait_for_lifecycle("resume", after=mark, timeout=5)
        zombie = emu.gateway.lifecycle[mark]
        assert zombie.kind == "zombie"
        assert [e.kind for e in emu.gateway.lifecycle[mark : resumed.index]] == [
            "zombie",
            "disconnect",
            "connect",
        ]
        await drv.settled()
        guild = bot.get_guild(world.guild.id)
        assert guild is not None and guild.get_role(role.id) is not None
        assert beats >= 1
        assert (await drv.invoke("/hello", name="alive")).content == "Hello alive!"
    # discord.py noticed by itself (its receive timed out); the emulator closed nothing.
    assert [r for r in discord_log.records if r.levelno >= 40] == []


async def test_a_redelivered_interaction_has_the_same_id_and_token(env: Env) -> None:
    first = await env.drv.invoke("/hello", name="twice")
    env.emu.redeliver(first)
    await env.drv.settled()
    await asyncio.sleep(0.05)
    events = env.emu.gateway.events("INTERACTION_CREATE")
    assert len(events) == 2 and events[0].data == events[1].data
    # The bare bot answers both; Discord accepts only the first callback.
    statuses = [r.status for r in env.emu.requests_to("POST", CALLBACK)]
    assert statuses == [200, 400]
    assert env.emu.requests_to("POST", CALLBACK)[1].response["code"] == 40060
    env.log.records.clear()  # the bare bot logs the rejected second answer


async def test_an_interaction_token_expires_after_its_lifetime(env: Env) -> None:
    reply = await env.drv.invoke("/slow")
    state = env.emu.interactions.by_id[reply.interaction_id]
    url = (
        f"{env.emu.api_url}/webhooks/{env.emu.world.application_id}/{state.token}"
        "/messages/@original"
    )
    async with aiohttp.ClientSession() as http:
        async with http.patch(url, json={"content": "edited in time"}) as fresh:
            assert fresh.status == 200
        env.emu.advance_clock(14 * 60)
        async with http.patch(url, json={"content": "still in time"}) as still:
            assert still.status == 200
        env.emu.advance_clock(61)  # past 15 minutes
        async with http.patch(url, json={"content": "too late"}) as late:
            assert late.status == 401
            assert await late.json() == {"message": "Invalid Webhook Token", "code": 50027}
        async with http.post(url.removesuffix("/messages/@original"), json={"content": "x"}) as f:
            assert f.status == 401
    assert env.drv.messages(env.world.general)[-1].content == "still in time"


async def test_the_clock_also_moves_the_acknowledgement_deadline(env: Env) -> None:
    env.emu.delay(CALLBACK, 0.05, times=1)
    task = asyncio.create_task(env.drv.invoke("/hello", name="late", timeout=1))
    await asyncio.sleep(0.01)  # the interaction exists, its callback is held
    env.emu.advance_clock(3.5)
    with pytest.raises(Exception, match="rejected with HTTP 404"):
        await task
    assert env.emu.requests_to("POST", CALLBACK)[0].response["code"] == 10062
    env.log.records.clear()


async def test_a_global_rate_limit_has_discords_shape_and_is_waited_out(env: Env) -> None:
    fault = env.emu.global_rate_limit(retry_after=0.2)
    async with aiohttp.ClientSession() as http:
        headers = {"Authorization": "Bot emulator-token"}
        async with http.get(f"{env.emu.api_url}/users/@me", headers=headers) as limited:
            assert limited.status == 429
            body = await limited.json()
            assert body["global"] is True and body["retry_after"] == 0.2
            assert limited.headers["X-RateLimit-Global"] == "true"
            assert limited.headers["X-RateLimit-Scope"] == "global"
    assert fault.hits == 1
    env.emu.global_rate_limit(retry_after=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert (await env.drv.invoke("/post")).content.startswith("posted ")
    assert loop.time() - started >= 0.2  # discord.py held every request for retry_after
    assert [r.status for r in env.emu.requests_to("POST", MESSAGES)] == [429, 200]
    assert any("Global rate limit has been hit" in m for m in env.log.messages())
    assert [r.status for r in env.emu.requests_to("POST", CALLBACK)] == [200]  # exempt
    env.log.records.clear()  # discord.py warns about the global rate limit


async def test_forbid_answers_403_with_discords_code(env: Env) -> None:
    env.emu.forbid(MESSAGES, method="POST")
    assert (await env.drv.invoke("/post")).content == "forbidden 403 50013"
    env.emu.forbid(MESSAGES, method="POST", code=50001)
    assert (await env.drv.invoke("/post")).content == "forbidden 403 50001"
    assert (await env.drv.invoke("/post")).content.startswith("posted ")
