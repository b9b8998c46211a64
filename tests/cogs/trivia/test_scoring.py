"""Scoring and drawing questions (pure, over the real store's questions)."""

from __future__ import annotations

import random

from bot.store import FactStore
from cogs.trivia._scoring import BASE_POINTS, SPEED_POINTS, draw, points


def test_points_reward_speed() -> None:
    assert points(False, 0.0, 20) == 0
    assert points(True, 0.0, 20) == BASE_POINTS + SPEED_POINTS
    assert points(True, 10.0, 20) == BASE_POINTS + SPEED_POINTS // 2
    assert points(True, 25.0, 20) == BASE_POINTS


async def test_draws_respect_the_cap_never_repeat_and_spread(facts: FactStore) -> None:
    for cap in range(5):
        pool = await facts.questions(max_level=cap)
        for seed in range(200):
            drawn = draw(pool, 20, random.Random(seed))
            assert all(q.spoiler_level <= cap for q in drawn)
            assert len({q.id for q in drawn}) == len(drawn) == min(20, len(pool))
            first_five = {q.category for q in drawn[:5]}
            assert len(first_five) >= min(5, len({q.category for q in pool}))
