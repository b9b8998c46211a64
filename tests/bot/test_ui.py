"""Invoker-only pages that disable themselves, on the emulator."""

from __future__ import annotations

import asyncio

from tests.helpers.bot import Env
from tests.helpers.ui import Pages


async def test_pages_turn_for_the_invoker_only_and_expire(env: Env) -> None:
    await env.bot.add_cog(Pages())
    await env.bot.tree.sync()
    reply = await env.drv.invoke("/pages")
    assert [b.label for b in reply.buttons()] == ["◀ Previous", "1/3", "Next ▶"]
    turned = await env.drv.click(reply, "Next ▶")
    assert turned.message.embeds[0]["title"] == "Page 2"
    refused = await env.drv.click(reply, "Next ▶", user=env.world.bob)
    assert refused.ephemeral and "belong to whoever" in refused.content
    await asyncio.sleep(1.0)
    expired = env.drv.messages(env.world.general, include_ephemeral=True)[-1]
    assert all(b.disabled for b in expired.buttons())
