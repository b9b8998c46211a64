"""bot/ticker.py: the scheduled-look loop the discussion schedule and the daily question
share, on the real bot."""

from __future__ import annotations

import asyncio

import pytest

from bot.ticker import Ticker
from tests.helpers.bot import Env


class Counting(Ticker):
    name = "counting"
    what = "Counting check"

    def __init__(self, env: Env, fail_first: bool) -> None:
        super().__init__(env.bot, lambda: 0.05)
        self.looks = 0
        self.fail_first = fail_first
        self.looked = asyncio.Event()

    async def tick(self) -> float:
        self.looks += 1
        self.looked.set()
        if self.fail_first and self.looks == 1:
            raise RuntimeError("the schedule could not be read")
        return 60.0  # nothing due for a minute


async def test_a_failed_look_is_logged_and_tried_again(
    env: Env, caplog: pytest.LogCaptureFixture
) -> None:
    ticker = Counting(env, fail_first=True)
    ticker.start()
    try:
        async with asyncio.timeout(5):
            while ticker.looks < 2:
                ticker.looked.clear()
                await ticker.looked.wait()
        assert "Counting check failed; trying again later" in caplog.text
        assert ticker.task is not None and not ticker.task.done()
    finally:
        await ticker.stop()
    assert ticker.task.cancelled()


async def test_a_wake_looks_at_once_instead_of_at_the_next_poll(env: Env) -> None:
    ticker = Counting(env, fail_first=False)
    ticker.start()
    try:
        await asyncio.wait_for(ticker.looked.wait(), 5)
        ticker.looked.clear()
        ticker.wake()  # the next look was a minute away
        await asyncio.wait_for(ticker.looked.wait(), 5)
        assert ticker.looks == 2
    finally:
        await ticker.stop()
