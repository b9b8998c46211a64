"""Red-DiscordBot trivia lists (YAML) in and out.

Red's format (redbot/cogs/trivia/schema.py): a mapping with optional ``AUTHOR`` (text,
1-1000 characters), ``DESCRIPTION`` (text, 1-200), ``CONFIG`` (a mapping of known keys
only) and ``$schema``; every other key is a question (text) whose value is a list of
accepted answers (text, or numbers and booleans, which Red reads as text). At least one
question. `schema_errors` checks exactly that, in words close to Red's own.

Red's format has no wrong options and no spoiler level. An export keeps them in a YAML
comment above each question, which Red ignores and an import reads back, so an export
re-imports to the same questions. A plain Red list gets its wrong options from the other
questions' answers, and the spoiler level the importer gives (the last episode unless
told).
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from bot.facts.names import name_key
from bot.store.records import Question
from bot.store.trivia_custom import CustomQuestion
from bot.trivia.custom import DIFFICULTIES, InvalidQuestion, validate_question

META_PREFIX = "# soundtrack-bot: "
RESERVED = ("$schema", "AUTHOR", "DESCRIPTION", "CONFIG")
_CONFIG_CHECKS: dict[str, tuple[str, Any]] = {
    "max_score": ("a positive integer", lambda v: _is_int(v) and v >= 1),
    "timeout": ("a positive number", lambda v: _is_number(v) and v > 0),
    "delay": ("a positive number greater than or equal to 4", lambda v: _is_number(v) and v >= 4),
    "bot_plays": ("either true or false", lambda v: isinstance(v, bool)),
    "reveal_answer": ("either true or false", lambda v: isinstance(v, bool)),
    "payout_multiplier": ("a non-negative number", lambda v: _is_number(v) and v >= 0),
    "use_spoilers": ("either true or false", lambda v: isinstance(v, bool)),
}


class RedListError(ValueError):
    """A list that is not valid YAML, not a valid Red list, or not playable here."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def schema_errors(data: Any) -> list[str]:
    """Everything Red's TRIVIA_LIST_SCHEMA would reject in a loaded list ([] if valid)."""
    if not isinstance(data, dict):
        return ["A trivia list should be a 'key: value' mapping."]
    errors: list[str] = []
    for key, limit in (("AUTHOR", 1000), ("DESCRIPTION", 200)):
        if key in data and not (isinstance(data[key], str) and 1 <= len(data[key]) <= limit):
            errors.append(f"'{key}' key must be a text value not longer than {limit} characters.")
    if "$schema" in data and not isinstance(data["$schema"], str):
        errors.append("'$schema' key must be a text value.")
    if "CONFIG" in data:
        config = data["CONFIG"]
        if not isinstance(config, dict):
            errors.append("'CONFIG' should be a 'key: value' mapping.")
        else:
            for key, value in config.items():
                check = _CONFIG_CHECKS.get(key)
                if check is None:
                    errors.append(f"{key!r} is not a key that can be specified in 'CONFIG'.")
                elif not check[1](value):
                    errors.append(f"{key!r} key in 'CONFIG' must be {check[0]}.")
    questions = 0
    for key, value in data.items():
        if not isinstance(key, str):
            errors.append(f"A key of question {key!r} is not a text value.")
            continue
        if key in RESERVED:
            continue
        questions += 1
        if not isinstance(value, list) or not all(
            isinstance(a, str | int | float | bool) for a in value
        ):
            errors.append(f"Value of question {key!r} is not a list of text values (answers).")
    if questions == 0 and not errors:
        errors.append("The trivia list does not contain any questions.")
    return errors


@dataclass(frozen=True, slots=True)
class RedList:
    questions: dict[str, list[str]]  # question -> accepted answers, the first the main one
    meta: dict[str, dict[str, Any]] = field(default_factory=dict)  # by question, from comments
    author: str | None = None
    description: str | None = None


def load_red_list(text: str) -> RedList:
    """Parse and check a Red list; RedListError names every problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RedListError(f"Not valid YAML: {error}") from None
    errors = schema_errors(data)
    if errors:
        raise RedListError("Not a valid Red trivia list:\n- " + "\n- ".join(errors[:20]))
    questions = {
        key: [_answer_text(a) for a in value] for key, value in data.items() if key not in RESERVED
    }
    return RedList(questions, _read_meta(text), data.get("AUTHOR"), data.get("DESCRIPTION"))


def _answer_text(value: Any) -> str:
    # Red reads answers with str(); YAML's true/false come back as True/False there too.
    return str(value)


def _read_meta(text: str) -> dict[str, dict[str, Any]]:
    meta: dict[str, dict[str, Any]] = {}
    for line in text.splitlines():
        if line.startswith(META_PREFIX):
            try:
                entry = json.loads(line[len(META_PREFIX) :])
            except json.JSONDecodeError:
                continue
            if isinstance(entry, dict) and isinstance(entry.get("question"), str):
                meta[entry["question"]] = entry
    return meta


def dump_red_list(questions: Iterable[Question], author: str, description: str) -> str:
    """A Red list of `questions`: each question's accepted answers, with the wrong options,
    category and spoiler level in the comment above it."""
    lines = [
        "# A Red-DiscordBot trivia list, written by soundtrack-bot.",
        "# The comment above each question keeps what Red's format has no place for",
        "# (the wrong options, the category, the episode it spoils); Red ignores it.",
        yaml.safe_dump(
            {"AUTHOR": author, "DESCRIPTION": description[:200]},
            allow_unicode=True,
            sort_keys=False,
            width=math.inf,
        ).rstrip(),
        "CONFIG:\n  reveal_answer: true\n  use_spoilers: true",
    ]
    for q in questions:
        meta = {
            "question": q.question,
            "category": q.category,
            "difficulty": q.difficulty,
            "spoils": q.spoiler_level,
            "wrong": list(q.wrong),
        }
        answers = list(dict.fromkeys([q.answer, *q.aliases]))
        lines.append(META_PREFIX + json.dumps(meta, ensure_ascii=False))
        lines.append(
            yaml.safe_dump(
                {q.question: answers}, allow_unicode=True, sort_keys=False, width=math.inf
            ).rstrip()
        )
    return "\n".join(lines) + "\n"


def to_custom_questions(
    red: RedList,
    category: str | None = None,
    spoiler_level: int | None = None,
    *,
    episode_count: int,
) -> list[CustomQuestion]:
    """Every question of a list as a server question; RedListError lists the ones that
    cannot be (all or nothing). A question without its own level spoils `spoiler_level`
    (None: the store's last episode, `episode_count`, the safest)."""
    if spoiler_level is None:
        spoiler_level = episode_count
    main_answers = [answers[0] for answers in red.questions.values() if answers]
    result: list[CustomQuestion] = []
    errors: list[str] = []
    for text, answers in red.questions.items():
        meta = red.meta.get(text, {})
        try:
            if not answers:
                raise InvalidQuestion("It has no answer.")
            wrong = meta.get("wrong")
            if not (isinstance(wrong, list) and all(isinstance(w, str) for w in wrong)):
                wrong = _draw_wrong(text, answers, main_answers)
            level = meta.get("spoils", spoiler_level)
            difficulty = meta.get("difficulty")
            result.append(
                validate_question(
                    text,
                    answers[0],
                    wrong,
                    category or str(meta.get("category") or "imported"),
                    level if isinstance(level, int) else spoiler_level,
                    answers[1:],
                    difficulty if difficulty in DIFFICULTIES else "medium",
                    episode_count=episode_count,
                )
            )
        except InvalidQuestion as error:
            errors.append(f"{text[:80]!r}: {error}")
    if errors:
        raise RedListError(
            f"{len(errors)} question(s) cannot be imported:\n- " + "\n- ".join(errors[:20])
        )
    return result


def _draw_wrong(question: str, answers: Sequence[str], pool: Sequence[str]) -> list[str]:
    """Three wrong options from the other questions' answers, the same on every import."""
    own = {name_key(a) for a in answers}
    seen: set[str] = set()
    candidates = []
    for option in pool:
        key = name_key(option)
        if key and key not in own and key not in seen:
            seen.add(key)
            candidates.append(option)
    if len(candidates) < 3:
        raise InvalidQuestion(
            "The list has too few other answers to draw three wrong options from."
        )
    return random.Random(question).sample(candidates, 3)
