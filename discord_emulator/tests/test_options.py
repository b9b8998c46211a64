"""Driver options given as text (a name, #name, @name, a mention, an id) resolve like a
client would resolve them, or fail as an OptionError; never an AttributeError."""

from __future__ import annotations

import pytest

from discord_emulator import OptionError

from .helpers import Env


async def test_user_channel_and_role_options_take_names(env: Env) -> None:
    general = env.world.general
    for channel in ("general", "#general", str(general.id), f"<#{general.id}>"):
        reply = await env.drv.invoke(
            "/whois", member="moderator", options={"channel": channel}, role="Moderator"
        )
        assert reply.content == "Moderator (Member) #general @Moderator", channel
    reply = await env.drv.invoke("/whois", member="@bob")
    assert reply.content == "Bob (Member)"


async def test_an_unknown_name_is_an_option_error(env: Env) -> None:
    with pytest.raises(OptionError, match="no channel 'nowhere'"):
        await env.drv.invoke("/whois", member="bob", options={"channel": "nowhere"})
    with pytest.raises(OptionError, match="no user 'zed'"):
        await env.drv.invoke("/whois", member="zed")
