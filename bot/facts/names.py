"""Name keys: how two spellings of one name are recognised as the same."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[\W_]+")


def name_key(text: str) -> str:
    """Case-, space-, hyphen- and accent-insensitive key: "Han Seon-woo" -> "hanseonwoo"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALNUM.sub("", stripped.casefold())


def slug(text: str) -> str:
    """Stable id for a name: "Han Seon-woo" -> "han-seon-woo"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALNUM.sub("-", stripped.casefold()).strip("-")
