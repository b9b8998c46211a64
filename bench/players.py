"""How the trivia loads' pretend players behave, as in servers that never coordinate:
each game starts when its server's member types the command, and each player reads the
question before answering. (Every game starting in the same millisecond, with every
player clicking the instant a question shows, is a burst no real server sends.)"""

from __future__ import annotations

import asyncio
import random

from discord_emulator import ComponentNotFound

#: Games start spread over this many seconds.
START_SPREAD_SECONDS = 10.0
#: A player answers this long after the question shows (reading and choosing).
THINK_SECONDS = (0.5, 4.0)


async def wait_to_start(game: int, games: int) -> None:
    await asyncio.sleep(START_SPREAD_SECONDS * game / max(games, 1))


async def think(rng: random.Random) -> None:
    await asyncio.sleep(rng.uniform(*THINK_SECONDS))


def too_late(error: ComponentNotFound) -> bool:
    """The question closed while the player was still reading (its buttons are disabled):
    the player missed it, as in a real game; the bot did nothing wrong."""
    return "is disabled" in str(error)
