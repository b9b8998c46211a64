"""Interaction latency over the loopback emulator, read off its request log: from the
emulator dispatching INTERACTION_CREATE to the request that carries the answer.

The answer is what the user sees: a callback that shows a message, updates one or
answers autocomplete (types 4, 7, 8, 9), or, after a deferral ("thinking…", type 5; or
a deferred update, type 6), the first follow-up or edit sent with the interaction's
token. The acknowledgement alone is not the answer; it only counts for Discord's
three-second deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bench.stats import summary
from discord_emulator import Channel, Driver, Emulator, EmulatorError, User
from discord_emulator.server.interactions import InteractionState

ANSWERING_CALLBACKS = {4, 7, 8, 9}  # message, update message, autocomplete, modal
DEFERRING_CALLBACKS = {5, 6}
DEADLINE = 3.0  # seconds Discord gives a bot to acknowledge
FLOOR_COMMAND = "/ping"
PROBE_EVERY = 0.05  # seconds between floor samples taken during a load


def add_floor(bot: commands.Bot) -> None:
    """The floor: a bare discord.py command answering a fixed string, registered on the
    bot under test so that it shares its process, event loop, emulator and load."""

    @app_commands.command(name=FLOOR_COMMAND.lstrip("/"))
    async def ping(interaction: discord.Interaction) -> None:
        """Answer a fixed string."""
        await interaction.response.send_message("pong")

    bot.tree.add_command(ping)


def kind_of(state: InteractionState) -> str:
    """What an interaction was, for a per-kind table: the command, or the shape of the
    button's or modal's custom id (numbers as #)."""
    if state.type == 2:
        return "/" + (state.command_name or "?").lstrip("/")
    custom_id = str((state.payload.get("data") or {}).get("custom_id", ""))
    return ("modal " if state.type == 5 else "button ") + re.sub(r"\d+", "#", custom_id)


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

    def by_kind(self, deadline: float = DEADLINE) -> dict[str, dict[str, Any]]:
        """Per kind of interaction: latency to the answer and to the acknowledgement
        (percentiles), and missed deadlines."""
        self.refresh()
        answers: dict[str, list[float]] = {}
        acks: dict[str, list[float]] = {}
        missed: dict[str, int] = {}
        for iid, state in self.emu.interactions.by_id.items():
            kind = kind_of(state)
            missed.setdefault(kind, 0)
            acked = self.acked_at.get(iid)
            if acked is None or acked - state.created_at > deadline:
                missed[kind] += 1
            if acked is not None:
                acks.setdefault(kind, []).append(acked - state.created_at)
            if iid in self.answered_at:
                answers.setdefault(kind, []).append(self.answered_at[iid] - state.created_at)
        return {
            kind: {
                "answer": summary(answers.get(kind, [])),
                "ack": summary(acks.get(kind, [])),
                "missed_deadlines": missed[kind],
            }
            for kind in sorted(missed)
        }

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


@contextlib.asynccontextmanager
async def floor_probe(drv: Driver, user: User, channel: Channel) -> AsyncIterator[None]:
    """Run the floor (`add_floor`) every PROBE_EVERY seconds while the block runs, each
    without waiting for the one before, so that samples fall inside the load's bursts as
    often as between them: a load's latencies read against what a bare command got at
    the same moments (`AnswerClock.by_kind()[FLOOR_COMMAND]`)."""

    async def one() -> None:
        with contextlib.suppress(EmulatorError):  # a missed one still counts as missed
            await drv.invoke(FLOOR_COMMAND, user=user, channel=channel, timeout=30)

    stop = asyncio.Event()
    samples: list[asyncio.Task[None]] = []

    async def probe() -> None:
        while not stop.is_set():
            samples.append(asyncio.create_task(one()))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), PROBE_EVERY)

    task = asyncio.create_task(probe())
    try:
        yield
    finally:
        stop.set()
        await task
        await asyncio.gather(*samples)  # in flight: a cancelled one would count as missed


def load_table(kinds: dict[str, dict[str, Any]], floor: dict[str, Any] | None) -> list[str]:
    """Rows for a load's per-kind latencies, the floor sampled during the load first."""
    lines = [
        "| during the load | n | ack p50 ms | ack p99 ms | answer p50 ms | answer p90 ms"
        " | answer p99 ms | answer max ms | missed 3 s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = ([(f"floor ({FLOOR_COMMAND})", floor)] if floor else []) + list(kinds.items())
    for name, row in rows:
        ack, answer = row["ack"], row["answer"]
        lines.append(
            f"| {name} | {answer['n']} | {ack['p50_ms']:.1f} | {ack['p99_ms']:.1f}"
            f" | {answer['p50_ms']:.1f} | {answer['p90_ms']:.1f} | {answer['p99_ms']:.1f}"
            f" | {answer['max_ms']:.1f} | {row['missed_deadlines']} |"
        )
    return lines
