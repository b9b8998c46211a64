"""exact_name, /cast's shortcut for a known spelling, agrees with the fuzzy ranking."""

from __future__ import annotations

from bot.store import FactStore

TYPES = ("person", "character")


async def test_exact_name_is_find_names_best_for_every_alias(facts: FactStore) -> None:
    aliases = [(alias, t) for _, alias, t, _ in facts._aliases if t in TYPES]
    assert len(aliases) > 20
    for alias, _ in aliases:
        for typed in (alias, alias.lower(), alias.replace("-", " ")):
            exact = facts.exact_name(typed, TYPES)
            best = facts.find_names(typed, TYPES, limit=1)[0]
            assert exact == best, typed


async def test_exact_name_is_none_for_a_misspelling(facts: FactStore) -> None:
    assert facts.exact_name("Han So-heee", TYPES) is None
    assert facts.exact_name("Love Beyond Words", TYPES) is None  # a song, not a person
    assert facts.exact_name("", TYPES) is None
