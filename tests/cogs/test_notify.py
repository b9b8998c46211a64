"""Issue 15: /notify episodes on and off end to end on the emulator, and the alert that pings
that role, and only that role, when an episode's thread opens (checked on the wire)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from discord_emulator import P, Role
from tests.helpers.bot import Env
from tests.helpers.clock import FakeClock
from tests.helpers.discussion import discussion

NOTIFY = "/notify episodes"


def grant_manage_roles(env: Env) -> None:
    world = env.emu.world
    role = world.bot_role(env.world.guild)
    world.set_bot_permissions(env.world.guild, role.permissions | P.MANAGE_ROLES)


def alert_role(env: Env, name: str = "Episode alerts") -> Role:
    [role] = [r for r in env.world.guild.roles.values() if r.name == name]
    return role


def member_roles(env: Env, user: object) -> list[int]:
    return env.emu.world.member(env.world.guild, user).roles  # type: ignore[arg-type]


async def test_without_manage_roles_nothing_is_created_and_it_says_why(env: Env) -> None:
    reply = await env.drv.invoke(NOTIFY, alerts="on")
    assert reply.ephemeral and "Manage Roles" in reply.content
    assert not [r for r in env.world.guild.roles.values() if r.name == "Episode alerts"]


async def test_members_opt_in_and_out_and_only_the_role_is_pinged(env: Env) -> None:
    grant_manage_roles(env)
    world = env.world
    on = await env.drv.invoke(NOTIFY, alerts="on", user=world.alice)
    assert on.ephemeral and on.content.startswith("Done: you have the “Episode alerts” role")
    role = alert_role(env)
    assert role.mentionable and role.position < env.emu.world.bot_role(world.guild).position
    assert role.id in member_roles(env, world.alice)
    again = await env.drv.invoke(NOTIFY, alerts="on", user=world.alice)
    assert "already have" in again.content
    await env.drv.invoke(NOTIFY, alerts="on", user=world.bob)
    off = await env.drv.invoke(NOTIFY, alerts="off", user=world.bob)
    assert off.content == "Done: no more episode pings for you."
    assert role.id not in member_roles(env, world.bob)
    assert len([r for r in world.guild.roles.values() if r.name == "Episode alerts"]) == 1

    # An episode's thread opens: one message pings the role, allowing that role only.
    cursor = len(env.emu.requests)
    opened = await env.drv.invoke(
        "/discussion open", episode=1, user=world.moderator, options={"channel": world.general}
    )
    thread_id = int(re.search(r"<#(\d+)>", opened.content).group(1))  # type: ignore[union-attr]
    alert = await env.drv.wait_for_message(thread_id, after=0, check=lambda m: "<@&" in m.content)
    assert alert.content.startswith(f"<@&{role.id}> Episode 1's discussion thread is open")
    rendered = env.emu.world.render_message(env.emu.world.find_message(alert.id))
    assert rendered["mention_roles"] == [str(role.id)] and rendered["mentions"] == []
    assert not rendered["mention_everyone"]
    await env.drv.settled()
    pinging = []
    for record in env.emu.requests[cursor:]:
        body = record.json if isinstance(record.json, dict) else {}
        body = body.get("data", body) if isinstance(body.get("data"), dict) else body
        if "content" not in body and "embeds" not in body and "poll" not in body:
            continue
        allowed = body.get("allowed_mentions")
        if allowed == {"parse": []}:
            continue
        pinging.append((body.get("content"), allowed))
    assert pinging == [(alert.content, {"parse": [], "roles": [role.id]})]


async def test_the_role_name_comes_from_the_servers_settings(env: Env) -> None:
    grant_manage_roles(env)
    world = env.world
    set_name = await env.drv.invoke(
        "/settings alerts", role_name="K-drama night", user=world.moderator
    )
    assert "“K-drama night”" in set_name.content
    await env.drv.invoke(NOTIFY, alerts="on", user=world.alice)
    assert alert_role(env, "K-drama night").id in member_roles(env, world.alice)
    # An existing role of that name above the bot can't be given: said, nothing changed.
    high = env.emu.world.create_role(world.guild, "Top fans")
    await env.drv.settled()
    await env.drv.invoke("/settings alerts", role_name="Top fans", user=world.moderator)
    refused = await env.drv.invoke(NOTIFY, alerts="on", user=world.bob)
    assert "above my highest role" in refused.content
    assert high.id not in member_roles(env, world.bob)
    nothing = await env.drv.invoke(NOTIFY, alerts="off", user=world.bob)
    assert "above my highest role" in nothing.content


async def test_a_rewatch_reaching_an_existing_thread_pings_the_role_again(env: Env) -> None:
    grant_manage_roles(env)
    world = env.world
    await env.drv.invoke(NOTIFY, alerts="on", user=world.alice)
    role = alert_role(env)
    mod = world.moderator
    await env.drv.invoke("/settings discussion", user=mod, options={"channel": world.general})
    opened = await env.drv.invoke("/discussion open", episode=1, user=mod)
    thread_id = int(re.search(r"<#(\d+)>", opened.content).group(1))  # type: ignore[union-attr]
    cog = discussion(env)
    clock = FakeClock(datetime(2030, 1, 1, tzinfo=UTC))
    cog.clock, cog.poll_interval = clock, 0.01
    await env.drv.invoke("/discussion rewatch", start="2030-01-05", every=7, user=mod)
    cursor = env.drv.cursor()
    clock.now = datetime(2030, 1, 5, 0, 0, 1, tzinfo=UTC)
    cog.scheduler.wake()
    alert = await env.drv.wait_for_message(
        thread_id, after=cursor, check=lambda m: m.content.startswith(f"<@&{role.id}>")
    )
    assert alert.allowed_mentions == {"parse": [], "roles": [role.id]}
    notes = [m.content for m in env.drv.messages(thread_id)]
    assert any(n.startswith("Episode 1 is on in the rewatch") for n in notes)
    assert sum(n.startswith(f"<@&{role.id}>") for n in notes) == 2
