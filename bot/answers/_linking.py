"""Names in a question, linked to the store's entities through its alias index.

Scoring is the store's (FactStore.find_names, the scorer /cast uses: exact alias, prefix,
then fuzzy over every spelling). Free text needs more care than a name field: a word
that merely starts a title ("love") or a short fragment shared by several names ("park")
links nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.facts.names import name_key
from bot.store.facts import FUNCTION_WORDS, QUESTION_WORDS
from bot.store.records import NameMatch

# Scores from FactStore.find_names (0-100).
LINK_SCORE = 78.0
CLEAR_LEAD = 8.0
# The words typed must cover this much of the alias they match ("tender heart" covers
# half of "Your Tender Heart Hurts Me"; "love" does not cover "Love Beyond Words").
MIN_COVERAGE = 0.5
MAX_OVERRUN = 1.0
MIN_KEY = 3
MAX_NGRAM = 6
MAX_LINK_WORDS = 40
MIN_TITLE_WORDS = 4
MIN_TITLE_KEY = 12
LINK_TYPES = ("person", "character", "song")
# Words that never start or end a name in a question: words without content, those that
# make it a question, and the verbs and nouns of the question forms ("who sings ...").
FILLER = (
    FUNCTION_WORDS
    | QUESTION_WORDS
    | frozenset(
        (
            "been",
            "being",
            "what's",
            "sing",
            "sings",
            "sang",
            "sung",
            "play",
            "plays",
            "played",
            "wrote",
            "write",
            "written",
            "song",
            "songs",
            "ost",
            "episode",
            "episodes",
            "drama",
            "show",
            "job",
            "else",
            "other",
            "next",
        )
    )
)

FindNames = Callable[..., list[NameMatch]]


@dataclass(frozen=True, slots=True)
class Linked:
    matches: list[NameMatch]
    words: frozenset[str]  # the question's words that make up the names


def link_names(
    words: Sequence[str], find_names: FindNames, is_alias: Callable[[str], bool]
) -> Linked:
    """Entities named in the question, longest spans first, each word used once."""
    words = words[:MAX_LINK_WORDS]  # a name is in the first words of any real question
    used = [False] * len(words)
    found: list[NameMatch] = []
    for size in range(min(MAX_NGRAM, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            if any(used[start : start + size]):
                continue
            span = words[start : start + size]
            if all(w in FILLER for w in span):
                continue
            key = name_key(" ".join(span))
            if len(key) < MIN_KEY:
                continue
            # Words around a name that start or end with filler ("is mari") must spell a
            # name exactly; only the others are worth a fuzzy look.
            edge_filler = span[0] in FILLER or span[-1] in FILLER
            # Only a long title may begin or end with filler and still be misspelt inside.
            long_title = size >= MIN_TITLE_WORDS and len(key) >= MIN_TITLE_KEY
            if edge_filler and not long_title and not is_alias(key):
                continue
            # Words, not the spaceless key: the scorer compares a name word by word.
            text = " ".join(span)
            match = _best(find_names(text, LINK_TYPES, limit=4, min_score=60.0), key, size)
            if match is None:
                continue
            if edge_filler and match.score < 100.0 and not _spells_edges(span, match.matched):
                continue
            if any(
                m.entity_type == match.entity_type and m.entity_id == match.entity_id for m in found
            ):
                for i in range(start, start + size):
                    used[i] = True
                continue
            found.append(match)
            for i in range(start, start + size):
                used[i] = True
    return Linked(found, frozenset(w for w, u in zip(words, used, strict=True) if u))


def _best(matches: list[NameMatch], key: str, size: int) -> NameMatch | None:
    if not matches:
        return None
    best = matches[0]
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    if best.score < LINK_SCORE:
        return None
    if best.score < 100.0 and best.score - runner_up < CLEAR_LEAD:
        return None
    alias = name_key(best.matched)
    if len(key) < MIN_COVERAGE * len(alias):
        return None
    # Nor may the words run on past the name ("eunsoo mentor" is not a spelling of Eun-so).
    if size > 1 and best.score < 100.0 and len(key) > MAX_OVERRUN * len(alias) + 2:
        return None
    return best


def _spells_edges(span: Sequence[str], alias: str) -> bool:
    """Whether filler at the span's edges is the alias's own first or last word ("your" in
    a misspelt "your tender hart hurts me"), so only the inside is misspelt; "is mari"
    is not a spelling of "Mari"."""
    words = [name_key(w) for w in alias.split()]
    if len(words) < 2:
        return False
    first_ok = span[0] not in FILLER or name_key(span[0]) == words[0]
    last_ok = span[-1] not in FILLER or name_key(span[-1]) == words[-1]
    return first_ok and last_ok
