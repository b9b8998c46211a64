"""Sentence splitting: every sentence of the real documents stands alone."""

from __future__ import annotations

import pytest

from bot.facts.documents import load_documents, split_sentences
from tests.conftest import DOCUMENTS_DIR


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
