"""The bounded cache the stores keep what they read or derive in."""

from __future__ import annotations

from bot.store.lru import LRU


def test_the_cache_forgets_the_least_recently_used() -> None:
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert "b" not in cache and "a" in cache and "c" in cache
