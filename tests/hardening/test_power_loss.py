"""A committed trivia answer survives its writer being SIGKILLed mid-checkpoint (and
mid-commit): the state database's WAL, synchronous=FULL and checkpoint choice, tested."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bot.settings import PROJECT_ROOT

KILLS = 6


def kill_mid_checkpoint(
    state_db: Path, rng: random.Random
) -> tuple[list[tuple[int, int, int]], bool]:
    """Run the worker, SIGKILL it right after a checkpoint starts (or, one time in three,
    mid-commit); return the rounds it reported committed and whether the kill landed
    inside a checkpoint."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.hardening.checkpoint_worker", str(state_db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert worker.stdout is not None
    committed: list[tuple[int, int, int]] = []
    mid_commit = rng.random() < 1 / 3
    checkpoints_to_pass = rng.randint(1, 3)
    last = ""
    for line in worker.stdout:
        last = line.strip()
        if last.startswith("COMMITTED "):
            _, game, number, answers = last.split()
            committed.append((int(game), int(number), int(answers)))
            if mid_commit and len(committed) >= 5:
                break
        elif last == "CHECKPOINT START":
            checkpoints_to_pass -= 1
            if checkpoints_to_pass == 0 and not mid_commit:
                # A checkpoint of this WAL takes over 10 ms: a few ms in is inside it.
                time.sleep(rng.uniform(0.001, 0.004))
                break
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    rest = worker.stdout.read().splitlines()
    for line in rest:
        if line.startswith("COMMITTED "):
            _, game, number, answers = line.split()
            committed.append((int(game), int(number), int(answers)))
    in_checkpoint = last == "CHECKPOINT START" and "CHECKPOINT DONE" not in rest
    return committed, in_checkpoint


def test_a_committed_answer_survives_a_sigkill_mid_checkpoint(tmp_path: Path) -> None:
    state_db = tmp_path / "state.db"
    rng = random.Random(20220323)
    committed: list[tuple[int, int, int]] = []
    inside = 0
    for _ in range(KILLS):
        rounds, in_checkpoint = kill_mid_checkpoint(state_db, rng)
        committed += rounds
        inside += in_checkpoint
        # The next open (as the bot's next start does) recovers from the WAL.
        with sqlite3.connect(state_db) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            kept = dict(
                db.execute(
                    "SELECT game_id * 1000000 + round, count(*) FROM trivia_answers GROUP BY 1"
                ).fetchall()
            )
        lost = [(g, n) for g, n, a in committed if kept.get(g * 1_000_000 + n) != a]
        assert not lost, lost
    assert len(committed) > KILLS * 5
    assert inside >= 2, "the kills did not land inside checkpoints"
