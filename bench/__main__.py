"""`python -m bench`: latency against the discord.py floor, trivia throughput, fact-store
build scaling, search at 100x, and memory, all in one process over the loopback emulator.

Prints a table and writes bench/results/latest.json. Run by hand; timings do not belong
in the test suite. `--quick` runs fewer interactions, for a smoke check.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import discord
from discord.ext import commands

from bench.latency import CallbackClock, measure
from bench.stats import rss_mib, summary
from bot.app import create_bot
from bot.console.world import fan_world
from bot.facts.pipeline import build_store
from bot.settings import DATA_DIR, load_settings
from bot.store import FactStore
from bot.store.facts import episode_count
from discord_emulator import Emulator, running_bot

log = logging.getLogger("bench")
RESULTS = Path(__file__).parent / "results"
DOCUMENTS = DATA_DIR / "documents"
CURATED = DATA_DIR / "curated.toml"
ASK_WORDS = ["kiss", "love", "director", "Kyuhyun", "photographer", "mandarins", "Disney", "winter"]


# -- the floor: a bare discord.py command ----------------------------------------------------
def floor_bot() -> commands.Bot:
    bot = commands.Bot(command_prefix=commands.when_mentioned, intents=discord.Intents(guilds=True))

    @bot.tree.command(name="ping")
    async def ping(interaction: discord.Interaction) -> None:
        """Answer a fixed string."""
        await interaction.response.send_message("pong")

    return bot


async def bench_floor(n: int) -> dict[str, float]:
    bot = floor_bot()
    emu = Emulator(heartbeat_interval=30.0, rate_limit=None)
    world = fan_world(emu, episode_count=0)  # the floor command reads no forum
    async with running_bot(bot, emu) as (emu, drv):
        await bot.tree.sync()
        drv.use(user=world.alice, channel=world.general)
        clock = CallbackClock(emu)
        await measure(clock, 50, lambda i: drv.invoke("/ping"))  # warm-up
        return summary(await measure(clock, n, lambda i: drv.invoke("/ping")))


# -- the bot's commands -----------------------------------------------------------------------
async def bench_bot(n: int, facts_db: Path, state_dir: Path) -> dict[str, Any]:
    settings = load_settings(
        environ={"FACTS_DB": str(facts_db), "STATE_DB": str(state_dir / "state.db")},
        env_file=state_dir / "none.env",
    )
    bot = create_bot(settings)
    emu = Emulator(heartbeat_interval=30.0, rate_limit=None)
    world = fan_world(emu, episode_count(facts_db))
    users = [emu.world.create_user(f"fan{i}") for i in range(max(n, 200))]
    for user in users:
        emu.world.add_member(world.guild, user)
    out: dict[str, Any] = {}
    async with running_bot(bot, emu) as (emu, drv):
        await bot.tree.sync()
        drv.use(user=world.alice, channel=world.general)
        clock = CallbackClock(emu)
        gc.collect()
        out["rss_after_start_mib"] = rss_mib()
        names = ["Han So-hee", "Seon-woo", "Kim Joo Hun", "Mari", "park hyungsik", "Eun-so"]
        songs = ["Love Beyond Words", "want to be hapy", "tender heart"]
        cases = {
            "/cast": lambda i: drv.invoke("/cast", name=names[i % len(names)]),
            "/ost": lambda i: drv.invoke("/ost", song=songs[i % len(songs)]),
            "/show": lambda i: drv.invoke("/show"),
            "/episodes": lambda i: drv.invoke("/episodes"),
            # One user per question: /ask has a per-user cooldown.
            "/ask": lambda i: drv.invoke(
                "/ask", question=ASK_WORDS[i % len(ASK_WORDS)], user=users[i % len(users)]
            ),
        }
        commands_ = {c.name for c in bot.tree.get_commands()}
        if "discussion" in commands_:
            forum = world.episodes
            cases["/discussion open"] = lambda i: drv.invoke(
                "/discussion open", episode=1 + i % 4, channel=forum, user=world.moderator
            )
        latencies: dict[str, dict[str, float]] = {}
        missed = 0

        def fresh_logs() -> None:
            # The emulator logs every request in this process; keep each case on equal
            # terms with the floor by emptying the logs between cases.
            nonlocal missed
            missed += clock.missed_deadlines()
            forget_emulator_logs(emu)
            clock.reset()

        for name, run in cases.items():
            await measure(clock, 20, run)  # warm-up
            latencies[name] = summary(await measure(clock, n, run))
            fresh_logs()

        async def complete(i: int) -> int:
            await drv.autocomplete(
                "/cast", focused="name", value=names[i % len(names)][: 2 + i % 5]
            )
            return next(reversed(emu.interactions.by_id))

        await measure(clock, 20, complete)
        latencies["autocomplete /cast"] = summary(await measure(clock, n, complete))
        fresh_logs()

        # Trivia answer clicks: one long question, each click from a different player.
        trivia = bot.get_cog("Trivia")
        trivia.timings = type(trivia.timings)(seconds_factor=100.0, pause=0.0)  # type: ignore[union-attr]
        await drv.invoke("/trivia start", rounds=1, seconds=60)
        question = await drv.wait_for_message(
            world.general,
            after=0,
            check=lambda m: bool(m.embeds) and "Question 1/" in m.embeds[0]["title"],
        )
        clicks = min(n, len(users))
        latencies["trivia answer click"] = summary(
            await measure(clock, clicks, lambda i: drv.click(question, "A", user=users[i]))
        )
        await drv.invoke("/trivia stop")
        out["latency"] = latencies
        fresh_logs()

        out["missed_deadlines"] = missed
        # Memory: 10,000 more interactions, then RSS again. The emulator shares this
        # process and logs everything, so its logs are emptied as the run goes.
        mix = [cases["/cast"], cases["/show"], cases["/ost"], cases["/episodes"]]
        for i in range(2000):
            await mix[i % len(mix)](i)
        forget_emulator_logs(emu)
        gc.collect()
        before = rss_mib()
        for i in range(10_000 if n >= 1000 else 2000):
            await mix[i % len(mix)](i)
            if i % 500 == 499:
                forget_emulator_logs(emu)
        gc.collect()
        out["rss_before_10k_mib"] = before
        out["rss_after_10k_mib"] = rss_mib()
    return out


def forget_emulator_logs(emu: Emulator) -> None:
    """Drop what the emulator recorded so far (requests, dispatches, interactions, messages):
    only safe between interactions, and only for the memory reading."""
    emu.server.records.clear()
    emu.gateway.dispatched.clear()
    emu.interactions.by_id.clear()
    emu.interactions.by_token.clear()
    emu.world.events.clear()
    for messages in emu.world.messages.values():
        messages.clear()


# -- throughput: 50 trivia games with 20 players each ----------------------------------------
async def bench_throughput(
    games: int, players: int, facts_db: Path, state_dir: Path
) -> dict[str, Any]:
    settings = load_settings(
        environ={"FACTS_DB": str(facts_db), "STATE_DB": str(state_dir / "throughput.db")},
        env_file=state_dir / "none.env",
    )
    bot = create_bot(settings)
    emu = Emulator(heartbeat_interval=30.0)  # Discord-like per-route rate limits stay on
    world = fan_world(emu, episode_count(facts_db))
    channels = [emu.world.create_channel(world.guild, f"trivia-{g}") for g in range(games)]
    people = [[emu.world.create_user(f"g{g}p{p}") for p in range(players)] for g in range(games)]
    for team in people:
        for user in team:
            emu.world.add_member(world.guild, user)
    rounds = 3
    async with running_bot(bot, emu) as (emu, drv):
        await bot.tree.sync()
        trivia = bot.get_cog("Trivia")
        # Questions close when every previous player answered; the first waits 6 s.
        trivia.timings = type(trivia.timings)(seconds_factor=0.3, pause=0.2)  # type: ignore[union-attr]
        clock = CallbackClock(emu)
        count = 0
        started = time.perf_counter()

        async def play(g: int) -> int:
            sent = 0
            await drv.invoke("/trivia start", rounds=rounds, user=people[g][0], channel=channels[g])
            sent += 1
            for r in range(1, rounds + 1):
                q = await drv.wait_for_message(
                    channels[g],
                    after=0,
                    timeout=30,
                    check=lambda m, r=r: (
                        bool(m.embeds)
                        and m.embeds[0]["title"].startswith(f"Question {r}/")
                        and "closed" not in m.embeds[0]["title"]
                    ),
                )
                await asyncio.gather(
                    *(drv.click(q, random.choice("ABCD"), user=u, timeout=30) for u in people[g])
                )
                sent += players
            return sent

        counts = await asyncio.gather(*(play(g) for g in range(games)))
        elapsed = time.perf_counter() - started
        count = sum(counts)
        clock.refresh()
        return {
            "games": games,
            "players": players,
            "interactions": count,
            "seconds": elapsed,
            "interactions_per_second": count / elapsed,
            "missed_deadlines": clock.missed_deadlines(),
        }


# -- the fact store -------------------------------------------------------------------------
def synthetic_corpus(root: Path, factor: int) -> Path:
    """The five documents plus (factor - 1) renamed copies of each: the same shape, more text."""
    documents = root / f"documents_{factor}x"
    shutil.copytree(DOCUMENTS, documents)
    for path in sorted(DOCUMENTS.glob("*.txt")):
        for k in range(1, factor):
            (documents / f"{path.stem}_copy{k:03d}.txt").write_bytes(path.read_bytes())
    return documents


def bench_build(root: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for factor in (1, 10, 100):
        documents = synthetic_corpus(root, factor)
        db = root / f"facts_{factor}x.db"
        best = min(
            build_store(documents, CURATED, db).seconds for _ in range(3 if factor < 100 else 1)
        )
        out[f"{factor}x"] = {"documents": 5 * factor, "seconds": best}
    return out


async def bench_search(db: Path, n: int) -> dict[str, float]:
    store = await FactStore.open(db)
    try:
        samples = []
        for i in range(n):
            started = time.perf_counter()
            await store.search(
                ASK_WORDS[i % len(ASK_WORDS)] + " " + ASK_WORDS[(i * 3) % len(ASK_WORDS)]
            )
            samples.append(time.perf_counter() - started)
        return summary(samples)
    finally:
        await store.close()


# -- report ------------------------------------------------------------------------------------
def table(results: dict[str, Any]) -> str:
    floor = results["floor"]
    lines = [
        "| measure | p50 ms | p99 ms | p50 / floor | p99 / floor | target |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        f"| floor: bare discord.py command | {floor['p50_ms']:.2f} | {floor['p99_ms']:.2f}"
        " | 1.00 | 1.00 | |",
    ]
    for name, s in results["bot"]["latency"].items():
        target = "p99 ≤ 1.5x" if name.startswith("autocomplete") else "p50 ≤ 1.5x, p99 ≤ 2x"
        p50_ratio = s["p50_ms"] / floor["p50_ms"]
        p99_ratio = s["p99_ms"] / floor["p99_ms"]
        lines.append(
            f"| {name} | {s['p50_ms']:.2f} | {s['p99_ms']:.2f} | {p50_ratio:.2f}"
            f" | {p99_ratio:.2f} | {target} |"
        )
    t = results["throughput"]
    build = results["build"]
    lines += [
        "",
        f"Throughput: {t['games']} trivia games x {t['players']} players: "
        f"{t['interactions']} interactions in {t['seconds']:.1f} s = "
        f"{t['interactions_per_second']:.0f}/s; missed 3 s deadlines: {t['missed_deadlines']}.",
        "Fact store build: "
        + ", ".join(
            f"{k} ({v['documents']} documents) {v['seconds'] * 1000:.0f} ms "
            f"({v['seconds'] / v['documents'] * 1000:.1f} ms/document)"
            for k, v in build.items()
        )
        + ".",
        f"/ask search at 100x: p50 {results['search_100x']['p50_ms']:.2f} ms, "
        f"p99 {results['search_100x']['p99_ms']:.2f} ms.",
        f"Memory (RSS): {results['bot']['rss_after_start_mib']:.0f} MiB after start, "
        f"{results['bot']['rss_before_10k_mib']:.0f} MiB after warm-up, "
        f"{results['bot']['rss_after_10k_mib']:.0f} MiB after 10,000 more interactions.",
        f"Missed deadlines during the latency runs: {results['bot']['missed_deadlines']}.",
    ]
    return "\n".join(lines)


async def run(quick: bool) -> dict[str, Any]:
    n = 200 if quick else 2000
    root = Path(tempfile.mkdtemp(prefix="soundtrack-bench-"))
    try:
        results: dict[str, Any] = {"quick": quick}
        results["build"] = await asyncio.to_thread(bench_build, root)
        results["search_100x"] = await bench_search(root / "facts_100x.db", 200 if quick else 1000)
        results["floor"] = await bench_floor(n)
        results["bot"] = await bench_bot(n, root / "facts_1x.db", root)
        games, players = (10, 10) if quick else (50, 20)
        results["throughput"] = await bench_throughput(games, players, root / "facts_1x.db", root)
        return results
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer interactions (smoke check)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("discord").setLevel(logging.ERROR)
    results = asyncio.run(run(args.quick))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=2))
    print(table(results))  # the benchmark's report is its output


if __name__ == "__main__":
    main()
