"""The Soundtrack #1 fan bot."""

from bot.app import SoundtrackBot, create_bot

__all__ = ["SoundtrackBot", "create_bot"]
