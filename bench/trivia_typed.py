"""Typed trivia in the benchmark: the latency of a modal submit (a typed answer), of the
"Answer" button that opens the modal, and of a hint click, against the discord.py floor;
and 50 typed games of 20 players with no missed 3-second deadline.

`python -m bench` runs it through `run()` and `table_lines()`; alone:
`python -m bench.trivia_typed [--quick]` prints its own table and writes
bench/results/trivia_typed.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench.latency import (
    FLOOR_COMMAND,
    AnswerClock,
    add_floor,
    floor_probe,
    load_table,
    measure_interleaved,
)
from bench.players import think, too_late, wait_to_start
from bench.stats import summary
from bot.app import create_bot
from bot.console.world import fan_world
from bot.facts.pipeline import build_store
from bot.settings import DATA_DIR, load_settings
from bot.store.facts import episode_count
from discord_emulator import (
    ComponentNotFound,
    Driver,
    Emulator,
    EmulatorError,
    Reply,
    running_bot,
)

RESULTS = Path(__file__).parent / "results"
ANSWERS = ["Park Hyung-sik", "han so hee", "Seo Inguk", "Kim Joo Hun", "photgrapher", "20 years"]


def _settings(facts_db: Path, state_db: Path) -> Any:
    return load_settings(
        environ={"FACTS_DB": str(facts_db), "STATE_DB": str(state_db)},
        env_file=state_db.parent / "none.env",
    )


def _is_question(number: int) -> Callable[[Reply], bool]:
    def check(m: Reply) -> bool:
        title = m.embeds[0]["title"] if m.embeds else ""
        return title.startswith(f"Question {number}/") and "closed" not in title

    return check


async def typed_cases(
    bot: Any, drv: Driver, channel: Any, users: list[Any]
) -> dict[str, Callable[[int], Awaitable[Any]]]:
    """The hook: start one long typed question in `channel` and return the cases, each
    `run(i)` acting as `users[i]` (every case needs its own players: one answer each)."""
    trivia = bot.get_cog("Trivia")
    trivia.timings = type(trivia.timings)(seconds_factor=100.0, pause=0.0)
    await drv.invoke("/trivia start", rounds=1, seconds=60, mode="typed", channel=channel)
    question = await drv.wait_for_message(channel, after=0, check=_is_question(1))
    third = len(users) // 3

    async def open_box(i: int) -> Any:
        return await drv.click(question, "Answer", user=users[i])

    async def submit(i: int) -> Any:
        user = users[third + i]
        opened = await drv.click(question, "Answer", user=user)
        return await drv.submit_modal(opened, {"Your answer": ANSWERS[i % len(ANSWERS)]}, user=user)

    async def hint(i: int) -> Any:
        return await drv.click(question, "Hint", user=users[2 * third + i])

    return {
        "typed answer: Answer button (opens the modal)": open_box,
        "typed answer: modal submit": submit,
        "typed answer: hint click": hint,
    }


async def latency(n: int, facts_db: Path, state_dir: Path) -> dict[str, dict[str, float]]:
    bot = create_bot(_settings(facts_db, state_dir / "typed-latency.db"))
    add_floor(bot)
    emu = Emulator(heartbeat_interval=30.0, rate_limit=None)
    world = fan_world(emu, episode_count(facts_db))
    warm = 20
    users = [emu.world.create_user(f"typist{i}") for i in range(3 * (n + warm))]
    for user in users:
        emu.world.add_member(world.guild, user)
    out: dict[str, dict[str, float]] = {}
    async with running_bot(bot, emu) as (emu, drv):
        await bot.tree.sync()
        drv.use(user=world.alice, channel=world.general)
        clock = AnswerClock(emu)
        cases = await typed_cases(bot, drv, world.general, users)

        def ping(i: int) -> Awaitable[Any]:
            return drv.invoke(FLOOR_COMMAND)

        for name, run in cases.items():
            await measure_interleaved(clock, warm, ping, run)
            floor, case = await measure_interleaved(
                clock, n, ping, lambda i, run=run: run(warm + i)
            )
            out[name] = {**summary(case), "floor": summary(floor)}
        out["missed_deadlines"] = {"count": float(clock.missed_deadlines())}
    return out


async def load(games: int, players: int, facts_db: Path, state_dir: Path) -> dict[str, Any]:
    """`games` typed games at once, `players` each, every player typing every answer."""
    bot = create_bot(_settings(facts_db, state_dir / "typed-load.db"))
    add_floor(bot)
    emu = Emulator(heartbeat_interval=30.0)  # Discord-like per-route rate limits stay on
    world = fan_world(emu, episode_count(facts_db))
    channels = [emu.world.create_channel(world.guild, f"typed-{g}") for g in range(games)]
    people = [[emu.world.create_user(f"t{g}p{p}") for p in range(players)] for g in range(games)]
    for team in people:
        for user in team:
            emu.world.add_member(world.guild, user)
    rounds = 3
    async with running_bot(bot, emu) as (emu, drv):
        await bot.tree.sync()
        trivia = bot.get_cog("Trivia")
        trivia.timings = type(trivia.timings)(seconds_factor=0.3, pause=0.2)
        clock = AnswerClock(emu)
        started = time.perf_counter()

        rng = random.Random(20221123)

        async def answer(q: Reply, user: Any, i: int) -> None:
            await think(rng)
            try:
                opened = await drv.click(q, "Answer", user=user, timeout=30)
            except ComponentNotFound as error:
                if too_late(error):
                    return
                raise
            if opened.modal is not None:  # the question may have closed meanwhile
                await drv.submit_modal(
                    opened, {"Your answer": ANSWERS[i % len(ANSWERS)]}, user=user, timeout=30
                )

        failed: list[str] = []

        async def play(g: int) -> None:
            try:
                await play_game(g)
            except EmulatorError as exc:  # e.g. /trivia start answered after the deadline
                failed.append(f"game {g}: {exc}")

        async def play_game(g: int) -> None:
            await wait_to_start(g, games)
            await drv.invoke(
                "/trivia start", rounds=rounds, mode="typed", user=people[g][0], channel=channels[g]
            )
            for r in range(1, rounds + 1):
                q = await drv.wait_for_message(
                    channels[g], after=0, timeout=30, check=_is_question(r)
                )
                await asyncio.gather(*(answer(q, u, i) for i, u in enumerate(people[g])))

        probe = emu.world.create_channel(world.guild, "floor-probe")
        async with floor_probe(drv, world.alice, probe):
            await asyncio.gather(*(play(g) for g in range(games)))
        elapsed = time.perf_counter() - started
        kinds = clock.by_kind()
        floor = kinds.pop(FLOOR_COMMAND, None)
        count = sum(k["ack"]["n"] + k["missed_deadlines"] for k in kinds.values())
        return {
            "games": games,
            "players": players,
            "interactions": count,
            "seconds": elapsed,
            "interactions_per_second": count / elapsed,
            "missed_deadlines": sum(k["missed_deadlines"] for k in kinds.values()),
            "by_kind": kinds,
            "floor_during_load": floor,
            "failed_games": failed,
        }


async def run(quick: bool, facts_db: Path, state_dir: Path, n: int | None = None) -> dict[str, Any]:
    count = n if n is not None else (200 if quick else 2000)
    games, players = (10, 10) if quick else (50, 20)
    return {
        "latency": await latency(count, facts_db, state_dir),
        "load": await load(games, players, facts_db, state_dir),
    }


def table_lines(results: dict[str, Any]) -> list[str]:
    """Rows for the benchmark's table: each case against the floor interleaved with it."""
    lines = [
        "| measure | p50 ms | p99 ms | floor p50 | floor p99 | p50 / floor | p99 / floor"
        " | target | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for name, s in results["latency"].items():
        if "p50_ms" not in s:
            continue
        f = s["floor"]
        ratio = s["p99_ms"] / f["p99_ms"]
        lines.append(
            f"| {name} | {s['p50_ms']:.2f} | {s['p99_ms']:.2f} | {f['p50_ms']:.2f}"
            f" | {f['p99_ms']:.2f} | {s['p50_ms'] / f['p50_ms']:.2f} | {ratio:.2f}"
            f" | p99 ≤ 2x | {'yes' if ratio <= 2.0 else 'NO'} |"
        )
    t = results["load"]
    lines += [
        "",
        f"Typed trivia: {t['games']} games x {t['players']} players: {t['interactions']}"
        f" interactions in {t['seconds']:.1f} s = {t['interactions_per_second']:.0f}/s;"
        f" missed 3 s deadlines: {t['missed_deadlines']}; games that could not finish:"
        f" {len(t.get('failed_games', []))}.",
        "",
        *load_table(t.get("by_kind", {}), t.get("floor_during_load")),
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.trivia_typed", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="200 samples, 10 games x 10")
    parser.add_argument("-n", type=int, help="latency samples per case")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("discord").setLevel(logging.ERROR)
    root = Path(tempfile.mkdtemp(prefix="soundtrack-typed-"))
    try:
        facts_db = root / "facts.db"
        build_store(DATA_DIR / "documents", DATA_DIR / "curated.toml", facts_db)
        results = asyncio.run(run(args.quick, facts_db, root, args.n))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "trivia_typed.json").write_text(json.dumps(results, indent=2))
    print("\n".join(table_lines(results)))


if __name__ == "__main__":
    main()
