"""Names: how two spellings of one name are recognised as the same (name keys), and how
well typed text matches a name (the scorer every suggestion uses)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein

_NOT_ALNUM = re.compile(r"[\W_]+")


def _plain(text: str) -> str:
    if text.isascii():  # NFKD leaves ASCII as it is and no ASCII character is combining
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=16384)
def name_key(text: str) -> str:
    """Case-, space-, hyphen- and accent-insensitive key: "Han Seon-woo" -> "hanseonwoo".

    Cached: the same stored sentences and typed words are keyed again on every search."""
    return _NOT_ALNUM.sub("", _plain(text))


def slug(text: str) -> str:
    """Stable id for a name: "Han Seon-woo" -> "han-seon-woo"."""
    return _NOT_ALNUM.sub("-", _plain(text)).strip("-")


def padded_words(text: str) -> str:
    """Text as plain words between spaces, for finding a name in a sentence by whole words:
    "Seon Woo’s laptop" -> " seon woo s laptop "."""
    return f" {' '.join(_NOT_ALNUM.sub(' ', _plain(text)).split())} "


# -- matching a typed name against one alias --------------------------------------------
# Scores are 0-100: an exact alias 100, a prefix of one 90-99 (a name being typed), a
# typo of a whole alias 60-88, some of an alias's words (a surname, a given name, a
# title's words) 70-89. Anything else is no match at all: suggestions rest on spelling
# alone, never on what a name has to do with the story. One edit scores above /cast's
# "take it" bar (75); two or three only make a "did you mean".
#
# What counts as a typo, three rules:
# - few edits, by length: short words must be exact (one edit turns "Lee" into "Seo");
# - syllables keep their first letters: misspellings rarely change a word's first letter
#   (Pollock and Zamora, 1984), and in a Korean name each syllable is a word's start, so
#   "Kim Soo-hyun" is not "Kim Joo-hun" and "Park Min-young" is not "Park Min-jung";
# - surname and given name are compared apart, so a shared surname cannot carry a
#   different given name ("Lee Min-ho" is not "Lee Eun-so").
EXACT = 100.0
_PREFIX_BASE, _PREFIX_SPAN = 90.0, 9.0
_ONE_TYPO, _PER_EXTRA_TYPO = 88.0, 14.0
_WORDS_BASE, _WORDS_SPAN = 70.0, 19.0
_SYLLABLE = re.compile(r"[\s\-‐‑–]+")


def typo_allowance(length: int) -> int:
    """How many edits a word of `length` characters may carry and still count as a typo.

    The steps follow the usual rule of search engines (Lucene's AUTO fuzziness: none up
    to 2 characters, one up to 5, two beyond), stricter for 3 letters, and with a third
    edit for long spaceless names, where a typo and a romanisation variant can meet.
    """
    if length <= 3:
        return 0
    if length <= 5:
        return 1
    if length <= 9:
        return 2
    return 3


def _edits(a: str, b: str, fewer: int = 0) -> int | None:
    """Edits (insert, delete, substitute, swap neighbours) from a to b, or None when the
    first letters differ or the edits exceed the longer one's allowance less `fewer`.
    Words that differ only as "eo" and "u" (Gyeol/Gyul, Seon/Sun, Hyeon/Hyun: two
    romanisations of one Korean vowel) are one edit apart, not two. Only that vowel:
    "oo" and "u" would make Hoon (훈) and Heon (헌) one name."""
    if not a or not b or a[0] != b[0]:
        return None
    if a != b and a.replace("eo", "u") == b.replace("eo", "u"):
        return 1
    allowed = max(0, typo_allowance(max(len(a), len(b))) - fewer)
    found = DamerauLevenshtein.distance(a, b, score_cutoff=allowed)
    return found if found <= allowed else None


def name_words(text: str) -> list[str]:
    """The keys of a name's words: "Han So-hee" -> ["han", "sohee"]."""
    return [k for k in (name_key(w) for w in text.split()) if k]


def syllables(text: str) -> list[str]:
    """The keys of a name's parts, split at spaces and hyphens: "Han So-hee" ->
    ["han", "so", "hee"]."""
    return [k for k in (name_key(p) for p in _SYLLABLE.split(text)) if k]


def is_spelling_of(alias: str, name: str) -> bool:
    """Whether an alias is a way of writing the name (it shares a part with it: "Sun-woo",
    "Eun-so", "Jin"), not another name for the person, such as one the story gives."""
    return bool(set(syllables(alias)) & set(syllables(name)))


@dataclass(frozen=True, slots=True)
class NameForm:
    """What the scorer compares of one name: parse each spelling once (name_form), then
    score forms (form_score) when one query meets many aliases."""

    key: str
    words: tuple[str, ...]
    initials: str  # first letter of every syllable (split at spaces and hyphens)
    parts: tuple[str, ...]  # (surname, given name) when there are two words or more
    starts: frozenset[str]  # first letters of its words


@lru_cache(maxsize=4096)
def name_form(text: str) -> NameForm:
    """The parsed name (cached: aliases repeat, and so do what fans type)."""
    words = tuple(name_words(text))
    initials = "".join(k[0] for k in syllables(text))
    parts = (words[0], "".join(words[1:])) if len(words) > 1 else ("".join(words),)
    return NameForm("".join(words), words, initials, parts, frozenset(w[0] for w in words))


def _whole_name_edits(q: NameForm, a: NameForm) -> int | None:
    """Edits from a typed name to a whole alias, under the three rules above."""
    if len(q.initials) == len(a.initials) and q.initials != a.initials:
        return None
    pairs = (
        zip(q.parts, a.parts, strict=True)
        if len(q.parts) == len(a.parts) == 2
        else [(q.key, a.key)]
    )
    total = 0
    for typed, meant in pairs:
        edits = _edits(typed, meant)
        if edits is None:
            return None
        total += edits
    return total


def _words_covered(q: NameForm, a: NameForm) -> int | None:
    """Characters of the alias's words that the typed words stand for, in order: each is
    one of them, a typo of one, or (the last, still being typed) the start of one. A
    fragment is weaker evidence than a whole name, so it gets one edit fewer."""
    if not q.words or len(q.words) >= len(a.words):
        return None
    covered, start = 0, 0
    for n, word in enumerate(q.words):
        last = n == len(q.words) - 1
        for i in range(start, len(a.words)):
            target = a.words[i]
            if (
                word == target
                or (last and target.startswith(word))
                or _edits(word, target, fewer=1) is not None
            ):
                covered, start = covered + len(target), i + 1
                break
        else:
            return None
    return covered


def name_score(query: str, alias: str) -> float | None:
    """How well typed text matches one alias (see the scale above), or None for no match."""
    return form_score(name_form(query), name_form(alias))


def form_score(q: NameForm, a: NameForm) -> float | None:
    """name_score of two parsed names."""
    # Every way to match keeps the typed name's first letter at the start of one of the
    # alias's words: most aliases are ruled out here, cheaply.
    if not q.key or q.key[0] not in a.starts:
        return None
    if q.key == a.key:
        return EXACT
    if a.key.startswith(q.key):
        return _PREFIX_BASE + _PREFIX_SPAN * len(q.key) / len(a.key)
    edits = _whole_name_edits(q, a)
    if edits is not None:
        return _ONE_TYPO - _PER_EXTRA_TYPO * (edits - 1)
    covered = _words_covered(q, a)
    if covered is not None:
        return _WORDS_BASE + _WORDS_SPAN * covered / len(a.key)
    return None
