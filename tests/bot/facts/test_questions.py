"""Trivia questions: the audit's defects stay fixed, and the build catches their kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.facts.build import build_factset
from bot.facts.errors import BuildError
from bot.facts.model import FactSet, Question
from bot.facts.questions import Citations
from tests.helpers.data import CURATED_FILE, DOCUMENTS_DIR


@pytest.fixture(scope="module")
def factset() -> FactSet:
    return build_factset(DOCUMENTS_DIR, CURATED_FILE)


def question(factset: FactSet, qid: str) -> Question:
    return next(q for q in factset.questions if q.id == qid)


def cited(factset: FactSet, q: Question) -> str:
    doc = next(d for d in factset.documents if d.id == q.source.document_id)
    return doc.sentences[q.source.sentence].text


def test_every_question_names_its_subject_and_keeps_wrong_answers_of_its_kind(
    factset: FactSet,
) -> None:
    templated = [q for q in factset.questions if q.origin == "template"]
    citations = Citations(factset, [q.source for q in templated])
    for q in templated:
        assert citations.problem(q.question, q.answer, q.wrong, q.source) is None, q.id


def test_citations_keep_only_the_cited_paragraphs(factset: FactSet) -> None:
    first = factset.questions[0]
    citations = Citations(factset, [first.source])
    assert first.source.quote in citations.cited_text(first.source)
    other = next(
        q.source
        for q in factset.questions
        if (q.source.document_id, q.source.sentence) not in citations.paragraphs
    )
    with pytest.raises(BuildError, match="not kept for citations"):
        citations.cited_text(other)
    total = sum(len(d.sentences) for d in factset.documents)
    assert len(citations.paragraphs) < total / 10  # one paragraph, not the corpus


def test_the_screenplay_question_says_screenplay(factset: FactSet) -> None:
    writer = question(factset, "show-writer")
    assert "screenplay" in writer.question and writer.answer == "Ahn Sae-bom"
    songwriters = {p.name for p in factset.people.values() if p.kind == "artist"}
    assert "Park Bo-ram" in songwriters  # may stay a wrong answer: she wrote no screenplay


def test_who_sings_love_beyond_words_exists_with_musicians_as_wrong_answers(
    factset: FactSet,
) -> None:
    q = question(factset, "ost-singer-love-beyond-words")
    assert q.answer == "Kyuhyun"
    assert "Super Junior" not in q.wrong  # his own group would be right too
    musicians = {"Park Bo-ram", "DAVICHI", "Kim Seok-jin", "BTS"}
    assert set(q.wrong) <= musicians
    for q in factset.questions:
        if q.id.startswith("ost-"):
            assert not {"Kim Hee-won", "Ahn Sae-bom"} & set(q.wrong), q.id


def test_song_theme_cites_a_sentence_that_names_eun_soo(factset: FactSet) -> None:
    q = question(factset, "song-theme")
    assert "Eun Soo" in cited(factset, q) and "unrequited love" in cited(factset, q)


def test_questions_say_only_what_the_document_says(factset: FactSet) -> None:
    competition = question(factset, "competition-place")
    assert "photography" not in competition.question
    assert "a competition" in cited(factset, competition)
    confess = question(factset, "confess-years-ago")
    assert "first" not in confess.question.split()


def test_park_hyung_sik_work_question_cites_a_sentence_naming_him(factset: FactSet) -> None:
    q = question(factset, "work-park-hyung-sik")
    assert q.answer != "The Heirs"
    assert "Park" in cited(factset, q) and q.answer in cited(factset, q)
    assert "The Heirs" not in question(factset, "work-han-so-hee").wrong


def test_eun_soo_job_has_no_arguable_wrong_answer(factset: FactSet) -> None:
    q = question(factset, "job-lee-eun-soo")
    assert q.answer == "lyricist" and "composer" not in q.wrong
    assert [x.id for x in factset.questions].count("job-lee-eun-soo") == 1


def _break(curated: Path, old: str, new: str) -> None:
    text = curated.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    curated.write_text(text.replace(old, new), encoding="utf-8")


def test_a_question_citing_a_sentence_that_names_nobody_fails_the_build(
    data_copy: tuple[Path, Path],
) -> None:
    documents, curated = data_copy
    _break(
        curated,
        'wrong = ["First love", "A breakup", "Military service"]\ndocument = "hallyu-review"\n'
        'quote = "When Eun Soo is tasked with writing the lyrics',
        'wrong = ["First love", "A breakup", "Military service"]\ndocument = "five-facts"\n'
        'quote = "He was given the task of composing a song"\n#',
    )
    with pytest.raises(BuildError, match=r"song-theme.*does not name 'lee-eun-soo'"):
        build_factset(documents, curated)


def test_a_wrong_answer_of_another_kind_fails_the_build(data_copy: tuple[Path, Path]) -> None:
    documents, curated = data_copy
    _break(
        curated,
        'wrong = ["Mari", "Gyeol Han", "Yoon Dong-hyeon"]',
        'wrong = ["Mari", "Park Hoon", "Yoon Dong-hyeon"]',  # an actor among characters
    )
    with pytest.raises(BuildError, match=r"first-camera.*'Park Hoon' is not of the answer's kind"):
        build_factset(documents, curated)


def test_a_context_quote_must_come_before_the_cited_sentence(
    data_copy: tuple[Path, Path],
) -> None:
    documents, curated = data_copy
    _break(
        curated,
        'context = "4. Han So Hee is a fan of Park Hyung Sik"',
        'context = "5. #1 Soundtrack Showtimes"',
    )
    with pytest.raises(BuildError, match=r"han-age.*context must come before"):
        build_factset(documents, curated)


def test_the_checks_drop_no_template_question_they_should_keep(factset: FactSet) -> None:
    ids = {q.id for q in factset.questions if q.origin == "template"}
    for character in factset.characters.values():
        assert {f"cast-actor-{character.id}", f"cast-character-{character.id}"} <= ids
    for song in factset.songs.values():
        assert f"ost-singer-{song.id}" in ids
    assert {"ost-writer-want-to-be-happy", "show-director", "show-writer"} <= ids
    assert {"work-park-hyung-sik", "work-han-so-hee", "work-kim-hee-won"} <= ids
    assert {"show-episodes", "show-weekday", "show-premiere"} <= ids
