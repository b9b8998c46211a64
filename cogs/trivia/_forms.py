"""The modal moderators write a server question in: built here, read back by field id.

Like the answer box, it is stopped before it is sent, so a submission reaches the cog's
listener by its custom id (``trivia-add`` or ``trivia-edit:<n>``) whenever it arrives.
"""

from __future__ import annotations

import re

import discord

from bot.i18n import ENGLISH, Where, t
from bot.store.records import Question
from bot.trivia.custom import ANSWER_MAX, CATEGORY_MAX, QUESTION_MAX
from cogs.trivia._buttons import modal_values

ADD_ID = "trivia-add"
EDIT_ID = "trivia-edit:{number}"
FORM_PATTERN = re.compile(r"trivia-(?:add|edit:(?P<number>\d+))")
ALIAS_MARK = "|"  # "Park Hoon | Park Hun": the answer, then other accepted spellings


def question_form(
    last_episode: int,
    existing: Question | None = None,
    number: int | None = None,
    where: Where = ENGLISH,
) -> discord.ui.Modal:
    """The form, empty or filled with `existing`; the episode field takes 0 to
    `last_episode` (the fact store's)."""
    modal = discord.ui.Modal(
        title=t(where, "Edit a trivia question")
        if existing
        else t(where, "Write a trivia question"),
        custom_id=EDIT_ID.format(number=number) if number is not None else ADD_ID,
        timeout=None,
    )
    answer = ""
    if existing is not None:
        answer = f" {ALIAS_MARK} ".join([existing.answer, *existing.aliases])
    fields = [
        (
            "question",
            t(where, "Question"),
            discord.TextStyle.paragraph,
            QUESTION_MAX,
            existing and existing.question,
        ),
        (
            "answer",
            t(where, "Right answer (other spellings after |)"),
            discord.TextStyle.short,
            200,
            answer,
        ),
        (
            "wrong",
            t(where, "Three wrong answers, one a line"),
            discord.TextStyle.paragraph,
            3 * ANSWER_MAX + 2,
            existing and "\n".join(existing.wrong),
        ),
        (
            "category",
            t(where, "Category"),
            discord.TextStyle.short,
            CATEGORY_MAX,
            existing and existing.category,
        ),
        (
            "episode",
            t(where, "Highest episode it spoils (0 = none, 1-{last})", last=last_episode),
            discord.TextStyle.short,
            len(str(last_episode)),
            existing and str(existing.spoiler_level),
        ),
    ]
    for custom_id, label, style, limit, default in fields:
        modal.add_item(
            discord.ui.TextInput(
                label=label,
                custom_id=custom_id,
                style=style,
                max_length=limit,
                default=default or None,
                required=True,
            )
        )
    modal.stop()
    return modal


def read_form(data: object) -> dict[str, str]:
    """The submitted fields, with the answer split into the answer and its aliases."""
    values = modal_values(data)
    answer, *aliases = (part.strip() for part in values.get("answer", "").split(ALIAS_MARK))
    return {**values, "answer": answer, "aliases": "\n".join(a for a in aliases if a)}
