"""Assemble a FactSet from the documents, the extractors and the curated file."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from bot.facts.curated import Curated, Quoted, SpoilerRule, load_curated
from bot.facts.documents import Corpus, Document
from bot.facts.errors import BuildError
from bot.facts.extract import Extraction, extract
from bot.facts.model import (
    Alias,
    Character,
    ConflictClaim,
    CorpusCounts,
    Episode,
    FactRow,
    FactSet,
    Person,
    SentenceLevel,
    SentenceLevels,
    Song,
    SongCredit,
    Source,
)
from bot.facts.names import is_spelling_of, name_key, slug
from bot.facts.questions import generate_questions

# Who plays whom, and how a name is spelled, is not story content: these claims keep the
# level their entry sets (0) whatever the level of the sentence they are quoted from.
_CASTING_PREDICATES = {"played_by", "plays"}
# Offsets of the time zones the documents name, for deriving air times.
_ZONES = {"WIB": 7, "KST": 9, "UTC": 0}
WEEK = timedelta(days=7)


def _spans(document: Document, quote: str, where: str) -> list[tuple[int, int]]:
    """Where quote occurs in the document (white space runs may differ)."""
    pattern = re.compile(r"\s+".join(re.escape(word) for word in quote.split()))
    spans = [m.span() for m in pattern.finditer(document.text)]
    if not spans:
        raise BuildError(f"{where}: quote not found in {document.id!r}: {quote!r}")
    return spans


class _Quotes:
    """Finds quotes in the documents the curated file quotes, and the sentences they span."""

    def __init__(self, documents: list[Document]) -> None:
        self.documents = {d.id: d for d in documents}

    def spans(self, document_id: str, quote: str, where: str) -> list[tuple[int, int]]:
        document = self.documents.get(document_id)
        if document is None:
            raise BuildError(f"{where}: unknown document {document_id!r}")
        return _spans(document, quote, where)

    def sentences_at(self, document_id: str, span: tuple[int, int]) -> list[int]:
        start, end = span
        return [
            s.position
            for s in self.documents[document_id].sentences
            if s.start < end and start < s.end
        ]

    def source(self, entry: Quoted, where: str) -> Source:
        span = self.spans(entry.document, entry.quote, where)[0]
        return Source(entry.document, self.sentences_at(entry.document, span)[0], entry.quote)


def _rate_document(doc: Document, rules: list[SpoilerRule], levels: SentenceLevels) -> None:
    """Record the curated ratings of one document's sentences (the rest keep its default)."""
    levels.defaults[doc.id] = doc.spoiler_default
    # Paragraph rules first, so the more specific sentence rules win.
    for scope in ("paragraph", "sentence"):
        for rule in (r for r in rules if r.scope == scope):
            units = doc.paragraphs if scope == "paragraph" else doc.sentences
            hits = []
            for span in _spans(doc, rule.quote, rule.label):
                for unit in units:
                    if unit.start <= span[0] < unit.end and unit not in hits:
                        hits.append(unit)
            exact = [u for u in hits if " ".join(u.text.split()) == " ".join(rule.quote.split())]
            if len(hits) > 1 and not rule.all:
                if len(exact) != 1:
                    raise BuildError(
                        f"{rule.label}: quote matches {len(hits)} {scope}s;"
                        " quote more, or set all = true"
                    )
                hits = exact
            for unit in hits:
                for sentence in getattr(unit, "sentences", (unit,)):
                    levels.rated[(doc.id, sentence.position)] = SentenceLevel(
                        rule.level, rule.reason
                    )


class _Builder:
    def __init__(self, corpus: Corpus, curated: Curated) -> None:
        self.curated = curated
        self.index: dict[str, tuple[str, str]] = {}  # name key -> (entity type, id)
        self.spellings: dict[tuple[str, str], dict[str, Source]] = defaultdict(dict)
        self.fact_keys: set[tuple[str, str, str, str, Source]] = set()
        # One pass over the corpus, one document in memory at a time: what is kept is its
        # extractions, its curated ratings, and the documents the curated file quotes.
        rules: dict[str, list[SpoilerRule]] = defaultdict(list)
        for rule in curated.spoilers:
            rules[rule.document].append(rule)
        quoted = curated.documents()
        levels = SentenceLevels()
        kept: list[Document] = []
        self.extractions: list[Extraction] = []
        documents = passages = sentences = 0
        for doc in corpus:
            documents += 1
            passages += len(doc.paragraphs)
            sentences += sum(len(p.sentences) for p in doc.paragraphs)
            _rate_document(doc, rules.get(doc.id, []), levels)
            self.extractions.extend(extract(doc))
            if doc.id in quoted:
                kept.append(doc)
        if not documents:
            raise BuildError(f"no documents in {corpus.directory}")
        for rule in curated.spoilers:
            if rule.document not in levels.defaults:
                raise BuildError(f"{rule.label}: unknown document {rule.document!r}")
        self.quotes = _Quotes(kept)
        self.facts = FactSet(corpus, CorpusCounts(documents, passages, sentences), levels)

    # -- helpers ----------------------------------------------------------------------
    def level_of(self, source: Source, minimum: int = 0, casting: bool = False) -> SentenceLevel:
        sentence = self.facts.sentence_levels[(source.document_id, source.sentence)]
        if casting:
            return SentenceLevel(minimum, "casting and names are not story content", "fact")
        if minimum > sentence.level:
            return SentenceLevel(minimum, f"rated episode {minimum} in curated.toml", "fact")
        return sentence

    def add_fact(
        self,
        subject: tuple[str, str],
        category: str,
        predicate: str,
        obj: str,
        source: Source,
        origin: str,
        minimum: int = 0,
        reason: str = "",
        detail: Mapping[str, object] | None = None,
        casting: bool = False,
    ) -> FactRow:
        casting = casting or predicate in _CASTING_PREDICATES
        level = self.level_of(source, minimum, casting=casting)
        row = FactRow(
            category=category,
            subject_type=subject[0],
            subject_id=subject[1],
            predicate=predicate,
            object=obj,
            level=level.level,
            reason=reason or level.reason,
            source=source,
            origin=origin,
            detail=dict(detail or {}),
        )
        key = (row.subject_type, row.subject_id, row.predicate, row.object, row.source)
        if key not in self.fact_keys:
            self.fact_keys.add(key)
            self.facts.facts.append(row)
        return row

    def register(
        self, entity_type: str, entity_id: str, name: str, source: Source, origin: str
    ) -> None:
        key = name_key(name)
        owner = self.index.get(key)
        if owner is not None and owner != (entity_type, entity_id):
            if origin == "derived":
                return  # a derived given name that another entity already has: ambiguous
            raise BuildError(f"name {name!r} belongs to both {owner[1]!r} and {entity_id!r}")
        self.index[key] = (entity_type, entity_id)
        if all(a.key != key or a.entity_id != entity_id for a in self.facts.aliases):
            self.facts.aliases.append(Alias(name, key, entity_type, entity_id, source, origin))
        # Spelling conflicts are about how the documents write a name, so only literal
        # occurrences count (the store's own spelling may appear nowhere).
        if entity_type != "song" and name in " ".join(source.quote.split()):
            self.spellings[(entity_type, entity_id)].setdefault(name, source)

    def resolve(self, name: str, entity_type: str) -> str | None:
        found = self.index.get(name_key(name))
        return found[1] if found and found[0] == entity_type else None

    # -- entities ---------------------------------------------------------------------
    def load_curated_entities(self) -> None:
        c = self.curated
        for p in c.people:
            source = self.quotes.source(p, f"person {p.id!r}")
            self.facts.people[p.id] = Person(p.id, p.name, p.kind, source)
            self.register("person", p.id, p.name, source, "curated")
        for ch in c.characters:
            source = self.quotes.source(ch, f"character {ch.id!r}")
            self.facts.characters[ch.id] = Character(ch.id, ch.name, source)
            self.register("character", ch.id, ch.name, source, "curated")
        for entity_type, entries in (("person", c.people), ("character", c.characters)):
            for entry in entries:
                for a in entry.aliases:
                    where = f"{entity_type} {entry.id!r} alias {a.alias!r}"
                    source = self.quotes.source(a, where)
                    if name_key(a.alias) not in name_key(" ".join(source.quote.split())):
                        raise BuildError(f"{where}: the quote does not contain the alias")
                    # Suggestions rest on aliases, so an alias must be a spelling: a name
                    # the story gives ("Jennifer") would let a search link to a reveal.
                    if not is_spelling_of(a.alias, entry.name):
                        raise BuildError(
                            f"{where}: not a spelling of {entry.name!r} (it shares no part"
                            " of the name); a name the story gives is story content"
                        )
                    self.register(entity_type, entry.id, a.alias, source, "curated")
        for s in c.songs:
            source = self.quotes.source(s, f"song {s.id!r}")
            self.facts.songs[s.id] = Song(s.id, s.title, source)
            self.register("song", s.id, s.title, source, "curated")

    def source_of(self, e: Extraction) -> Source:
        return Source(e.document_id, e.sentence.position, e.sentence.text)

    def person(self, name: str, kind: str, source: Source) -> str:
        person_id = self.resolve(name, "person")
        if person_id is None:
            person_id = slug(name)
            self.facts.people[person_id] = Person(person_id, name, kind, source)
        elif kind == "cast" and self.facts.people[person_id].kind != "cast":
            self.facts.people[person_id].kind = "cast"
        self.register("person", person_id, name, source, "extracted")
        return person_id

    def apply_roles(self) -> None:
        for e in (x for x in self.extractions if x.kind == "role"):
            source = self.source_of(e)
            actor_id = self.person(e.values["actor"], "cast", source)
            character_id = self.resolve(e.values["character"], "character")
            if character_id is None:
                character_id = slug(e.values["character"])
                self.facts.characters[character_id] = Character(
                    character_id, e.values["character"], source
                )
            self.register("character", character_id, e.values["character"], source, "extracted")
            character = self.facts.characters[character_id]
            if character.actor_id not in (None, actor_id):
                raise BuildError(
                    f"{character.name!r} is played by both {character.actor_id!r} and "
                    f"{actor_id!r} ({e.document_id}: {e.sentence.text!r})"
                )
            character.actor_id = actor_id
            actor_name = self.facts.people[actor_id].name
            self.add_fact(
                ("character", character_id), "cast", "played_by", actor_name, source, "extracted"
            )

    def apply_songs(self) -> None:
        for e in (x for x in self.extractions if x.kind == "song"):
            source = self.source_of(e)
            song_id = self.resolve(e.values["title"], "song")
            if song_id is None:
                song_id = slug(e.values["title"])
                self.facts.songs[song_id] = Song(song_id, e.values["title"], source)
                self.register("song", song_id, e.values["title"], source, "extracted")
            song = self.facts.songs[song_id]
            if "order" in e.values:
                song.release_order = int(e.values["order"])
                self.add_fact(
                    ("song", song_id),
                    "ost",
                    "release_order",
                    e.values["order"],
                    source,
                    "extracted",
                )
                continue
            artist_id = self.person(e.values["artist"], "artist", source)
            if e.values.get("group"):
                self.add_fact(
                    ("person", artist_id),
                    "ost",
                    "member_of",
                    e.values["group"],
                    source,
                    "extracted",
                )
                continue
            credit = SongCredit(song_id, artist_id, e.values["credit"], source)
            if all(
                (c.song_id, c.person_id, c.credit) != (song_id, artist_id, credit.credit)
                for c in self.facts.credits
            ):
                self.facts.credits.append(credit)
            predicate = "sung_by" if credit.credit == "singer" else "written_by"
            self.add_fact(
                ("song", song_id),
                "ost",
                predicate,
                self.facts.people[artist_id].name,
                source,
                "extracted",
            )

    def apply_curated_facts(self) -> None:
        known: dict[str, Mapping[str, object]] = {
            "person": self.facts.people,
            "character": self.facts.characters,
            "song": self.facts.songs,
        }
        for f in self.curated.facts:
            kind, _, ident = f.subject.partition(":")
            if kind in known and ident not in known[kind]:
                raise BuildError(f"{f.label}: unknown {kind} {ident!r}")
            if kind == "episode" and not ident.isdigit():
                raise BuildError(f"{f.label}: episode subjects look like 'episode:2'")
            if kind not in (*known, "episode", "show", "story"):
                raise BuildError(f"{f.label}: unknown subject {f.subject!r}")
            source = self.quotes.source(f, f.label)
            self.add_fact(
                (kind, ident or kind),
                f.category,
                f.predicate,
                f.object,
                source,
                "curated",
                minimum=f.spoiler,
                reason=f.reason,
                detail=f.detail,
                casting=f.casting,
            )

    def add_given_names(self) -> None:
        """Fans say "Seon-woo" or "So-hee": every three-part name's given name is an alias."""
        for alias in list(self.facts.aliases):
            if alias.entity_type == "song":
                continue
            parts = alias.alias.split(" ")
            if len(parts) == 3 or (len(parts) == 2 and "-" in parts[1]):
                given = " ".join(parts[1:])
                self.register(alias.entity_type, alias.entity_id, given, alias.source, "derived")

    # -- the show ---------------------------------------------------------------------
    def apply_show(self) -> None:
        show = self.facts.show
        show["title"] = next(
            (
                f.object
                for f in self.facts.facts
                if f.subject_type == "show" and f.predicate == "title"
            ),
            "Soundtrack #1",
        )
        by_kind: dict[str, list[Extraction]] = defaultdict(list)
        for e in self.extractions:
            by_kind[e.kind].append(e)
        for e in by_kind["crew"]:
            source = self.source_of(e)
            person_id = self.person(e.values["name"], "crew", source)
            name = self.facts.people[person_id].name
            self.add_fact(
                ("show", "show"), "production", e.values["role"], name, source, "extracted"
            )
            show.setdefault(e.values["role"], name)
        if platform := self.record_claims(by_kind["platform"], "platform", "platform"):
            show["platform"] = platform
        if count := self.record_claims(by_kind["episode_count"], "episode_count", "count"):
            show["episode_count"] = count
        for e in by_kind["slot"]:
            value = f"{e.values['day']} {e.values['time']} {e.values['zone']}"
            self.add_fact(
                ("show", "show"),
                "show",
                "slot",
                value,
                self.source_of(e),
                "extracted",
                detail=e.values,
            )
            show.setdefault("slot_day", e.values["day"])
            show.setdefault("slot_time", e.values["time"])
            show.setdefault("slot_zone", e.values["zone"])
        dated = [e for e in by_kind["premiere"] if e.values["date"]]
        for e in by_kind["premiere"]:
            value = e.values["date"] or f"--{e.values['month_day']}"
            self.add_fact(
                ("show", "show"), "show", "premiere", value, self.source_of(e), "extracted"
            )
        chosen = next(
            (c.chosen for c in self.curated.conflicts if c.topic == "premiere date"), None
        )
        if chosen is None and dated:
            chosen = Counter(e.values["date"] for e in dated).most_common(1)[0][0]
        if chosen:
            show["premiere"] = chosen
        genres = [
            f.object
            for f in self.facts.facts
            if f.subject_type == "show" and f.predicate == "genre"
        ]
        show["genre"] = ", ".join(dict.fromkeys(genres))

    def record_claims(self, found: list[Extraction], predicate: str, key: str) -> str | None:
        """Store every extracted claim about the show; return the one most documents make."""
        for e in found:
            self.add_fact(
                ("show", "show"), "show", predicate, e.values[key], self.source_of(e), "extracted"
            )
        votes = Counter(e.values[key] for e in found)
        return votes.most_common(1)[0][0] if votes else None

    def derive_episodes(self) -> None:
        show = self.facts.show
        if "premiere" not in show or "episode_count" not in show:
            return
        premiere = datetime.fromisoformat(show["premiere"])
        derived_time = "slot_time" in show and show.get("slot_zone") in _ZONES
        if derived_time:
            hour, minute = (int(x) for x in show["slot_time"].split(":"))
            zone = timezone(timedelta(hours=_ZONES[show["slot_zone"]]))
            first = premiere.replace(hour=hour, minute=minute, tzinfo=zone)
        else:
            first = premiere.replace(tzinfo=UTC)
        for n in range(1, int(show["episode_count"]) + 1):
            air = (first + (n - 1) * WEEK).astimezone(UTC)
            if n == 1:
                basis = "premiere date from the documents"
                basis += "; time from the weekly slot (derived)" if derived_time else ""
            else:
                basis = (
                    f"derived: premiere + {n - 1} week(s), one episode a week in the weekly slot"
                )
            self.facts.episodes.append(Episode(n, air.isoformat(), n > 1 or derived_time, basis))

    # -- conflicts --------------------------------------------------------------------
    def record_conflicts(self) -> None:
        for c in self.curated.conflicts:
            for claim in c.claims:
                source = self.quotes.source(claim, f"conflict {c.topic!r}")
                self.facts.conflicts.append(
                    ConflictClaim(c.topic, claim.value, claim.value == c.chosen, c.why, source)
                )
            if not any(claim.value == c.chosen for claim in c.claims):
                raise BuildError(f"conflict {c.topic!r}: chosen {c.chosen!r} is none of its claims")
        for (entity_type, entity_id), spellings in self.spellings.items():
            # Compare full names with full names: "Eun-so" is a short form, not a spelling
            # of "Lee Eun-soo".
            longest = max(len(s.replace("-", " ").split()) for s in spellings)
            full = {
                s: src
                for s, src in spellings.items()
                if len(s.replace("-", " ").split()) == longest
            }
            if len(full) < 2:
                continue
            chosen = (self.facts.people if entity_type == "person" else self.facts.characters)[
                entity_id
            ].name
            literal = chosen in full
            for spelling, source in full.items():
                self.facts.conflicts.append(
                    ConflictClaim(
                        f"spelling of {chosen}",
                        spelling,
                        spelling == chosen if literal else name_key(spelling) == name_key(chosen),
                        f"the store spells it {chosen!r}; every spelling is an alias",
                        source,
                    )
                )

    def build(self) -> FactSet:
        self.load_curated_entities()
        self.apply_roles()
        self.apply_songs()
        self.apply_curated_facts()
        self.apply_show()
        self.add_given_names()
        self.derive_episodes()
        self.record_conflicts()
        self.facts.questions = generate_questions(
            self.facts, self.curated.questions, self.quotes.source, self.level_of
        )
        self.check_levels()
        return self.facts

    def check_levels(self) -> None:
        """No sentence, fact or question is rated past the show's last episode: a spoiler
        level is the episode a viewer must have seen, and the store's episodes bound it."""
        last = len(self.facts.episodes)
        rated = [
            *(
                (f"sentence {pos} of {doc}", lv.level)
                for (doc, pos), lv in self.facts.sentence_levels.rated.items()
            ),
            *(
                (f"the default level of {doc}", level)
                for doc, level in self.facts.sentence_levels.defaults.items()
            ),
            *(
                (f"fact {f.subject_id} {f.predicate} from {f.source.document_id}", f.level)
                for f in self.facts.facts
            ),
            *((f"question {q.id}", q.level) for q in self.facts.questions),
        ]
        for where, level in rated:
            if level > last:
                raise BuildError(
                    f"{where}: spoiler level {level} is past the last episode ({last})"
                )


def build_factset(
    documents_dir: Path,
    curated_file: Path,
    on_document: Callable[[int, int], None] | None = None,
) -> FactSet:
    """Read everything and return the FactSet; raises BuildError/CuratedError/DocumentError.
    Its documents are read again from documents_dir when they are iterated;
    on_document(done, total) reports each document of the first pass."""
    return _Builder(Corpus(documents_dir, on_document), load_curated(curated_file)).build()
