"""`soundtrack-bot build` as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.settings import PROJECT_ROOT
from tests.helpers.cli import run_cli


def test_build_prints_a_summary_and_json(tmp_path: Path) -> None:
    env = {"FACTS_DB": str(tmp_path / "facts.db")}
    text = run_cli("build", env=env)
    assert text.returncode == 0, text.stderr
    for word in (
        "documents",
        "passages",
        "people",
        "characters",
        "songs",
        "episodes",
        "facts",
        "questions",
        "conflicts",
    ):
        assert word in text.stdout
    as_json = run_cli("build", "--json", env=env)
    counts = json.loads(as_json.stdout)
    assert counts["documents"] == 5 and counts["questions"] >= 40
    assert (tmp_path / "facts.db").is_file()


def test_a_bad_setting_gives_one_line_not_a_traceback(tmp_path: Path) -> None:
    result = run_cli("build", env={"LOG_LEVEL": "loud", "FACTS_DB": str(tmp_path / "f.db")})
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "LOG_LEVEL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_failed_build_names_the_problem(tmp_path: Path) -> None:
    curated = tmp_path / "curated.toml"
    curated.write_text('[[person]]\nid = "x"\n', encoding="utf-8")
    result = run_cli(
        "build", env={"CURATED_FILE": str(curated), "FACTS_DB": str(tmp_path / "f.db")}
    )
    assert result.returncode == 1
    assert "person 'x'" in result.stderr and "Traceback" not in result.stderr


def test_run_without_a_token_says_how_to_set_one(tmp_path: Path) -> None:
    result = run_cli("run", env={"DISCORD_TOKEN": "", "STATE_DB": str(tmp_path / "s.db")})
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert "DISCORD_TOKEN" in result.stderr and "soundtrack-bot console" in result.stderr


def test_start_without_a_token_opens_the_playground(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "start"],
        input=":quit\n",
        capture_output=True,
        text=True,
        env={**os.environ, "DISCORD_TOKEN": "", "STATE_DB": str(tmp_path / "s.db")},
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "playground" in result.stdout and result.stdout.rstrip().endswith("Bye.")
