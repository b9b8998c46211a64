"""Typed trivia answers: a forgiving matcher that still never takes a wrong option.

Pure functions. An answer is compared in three forms: as typed, folded (case, accents,
spacing, hyphens and a leading article ignored, number words as digits) and romanised
(Korean romanisation variants such as eo/u, oo/u, ee/i folded together). It is accepted
when it equals a right spelling in one of those forms, or is close enough to a right
spelling and clearly closer to it than to every wrong option: so a typo passes, while a
different name that merely looks alike (Park Hoon for Park Hyung-sik) never does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

FUZZY_MIN = 80.0  # how close (0-100) a typo must be to a right spelling
FUZZY_MARGIN = 10.0  # ... and how much closer than to the nearest wrong option
SHORT = 4  # right spellings this short (folded) must be typed exactly
MAX_TYPED = 100  # the modal's limit; longer text is not an answer

_ARTICLES = ("the", "a", "an")
_NUMBER_WORDS = {
    word: str(n)
    for n, word in enumerate(
        (
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        )
    )
}
# Applied in order to a folded key: the variants that romanisations of one Korean
# syllable take (Seon/Sun, Heon/Hun, Soo/Su, Hee/Hi, Hyeong/Hyung).
_ROMANISATION = (("eo", "u"), ("oo", "u"), ("ou", "u"), ("ee", "i"), ("ui", "i"))
_WORD = re.compile(r"[^\W_]+")
_DIGITS = re.compile(r"\d+")


@dataclass(frozen=True, slots=True)
class Verdict:
    accepted: bool
    why: str  # for the debug log: which spelling matched, and how
    matched: str | None = None  # the right spelling it matched
    score: float = 0.0


def fold(text: str) -> str:
    """ "The Heirs" -> "heirs"; "Park Hyung-sik" -> "parkhyungsik"; "Two weeks" -> "2weeks"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("+", " plus ").replace("&", " and "))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = _WORD.findall(plain)
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return "".join(_NUMBER_WORDS.get(w, w) for w in words)


def romanised(key: str) -> str:
    """A folded key with romanisation variants folded together: "seonwoo" -> "sunwu"."""
    for variant, common in _ROMANISATION:
        key = key.replace(variant, common)
    return key


@dataclass(frozen=True, slots=True)
class _Spelling:
    text: str
    key: str
    roman: str

    @classmethod
    def of(cls, text: str) -> _Spelling:
        key = fold(text)
        return cls(text, key, romanised(key))


def _spellings(texts: Iterable[str]) -> list[_Spelling]:
    seen: dict[str, _Spelling] = {}
    for text in texts:
        spelling = _Spelling.of(text)
        if spelling.key:
            seen.setdefault(spelling.key, spelling)
    return list(seen.values())


def match_answer(typed: str, right: Sequence[str], wrong: Sequence[str] = ()) -> Verdict:
    """Whether `typed` names the answer spelled any of `right`, and not one of `wrong`."""
    if len(typed) > MAX_TYPED:
        return Verdict(False, "longer than any answer")
    given = _Spelling.of(typed)
    if not given.key:
        return Verdict(False, "no letters or digits typed")
    rights = _spellings(right)
    right_keys = {s.key for s in rights}
    # A wrong option spelled like a right one (a bad question) never rejects the answer.
    wrongs = [s for s in _spellings(wrong) if s.key not in right_keys]
    for s in rights:
        if given.key == s.key:
            how = "as written" if typed.strip() == s.text else "ignoring case, spacing, articles"
            return Verdict(True, f"equals {s.text!r} {how}", s.text, 100.0)
    for s in wrongs:
        if given.key == s.key or given.roman == s.roman:
            return Verdict(False, f"names the wrong option {s.text!r}")
    for s in rights:
        if given.roman == s.roman:
            return Verdict(True, f"a romanisation variant of {s.text!r}", s.text, 100.0)
    typed_numbers = _DIGITS.findall(given.key)
    numeric = [s for s in rights if _DIGITS.search(s.key)]
    if numeric:
        for s in numeric:
            if typed_numbers == _DIGITS.findall(s.key) and not _DIGITS.sub("", given.key):
                return Verdict(True, f"the number in {s.text!r}", s.text, 100.0)
        if typed_numbers and all(typed_numbers != _DIGITS.findall(s.key) for s in numeric):
            return Verdict(False, "a different number")
    best_right, right_score = _closest(given, rights)
    _, wrong_score = _closest(given, wrongs)
    if best_right is None or len(best_right.key) <= SHORT:
        return Verdict(False, "no right spelling close enough (short answers must be exact)")
    if right_score < FUZZY_MIN:
        return Verdict(False, f"closest right spelling {best_right.text!r} only {right_score:.0f}")
    if right_score - wrong_score < FUZZY_MARGIN:
        return Verdict(
            False, f"as close to a wrong option ({wrong_score:.0f}) as to the answer", None
        )
    return Verdict(
        True,
        f"a near spelling of {best_right.text!r} ({right_score:.0f}; nearest wrong option"
        f" {wrong_score:.0f})",
        best_right.text,
        right_score,
    )


def _closest(given: _Spelling, spellings: Sequence[_Spelling]) -> tuple[_Spelling | None, float]:
    best: _Spelling | None = None
    score = 0.0
    for s in spellings:
        if len(s.key) <= SHORT:
            continue
        candidate = max(fuzz.ratio(given.key, s.key), fuzz.ratio(given.roman, s.roman))
        if candidate > score:
            best, score = s, candidate
    return best, score
