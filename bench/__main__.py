"""`python -m bench`: every command's latency to its answer against a bare discord.py
command (the floor), on the 1x, 10x and 100x corpora; trivia under load (50 games x 20
players) with latency percentiles; memory over a long mixed run; fact-store build time,
peak memory and checks at 1x to 1000x (5,000 documents); full-text search at 100x; 5,000
servers over 8 shards in 2 bot processes over PostgreSQL (`shards`).

Prints a report and writes bench/results/latest.json. Run by hand; timings do not belong
in the test suite. `--quick` runs fewer interactions, `--cases` and `--corpus` pick what
to run (`--list` names the cases). `--state sqlite,postgres` also runs the latency cases
with the state on PostgreSQL (a scratch database on the server of DATABASE_URL), in the
same run, and reports each PostgreSQL p99 against the SQLite one.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import logging
import os
import random
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import shards, trivia_typed
from bench.ask import load_set
from bench.build import build_in_subprocess, synthetic_corpus
from bench.latency import (
    FLOOR_COMMAND,
    AnswerClock,
    Run,
    add_floor,
    floor_probe,
    load_table,
    measure_interleaved,
)
from bench.players import think, too_late, wait_to_start
from bench.stats import rss_mib, summary
from bot.answers import Answers
from bot.app import SoundtrackBot, create_bot
from bot.console.world import FanWorld, fan_world
from bot.settings import DATA_DIR, load_settings
from bot.store import FactStore
from bot.store.facts import episode_count
from discord_emulator import (
    ComponentNotFound,
    Driver,
    Emulator,
    EmulatorError,
    User,
    running_bot,
)

log = logging.getLogger("bench")
RESULTS = Path(__file__).parent / "results"
DOCUMENTS = DATA_DIR / "documents"
CURATED = DATA_DIR / "curated.toml"
# Search terms for the store's full-text search case, two at a time.
ASK_WORDS = ["kiss", "love", "director", "Kyuhyun", "photographer", "mandarins", "Disney", "winter"]
# The fan question set's questions (bench/ask_questions.toml), asked in turn.
ASK_QUESTIONS = [q.ask for q in load_set().questions]
NAMES = ["Han So-hee", "Seon-woo", "Kim Joo Hun", "Mari", "park hyungsik", "Eun-so"]
SONGS = ["Love Beyond Words", "want to be hapy", "tender heart"]

LOOKUPS = ["cast", "ost", "show", "episodes", "episode", "sources", "ask", "discussion"]
# "ask" meets questions again (kept replies, as fans ask the common ones: every question is
# asked once before it is timed); "ask-new" forgets every kept reply before each question,
# so each is answered from scratch.
LATENCY_CASES = [*LOOKUPS, "ask-new", "autocomplete", "trivia-click"]
OTHER_CASES = ["throughput", "trivia-typed", "memory", "build", "build-5000", "search", "shards"]
ALL_CASES = LATENCY_CASES + OTHER_CASES
TARGETS = {"autocomplete": (None, 1.5)}  # (p50, p99) as multiples of the floor
DEFAULT_TARGET = (1.5, 2.0)


# -- one bot, with the floor beside its commands (bench.latency.add_floor) -------------------
@dataclass
class Session:
    bot: SoundtrackBot
    emu: Emulator
    drv: Driver
    world: FanWorld
    users: list[User]
    clock: AnswerClock

    def floor(self, i: int) -> Any:
        return self.drv.invoke("/ping")

    def forget_logs(self) -> None:
        """Drop what the emulator recorded so far (requests, dispatches, interactions,
        messages) so that its logs do not grow through the run; only between interactions.
        A channel with a trivia game running keeps its messages and interactions: the game
        still edits them."""
        emu = self.emu
        trivia = self.bot.get_cog("Trivia")
        playing = set(getattr(trivia, "sessions", {}))
        emu.server.records.clear()
        emu.gateway.dispatched.clear()
        emu.world.events.clear()
        for iid, state in list(emu.interactions.by_id.items()):
            if state.channel_id not in playing:
                del emu.interactions.by_id[iid]
                emu.interactions.by_token.pop(state.token, None)
        for channel_id, messages in emu.world.messages.items():
            if channel_id not in playing:
                messages.clear()
        self.clock.reset()


@contextlib.asynccontextmanager
async def bot_session(
    corpus: Corpus,
    state_db: Path,
    users: int,
    *,
    rate_limit: bool = False,
    database_url: str | None = None,
) -> AsyncIterator[Session]:
    # The store with the documents it was built from: the bot rebuilds a store that does
    # not match its documents, so a 100x store opened with the five would be served as 1x.
    environ = {
        "FACTS_DB": str(corpus.db),
        "STATE_DB": str(state_db),
        "DOCUMENTS_DIR": str(corpus.documents),
    }
    if database_url:
        environ["DATABASE_URL"] = database_url
    settings = load_settings(environ=environ, env_file=state_db.parent / "none.env")
    bot = create_bot(settings)
    add_floor(bot)
    # Discord-like per-route rate limits only where the load is the point.
    emu = (
        Emulator(heartbeat_interval=30.0)
        if rate_limit
        else Emulator(heartbeat_interval=30.0, rate_limit=None)
    )
    world = fan_world(emu, episode_count(corpus.db))
    fans = [emu.world.create_user(f"fan{i}") for i in range(users)]
    for user in fans:
        emu.world.add_member(world.guild, user)
    async with running_bot(bot, emu) as (emu, drv):
        served = len(await bot.facts.documents())
        if served != corpus.size:
            raise RuntimeError(f"the bot serves {served} documents, the corpus has {corpus.size}")
        await bot.tree.sync()
        drv.settle = 0.0  # answers are timed off the log; no need to idle between them
        drv.use(user=world.alice, channel=world.general)
        yield Session(bot, emu, drv, world, fans, AnswerClock(emu))


def lookup_cases(s: Session) -> dict[str, Run]:
    drv, world, users = s.drv, s.world, s.users
    return {
        "cast": lambda i: drv.invoke("/cast", name=NAMES[i % len(NAMES)]),
        "ost": lambda i: drv.invoke("/ost", song=SONGS[i % len(SONGS)]),
        "show": lambda i: drv.invoke("/show"),
        "episodes": lambda i: drv.invoke("/episodes"),
        "episode": lambda i: drv.invoke("/episode", number=1 + i % 4),
        "sources": lambda i: drv.invoke("/sources"),
        # One user per question: /ask has a per-user cooldown.
        "ask": lambda i: drv.invoke(
            "/ask", question=ASK_QUESTIONS[i % len(ASK_QUESTIONS)], user=users[i % len(users)]
        ),
        "ask-new": lambda i: ask_from_scratch(s, i),
        # The first four open threads (Discord requests: deferred); the rest link them.
        # (`channel=` is where the command is typed: the option goes in `options`.)
        "discussion": lambda i: drv.invoke(
            "/discussion open",
            episode=1 + i % 4,
            options={"channel": world.episodes},
            user=world.moderator,
        ),
    }


async def ask_from_scratch(s: Session, i: int) -> Any:
    """/ask with no reply kept: forgotten before the interaction is sent, so not timed."""
    # By name: load_extension imports the cog's module afresh, so its class is not ours.
    answers = getattr(s.bot.get_cog("Ask"), "answers", None)
    assert isinstance(answers, Answers)
    answers.forget()
    return await s.drv.invoke(
        "/ask", question=ASK_QUESTIONS[i % len(ASK_QUESTIONS)], user=s.users[i % len(s.users)]
    )


def latency_row(name: str, floor: list[float], case: list[float]) -> dict[str, Any]:
    f, c = summary(floor), summary(case)
    p50_target, p99_target = TARGETS.get(name, DEFAULT_TARGET)
    p50_ratio, p99_ratio = c["p50_ms"] / f["p50_ms"], c["p99_ms"] / f["p99_ms"]
    met = (p50_target is None or p50_ratio <= p50_target) and p99_ratio <= p99_target
    return {
        "case": c,
        "floor": f,
        "p50_ratio": p50_ratio,
        "p99_ratio": p99_ratio,
        "target": {"p50": p50_target, "p99": p99_target},
        "met": met,
    }


async def bench_latency(
    corpus: Corpus, root: Path, n: int, wanted: list[str], database_url: str | None = None
) -> dict[str, Any]:
    """Each wanted case interleaved with the floor, n of each, on one store (the state on
    PostgreSQL when a database_url is given)."""
    state_db = root / f"latency-{corpus.db.stem}.db"
    state_db.unlink(missing_ok=True)
    rows: dict[str, Any] = {}
    missed = 0
    async with bot_session(corpus, state_db, users=n + 100, database_url=database_url) as s:
        cases = lookup_cases(s)

        async def complete(i: int) -> int:
            await s.drv.autocomplete(
                "/cast", focused="name", value=NAMES[i % len(NAMES)][: 2 + i % 5]
            )
            return next(reversed(s.emu.interactions.by_id))

        cases["autocomplete"] = complete
        for name in wanted:
            if name == "trivia-click":
                continue
            # Warm-up; "ask" asks every question once first, so that it times kept replies
            # only ("ask-new" times first askings).
            warm = len(ASK_QUESTIONS) if name == "ask" else min(20, n)
            await measure_interleaved(s.clock, warm, s.floor, cases[name])
            missed += s.clock.missed_deadlines()
            s.forget_logs()
            rows[name] = latency_row(
                name, *await measure_interleaved(s.clock, n, s.floor, cases[name])
            )
            missed += s.clock.missed_deadlines()
            s.forget_logs()
        if "trivia-click" in wanted:
            rows["trivia-click"] = await _trivia_clicks(s, n)
            missed += s.clock.missed_deadlines()
            s.forget_logs()
    return {"rows": rows, "missed_deadlines": missed}


async def _trivia_clicks(s: Session, n: int) -> dict[str, Any]:
    """Answer clicks on one long question, each from a different player."""
    trivia = s.bot.get_cog("Trivia")
    trivia.timings = type(trivia.timings)(seconds_factor=100.0, pause=0.0)  # type: ignore[union-attr]
    cursor = s.drv.cursor()
    await s.drv.invoke("/trivia start", rounds=1, seconds=60)
    question = await s.drv.wait_for_message(
        s.world.general,
        after=cursor,
        check=lambda m: bool(m.embeds) and "Question 1/" in m.embeds[0]["title"],
    )
    clicks = min(n, len(s.users))
    floor, case = await measure_interleaved(
        s.clock, clicks, s.floor, lambda i: s.drv.click(question, "A", user=s.users[i])
    )
    await s.drv.invoke("/trivia stop")
    return latency_row("trivia-click", floor, case)


# -- throughput: 50 trivia games with 20 players each ----------------------------------------
async def bench_throughput(games: int, players: int, corpus: Corpus, root: Path) -> dict[str, Any]:
    state_db = root / "throughput.db"
    state_db.unlink(missing_ok=True)
    async with bot_session(corpus, state_db, users=games * players, rate_limit=True) as s:
        channels = [s.emu.world.create_channel(s.world.guild, f"trivia-{g}") for g in range(games)]
        teams = [s.users[g * players : (g + 1) * players] for g in range(games)]
        rounds = 3
        trivia = s.bot.get_cog("Trivia")
        # Questions close when every player answered; the timer is a fallback.
        trivia.timings = type(trivia.timings)(seconds_factor=0.3, pause=0.2)  # type: ignore[union-attr]
        started = time.perf_counter()

        failed: list[str] = []

        async def play(g: int) -> int:
            try:
                return await play_game(g)
            except EmulatorError as exc:  # e.g. /trivia start answered after the deadline
                failed.append(f"game {g}: {exc}")
                return 0

        rng = random.Random(20221123)

        async def answer(q: Any, user: User) -> None:
            await think(rng)
            try:
                await s.drv.click(q, rng.choice("ABCD"), user=user, timeout=30)
            except ComponentNotFound as error:
                if not too_late(error):
                    raise

        async def play_game(g: int) -> int:
            await wait_to_start(g, games)
            cursor = s.drv.cursor()
            await s.drv.invoke(
                "/trivia start", rounds=rounds, user=teams[g][0], channel=channels[g]
            )
            for r in range(1, rounds + 1):
                q = await s.drv.wait_for_message(
                    channels[g],
                    after=cursor,
                    timeout=30,
                    check=lambda m, r=r: (
                        bool(m.embeds)
                        and m.embeds[0]["title"].startswith(f"Question {r}/")
                        and "closed" not in m.embeds[0]["title"]
                    ),
                )
                await asyncio.gather(*(answer(q, u) for u in teams[g]))
            return 1 + rounds * players

        probe = s.emu.world.create_channel(s.world.guild, "floor-probe")
        async with floor_probe(s.drv, s.world.alice, probe):
            counts = await asyncio.gather(*(play(g) for g in range(games)))
        elapsed = time.perf_counter() - started
        kinds = s.clock.by_kind()
        floor = kinds.pop(FLOOR_COMMAND, None)
        latencies = [
            at - s.emu.interactions.by_id[iid].created_at
            for iid, at in s.clock.answered_at.items()
            if s.emu.interactions.by_id[iid].command_name != FLOOR_COMMAND
        ]
        return {
            "games": games,
            "players": players,
            "interactions": sum(counts),
            "answered": len(latencies),
            "seconds": elapsed,
            "interactions_per_second": sum(counts) / elapsed,
            "latency": summary(latencies),
            "missed_deadlines": sum(k["missed_deadlines"] for k in kinds.values()),
            "by_kind": kinds,
            "floor_during_load": floor,
            "failed_games": failed,
        }


# -- memory: a long mixed run, reads, writes, searches and trivia ------------------------------
async def bench_memory(corpus: Corpus, root: Path, steps: int) -> dict[str, Any]:
    state_db = root / "memory.db"
    state_db.unlink(missing_ok=True)
    async with bot_session(corpus, state_db, users=2000) as s:
        gc.collect()
        after_start = rss_mib()
        cases = lookup_cases(s)
        channels = [s.emu.world.create_channel(s.world.guild, f"quiz-{c}") for c in range(20)]
        trivia = s.bot.get_cog("Trivia")
        # Short questions (20 s x 0.05 = 1 s) so that games end by themselves as the run goes.
        trivia.timings = type(trivia.timings)(seconds_factor=0.05, pause=0.0)  # type: ignore[union-attr]
        games = 0

        async def play_trivia(i: int) -> None:
            nonlocal games
            channel = channels[games % len(channels)]
            starter = s.users[(games * 7) % len(s.users)]
            games += 1
            cursor = s.drv.cursor()
            reply = await s.drv.invoke("/trivia start", rounds=1, user=starter, channel=channel)
            if reply.ephemeral:  # a game still running there, or a cooldown: answered anyway
                return
            question = await s.drv.wait_for_message(
                channel,
                after=cursor,
                timeout=10,
                check=lambda m: bool(m.embeds) and "Question 1/" in m.embeds[0]["title"],
            )
            for k in range(4):
                await s.drv.click(question, "ABCD"[k], user=s.users[(i + k) % len(s.users)])

        mix: list[Run] = [
            cases["cast"],
            cases["show"],
            cases["ost"],
            cases["episodes"],
            cases["ask"],
            # A write: the state database and its write-through cache.
            lambda i: s.drv.invoke("/progress", episode=i % 5, user=s.users[i % len(s.users)]),
        ]

        async def run(count: int, offset: int) -> None:
            for i in range(offset, offset + count):
                if i % 50 == 49:
                    await play_trivia(i)
                else:
                    await mix[i % len(mix)](i)
                if i % 500 == 499:
                    s.forget_logs()

        await run(2000, 0)  # warm-up: every path once, caches filled
        s.forget_logs()
        gc.collect()
        before = rss_mib()
        await run(steps, 2000)
        s.forget_logs()
        gc.collect()
        return {
            "rss_after_start_mib": after_start,
            "rss_after_warmup_mib": before,
            "rss_after_run_mib": rss_mib(),
            "steps": steps,
            "trivia_games": games,
        }


# -- the fact store -------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Corpus:
    documents: Path
    db: Path
    size: int  # documents


def corpus_for(root: Path, factor: int) -> Corpus:
    """The factor x corpus under root and its fact store, built (in a subprocess) if needed."""
    documents = synthetic_corpus(DOCUMENTS, root, factor)
    db = root / f"facts_{factor}x.db"
    if not db.is_file():
        build_in_subprocess(documents, CURATED, db)
    return Corpus(documents, db, len(list(documents.glob("*.txt"))))


def store_for(root: Path, factor: int) -> Path:
    """The fact store of the factor x corpus under root, built (in a subprocess) if needed."""
    return corpus_for(root, factor).db


def bench_build(root: Path, factors: list[int], repeat: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for factor in factors:
        documents = synthetic_corpus(DOCUMENTS, root, factor)
        report = build_in_subprocess(documents, CURATED, root / f"facts_{factor}x.db", repeat)
        runs = report["runs"]
        out[f"{factor}x"] = {
            **{k: v for k, v in report.items() if k != "runs"},
            "seconds": min(r["seconds"] for r in runs),
            "check_seconds": min(r["check_seconds"] for r in runs),
            "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
            "builds_checked_clean": sum(r["checked_clean"] for r in runs),
        }
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
def report(results: dict[str, Any]) -> str:
    lines: list[str] = []
    for corpus, latency in results.get("latency", {}).items():
        lines += [
            f"Latency to the answer, {corpus} corpus ({results['n']} of each, floor interleaved):",
            "",
            "| command | p50 ms | p99 ms | floor p50 | floor p99 | p50 / floor | p99 / floor"
            " | target | met |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
        ]
        for name, row in latency["rows"].items():
            c, f, t = row["case"], row["floor"], row["target"]
            target = (f"p50 ≤ {t['p50']}x, " if t["p50"] else "") + f"p99 ≤ {t['p99']}x"
            lines.append(
                f"| {name} | {c['p50_ms']:.2f} | {c['p99_ms']:.2f} | {f['p50_ms']:.2f}"
                f" | {f['p99_ms']:.2f} | {row['p50_ratio']:.2f} | {row['p99_ratio']:.2f}"
                f" | {target} | {'yes' if row['met'] else 'NO'} |"
            )
        lines += [f"Missed 3 s deadlines: {latency['missed_deadlines']}.", ""]
    for corpus, latency in results.get("latency_postgres", {}).items():
        sqlite_rows = results.get("latency", {}).get(corpus, {}).get("rows", {})
        lines += [
            f"State on PostgreSQL, {corpus} corpus (same run; p99 against SQLite's):",
            "",
            "| command | p50 ms | p99 ms | p99 / floor | SQLite p99 ms | p99 / SQLite p99 |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, row in latency["rows"].items():
            c = row["case"]
            base = sqlite_rows.get(name, {}).get("case", {}).get("p99_ms")
            versus = f"{c['p99_ms'] / base:.2f}" if base else "-"
            lines.append(
                f"| {name} | {c['p50_ms']:.2f} | {c['p99_ms']:.2f} | {row['p99_ratio']:.2f}"
                f" | {base or 0:.2f} | {versus} |"
            )
        lines += [f"Missed 3 s deadlines: {latency['missed_deadlines']}.", ""]
    if t := results.get("throughput"):
        lat = t["latency"]
        lines.append(
            f"Trivia load, {t['games']} games x {t['players']} players: {t['interactions']}"
            f" interactions ({t['answered']} answered) in {t['seconds']:.1f} s; latency to the"
            f" answer p50 {lat['p50_ms']:.1f} ms, p90 {lat['p90_ms']:.1f} ms, p99"
            f" {lat['p99_ms']:.1f} ms, max {lat['max_ms']:.1f} ms; missed 3 s deadlines:"
            f" {t['missed_deadlines']}; games that could not finish: {len(t['failed_games'])}."
        )
        lines += ["", *load_table(t.get("by_kind", {}), t.get("floor_during_load")), ""]
    if sh := results.get("shards"):
        lines.append(shards.report_line(sh))
    if m := results.get("memory"):
        lines.append(
            f"Memory (RSS): {m['rss_after_start_mib']:.0f} MiB after start,"
            f" {m['rss_after_warmup_mib']:.0f} MiB after warm-up, {m['rss_after_run_mib']:.0f}"
            f" MiB after {m['steps']:,} more interactions (lookups, /ask, /progress writes,"
            f" {m['trivia_games']} trivia games)."
        )
    for key in ("build", "build-5000"):
        for corpus, b in results.get(key, {}).items():
            lines.append(
                f"Build {corpus} ({b['documents']} documents, {b['bytes'] / 1e6:.1f} MB):"
                f" {b['seconds'] * 1000:.0f} ms ({b['seconds'] / b['documents'] * 1000:.1f}"
                f" ms/document); peak RSS {b['peak_rss_mib']:.0f} MiB (interpreter and imports"
                f" {b['baseline_rss_mib']:.0f}); check {b['check_seconds'] * 1000:.0f} ms;"
                f" checked clean {b['builds_checked_clean']}x."
            )
    if typed := results.get("trivia_typed"):
        lines += ["", *trivia_typed.table_lines(typed)]
    if s := results.get("search_100x"):
        lines.append(f"/ask search at 100x: p50 {s['p50_ms']:.2f} ms, p99 {s['p99_ms']:.2f} ms.")
    lines += [f"skipped {name}: {why}" for name, why in results.get("skipped", {}).items()]
    lines += [f"FAILED {name}: {error}" for name, error in results.get("errors", {}).items()]
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    n = args.n or (200 if args.quick else 2000)
    wanted = args.cases
    root = Path(tempfile.mkdtemp(prefix="soundtrack-bench-"))
    results: dict[str, Any] = {"quick": args.quick, "n": n, "cases": wanted, "errors": {}}

    async def case(name: str, work: Awaitable[Any], key: str | None = None) -> None:
        """Run one case; a case that fails is reported, the others still run, and the
        results so far are written after every case."""
        try:
            value = await work
        except Exception as exc:
            log.exception("case %s failed", name)
            results["errors"][name if key is None else f"{name} {key}"] = f"{exc!r}"
        else:
            if key is None:
                results[name] = value
            else:
                results.setdefault(name, {})[key] = value
        save(args.out, results)

    try:
        if "build" in wanted:
            repeat = 1 if args.quick else 3
            await case("build", asyncio.to_thread(bench_build, root, [1, 10, 100], repeat))
        if "build-5000" in wanted:
            await case("build-5000", asyncio.to_thread(bench_build, root, [1000], 2))
        # Memory first in this process, before other cases' allocations (builds run in
        # their own processes), so that "after start" is the bot's own.
        if "memory" in wanted:
            steps = 2000 if args.quick else 10_000
            await case("memory", bench_memory(corpus_for(root, 1), root, steps))
        if "search" in wanted:
            searches = 200 if args.quick else 1000
            await case("search_100x", bench_search(store_for(root, 100), searches))
        latency_cases = [c for c in LATENCY_CASES if c in wanted]
        for factor in args.corpus if latency_cases else []:
            corpus = corpus_for(root, factor)
            await case("latency", bench_latency(corpus, root, n, latency_cases), f"{factor}x")
        if latency_cases and "postgres" in args.state:
            from bot.store.postgres import scratch_database

            for factor in args.corpus:
                async with scratch_database(os.environ["DATABASE_URL"]) as url:
                    await case(
                        "latency_postgres",
                        bench_latency(
                            corpus_for(root, factor), root, n, latency_cases, database_url=url
                        ),
                        f"{factor}x",
                    )
        if "throughput" in wanted:
            games, players = (10, 10) if args.quick else (50, 20)
            await case("throughput", bench_throughput(games, players, corpus_for(root, 1), root))
        if "shards" in wanted and (why := shards.unavailable()):
            results.setdefault("skipped", {})["shards"] = why
        elif "shards" in wanted:
            # 5,000 servers over 8 shards in 2 bot processes over one PostgreSQL.
            lookups, games = (1000, 8) if args.quick else (5000, 40)
            await case("shards", shards.bench_shards(store_for(root, 1), root, lookups, games, 10))
        if "trivia-typed" in wanted:
            # Modal submit and hint latency (own interleaved floor) and a typed-mode load.
            await case("trivia_typed", trivia_typed.run(args.quick, store_for(root, 1), root))
        return results
    finally:
        shutil.rmtree(root, ignore_errors=True)


def save(path: Path, results: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2))


def _cases(text: str) -> list[str]:
    names = [c.strip() for c in text.split(",") if c.strip()]
    unknown = set(names) - set(ALL_CASES)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown case(s) {sorted(unknown)}; see --list")
    return names


def _factors(text: str) -> list[int]:
    try:
        factors = [int(f.strip().rstrip("x")) for f in text.split(",") if f.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("corpus sizes look like 1,10,100") from None
    if not factors or min(factors) < 1:
        raise argparse.ArgumentTypeError("corpus sizes look like 1,10,100")
    return factors


def _states(text: str) -> list[str]:
    names = [c.strip() for c in text.split(",") if c.strip()]
    if not names or not set(names) <= {"sqlite", "postgres"}:
        raise argparse.ArgumentTypeError("state backends look like sqlite,postgres")
    if "postgres" in names and not os.environ.get("DATABASE_URL"):
        raise argparse.ArgumentTypeError(
            "--state postgres needs DATABASE_URL: a PostgreSQL server whose user may create"
            " databases (the benchmark uses a scratch one and drops it)"
        )
    return names


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "what",
        nargs="?",
        choices=("all", "ask"),
        default="all",
        help="'ask': only the /ask question set (bench/ask_questions.toml)",
    )
    parser.add_argument("--quick", action="store_true", help="fewer interactions (smoke check)")
    parser.add_argument(
        "--cases", type=_cases, default=ALL_CASES, help="comma-separated cases (default: all)"
    )
    parser.add_argument(
        "--corpus",
        type=_factors,
        default=[1, 10, 100],
        help="corpus sizes for the latency cases, as multiples of the five documents",
    )
    parser.add_argument(
        "--state",
        type=_states,
        default=["sqlite"],
        help="state backends for the latency cases: sqlite (always), postgres (DATABASE_URL)",
    )
    parser.add_argument("--n", type=int, help="interactions per latency case (default 2000)")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json", help="JSON results")
    parser.add_argument("--list", action="store_true", help="name the cases and exit")
    args = parser.parse_args()
    if args.what == "ask":
        from bench import ask

        ask.main()
        return
    if args.list:
        print("\n".join(ALL_CASES))  # the benchmark's report is its output
        return
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("discord").setLevel(logging.ERROR)
    results = asyncio.run(run(args))
    save(args.out, results)
    print(report(results))
    if results["errors"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
