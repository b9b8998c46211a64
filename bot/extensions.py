"""Find the bot's extensions: every module or package under cogs/ not starting with "_"."""

from __future__ import annotations

import pkgutil

import cogs


def discover_extensions() -> list[str]:
    return sorted(
        f"{cogs.__name__}.{module.name}"
        for module in pkgutil.iter_modules(cogs.__path__)
        if not module.name.startswith("_")
    )
