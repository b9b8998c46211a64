"""Find the bot's extensions: every module or package under cogs/ not starting with "_"."""

from __future__ import annotations

import pkgutil
from pathlib import Path

import cogs


def _check_cogs_is_ours() -> None:
    """`cogs` is a generic top-level name (see README "Installing"): refuse to load the
    extensions of another package of that name found earlier on sys.path."""
    ours = Path(__file__).resolve().parent.parent
    found = Path(cogs.__file__ or "").resolve().parent.parent
    if found != ours:
        raise ImportError(
            f"the 'cogs' package in {found} is not this bot's (in {ours}): "
            "install soundtrack-bot in its own virtual environment"
        )


def discover_extensions() -> list[str]:
    _check_cogs_is_ours()
    return sorted(
        f"{cogs.__name__}.{module.name}"
        for module in pkgutil.iter_modules(cogs.__path__)
        if not module.name.startswith("_")
    )
