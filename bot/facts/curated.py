"""Load and validate data/curated.toml: every entry is checked for shape here, and for
its quote against the documents in bot.facts.build. Errors name the entry."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CATEGORIES = ("show", "production", "cast", "character", "ost", "plot", "episode", "people")
QUESTION_CATEGORIES = ("cast", "characters", "ost", "production", "plot")
DIFFICULTIES = ("easy", "medium", "hard")
PERSON_KINDS = ("cast", "crew", "artist", "mentioned", "author")


class CuratedError(ValueError):
    """A curated entry is malformed or unsupported; the message names it."""


@dataclass(frozen=True, slots=True)
class Quoted:
    document: str
    quote: str


@dataclass(frozen=True, slots=True)
class AliasEntry(Quoted):
    alias: str


@dataclass(frozen=True, slots=True)
class SpoilerRule(Quoted):
    level: int
    reason: str
    scope: str = "sentence"
    all: bool = False
    label: str = ""


@dataclass(frozen=True, slots=True)
class PersonEntry(Quoted):
    id: str
    name: str
    kind: str
    aliases: tuple[AliasEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class CharacterEntry(Quoted):
    id: str
    name: str
    aliases: tuple[AliasEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class SongEntry(Quoted):
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class FactEntry(Quoted):
    subject: str
    category: str
    predicate: str
    object: str
    spoiler: int = 0
    reason: str = ""
    detail: dict[str, Any] = field(default_factory=dict)
    label: str = ""
    # A character's place in the cast (Seon-woo's manager, Eun-soo's mentor) is cast
    # information, not story: level 0 whatever the sentence it is quoted from.
    casting: bool = False


@dataclass(frozen=True, slots=True)
class ClaimEntry(Quoted):
    value: str


@dataclass(frozen=True, slots=True)
class ConflictEntry:
    topic: str
    chosen: str
    why: str
    claims: tuple[ClaimEntry, ...]


@dataclass(frozen=True, slots=True)
class QuestionEntry(Quoted):
    id: str
    category: str
    difficulty: str
    question: str
    answer: str
    wrong: tuple[str, str, str]
    spoiler: int = 0
    reason: str = ""
    # An earlier quote of the same document that names who the cited sentence's pronouns
    # mean (a section heading), when the sentence and its paragraph name no one.
    context: str | None = None


@dataclass(frozen=True, slots=True)
class Curated:
    spoilers: tuple[SpoilerRule, ...]
    people: tuple[PersonEntry, ...]
    characters: tuple[CharacterEntry, ...]
    songs: tuple[SongEntry, ...]
    facts: tuple[FactEntry, ...]
    conflicts: tuple[ConflictEntry, ...]
    questions: tuple[QuestionEntry, ...]

    def documents(self) -> set[str]:
        """The ids of the documents the entries quote."""
        entries: list[Quoted] = [*self.spoilers, *self.songs, *self.facts, *self.questions]
        for person in self.people:
            entries += [person, *person.aliases]
        for character in self.characters:
            entries += [character, *character.aliases]
        entries += [claim for conflict in self.conflicts for claim in conflict.claims]
        return {entry.document for entry in entries}


class _Entry:
    """Typed access to one raw TOML table, raising CuratedError that names the entry."""

    def __init__(self, raw: object, where: str, allowed: set[str]) -> None:
        if not isinstance(raw, dict):
            raise CuratedError(f"{where}: must be a table")
        unknown = set(raw) - allowed
        if unknown:
            raise CuratedError(f"{where}: unknown keys {sorted(unknown)}")
        self.raw, self.where = raw, where

    def text(self, key: str, default: str | None = None) -> str:
        value = self.raw.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise CuratedError(f"{self.where}: {key!r} must be a non-empty string")
        return value

    def choice(self, key: str, options: tuple[str, ...], default: str | None = None) -> str:
        value = self.text(key, default)
        if value not in options:
            raise CuratedError(f"{self.where}: {key!r} must be one of {', '.join(options)}")
        return value

    def level(self, key: str, default: int | None = None) -> int:
        value = self.raw.get(key, default)
        # The upper bound is the show's episode count, known once the documents are read:
        # the build checks it (bot.facts.build._Builder.check_levels).
        if type(value) is not int or value < 0:
            raise CuratedError(f"{self.where}: {key!r} must be a whole number from 0")
        return value

    def flag(self, key: str) -> bool:
        value = self.raw.get(key, False)
        if not isinstance(value, bool):
            raise CuratedError(f"{self.where}: {key!r} must be true or false")
        return value

    def table_list(self, key: str) -> list[object]:
        value = self.raw.get(key, [])
        if not isinstance(value, list):
            raise CuratedError(f"{self.where}: {key!r} must be a list")
        return value


_QUOTED = {"document", "quote"}


def _aliases(entry: _Entry) -> tuple[AliasEntry, ...]:
    result = []
    for i, raw in enumerate(entry.table_list("aliases"), 1):
        alias = _Entry(raw, f"{entry.where} alias #{i}", {"alias"} | _QUOTED)
        result.append(
            AliasEntry(alias.text("document"), alias.text("quote"), alias=alias.text("alias"))
        )
    return tuple(result)


def _spoiler(raw: object, n: int) -> SpoilerRule:
    e = _Entry(raw, f"spoiler #{n}", {"level", "reason", "scope", "all"} | _QUOTED)
    label = f"spoiler #{n} ({e.text('quote')[:40]!r})"
    e.where = label
    return SpoilerRule(
        e.text("document"),
        e.text("quote"),
        level=e.level("level"),
        reason=e.text("reason"),
        scope=e.choice("scope", ("sentence", "paragraph"), "sentence"),
        all=e.flag("all"),
        label=label,
    )


def _person(raw: object, n: int) -> PersonEntry:
    e = _Entry(raw, f"person #{n}", {"id", "name", "kind", "aliases"} | _QUOTED)
    e.where = f"person {e.text('id')!r}"
    return PersonEntry(
        e.text("document"),
        e.text("quote"),
        id=e.text("id"),
        name=e.text("name"),
        kind=e.choice("kind", PERSON_KINDS),
        aliases=_aliases(e),
    )


def _character(raw: object, n: int) -> CharacterEntry:
    e = _Entry(raw, f"character #{n}", {"id", "name", "aliases"} | _QUOTED)
    e.where = f"character {e.text('id')!r}"
    return CharacterEntry(
        e.text("document"),
        e.text("quote"),
        id=e.text("id"),
        name=e.text("name"),
        aliases=_aliases(e),
    )


def _song(raw: object, n: int) -> SongEntry:
    e = _Entry(raw, f"song #{n}", {"id", "title"} | _QUOTED)
    e.where = f"song {e.text('id')!r}"
    return SongEntry(e.text("document"), e.text("quote"), id=e.text("id"), title=e.text("title"))


def _fact(raw: object, n: int) -> FactEntry:
    allowed = {"subject", "category", "predicate", "object", "spoiler", "reason", "detail"}
    allowed |= _QUOTED | {"casting"}
    e = _Entry(raw, f"fact #{n}", allowed)
    e.where = f"fact #{n} ({e.text('subject')} {e.text('predicate')})"
    detail = e.raw.get("detail", {})
    if not isinstance(detail, dict):
        raise CuratedError(f"{e.where}: 'detail' must be a table")
    return FactEntry(
        e.text("document"),
        e.text("quote"),
        subject=e.text("subject"),
        category=e.choice("category", CATEGORIES),
        predicate=e.text("predicate"),
        object=e.text("object"),
        spoiler=e.level("spoiler", 0),
        reason=str(e.raw.get("reason", "")),
        detail=dict(detail),
        label=e.where,
        casting=_casting(e),
    )


def _casting(e: _Entry) -> bool:
    casting = e.flag("casting")
    if casting and (e.raw.get("spoiler", 0) or not str(e.raw.get("reason", "")).strip()):
        raise CuratedError(f"{e.where}: a casting fact needs a reason and no spoiler level")
    return casting


def _conflict(raw: object, n: int) -> ConflictEntry:
    e = _Entry(raw, f"conflict #{n}", {"topic", "chosen", "why", "claims"})
    e.where = f"conflict {e.text('topic')!r}"
    claims = []
    for i, raw_claim in enumerate(e.table_list("claims"), 1):
        c = _Entry(raw_claim, f"{e.where} claim #{i}", {"value"} | _QUOTED)
        claims.append(ClaimEntry(c.text("document"), c.text("quote"), value=c.text("value")))
    if len(claims) < 2:
        raise CuratedError(f"{e.where}: a conflict needs at least two claims")
    return ConflictEntry(e.text("topic"), e.text("chosen"), e.text("why"), tuple(claims))


def _question(raw: object, n: int) -> QuestionEntry:
    allowed = {"id", "category", "difficulty", "question", "answer", "wrong", "spoiler", "reason"}
    allowed |= _QUOTED | {"context"}
    e = _Entry(raw, f"question #{n}", allowed)
    e.where = f"question {e.text('id')!r}"
    wrong = e.raw.get("wrong")
    if (
        not isinstance(wrong, list)
        or len(wrong) != 3
        or not all(isinstance(w, str) and w.strip() for w in wrong)
    ):
        raise CuratedError(f"{e.where}: 'wrong' must list exactly three answers")
    answer = e.text("answer")
    if len({answer.casefold(), *(w.casefold() for w in wrong)}) != 4:
        raise CuratedError(f"{e.where}: the answer and wrong answers must all differ")
    return QuestionEntry(
        e.text("document"),
        e.text("quote"),
        id=e.text("id"),
        category=e.choice("category", QUESTION_CATEGORIES),
        difficulty=e.choice("difficulty", DIFFICULTIES),
        question=e.text("question"),
        answer=answer,
        wrong=(wrong[0], wrong[1], wrong[2]),
        spoiler=e.level("spoiler", 0),
        reason=str(e.raw.get("reason", "")),
        context=e.text("context") if "context" in e.raw else None,
    )


_SECTIONS = {
    "spoiler": _spoiler,
    "person": _person,
    "character": _character,
    "song": _song,
    "fact": _fact,
    "conflict": _conflict,
    "question": _question,
}


def parse_curated(text: str, source: str = "curated.toml") -> Curated:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CuratedError(f"{source}: {exc}") from None
    unknown = set(data) - set(_SECTIONS)
    if unknown:
        raise CuratedError(f"{source}: unknown sections {sorted(unknown)}")
    parsed: dict[str, tuple[Any, ...]] = {}
    for name, parse in _SECTIONS.items():
        raw_list = data.get(name, [])
        if not isinstance(raw_list, list):
            raise CuratedError(f"{source}: [[{name}]] must be an array of tables")
        try:
            parsed[name] = tuple(parse(raw, n) for n, raw in enumerate(raw_list, 1))
        except CuratedError as exc:
            raise CuratedError(f"{source}: {exc}") from None
    for name in ("person", "character", "song", "question"):
        ids = [entry.id for entry in parsed[name]]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise CuratedError(f"{source}: {name} ids used twice: {duplicates}")
    return Curated(
        spoilers=parsed["spoiler"],
        people=parsed["person"],
        characters=parsed["character"],
        songs=parsed["song"],
        facts=parsed["fact"],
        conflicts=parsed["conflict"],
        questions=parsed["question"],
    )


def load_curated(path: Path) -> Curated:
    if not path.is_file():
        raise CuratedError(f"{path.name}: file not found")
    return parse_curated(path.read_text(encoding="utf-8"), path.name)
