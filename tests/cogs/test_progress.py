"""/progress end to end: personal, per server, kept."""

from __future__ import annotations

from tests.helpers.bot import Env


async def test_progress_is_personal_and_kept(env: Env) -> None:
    shown = await env.drv.invoke("/progress")
    assert shown.ephemeral and "not started" in shown.content and "default" in shown.content
    saved = await env.drv.invoke("/progress", episode=2)
    assert saved.ephemeral and "up to episode 2" in saved.content
    assert await env.bot.state.effective_progress(env.world.alice.id, env.world.guild.id) == 2
    here = await env.drv.invoke("/progress", episode=3, scope="this server")
    assert "in this server" in here.content
    again = await env.drv.invoke("/progress")
    assert "episode 3" in again.content and "this server" in again.content
    assert await env.bot.state.stored_progress(env.world.alice.id) == 2


async def test_out_of_range_progress_changes_nothing(env: Env) -> None:
    # The store's last episode is the bound (the state database only refuses a negative).
    last = env.bot.facts.episode_count
    alice, guild, moderator = env.world.alice.id, env.world.guild.id, env.world.moderator
    await env.drv.invoke("/progress", episode=2)
    await env.drv.invoke("/progress", episode=1, scope="this server")
    await env.drv.invoke("/settings spoilers", default_progress=1, user=moderator)
    refusal = f"Pick an episode from 0 to {last}."
    for scope in ("everywhere", "this server"):
        past = await env.drv.invoke("/progress", episode=last + 1, scope=scope)
        assert past.ephemeral and past.content == refusal
    past = await env.drv.invoke("/settings spoilers", default_progress=last + 1, user=moderator)
    assert past.ephemeral and past.content == refusal
    assert await env.bot.state.stored_progress(alice) == 2
    assert await env.bot.state.stored_progress(alice, guild) == 1
    assert await env.bot.state.default_progress(guild) == 1
