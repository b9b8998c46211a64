"""Native message polls: creation rules, votes, results and finalization, as Discord does them.

Shapes follow discord.py's ``types/poll.py``: a create request (``question``, ``answers``
without ids, ``duration`` in hours, ``allow_multiselect``, ``layout_type``) becomes a stored
poll with 1-based ``answer_id``\\s, an ``expiry`` and ``results``. Votes are kept beside the
message (``PollState``) so that ``results.answer_counts[].me_voted`` is computed for the viewer.
When a poll ends Discord edits the message (MESSAGE_UPDATE, ``is_finalized``) and posts a
system message of type 46 (POLL_RESULT) whose one ``poll_result`` embed carries the
result in named fields, which discord.py reads in ``Poll._update_results_from_message``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..errors import ApiError
from .snowflake import iso

JSON = dict[str, Any]

MAX_QUESTION = 300
MAX_ANSWER = 55
MAX_ANSWERS = 10
MAX_DURATION_HOURS = 768  # 32 days
DEFAULT_DURATION_HOURS = 24
POLL_RESULT = 46  # message type of the "poll has closed" system message


@dataclass
class PollState:
    """Votes on one poll message: answer id -> user ids, in voting order."""

    votes: dict[int, list[int]] = field(default_factory=dict)
    finalized: bool = False

    def voters(self, answer_id: int) -> list[int]:
        return self.votes.get(answer_id, [])

    def count(self, answer_id: int) -> int:
        return len(self.voters(answer_id))

    def total(self) -> int:
        """Votes cast (a multiselect voter counts once per answer, like Discord's total)."""
        return sum(len(v) for v in self.votes.values())


def _media(data: Any, where: str, limit: int) -> JSON:
    if not isinstance(data, dict):
        raise ApiError.invalid_form(where, "MODEL_TYPE_CONVERT", "Must be an object.")
    text = data.get("text")
    if not isinstance(text, str) or not 1 <= len(text) <= limit:
        raise ApiError.invalid_form(
            f"{where}.text", "BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {limit} in length."
        )
    media: JSON = {"text": text}
    if data.get("emoji"):
        media["emoji"] = data["emoji"]
    return media


def is_create_request(poll: JSON | None) -> bool:
    """A poll as a bot sends it (no ``expiry`` yet), not one already stored."""
    return poll is not None and "expiry" not in poll


def build(request: Any, *, now: dt.datetime | None = None) -> JSON:
    """Validate a poll create request and return the stored poll (400 like Discord if bad)."""
    if not isinstance(request, dict):
        raise ApiError.invalid_form("poll", "MODEL_TYPE_CONVERT", "Must be an object.")
    question = _media(request.get("question"), "poll.question", MAX_QUESTION)
    answers = request.get("answers")
    if not isinstance(answers, list) or not 1 <= len(answers) <= MAX_ANSWERS:
        raise ApiError.invalid_form(
            "poll.answers",
            "BASE_TYPE_BAD_LENGTH",
            f"Must be between 1 and {MAX_ANSWERS} in length.",
        )
    stored_answers = []
    for n, answer in enumerate(answers):
        media = answer.get("poll_media") if isinstance(answer, dict) else None
        stored_answers.append(
            {"answer_id": n + 1, "poll_media": _media(media, f"poll.answers.{n}.poll_media", 55)}
        )
    hours = request.get("duration", DEFAULT_DURATION_HOURS)
    if not isinstance(hours, int | float) or not 1 <= hours <= MAX_DURATION_HOURS:
        raise ApiError.invalid_form(
            "poll.duration",
            "NUMBER_TYPE_MAX",
            f"Must be between 1 and {MAX_DURATION_HOURS} hours.",
        )
    layout = request.get("layout_type", 1)
    if layout != 1:
        raise ApiError.invalid_form("poll.layout_type", "ENUM_TYPE_COERCE", "Unknown layout.")
    start = now or dt.datetime.now(dt.UTC)
    return {
        "question": question,
        "answers": stored_answers,
        "expiry": iso(start + dt.timedelta(hours=float(hours))),
        "allow_multiselect": bool(request.get("allow_multiselect", False)),
        "layout_type": 1,
    }


def answer_ids(poll: JSON) -> list[int]:
    return [int(a["answer_id"]) for a in poll["answers"]]


def find_answer(poll: JSON, answer: int | str) -> int:
    """An answer id from an id or the answer's exact text."""
    for a in poll["answers"]:
        if answer == a["answer_id"] or answer == a["poll_media"]["text"]:
            return int(a["answer_id"])
    raise KeyError(f"poll has no answer {answer!r}")


def render(poll: JSON, state: PollState, viewer_id: int) -> JSON:
    """The poll as a message payload shows it to ``viewer_id``."""
    counts = [
        {"id": aid, "count": state.count(aid), "me_voted": viewer_id in state.voters(aid)}
        for aid in answer_ids(poll)
        if state.count(aid)
    ]
    return {**poll, "results": {"is_finalized": state.finalized, "answer_counts": counts}}


def expired(poll: JSON, now: dt.datetime | None = None) -> bool:
    moment = now or dt.datetime.now(dt.UTC)
    return dt.datetime.fromisoformat(poll["expiry"]) <= moment


def result_embed(poll: JSON, state: PollState) -> JSON:
    """The POLL_RESULT message's embed; the victor fields only when one answer leads."""
    counts = {aid: state.count(aid) for aid in answer_ids(poll)}
    fields = [
        {"name": "poll_question_text", "value": poll["question"]["text"], "inline": False},
        {"name": "total_votes", "value": str(state.total()), "inline": False},
    ]
    best = max(counts.values(), default=0)
    leaders = [aid for aid, n in counts.items() if n == best]
    if best > 0 and len(leaders) == 1:
        victor = next(a for a in poll["answers"] if a["answer_id"] == leaders[0])
        fields += [
            {"name": "victor_answer_votes", "value": str(best), "inline": False},
            {"name": "victor_answer_id", "value": str(leaders[0]), "inline": False},
            {"name": "victor_answer_text", "value": victor["poll_media"]["text"], "inline": False},
        ]
    return {"type": "poll_result", "fields": fields}
