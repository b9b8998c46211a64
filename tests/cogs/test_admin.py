"""/sync end to end: the bot owner only."""

from __future__ import annotations

from tests.helpers.bot import Env


async def test_owner_only_sync(env: Env) -> None:
    refused = await env.drv.invoke("/sync", user=env.world.moderator)
    assert refused.ephemeral and "Only the bot's owner" in refused.text()
    env.bot.owner_ids = {env.world.owner.id}
    done = await env.drv.invoke("/sync", user=env.world.owner, scope="here")
    assert done.ephemeral and "Synced" in done.text()
    guild_commands = {c.name for c in env.emu.world.commands_for(env.world.guild.id)}
    assert "about" in guild_commands
