"""Per-user cooldowns: the limit per user, and buckets forgotten once a window has passed."""

from __future__ import annotations

from bot.cooldown import Cooldowns


def test_each_user_has_their_own_limit() -> None:
    cooldowns = Cooldowns(2, 30.0)
    assert cooldowns.use(1, 1000.0)[1] is None
    assert cooldowns.use(1, 1001.0)[1] is None
    _, wait = cooldowns.use(1, 1002.0)
    assert wait == 28.0  # the window opened at the first use
    assert cooldowns.use(2, 1002.0)[1] is None  # another fan is not slowed
    assert cooldowns.use(1, 1031.0)[1] is None  # a new window


def test_idle_users_are_forgotten() -> None:
    cooldowns = Cooldowns(5, 30.0)
    for user in range(1000):
        cooldowns.use(user, 1000.0 + user / 100)
    assert len(cooldowns) == 1000
    cooldowns.use(5000, 1100.0)  # every earlier bucket has been idle for a whole window
    assert len(cooldowns) == 1
    # A refused use counts as use: the bucket stays until the fan has been quiet a window.
    for _ in range(7):
        cooldowns.use(7, 1100.0)
    assert cooldowns.use(7, 1129.0)[1] is not None
    assert cooldowns.use(8, 1131.0)[1] is None  # 5000 is gone, 7 (refused at 1129) stays
    assert len(cooldowns) == 2
