"""The build's spoiler ratings: non-story text at 0 with a reason, story at its level, and
a report of every sentence whose level is only its document's default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.facts.build import build_factset
from bot.facts.curated import CuratedError
from bot.facts.model import FactSet
from bot.facts.pipeline import build_store
from tests.conftest import CURATED_FILE, DOCUMENTS_DIR
from tests.test_cli import run_cli

UNRATED = "A sentence nobody has rated yet."


@pytest.fixture(scope="module")
def factset() -> FactSet:
    return build_factset(DOCUMENTS_DIR, CURATED_FILE)


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
