"""/settings end to end: Manage Server only."""

from __future__ import annotations

import pytest

from discord_emulator import DriverError
from tests.helpers.bot import Env


async def test_server_default_progress_needs_manage_server(env: Env) -> None:
    with pytest.raises(DriverError, match="cannot see /settings"):
        await env.drv.invoke("/settings spoilers", default_progress=3)
    done = await env.drv.invoke("/settings spoilers", default_progress=3, user=env.world.moderator)
    assert done.ephemeral and "episode 3" in done.content
    bob = await env.drv.invoke("/progress", user=env.world.bob)
    assert "episode 3" in bob.content and "server's default" in bob.content
