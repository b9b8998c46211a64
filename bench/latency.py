"""Interaction latency over the loopback emulator: from the emulator dispatching
INTERACTION_CREATE to the bot's interaction callback reaching it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from discord_emulator import Emulator


class CallbackClock:
    """Reads acknowledgement times off the emulator's request log, incrementally."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self._seen = 0
        self.acked_at: dict[int, float] = {}

    def reset(self) -> None:
        """Forget what was read: call after the emulator's logs were emptied."""
        self._seen = 0
        self.acked_at.clear()

    def refresh(self) -> None:
        records = self.emu.requests
        for record in records[self._seen :]:
            if record.path.endswith("/callback") and record.status == 200:
                self.acked_at.setdefault(int(record.path.split("/")[2]), record.at)
        self._seen = len(records)

    def latency(self, interaction_id: int) -> float:
        self.refresh()
        state = self.emu.interactions.by_id[interaction_id]
        return self.acked_at[interaction_id] - state.created_at

    def missed_deadlines(self, deadline: float = 3.0) -> int:
        """Interactions never acknowledged, or acknowledged after Discord's deadline."""
        self.refresh()
        missed = 0
        for iid, state in self.emu.interactions.by_id.items():
            acked = self.acked_at.get(iid)
            if acked is None or acked - state.created_at > deadline:
                missed += 1
        return missed


async def measure(
    clock: CallbackClock, n: int, run_one: Callable[[int], Awaitable[Any]]
) -> list[float]:
    """Run `run_one(i)` n times in sequence; each returns something with interaction_id."""
    samples = []
    for i in range(n):
        result = await run_one(i)
        iid = result.interaction_id if hasattr(result, "interaction_id") else result
        samples.append(clock.latency(iid))
    return samples
