"""Plays trivia non-stop against the emulator until killed: `python -m
tests.hardening.crash_worker FACTS_DB STATE_DB`. Prints READY once the bot is up, and
`CLOSED <game> <round>` each time a question's result is on screen (so its points were
already written)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.app import create_bot
from bot.console.world import fan_world
from bot.store.facts import episode_count
from cogs.trivia._session import Timings
from discord_emulator import running_bot
from tests.helpers.bot import Env, bot_settings, new_emulator
from tests.helpers.trivia import answer_letter, closed, next_question


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def play(facts_db: Path, state_db: Path) -> None:
    bot = create_bot(bot_settings(facts_db, state_db))
    emu = new_emulator()
    world = fan_world(emu, episode_count(facts_db))
    async with running_bot(bot, emu) as (emu, drv):
        await bot.tree.sync()
        env = Env(bot, emu, drv, world)
        cog = bot.get_cog("Trivia")
        cog.timings = Timings(seconds_factor=0.01, pause=0.0)  # type: ignore[union-attr]
        say("READY")
        for game in range(1000):
            channel = emu.world.create_channel(world.guild, f"game-{game}")
            await drv.invoke("/trivia start", rounds=20, channel=channel, user=world.owner)
            session = next(iter(cog.sessions.values()))  # type: ignore[union-attr]
            for number in range(1, 21):
                question = await next_question(env, number, channel=channel)
                right, wrong = await answer_letter(env, question)
                await drv.click(question, right, user=world.alice)
                await drv.click(question, wrong, user=world.bob)
                await closed(env, question)
                say(f"CLOSED {session.game_id} {number}")
            await asyncio.sleep(0)


if __name__ == "__main__":
    asyncio.run(play(Path(sys.argv[1]), Path(sys.argv[2])))
