"""Questions asked in Indonesian and Korean read as the English forms; names stay as typed."""

from __future__ import annotations

import pytest

from bot.answers import answer_question, parse
from bot.answers._phrasebook import in_english
from bot.store import FactStore


@pytest.mark.parametrize(
    ("asked", "read"),
    [
        (" siapa pemeran mari ", " who plays mari "),
        (" siapa yang menyanyikan love beyond words ", " who sings love beyond words "),
        (" berapa episode soundtrack ", " how many episodes soundtrack "),
        (" nonton di mana ", " where can i watch "),
        (" mari 누가 연기했어 ", " mari who plays 했어 "),
        (" 몇 부작이야 ", " how many episodes 이야 "),
        (" who plays mari ", " who plays mari "),  # English comes back as it was
        (" main cast ", " main cast "),  # "main" is Indonesian for "play" only after "siapa"
    ],
)
def test_phrases_read_as_english_forms(asked: str, read: str) -> None:
    assert in_english(asked) == read


@pytest.mark.parametrize(
    ("question", "person", "character", "relation"),
    [
        ("siapa pemeran mari", False, True, "played_by"),
        ("apa pekerjaan eun soo", False, True, "occupation"),
        ("umur han so hee berapa", True, False, "age"),
        ("kapan tayang perdana", False, False, "premiere"),
        ("kapan episode 2 tayang", False, False, "episode_air"),
        ("jam berapa tayangnya", False, False, "slot"),
        ("siapa sutradaranya", False, False, "director"),
        ("lagu apa saja di ost", False, False, "ost_list"),
        ("감독 누구야", False, False, "director"),
        ("han so hee 나이", True, False, "age"),
        ("어디서 봐?", False, False, "platform"),
        ("eun soo 직업이 뭐야", False, True, "occupation"),
    ],
)
def test_indonesian_and_korean_question_forms(
    question: str, person: bool, character: bool, relation: str
) -> None:
    intent = parse(
        question, has_song=False, has_person=person, has_character=character, title="Soundtrack #1"
    )
    assert intent.relation == relation


async def test_a_question_in_indonesian_gets_the_english_questions_answer(
    facts: FactStore,
) -> None:
    for asked, english in [
        ("siapa yang memerankan seon woo", "who plays seon woo"),
        ("love beyond words 누가 불렀어", "who sang love beyond words"),
        ("berapa episode soundtrack #1", "how many episodes does soundtrack #1 have"),
    ]:
        reply = await answer_question(facts, asked, 0)
        expected = await answer_question(facts, english, 0)
        assert reply.answer is not None and expected.answer is not None
        assert reply.answer.text == expected.answer.text
        # The phrase's words search nothing: the passages are the English question's.
        assert [p.passage_id for p in reply.passages] == [p.passage_id for p in expected.passages]
