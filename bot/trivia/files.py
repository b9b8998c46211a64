"""Red trivia-list files for the CLI: export the store's (or a server's) questions, import
a list into a server's custom questions. A written file is checked before it replaces one."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from bot.facts.pipeline import ensure_store
from bot.settings import Settings
from bot.store import FactStore, StateStore
from bot.store.facts import episode_count
from bot.store.trivia_custom import CustomQuestion
from bot.trivia.redlist import (
    RedListError,
    dump_red_list,
    load_red_list,
    to_custom_questions,
)

AUTHOR = "soundtrack-bot (Soundtrack #1 fan bot)"


def store_episode_count(settings: Settings) -> int:
    """The fact store's episode count (built first if it is missing or out of date): the
    last episode an import or export may name."""
    ensure_store(settings.documents_dir, settings.curated_file, settings.facts_db)
    return episode_count(settings.facts_db)


def export_red_list(settings: Settings, path: Path, guild_id: int | None, cap: int) -> int:
    """Write the questions that spoil at most episode `cap` to `path`; returns how many."""
    text, count = asyncio.run(red_list_text(settings, guild_id, cap))
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return count


async def red_list_text(settings: Settings, guild_id: int | None, cap: int) -> tuple[str, int]:
    """The Red list of the store's questions (or one server's), checked, and its size."""
    if guild_id is None:
        await asyncio.to_thread(
            ensure_store, settings.documents_dir, settings.curated_file, settings.facts_db
        )
        facts = await FactStore.open(settings.facts_db)
        try:
            questions = await facts.questions(max_level=cap)
        finally:
            await facts.close()
        what = "from the source documents"
    else:
        state = await StateStore.connect(settings.database_url, settings.state_db)
        try:
            questions = await state.custom_questions.questions(guild_id, max_level=cap)
        finally:
            await state.close()
        what = f"written in server {guild_id}"
    if not questions:
        raise RedListError("No questions to export.")
    spoils = "no episode spoilers" if cap == 0 else f"spoilers up to episode {cap}"
    description = (
        f"Soundtrack #1 (K-drama) trivia {what}; {spoils} (each question's episode is in"
        " the comment above it)."
    )
    text = dump_red_list(questions, AUTHOR, description)
    written = load_red_list(text)  # what is written is checked before it replaces anything
    if len(written.questions) != len(questions):
        raise RedListError("Two questions share a text; the list would lose one.")
    return text, len(questions)


def import_red_list(
    settings: Settings,
    path: Path,
    guild_id: int,
    category: str | None,
    spoils: int,
    last_episode: int,
) -> tuple[int, int]:
    """(added, already there) after importing the list at `path` into a server. Every
    question is checked first (its episode against `last_episode`, the store's): one bad
    question imports none."""
    questions = to_custom_questions(
        load_red_list(path.read_text(encoding="utf-8")),
        category,
        spoils,
        episode_count=last_episode,
    )
    return asyncio.run(_add(settings, guild_id, questions))


async def _add(
    settings: Settings, guild_id: int, questions: list[CustomQuestion]
) -> tuple[int, int]:
    state = await StateStore.connect(settings.database_url, settings.state_db)
    try:
        return await state.custom_questions.add_many(guild_id, None, questions)
    finally:
        await state.close()
