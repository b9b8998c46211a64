"""Answer building: one line from the store's facts, within the viewer's progress.

Every function here reads only records the viewer may see (level <= progress) before it
picks or orders anything, and returns None when the store has nothing visible to say.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import weakref
from collections.abc import Iterable, Sequence

from bot.answers._intents import (
    APPEARING_WORDS,
    PRONOUNS,
    SAYING_WORDS,
    TRAIT_WORDS,
    Intent,
)
from bot.answers._linking import FILLER
from bot.facts.names import name_key
from bot.reply_text import safe_text, timestamp
from bot.store.facts import FactStore
from bot.store.records import Character, Fact, NameMatch, Person, SourceRef
from cogs._cards import work_line

from ._model import Answer, joined

# Predicates that say what a character is, best first: a "who is the manager" question
# is answered by the character whose role words match.
ROLE_PREDICATES = ("occupation", "description", "trait")
# Words in a work's note or sentence that mark it as upcoming at the time of writing.
_UPCOMING = re.compile(r"\b(upcoming|will be|will star|after soundtrack|next)\b", re.IGNORECASE)
# A single word searched across every fact must be this specific to answer on its own.
MIN_LONE_WORD = 5
MAX_LONE_WORD_FACTS = 2
MAX_LISTED = 4
MAX_CAST = 7
SONG_WORDS = frozenset(
    ("song", "songs", "ost", "osts", "soundtrack", "track", "tracks", "lyrics", "music", "single")
)
# Relations asked of two names at once ("who plays Mari and Gyeol Han") answer each.
JOINT_RELATIONS = frozenset(("played_by", "occupation", "traits", "identity"))
# A title this long (spaceless) is named on purpose, not by a common word.
MIN_WORK_KEY = 6
MIN_KEY = 4
# Words that say "a lead" without saying which.
LEAD_WORDS = frozenset(("lead", "leads", "main", "leading", "protagonist", "protagonists"))
# Words that ask for a cast member rather than name a role ("which actor plays the lyricist").
CASTING_WORDS = frozenset(
    (
        "actor",
        "actors",
        "actress",
        "actresses",
        "character",
        "characters",
        "cast",
        "role",
        "person",
        "name",
        "names",
        "one",
        "guy",
        "girl",
        "woman",
        "man",
        "playing",
        "portrays",
        "portray",
    )
)
# Words shorter than three letters that still say what is asked ("Eun-soo's ex").
SHORT_WORDS = frozenset(("ex", "bf", "gf", "pd", "mv"))
# Words that mean the same thing to a conflict topic ("how many years" = "how long").
_TOPIC_SYNONYMS = {"years": "long", "year": "long", "known": "friends", "know": "friends"}
_SINGING = re.compile(r"\b(sing|sings|sang|sung|singer)\b", re.IGNORECASE)
_STEM = re.compile(r"(?:ies|es|s|ed|ing)$")


def bold(text: str) -> str:
    return f"**{safe_text(text)}**"


def stem(word: str) -> str:
    word = word.casefold().strip("'’")
    return _STEM.sub("", word) if len(word) > 4 else word


def content_words(intent: Intent) -> list[str]:
    """The words of a question that are neither question words nor the names it links."""
    return [
        w
        for w in intent.words
        if w not in FILLER  # the question words among them
        and w not in PRONOUNS  # "who plays her": with no one before it, nobody
        and (len(w) >= 3 or w in SHORT_WORDS)
        and w not in intent.name_words
    ]


def _visible(facts: Iterable[Fact], progress: int) -> list[Fact]:
    return [f for f in facts if f.spoiler_level <= progress]


def _unique(facts: Iterable[Fact]) -> list[Fact]:
    seen: set[str] = set()
    out = []
    for f in facts:
        if f.object.casefold() not in seen:
            seen.add(f.object.casefold())
            out.append(f)
    return out


def _answer(
    text: str,
    facts: Sequence[Fact] = (),
    *,
    sources: Sequence[SourceRef] = (),
    about: Sequence[NameMatch] = (),
    terms: Iterable[str] = (),
    level: int = 0,
) -> Answer:
    refs = sorted([*sources, *(f.source for f in facts)], key=lambda r: r.spoiler_level)
    unique_refs: list[SourceRef] = []
    for ref in refs:
        if all(ref.sentence != u.sentence for u in unique_refs):
            unique_refs.append(ref)
    # The answer's level is that of the facts it states; a cited sentence is gated on its own.
    stated = facts or sources  # an answer from sources alone states what they say
    top = max([level, *(x.spoiler_level for x in stated)])
    return Answer(text, top, tuple(unique_refs), (), tuple(terms), tuple(about))


class Composer:
    """Answers one parsed question for one viewer."""

    def __init__(self, store: FactStore, progress: int) -> None:
        self.store = store
        self.progress = progress

    async def facts(self, subject_type: str, subject_id: str, *predicates: str) -> list[Fact]:
        return await self.store.facts(
            subject_type, subject_id, max_level=self.progress, predicates=predicates
        )

    def match_for(self, entity_type: str, entity_id: str) -> NameMatch:
        name = self.store.name_of(entity_type, entity_id) or entity_id
        return NameMatch(entity_type, entity_id, name, name, 100.0)

    # -- dispatch -----------------------------------------------------------------------
    async def compose(self, intent: Intent, entities: Sequence[NameMatch]) -> Answer | None:
        named = [e for e in entities if e.entity_type in ("person", "character")]
        joint = intent.relation in JOINT_RELATIONS and not (
            # "who are Seon-woo and Eun-soo's friends": one question about both.
            intent.relation == "identity" and content_words(intent)
        )
        if joint and len(named) > 1 and "and" in intent.words[1:]:
            # "what do Mari and Gyeol Han do": the same question about each, in turn.
            asked = name_key(" ".join(intent.words))
            named.sort(key=lambda e: asked.find(name_key(e.matched)))
            parts = [a for e in named if (a := await self.compose(intent, [e])) is not None]
            if len(parts) > 1:
                return joined(parts)
        answer = await self._compose(intent, entities)
        if answer is None:
            return None
        # Asked in another spelling ("Sun-woo"): say how the documents differ on it.
        respelled = [e.matched for e in entities if name_key(e.matched) != name_key(e.name)]
        return await self.with_conflicts(answer, respelled) if respelled else answer

    async def _compose(self, intent: Intent, entities: Sequence[NameMatch]) -> Answer | None:
        songs = [e for e in entities if e.entity_type == "song"]
        people = [e for e in entities if e.entity_type == "person"]
        characters = [e for e in entities if e.entity_type == "character"]
        named = [*people, *characters]
        relation = intent.relation
        if relation is None and intent.words[:1] == ("why",):
            return await self.fact_search(intent, entities)  # explanations: mostly passages
        if relation is None and named and SAYING_WORDS.intersection(intent.words):
            return None  # "what does Eun-soo think of his photos": what the passages say
        if not entities and relation not in ("works", "document"):
            # "what network aired Vincenzo": another show someone worked on, not this one.
            other = await self.other_work(intent)
            if other is not None:
                return other
        if relation in (None, "identity", "traits", "occupation", "cast_list", "premise"):
            topic = await self.topic_answer(intent, entities)
            if topic is not None:
                return topic
        match relation:
            case "song_singer" | "song_writer" if not songs and intent.ordinal is not None:
                song = await self.song_at(intent.ordinal)  # "who sings the second OST"
                if song is not None:
                    credit = "singer" if relation == "song_singer" else "writer"
                    return await self.song_credit(song, credit)
                return await self.ost_list()
            case "song_singer":
                if songs:
                    return await self.song_credit(songs[0], "singer")
                if people:
                    return await self.artist(people[0])
                if characters:  # "who is the singer Jay Jun": a character, not the OST
                    return await self.identity(characters[0])
                return await self.ost_list()
            case "song_writer":
                if songs:
                    return await self.song_credit(songs[0], "writer")
                if characters and not people:
                    return None  # "who wrote the song Eun-soo is working on": not the OST's
                return await self.song_writers()
            case "ost_list" if people:  # "the OST by DAVICHI": what they sing
                return await self.artist(people[0])
            case "ost_list" if intent.ordinal is not None:
                return await self.ost_at(intent.ordinal)
            case "ost_list":
                return await self.ost_list()
            case "song_about" if songs:
                return await self.song_notes(songs[0])
            case "genre" | "setting":
                return await self.show_values(relation)
            case "makers":
                return await self.makers()
            case "director" | "show_writer":
                return await self.crew("director" if relation == "director" else "writer")
            case "episode_air":
                return await self.episode_air(intent.episode)
            case "episode_plot":
                return await self.episode_plot(intent.episode)
            case "premiere":
                return await self.premiere()
            case "slot":
                return await self.slot()
            case "episode_count":
                return await self.episode_count()
            case "platform":
                return await self.platform()
            case "works" if named:
                return await self.works(named[0], intent)
            case "age" if people:
                return await self.age(people[0])
            case "age" if characters:
                # "how old is he" after "who is the male lead": no document gives a
                # character's age; the actor's, said as theirs, is what fans mean.
                character = await self.store.character(characters[0].entity_id)
                if character is not None and character.actor is not None:
                    return await self.age(
                        self.match_for("person", character.actor.id), role=character.name
                    )
            case "interviewed_by" if people:
                return await self.interviewed_by(people[0])
            case "member_of" if people:
                return await self.member_of(people[0])
            case "played_by" if named:
                holders = await self.role_facts(intent, named)
                if holders:  # "who plays Eun-soo's mentor"
                    return await self.played_by_all([c for c, _ in holders])
                return await self.played_by(named[0])
            case "played_by":
                holder = await self.role_holder(intent)
                if holder is not None:  # "who plays the producer"
                    return await self.played_by(self.match_for("character", holder.id))
            case "document":
                return await self.document_credits(intent)
            case "leads":
                return await self.leads(intent)
            case "cast_list":
                return await self.cast_list()
            case "premise":
                return await self.show_values("premise")
            case "occupation" if named:
                return await self.occupation(named[0])
            case "traits" if named:
                # "what movies does Eun-soo like": the trait about movies, if one says so.
                asked = dataclasses.replace(
                    intent, words=tuple(w for w in intent.words if w not in TRAIT_WORDS)
                )
                if content_words(asked):
                    found = await self.fact_search(asked, named[:1])
                    if found is not None:
                        return found
                return await self.traits(named[0])
        if songs:
            return await self.song_credit(songs[0], "singer")
        if named and relation in ("identity", "played_by", "works", "member_of", None):
            if relation == "identity":  # "does Jin appear in the show": whether, as whom
                intent = dataclasses.replace(
                    intent, words=tuple(w for w in intent.words if w not in APPEARING_WORDS)
                )
            if content_words(intent):
                # "who is Eun-soo's mentor": the other words say what is asked about, and
                # when no fact answers them, the passages do; a profile of the name would
                # answer another question ("who is Seon-woo's mentor": not Seon-woo).
                return await self.fact_search(intent, entities, who=relation == "identity")
            if relation is None:
                return None  # "where does Seon-woo go": no form and nothing else asked
            return await self.identity(named[0])
        if relation in ("identity", "played_by", None):
            return await self.fact_search(intent, entities, who=relation is not None)
        return None

    # -- people and characters ------------------------------------------------------------
    async def character_of(self, match: NameMatch) -> Character | None:
        if match.entity_type == "character":
            return await self.store.character(match.entity_id)
        return await self.store.role_of(match.entity_id)

    async def played_by(self, match: NameMatch) -> Answer | None:
        character = await self.character_of(match)
        if character is None or character.actor is None:
            return await self.identity(match)
        cast = await self.facts("character", character.id, "played_by")
        text = f"{bold(character.actor.name)} plays {bold(character.name)}."
        return _answer(
            text,
            cast,
            about=[self.match_for("character", character.id)],
            terms=[character.actor.name],
        )

    async def identity(self, match: NameMatch) -> Answer | None:
        if match.entity_type == "song":
            return await self.song_credit(match, "singer")
        character = await self.character_of(match)
        if character is not None:
            return await self.character_summary(character)
        person = await self.store.person(match.entity_id)
        if person is None:
            return None
        return await self.person_summary(person)

    async def character_summary(self, character: Character) -> Answer | None:
        cast = await self.facts("character", character.id, "played_by")
        described = await self.facts("character", character.id, "description", "occupation")
        description = next((f for f in described if f.predicate == "description"), None)
        occupation = next((f for f in described if f.predicate == "occupation"), None)
        about = [self.match_for("character", character.id)]
        parts = [bold(character.name)]
        used: list[Fact] = []
        if character.actor is not None:
            parts.append(f"is played by {bold(character.actor.name)}")
            used += cast
        text = " ".join(parts)
        if description is not None:
            text += f": {safe_text(description.object)}"
            used.append(description)
        elif occupation is not None:
            text += f" ({safe_text(occupation.object)})."
            used.append(occupation)
        else:
            text += "."
        if not used:
            return None
        terms = [character.name, *([character.actor.name] if character.actor else [])]
        return _answer(text, used, about=about, terms=terms)

    async def person_summary(self, person: Person) -> Answer | None:
        about = [self.match_for("person", person.id)]
        if person.is_cast:
            character = await self.store.role_of(person.id)
            if character is not None:
                answer = await self.played_by(self.match_for("character", character.id))
                works = await self.facts("person", person.id, "work")
                if answer is not None and works:
                    listed = ", ".join(work_line(f) for f in _unique(works)[:MAX_LISTED])
                    text = f"{answer.text} Other works: {listed}."
                    return _answer(text, works[:1], sources=answer.sources, about=about)
                return answer
        roles = [
            f
            for f in await self.store.facts("show", "show", max_level=self.progress)
            if f.predicate in ("director", "writer") and f.object == person.name
        ]
        if roles:
            return await self.crew(roles[0].predicate)
        songs = [s for s in await self.store.songs() if person.name in s.names("singer")]
        if songs:
            return await self.artist(about[0])
        source = await self.store.person_source(person.id)
        if source is None or source.spoiler_level > self.progress:
            return None
        what = {
            "author": "wrote one of the source documents",
            "mentioned": "is not in Soundtrack #1; the documents mention the name",
        }.get(person.kind, "is named in the documents")
        return _answer(f"{bold(person.name)} {what}.", sources=[source], about=about)

    async def occupation(self, match: NameMatch) -> Answer | None:
        character = await self.character_of(match)
        if character is None:
            return await self.identity(match)
        jobs = _unique(await self.facts("character", character.id, "occupation"))
        if not jobs:
            return await self.character_summary(character)
        listed = " and ".join(bold(f.object) for f in jobs)
        text = f"{bold(character.name)} is a {listed}"
        if match.entity_type == "person" and character.actor is not None:
            text = f"{bold(character.actor.name)} plays {bold(character.name)}, a {listed}"
        return _answer(
            text + ".",
            jobs,
            about=[self.match_for("character", character.id)],
            terms=[f.object for f in jobs],
        )

    async def traits(self, match: NameMatch) -> Answer | None:
        character = await self.character_of(match)
        if character is None:
            return await self.identity(match)
        facts = _unique(await self.facts("character", character.id, "description", "trait"))
        if not facts:
            return await self.character_summary(character)
        listed = "; ".join(safe_text(f.object.rstrip(".")) for f in facts[:MAX_LISTED])
        return _answer(
            f"{bold(character.name)}: {listed}.",
            facts[:MAX_LISTED],
            about=[self.match_for("character", character.id)],
        )

    async def works(self, match: NameMatch, intent: Intent) -> Answer | None:
        person_id = match.entity_id
        if match.entity_type == "character":
            character = await self.store.character(match.entity_id)
            if character is None or character.actor is None:
                return None
            person_id = character.actor.id
        person = await self.store.person(person_id)
        works = _unique(await self.facts("person", person_id, "work"))
        if person is None or not works:
            return None

        def upcoming(f: Fact) -> bool:
            return bool(_UPCOMING.search(f"{f.detail.get('note', '')} {f.source.sentence}"))

        chosen = works
        lead = "Other works of"
        if intent.future and any(upcoming(f) for f in works):
            chosen, lead = [f for f in works if upcoming(f)], "Upcoming after Soundtrack #1 for"
        elif intent.future:
            lead = "The documents name nothing upcoming; earlier works of"
        elif intent.past and any(not upcoming(f) for f in works):
            chosen, lead = [f for f in works if not upcoming(f)], "Earlier works of"
        listed = ", ".join(work_line(f) for f in chosen[:MAX_LISTED])
        return _answer(
            f"{lead} {bold(person.name)}: {listed}.",
            chosen[:MAX_LISTED],
            about=[self.match_for("person", person_id)],
            terms=[f.object for f in chosen],
        )

    async def other_work(self, intent: Intent) -> Answer | None:
        """The people behind a title the question names that is another work of theirs."""
        asked = name_key(" ".join(intent.words))
        works = [
            f
            for f in _visible(await self.store.facts(predicate="work"), self.progress)
            if len(name_key(f.object)) >= MIN_WORK_KEY and name_key(f.object) in asked
        ]
        if not works:
            return None
        # The longest title named ("The Crowned Clown", not a title inside it), every
        # person the documents credit with it, each with the most detailed line.
        title = max((name_key(f.object) for f in works), key=len)
        best: dict[str, Fact] = {}
        for f in works:
            if name_key(f.object) == title and (
                f.subject_id not in best or len(f.detail) > len(best[f.subject_id].detail)
            ):
                best[f.subject_id] = f
        lines = []
        for f in best.values():
            note = f.detail.get("note")
            about = f": {safe_text(str(note))}" if note else ""
            name = self.store.name_of("person", f.subject_id) or f.subject_id
            lines.append(f"{bold(name)}: {work_line(f)}{about}")
        return _answer(
            "; ".join(lines) + ".",
            list(best.values()),
            about=[self.match_for("person", p) for p in best],
            terms=[next(iter(best.values())).object],
        )

    async def age(self, match: NameMatch, role: str | None = None) -> Answer | None:
        """How old a person was, as each document puts it: an age holds when it was
        written, so the answer says which document (and its date, when known). Asked of
        the `role` they play, the answer says it is the actor's age."""
        ages = _unique(await self.facts("person", match.entity_id, "age"))
        if not ages:
            return None
        said = []
        for f in ages:
            document = f.source.document
            when = f", published {safe_text(document.published)}" if document.published else ""
            said.append(f"{bold(f.object)} at the time of “{safe_text(document.title)}”{when}")
        who = bold(match.name)
        if role is not None:
            who = f"The documents don't give {bold(role)}'s age; {who}, who plays the role,"
        return _answer(f"{who} was {'; '.join(said)}.", ages, about=[match], terms=[match.name])

    async def interviewed_by(self, match: NameMatch) -> Answer | None:
        """Who interviewed a person, as the documents report it."""
        facts = _unique(await self.facts("person", match.entity_id, "interviewed_by"))
        if not facts:
            return None
        said = []
        for f in facts:
            note = f.detail.get("note")
            said.append(bold(f.object) + (f" ({safe_text(str(note))})" if note else ""))
        text = f"{bold(match.name)} was interviewed by {' and '.join(said)}"
        return _answer(text + ".", facts, about=[match], terms=[f.object for f in facts])

    async def member_of(self, match: NameMatch) -> Answer | None:
        groups = _unique(await self.facts("person", match.entity_id, "member_of"))
        if not groups:
            return await self.identity(match)
        listed = ", ".join(bold(f.object) for f in groups)
        return _answer(f"{bold(match.name)} is a member of {listed}.", groups[:1], about=[match])

    # -- songs --------------------------------------------------------------------------
    async def song_credit(self, match: NameMatch, credit: str) -> Answer | None:
        song = await self.store.song(match.entity_id)
        if song is None:
            return None
        predicate = "sung_by" if credit == "singer" else "written_by"
        facts = await self.facts("song", song.id, predicate)
        names = list(dict.fromkeys(f.object for f in facts))
        about = [match]
        if not names and credit == "writer":
            sung = await self.facts("song", song.id, "sung_by")
            singers = ", ".join(bold(n) for n in dict.fromkeys(f.object for f in sung))
            if not singers:
                return None
            text = f"The documents don't say who wrote {bold(song.title)}; it is sung by {singers}."
            return _answer(text, sung[:1], about=about)
        if not names:
            return None
        verb = "is sung by" if credit == "singer" else "was written by"
        text = f"{bold(song.title)} {verb} {', '.join(bold(n) for n in names)}"
        if song.release_order:
            text += f" (OST #{song.release_order})"
        groups = [
            g
            for n in names
            for p in await self.store.people()
            if p.name == n
            for g in await self.facts("person", p.id, "member_of")
        ]
        if groups and credit == "singer":
            text += f"; {safe_text(names[0])} is in {bold(groups[0].object)}"
        return _answer(text + ".", facts[:1], about=about, terms=names)

    async def song_writers(self) -> Answer | None:
        lines, used = [], []
        for song in await self.store.songs():
            facts = await self.facts("song", song.id, "written_by")
            if facts:
                names = ", ".join(bold(n) for n in dict.fromkeys(f.object for f in facts))
                lines.append(f"{names} wrote {bold(song.title)}")
                used.append(facts[0])
        if not lines:
            return None
        text = "; ".join(lines) + ". The documents don't name the writers of the other songs."
        return _answer(text, used, terms=[f.object for f in used])

    async def song_notes(self, match: NameMatch) -> Answer | None:
        facts = _unique(await self.facts("song", match.entity_id, "about", "release"))
        if not facts:
            return await self.song_credit(match, "singer")
        listed = " ".join(safe_text(f.object) for f in facts[:MAX_LISTED])
        return _answer(f"{bold(match.name)}: {listed}", facts[:MAX_LISTED], about=[match])

    async def artist(self, match: NameMatch) -> Answer | None:
        sung = [s for s in await self.store.songs() if match.name in s.names("singer")]
        if not sung:
            # "does Han So-hee sing in the drama": what the documents say about it.
            said = [
                f
                for f in _visible(await self.store.facts(), self.progress)
                if match.name in f.object and _SINGING.search(f.object)
            ]
            if said:
                return _answer(safe_text(said[0].object), said[:1], about=[match])
            return None
        facts = [
            f
            for s in sung
            for f in await self.facts("song", s.id, "sung_by")
            if f.object == match.name
        ]
        listed = ", ".join(bold(s.title) for s in sung)
        text = f"{bold(match.name)} sings {listed} on the Soundtrack #1 OST"
        groups = await self.facts("person", match.entity_id, "member_of")
        if groups:
            text += f" ({safe_text(groups[0].object)})"
            facts.append(groups[0])
        return _answer(text + ".", facts, about=[match], terms=[s.title for s in sung])

    async def song_at(self, order: int) -> NameMatch | None:
        """The song released in that place, if the documents (within progress) say so."""
        for song in await self.store.songs():
            if song.release_order == order and await self.facts("song", song.id, "release_order"):
                return self.match_for("song", song.id)
        return None

    async def ost_at(self, order: int) -> Answer | None:
        """ "What is the second OST": the song released in that place."""
        match = await self.song_at(order)
        if match is None:
            return await self.ost_list()
        song = await self.store.song(match.entity_id)
        placed = await self.facts("song", match.entity_id, "release_order")
        if song is None or not placed:
            return await self.ost_list()
        credit = await self.song_credit(match, "singer")
        text = f"OST #{order} is {bold(song.title)}."
        if credit is not None:
            text = credit.text
        return _answer(text, [*placed[:1]], about=[self.match_for("song", song.id)])

    async def ost_list(self) -> Answer | None:
        items, used = [], []
        for song in await self.store.songs():
            sung = await self.facts("song", song.id, "sung_by")
            if not sung:
                continue
            singers = ", ".join(dict.fromkeys(safe_text(f.object) for f in sung))
            order = f", OST #{song.release_order}" if song.release_order else ""
            items.append(f"{bold(song.title)} ({singers}{order})")
            used.append(sung[0])
        if not items:
            return None
        text = f"The {len(items)} OST songs the documents name: {', '.join(items)}."
        return _answer(text, used, terms=["OST"])

    # -- the show -------------------------------------------------------------------------
    async def show_facts(self, predicate: str) -> list[Fact]:
        facts = await self.store.facts("show", "show", predicate=predicate)
        return _visible(facts, self.progress)

    async def show_values(self, predicate: str) -> Answer | None:
        facts = _unique(await self.show_facts(predicate))
        if not facts:
            return None
        listed = "; ".join(safe_text(f.object.rstrip(".")) for f in facts[:MAX_LISTED])
        what = {"genre": "Genre", "setting": "Setting", "premise": "The story"}[predicate]
        return _answer(f"{what} of Soundtrack #1: {listed}", facts[:MAX_LISTED])

    async def cast_list(self) -> Answer | None:
        cast = await self.store.cast()
        facts = [f for c in cast for f in (await self.facts("character", c.id, "played_by"))[:1]]
        if not cast or not facts:
            return None
        listed = ", ".join(
            f"{bold(c.actor.name)} as {bold(c.name)}" for c in cast[:MAX_CAST] if c.actor
        )
        return _answer(f"The cast, leads first: {listed}.", facts[:2])

    async def leads(self, intent: Intent) -> Answer | None:
        """The leads: the cast the show's premise is about. A qualifier the documents put
        before one lead's name ("the male lead Han Sun-woo", "actress Han So-hee") picks
        that one."""
        premise = await self.show_facts("premise")
        leads = [
            c
            for c in await self.store.cast()
            if c.actor is not None
            and any(self.mentions(f.object, [self.match_for("character", c.id)]) for f in premise)
        ]
        if not leads:
            return None
        asked = [w for w in content_words(intent) if w not in CASTING_WORDS or w == "actress"]
        qualifiers = [w for w in asked if w not in LEAD_WORDS]  # "leads" alone picks none
        phrases = [" ".join(asked), *qualifiers] if qualifiers else []
        for phrase in dict.fromkeys(phrases):
            found = await self.named_after(phrase, leads)
            if found is not None:
                character, source = found
                assert character.actor is not None
                cast = await self.facts("character", character.id, "played_by")
                label = safe_text(" ".join(asked))
                text = f"The {label}: {bold(character.actor.name)} as {bold(character.name)}."
                return _answer(
                    text,
                    cast[:1],
                    sources=[source],
                    about=[self.match_for("character", character.id)],
                    terms=[character.actor.name],
                )
        cast = [f for c in leads for f in (await self.facts("character", c.id, "played_by"))[:1]]
        listed = " and ".join(f"{bold(c.actor.name)} as {bold(c.name)}" for c in leads if c.actor)
        return _answer(
            f"The leads: {listed}.",
            cast,
            sources=[f.source for f in premise[:1]],
            about=[self.match_for("character", c.id) for c in leads],
            terms=[c.actor.name for c in leads if c.actor],
        )

    async def named_after(
        self, phrase: str, among: Sequence[Character]
    ) -> tuple[Character, SourceRef] | None:
        """The one character (or their actor) a visible sentence names right after the
        phrase, with that sentence."""
        if len(phrase) < MIN_LONE_WORD - 1:
            return None
        pattern = re.compile(
            rf"\b{re.escape(phrase)}\b[\s,:]+(?:the\s+)?(.{{1,40}})", re.IGNORECASE
        )
        spelling_keys = {
            c.id: tuple(
                k
                for k in map(
                    name_key,
                    [
                        *self.store.aliases_of("character", c.id),
                        *(self.store.aliases_of("person", c.actor.id) if c.actor else []),
                    ],
                )
                if len(k) >= 4
            )
            for c in among
        }
        found: dict[str, tuple[Character, SourceRef]] = {}
        for hit in await self.store.search(phrase, limit=10, max_level=self.progress):
            for sentence in re.split(r"(?<=[.!?])\s+", hit.text):
                for m in pattern.finditer(sentence):
                    after = name_key(m[1])
                    for c in among:
                        if after.startswith(spelling_keys[c.id]):
                            ref = SourceRef(hit.document, sentence, m[0], hit.spoiler_level)
                            found.setdefault(c.id, (c, ref))
        return next(iter(found.values())) if len(found) == 1 else None

    async def document_credits(self, intent: Intent) -> Answer | None:
        """Who wrote and published the source documents the question names by kind ("the
        review" is the document of kind review); any other noun ("the article") means all."""
        documents = await self.store.documents()
        asked_key = name_key(" ".join(intent.words))
        # "the Sportskeeda article": the outlet says which; else the kind ("the review").
        chosen = [d for d in documents if d.outlet and name_key(d.outlet) in asked_key]
        if not chosen:
            kinds = {d.kind for d in documents if d.kind}
            asked = {k for k in kinds for w in intent.words if w.startswith(k)}
            chosen = [d for d in documents if d.kind in asked] or documents
        lines = []
        for d in chosen:
            by = [f"by {bold(d.author)}"] if d.author else ["its author is not named"]
            if d.editor:
                by.append(f"edited by {bold(d.editor)}")
            if d.outlet:
                by.append(f"published by {bold(d.outlet)}")
            kind = f" ({safe_text(d.kind)})" if d.kind else ""
            lines.append(f"“{safe_text(d.title)}”{kind}: {', '.join(by)}")
        return _answer("; ".join(lines) + ".", terms=[d.author for d in chosen if d.author])

    async def makers(self) -> Answer | None:
        """Who made the show ("who made it", "who created it"): its director and its
        screenwriter, as the documents credit them."""
        credits = [c for c in [await self.credit("director"), await self.credit("writer")] if c]
        if not credits:
            return None
        title = safe_text((await self.store.show()).title)
        said = " and ".join(phrase for phrase, _, _ in credits)
        names = [n for _, credited, _ in credits for n in credited]
        people = await self.people_named(names)
        return _answer(
            f"{title} was {said}.",
            [facts[0] for _, _, facts in credits],
            about=[self.match_for("person", p.id) for p in people],
            terms=names,
        )

    async def crew(self, predicate: str) -> Answer | None:
        credit = await self.credit(predicate)
        if credit is None:
            return None
        phrase, names, facts = credit
        title = safe_text((await self.store.show()).title)
        text = f"{title} was {phrase}"
        people = await self.people_named(names)
        works = [f for p in people for f in await self.facts("person", p.id, "work")]
        if works:
            listed = ", ".join(work_line(f) for f in _unique(works)[:MAX_LISTED])
            text += f"; also behind {listed}"
        about = [self.match_for("person", p.id) for p in people]
        return _answer(text + ".", facts[:1], about=about, terms=names)

    async def credit(self, predicate: str) -> tuple[str, list[str], list[Fact]] | None:
        """How the documents credit the show's director or writer: "directed by X", the
        names, and the facts that say so; None when they credit nobody."""
        facts = await self.show_facts(predicate)
        names = list(dict.fromkeys(f.object for f in facts))
        if not names:
            return None
        verb = "directed" if predicate == "director" else "written"
        phrase = f"{verb} by {' and '.join(bold(n) for n in names)}"
        if predicate == "writer":
            phrase += " (the screenplay)"
        return phrase, names, facts

    async def people_named(self, names: Sequence[str]) -> list[Person]:
        return [p for p in await self.store.people() if p.name in names]

    async def premiere(self) -> Answer | None:
        show = await self.store.show()
        episodes = await self.store.episodes()
        facts = await self.show_facts("premiere")
        if show.premiere is None or not episodes or not facts:
            return None
        chosen = [f for f in facts if f.object == show.premiere.isoformat()] or facts
        where = f" on {bold(show.platform)}" if show.platform else ""
        first = episodes[0].air_time
        text = (
            f"Soundtrack #1 premiered{where} on {timestamp(first, 'D')} ({timestamp(first, 'R')})."
        )
        answer = _answer(text, chosen[:1], terms=["aired", "premiere"])
        return await self.with_conflicts(answer, [show.premiere.isoformat()])

    async def episode_air(self, number: int | None) -> Answer | None:
        episodes = await self.store.episodes()
        if not episodes or number is None:
            return None
        last = number == -1
        if last:
            number = episodes[-1].number
        episode = next((e for e in episodes if e.number == number), None)
        if episode is None:
            count = len(episodes)
            facts = await self.show_facts("episode_count")
            return _answer(f"Soundtrack #1 has only {bold(str(count))} episodes.", facts[:1])
        slot = await self.show_facts("slot")
        premiere = await self.show_facts("premiere")
        air = episode.air_time
        # "The finale" is answered as asked: its number would say nothing the fan wanted.
        name = "The final episode" if last else f"Episode {episode.number}"
        text = f"{name} airs {timestamp(air, 'F')} ({timestamp(air, 'R')})"
        if episode.derived and episode.number > 1:
            text += ": derived from the premiere date and the weekly slot"
        return _answer(text + ".", [*premiere[:1], *slot[:1]], terms=["Wednesday", "air"])

    async def episode_plot(self, number: int | None) -> Answer | None:
        episodes = await self.store.episodes()
        if number == -1 and episodes:
            number = episodes[-1].number
        if number is None or number > self.progress:
            return None  # the question named it; beyond progress, nothing is said
        facts = _unique(await self.facts("episode", str(number), "known"))
        if not facts:
            return None
        listed = " ".join(safe_text(f.object) for f in facts[:MAX_LISTED])
        return _answer(f"Episode {number}: {listed}", facts[:MAX_LISTED])

    async def slot(self) -> Answer | None:
        facts = await self.show_facts("slot")
        episodes = await self.store.episodes()
        if not facts:
            return None
        detail = facts[0].detail
        when = f"{detail.get('day', '')} at {detail.get('time', '')} {detail.get('zone', '')}"
        text = f"A new episode aired every {bold(when.strip())}"
        if episodes:
            text += f"; the premiere was {timestamp(episodes[0].air_time, 'F')} your time"
        return _answer(text + ".", facts[:1], terms=["every", detail.get("day", "")])

    async def episode_count(self) -> Answer | None:
        show = await self.store.show()
        facts = await self.show_facts("episode_count")
        if show.episode_count is None or not facts:
            return None
        chosen = [f for f in facts if f.object == str(show.episode_count)] or facts
        text = f"Soundtrack #1 has {bold(str(show.episode_count))} episodes."
        answer = _answer(text, chosen[:1], terms=["episodes"])
        return await self.with_conflicts(answer, [str(show.episode_count)])

    async def platform(self) -> Answer | None:
        show = await self.store.show()
        facts = await self.show_facts("platform")
        if show.platform is None or not facts:
            return None
        chosen = [f for f in facts if f.object == show.platform] or facts
        text = f"Soundtrack #1 streams on {bold(show.platform)}."
        return _answer(text, chosen[:1], terms=["stream", show.platform])

    # -- conflicts and free matching ------------------------------------------------------
    async def with_conflicts(self, answer: Answer, values: Sequence[str]) -> Answer:
        """The answer, noting every other value a document gives for the same thing."""
        keys = {name_key(v) for v in values}
        notes = list(answer.notes)
        claims = await self.store.conflicts()
        topics = {c.topic for c in claims if name_key(c.value) in keys}
        for topic in sorted(topics):
            others = [
                c
                for c in claims
                if c.topic == topic
                and name_key(c.value) not in keys
                and c.source.spoiler_level <= self.progress
            ]
            others = list({name_key(c.value): c for c in reversed(others)}.values())[::-1]
            if others:
                listed = "; ".join(
                    f"“{safe_text(c.value)}” ({safe_text(c.source.document.citation)})"
                    for c in others
                )
                notes.append(f"Sources differ on “{safe_text(topic)}”: also {listed}.")
        return Answer(
            answer.text, answer.level, answer.sources, tuple(notes), answer.terms, answer.about
        )

    async def topic_answer(self, intent: Intent, entities: Sequence[NameMatch]) -> Answer | None:
        """A question that names a disputed topic ("how long have they been friends")."""
        asked = {_TOPIC_SYNONYMS.get(w, w) for w in content_words(intent)}
        asked = {stem(w) for w in asked} | {stem(w) for w in intent.words if w == "long"}
        if not asked:
            return None
        best: tuple[float, str] | None = None
        claims = await self.store.conflicts()
        for topic in dict.fromkeys(c.topic for c in claims):
            if topic.startswith("spelling of"):
                continue
            wanted = {stem(w) for w in re.findall(r"\w+", topic) if w not in FILLER}
            overlap = len(wanted & asked)
            if overlap >= 2 and overlap / len(wanted) >= 0.6:
                score = overlap / len(wanted)
                if best is None or score > best[0]:
                    best = (score, topic)
        if best is None:
            return None
        topic = best[1]
        visible = [
            c for c in claims if c.topic == topic and c.source.spoiler_level <= self.progress
        ]
        chosen = next((c for c in visible if c.chosen), None)
        if chosen is None:
            return None
        text = f"{safe_text(topic[0].upper() + topic[1:])}: {bold(chosen.value)}."
        answer = _answer(text, sources=[chosen.source], terms=[chosen.value])
        return await self.with_conflicts(answer, [chosen.value])

    def mentions(self, text: str, entities: Sequence[NameMatch]) -> bool:
        """Whether the text names one of the entities, in any of their spellings."""
        key = name_key(text)
        return any(
            len(k) >= MIN_KEY and k in key
            for e in entities
            for k in {name_key(a) for a in self.store.aliases_of(e.entity_type, e.entity_id)}
        )

    async def role_holder(
        self, intent: Intent, entities: Sequence[NameMatch] = ()
    ) -> Character | None:
        """The one character whose role words cover the question's ("the producer")."""
        found = await self.role_facts(intent, entities)
        return found[0][0] if len(found) == 1 else None

    async def role_facts(
        self, intent: Intent, entities: Sequence[NameMatch] = ()
    ) -> list[tuple[Character, Fact]]:
        """The characters whose role words cover the question's, each with that role's fact,
        all of the best-ranked predicate ("who are Seon-woo's friends" has two).

        Casting words ("which actor plays the lyricist") say what to answer, not the role.
        With names in the question ("Eun-soo's mentor"), the role is theirs: its words name
        one of them, and its holder is someone else.
        """
        stems = {stem(w) for w in content_words(intent) if w not in CASTING_WORDS}
        if not stems:
            return []
        named = [e for e in entities if e.entity_type in ("person", "character")]
        ranked: dict[str, tuple[int, Character, Fact]] = {}
        for character in await self.store.cast():
            if any(
                (e.entity_type == "character" and e.entity_id == character.id)
                or (e.entity_type == "person" and e.entity_id == getattr(character.actor, "id", ""))
                for e in named
            ):
                continue
            for fact in await self.facts("character", character.id, *ROLE_PREDICATES):
                if not stems <= _fact_stems(fact):
                    continue
                if named and not self.mentions(fact.object, named):
                    continue
                rank = ROLE_PREDICATES.index(fact.predicate)
                if character.id not in ranked or rank < ranked[character.id][0]:
                    ranked[character.id] = (rank, character, fact)
        if not ranked:
            return []
        best = min(r[0] for r in ranked.values())
        return [(r[1], r[2]) for r in ranked.values() if r[0] == best][:MAX_LISTED]

    async def played_by_all(self, holders: Sequence[Character]) -> Answer | None:
        """ "Who plays Seon-woo's friend": each holder's actor."""
        if len(holders) == 1:
            return await self.played_by(self.match_for("character", holders[0].id))
        cast = [f for c in holders for f in (await self.facts("character", c.id, "played_by"))[:1]]
        listed = "; ".join(
            f"{bold(c.actor.name)} plays {bold(c.name)}" for c in holders if c.actor is not None
        )
        if not cast or not listed:
            return None
        return _answer(
            listed + ".",
            cast,
            about=[self.match_for("character", c.id) for c in holders],
            terms=[c.actor.name for c in holders if c.actor],
        )

    async def fact_search(
        self, intent: Intent, entities: Sequence[NameMatch], who: bool = False
    ) -> Answer | None:
        """A fact whose words cover every content word of the question (no form matched).

        For a "who" question, the character whose role it names ("who is the manager").
        """
        words = content_words(intent)
        if not words:
            return None
        if who:
            found = await self.role_facts(intent, entities)
            if found:
                parts = []
                for character, role in found:
                    actor = f" (played by {bold(character.actor.name)})" if character.actor else ""
                    parts.append(f"{bold(character.name)}{actor}: {safe_text(role.object)}")
                text = "; ".join(p.rstrip(".") for p in parts) + "."
                return _answer(
                    text,
                    [role for _, role in found],
                    about=[self.match_for("character", c.id) for c, _ in found],
                    terms=[c.name for c, _ in found],
                )
        stems = {stem(w) for w in words}
        visible = _visible(await _facts_with_stems(self.store, stems), self.progress)
        wanted = {(e.entity_type, e.entity_id) for e in entities}
        # A song's fact answers a question about songs, not "is it a happy ending".
        songish = bool(SONG_WORDS.intersection(intent.words))
        hits = [
            f
            for f in visible
            if f.predicate not in ("played_by", "title")
            and stems <= _fact_stems(f)
            and (not wanted or (f.subject_type, f.subject_id) in wanted or len(stems) > 1)
            and (f.subject_type != "song" or songish or (f.subject_type, f.subject_id) in wanted)
        ]
        if not hits:
            return None
        if len(stems) == 1:
            if len(words[0]) < MIN_LONE_WORD or len(hits) > MAX_LONE_WORD_FACTS:
                return None
            # One word alone answers only as written (or its plural): "where was it
            # filmed" is not answered by "prefers shooting on film".
            forms = {words[0].casefold(), words[0].casefold().removesuffix("s")}
            hits = [f for f in hits if forms & _text_words(f.object)]
            if not hits:
                return None
        fact = hits[0]
        named = fact.subject_type in ("person", "character", "song")
        about = [self.match_for(fact.subject_type, fact.subject_id)] if named else []
        text = safe_text(work_line(fact) if fact.predicate == "work" else fact.object)
        if about and not self.mentions(fact.object, about):
            # "is Kyuhyun in Super Junior": a bare "Super Junior" would not say whose it is.
            what = fact.predicate.replace("_", " ")
            text = f"{bold(about[0].name)} ({safe_text(what)}): {text}"
        return _answer(text, [fact], about=about)


@dataclasses.dataclass(frozen=True, slots=True)
class _StemIndex:
    facts: list[Fact]  # the store's, in its order
    positions: dict[str, list[int]]  # stem -> positions in facts, ascending


# One per open store (which never changes while open), dropped with it.
_STEM_INDEXES: weakref.WeakKeyDictionary[FactStore, _StemIndex] = weakref.WeakKeyDictionary()


async def _facts_with_stems(store: FactStore, stems: set[str]) -> list[Fact]:
    """The store's facts whose words include every stem, in store order: looked up in an
    index of the facts' stems instead of reading every fact."""
    index = _STEM_INDEXES.get(store)
    if index is None:
        facts = await store.facts()
        positions: dict[str, list[int]] = {}
        for i, fact in enumerate(facts):
            for s in _fact_stems(fact):
                positions.setdefault(s, []).append(i)
        index = _STEM_INDEXES[store] = _StemIndex(facts, positions)
    postings = sorted((index.positions.get(s, []) for s in stems), key=len)
    if not postings or not postings[0]:
        return []
    common = set(postings[0]).intersection(*postings[1:])
    return [index.facts[i] for i in sorted(common)]


@functools.lru_cache(maxsize=8192)
def _text_words(text: str) -> frozenset[str]:
    """A fact's words as written, casefolded, singular and plural alike."""
    words = {w.casefold().strip("'’") for w in re.findall(r"[\w'’-]+", text)}
    return frozenset(words | {w.removesuffix("s") for w in words})


def _fact_stems(fact: Fact) -> frozenset[str]:
    return _text_stems(fact.object)


@functools.lru_cache(maxsize=8192)
def _text_stems(text: str) -> frozenset[str]:
    """Stems of a fact's words, hyphenated words also in parts and run together ("K-pop":
    "k", "pop" and "kpop"), as fans type them (facts never change)."""
    words = re.findall(r"[\w'’-]+", text)
    return frozenset(
        {stem(w) for w in words}
        | {stem(p) for w in words for p in w.split("-")}
        | {stem(w.replace("-", "")) for w in words}
    )
