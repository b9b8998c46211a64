"""Where the real documents and curated file are: every test builds from them."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.settings import DATA_DIR

DOCUMENTS_DIR = DATA_DIR / "documents"
CURATED_FILE = DATA_DIR / "curated.toml"
AIR = {  # the store's air times (episodes 2-4 derived from the weekly slot)
    1: datetime(2022, 3, 23, 7, 0, tzinfo=UTC),
    2: datetime(2022, 3, 30, 7, 0, tzinfo=UTC),
    3: datetime(2022, 4, 6, 7, 0, tzinfo=UTC),
    4: datetime(2022, 4, 13, 7, 0, tzinfo=UTC),
}
