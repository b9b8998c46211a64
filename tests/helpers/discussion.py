"""The discussion cog of a running bot, for tests that drive its schedule by hand."""

from __future__ import annotations

from cogs.discussion import Discussion
from tests.helpers.bot import Env


def discussion(env: Env) -> Discussion:
    cog = env.bot.get_cog("Discussion")
    assert type(cog).__name__ == "Discussion"  # re-imported per bot: compare by name
    return cog  # type: ignore[return-value]
