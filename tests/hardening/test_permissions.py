"""Who may change what, what the bot asks for, and that spam cannot game or stall it."""

from __future__ import annotations

import asyncio
import re

import discord
import pytest

from bot.permissions import OPTIONAL, REQUIRED, SCOPES, invite_permissions, required_permissions
from bot.settings import PROJECT_ROOT
from cogs.trivia._session import Timings
from discord_emulator import DriverError
from tests.helpers.bot import Env
from tests.helpers.trivia import closed, final, next_question, trivia

ADMINISTRATOR = discord.Permissions(administrator=True).value


def test_the_bot_never_asks_for_administrator() -> None:
    assert not required_permissions().administrator
    assert required_permissions().value & ADMINISTRATOR == 0
    assert invite_permissions().value & ADMINISTRATOR == 0


def test_the_readme_lists_the_permissions_and_the_invite_scopes() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    url = re.search(r"https://discord\.com/oauth2/authorize\?\S+", readme)
    assert url, "no invite URL in the README"
    assert f"permissions={invite_permissions().value}" in url.group()
    assert all(scope in url.group() for scope in ("bot", "applications.commands"))
    assert SCOPES == ("bot", "applications.commands")
    for name in [*REQUIRED, *OPTIONAL]:
        assert name.replace("_", " ").title() in readme, name


async def test_commands_that_change_things_are_hidden_from_plain_members(env: Env) -> None:
    gated = {
        c.name: int(c.payload["default_member_permissions"])
        for c in env.emu.world.commands_for(None)
        if c.payload.get("default_member_permissions") is not None
    }
    assert {"settings", "sync"} <= set(gated)
    for name, bits in gated.items():
        assert bits & ADMINISTRATOR == 0, name
    with pytest.raises(DriverError, match="cannot see"):
        await env.drv.invoke("/settings spoilers", default_progress=2)
    with pytest.raises(DriverError, match="cannot see"):
        await env.drv.invoke("/sync")


async def test_trivia_start_has_a_cooldown(env: Env) -> None:
    trivia(env).timings = Timings(seconds_factor=0.05, pause=0.01)
    await env.drv.invoke("/trivia start", rounds=1)
    other = env.emu.world.create_channel(env.world.guild, "second")
    again = await env.drv.invoke("/trivia start", rounds=1, channel=other)
    assert again.ephemeral and re.search(r"<t:\d+:R>", again.content)


async def test_button_spam_neither_scores_twice_nor_stalls_a_game(env: Env) -> None:
    trivia(env).timings = Timings(seconds_factor=0.05, pause=0.01)  # 1 s questions
    await env.drv.invoke("/trivia start", rounds=2)
    q1 = await next_question(env)
    loop = asyncio.get_running_loop()
    opened = loop.time()
    spam = await asyncio.gather(*(env.drv.click(q1, "ABCD"[n % 4]) for n in range(40)))
    assert sum("Locked in" in r.content for r in spam) == 1
    await closed(env, q1)
    assert loop.time() - opened < 3  # closed on time, not held up
    await final(env)
    rows = await env.bot.state.trivia.leaderboard(env.world.guild.id)
    assert rows[0].answered == 1
