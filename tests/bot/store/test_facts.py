"""FactStore.songs_by: `/ost Davichi` finds the song its singer or writer is credited on."""

from __future__ import annotations

from bot.store import FactStore


async def test_songs_are_found_by_singer_and_writer(facts: FactStore) -> None:
    person, songs = facts.songs_by("davichi", min_score=70)
    assert person == "DAVICHI"
    assert [s.title for s in songs] == ["Your Tender Heart Hurts Me"]
    # Park Bo-ram wrote and sang one song: it is listed once.
    person, songs = facts.songs_by("park bo ram", min_score=70)
    assert (person, [s.title for s in songs]) == ("Park Bo-ram", ["Want to Be Happy"])
    assert facts.songs_by("Kyuhyn", min_score=70)[0] == "Kyuhyun"  # a typo is fine
    # Someone credited on no song (an actor), or no one at all: nothing.
    assert facts.songs_by("Han So-hee", min_score=70)[1] == []
    assert facts.songs_by("zzzz", min_score=70) == ("", [])
