"""The /ask answer layer: question understanding and answer building, without Discord.

answer_question() links the names in a question through the store's alias index, reads
which relation it asks about, composes a one-line answer from the structured store and
finds up to three supporting passages, all within the viewer's progress. `Answers` keeps
the recent replies of one open store, so a question asked again is answered at once.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections import OrderedDict
from collections.abc import Sequence
from itertools import zip_longest

from bot.answers._compose import Composer
from bot.answers._intents import PRONOUNS, Intent, parse, words_of
from bot.answers._linking import FILLER, link_names
from bot.answers._model import Answer, Reply, joined
from bot.store.facts import FactStore, search_terms
from bot.store.lru import LRU
from bot.store.records import NameMatch, PassageHit

__all__ = ["Answer", "Answers", "Conversations", "Intent", "Reply", "answer_question", "parse"]

MAX_PASSAGES = 3
# Replies kept per store: questions fans ask again, at each progress they are at.
KEPT_REPLIES = 1024
# Longer questions are answered but not kept: real ones are short, and a flood of long
# unique ones would only push them out.
MAX_KEPT_WORDS = 40
# Filler words that still say what a question is about.
TOPIC_WORDS = frozenset(("ost", "song", "songs", "episode", "episodes", "drama", "show"))
# Words fans use for what the documents call otherwise.
SYNONYMS = {
    "ost": ("soundtrack", "songs"),
    "osts": ("soundtrack", "songs"),
    "soundtrack": ("ost",),
    "tracks": ("songs",),
    "age": ("old",),
    "ending": ("end",),
    "verdict": ("watch",),
    "worth": ("watch",),
    "recommend": ("watch",),
    "opinion": ("review",),
    "why": ("reason",),
}


def expand(words: Sequence[str]) -> list[str]:
    return [*words, *(s for w in words for s in SYNONYMS.get(w.casefold(), ()))]


# Where one question ends and another begins: "who plays Mari? when does ep 2 air",
# "who plays Mari and who sings Love Beyond Words". Only before a word a question begins
# with, so "who plays Mari and Gyeol Han" stays one question.
_QUESTION_STARTS = [
    "who",
    "who's",
    "whos",
    "what",
    "what's",
    "whats",
    "when",
    "where",
    "which",
    "how",
    "does",
    "did",
    "is",
]
_NEXT_QUESTION = re.compile(
    r"(?:[?;!.,]+\s*(?:(?:and|also|plus|&)\s+)?|\s+(?:and|also|plus|&)\s+)"
    rf"(?=(?:{'|'.join(_QUESTION_STARTS)})\b)",
    re.IGNORECASE,
)
MAX_PARTS = 3
# A part with none of these is no question of its own ("Seon-woo and Eun-soo, who ...").
_ASKING = frozenset([*_QUESTION_STARTS, "why", "do", "are", "was", "tell"])
# How many of a reply's entities a follow-up ("and who sings it") may refer to.
FOLLOW_UP_ENTITIES = 2


def questions_in(text: str) -> list[str]:
    """The questions a message asks, in order; one question stays whole."""
    parts: list[str] = []
    start = 0
    for m in _NEXT_QUESTION.finditer(text):
        if m.start() == 0:
            continue  # a question word at the start begins the first question
        parts.append(text[start : m.start()])
        start = m.end()
    parts.append(text[start:])
    parts = [p.strip(" ?.!;,") for p in parts]
    parts = [p for p in parts if len(words_of(p)) >= 2][:MAX_PARTS]
    if parts and not _ASKING.intersection(words_of(parts[0])):
        # "Seon-woo and Eun-soo, who plays them": the names, then one question about them.
        return [text]
    return parts


async def answer_question(
    store: FactStore,
    question: str,
    progress: int,
    context: Sequence[NameMatch] = (),
) -> Reply:
    """The reply for a viewer at `progress`; `context` is what their last question was about,
    for follow-ups such as "and who sings it". A message that asks several questions gets
    each one answered, in order, a later one following on from the one before."""
    parts = questions_in(question)
    if len(parts) > 1:
        replies = []
        for part in parts:
            reply = await _answer_one(store, part, progress, context)
            replies.append(reply)
            context = reply.entities[:FOLLOW_UP_ENTITIES] or context
        if any(r.answer is not None for r in replies):
            return _merged(question, replies)
    return await _answer_one(store, question, progress, context)


def _merged(question: str, replies: Sequence[Reply]) -> Reply:
    answers: list[Answer] = []
    for reply in replies:
        said = {s for a in answers for s in a.sources}
        # "who is the director and what else did he do": the first answer said it all.
        if reply.answer is not None and not set(reply.answer.sources) <= said:
            answers.append(reply.answer)
    passages: dict[int, PassageHit] = {}  # each question's best first, each passage once
    for hit in (h for rank in zip_longest(*(r.passages for r in replies)) for h in rank):
        if hit is not None:
            passages.setdefault(hit.passage_id, hit)
    return Reply(
        question,
        joined(answers),
        any(r.withheld for r in replies),
        tuple(passages.values())[:MAX_PASSAGES],
        max(r.beyond for r in replies),
        tuple(dict.fromkeys(e for r in replies for e in r.entities)),
    )


async def _answer_one(
    store: FactStore,
    question: str,
    progress: int,
    context: Sequence[NameMatch] = (),
) -> Reply:
    words = words_of(question)
    linked = link_names(words, store.find_names, store.is_alias)
    entities = linked.matches
    if not entities and context and PRONOUNS.intersection(words):
        entities = list(context)
    kinds = {e.entity_type for e in entities}
    intent = parse(
        question,
        has_song="song" in kinds,
        has_person="person" in kinds,
        has_character="character" in kinds,
        title=(await store.show()).title,
        name_words=linked.words,
    )
    answer = await Composer(store, progress).compose(intent, entities)
    withheld = False
    if answer is None and progress < store.episode_count:
        # Said without saying where: only that the answer lies beyond their progress.
        withheld = await Composer(store, store.episode_count).compose(intent, entities) is not None
    about = list(answer.about) if answer else []
    about += [e for e in entities if e not in about]
    boost = sorted({n for e in about for n in (e.name, e.matched)})
    # Search what the question asks about the names, not the names themselves: a
    # sentence full of names but without "dislike" does not answer "what does Eun-soo
    # dislike". Sentences naming them rank higher instead.
    # Nor the words that only say how it is asked in Indonesian or Korean ("siapa pemeran").
    asked = [w for w in words if w not in linked.words and w not in intent.phrased]
    if answer is not None:
        # Answered: the passages support the answer, not the words that asked for it
        # ("plays" in "who plays Mari" would find everyone else who plays someone).
        asked = [w for w in asked if w not in FILLER or w in TOPIC_WORDS]
    if not search_terms(" ".join(asked)):
        asked = list(words)  # only names (and question words): search for the names
    passages, beyond = await store.search_counted(
        " ".join(expand(asked)),
        limit=MAX_PASSAGES,
        max_level=progress,
        boost=boost,
        phrases=answer.terms if answer else (),
    )
    return Reply(question, answer, withheld, tuple(passages), beyond, tuple(about))


ReplyKey = tuple[tuple[str, ...], int, tuple[NameMatch, ...]]


class Answers:
    """answer_question for one open store, keeping its recent replies.

    A reply depends on nothing but the store (which never changes while it is open), the
    words of the question (case and punctuation aside), the viewer's progress and, for a
    follow-up with a pronoun, what the question before it was about. That is the key, so a
    kept reply is the one answer_question would build again; only its echo of the
    question is the fan's own text.
    """

    def __init__(self, store: FactStore, size: int = KEPT_REPLIES) -> None:
        self.store = store
        self._replies: LRU[ReplyKey, Reply] = LRU(size)

    @staticmethod
    def _key(question: str, progress: int, context: Sequence[NameMatch]) -> ReplyKey | None:
        words = words_of(question)
        if len(words) > MAX_KEPT_WORDS:
            return None
        follow_up = tuple(context) if PRONOUNS.intersection(words) else ()
        return words, progress, follow_up

    def kept(self, question: str, progress: int, context: Sequence[NameMatch] = ()) -> Reply | None:
        """The reply to this question at this progress, if it was built lately; else None."""
        key = self._key(question, progress, context)
        reply = self._replies.get(key) if key is not None else None
        if reply is None or reply.question == question:
            return reply
        return dataclasses.replace(reply, question=question)

    def forget(self) -> None:
        """Drop every kept reply (the benchmark times questions never asked before)."""
        self._replies.clear()

    async def answer(
        self, question: str, progress: int, context: Sequence[NameMatch] = ()
    ) -> Reply:
        """answer_question's reply, kept for the next time it is asked."""
        reply = self.kept(question, progress, context)
        if reply is not None:
            return reply
        reply = await answer_question(self.store, question, progress, context)
        key = self._key(question, progress, context)
        if key is not None:
            self._replies.put(key, reply)
        return reply


class Conversations:
    """What each fan's last question was about, so "and who sings it" has an "it".

    Bounded and short-lived: a follow-up refers to the question just before it.
    """

    def __init__(self, ttl: float = 300.0, size: int = 1000) -> None:
        self.ttl = ttl
        self.size = size
        self._last: OrderedDict[int, tuple[float, tuple[NameMatch, ...]]] = OrderedDict()

    def context(self, user_id: int, now: float | None = None) -> tuple[NameMatch, ...]:
        now = time.monotonic() if now is None else now
        entry = self._last.get(user_id)
        if entry is None or now - entry[0] > self.ttl:
            return ()
        return entry[1]

    def remember(self, user_id: int, reply: Reply, now: float | None = None) -> None:
        if not reply.entities:
            return
        now = time.monotonic() if now is None else now
        self._last[user_id] = (now, reply.entities[:FOLLOW_UP_ENTITIES])
        self._last.move_to_end(user_id)
        while len(self._last) > self.size:
            self._last.popitem(last=False)
