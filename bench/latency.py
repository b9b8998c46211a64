"""Interaction latency over the loopback emulator, read off its request log: from the
emulator dispatching INTERACTION_CREATE to the request that carries the answer.

The answer is what the user sees: a callback that shows a message, updates one or
answers autocomplete (types 4, 7, 8, 9), or, after a deferral ("thinking…", type 5; or
a deferred update, type 6), the first follow-up or edit sent with the interaction's
token. The acknowledgement alone is not the answer; it only counts for Discord's
three-second deadline.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from discord_emulator import Emulator

ANSWERING_CALLBACKS = {4, 7, 8, 9}  # message, update message, autocomplete, modal
DEFERRING_CALLBACKS = {5, 6}
DEADLINE = 3.0  # seconds Discord gives a bot to acknowledge


class AnswerClock:
    """When each interaction was acknowledged and answered, read incrementally."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu
        self._seen = 0
        self.acked_at: dict[int, float] = {}
        self.answered_at: dict[int, float] = {}

    def reset(self) -> None:
        """Forget what was read: call after the emulator's logs were emptied."""
        self._seen = 0
        self.acked_at.clear()
        self.answered_at.clear()

    def refresh(self) -> None:
        records = self.emu.requests
        by_token = self.emu.interactions.by_token
        for record in records[self._seen :]:
            if record.status is None or not 200 <= record.status < 300:
                continue
            parts = record.path.split("/")
            if record.path.endswith("/callback"):
                iid = int(parts[2])
                self.acked_at.setdefault(iid, record.at)
                if (record.json or {}).get("type") in ANSWERING_CALLBACKS:
                    self.answered_at.setdefault(iid, record.at)
            elif parts[1] == "webhooks" and record.method in ("POST", "PATCH"):
                state = by_token.get(parts[3]) if len(parts) > 3 else None
                if state is not None and state.id in self.acked_at:
                    self.answered_at.setdefault(state.id, record.at)
        self._seen = len(records)

    def latency(self, interaction_id: int) -> float:
        """Seconds from the interaction to its answer."""
        self.refresh()
        state = self.emu.interactions.by_id[interaction_id]
        return self.answered_at[interaction_id] - state.created_at

    def latencies(self) -> list[float]:
        """Every answered interaction seen so far."""
        self.refresh()
        by_id = self.emu.interactions.by_id
        return [at - by_id[iid].created_at for iid, at in self.answered_at.items() if iid in by_id]

    def missed_deadlines(self, deadline: float = DEADLINE) -> int:
        """Interactions never acknowledged, or acknowledged after Discord's deadline."""
        self.refresh()
        missed = 0
        for iid, state in self.emu.interactions.by_id.items():
            acked = self.acked_at.get(iid)
            if acked is None or acked - state.created_at > deadline:
                missed += 1
        return missed


Run = Callable[[int], Awaitable[Any]]


def _interaction_id(result: Any) -> int:
    return result.interaction_id if hasattr(result, "interaction_id") else int(result)


async def measure(clock: AnswerClock, n: int, run_one: Run) -> list[float]:
    """Run `run_one(i)` n times in sequence; each returns something with interaction_id."""
    samples = []
    for i in range(n):
        samples.append(clock.latency(_interaction_id(await run_one(i))))
    return samples


async def measure_interleaved(
    clock: AnswerClock, n: int, floor: Run, case: Run
) -> tuple[list[float], list[float]]:
    """Floor, case, floor, case, ... n times each: drift over the run (other processes,
    the emulator's growing logs, the allocator) falls on both alike and cancels in the
    ratio. Returns (floor samples, case samples)."""
    floor_samples, case_samples = [], []
    for i in range(n):
        floor_samples.append(clock.latency(_interaction_id(await floor(i))))
        case_samples.append(clock.latency(_interaction_id(await case(i))))
    return floor_samples, case_samples
