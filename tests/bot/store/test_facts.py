"""FactStore.songs_by: `/ost Davichi` finds the song its singer or writer is credited on."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.build import synthetic_corpus
from bot.facts.pipeline import build_store
from bot.store import FactStore, fts_query
from bot.store.records import HIGHLIGHT_END, HIGHLIGHT_START, DocumentInfo, Fact, SourceRef
from tests.helpers.data import CURATED_FILE, DOCUMENTS_DIR
from tests.helpers.inputs import CLASSIC_HOSTILE


async def test_songs_are_found_by_singer_and_writer(facts: FactStore) -> None:
    person, songs = facts.songs_by("davichi", min_score=70)
    assert person == "DAVICHI"
    assert [s.title for s in songs] == ["Your Tender Heart Hurts Me"]
    # Park Bo-ram wrote and sang one song: it is listed once.
    person, songs = facts.songs_by("park bo ram", min_score=70)
    assert (person, [s.title for s in songs]) == ("Park Bo-ram", ["Want to Be Happy"])
    assert facts.songs_by("Kyuhyn", min_score=70)[0] == "Kyuhyun"  # a typo is fine
    # Someone credited on no song (an actor), or no one at all: nothing.
    assert facts.songs_by("Han So-hee", min_score=70)[1] == []
    assert facts.songs_by("zzzz", min_score=70) == ("", [])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Han So-hee", "han-so-hee"),
        ("han so hee", "han-so-hee"),
        ("HANSOHEE", "han-so-hee"),
        ("Han So-he", "han-so-hee"),  # typo
        ("So Hee", "han-so-hee"),
        ("Park Hyungsik", "park-hyung-sik"),
        ("park hyung-sick", "park-hyung-sik"),  # typo
        ("Seon-woo", "han-seon-woo"),
        ("sunwoo", "han-seon-woo"),
        ("Eun-so", "lee-eun-soo"),
        ("Lee Eunsoo", "lee-eun-soo"),
        ("Kim Joo Hun", "kim-joo-heon"),
        ("Joo-heon", "kim-joo-heon"),
        ("Kang Woo Il", "kang-woo-il"),
        ("Jay Jun", "jay-jun"),
        ("Seo Inguk", "seo-in-guk"),
        ("Mari", "mari"),
        ("Gyeol Han", "gyeol-han"),
        ("Yoon Byung Hee", "yoon-byung-hee"),
        ("Dong-hyeon", "yoon-dong-hyeon"),
    ],
)
async def test_names_resolve_from_many_spellings(
    facts: FactStore, typed: str, expected: str
) -> None:
    matches = facts.find_names(typed)
    assert matches, typed
    assert matches[0].entity_id == expected
    assert all(a.score >= b.score for a, b in itertools.pairwise(matches))


async def test_name_lookup_ranks_and_limits(facts: FactStore) -> None:
    matches = facts.find_names("han", limit=25)
    assert 1 <= len(matches) <= 25
    assert {m.entity_id for m in matches} >= {"han-so-hee", "han-seon-woo"}
    assert facts.find_names("", limit=25) == []
    assert facts.find_names("zzzzqqqq") == []


async def test_cast_list_has_every_pair_in_billing_order(facts: FactStore) -> None:
    cast = await facts.cast()
    assert [(c.actor.name, c.name) for c in cast][:2] == [
        ("Park Hyung-sik", "Han Seon-woo"),
        ("Han So-hee", "Lee Eun-soo"),
    ]
    assert len(cast) == 7
    mentioned = await facts.people("mentioned")
    assert {p.name for p in mentioned} >= {"Song Kang", "Park Seo-joon", "Kim Seok-jin"}
    assert not any(p.is_cast for p in mentioned)


async def test_songs(facts: FactStore) -> None:
    songs = await facts.songs()
    assert [s.title for s in songs][:2] == ["Love Beyond Words", "Want to Be Happy"]
    happy = await facts.song("want-to-be-happy")
    assert happy is not None and happy.names("writer") == ["Park Bo-ram"]
    assert facts.find_songs("want to be hapy")[0].entity_id == "want-to-be-happy"
    assert facts.find_songs("tender heart")[0].entity_id == "your-tender-heart-hurts-me"


async def test_show_and_episodes(facts: FactStore) -> None:
    show = await facts.show()
    assert (show.platform, show.episode_count, show.director) == ("Disney+", 4, "Kim Hee-won")
    assert show.premiere is not None and show.premiere.isoformat() == "2022-03-23"
    episodes = await facts.episodes()
    assert [e.number for e in episodes] == [1, 2, 3, 4]
    assert episodes[0].air_time.tzinfo is not None


async def test_facts_filter_by_spoiler_level(facts: FactStore) -> None:
    safe = await facts.facts(subject_type="story", max_level=0)
    everything = await facts.facts(subject_type="story")
    assert all(f.spoiler_level == 0 for f in safe)
    assert any(f.spoiler_level == 4 for f in everything)
    assert len(everything) > len(safe)
    for fact in everything:
        assert fact.source.sentence and fact.source.document.title
        quote, sentence = (" ".join(t.split()) for t in (fact.source.quote, fact.source.sentence))
        # The quote lies within its sentence, or (quoting across a sentence end) starts it.
        assert quote in sentence or quote.startswith(sentence), fact


async def test_questions_filter(facts: FactStore) -> None:
    level0 = await facts.questions(max_level=0)
    every = await facts.questions()
    assert level0 and all(q.spoiler_level == 0 for q in level0)
    assert len(every) >= 40 and len(every) > len(level0)
    cast = await facts.questions(category="cast")
    assert cast and all(q.category == "cast" for q in cast)
    one = await facts.question(every[0].id)
    assert one == every[0]


async def test_search_finds_document_words_with_snippets(facts: FactStore) -> None:
    hits = await facts.search("mandarins")
    assert hits and "mandarins" in hits[0].text
    assert HIGHLIGHT_START in hits[0].snippet and HIGHLIGHT_END in hits[0].snippet
    assert hits[0].document.outlet == "Hallyu Reviews"
    assert hits[0].spoiler_level == 2
    ost = await facts.search("Who sings Love Beyond Words?")
    assert any("Kyuhyun" in h.text for h in ost)
    assert len(await facts.search("director", limit=3)) <= 3


@pytest.mark.parametrize("text", CLASSIC_HOSTILE)
async def test_hostile_search_input_never_raises(facts: FactStore, text: str) -> None:
    hits = await facts.search(text)
    assert len(hits) <= 3


async def test_fts_syntax_is_taken_literally(facts: FactStore) -> None:
    # Read as FTS5 syntax, "unrequited NOT love" would exclude every passage with "love";
    # quoted, NOT is just a word and the best passages have both words.
    hits = await facts.search("unrequited NOT love")
    assert any("unrequited" in h.text.lower() and "love" in h.text.lower() for h in hits)
    # "text:" is a column filter in FTS5; quoted it is the word "text".
    column_filter = await facts.search("text: mandarins")
    assert any("mandarins" in h.text for h in column_filter)
    assert any(" text " in h.text for h in column_filter)
    assert fts_query('love" OR "x') == '"love" OR "x"'
    assert fts_query("NEAR(seon woo)") == '"near" OR "seon" OR "woo"'
    assert fts_query("***") == ""


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
async def test_any_text_searches_without_error(facts: FactStore, text: str) -> None:
    await facts.search(text)
    facts.find_names(text)


async def test_documents_and_conflicts(facts: FactStore) -> None:
    documents = await facts.documents()
    assert len(documents) == 5
    assert sum(d.fact_count for d in documents) > 100
    review = next(d for d in documents if d.id == "hallyu-review")
    assert review.citation == "Soundtrack #1 (Hallyu Reviews)"
    conflicts = await facts.conflicts()
    assert any(c.topic == "premiere date" and c.chosen for c in conflicts)


TYPES = ("person", "character")


async def test_exact_name_is_find_names_best_for_every_alias(facts: FactStore) -> None:
    aliases = [(alias, t) for _, alias, t, _ in facts._aliases if t in TYPES]
    assert len(aliases) > 20
    for alias, _ in aliases:
        for typed in (alias, alias.lower(), alias.replace("-", " ")):
            exact = facts.exact_name(typed, TYPES)
            best = facts.find_names(typed, TYPES, limit=1)[0]
            assert exact == best, typed


async def test_exact_name_is_none_for_a_misspelling(facts: FactStore) -> None:
    assert facts.exact_name("Han So-heee", TYPES) is None
    assert facts.exact_name("Love Beyond Words", TYPES) is None  # a song, not a person
    assert facts.exact_name("", TYPES) is None


async def test_find_names_scores_every_alias_that_could_match(facts: FactStore) -> None:
    # The store looks only at aliases with a word starting as the typed name does and
    # keeps rankings; both must give what scoring every alias would.
    from bot.facts.names import name_score

    def every_alias(typed: str, types: tuple[str, ...]) -> list[tuple[str, str, float]]:
        best: dict[tuple[str, str], float] = {}
        for _, alias, entity_type, entity_id in facts._aliases:
            score = name_score(typed, alias) if entity_type in types else None
            if score is not None and score >= 60.0:
                key = (entity_type, entity_id)
                best[key] = max(best.get(key, 0.0), score)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], facts.name_of(*kv[0]) or ""))
        return [(t, i, round(s, 1)) for (t, i), s in ranked]

    typed_names = ["", "x", "park", "sunwoo", "hansohe", "Lee Min-ho", "eunso", "jennifer"]
    for _, alias, _, _ in facts._aliases:
        typed_names += [alias, alias[:3], alias[:-1], alias[:2] + alias[3:], *alias.split()]
    for types in (TYPES, ("person", "character", "song")):
        for typed in typed_names:
            found = facts.find_names(typed, types, limit=100)
            assert [(m.entity_type, m.entity_id, m.score) for m in found] == every_alias(
                typed, types
            ), typed
            found.clear()  # a caller's list is its own: the kept ranking is intact
            assert len(facts.find_names(typed, types, limit=100)) == len(every_alias(typed, types))


def _claim(fact: Fact) -> tuple[object, ...]:
    return (fact.subject_type, fact.subject_id, fact.predicate, fact.object, repr(fact.detail))


async def test_a_claim_many_sentences_make_is_one_fact_citing_them_all(
    facts: FactStore, tmp_path: Path
) -> None:
    """The documents copied twice more under new names: the same claims, each once, now
    citing three times the sources; nothing stored is lost."""
    tripled = build_store(
        synthetic_corpus(DOCUMENTS_DIR, tmp_path, 3), CURATED_FILE, tmp_path / "3x.db"
    )
    big = await FactStore.open(tmp_path / "3x.db")
    try:
        small_facts, big_facts = await facts.facts(), await big.facts()
        assert len({_claim(f) for f in big_facts}) == len(big_facts)  # each claim once
        assert sorted(map(_claim, big_facts)) == sorted(map(_claim, small_facts))
        assert sum(1 + len(f.also) for f in big_facts) == tripled.counts["facts"]
        cited_once = {_claim(f): len(list(f.sources_within(4))) for f in small_facts}
        tripled_claims = 0
        for fact in big_facts:
            cited = list(fact.sources_within(4))
            # An extracted sentence is cited by each copy (2 more), a curated one once.
            once = cited_once[_claim(fact)]
            assert len(cited) >= once and (len(cited) - once) % 2 == 0
            tripled_claims += len(cited) > once
            levels = [fact.spoiler_level, *(level for level, _ in fact.also)]
            assert levels == sorted(levels)  # the least spoilery sentence speaks for it
            if fact.spoiler_level > 0:  # nothing of a hidden claim is cited
                assert list(fact.sources_within(fact.spoiler_level - 1)) == []
        assert tripled_claims >= 15
    finally:
        await big.close()


def _fact_citing(levels: list[int]) -> Fact:
    document = DocumentInfo("d", "Title", None, None, None, None, None, None)
    sources = [SourceRef(document, f"sentence {n}", f"sentence {n}", n) for n in levels]
    also = tuple(zip(levels[1:], sources[1:], strict=True))
    return Fact(1, "plot", "episode", "1", "x", "y", {}, levels[0], "r", sources[0], also)


def test_a_claims_sources_are_cited_within_progress_only() -> None:
    fact = _fact_citing([1, 1, 3])
    assert [s.sentence for s in fact.sources_within(0)] == []
    assert [s.sentence for s in fact.sources_within(2)] == ["sentence 1", "sentence 1"]
    assert len(list(fact.sources_within(3))) == 3
