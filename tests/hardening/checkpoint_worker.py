"""Writes trivia rounds through the bot's state store and checkpoints the WAL, until
killed: `python -m tests.hardening.checkpoint_worker STATE_DB`. Prints `COMMITTED <game>
<round> <answers>` once a round's transaction has committed, and `CHECKPOINT START` /
`CHECKPOINT DONE` around each checkpoint."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.store import StateStore
from bot.store.trivia import AnswerRecord

PLAYERS = 120  # answers per round: enough pages that a checkpoint takes a moment
ROUNDS_PER_CHECKPOINT = 8


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def write_until_killed(path: Path) -> None:
    state = await StateStore.open(path)
    say("READY")
    game = await state.trivia.start_game(
        guild_id=1,
        channel_id=2,
        starter_id=3,
        rounds=20,
        category=None,
        difficulty=None,
        spoiler_cap=4,
        seconds=20,
    )
    for number in range(1, 1_000_000):
        answers = [
            AnswerRecord(10_000 + n, f"option {n % 4}", n % 4 == 0, 100 * (n % 4 == 0), 900)
            for n in range(PLAYERS)
        ]
        await state.trivia.close_round(game, number, f"q{number}", None, answers)
        say(f"COMMITTED {game} {number} {PLAYERS}")
        if number % ROUNDS_PER_CHECKPOINT == 0:
            say("CHECKPOINT START")
            await state.checkpoint()
            say("CHECKPOINT DONE")


if __name__ == "__main__":
    asyncio.run(write_until_killed(Path(sys.argv[1])))
