"""Red trivia lists: the schema check written from Red's format, and lists in and out."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.store import FactStore
from bot.trivia.custom import InvalidQuestion, validate_question
from bot.trivia.redlist import (
    RedList,
    RedListError,
    dump_red_list,
    load_red_list,
    schema_errors,
    to_custom_questions,
)

VALID = [
    {"Q?": ["A"]},
    {"AUTHOR": "me", "Q?": ["A", "a"]},
    {"DESCRIPTION": "x" * 200, "Q?": ["A"]},
    {"CONFIG": {"max_score": 10, "delay": 4, "timeout": 0.5, "bot_plays": False}, "Q?": [1]},
    {"CONFIG": {"reveal_answer": True, "payout_multiplier": 0, "use_spoilers": True}, "Q": []},
    {"$schema": "https://example.invalid/trivia.schema.json", "Q?": [True, 2.5]},
]
INVALID = [
    ("text", "should be a 'key: value' mapping"),
    ({"AUTHOR": 123, "Q?": ["A"]}, "'AUTHOR' key must be a text value"),
    ({"AUTHOR": "", "Q?": ["A"]}, "'AUTHOR' key must be a text value"),
    ({"DESCRIPTION": "x" * 201, "Q?": ["A"]}, "not longer than 200"),
    ({"CONFIG": 123, "Q?": ["A"]}, "'CONFIG' should be a 'key: value' mapping"),
    ({"CONFIG": {"key": "value"}, "Q?": ["A"]}, "'key' is not a key that can be specified"),
    ({"CONFIG": {"max_score": 0}, "Q?": ["A"]}, "'max_score' key in 'CONFIG' must be a positive"),
    ({"CONFIG": {"max_score": True}, "Q?": ["A"]}, "'max_score'"),
    ({"CONFIG": {"delay": 3.9}, "Q?": ["A"]}, "greater than or equal to 4"),
    ({"CONFIG": {"timeout": 0}, "Q?": ["A"]}, "'timeout' key in 'CONFIG' must be a positive"),
    ({"CONFIG": {"bot_plays": "yes"}, "Q?": ["A"]}, "either true or false"),
    ({"CONFIG": {"payout_multiplier": -1}, "Q?": ["A"]}, "non-negative"),
    ({"Q?": "A"}, "Value of question 'Q?' is not a list of text values"),
    ({"Q?": [["A"]]}, "not a list of text values"),
    ({"Q?": None}, "not a list of text values"),
    ({1: ["A"]}, "A key of question 1 is not a text value"),
    ({"AUTHOR": "me"}, "does not contain any questions"),
    ({}, "does not contain any questions"),
]


@pytest.mark.parametrize("data", VALID)
def test_valid_lists(data: object) -> None:
    assert schema_errors(data) == []


@pytest.mark.parametrize(("data", "message"), INVALID)
def test_invalid_lists_say_why(data: object, message: str) -> None:
    errors = schema_errors(data)
    assert errors and any(message in e for e in errors), errors


def test_broken_yaml_is_a_readable_error() -> None:
    with pytest.raises(RedListError, match="Not valid YAML"):
        load_red_list('"unclosed: [\n')
    with pytest.raises(RedListError, match="not a list of text values"):
        load_red_list("Who?: answer\n")


async def test_an_export_passes_the_schema_and_keeps_every_question(facts: FactStore) -> None:
    questions = await facts.questions()
    text = dump_red_list(questions, "author", "d" * 300)
    data = yaml.safe_load(text)
    assert schema_errors(data) == []
    assert len(data["DESCRIPTION"]) <= 200
    red = load_red_list(text)
    assert len(red.questions) == len(questions)
    for q in questions:
        assert red.questions[q.question][0] == q.answer
        assert red.meta[q.question]["wrong"] == list(q.wrong)
        assert red.meta[q.question]["spoils"] == q.spoiler_level
    back = to_custom_questions(red, episode_count=facts.episode_count)
    by_text = {c.question: c for c in back}
    for q in questions:
        c = by_text[q.question]
        assert (c.answer, c.wrong, c.spoiler_level, c.category, c.difficulty) == (
            q.answer,
            q.wrong,
            q.spoiler_level,
            q.category,
            q.difficulty,
        )


async def test_a_plain_red_list_gets_wrong_options_from_its_other_answers(
    facts: FactStore,
) -> None:
    questions = (await facts.questions(category="cast"))[:6]
    plain = yaml.safe_dump({q.question: [q.answer] for q in questions}, allow_unicode=True)
    red = load_red_list(plain)
    assert red.meta == {}
    last = facts.episode_count
    imported = to_custom_questions(red, category="Fan quiz", spoiler_level=2, episode_count=last)
    answers = {q.answer for q in questions}
    for c in imported:
        assert c.category == "fan quiz" and c.spoiler_level == 2
        assert set(c.wrong) <= answers and c.answer not in c.wrong
    assert imported == to_custom_questions(
        red, category="Fan quiz", spoiler_level=2, episode_count=last
    )
    # Left out, the level is the store's last episode: the safest.
    assert {c.spoiler_level for c in to_custom_questions(red, episode_count=last)} == {last}


def test_a_show_of_six_episodes_imports_questions_spoiling_episode_six() -> None:
    red = RedList({"Good?": ["a"], "Other?": ["b"], "More?": ["c"], "Last?": ["d"]})
    assert {c.spoiler_level for c in to_custom_questions(red, episode_count=6)} == {6}
    assert {
        c.spoiler_level for c in to_custom_questions(red, spoiler_level=5, episode_count=6)
    } == {5}
    with pytest.raises(RedListError, match=re.escape("from 0 (none) to 4")):
        to_custom_questions(red, spoiler_level=6, episode_count=4)


def test_an_import_with_one_bad_question_imports_none() -> None:
    red = RedList({"Good?": ["a"], "Bad <@123>?": ["b"], "Other?": ["c"], "More?": ["d"]})
    with pytest.raises(RedListError, match="mention"):
        to_custom_questions(red, episode_count=4)
    with pytest.raises(RedListError, match="too few other answers"):
        to_custom_questions(RedList({"Only?": ["a"], "Two?": ["b"]}), episode_count=4)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"question": ""}, "question is empty"),
        ({"question": "x" * 301}, "at most 300"),
        ({"answer": "@everyone"}, "mention"),
        ({"answer": "<@&42>"}, "mention"),
        ({"wrong": ["b", "c"]}, "exactly three"),
        ({"wrong": ["b", "c", "A"]}, "must be different"),
        ({"wrong": ["b", "c", " a "]}, "must be different"),
        ({"wrong": ["b", "c", "x" * 81]}, "at most 80"),
        ({"category": "<#1>"}, "mention"),
        ({"category": "!!"}, "letters, digits"),
        # The episodes are the store's: here a show of six.
        ({"spoiler_level": "seven"}, "number from 0 to 6"),
        ({"spoiler_level": 7}, "from 0 (none) to 6"),
        ({"spoiler_level": -1}, "from 0 (none) to 6"),
        ({"aliases": ["b"]}, "also one of the wrong answers"),
    ],
)
def test_custom_question_validation(fields: dict[str, object], message: str) -> None:
    base: dict[str, object] = {
        "question": "Which one?",
        "answer": "A",
        "wrong": ["b", "c", "d"],
        "category": "fan",
        "spoiler_level": 0,
        "episode_count": 6,
    }
    with pytest.raises(InvalidQuestion, match=re.escape(message)):
        validate_question(**{**base, **fields})  # type: ignore[arg-type]


def test_a_valid_custom_question_is_cleaned() -> None:
    q = validate_question(
        "  Which   one? ", " A ", ["b", "", "c", "d"], "Fan Quiz", "2", ["a", "Ay"], episode_count=4
    )
    assert q.question == "Which one?" and q.answer == "A" and q.wrong == ("b", "c", "d")
    assert q.category == "fan quiz" and q.spoiler_level == 2 and q.aliases == ("Ay",)


def test_the_last_episode_spoiled_is_the_shows() -> None:
    six = validate_question("Which one?", "A", ["b", "c", "d"], "fan", "6", episode_count=6)
    assert six.spoiler_level == 6  # a show of six episodes
    with pytest.raises(InvalidQuestion, match=re.escape("from 0 (none) to 4.")):
        validate_question("Which one?", "A", ["b", "c", "d"], "fan", "6", episode_count=4)
