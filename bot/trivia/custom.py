"""Validation of a server-written trivia question: pure, shared by the modal and imports."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.facts.names import name_key
from bot.store.trivia_custom import CustomQuestion

QUESTION_MAX = 300  # shown in an embed and as the answer box's placeholder (clipped)
ANSWER_MAX = 80  # Discord's button-label limit: every option fits anywhere it is shown
CATEGORY_MAX = 32
MAX_ALIASES = 10
DIFFICULTIES = ("easy", "medium", "hard")
_MENTION = re.compile(r"<@[!&]?\d+>|<#\d+>|<a?:\w+:\d+>|@(everyone|here)\b", re.IGNORECASE)
_CATEGORY = re.compile(r"[\w][\w \-&'.]*")


class InvalidQuestion(ValueError):
    """What is wrong with a question, in words a moderator can act on."""


def _line(what: str, value: str, limit: int) -> str:
    text = " ".join(value.split())
    if not text:
        raise InvalidQuestion(f"The {what} is empty.")
    if len(text) > limit:
        raise InvalidQuestion(f"The {what} is {len(text)} characters; at most {limit} fit.")
    if _MENTION.search(text):
        raise InvalidQuestion(f"The {what} contains a mention or custom emoji; write it out.")
    return text


def validate_question(
    question: str,
    answer: str,
    wrong: Sequence[str],
    category: str,
    spoiler_level: int | str,
    aliases: Sequence[str] = (),
    difficulty: str = "medium",
    *,
    episode_count: int,
) -> CustomQuestion:
    """The cleaned question, or InvalidQuestion saying what to fix. The episode it spoils
    is one of the fact store's (`episode_count`, its last) or 0 for none."""
    text = _line("question", question, QUESTION_MAX)
    right = _line("right answer", answer, ANSWER_MAX)
    wrongs = [w for w in (w.strip() for w in wrong) if w]
    if len(wrongs) != 3:
        raise InvalidQuestion(f"Give exactly three wrong answers, one a line (got {len(wrongs)}).")
    options = [right, *(_line("wrong answer", w, ANSWER_MAX) for w in wrongs)]
    keys = [name_key(o) for o in options]
    if not all(keys) or len(set(keys)) != 4:
        raise InvalidQuestion("The four options must be different (ignoring case and spacing).")
    kind = _line("category", category, CATEGORY_MAX).lower()
    if not _CATEGORY.fullmatch(kind):
        raise InvalidQuestion("The category may use letters, digits, spaces and - & ' . only.")
    try:
        level = int(str(spoiler_level).strip())
    except ValueError:
        raise InvalidQuestion(
            f"The episode it spoils must be a number from 0 to {episode_count}."
        ) from None
    if not 0 <= level <= episode_count:
        raise InvalidQuestion(f"The episode it spoils must be from 0 (none) to {episode_count}.")
    others = [_line("other accepted answer", a, ANSWER_MAX) for a in aliases if a.strip()]
    if len(others) > MAX_ALIASES:
        raise InvalidQuestion(f"At most {MAX_ALIASES} other accepted answers.")
    wrong_keys = set(keys[1:])
    if any(name_key(a) in wrong_keys for a in others):
        raise InvalidQuestion("An accepted answer is also one of the wrong answers.")
    others = list(dict.fromkeys(a for a in others if name_key(a) != keys[0]))
    if difficulty not in DIFFICULTIES:
        raise InvalidQuestion(f"The difficulty must be one of {', '.join(DIFFICULTIES)}.")
    return CustomQuestion(
        kind, text, right, (options[1], options[2], options[3]), level, tuple(others), difficulty
    )
