"""The built store, checked against the real documents."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.facts.build import BuildError, build_factset
from bot.facts.curated import CuratedError
from bot.facts.model import FactSet
from bot.facts.pipeline import BuildSummary, build_store, ensure_store
from tests.helpers.cli import run_cli
from tests.helpers.data import CURATED_FILE, DOCUMENTS_DIR

CAST = {
    "Park Hyung-sik": ("Han Seon-woo", "photographer"),
    "Han So-hee": ("Lee Eun-soo", "lyricist"),
    "Kim Joo-heon": ("Kang Woo-il", "composer"),
    "Seo In-guk": ("Jay Jun", "K-pop artist"),
    "Park Min-jung": ("Mari", None),
    "Park Hoon": ("Gyeol Han", None),
    "Yoon Byung-hee": ("Yoon Dong-hyeon", "manager"),
}
MENTIONED_ONLY = ["Song Kang", "Park Seo-joon", "Kim Seok-jin", "Apeksha Bagchi", "Hatsuko"]


@pytest.fixture(scope="module")
def factset() -> FactSet:
    return build_factset(DOCUMENTS_DIR, CURATED_FILE)


def db(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path)


def test_summary_counts(built_store: tuple[Path, BuildSummary]) -> None:
    counts = built_store[1].counts
    assert counts["documents"] == 5
    assert counts["cast"] == len(CAST) == counts["characters"]
    assert counts["songs"] == 3
    assert counts["episodes"] == 4
    assert counts["questions"] >= 40
    assert counts["conflicts"] >= 3
    assert counts["passages"] > 100


def test_every_cast_pair_and_job(factset: FactSet) -> None:
    people = factset.people
    pairs = {people[c.actor_id].name: c.name for c in factset.characters.values() if c.actor_id}
    assert pairs == {actor: character for actor, (character, _) in CAST.items()}
    jobs = {(f.subject_id, f.object) for f in factset.facts if f.predicate == "occupation"}
    for actor, (character, job) in CAST.items():
        character_id = next(c.id for c in factset.characters.values() if c.name == character)
        if job:
            assert (character_id, job) in jobs, (actor, job)


def test_mentioned_people_are_not_cast(factset: FactSet) -> None:
    by_name = {p.name: p for p in factset.people.values()}
    actors = {c.actor_id for c in factset.characters.values()}
    for name in MENTIONED_ONLY:
        assert by_name[name].kind in ("mentioned", "author")
        assert by_name[name].id not in actors


@pytest.mark.parametrize(
    ("spelling", "entity_id"),
    [
        ("Seon-woo", "han-seon-woo"),
        ("Sun-woo", "han-seon-woo"),
        ("Seon Woo", "han-seon-woo"),
        ("Han Sun-woo", "han-seon-woo"),
        ("Eun-soo", "lee-eun-soo"),
        ("Eun-so", "lee-eun-soo"),
        ("Eun Soo", "lee-eun-soo"),
        ("Lee Eun-so", "lee-eun-soo"),
        ("Joo-heon", "kim-joo-heon"),
        ("Joo Hun", "kim-joo-heon"),
        ("Kim Joo Hun", "kim-joo-heon"),
        ("So-hee", "han-so-hee"),
        ("So Hee", "han-so-hee"),
        ("Park Hyung Sik", "park-hyung-sik"),
        ("Woo-il", "kang-woo-il"),
        ("Dong Hyeon", "yoon-dong-hyeon"),
    ],
)
def test_every_spelling_is_an_alias(factset: FactSet, spelling: str, entity_id: str) -> None:
    from bot.facts.names import name_key

    owners = {a.entity_id for a in factset.aliases if a.key == name_key(spelling)}
    assert owners == {entity_id}


def test_show_facts(factset: FactSet) -> None:
    show = factset.show
    assert show["platform"] == "Disney+"
    assert show["premiere"] == "2022-03-23"
    assert show["episode_count"] == "4"
    assert (show["slot_day"], show["slot_time"], show["slot_zone"]) == ("Wednesday", "14:00", "WIB")
    assert show["director"] == "Kim Hee-won"
    assert show["writer"] == "Ahn Sae-bom"
    works = {
        f.object for f in factset.facts if f.subject_id == "kim-hee-won" and f.predicate == "work"
    }
    assert works == {"Money Flower", "The Crowned Clown", "Vincenzo"}
    assert "romance music drama" in show["genre"]


def test_songs_and_artists(factset: FactSet) -> None:
    titles = {s.id: s.title for s in factset.songs.values()}
    assert set(titles.values()) == {
        "Love Beyond Words",
        "Want to Be Happy",
        "Your Tender Heart Hurts Me",
    }
    credits = {(c.song_id, factset.people[c.person_id].name, c.credit) for c in factset.credits}
    assert ("love-beyond-words", "Kyuhyun", "singer") in credits
    assert ("want-to-be-happy", "Park Bo-ram", "singer") in credits
    assert ("want-to-be-happy", "Park Bo-ram", "writer") in credits
    assert ("your-tender-heart-hurts-me", "DAVICHI", "singer") in credits
    assert factset.songs["love-beyond-words"].release_order == 1
    assert factset.songs["want-to-be-happy"].release_order == 2


def test_episodes_mark_what_is_derived(factset: FactSet) -> None:
    assert [e.number for e in factset.episodes] == [1, 2, 3, 4]
    first = factset.episodes[0]
    assert first.air_time.startswith("2022-03-23T07:00")  # 14.00 WIB
    assert factset.episodes[1].air_time.startswith("2022-03-30")
    assert all(e.derived for e in factset.episodes[1:])
    assert all("derived" in e.basis for e in factset.episodes[1:])


def _sentence_text(factset: FactSet, document_id: str, position: int) -> str:
    doc = next(d for d in factset.documents if d.id == document_id)
    return doc.sentences[position].text


def test_every_claim_has_a_source_sentence_in_its_document(factset: FactSet) -> None:
    texts = {d.id: d.text for d in factset.documents}
    sources = (
        [f.source for f in factset.facts]
        + [q.source for q in factset.questions]
        + [a.source for a in factset.aliases]
        + [c.source for c in factset.conflicts]
    )
    for source in sources:
        sentence = _sentence_text(factset, source.document_id, source.sentence)
        assert sentence in texts[source.document_id]
        assert " ".join(source.quote.split()) in " ".join(texts[source.document_id].split())


def test_store_sentences_are_in_their_documents(built_store: tuple[Path, BuildSummary]) -> None:
    with db(built_store[0]) as conn:
        rows = conn.execute(
            "SELECT s.text, d.text FROM facts f JOIN sentences s ON s.id = f.sentence_id"
            " JOIN documents d ON d.id = s.document_id"
            " UNION ALL SELECT s.text, d.text FROM questions q JOIN sentences s"
            " ON s.id = q.sentence_id JOIN documents d ON d.id = s.document_id"
        ).fetchall()
    assert len(rows) > 100
    assert all(sentence in document for sentence, document in rows)


def test_questions_are_well_formed(factset: FactSet) -> None:
    questions = factset.questions
    assert len(questions) >= 40
    assert {q.category for q in questions} == {"cast", "characters", "ost", "production", "plot"}
    for q in questions:
        options = {q.answer.casefold(), *(w.casefold() for w in q.wrong)}
        assert len(options) == 4, q.id
        assert q.difficulty in ("easy", "medium", "hard")
        assert 0 <= q.level <= 4
    assert len({q.id for q in questions}) == len(questions)
    assert len({q.question for q in questions}) == len(questions)  # no two read alike


def test_spoiler_levels_follow_the_story(factset: FactSet) -> None:
    beats = {f.source.quote: f for f in factset.facts if f.predicate in ("beat", "known")}
    ending = next(f for q, f in beats.items() if "first and only kiss" in q)
    assert ending.level == 4
    assert all(f.level == 0 for f in factset.facts if f.predicate == "played_by")
    # The review's ending sentences are never rated below episode 4.
    review = next(d for d in factset.documents if d.id == "hallyu-review")
    for s in review.sentences:
        if "K-drama ends with" in s.text or "returns to Korea after a year" in s.text:
            assert factset.sentence_levels[(review.id, s.position)].level == 4
    # Every level keeps its reason.
    assert all(f.reason for f in factset.facts)


def test_conflicts_keep_both_sides(factset: FactSet) -> None:
    premiere = [c for c in factset.conflicts if c.topic == "premiere date"]
    assert {c.source.document_id for c in premiere} >= {"friends-to-lovers", "five-facts"}
    assert [c.value for c in premiere if c.chosen] == ["2022-03-23"]
    spellings = {c.value for c in factset.conflicts if c.topic == "spelling of Han Seon-woo"}
    assert {"Han Seon-woo", "Han Sun-woo"} <= spellings


def test_a_new_document_is_picked_up(data_copy: tuple[Path, Path], tmp_path: Path) -> None:
    documents, curated = data_copy
    (documents / "zz_new.txt").write_text(
        "Extra news\n\nIn a special episode, Lee Min Ho (as Cha Jun Ho) visits the studio.\n",
        encoding="utf-8",
    )
    facts = build_factset(documents, curated)
    assert {d.id for d in facts.documents} >= {"zz-new"}
    new = next(c for c in facts.characters.values() if c.name == "Cha Jun Ho")
    assert facts.people[new.actor_id].name == "Lee Min Ho"  # type: ignore[index]


def test_rebuild_happens_only_when_sources_change(
    data_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    documents, curated = data_copy
    path = tmp_path / "facts.db"
    assert ensure_store(documents, curated, path) is not None  # missing: built
    assert ensure_store(documents, curated, path) is None  # unchanged: kept
    with (documents / "000_e3a7310c7faa6f59.txt").open("a", encoding="utf-8") as f:
        f.write("\nOne more line.\n")
    assert ensure_store(documents, curated, path) is not None  # changed: rebuilt
    path.write_bytes(b"not a database")
    assert ensure_store(documents, curated, path) is not None  # corrupt: rebuilt


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'quote = "He knows she dislikes mandarins."',
            'quote = "He knows she dislikes durians."',
            r"question 'mandarins': quote not found in 'hallyu-review'",
        ),
        (
            'quote = "Seon Woo also knows Eun Soo’s habits."',
            'quote = "Seon Woo also knows Eun Soo’s hobbies."',
            r"fact #\d+ \(character:han-seon-woo trait\): quote not found",
        ),
        (
            'question = "Which fruit does Eun-soo dislike?"',
            'question = "What does Eun-soo prefer to watch?"',
            r"question questions used twice: \['What does Eun-soo prefer to watch\?'\]",
        ),
        (
            'subject = "character:mari"',
            'subject = "character:marie"',
            r"unknown character 'marie'",
        ),
        (  # the store's episodes bound every spoiler level (the show has four)
            'two wearing high school uniforms."\nlevel = 2',
            'two wearing high school uniforms."\nlevel = 5',
            r"spoiler level 5 is past the last episode \(4\)",
        ),
        (
            'id = "mandarins"\ncategory = "characters"',
            'id = "mandarins"\ncategory = "gossip"',
            r"question 'mandarins': 'category' must be one of",
        ),
        (
            'quote = "Courtesy of"\nall = true',
            'quote = "Courtesy of"',
            r"spoiler #\d+ \('Courtesy of'\): quote matches \d+ sentences",
        ),
        (
            '{ alias = "Sun-woo", document = "friends-to-lovers"',
            '{ alias = "Sunny", document = "friends-to-lovers"',
            r"character 'han-seon-woo' alias 'Sunny': the quote does not contain the alias",
        ),
    ],
)
def test_a_bad_curated_entry_fails_the_build_naming_it(
    data_copy: tuple[Path, Path], tmp_path: Path, old: str, new: str, message: str
) -> None:
    documents, curated = data_copy
    text = curated.read_text(encoding="utf-8")
    assert old in text
    curated.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises((BuildError, CuratedError), match=message):
        build_store(documents, curated, tmp_path / "facts.db")
    assert not (tmp_path / "facts.db").exists()  # nothing half-built


UNRATED = "A sentence nobody has rated yet."


def level_of(factset: FactSet, document_id: str, starts: str) -> tuple[int, str, str]:
    doc = next(d for d in factset.documents if d.id == document_id)
    hits = [s for s in doc.sentences if s.text == starts] or [
        s for s in doc.sentences if s.text.startswith(starts)
    ]
    assert len(hits) == 1, (document_id, starts, len(hits))
    rated = factset.sentence_levels[(document_id, hits[0].position)]
    return rated.level, rated.reason, rated.origin


def test_every_sentence_of_the_five_documents_is_rated(factset: FactSet) -> None:
    assert factset.default_rated() == []


@pytest.mark.parametrize(
    ("document_id", "starts"),
    [
        ("hallyu-review", "Soundtrack"),  # a heading
        ("hallyu-review", "Final verdict: WATCH"),
        ("hallyu-review", "“Soundtrack #1” is a definite WATCH."),
        ("hallyu-review", "I will say that the default for the audio was dubbed English"),
        ("hallyu-review", "As an American who has not experienced a draft"),
        ("hallyu-review", "(Author’s note: This scene hits a little different"),
        ("hallyu-review", "ARMYs all around the world"),
        ("hallyu-review", "(Author’s note: as a professional photographer"),
        ("hallyu-review", "Courtesy of Ayo Semarang"),
        ("star-today-interview", "Apeksha Bagchi"),
        ("star-today-interview", "Edited by Siddharth Satish"),
        ("star-today-interview", "More from Sportskeeda"),
        ("five-facts", "Hatsuko A word after a word"),
        ("five-facts", "2. Synopsis Soundtrack #1"),
        ("four-reasons", "◆ Director Kim Hee-won’s proven directing ability!"),
        ("friends-to-lovers", "RELATED: Netflix Unleashes"),
    ],
)
def test_non_story_text_is_level_0_with_a_reason(
    factset: FactSet, document_id: str, starts: str
) -> None:
    level, reason, origin = level_of(factset, document_id, starts)
    assert (level, origin) == (0, "curated")
    assert reason and "default" not in reason


@pytest.mark.parametrize(
    ("starts", "level"),
    [
        ("The two share a sweet kiss", 4),
        ("But when Seon Woo attempts to confess his feelings", 4),
        ("Alone in the coffee shop where she works", 4),  # next to the draft aside
        ("The scene cuts to Eun Soo in the present day", 4),  # next to the note on Jin
        ("Seon Woo’s preference for singularity", 2),  # next to the photographer's note
        ("When she talks to Mari and Gyeol Han", 3),
        ("Eun Soo is very interested in “Jennifer,”", 1),
    ],
)
def test_story_keeps_its_level(factset: FactSet, starts: str, level: int) -> None:
    assert level_of(factset, "hallyu-review", starts)[:2][0] == level


def test_a_place_in_the_cast_is_level_0_though_its_sentence_tells_story(
    factset: FactSet,
) -> None:
    manager = [
        f for f in factset.facts if f.subject_id == "yoon-dong-hyeon" and f.predicate != "played_by"
    ]
    assert {(f.predicate, f.object, f.level) for f in manager} == {
        ("occupation", "manager", 0),
        ("description", "Seon-woo's manager.", 0),
    }
    source = manager[0].source
    assert factset.sentence_levels[(source.document_id, source.sentence)].level == 2
    assert all("cast" in f.reason for f in manager)
    love = next(f for f in factset.facts if f.object == "A potential love interest for Eun-soo.")
    assert love.level == 1  # story, not cast information


def test_a_casting_fact_needs_a_reason_and_no_spoiler_level(data_copy: tuple[Path, Path]) -> None:
    documents, curated = data_copy
    text = curated.read_text(encoding="utf-8")
    old = 'quote = "When his manager, Yoon Dong Hyeon (Yoon Byung Hee)"\n'
    assert text.count(old) == 1
    curated.write_text(text.replace(old, old + "spoiler = 2\n"), encoding="utf-8")
    with pytest.raises(CuratedError, match="casting fact needs a reason and no spoiler level"):
        build_factset(documents, curated)


def _add_unrated_sentence(documents: Path) -> None:
    review = documents / "004_ad5a5425f50611e9.txt"
    review.write_text(review.read_text(encoding="utf-8") + f"\n\n{UNRATED}\n", encoding="utf-8")


def test_the_report_lists_a_sentence_at_its_documents_default(
    data_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    documents, curated = data_copy
    _add_unrated_sentence(documents)
    summary = build_store(documents, curated, tmp_path / "facts.db")
    assert [(u.document_id, u.level, u.text) for u in summary.default_rated] == [
        ("hallyu-review", 4, UNRATED)
    ]


def test_build_output_and_json_carry_the_report(
    data_copy: tuple[Path, Path], tmp_path: Path
) -> None:
    documents, curated = data_copy
    env = {
        "DOCUMENTS_DIR": str(documents),
        "CURATED_FILE": str(curated),
        "FACTS_DB": str(tmp_path / "facts.db"),
    }
    clean = json.loads(run_cli("build", "--json", env=env).stdout)
    assert clean["default_rated"] == 0 and clean["default_rated_sentences"] == []
    _add_unrated_sentence(documents)
    report = json.loads(run_cli("build", "--json", env=env).stdout)
    assert report["default_rated"] == 1
    assert report["default_rated_sentences"][0]["text"] == UNRATED
    assert report["default_rated_sentences"][0]["document"] == "hallyu-review"
    text = run_cli("build", env=env).stdout
    assert "1 sentence(s) at their document's default level" in text and UNRATED in text
