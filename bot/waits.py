"""Waiting for an asyncio.Event with a time limit, without losing a cancellation.

On Python 3.11, `asyncio.wait_for(event.wait(), t)` returns normally when the event is set
in the same moment its task is cancelled (CPython gh-86296): the cancellation is lost, and
a loop around it never stops (a bot's close then waits for it forever). `asyncio.timeout`
tells its own expiry from a cancellation that came from outside.
"""

from __future__ import annotations

import asyncio


async def event_set_within(event: asyncio.Event, seconds: float) -> bool:
    """Whether `event` is set within `seconds`; a cancellation of the waiting task always
    propagates."""
    try:
        async with asyncio.timeout(max(seconds, 0.0)):
            await event.wait()
    except TimeoutError:
        return event.is_set()
    return True
