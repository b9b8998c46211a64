"""Two bot processes over one PostgreSQL, each opening half of four shards, on one emulator
(issue 16): state is shared, each server's scheduled work runs once, and a process killed
mid-game loses no finished point while the other keeps serving."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg

from bot.console.world import FanWorld, fan_world
from bot.facts.pipeline import BuildSummary
from bot.settings import PROJECT_ROOT
from bot.store import FactStore
from cogs.progress import progress_text
from discord_emulator import Channel, Driver, Emulator, User
from tests.helpers.trivia import closed, next_question, right_and_wrong

SHARDS = 4
PROCESSES = ("0-1", "2-3")  # SHARD_IDS of each process
READY_WITHIN = 30.0


@contextlib.asynccontextmanager
async def bot_process(
    emu: Emulator,
    shard_ids: str,
    database_url: str,
    facts_db: Path,
    tmp_path: Path,
    run: int = 1,
) -> AsyncIterator[asyncio.subprocess.Process]:
    """A real bot process opening `shard_ids`; stopped (SIGTERM) at the end if still alive.
    Its log is tmp_path/bot-<ids>-<run>.log."""
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "SHARD_COUNT": str(SHARDS),
        "SHARD_IDS": shard_ids,
        "DATABASE_URL": database_url,
        "FACTS_DB": str(facts_db),
        "DB_DIR": str(tmp_path),  # unused on PostgreSQL
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DISCORD_TOKEN", None)
    with (tmp_path / f"bot-{shard_ids}-{run}.log").open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.hardening.shard_worker",
            emu.base_url,
            stdout=asyncio.subprocess.PIPE,
            stderr=log,
            cwd=PROJECT_ROOT,
            env=env,
        )
        try:
            yield process
        finally:
            if process.returncode is None:
                process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), 10)
                except TimeoutError:
                    process.kill()
                    await process.wait()


async def ready(process: asyncio.subprocess.Process) -> None:
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), READY_WITHIN)
    assert line.strip() == b"READY", line


async def play(
    drv: Driver,
    facts: FactStore,
    world: FanWorld,
    fan: User,
    rounds: int,
    *,
    starter: User | None = None,
    channel: Channel | None = None,
    slow: bool = False,
) -> None:
    """A game in `channel` (world's #general, which must hold no earlier game) started by
    `starter` (the owner), the fan right every time. A question closes once everyone who
    played the one before answered; `slow`: bob plays every other question, so the ones
    between run their whole time (3 s: the workers run trivia at FAST)."""
    channel = channel or world.general
    started = await drv.invoke(
        "/trivia start",
        rounds=rounds,
        seconds=60,
        user=starter or world.owner,
        channel=channel,
    )
    assert not started.ephemeral, started.content
    for number in range(1, rounds + 1):
        question = await next_question(drv, number, channel=channel)
        right, wrong = await right_and_wrong(facts, question)
        if slow and number % 2:
            await drv.click(question, wrong, user=world.bob)
        await drv.click(question, right, user=fan)
        await closed(drv, question)


async def leaderboard(drv: Driver, world: FanWorld, fan: User) -> str:
    board = await drv.invoke("/trivia leaderboard", scope="global", user=fan, channel=world.general)
    return str(board.embed["description"])


async def test_two_processes_share_one_postgresql_and_split_the_shards(
    built_store: tuple[Path, BuildSummary], database_url: str, tmp_path: Path
) -> None:
    facts_db, summary = built_store
    episodes = summary.counts["episodes"]
    emu = Emulator(shards=SHARDS, heartbeat_interval=5.0)
    # worlds[n] is on shard n: worlds 0-1 are the first process's, 2-3 the second's.
    worlds = [fan_world(emu, episodes, shard=(n, SHARDS)) for n in range(SHARDS)]
    fan = worlds[0].alice  # a member of every server
    for world in worlds[1:]:
        emu.world.add_member(world.guild, fan)
    facts = await FactStore.open(facts_db)
    db = await asyncpg.connect(database_url)
    await emu.start()
    try:
        async with (
            bot_process(emu, PROCESSES[0], database_url, facts_db, tmp_path) as first,
            bot_process(emu, PROCESSES[1], database_url, facts_db, tmp_path) as second,
        ):
            await asyncio.gather(ready(first), ready(second))
            drv = Driver(emu)

            # Progress set where the first process answers is seen where the second does.
            saved = await drv.invoke("/progress", episode=2, user=fan, channel=worlds[0].general)
            assert saved.content.startswith("Saved")
            seen = await drv.invoke("/progress", user=fan, channel=worlds[2].general)
            assert seen.content.startswith(
                f"You're at {progress_text(2, episodes)} (your setting)"
            ), seen.content

            # A rewatch in a server of the first process, due in a few seconds.
            one = worlds[1]
            await drv.invoke(
                "/settings discussion",
                options={"channel": one.general},
                user=one.moderator,
                channel=one.general,
            )
            due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=4)
            planned = await drv.invoke(
                "/discussion rewatch",
                start=f"<t:{int(due.timestamp())}:F>",
                every=1,
                events=False,
                user=one.moderator,
                channel=one.general,
            )
            assert "Rewatch scheduled" in planned.content, planned.content

            # Trivia in a server of each process at once; one leaderboard over both.
            await asyncio.gather(
                play(drv, facts, worlds[1], fan, 2), play(drv, facts, worlds[2], fan, 2)
            )
            boards = [await leaderboard(drv, worlds[n], fan) for n in (0, 3)]
            assert boards[0] == boards[1]
            assert boards[0].startswith(f"1. <@{fan.id}> — ")

            # The rewatch's first thread opened once, by the process that serves it.
            await emu.world.wait_for_event(
                lambda e: (
                    e.kind == "create"
                    and emu.world.channel(e.channel_id).parent_id == one.general.id
                ),
                timeout=15,
                after=0,
            )
            await asyncio.sleep(1.0)  # time for a second opening, if anything made one
            assert len(drv.threads(parent=one.general)) == 1
            assert len(drv.threads()) == 1
            runs = await db.fetch(
                "SELECT episode, outcome FROM discussion_schedule_runs WHERE guild_id = $1",
                one.guild.id,
            )
            assert [tuple(r) for r in runs] == [(1, "opened")]

            # The second process is killed mid-game: every question it closed kept its points.
            three = worlds[3]
            closed_rounds = []
            await drv.invoke("/trivia start", rounds=10, user=three.owner, channel=three.general)
            for number in (1, 2):
                question = await next_question(drv, number, channel=three.general)
                right, _ = await right_and_wrong(facts, question)
                await drv.click(question, right, user=fan)
                await closed(drv, question)
                closed_rounds.append(number)
            await next_question(drv, 3, channel=three.general)
            second.send_signal(signal.SIGKILL)
            await second.wait()
            game = await db.fetchrow(
                "SELECT id, status FROM trivia_games WHERE guild_id = $1", three.guild.id
            )
            assert game is not None and game["status"] == "running"  # cut off, not ended
            kept = await db.fetch(
                "SELECT round, points FROM trivia_answers WHERE game_id = $1 AND user_id = $2",
                game["id"],
                fan.id,
            )
            assert {r["round"] for r in kept} >= set(closed_rounds)
            assert all(r["points"] > 0 for r in kept)

            # The first process keeps serving, and its leaderboard counts the lost game's
            # finished questions.
            total = await db.fetchval(
                "SELECT sum(points) FROM trivia_answers WHERE user_id = $1", fan.id
            )
            after = await leaderboard(drv, worlds[0], fan)
            assert after.startswith(f"1. <@{fan.id}> — {total} points"), (after, total)

            # The second process comes back while the first runs a game: it reports its own
            # cut-off game and leaves the other process's live one alone.
            table = emu.world.create_channel(one.guild, "second-game")
            playing = asyncio.create_task(
                play(drv, facts, one, fan, 8, starter=one.moderator, channel=table, slow=True)
            )
            await next_question(drv, 1, channel=table)
            async with bot_process(
                emu, PROCESSES[1], database_url, facts_db, tmp_path, run=2
            ) as restarted:
                await ready(restarted)
                report = await drv.wait_for_message(
                    three.general,
                    after=0,
                    check=lambda m: "interrupted by a restart" in m.content,
                )
                assert "after 2 of 10 questions" in report.content, report.content
                statuses = dict(
                    await db.fetch("SELECT guild_id, status FROM trivia_games WHERE rounds > 2")
                )
                assert statuses == {three.guild.id: "interrupted", one.guild.id: "running"}
                playing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await playing
        assert emu.server_errors == []
    finally:
        await emu.stop()
        await db.close()
        await facts.close()
