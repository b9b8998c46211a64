"""Over every question the store holds: its answer and the store's spellings of it pass,
no wrong option (in any spelling the store knows) ever does."""

from __future__ import annotations

from bot.store import FactStore
from cogs.trivia._expected import expected_for
from cogs.trivia._matching import match_answer


async def test_every_question_accepts_its_answer_and_refuses_its_wrong_options(
    facts: FactStore,
) -> None:
    typos = 0
    for question in await facts.questions():
        expected = await expected_for(facts, question)
        assert question.answer in expected.right
        for spelling in expected.right:
            verdict = match_answer(spelling, expected.right, expected.wrong)
            assert verdict.accepted, (question.id, spelling, verdict.why)
        for option in question.wrong:
            for spelling in [option, option.lower(), option.replace("-", " ")]:
                verdict = match_answer(spelling, expected.right, expected.wrong)
                assert not verdict.accepted, (question.id, spelling, verdict.why)
        for wrong_name in expected.wrong:
            verdict = match_answer(wrong_name, expected.right, expected.wrong)
            assert not verdict.accepted, (question.id, wrong_name, verdict.why)
        if len(question.answer) >= 8 and not any(c.isdigit() for c in question.answer):
            typo = question.answer[:-1]
            assert match_answer(typo, expected.right, expected.wrong).accepted, question.id
            typos += 1
    assert typos >= 10


async def test_kinds_and_spellings_come_from_the_store(facts: FactStore) -> None:
    by_id = {q.id: q for q in await facts.questions()}
    seon_woo = await expected_for(facts, by_id["cast-character-han-seon-woo"])
    assert seon_woo.kind == "a character's name"
    assert {"Sun-woo", "Han Sun-woo", "Seon Woo"} <= set(seon_woo.right)
    hoon = await expected_for(facts, by_id["cast-actor-gyeol-han"])
    assert hoon.kind == "an actor's name"
    assert {"Park Hyung-sik", "Hyung-sik", "Park Min-jung"} <= set(hoon.wrong)
    assert "Park Hoon" not in hoon.wrong
    platform = await expected_for(facts, by_id["platform"])
    assert platform.kind is None and platform.right == ("Disney+",)
