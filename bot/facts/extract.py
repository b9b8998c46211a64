"""Rule-based extractors: facts that follow a pattern in the text.

Each extractor reads one sentence at a time and yields Extraction records that keep the
sentence they came from. Names come back as spelled; bot.facts.build resolves them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.facts.documents import Document, Sentence

# A romanised name: 1-3 capitalised tokens, a token optionally hyphenated ("Seon-woo").
_TOKEN = r"[A-Z][a-z]+(?:-[a-z]+)?"
_NAME = rf"{_TOKEN}(?: {_TOKEN}){{0,2}}"
_PERSON = rf"{_TOKEN}(?: {_TOKEN}){{1,2}}"  # people have a family and a given name
_POSSESSIVE = r"(?:’s|'s)?"
# Capitalised words that start sentences but are never part of a name.
_NOT_NAMES = {"The", "When", "But", "And", "In", "Meanwhile", "However", "Finally", "Their"}

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January February March April May June July August September October November December".split()  # noqa: SIM905
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "ten": 10,
    "twelve": 12,
    "sixteen": 16,
}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}


@dataclass(frozen=True, slots=True)
class Extraction:
    kind: str
    values: dict[str, str]
    document_id: str
    sentence: Sentence


def _strip_lead(name: str) -> str:
    words = name.split(" ")
    while words and words[0] in _NOT_NAMES:
        words.pop(0)
    return " ".join(words)


# --- cast: "Actor (as Character)", "Actor plays Character", "Character (player Actor)",
# "Character’s (Actor)"
_ACTOR_AS = re.compile(rf"(?P<actor>{_PERSON}) \(as (?P<character>{_NAME})\)")
_ACTOR_PLAYS = re.compile(rf"(?P<actor>{_PERSON}) plays (?P<character>{_NAME})\b")
_CHARACTER_PAREN = re.compile(
    rf"(?P<character>{_NAME}){_POSSESSIVE} \((?:player )?(?P<actor>{_PERSON})\)"
)


def extract_roles(text: str) -> Iterator[dict[str, str]]:
    for pattern in (_ACTOR_AS, _ACTOR_PLAYS, _CHARACTER_PAREN):
        for m in pattern.finditer(text):
            actor, character = _strip_lead(m["actor"]), _strip_lead(m["character"])
            if actor and character and actor != character:
                yield {"actor": actor, "character": character}


# --- crew: "directed by X", "director X", "writer X"
_CREW = re.compile(rf"(?:directed by|\b(?P<role>director|writer)) (?P<name>{_PERSON})(?![a-z])")


def extract_crew(text: str) -> Iterator[dict[str, str]]:
    for m in _CREW.finditer(text):
        yield {"role": m["role"] or "director", "name": m["name"]}


# --- OST: "“Title,” is sung by Group’s Artist", "Artist wrote and sang the second OST,
# “Title.”", and "Artist’s “Title”" in a sentence about the OST.
_ARTIST = r"[A-Z][\w-]*(?: [A-Z][\w-]*){0,2}"
_SUNG_BY = re.compile(
    rf"“(?P<title>[^”]+?)[,.]?” is sung by (?:(?P<group>{_ARTIST})’s )?(?P<artist>{_ARTIST})"
)
_WROTE_AND_SANG = re.compile(
    rf"(?P<artist>{_PERSON}) wrote and sang the (?:\w+ )?OST, “(?P<title>[^”]+?)[,.]?”"
)
_ARTIST_TITLE = re.compile(rf"(?P<artist>{_ARTIST})’s “(?P<title>[^”]+?)[,.]?”")
_ORDINAL_OST = re.compile(
    r"the (?P<ordinal>first|second|third|fourth|fifth) OST,? “(?P<title>[^”]+?)[,.]?”"
)


def extract_songs(text: str) -> Iterator[dict[str, str]]:
    for m in _SUNG_BY.finditer(text):
        yield {"title": m["title"], "artist": m["artist"], "credit": "singer"}
        if m["group"]:
            yield {"title": m["title"], "artist": m["artist"], "group": m["group"], "credit": ""}
    for m in _WROTE_AND_SANG.finditer(text):
        yield {"title": m["title"], "artist": m["artist"], "credit": "writer"}
        yield {"title": m["title"], "artist": m["artist"], "credit": "singer"}
    if re.search(r"\bOST\b", text) and not _SUNG_BY.search(text):
        for m in _ARTIST_TITLE.finditer(text):
            yield {"title": m["title"], "artist": m["artist"], "credit": "singer"}
    for m in _ORDINAL_OST.finditer(text):
        yield {"title": m["title"], "order": str(_ORDINALS[m["ordinal"]])}


# --- the show: premiere, platform, episode count, weekly slot
_DATE = (
    rf"(?P<month>{'|'.join(_MONTHS)}) (?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:, (?P<year>\d{{4}}))?"
)
_PREMIERE = re.compile(
    rf"(?:aired its first episode on|premieres? on|starting from|^On) {_DATE}", re.MULTILINE
)
_PLATFORM = re.compile(
    r"(?:stream on |on |)(?P<platform>Disney\+|Netflix)(?:’s original series| starting)"
)
_EPISODES = re.compile(rf"\b(?P<count>{'|'.join(_NUMBER_WORDS)}|\d+) episodes\b", re.IGNORECASE)
_SLOT = re.compile(
    rf"every (?P<day>{'|'.join(_WEEKDAYS)}) at"
    r" (?P<time>\d{1,2}[.:]\d{2}) (?P<zone>[A-Z]{2,4})"
)


def extract_show(text: str) -> Iterator[tuple[str, dict[str, str]]]:
    for m in _PREMIERE.finditer(text):
        month = _MONTHS.index(m["month"]) + 1
        date = f"{m['year']}-{month:02d}-{int(m['day']):02d}" if m["year"] else ""
        yield "premiere", {"date": date, "month_day": f"{month:02d}-{int(m['day']):02d}"}
    for m in _PLATFORM.finditer(text):
        yield "platform", {"platform": m["platform"]}
    for m in _EPISODES.finditer(text):
        raw = m["count"].lower()
        count = _NUMBER_WORDS.get(raw) or int(raw)
        yield "episode_count", {"count": str(count)}
    for m in _SLOT.finditer(text):
        yield "slot", {"day": m["day"], "time": m["time"].replace(".", ":"), "zone": m["zone"]}


_SENTENCE_EXTRACTORS: dict[str, Callable[[str], Iterator[dict[str, str]]]] = {
    "role": extract_roles,
    "crew": extract_crew,
    "song": extract_songs,
}


def extract(document: Document) -> list[Extraction]:
    found: list[Extraction] = []
    for sentence in document.sentences:
        for kind, extractor in _SENTENCE_EXTRACTORS.items():
            for values in extractor(sentence.text):
                found.append(Extraction(kind, values, document.id, sentence))
        for kind, values in extract_show(sentence.text):
            found.append(Extraction(kind, values, document.id, sentence))
    return found
