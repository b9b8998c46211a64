"""The shards case: 5,000 servers over 8 shards served by 2 bot processes (shards 0-3 and
4-7) over one PostgreSQL, on one emulator in this process. Fans in servers of both
processes look things up, set their progress and play trivia at once; reported: the
interaction throughput, latency to the answer (p50/p90/p99/max) and missed 3-second
deadlines, read off the emulator's log as in the other cases.

The bot processes are the real bot (tests/hardening/shard_worker.py, the multi-process
test's worker). PostgreSQL: a scratch database on DATABASE_URL's server, or, without
DATABASE_URL, a throwaway server from the system's binaries (as the tests start one).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from bench.latency import AnswerClock
from bench.stats import summary
from bot.settings import PROJECT_ROOT
from bot.store.postgres import scratch_database
from discord_emulator import Channel, Driver, Emulator, EmulatorError, Guild, User

log = logging.getLogger(__name__)

SERVERS = 5000
SHARDS = 8
PROCESSES = ("0-3", "4-7")
NAMES = ["Han So-hee", "Seon-woo", "Kim Joo Hun", "Mari", "park hyungsik", "Eun-so"]
READY_WITHIN = 300.0  # discord.py identifies one shard per 5 s; each process has four


def unavailable() -> str | None:
    """Why the case cannot run here (no PostgreSQL to use), or None."""
    from tests.bot.store.pg_server import binaries

    if os.environ.get("DATABASE_URL") or binaries() is not None:
        return None
    return "needs PostgreSQL: set DATABASE_URL, or install its binaries"


@contextlib.asynccontextmanager
async def postgres_url() -> AsyncIterator[str]:
    """A scratch database: on DATABASE_URL's server, else on a throwaway local one."""
    if os.environ.get("DATABASE_URL"):
        async with scratch_database(os.environ["DATABASE_URL"]) as url:
            yield url
        return
    from tests.bot.store.pg_server import running_server

    with running_server() as server:
        if isinstance(server, str):
            raise RuntimeError(f"the shards case needs PostgreSQL: set DATABASE_URL ({server})")
        async with scratch_database(server.url()) as url:
            yield url


@contextlib.asynccontextmanager
async def bot_processes(
    emu: Emulator, database_url: str, facts_db: Path, root: Path
) -> AsyncIterator[None]:
    """The bot processes, ready; stopped with SIGTERM afterwards."""
    processes = []
    try:
        for shard_ids in PROCESSES:
            env = {
                **os.environ,
                "SHARD_COUNT": str(SHARDS),
                "SHARD_IDS": shard_ids,
                "DATABASE_URL": database_url,
                "FACTS_DB": str(facts_db),
                "DB_DIR": str(root),
                "LOG_LEVEL": "WARNING",
            }
            with (root / f"bot-{shard_ids}.log").open("wb") as out:
                processes.append(
                    await asyncio.create_subprocess_exec(
                        sys.executable,
                        "-m",
                        "tests.hardening.shard_worker",
                        emu.base_url,
                        "0.3",  # questions close when every player answered; a fallback
                        "0.2",
                        stdout=asyncio.subprocess.PIPE,
                        stderr=out,
                        cwd=PROJECT_ROOT,
                        env=env,
                    )
                )
        for process in processes:
            assert process.stdout is not None
            line = await asyncio.wait_for(process.stdout.readline(), READY_WITHIN)
            if line.strip() != b"READY":
                raise RuntimeError(f"a bot process did not start (see {root}/bot-*.log)")
        yield
    finally:
        for process in processes:
            if process.returncode is None:
                process.terminate()
        for process in processes:
            try:
                await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                await process.wait()


async def bench_shards(
    facts_db: Path, root: Path, lookups: int, games: int, players: int, servers: int = SERVERS
) -> dict[str, Any]:
    emu = Emulator(shards=SHARDS, heartbeat_interval=30.0)
    world = emu.world
    owners: list[User] = []
    guilds: list[Guild] = []
    generals: list[Channel] = []
    for g in range(servers):
        owner = world.create_user(f"owner{g}")
        guild = world.create_guild(f"Fan server {g}", owner=owner, shard=(g % SHARDS, SHARDS))
        owners.append(owner)
        guilds.append(guild)
        generals.append(world.create_channel(guild, "general"))
    # Trivia tables spread over every shard, so both processes run games.
    tables = list(range(0, servers, max(1, servers // games)))[:games]
    teams: list[list[User]] = []
    for g in tables:
        team = [world.create_user(f"player{g}-{p}") for p in range(players)]
        for user in team:
            world.add_member(guilds[g], user)
        teams.append(team)
    rng = random.Random(16)
    async with postgres_url() as url:
        await emu.start()
        try:
            started = time.perf_counter()
            async with bot_processes(emu, url, facts_db, root):
                ready_seconds = time.perf_counter() - started
                drv = Driver(emu)
                drv.settle = 0.0
                clock = AnswerClock(emu)
                emu.server.records.clear()
                failed: list[str] = []

                def lookup(i: int) -> Awaitable[Any]:
                    g = rng.randrange(servers)
                    user, channel = owners[g], generals[g]
                    kind = i % 4
                    if kind == 0:
                        return drv.invoke("/cast", name=NAMES[i % 6], user=user, channel=channel)
                    if kind == 1:
                        return drv.invoke("/show", user=user, channel=channel)
                    if kind == 2:
                        return drv.invoke("/episode", number=1 + i % 4, user=user, channel=channel)
                    return drv.invoke("/progress", episode=i % 5, user=user, channel=channel)

                async def lookups_at_once(count: int, width: int) -> int:
                    gate = asyncio.Semaphore(width)

                    async def one(i: int) -> int:
                        async with gate:
                            try:
                                await lookup(i)
                            except EmulatorError as exc:
                                failed.append(f"interaction {i}: {exc}")
                            return 1

                    return sum(await asyncio.gather(*(one(i) for i in range(count))))

                async def game(n: int) -> int:
                    channel, team = generals[tables[n]], teams[n]
                    try:
                        cursor = drv.cursor()
                        await drv.invoke("/trivia start", rounds=3, user=team[0], channel=channel)
                        for r in range(1, 4):
                            q = await drv.wait_for_message(
                                channel,
                                after=cursor,
                                timeout=30,
                                check=_question(r),
                            )
                            await asyncio.gather(
                                *(
                                    drv.click(q, rng.choice("ABCD"), user=u, timeout=30)
                                    for u in team
                                )
                            )
                    except EmulatorError as exc:
                        failed.append(f"game {n}: {exc}")
                        return 0
                    return 1 + 3 * len(team)

                began = time.perf_counter()
                counts = await asyncio.gather(
                    lookups_at_once(lookups, 64), *(game(n) for n in range(len(tables)))
                )
                elapsed = time.perf_counter() - began
                latencies = clock.latencies()
                shard_of = {x.session_id: x.shard for x in emu.gateway.sessions.values()}
                per_process = {ids: 0 for ids in PROCESSES}
                for sent in emu.gateway.events("INTERACTION_CREATE"):
                    shard = shard_of[sent.session_id]
                    assert shard is not None
                    per_process[PROCESSES[shard[0] * len(PROCESSES) // SHARDS]] += 1
                return {
                    "servers": servers,
                    "shards": SHARDS,
                    "processes": len(PROCESSES),
                    "ready_seconds": ready_seconds,
                    "interactions": sum(counts),
                    "answered": len(latencies),
                    "seconds": elapsed,
                    "interactions_per_second": sum(counts) / elapsed,
                    "interactions_per_process": per_process,
                    "latency": summary(latencies),
                    "missed_deadlines": clock.missed_deadlines(),
                    "failed": failed[:20],
                    "failed_count": len(failed),
                    "games": len(tables),
                    "players": players,
                }
        finally:
            await emu.stop()


def _question(number: int) -> Callable[[Any], bool]:
    def check(m: Any) -> bool:
        return (
            bool(m.embeds)
            and m.embeds[0]["title"].startswith(f"Question {number}/")
            and "closed" not in m.embeds[0]["title"]
        )

    return check


def report_line(s: dict[str, Any]) -> str:
    lat = s["latency"]
    by_process = ", ".join(f"shards {k} {v:,}" for k, v in s["interactions_per_process"].items())
    return (
        f"Shards: {s['servers']:,} servers over {s['shards']} shards in {s['processes']}"
        f" processes (ready in {s['ready_seconds']:.0f} s), {s['games']} trivia games of"
        f" {s['players']} beside the lookups: {s['interactions']:,} interactions in"
        f" {s['seconds']:.1f} s ({s['interactions_per_second']:.0f}/s; by process: {by_process});"
        " latency to the answer"
        f" p50 {lat['p50_ms']:.1f} ms, p90 {lat['p90_ms']:.1f} ms, p99 {lat['p99_ms']:.1f} ms,"
        f" max {lat['max_ms']:.1f} ms; missed 3 s deadlines: {s['missed_deadlines']};"
        f" failed: {s['failed_count']}."
    )
