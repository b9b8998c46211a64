"""The corpus is read again on every pass, one document at a time, and a later pass
refuses a document that changed since the first (the build would mix two versions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.facts.documents import (
    Corpus,
    DocumentError,
    load_documents,
    load_metadata,
    split_sentences,
)
from tests.helpers.data import DOCUMENTS_DIR


def test_every_pass_yields_the_same_documents(data_copy: tuple[Path, Path]) -> None:
    documents, _ = data_copy
    corpus = Corpus(documents)
    first = [(d.id, d.sha256) for d in corpus]
    assert (
        first
        == [(d.id, d.sha256) for d in corpus]
        == [(d.id, d.sha256) for d in load_documents(documents)]
    )


@pytest.mark.parametrize("change", ["edit", "add", "remove"])
def test_a_document_changed_between_passes_fails_the_pass(
    data_copy: tuple[Path, Path], change: str
) -> None:
    documents, _ = data_copy
    corpus = Corpus(documents)
    list(corpus)
    first = sorted(documents.glob("*.txt"))[0]
    if change == "edit":
        first.write_text(first.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    elif change == "add":
        (documents / "zz_new.txt").write_text("A new one\n\nText.\n", encoding="utf-8")
    else:
        (documents / "metadata.toml").write_text("", encoding="utf-8")  # no entry to miss
        first.unlink()
    with pytest.raises(DocumentError, match="during the build"):
        list(corpus)


def test_every_sentence_is_a_verbatim_slice_of_its_document() -> None:
    documents = load_documents(DOCUMENTS_DIR)
    assert [d.filename for d in documents] == sorted(p.name for p in DOCUMENTS_DIR.glob("*.txt"))
    for doc in documents:
        for paragraph in doc.paragraphs:
            assert doc.text[paragraph.start : paragraph.end] == paragraph.text
            for s in paragraph.sentences:
                assert doc.text[s.start : s.end] == s.text
                assert s.text == s.text.strip() and s.text


def test_metadata_keeps_unknowns_unknown() -> None:
    by_id = {d.id: d for d in load_documents(DOCUMENTS_DIR)}
    assert by_id["star-today-interview"].author == "Apeksha Bagchi"
    assert by_id["star-today-interview"].outlet == "Sportskeeda"
    assert by_id["hallyu-review"].outlet == "Hallyu Reviews"
    assert by_id["friends-to-lovers"].outlet is None
    assert by_id["friends-to-lovers"].author is None
    assert by_id["hallyu-review"].spoiler_default == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It airs at 14.00 WIB. Then more.", ["It airs at 14.00 WIB.", "Then more."]),
        ("1. About Unrequited Love Story", ["1. About Unrequited Love Story"]),
        ("She said “Hi.” He left.", ["She said “Hi.”", "He left."]),
        ("songs, etc. A perfect blend", ["songs, etc.", "A perfect blend"]),
    ],
)
def test_sentence_splitting(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text)] == expected


def test_unknown_metadata_key_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Hello.", encoding="utf-8")
    (tmp_path / "metadata.toml").write_text('["a.txt"]\nauthr = "typo"\n', encoding="utf-8")
    with pytest.raises(DocumentError, match=r"a\.txt.*authr"):
        load_documents(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A stop after "#1" ends a sentence: only a number alone at a line start is a list.
        (
            "a new K-drama titled Soundtrack #1. The My Name actors",
            ["a new K-drama titled Soundtrack #1.", "The My Name actors"],
        ),
        (
            "our review of “Soundtrack #1.”\u00a0 What did you think?!",
            ["our review of “Soundtrack #1.”", "What did you think?!"],
        ),
        ("Season 2. Then more.", ["Season 2.", "Then more."]),
        ("1. About Unrequited Love Story", ["1. About Unrequited Love Story"]),
        ("5. #1 Soundtrack Showtimes", ["5. #1 Soundtrack Showtimes"]),
        ("Intro\n12. A list item", ["Intro", "12. A list item"]),
        # A line break ends a caption, a byline or a heading even without a stop.
        (
            "Caption (Image via Instagram)\nCaption (Image via Instagram)\nApeksha Bagchi",
            [
                "Caption (Image via Instagram)",
                "Caption (Image via Instagram)",
                "Apeksha Bagchi",
            ],
        ),
        (
            "More from Sportskeeda\nFetching more content...",
            ["More from Sportskeeda", "Fetching more content..."],
        ),
        # What must still not split.
        ("It airs at 14.00 WIB. Then more.", ["It airs at 14.00 WIB.", "Then more."]),
        ("at 9:24\u202fAM Delete Comment", ["at 9:24\u202fAM Delete Comment"]),
        ("songs, etc. A perfect blend", ["songs, etc.", "A perfect blend"]),
        ("She said “Hi.” He left.", ["She said “Hi.”", "He left."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text)] == expected


def test_no_real_sentence_spans_a_line_or_a_stop_after_number_one() -> None:
    for doc in load_documents(DOCUMENTS_DIR):
        for s in doc.sentences:
            assert "\n" not in s.text, (doc.id, s.text)
            assert "#1. " not in s.text and "#1.” " not in s.text, (doc.id, s.text)


def test_the_interview_byline_is_its_own_sentence() -> None:
    interview = next(d for d in load_documents(DOCUMENTS_DIR) if d.id == "star-today-interview")
    texts = [s.text for s in interview.sentences]
    assert "Apeksha Bagchi" in texts
    assert (
        texts.count(
            "Han So-hee found that her Soundtrack #1 character is very similar to her"
            " (Image via Disney Plus Korea/Instagram)"
        )
        == 2
    )


def test_a_default_spoiler_level_is_an_episode_number(tmp_path: Path) -> None:
    # Any number from 0 loads; the build bounds it by the show's last episode.
    metadata = tmp_path / "metadata.toml"
    metadata.write_text('["a.txt"]\nspoiler_default = 6\n', encoding="utf-8")
    assert load_metadata(tmp_path)["a.txt"]["spoiler_default"] == 6
    for bad in ("-1", '"two"'):
        metadata.write_text(f'["a.txt"]\nspoiler_default = {bad}\n', encoding="utf-8")
        with pytest.raises(DocumentError, match="spoiler_default must be an episode number"):
            load_metadata(tmp_path)
