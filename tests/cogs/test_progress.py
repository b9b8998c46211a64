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
