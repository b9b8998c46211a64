"""The name scorer every suggestion uses (/cast, its autocomplete, /ost, /ask's linking).

One table of real typos that must find their name, one of unrelated names that must
find nothing, run against the real store's aliases: a suggestion rests on spelling
alone, so a name a fan did not mean is never offered.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.facts.build import build_factset
from bot.facts.errors import BuildError
from bot.facts.model import FactSet
from bot.facts.names import is_spelling_of, name_key, name_score, typo_allowance
from bot.store import FactStore
from cogs.cast import EXACT_SCORE, NAME_TYPES, SUGGESTIONS, resolve
from tests.helpers.data import CURATED_FILE, DOCUMENTS_DIR


@pytest.fixture(scope="module")
def facts_set() -> FactSet:
    return build_factset(DOCUMENTS_DIR, CURATED_FILE)


# (typed, the person or character meant): misspellings, romanisation variants, swapped
# letters, spacing, half-typed names.
REAL_TYPOS = [
    ("hansohe", "han-so-hee"),
    ("Han Soo-hee", "han-so-hee"),
    ("han sohe", "han-so-hee"),
    ("Han So he", "han-so-hee"),
    ("hnasohee", "han-so-hee"),
    ("Han Sohee", "han-so-hee"),
    ("So-he", "han-so-hee"),
    ("Park Hyung-sick", "park-hyung-sik"),
    ("Prak Hyung-sik", "park-hyung-sik"),
    ("Park Hyeong-sik", "park-hyung-sik"),
    ("Park Hyung Shik", "park-hyung-sik"),
    ("parkhyungsk", "park-hyung-sik"),
    ("hyungsick", "park-hyung-sik"),
    ("Han Seon-wo", "han-seon-woo"),
    ("Han Seonwo", "han-seon-woo"),
    ("Han Sun-wo", "han-seon-woo"),
    ("Seon-wo", "han-seon-woo"),
    ("Sunwo", "han-seon-woo"),
    ("Lee Eunsu", "lee-eun-soo"),
    ("Lee Eun-su", "lee-eun-soo"),
    ("Eun-su", "lee-eun-soo"),
    ("Eunsooo", "lee-eun-soo"),
    ("Lee Eun So", "lee-eun-soo"),
    ("Kim Joo-hoen", "kim-joo-heon"),
    ("Kim Ju-heon", "kim-joo-heon"),
    ("Kim Joo Hoon", "kim-joo-heon"),
    ("Kang Woo-ill", "kang-woo-il"),
    ("Kang Wooil", "kang-woo-il"),
    ("Kang Woo Ill", "kang-woo-il"),
    ("Seo In-gook", "seo-in-guk"),
    ("Seo Ingu", "seo-in-guk"),
    ("Jay Jung", "jay-jun"),
    ("Jayjun", "jay-jun"),
    ("Park Min-jun", "park-min-jung"),
    ("Park Minjoong", "park-min-jung"),
    ("Gyeol Hann", "gyeol-han"),
    ("Yoon Byung-he", "yoon-byung-hee"),
    ("Yoon Byng-hee", "yoon-byung-hee"),
    ("Yoon Dong-hyun", "yoon-dong-hyeon"),
    ("Kim Hee-woon", "kim-hee-won"),
    ("Ahn Sae-bum", "ahn-sae-bom"),
    ("Park Bo-rahm", "park-bo-ram"),
    ("Kyuhyn", "kyuhyun"),
    ("Davinchi", "davichi"),
    ("Park Seo-jun", "park-seo-joon"),
    ("Kim Seok-jn", "kim-seok-jin"),
    ("Song Kng", "song-kang"),
    ("Mary", "mari"),
]

# Names and words a fan may type that are no one in the store. None may be suggested;
# the first two are the cases (the story's central reveal, BTS's Jin).
UNRELATED = [
    "jennifer",
    "Lee Min-ho",
    "Jennifer Lee",
    "Kim Soo-hyun",
    "Song Joong-ki",
    "Bae Suzy",
    "IU",
    "Lee Ji-eun",
    "Jun Ji-hyun",
    "Gong Yoo",
    "Hyun Bin",
    "Son Ye-jin",
    "Park Shin-hye",
    "Lee Jong-suk",
    "Kim Go-eun",
    "Nam Joo-hyuk",
    "Park Bo-gum",
    "Lee Eun-ji",
    "Kim Min-jae",
    "Park Min-young",
    "Jennie",
    "Jisoo",
    "Jimin",
    "Jungkook",
    "Minho",
    "Eunji",
    "Jessica",
    "Julia",
    "Yoona",
    "Hanna",
    "Sunmi",
    "Seohyun",
    "Jae-hyun",
    "Woo-jin",
    "the mentor",
    "manager",
    "photographer",
    "ex boyfriend",
    "love interest",
    "zzzz qqqq",
]


@pytest.mark.parametrize(("typed", "meant"), REAL_TYPOS)
async def test_a_real_typo_finds_its_name_first(facts: FactStore, typed: str, meant: str) -> None:
    matches = facts.find_names(typed, NAME_TYPES)
    assert matches, typed
    assert matches[0].entity_id == meant, [(m.entity_id, m.score) for m in matches]


@pytest.mark.parametrize("typed", UNRELATED)
async def test_an_unrelated_name_finds_nothing(facts: FactStore, typed: str) -> None:
    assert facts.find_names(typed, NAME_TYPES, min_score=0) == []
    assert facts.find_songs(typed) == []


@pytest.mark.parametrize("typed", ["j", "je", "jen", "jenn", "jenni", "jennif", "jennife"])
async def test_typing_jennifer_never_autocompletes_eun_soo(facts: FactStore, typed: str) -> None:
    assert "lee-eun-soo" not in {m.entity_id for m in facts.find_names(typed, NAME_TYPES)}


@pytest.mark.parametrize(
    ("typed", "taken"),
    [
        ("hansohe", "han-so-hee"),  # a typo of one edit is taken without asking
        ("Han Soo-hee", "han-so-hee"),
        ("Park Hyung-sick", "park-hyung-sik"),
        ("Eun-so", "lee-eun-soo"),
        ("Hoon", "park-hoon"),
        ("Jay", "jay-jun"),
    ],
)
async def test_cast_takes_a_clear_match(facts: FactStore, typed: str, taken: str) -> None:
    query = resolve(facts.find_names(typed, NAME_TYPES, limit=SUGGESTIONS + 1), typed)
    assert query.match is not None and query.match.entity_id == taken


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("Yoon Dong-hyoun", {"yoon-dong-hyeon"}),  # two edits: asked, never taken
        ("Kim Ju-heon", {"kim-joo-heon"}),
        ("Park", {"park-hyung-sik", "park-hoon", "park-min-jung"}),
        ("Han", {"han-so-hee", "han-seon-woo"}),
    ],
)
async def test_cast_asks_when_unsure(facts: FactStore, typed: str, offered: set[str]) -> None:
    query = resolve(facts.find_names(typed, NAME_TYPES, limit=SUGGESTIONS + 1), typed)
    assert query.match is None
    assert offered <= {m.entity_id for m in query.suggestions}


@pytest.mark.parametrize(
    ("typed", "song"),
    [
        ("love beyond word", "love-beyond-words"),
        ("lov beyond words", "love-beyond-words"),
        ("want to be hapy", "want-to-be-happy"),
        ("wnat to be happy", "want-to-be-happy"),
        ("tender heart", "your-tender-heart-hurts-me"),
        ("your tender heart hurt me", "your-tender-heart-hurts-me"),
    ],
)
async def test_song_titles_from_typos_and_words(facts: FactStore, typed: str, song: str) -> None:
    assert facts.find_songs(typed)[0].entity_id == song


@pytest.mark.parametrize(
    "typed", ["Dynamite", "Butter", "Spring Day", "Love Scenario", "Heartbreaker"]
)
async def test_other_songs_find_nothing(facts: FactStore, typed: str) -> None:
    assert facts.find_songs(typed) == []


def test_score_scale() -> None:
    assert name_score("Han So-hee", "han sohee") == EXACT_SCORE
    assert 90 <= (name_score("han so", "Han So-hee") or 0) < 100  # a prefix
    assert name_score("hansohe", "Han So-hee") is not None
    assert name_score("Lee Min-ho", "Lee Eun-so") is None  # same surname, other name
    assert name_score("Lee Min-ho", "Jin") is None
    assert name_score("jennifer", "Eun-so") is None
    assert name_score("", "Mari") is None and name_score("Mari", "") is None
    assert [typo_allowance(n) for n in (1, 3, 4, 5, 6, 9, 10, 20)] == [0, 0, 1, 1, 2, 2, 3, 3]


def test_a_name_the_story_gives_cannot_be_an_alias(data_copy: tuple[Path, Path]) -> None:
    documents, curated = data_copy
    text = curated.read_text(encoding="utf-8")
    old = '  { alias = "Eun Soo", document = "hallyu-review", quote = "Eun Soo is a lyricist" },\n'
    jennifer = (
        '  { alias = "Jennifer", document = "hallyu-review",'
        ' quote = "she is actually Seon Woo’s “Jennifer.”" },\n'
    )
    assert text.count(old) == 1
    curated.write_text(text.replace(old, old + jennifer), encoding="utf-8")
    with pytest.raises(BuildError, match=r"'Jennifer'.*not a spelling of 'Lee Eun-soo'"):
        build_factset(documents, curated)


def test_every_stored_alias_is_a_spelling(facts_set: FactSet) -> None:
    names = {**{p.id: p.name for p in facts_set.people.values()}}
    names |= {c.id: c.name for c in facts_set.characters.values()}
    for alias in facts_set.aliases:
        if alias.entity_type != "song":
            assert is_spelling_of(alias.alias, names[alias.entity_id]), alias


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.text(max_size=40))
def test_any_text_scores_within_the_scale_or_not_at_all(typed: str, alias: str) -> None:
    score = name_score(typed, alias)
    assert score is None or 60 <= score <= EXACT_SCORE
    if name_key(typed) and name_key(typed) == name_key(alias):
        assert score == EXACT_SCORE


async def test_no_word_of_the_story_suggests_a_cast_member(
    facts: FactStore, facts_set: FactSet
) -> None:
    """Every word of every sentence above the premise, other than the names themselves,
    typed into /cast: none may bring up someone in the show. (Only a spelling can match
    at all, so this holds the scorer's strictness against the story's vocabulary; one or
    two letters are the start of many names and carry no meaning, so words have three.)"""
    name_parts = {
        name_key(part) for a in facts_set.aliases for part in re.split(r"[\s\-]+", a.alias)
    }
    story_words = {
        word
        for d in facts_set.documents
        for s in d.sentences
        if facts_set.sentence_levels[(d.id, s.position)].level > 0
        for word in re.findall(r"[^\W\d_][\w'’-]{2,}", s.text)
        if name_key(word) not in name_parts
    }
    assert len(story_words) > 400
    cast = {c.id for c in await facts.cast()} | {c.actor.id for c in await facts.cast() if c.actor}
    linked = {
        word: [m.entity_id for m in facts.find_names(word, NAME_TYPES) if m.entity_id in cast]
        for word in story_words
    }
    assert {word: ids for word, ids in linked.items() if ids} == {}
