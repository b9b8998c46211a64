"""The answer layer without Discord: question forms, name linking, the spoiler gate,
conflicts, follow-ups, and answers for facts a new document brings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.answers import Answers, Conversations, answer_question, parse
from bot.answers._intents import episode_of, words_of
from bot.answers._linking import link_names
from bot.facts.pipeline import build_store
from bot.store import FactStore

EPISODE_NAMED = re.compile(r"\b(?:episodes?|ep)\s*(\d)", re.IGNORECASE)


def shown(reply) -> str:
    parts = []
    if reply.answer:
        parts += [reply.answer.text, *reply.answer.notes]
        parts += [s.sentence for s in reply.answer.sources[:1]]
    parts += [h.text for h in reply.passages]
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("question", "relation"),
    [
        ("who plays mari", "played_by"),
        ("what is seon-woo's job", "occupation"),
        ("who sings love beyond words", "song_singer"),
        ("who wrote the songs", "song_writer"),
        ("who wrote soundtrack #1", "show_writer"),
        ("who wrote the script", "show_writer"),
        ("what songs are on the ost", "ost_list"),
        ("who directed it", "director"),
        ("who made the show", "makers"),
        ("how old is han so hee", "age"),
        ("who interviewed han so hee", "interviewed_by"),
        ("who did the lyrics for love beyond words", "song_writer"),
        ("who is the lyricist of love beyond words", "song_writer"),
        ("what does woo il say about the lyrics", None),  # not asking who wrote them
        ("who are the actors", "cast_list"),  # a plural, not a typo of "actor"
        ("what's ep 1 about", "episode_plot"),
        ("who is the music director", None),  # not the show's director
        ("who are the directors", "director"),
        ("who created soundtrack #1", "makers"),
        ("who are the creators", "makers"),
        ("who made love beyond words", "song_singer"),  # the song's, not the show's
        ("when did it premiere", "premiere"),
        ("when does episode 2 air", "episode_air"),
        ("what happens in ep 3", "episode_plot"),
        ("what day does it air", "slot"),
        ("how many episodes are there", "episode_count"),
        ("where can i stream it", "platform"),
        ("what else did han so hee star in", "works"),
        ("why does seon woo prefer film", None),
    ],
)
def test_question_forms(question: str, relation: str | None) -> None:
    named = relation in ("played_by", "occupation", "works")
    intent = parse(
        question,
        has_song="love beyond words" in question,
        has_person="han so hee" in question,
        has_character=named and "han so hee" not in question,
        title="Soundtrack #1",
    )
    assert intent.relation == relation


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("who sings the second ost", 2),
        ("who sings ost 2", 2),
        ("who sang ost #1", 1),
        ("ost part 3", 3),
        ("who sings soundtrack #1", None),  # the show's title, not an OST's number
        ("what happens in episode 2", None),
    ],
)
def test_an_ost_number_in_digits_or_words(question: str, place: int | None) -> None:
    intent = parse(
        question, has_song=False, has_person=False, has_character=False, title="Soundtrack #1"
    )
    assert intent.ordinal == place


def test_episode_numbers_in_words() -> None:
    assert episode_of(" when does ep. 3 air ") == 3
    assert episode_of(" the second episode ") == 2
    assert episode_of(" the finale ") == -1
    assert episode_of(" who plays mari ") is None
    assert words_of("Seon-woo’s job") == ("seon-woo", "job")


async def test_names_link_through_the_alias_index(facts: FactStore) -> None:
    def linked(text: str) -> list[str]:
        return [
            m.name for m in link_names(words_of(text), facts.find_names, facts.is_alias).matches
        ]

    assert linked("who does hansohe play") == ["Han So-hee"]
    assert linked("who plays gyoel han") == ["Gyeol Han"]  # a swapped pair of letters
    assert linked("what does sunwoo do") == ["Han Seon-woo"]
    assert linked("who sings tender heart") == ["Your Tender Heart Hurts Me"]
    # Unrelated words and bare fragments link nothing.
    assert linked("who is jennifer") == []
    assert linked("do they fall in love") == []
    assert linked("who is park") == []
    assert linked("lee min ho") == []


async def test_direct_answers_cite_their_sentence(facts: FactStore) -> None:
    reply = await answer_question(facts, "who plays gyeol han", 0)
    assert reply.answer is not None and "Park Hoon" in reply.answer.text
    source = reply.answer.sources[0]
    assert "Gyeol Han (Park Hoon)" in source.sentence and source.document.id == "hallyu-review"
    job = await answer_question(facts, "what does eun-soo do for a living", 0)
    assert job.answer is not None and "lyricist" in job.answer.text
    assert 1 <= len(job.passages) <= 3


async def test_disagreeing_documents_are_said(facts: FactStore) -> None:
    friends = await answer_question(facts, "how long have they been friends", 0)
    assert friends.answer is not None and "20 years" in friends.answer.text
    assert any("nearly twenty years" in n for n in friends.answer.notes)
    premiere = await answer_question(facts, "when did it premiere", 0)
    assert premiere.answer is not None and re.search(r"<t:\d+:D>", premiere.answer.text)
    assert any("not announced" in n for n in premiere.answer.notes)


async def test_nothing_beyond_progress_is_used_or_located(facts: FactStore) -> None:
    for question in ("do they kiss", "kiss", "how does it end", "who is jennifer"):
        for progress in (0, 1):
            reply = await answer_question(facts, question, progress)
            assert all(h.spoiler_level <= progress for h in reply.passages)
            assert reply.answer is None or reply.answer.level <= progress
            named = {int(n) for n in EPISODE_NAMED.findall(shown(reply))}
            assert not {n for n in named if n > progress}, (question, progress)
            assert "only kiss" not in shown(reply)
    early = await answer_question(facts, "who is jennifer", 0)
    assert early.answer is None and early.withheld and early.beyond > 0
    later = await answer_question(facts, "who is jennifer", 1)
    assert later.answer is not None and "Jennifer" in later.answer.text
    plot = await answer_question(facts, "what happens in episode 4", 1)
    assert plot.answer is None and plot.withheld


async def test_a_safe_passage_below_spoilery_ones_is_still_found(facts: FactStore) -> None:
    # Ranking the top passages first and gating afterwards hid this at progress 1.
    reply = await answer_question(facts, "what language audio does Disney+ default to", 1)
    assert any("dubbed English" in h.text for h in reply.passages)
    stemmed = await answer_question(facts, "how does it end", 4)
    assert any("ends with the two friends together" in h.text for h in stemmed.passages)


async def test_follow_ups_use_the_last_question(facts: FactStore) -> None:
    conversations = Conversations(ttl=60.0)
    first = await answer_question(facts, "tell me about love beyond words", 0)
    conversations.remember(7, first, now=0.0)
    follow = await answer_question(facts, "and who sings it", 0, conversations.context(7, 1.0))
    assert follow.answer is not None and "Kyuhyun" in follow.answer.text
    assert conversations.context(7, now=120.0) == ()  # too long ago
    assert conversations.context(8, now=1.0) == ()  # someone else


async def test_kept_replies_are_the_replies_answer_question_builds(facts: FactStore) -> None:
    answers = Answers(facts)
    asked = [("who is jennifer", 0), ("who is jennifer", 1), ("kiss", 1), ("kiss", 4)]
    for question, progress in asked:
        assert answers.kept(question, progress) is None
        built = await answers.answer(question, progress)
        assert built == await answer_question(facts, question, progress)
    # Kept per progress: the spoiler gate's answer at 0 is not the one at 1.
    early, later = answers.kept("who is jennifer", 0), answers.kept("who is jennifer", 1)
    assert early is not None and early.answer is None and early.withheld
    assert later is not None and later.answer is not None
    # Asked again in other case and punctuation: the same reply, echoing the fan's words.
    again = answers.kept("Who is Jennifer?", 1)
    assert again is not None and again.question == "Who is Jennifer?"
    assert again.answer == later.answer and again.passages == later.passages
    # A follow-up is kept with what it followed: "it" is another song after another question.
    conversations = Conversations()
    for topic, singer in (("love beyond words", "Kyuhyun"), ("tender heart", "DAVICHI")):
        conversations.remember(7, await answers.answer(f"tell me about {topic}", 0))
        follow = await answers.answer("and who sings it", 0, conversations.context(7))
        assert follow.answer is not None and singer in follow.answer.text
    # A question too long to be a real one is answered, not kept.
    flood = "who plays mari " * 20
    await answers.answer(flood, 0)
    assert answers.kept(flood, 0) is None


async def test_a_new_documents_facts_are_answerable(data_copy, tmp_path: Path) -> None:
    documents, curated = data_copy
    (documents / "005_new.txt").write_text(
        "Soundtrack #1 casting news\n\nIn a cameo, Choi Min-ho plays Baek Do-yun.\n",
        encoding="utf-8",
    )
    db = tmp_path / "facts.db"
    build_store(documents, curated, db)
    store = await FactStore.open(db)
    try:
        reply = await answer_question(store, "who plays baek doyun", 0)
        assert reply.answer is not None and "Choi Min-ho" in reply.answer.text
        role = await answer_question(store, "who does choi min ho play", 0)
        assert role.answer is not None and "Baek Do-yun" in role.answer.text
    finally:
        await store.close()


async def test_a_name_asked_in_another_spelling_notes_the_spellings(facts: FactStore) -> None:
    reply = await answer_question(facts, "who is han sun-woo", 0)
    assert reply.answer is not None and "Han Seon-woo" in reply.answer.text
    assert any("spelling of Han Seon-woo" in n for n in reply.answer.notes)
    plain = await answer_question(facts, "who is han seon-woo", 0)
    assert plain.answer is not None and not plain.answer.notes


@pytest.mark.parametrize(
    ("question", "relation"),
    [
        ("which actor plays the lyricist", "played_by"),
        ("who is the male lead", "leads"),
        ("who are the main characters", "leads"),
        ("who wrote the review", "document"),
        ("who is the author of the listicle", "document"),
        ("who directd it", "director"),
        ("who is the directer", "director"),
        ("what songs are on the ost", "ost_list"),  # "songs" is a word, not a typo of "sings"
        ("how many ep are there", "episode_count"),
        ("is it a romcom", "genre"),  # what the documents call it answers it
        ("tell me about the director", "director"),  # a topic alone, not the premise
        ("whats the ost", "ost_list"),
        ("give me a summary", "premise"),
        ("cast?", "cast_list"),
        ("soundtrack #1 episodes", "episode_count"),  # the title, then a topic
        ("when does it air in kst", "slot"),
        ("what day is the finale", "episode_air"),  # when, not what happens
        ("is episode 4 the last", "episode_count"),
        ("when did the ost come out", None),  # the songs came out before the show
        ("who released the photos", "identity"),  # a role to look up, not the premiere
        ("who wrote the sportskeeda article", "document"),  # the outlet names the document
    ],
)
def test_question_forms_without_names(question: str, relation: str | None) -> None:
    intent = parse(
        question, has_song=False, has_person=False, has_character=False, title="Soundtrack #1"
    )
    assert intent.relation == relation


async def test_a_named_characters_role_is_held_by_someone_else(facts: FactStore) -> None:
    friends = await answer_question(facts, "who are seon woo's friends", 4)
    assert friends.answer is not None
    assert "Mari" in friends.answer.text and "Gyeol Han" in friends.answer.text
    assert "Han Seon-woo" not in friends.answer.text
    # Kang Woo-il is Eun-soo's potential love interest, not the one Seon-woo loves.
    loves = await answer_question(facts, "who does seon woo love", 4)
    assert loves.answer is None or "Kang Woo-il" not in loves.answer.text
    actor = await answer_question(facts, "which actor plays the lyricist", 0)
    assert actor.answer is not None and "Han So-hee" in actor.answer.text


async def test_leads_and_documents_come_from_the_store(facts: FactStore) -> None:
    leads = await answer_question(facts, "who are the leads", 0)
    cast = await facts.cast()
    assert leads.answer is not None
    assert all(c.name in leads.answer.text for c in cast[:2])
    assert all(c.name not in leads.answer.text for c in cast[2:])
    male = await answer_question(facts, "who is the male lead", 0)
    assert male.answer is not None and cast[0].name in male.answer.text
    assert cast[1].name not in male.answer.text
    documents = {d.kind: d for d in await facts.documents()}
    review = await answer_question(facts, "who wrote the review", 0)
    assert review.answer is not None and documents["review"].outlet in review.answer.text
    assert "Ahn Sae-bom" not in review.answer.text
    interview = await answer_question(facts, "who wrote the interview", 0)
    assert interview.answer is not None and documents["interview"].author in interview.answer.text


@pytest.mark.parametrize(
    ("question", "person", "character", "relation"),
    [
        ("eun soo zombie movies", False, True, None),  # a character has no filmography
        ("what movies does eun soo like", False, True, "traits"),
        ("what else has she been in", False, True, "works"),  # a follow-up about the actor
        ("han so hee dramas", True, False, "works"),
        ("what does park hyung sik say about the drama", True, False, None),
        ("what did han so hee text the director", True, False, None),
        ("does jin appear in the show", True, False, "identity"),  # whether, and as whom
        ("did seo in guk star in soundtrack 1", True, False, "identity"),
    ],
)
def test_forms_that_depend_on_whom_they_name(
    question: str, person: bool, character: bool, relation: str | None
) -> None:
    intent = parse(
        question, has_song=False, has_person=person, has_character=character, title="Soundtrack #1"
    )
    assert intent.relation == relation


@pytest.mark.parametrize(
    "question",
    ["who is seon woo's mentor", "who is eun soo's ex", "where does seon woo go"],
)
async def test_a_name_with_an_unanswered_question_gets_no_profile(
    facts: FactStore, question: str
) -> None:
    """Nothing stored answers these; a profile of the name would answer another question."""
    reply = await answer_question(facts, question, 4)
    assert reply.answer is None
    assert reply.passages  # the passages still answer what they can


async def test_a_trait_asked_about_is_that_trait(facts: FactStore) -> None:
    traits = await facts.facts(subject_type="character", predicate="trait")
    trait = next(f for f in traits if "movies" in f.object)
    reply = await answer_question(facts, "what movies does eun soo like", trait.spoiler_level)
    assert reply.answer is not None and trait.object.rstrip(".") in reply.answer.text
    # Below the trait's level, the viewer's other traits answer, never this one.
    early = await answer_question(facts, "what movies does eun soo like", trait.spoiler_level - 1)
    assert early.answer is None or "movies" not in early.answer.text


async def test_several_names_asked_who_is_answer_each(facts: FactStore) -> None:
    reply = await answer_question(facts, "who are mari and gyeol han", 0)
    assert reply.answer is not None
    for character in await facts.cast():
        if character.name in ("Mari", "Gyeol Han"):
            assert character.actor is not None and character.actor.name in reply.answer.text


async def test_an_outlet_names_its_document(facts: FactStore) -> None:
    documents = [d for d in await facts.documents() if d.outlet and d.author]
    for document in documents:
        reply = await answer_question(facts, f"who wrote the {document.outlet} article", 0)
        assert reply.answer is not None and document.author in reply.answer.text
        others = [d.author for d in documents if d is not document]
        assert all(a not in reply.answer.text for a in others)


async def test_a_characters_age_is_said_to_be_the_actors(facts: FactStore) -> None:
    """No document gives a character's age: asked of one, the answer is the actor's, and
    says so."""
    lead = (await facts.cast())[0]
    assert lead.actor is not None
    ages = await facts.facts("person", lead.actor.id, "age")
    reply = await answer_question(facts, f"how old is {lead.name}", 0)
    assert reply.answer is not None
    assert f"don't give **{lead.name}**'s age" in reply.answer.text
    assert f"**{lead.actor.name}**, who plays the role, was **{ages[0].object}**" in (
        reply.answer.text
    )


@pytest.mark.parametrize(
    ("message", "questions"),
    [
        ("who plays mari and who sings love beyond words", 2),
        ("who plays mari? also when does ep 2 air", 2),
        ("who is seon woo. what does he do", 2),
        ("who plays mari and gyeol han", 1),  # two names, one question
        ("what do mari and gyeol han do", 1),
        ("who wrote and sang want to be happy", 1),
        ("how long have seon woo and eun soo been friends", 1),
        ("seon woo and eun soo, who plays them", 1),  # the names, then the question
        ("and who sings it", 1),  # a follow-up is one question
    ],
)
def test_a_message_with_several_questions_is_read_as_each(message: str, questions: int) -> None:
    from bot.answers import questions_in

    parts = questions_in(message)
    assert len(parts) == questions
    if questions == 1:
        assert parts == [message]


async def test_several_questions_get_each_answer_in_order(facts: FactStore) -> None:
    both = await answer_question(facts, "who plays mari and who sings love beyond words", 0)
    mari = await answer_question(facts, "who plays mari", 0)
    song = await answer_question(facts, "who sings love beyond words", 0)
    assert both.answer is not None and mari.answer is not None and song.answer is not None
    assert both.answer.text == f"{mari.answer.text} {song.answer.text}"
    # A later question follows on from the one before it ("it" is the song).
    chained = await answer_question(facts, "what is love beyond words about and who sings it", 0)
    assert chained.answer is not None and song.answer.text in chained.answer.text


async def test_each_of_several_questions_is_gated_on_its_own(facts: FactStore) -> None:
    """A safe answer beside one beyond progress: the safe one shows, the other is withheld."""
    safe = "who plays mari"
    late = "what happens in the last episode"
    alone = await answer_question(facts, late, 0)
    assert alone.answer is None and alone.withheld
    both = await answer_question(facts, f"{safe} and {late}", 0)
    mari = await answer_question(facts, safe, 0)
    assert both.answer is not None and mari.answer is not None
    assert both.answer.text == mari.answer.text and both.withheld


@pytest.mark.parametrize("question", ["who plays her", "who is she", "what does he do"])
async def test_a_pronoun_with_nothing_before_it_names_nobody(
    facts: FactStore, question: str
) -> None:
    """ "her" is no role word: without a question before it, nobody is meant."""
    for progress in (0, facts.episode_count):
        reply = await answer_question(facts, question, progress)
        assert reply.answer is None and not reply.withheld


async def test_a_role_of_two_names_is_asked_once_of_both(facts: FactStore) -> None:
    """ "Seon-woo and Eun-soo's friends" are their mutual friends, not each lead as the
    other's friend; "who are Seon-woo and Eun-soo" is each of them."""
    friends = await answer_question(facts, "who are seon woo and eun soo's friends", 0)
    assert friends.answer is not None
    assert "Mari" in friends.answer.text and "Gyeol Han" in friends.answer.text
    assert "Han Seon-woo" not in friends.answer.text and "Lee Eun-soo" not in friends.answer.text
    both = await answer_question(facts, "who are seon woo and eun soo", 0)
    assert both.answer is not None
    assert "Park Hyung-sik" in both.answer.text and "Han So-hee" in both.answer.text
