"""SIGKILL the bot at random moments mid-game: the state database stays intact and every
point of every question that finished before the kill is there."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.facts.pipeline import BuildSummary
from bot.settings import PROJECT_ROOT

# Each kill costs a process start; `--slow` runs the long count.
KILLS = 8
KILLS_SLOW = 20


def run_until_killed(facts_db: Path, state_db: Path, rng: random.Random) -> list[tuple[int, int]]:
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.hardening.crash_worker", str(facts_db), str(state_db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert worker.stdout is not None
    assert worker.stdout.readline().strip() == "READY"
    os.set_blocking(worker.stdout.fileno(), False)
    time.sleep(rng.uniform(0.05, 1.5))
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    closed = []
    for line in (worker.stdout.read() or "").splitlines():
        if line.startswith("CLOSED "):
            _, game, number = line.split()
            closed.append((int(game), int(number)))
    return closed


def test_sigkill_never_corrupts_state_or_loses_a_finished_point(
    built_store: tuple[Path, BuildSummary], tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    kills = KILLS_SLOW if request.config.getoption("--slow") else KILLS
    state_db = tmp_path / "state.db"
    rng = random.Random(20221123)
    finished: list[tuple[int, int]] = []
    for _ in range(kills):
        finished += run_until_killed(built_store[0], state_db, rng)
        with sqlite3.connect(state_db) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            kept = set(db.execute("SELECT game_id, round FROM trivia_rounds").fetchall())
            answers = dict(
                db.execute(
                    "SELECT game_id * 100 + round, count(*) FROM trivia_answers GROUP BY 1"
                ).fetchall()
            )
        missing = [r for r in finished if r not in kept]
        assert not missing, missing
        assert all(answers.get(game * 100 + number) == 2 for game, number in finished)
    assert len(finished) > kills  # the kills landed mid-game, after real play
    with sqlite3.connect(state_db) as db:
        statuses = [row[0] for row in db.execute("SELECT status FROM trivia_games ORDER BY id")]
    # Every restart reported the game the kill before it cut off; only the last can still
    # be waiting for a next start to report it.
    assert set(statuses[:-1]) <= {"interrupted", "finished"}
    assert statuses.count("running") <= 1
    assert statuses.count("interrupted") >= kills // 2  # most kills landed mid-game
