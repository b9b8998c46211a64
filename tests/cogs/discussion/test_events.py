"""Issue 15: the rewatch schedule as Discord scheduled events, end to end on the emulator:
created per episode, moved with the schedule, cancelled when it stops; optional, and
said so, without Manage Events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from discord_emulator import P
from discord_emulator.server.scheduled_events import CANCELED, EXTERNAL, SCHEDULED
from tests.helpers.bot import Env
from tests.helpers.clock import FakeClock
from tests.helpers.discussion import discussion

NOW = datetime(2030, 1, 10, tzinfo=UTC)


async def prepare(env: Env, *, manage_events: bool = True) -> None:
    world = env.emu.world
    if manage_events:
        role = world.bot_role(env.world.guild)
        world.set_bot_permissions(env.world.guild, role.permissions | P.MANAGE_EVENTS)
    discussion(env).clock = FakeClock(NOW)
    env.drv.use(user=env.world.moderator)
    await env.drv.invoke("/settings discussion", options={"channel": env.world.general})


def live_events(env: Env) -> dict[str, tuple[int, datetime, datetime | None]]:
    out = {}
    for e in env.emu.world.guild_events(env.world.guild):
        end = datetime.fromisoformat(e.scheduled_end_time) if e.scheduled_end_time else None
        out[e.name] = (e.id, datetime.fromisoformat(e.scheduled_start_time), end)
    return out


async def test_a_rewatch_creates_moves_and_cancels_its_events(env: Env) -> None:
    await prepare(env)
    first = await env.drv.invoke("/discussion rewatch", start="2030-02-01 20:00", every=7)
    assert "Server events: 4 created, 0 moved, 0 cancelled." in first.content
    events = live_events(env)
    start = datetime(2030, 2, 1, 20, 0, tzinfo=UTC)
    assert sorted(events) == [f"Rewatch: Episode {n}" for n in range(1, 5)]
    for n in range(1, 5):
        _, begins, ends = events[f"Rewatch: Episode {n}"]
        assert begins == start + timedelta(days=7 * (n - 1))
        assert ends == begins + timedelta(hours=2)
    stored = env.emu.world.guild_events(env.world.guild)
    assert all(e.entity_type == EXTERNAL and e.location == "#general" for e in stored)
    assert all("discussion thread opens in #general" in (e.description or "") for e in stored)
    assert all(e.creator_id == env.emu.world.bot.id for e in stored)

    # The schedule moves: the same events move with it.
    moved = await env.drv.invoke("/discussion rewatch", start="2030-02-03 18:30", every=3)
    assert "Server events: 0 created, 4 moved, 0 cancelled." in moved.content
    again = live_events(env)
    assert {name: ids[0] for name, ids in again.items()} == {
        name: ids[0] for name, ids in events.items()
    }
    assert again["Rewatch: Episode 4"][1] == datetime(2030, 2, 12, 18, 30, tzinfo=UTC)

    # Unchanged: nothing to do, nothing said.
    same = await env.drv.invoke("/discussion rewatch", start="2030-02-03 18:30", every=3)
    assert "Server events" not in same.content

    # The schedule stops: every event is cancelled, and the records forgotten.
    off = await env.drv.invoke("/discussion schedule", enable=False)
    assert "Server events: 0 created, 0 moved, 4 cancelled." in off.content
    assert live_events(env) == {}
    assert {e.status for e in env.emu.world.scheduled_events.values()} == {CANCELED}
    assert await env.bot.state.community.events(env.world.guild.id) == {}


async def test_events_can_be_left_out_and_an_episode_in_the_past_gets_none(env: Env) -> None:
    await prepare(env)
    await env.drv.invoke("/discussion rewatch", start="2030-01-20", every=7)
    assert len(live_events(env)) == 4
    without = await env.drv.invoke("/discussion rewatch", start="2030-01-20", every=7, events=False)
    assert "4 cancelled" in without.content and live_events(env) == {}
    # Episode 1 and 2 already passed by this clock: only 3 and 4 become events.
    discussion(env).clock = FakeClock(datetime(2030, 1, 28, tzinfo=UTC))
    late = await env.drv.invoke("/discussion rewatch", start="2030-01-15", every=7)
    assert "2 created" in late.content
    assert sorted(live_events(env)) == ["Rewatch: Episode 3", "Rewatch: Episode 4"]
    assert {e.status for e in env.emu.world.guild_events(env.world.guild)} == {SCHEDULED}


async def test_without_manage_events_the_rewatch_says_so_and_still_runs(env: Env) -> None:
    await prepare(env, manage_events=False)
    reply = await env.drv.invoke("/discussion rewatch", start="2030-02-01", every=7)
    assert "Rewatch scheduled" in reply.content
    assert "I need the Manage Events permission" in reply.content
    assert env.emu.world.scheduled_events == {}
    schedule = await env.bot.state.discussions.schedule(env.world.guild.id)
    assert schedule is not None and schedule.rewatch_start is not None
