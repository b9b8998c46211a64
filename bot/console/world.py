"""The pretend fan server the playground, the tests and the benchmark run the bot in.

The emulator knows nothing of the show; this is the bot's side of the set-up: the
emulator's sample server named for the show, a "Soundtrack Fans" guild with an owner, a
moderator, two members, a #general chat, an "episodes" forum with a tag per episode plus
"Spoilers", and a voice channel.
"""

from __future__ import annotations

from discord_emulator import Channel, Emulator, SampleServer, sample_server


class FanWorld(SampleServer):
    @property
    def episodes(self) -> Channel:
        """The "episodes" forum: one post per episode."""
        return self.forum


def fan_world(
    emu: Emulator, episode_count: int, *, shard: tuple[int, int] | None = None
) -> FanWorld:
    """Create the fan server in ``emu``; its forum gets one tag per episode of the store.
    ``shard=(id, count)`` puts it on that gateway shard (for several bot processes)."""
    return sample_server(
        emu,
        name="Soundtrack Fans",
        owner=("jiwoo", "Ji-woo (owner)"),
        moderator=("minseo", "Min-seo (mod)"),
        category="Soundtrack #1",
        general_topic="Chat about the show",
        forum="episodes",
        forum_topic="One post per episode",
        forum_tags=[*(f"Episode {n}" for n in range(1, episode_count + 1)), "Spoilers"],
        voice="Listening Party",
        cls=FanWorld,
        shard=shard,
    )
