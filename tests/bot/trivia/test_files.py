"""`soundtrack-bot trivia export|import` as a user runs them: a Red list out of the store,
into a server's questions, and out again unchanged."""

from __future__ import annotations

import asyncio
from pathlib import Path

import yaml

from bot.facts.pipeline import BuildSummary
from bot.store import StateStore
from bot.store.facts import episode_count
from bot.trivia.redlist import load_red_list, schema_errors
from tests.helpers.cli import run_cli

GUILD = "4242"


def cli_env(built_store: tuple[Path, BuildSummary], tmp_path: Path) -> dict[str, str]:
    return {"FACTS_DB": str(built_store[0]), "STATE_DB": str(tmp_path / "state.db")}


def test_export_import_export_round_trips(
    built_store: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    env = cli_env(built_store, tmp_path)
    first = tmp_path / "soundtrack.yaml"
    out = run_cli("trivia", "export", "--format", "red", str(first), env=env)
    assert out.returncode == 0, out.stderr
    assert "Wrote" in out.stdout and "Red's trivia-list format" in out.stdout
    data = yaml.safe_load(first.read_text(encoding="utf-8"))
    assert schema_errors(data) == []
    last = episode_count(built_store[0])
    assert f"spoilers up to episode {last}" in data["DESCRIPTION"]  # the default: the last

    added = run_cli("trivia", "import", str(first), "--guild", GUILD, env=env)
    assert added.returncode == 0, added.stderr
    exported = load_red_list(first.read_text(encoding="utf-8"))
    assert f"Imported {len(exported.questions)} questions" in added.stdout
    again = run_cli("trivia", "import", str(first), "--guild", GUILD, env=env)
    assert "Imported 0 questions" in again.stdout and "already there" in again.stdout

    second = tmp_path / "server.yaml"
    out = run_cli("trivia", "export", str(second), "--guild", GUILD, env=env)
    assert out.returncode == 0, out.stderr
    back = load_red_list(second.read_text(encoding="utf-8"))
    assert back.questions == exported.questions  # the same questions and answers
    assert back.meta == exported.meta  # the same wrong options, categories, spoilers


def test_import_with_a_category_and_a_spoiler_cap_on_export(
    built_store: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    env = cli_env(built_store, tmp_path)
    file = tmp_path / "premise.yaml"
    out = run_cli("trivia", "export", str(file), "--spoilers-up-to", "0", env=env)
    assert out.returncode == 0, out.stderr
    red = load_red_list(file.read_text(encoding="utf-8"))
    assert red.meta and all(m["spoils"] == 0 for m in red.meta.values())
    out = run_cli("trivia", "import", str(file), "--guild", GUILD, "--category", "Night", env=env)
    assert out.returncode == 0, out.stderr

    async def stored() -> list[str]:
        state = await StateStore.open(tmp_path / "state.db")
        try:
            return [q.category for q in await state.custom_questions.questions(int(GUILD))]
        finally:
            await state.close()

    categories = asyncio.run(stored())
    assert len(categories) == len(red.questions) and set(categories) == {"night"}


def test_a_bad_list_is_refused_with_reasons_and_imports_nothing(
    built_store: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    env = cli_env(built_store, tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("CONFIG:\n  colour: red\nWho?: someone\n", encoding="utf-8")
    out = run_cli("trivia", "import", str(bad), "--guild", GUILD, env=env)
    assert out.returncode == 1
    assert "'colour' is not a key that can be specified in 'CONFIG'" in out.stderr
    assert "Value of question 'Who?' is not a list" in out.stderr
    missing = run_cli("trivia", "import", str(tmp_path / "nope.yaml"), "--guild", "1", env=env)
    assert missing.returncode == 1 and "import failed" in missing.stderr
    assert not (tmp_path / "state.db").exists()


def test_an_episode_past_the_stores_last_is_refused(
    built_store: tuple[Path, BuildSummary], tmp_path: Path
) -> None:
    env = cli_env(built_store, tmp_path)
    last = episode_count(built_store[0])
    file = tmp_path / "out.yaml"
    past = str(last + 1)
    out = run_cli("trivia", "export", str(file), "--spoilers-up-to", past, env=env)
    assert out.returncode == 1 and not file.exists()
    assert f"--spoilers-up-to must be an episode from 0 to {last}" in out.stderr
    assert run_cli("trivia", "export", str(file), env=env).returncode == 0
    out = run_cli("trivia", "import", str(file), "--guild", GUILD, "--spoils", past, env=env)
    assert out.returncode == 1 and f"--spoils must be an episode from 0 to {last}" in out.stderr
    assert not (tmp_path / "state.db").exists()  # nothing imported
