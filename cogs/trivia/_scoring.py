"""Trivia points and question drawing: pure functions."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from typing import TypeVar

from bot.i18n import N_
from bot.store.records import Question

BASE_POINTS = 100
SPEED_POINTS = 100
HINT_COST = 30  # taken off a right answer for each hint the player took on that question
# A catalog msgid: filled in with format(base=BASE_POINTS, speed=SPEED_POINTS, hint=HINT_COST).
RULES = N_(
    "A correct answer scores {base} points plus up to {speed} more for speed: "
    "the full {speed} for an instant answer, falling evenly to 0 at the buzzer. "
    "A wrong answer scores 0. You get one answer per question; your first click counts. "
    "In typed questions, each hint you take costs {hint} points of a right answer."
)

T = TypeVar("T")


def points(correct: bool, elapsed: float, limit: float, hints: int = 0) -> int:
    """Points for one answer given `elapsed` of `limit` seconds, after `hints` hints."""
    if not correct:
        return 0
    remaining = 1.0 - min(max(elapsed / limit, 0.0), 1.0) if limit > 0 else 0.0
    return max(BASE_POINTS + round(SPEED_POINTS * remaining) - HINT_COST * hints, 0)


def team_totals(scores: dict[int, int], teams: dict[int, int], count: int) -> dict[int, int]:
    """Points per team (1..count) from the players' scores and who is on which team."""
    totals = dict.fromkeys(range(1, count + 1), 0)
    for user, team in teams.items():
        totals[team] = totals.get(team, 0) + scores.get(user, 0)
    return totals


def smallest_team(teams: dict[int, int], count: int) -> int:
    """The team (1..count) with the fewest players, the lowest number on a tie."""
    sizes = dict.fromkeys(range(1, count + 1), 0)
    for team in teams.values():
        sizes[team] += 1
    return min(sizes, key=lambda t: (sizes[t], t))


def draw(questions: Sequence[Question], rounds: int, rng: random.Random) -> list[Question]:
    """Up to `rounds` distinct questions, taking categories in turn so they spread out."""
    by_category: dict[str, list[Question]] = defaultdict(list)
    for q in questions:
        by_category[q.category].append(q)
    for pool in by_category.values():
        rng.shuffle(pool)
    categories = list(by_category)
    rng.shuffle(categories)
    drawn: list[Question] = []
    while len(drawn) < rounds and any(by_category.values()):
        for category in categories:
            if by_category[category] and len(drawn) < rounds:
                drawn.append(by_category[category].pop())
    return drawn


def shuffled_options(question: Question, rng: random.Random) -> tuple[list[str], int]:
    """The four options in random order, and the index of the right one."""
    options = [question.answer, *question.wrong]
    rng.shuffle(options)
    return options, options.index(question.answer)


def ranked(scores: dict[int, int]) -> list[tuple[int, int]]:
    """(user id, points), best first; ties keep the lower user id first for stability."""
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
