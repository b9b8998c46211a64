"""Where the real documents and curated file are: every test builds from them."""

from __future__ import annotations

from bot.settings import DATA_DIR

DOCUMENTS_DIR = DATA_DIR / "documents"
CURATED_FILE = DATA_DIR / "curated.toml"
