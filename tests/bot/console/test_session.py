"""The playground as people use it: three pretend players, a thread, garbage, a restart.

Each run is `soundtrack-bot console` in a subprocess fed a script on stdin, exactly what a
person would type; the bot inside is the real one over the loopback emulator.
"""

from __future__ import annotations

import os
import queue
import random
import re
import subprocess
import sys
import threading
from pathlib import Path

from bot.facts.pipeline import BuildSummary
from bot.settings import PROJECT_ROOT

PLAYERS = ("alice", "bob", "minseo")


def play(script: str, facts_db: Path, state_db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "console"],
        input=script,
        capture_output=True,
        text=True,
        env={**os.environ, "FACTS_DB": str(facts_db), "STATE_DB": str(state_db)},
        cwd=PROJECT_ROOT,
        timeout=180,
    )


def answer_round(choices: tuple[int, int, int]) -> str:
    """Wait for the next question, then every player presses a button on it."""
    lines = [":user alice", ":wait buttons"]
    for player, choice in zip(PLAYERS, choices, strict=True):
        lines += [f":user {player}", str(choice)]
    return "\n".join(lines) + "\n"


def game_script() -> str:
    return (
        ":user owner\n"
        "/discussion open episode:1 channel:general\n"
        "/discussion open 2 #general\n"
        ":channel Episode 1\n"
        "/spoiler text:the **kiss** in the rain episode:4\n"
        ":channel general\n"
        ":user alice\n"
        "/progress 2\n"
        "/trivia start rounds:2 seconds:10\n"
        + answer_round((1, 2, 3))
        + ":wait 11\n"
        + answer_round((2, 3, 4))
        + ":wait 11\n"
        ":quit\n"
    )


def garbage(rng: random.Random, count: int) -> list[str]:
    """Malformed and hostile lines: wrong options, bad values, unknown names, noise."""
    pieces = [
        "/",
        "/ ",
        "//",
        "/cast",
        "/cast name:",
        "/progress 9",
        "/progress -1",
        "/progress x",
        "/progress scope:nowhere",
        "/trivia",
        "/trivia start rounds:0",
        "/trivia start 999",
        "/trivia stats user:nobody",
        "/trivia stats user:@bob",
        "/trivia stats <@123>",
        "/discussion open",
        "/discussion open episode:7",
        "/discussion open 1 #nope",
        "/discussion open episode:1 channel:<#42>",
        "/settings discussion channel:@alice",
        "/settings spoilers default_progress:9",
        "/ask",
        "/ask question:",
        "/ost ||x||",
        '/ask question:"unterminated',
        "/ask question:NEAR(a b) OR *",
        ":user",
        ":user zed",
        ":channel",
        ":channel #nowhere",
        ":wait",
        ":wait abc",
        ":wait -5",
        ":wait 1e9",
        ":commands",
        ":help",
        ":nope",
        "0",
        "7",
        "99999999999999999999",
        "1",
        "2",
        "@everyone",
        "<@&1>",
        "\u200b",
        "\u202eevil",
        "𝕊𝕠𝕦𝕟𝕕",
        "name:value",
        "::",
        ":",
        "/cast " + "x" * 3000,
        "/about extra words",
        "/show share:maybe",
        "/episode number:",
        "/episode number:2.5",
        "/sync scope:everything",
        "/spoiler text:",
        "exit now",
    ]
    lines = []
    for _ in range(count):
        line = rng.choice(pieces)
        if rng.random() < 0.3:  # mangle it
            cut = rng.randrange(len(line) + 1)
            line = line[:cut] + rng.choice(["", ":", "#", "@", "|", "\\", "\t", "**"]) + line[cut:]
        lines.append(line.replace("\n", " "))
    return lines


def test_three_players_a_thread_garbage_and_a_restart(
    built_store: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    facts_db, state_db = built_store[0], tmp_path / "state.db"
    first = play(game_script(), facts_db, state_db)
    out = first.stdout
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr + out

    # A discussion thread opened in the channel named by name, then by #name.
    assert "(thread opened: #Soundtrack #1 · Episode 1 discussion)" in out
    assert "Opened #Soundtrack #1 · Episode 2 discussion for episode 2." in out
    assert "You are now in #Soundtrack #1 · Episode 1 discussion." in out
    # The user's ** are escaped by the bot, so they show as typed, as Discord shows them.
    assert out.count("@jiwoo · Ep 4 spoiler: ▒spoiler: the **kiss** in the rain▒") == 1
    assert "Saved: up to episode 2" in out  # `/progress 2`: the bare value went to episode

    # Both questions, every player locked an answer in each.
    assert "Question 1/2" in out and "Question 2/2" in out
    assert out.count("Locked in: ") == 6, out
    assert "Locked in: **" not in out  # the bot's **bold** is drawn bold, not as asterisks
    assert "no buttons" not in out
    final = out[out.index("Trivia over: final scores") :]
    for player in ("@alice", "@bob", "@minseo"):
        assert player in final
    assert not re.search(r"@\d{6,}", out)  # users by name, never raw ids

    # 100 malformed lines: each answered in a line or two, the playground still alive.
    noise = garbage(random.Random(13), 100)
    second = play("\n".join([*noise, "/about", ":quit"]) + "\n", facts_db, state_db)
    assert second.returncode == 0, second.stderr
    assert "Traceback" not in second.stderr + second.stdout
    assert "went wrong inside the playground" not in second.stdout
    assert "About" in second.stdout.split("> /about")[-1]
    assert second.stdout.rstrip().endswith("Bye.")

    # After the restarts: progress and scores are still there, by name.
    third = play(
        "/progress\n/trivia leaderboard\n:user owner\n/discussion list\n:quit\n", facts_db, state_db
    )
    assert third.returncode == 0, third.stderr
    assert "You're at episode 2" in third.stdout or "up to episode 2" in third.stdout
    board = third.stdout[third.stdout.index("Trivia leaderboard") :]
    for player in ("@alice", "@bob", "@minseo"):
        assert player in board
    assert "Episode 1" in third.stdout and "Episode 2" in third.stdout
    assert (tmp_path / "playground-state.db").is_file()
    assert not state_db.exists()  # never the real bot's state


def test_posts_arriving_while_idle_print_on_their_own_lines_then_the_prompt(
    built_store: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    """The bot's own posts (a question closing, the final scores) arrive while the
    playground waits for input: they start on a new line and the prompt comes back."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "console"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={
            **os.environ,
            "FACTS_DB": str(built_store[0]),
            "STATE_DB": str(tmp_path / "state.db"),
        },
        cwd=PROJECT_ROOT,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("/trivia start rounds:1 seconds:10\n")
    process.stdin.flush()
    chunks: queue.Queue[str] = queue.Queue()
    stdout = process.stdout

    def pump() -> None:
        for char in iter(lambda: stdout.read(1), ""):
            chunks.put(char)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    seen = ""
    while "Trivia over" not in seen or not seen.rstrip().endswith("alice in #general>"):
        try:
            seen += chunks.get(timeout=60)  # the playground must not exit or stall
        except queue.Empty:
            process.kill()
            raise AssertionError(seen) from None
    process.stdin.write(":quit\n")
    process.stdin.close()
    assert process.wait(timeout=60) == 0
    reader.join(timeout=10)
    while not chunks.empty():
        seen += chunks.get()
    # The question closed while idle: it starts on a fresh line after the waiting prompt.
    _, _, after = seen.partition("Started by @alice")
    assert "\nalice in #general> \n(edited)\n╭─ Question 1/1 · closed" in after, after
    assert seen.rstrip().endswith("Bye.")
