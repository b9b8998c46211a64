"""event_set_within: a timed wait for an event that never loses a cancellation."""

from __future__ import annotations

import asyncio

import pytest

from bot.waits import event_set_within


async def test_it_says_whether_the_event_was_set_in_time() -> None:
    event = asyncio.Event()
    assert await event_set_within(event, 0.01) is False
    asyncio.get_running_loop().call_later(0.01, event.set)
    assert await event_set_within(event, 5) is True


async def test_a_cancel_at_the_moment_the_event_is_set_stops_the_loop() -> None:
    # The race that asyncio.wait_for loses on Python 3.11: a schedule loop woken and
    # stopped at once went on waiting, and the bot's close waited for it forever.
    event = asyncio.Event()

    async def loop_forever() -> None:
        while True:
            await event_set_within(event, 60)
            event.clear()

    task = asyncio.create_task(loop_forever())
    for _ in range(3):
        await asyncio.sleep(0)
    event.set()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        async with asyncio.timeout(2):
            await task
