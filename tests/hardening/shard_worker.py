"""One bot process of a sharded deployment, for test_shards and the benchmark's shards
case: `python -m tests.hardening.shard_worker EMULATOR_URL [SECONDS_FACTOR PAUSE]`. The
settings come from the environment as in production (SHARD_COUNT, SHARD_IDS, DATABASE_URL,
FACTS_DB, ...); the bot is the real one on the emulator running in the caller's process,
its trivia timings shrunk (default FAST: a 20 s question lasts 1 s). Prints READY once its
shards are up and the commands synced, then serves until killed."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

from bot.app import create_bot
from bot.settings import load_settings
from cogs.trivia._session import Timings
from discord_emulator import point_discord_at
from tests.helpers.trivia import FAST


async def serve(emulator_url: str, timings: Timings) -> None:
    settings = load_settings(env_file=Path("/nonexistent/.env"))
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    bot = create_bot(settings)
    # discord.py waits 2 s for more GUILD_CREATEs before it is ready; these come at once.
    bot._connection.guild_ready_timeout = 0.05
    with point_discord_at(emulator_url):
        async with bot:
            running = asyncio.create_task(bot.start("emulator-token"))
            while not bot.is_ready():
                if running.done():
                    running.result()  # the start failed: say why
                await asyncio.sleep(0.02)
            trivia = bot.get_cog("Trivia")
            trivia.timings = timings  # type: ignore[union-attr]
            await bot.tree.sync()
            sys.stdout.write("READY\n")
            sys.stdout.flush()
            await running


if __name__ == "__main__":
    factor_and_pause = [float(a) for a in sys.argv[2:4]]
    asyncio.run(serve(sys.argv[1], Timings(*factor_and_pause) if factor_and_pause else FAST))
