"""The typed-answer matcher: forgiving with spellings, never with a different answer."""

from __future__ import annotations

import pytest

from cogs.trivia._matching import fold, match_answer, romanised

ACTORS = ["Park Hyung-sik", "Park Hoon", "Seo In-guk", "Han So-hee", "Kim Joo-heon"]
HYUNG_SIK = ["Park Hyung-sik", "Hyung-sik"]  # the store's spellings of one actor
HOON = ["Park Hoon"]
SEON_WOO = ["Han Seon-woo", "Han Sun-woo", "Sun-woo", "Seon Woo"]

ACCEPTED = [
    # (typed, right spellings, wrong options)
    ("Park Hyung-sik", HYUNG_SIK, HOON),
    ("park hyung sik", HYUNG_SIK, HOON),
    ("PARKHYUNGSIK", HYUNG_SIK, HOON),
    ("  Park   Hyung-Sik ", HYUNG_SIK, HOON),
    ("Park Hyungsk", HYUNG_SIK, HOON),  # a typo
    ("Park Hyeong-sik", HYUNG_SIK, HOON),  # romanisation: eo/u
    ("Hyung-sik", HYUNG_SIK, HOON),  # a store alias
    ("Park Hun", HOON, HYUNG_SIK),  # romanisation: oo/u
    ("Prak Hoon", HOON, HYUNG_SIK),  # transposed letters
    ("Han Sunwoo", SEON_WOO, ["Lee Eun-soo", "Kang Woo-il"]),
    ("Han Seon-wu", SEON_WOO, ["Lee Eun-soo", "Kang Woo-il"]),
    ("Kim Joo Hun", ["Kim Joo-heon"], ["Park Hoon"]),  # heon/hun
    ("the heirs", ["The Heirs"], ["Happiness", "My Name", "Vincenzo"]),
    ("Heirs", ["The Heirs"], ["Happiness", "My Name", "Vincenzo"]),
    ("Crowned Clown", ["The Crowned Clown"], ["Nevertheless", "Happiness", "My Name"]),
    ("two weeks", ["Two weeks"], ["Two months", "One year", "Eight years"]),
    ("2 weeks", ["Two weeks"], ["Two months", "One year", "Eight years"]),
    ("twenty years", ["20 years"], ["10 years", "5 years", "2 years"]),
    ("20", ["20 years"], ["10 years", "5 years", "2 years"]),
    ("four", ["4"], ["16", "6", "8"]),
    ("Disney Plus", ["Disney+"], ["Netflix", "Viki", "tvN"]),
    ("Davichi", ["DAVICHI"], ["Super Junior", "Kyuhyun"]),
    ("photgrapher", ["photographer"], ["manager", "lyricist", "producer"]),
    ("Café", ["Cafe"], ["Bar", "Office", "Studio"]),
]

REJECTED = [
    ("Park Hoon", HYUNG_SIK, HOON),  # a wrong option, merely similar
    ("Park Hyung-sik", HOON, HYUNG_SIK),
    ("Park Hyungsik", HOON, HYUNG_SIK),
    ("Park Hun", HYUNG_SIK, HOON),  # the wrong option in another romanisation
    ("Park", HYUNG_SIK, HOON),  # ambiguous
    ("Park H", HYUNG_SIK, HOON),
    ("Seo In-guk", HYUNG_SIK, ["Seo In-guk", "Park Hoon", "Han So-hee"]),
    ("Lee Eun-soo", SEON_WOO, ["Lee Eun-soo", "Kang Woo-il"]),
    ("2 years", ["20 years"], ["10 years", "5 years", "2 years"]),
    ("200 years", ["20 years"], ["10 years", "5 years", "2 years"]),
    ("8", ["4"], ["16", "6", "8"]),
    ("44", ["4"], ["16", "6", "8"]),
    ("Maru", ["Mari"], ["Jay Jun", "Gyeol Han", "Han Seon-woo"]),  # short: exact only
    ("Marie", ["Mari"], ["Jay Jun", "Gyeol Han", "Han Seon-woo"]),
    ("manager", ["photographer"], ["manager", "lyricist", "producer"]),
    ("", HYUNG_SIK, HOON),
    ("   ", HYUNG_SIK, HOON),
    ("-- !! --", HYUNG_SIK, HOON),
    ("@everyone", HYUNG_SIK, HOON),
    ("Park Hyung-sik" * 10, HYUNG_SIK, HOON),  # too long to be an answer
    ("Netflix", ["Disney+"], ["Netflix", "Viki", "tvN"]),
    ("Disney", ["Disney+"], ["Netflix", "Viki", "tvN"]),
]


@pytest.mark.parametrize(("typed", "right", "wrong"), ACCEPTED)
def test_accepted(typed: str, right: list[str], wrong: list[str]) -> None:
    verdict = match_answer(typed, right, wrong)
    assert verdict.accepted, verdict.why
    assert verdict.matched in right and verdict.why


@pytest.mark.parametrize(("typed", "right", "wrong"), REJECTED)
def test_rejected(typed: str, right: list[str], wrong: list[str]) -> None:
    verdict = match_answer(typed, right, wrong)
    assert not verdict.accepted, verdict.why
    assert verdict.matched is None


def test_similar_actors_never_both_pass() -> None:
    """For every pair of cast names, typing one never passes for the other."""
    for answer in ACTORS:
        others = [a for a in ACTORS if a != answer]
        assert match_answer(answer, [answer], others).accepted
        for other in others:
            assert not match_answer(other, [answer], others).accepted, (other, answer)


def test_a_wrong_option_spelled_like_the_answer_does_not_reject_it() -> None:
    assert match_answer("Mari", ["Mari"], ["mari", "Jay Jun"]).accepted


def test_fold_and_romanised() -> None:
    assert fold("The Heirs") == "heirs"
    assert fold("The") == "the"  # an answer that is only an article keeps it
    assert fold("Park Hyung-sik") == "parkhyungsik"
    assert fold("Two weeks") == "2weeks"
    assert romanised(fold("Han Seon-woo")) == romanised(fold("Han Sun-woo"))
    assert romanised(fold("Kim Joo-heon")) == romanised(fold("Kim Joo Hun"))
    assert romanised(fold("Park Hoon")) != romanised(fold("Park Hyung-sik"))
