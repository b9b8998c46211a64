"""What a typed answer is matched against and what its hints are built from, taken
from the fact store: every spelling of the answer, the wrong names to hold it apart from,
what kind of answer it is, and true related facts with their spoiler levels."""

from __future__ import annotations

from bot.facts.names import name_key
from bot.store import FactStore
from bot.store.records import Question
from cogs.trivia._hints import mask_names
from cogs.trivia._session import Expected


async def expected_for(facts: FactStore, question: Question) -> Expected:
    """Every spelling of the answer the store knows, and the wrong names to hold it
    apart from: the wrong options' spellings and every other name of the same kind."""
    right = [question.answer, *question.aliases]
    kind = None
    entity = facts.entity_named(question.answer)
    if entity is not None:
        right += facts.aliases_of(*entity)
        kind = facts.kind_of(*entity)
    wrong = list(question.wrong)
    for option in question.wrong:
        other = facts.entity_named(option)
        if other is not None:
            wrong += facts.aliases_of(*other)
    related: list[tuple[int, str]] = []
    if entity is not None:
        keys = {name_key(r) for r in right}
        wrong += [n for n in facts.names_of_type(entity[0]) if name_key(n) not in keys]
        related = await _related_facts(facts, question, entity, right)
    return Expected(tuple(dict.fromkeys(right)), tuple(dict.fromkeys(wrong)), kind, tuple(related))


async def _related_facts(
    facts: FactStore, question: Question, entity: tuple[str, str], names: list[str]
) -> list[tuple[int, str]]:
    """True facts about the answer for a hint, least spoilery first: a character's
    description and traits, a person's other works, what a song is about. Never one
    from the question's own sentence or one that restates the question."""
    predicates = {"character": ("description", "trait"), "person": ("work",)}
    wanted = predicates.get(entity[0], ("about",))
    asked = name_key(question.question)
    own = question.source.sentence if question.source is not None else None
    found = []
    for fact in await facts.facts(*entity):
        if fact.predicate not in wanted or fact.source.sentence == own:
            continue
        if name_key(fact.object) in asked:
            continue
        text = (
            fact.object
            if fact.predicate != "work"
            else f"the articles connect them with {fact.object}."
        )
        found.append((fact.spoiler_level, mask_names(text, names)))
    return sorted(found, key=lambda pair: pair[0])
