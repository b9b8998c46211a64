"""Hints describe the question's own answer and nothing else, so they stay within the
game's spoiler cap (a question is only asked within it) and never give the answer away."""

from __future__ import annotations

import re

from bot.facts.names import name_key
from bot.store import FactStore
from cogs.trivia._expected import expected_for
from cogs.trivia._hints import MASK, MAX_HINTS, hint_text, hints, mask_names, masked
from cogs.trivia._scoring import HINT_COST, points
from tests.helpers.bot import Env


def test_masked_keeps_first_letters_only() -> None:
    assert masked("Park Hyung-sik") == "P••• H••••-s••"
    assert masked("20 years") == "2• y••••"
    assert masked("4") == "4"


async def test_no_hint_gives_an_answer_away(facts: FactStore) -> None:
    for question in await facts.questions():
        entity = facts.entity_named(question.answer)
        kind = facts.kind_of(*entity) if entity else None
        given = hints(question.answer, kind)
        assert len(given) == MAX_HINTS - 1  # and one more with a related fact
        text = hint_text(given, MAX_HINTS)
        template = set(re.findall(r"[^\W_]+", hint_text(hints("Xx", kind), 2).casefold()))
        shown = set(re.findall(r"[^\W_]+", text.casefold())) - template
        for word in re.findall(r"[^\W_]{2,}", question.answer.casefold()):
            assert word not in shown, (question.id, text)


async def test_hints_come_from_the_answer_alone(facts: FactStore) -> None:
    """Two questions with the same answer get the same hints, whatever their spoiler level:
    a hint can carry nothing a question's own answer does not."""
    by_answer: dict[str, set[tuple[str, ...]]] = {}
    for question in await facts.questions():
        entity = facts.entity_named(question.answer)
        kind = facts.kind_of(*entity) if entity else None
        by_answer.setdefault(question.answer, set()).add(tuple(hints(question.answer, kind)))
    assert all(len(variants) == 1 for variants in by_answer.values())


def test_each_hint_costs_points() -> None:
    assert points(True, 0.0, 20, hints=1) == points(True, 0.0, 20) - HINT_COST
    assert points(True, 0.0, 20, hints=2) == points(True, 0.0, 20) - 2 * HINT_COST
    assert points(False, 0.0, 20, hints=1) == 0
    assert points(True, 20.0, 20, hints=MAX_HINTS) > 0


def test_mask_names() -> None:
    names = ["Han Seon-woo", "Seon-woo", "Sun-woo"]
    text = "Han Seon Woo met seon-woo and SUN-WOO; Seon-wooX stays."
    assert mask_names(text, names) == f"{MASK} met {MASK} and {MASK}; Seon-wooX stays."


async def test_related_fact_hints_stay_within_the_cap_and_hide_the_answer(env: Env) -> None:
    """For every typed question and every cap, the related-fact hint a game may show is a
    store fact of that level or lower, and names no spelling of the answer."""
    facts = env.bot.facts
    shown = 0
    for question in await facts.questions():
        expected = await expected_for(facts, question)
        for cap in range(5):
            text = expected.related_within(cap)
            if text is None:
                continue
            shown += 1
            allowed = [f for f in await facts.facts(max_level=cap)]
            assert any(
                f.object in text or mask_names(f.object, expected.right) in text for f in allowed
            ), (question.id, cap, text)
            for name in expected.right:
                assert name_key(name) not in name_key(text.replace(MASK, " ")), (name, text)
        levels = [level for level, _ in expected.related]
        assert levels == sorted(levels)
    assert shown  # some questions do get a related-fact hint
