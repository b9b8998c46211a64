"""Everything that touches SQL: the fact store (read-only at run time), its writer, and
the bot's state database."""

from bot.store.facts import FactStore, fts_query
from bot.store.state import StateStore

__all__ = ["FactStore", "StateStore", "fts_query"]
