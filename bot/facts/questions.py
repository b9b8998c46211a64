"""Trivia questions: templates over the built facts, plus the curated hand-written ones.

Wrong answers are of the same kind as the answer (other actors for an actor) and are
drawn deterministically from the question's id, so rebuilds give the same questions.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

from bot.facts.curated import QuestionEntry, Quoted
from bot.facts.errors import BuildError
from bot.facts.model import FactRow, FactSet, Question, SentenceLevel, Source
from bot.facts.names import padded_words

SourceFn = Callable[[Quoted, str], Source]
LevelFn = Callable[[Source, int], SentenceLevel]
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Citations:
    """Checks that a question's citation names who the question is about.

    Every person, character or song the question names, and its answer when that is a
    name, must be named (any spelling the store knows, or a person's surname alone, as
    in "Park stars as") in the cited sentence, earlier in its paragraph (where its
    pronouns point), or in the entry's `context` quote. A sentence that says only "He
    was given the task" supports nothing about anyone.

    It also checks that wrong answers are of the answer's kind: an actor's wrong
    answers are actors, a character's are characters.
    """

    def __init__(self, facts: FactSet, cited: Iterable[Source]) -> None:
        # Only the paragraphs of the sentences a question may cite are kept, up to the last
        # cited sentence, from one pass over the corpus: holding every document would make
        # the build's memory grow with the corpus. A text many documents repeat (a
        # syndicated article) is held once.
        wanted: dict[str, set[int]] = {}
        for source in cited:
            wanted.setdefault(source.document_id, set()).add(source.sentence)
        self.paragraphs: dict[tuple[str, int], tuple[tuple[int, str], ...]] = {}
        for document in facts.documents:
            positions = wanted.get(document.id)
            if not positions:
                continue
            for paragraph in document.paragraphs:
                last = max(
                    (s.position for s in paragraph.sentences if s.position in positions),
                    default=None,
                )
                if last is None:
                    continue
                kept = tuple(
                    (s.position, sys.intern(s.text))
                    for s in paragraph.sentences
                    if s.position <= last
                )
                for position, _ in kept:
                    self.paragraphs[(document.id, position)] = kept
        # How a question or an answer names someone: the store's spellings.
        self.spellings: dict[tuple[str, str], set[str]] = {}
        for alias in facts.aliases:
            entity = (alias.entity_type, alias.entity_id)
            self.spellings.setdefault(entity, set()).add(padded_words(alias.alias))
        # How a document may name them: any spelling, or a person's surname.
        self.mentions = {entity: set(names) for entity, names in self.spellings.items()}
        for person in facts.people.values():
            if " " in person.name:
                surname = padded_words(person.name.split()[0])
                self.mentions.setdefault(("person", person.id), set()).add(surname)
        self.kinds = {
            ("person", p.id): "cast" if p.kind == "cast" else "non-cast person"
            for p in facts.people.values()
        }

    def named_in(self, text: str) -> set[tuple[str, str]]:
        """The people, characters and songs a text names by one of their spellings."""
        padded = padded_words(text)
        return {e for e, names in self.spellings.items() if any(n in padded for n in names)}

    def entity_of(self, answer: str) -> tuple[str, str] | None:
        padded = padded_words(answer)
        return next((e for e, names in self.spellings.items() if padded in names), None)

    def cited_text(self, source: Source, context: Source | None = None) -> str:
        """The cited sentence after the rest of its paragraph up to it, and the context."""
        upto = [text for position, text in self._paragraph(source) if position <= source.sentence]
        if context is not None:
            upto.insert(
                0,
                next(t for position, t in self._paragraph(context) if position == context.sentence),
            )
        return " ".join(upto)

    def _paragraph(self, source: Source) -> tuple[tuple[int, str], ...]:
        paragraph = self.paragraphs.get((source.document_id, source.sentence))
        if paragraph is None:  # a question citing a sentence no fact or curated entry cites
            raise BuildError(
                f"sentence {source.sentence} of {source.document_id} was not kept for citations"
            )
        return paragraph

    def problem(
        self,
        text: str,
        answer: str,
        wrong: Sequence[str],
        source: Source,
        context: Source | None = None,
    ) -> str | None:
        """Why the question is defective, or None."""
        cited = padded_words(self.cited_text(source, context))
        answer_entity = self.entity_of(answer)
        needed = self.named_in(text) | ({answer_entity} if answer_entity else set())
        for entity in sorted(needed):
            if not any(name in cited for name in self.mentions[entity]):
                return f"its cited sentence does not name {entity[1]!r}: {source.quote!r}"
        if answer_entity is not None:
            kind = self.kinds.get(answer_entity, answer_entity[0])
            for option in wrong:
                other = self.entity_of(option)
                if other is not None and self.kinds.get(other, other[0]) != kind:
                    return f"wrong answer {option!r} is not of the answer's kind ({kind})"
        return None


def _pick_wrong(question_id: str, answer: str, pool: Iterable[str]) -> tuple[str, str, str] | None:
    """Three distinct wrong answers from pool (first-listed preferred), or None if too few."""
    seen = {answer.casefold()}
    candidates = []
    for option in pool:
        if option.casefold() not in seen:
            seen.add(option.casefold())
            candidates.append(option)
    if len(candidates) < 3:
        return None
    chosen = random.Random(question_id).sample(candidates, 3)
    return chosen[0], chosen[1], chosen[2]


def _best(facts: Sequence[FactRow]) -> FactRow:
    """The supporting fact that reveals least: lowest level, then earliest document."""
    return min(facts, key=lambda f: (f.level, f.source.document_id, f.source.sentence))


def _difficulty(support: int) -> str:
    return "easy" if support >= 3 else "medium" if support == 2 else "hard"


class _Templates:
    def __init__(self, facts: FactSet, citations: Citations) -> None:
        self.f = facts
        self.citations = citations
        self.questions: list[Question] = []

    def where(
        self, subject_type: str, predicate: str, subject_id: str | None = None
    ) -> list[FactRow]:
        return [
            f
            for f in self.f.facts
            if f.subject_type == subject_type
            and f.predicate == predicate
            and (subject_id is None or f.subject_id == subject_id)
        ]

    def add(
        self,
        qid: str,
        category: str,
        text: str,
        answer: str,
        pool: Iterable[str],
        support: list[FactRow],
    ) -> None:
        wrong = _pick_wrong(qid, answer, pool)
        # Only facts whose sentence names who the question is about can support it.
        support = [
            f
            for f in support
            if wrong is not None and self.citations.problem(text, answer, wrong, f.source) is None
        ]
        if wrong is None or not support:
            return
        fact = _best(support)
        self.questions.append(
            Question(
                qid,
                category,
                _difficulty(len(support)),
                text,
                answer,
                wrong,
                fact.level,
                fact.reason,
                fact.source,
                "template",
            )
        )

    def cast(self) -> None:
        people, characters = self.f.people, self.f.characters
        cast = {c.id: c for c in characters.values() if c.actor_id}
        actors = [people[c.actor_id].name for c in cast.values() if c.actor_id]
        for c in cast.values():
            if c.actor_id is None:  # never: cast holds only characters with an actor
                continue
            actor = people[c.actor_id].name
            support = self.where("character", "played_by", c.id)
            self.add(
                f"cast-actor-{c.id}",
                "cast",
                f"Who plays {c.name} in Soundtrack #1?",
                actor,
                actors,
                support,
            )
            self.add(
                f"cast-character-{c.id}",
                "characters",
                f"Which character does {actor} play?",
                c.name,
                [o.name for o in cast.values()],
                support,
            )
        occupations = self.where("character", "occupation")
        all_jobs = [f.object for f in occupations]
        for c in cast.values():
            own = [f for f in occupations if f.subject_id == c.id]
            if own:
                pool = [j for j in all_jobs if j not in {f.object for f in own}]
                answer = own[0].object
                self.add(
                    f"job-{c.id}",
                    "characters",
                    f"What does {c.name} do for a living?",
                    answer,
                    pool,
                    own[:1],
                )

    def musicians(self, except_id: str) -> list[str]:
        """Wrong answers for who sang or wrote a song: everyone the store knows makes
        music (OST artists, members of a group) and the groups, but the answer's own."""
        groups = {f.subject_id: f.object for f in self.where("person", "member_of")}
        people = [
            p.name
            for p in self.f.people.values()
            if (p.kind == "artist" or p.id in groups) and p.id != except_id
        ]
        own = groups.get(except_id)
        return people + [g for g in dict.fromkeys(groups.values()) if g != own]

    def ost(self) -> None:
        people = self.f.people
        for song in self.f.songs.values():
            for credit, verb in (("singer", "sings"), ("writer", "wrote")):
                credited = [
                    c for c in self.f.credits if c.song_id == song.id and c.credit == credit
                ]
                if len(credited) != 1:
                    continue
                artist_id = credited[0].person_id
                predicate = "sung_by" if credit == "singer" else "written_by"
                support = self.where("song", predicate, song.id)
                self.add(
                    f"ost-{credit}-{song.id}",
                    "ost",
                    f"Who {verb} the OST song “{song.title}”?",
                    people[artist_id].name,
                    self.musicians(artist_id),
                    support,
                )

    def production(self) -> None:
        people = self.f.people
        makers = [p.name for p in people.values() if p.kind in ("crew", "artist")]
        for role, text in (
            ("director", "Who directed Soundtrack #1?"),
            # "Who wrote Soundtrack #1?" would have the songwriters right too.
            ("writer", "Who wrote the screenplay of Soundtrack #1?"),
        ):
            support = self.where("show", role)
            if support:
                self.add(f"show-{role}", "production", text, support[0].object, makers, support)
        # Only works whose sentence names the person, as answers and as wrong answers:
        # "the star of The Heirs" is Park Hyung-sik only by a reader's inference.
        works = [
            w
            for w in self.where("person", "work")
            if self.citations.problem(people[w.subject_id].name, w.object, (), w.source) is None
        ]
        titles_by_person: dict[str, list[str]] = {}
        for w in works:
            titles = titles_by_person.setdefault(w.subject_id, [])
            if w.object not in titles:
                titles.append(w.object)
        # One question per person: several "Which other drama ...?" with different right
        # answers would read as the same question.
        for person_id, titles in titles_by_person.items():
            person = people[person_id]
            qid = f"work-{person_id}"
            answer = random.Random(qid).choice(sorted(titles))
            pool = [w.object for w in works if w.object not in titles]
            support = [w for w in works if w.subject_id == person_id and w.object == answer]
            if person.kind == "crew":
                text = f"Which of these dramas did {person.name} also direct?"
                category = "production"
            else:
                text = f"Which of these dramas do the articles connect with {person.name}?"
                category = "cast"
            self.add(qid, category, text, answer, pool, support)

    def show(self) -> None:
        count = self.where("show", "episode_count")
        if count:
            n = int(self.f.show["episode_count"])
            pool = [str(x) for x in (n * 2, n * 4, n + 2, 16) if x != n]
            self.add(
                "show-episodes",
                "production",
                "How many episodes does Soundtrack #1 have?",
                str(n),
                pool,
                count,
            )
        slot = self.where("show", "slot")
        if slot and "slot_day" in self.f.show:
            day = self.f.show["slot_day"]
            pool = [d for d in _WEEKDAYS if d != day]
            self.add(
                "show-weekday",
                "production",
                "On which day of the week did new episodes air?",
                day,
                pool,
                slot,
            )
        premiere = [
            f for f in self.where("show", "premiere") if f.object == self.f.show.get("premiere")
        ]
        if premiere:
            first = date.fromisoformat(self.f.show["premiere"])

            def spoken(d: date) -> str:
                return f"{d:%B} {d.day}, {d.year}"

            pool = [spoken(first + timedelta(days=k)) for k in (-28, -14, 35, 56)]
            self.add(
                "show-premiere",
                "production",
                "When did Soundtrack #1 premiere?",
                spoken(first),
                pool,
                premiere,
            )


def generate_questions(
    facts: FactSet, curated: Sequence[QuestionEntry], source_of: SourceFn, level_of: LevelFn
) -> list[Question]:
    """Template questions, then the curated ones; a curated question with a template's id
    replaces it (where the template's choice of wrong answers is arguable)."""
    curated_sources: list[tuple[QuestionEntry, Source, Source | None]] = []
    for q in curated:
        where = f"question {q.id!r}"
        source = source_of(q, where)
        context = None
        if q.context is not None:
            context = source_of(Quoted(q.document, q.context), f"{where} context")
            if context.sentence > source.sentence:
                raise BuildError(f"{where}: its context must come before the quote")
        curated_sources.append((q, source, context))
    cited = [f.source for f in facts.facts]
    cited += [s for _, source, context in curated_sources for s in (source, context) if s]
    citations = Citations(facts, cited)
    templates = _Templates(facts, citations)
    templates.cast()
    templates.ost()
    templates.production()
    templates.show()
    replaced = {q.id for q in curated}
    questions = [q for q in templates.questions if q.id not in replaced]
    for q, source, context in curated_sources:
        where = f"question {q.id!r}"
        problem = citations.problem(q.question, q.answer, q.wrong, source, context)
        if problem:
            raise BuildError(f"{where}: {problem}")
        level = level_of(source, q.spoiler)
        questions.append(
            Question(
                q.id,
                q.category,
                q.difficulty,
                q.question,
                q.answer,
                q.wrong,
                level.level,
                q.reason or level.reason,
                source,
                "curated",
            )
        )
    for attribute in ("id", "question"):
        values = [getattr(q, attribute) for q in questions]
        clashes = sorted({v for v in values if values.count(v) > 1})
        if clashes:
            raise BuildError(f"question {attribute}s used twice: {clashes}")
    return questions
