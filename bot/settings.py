"""Typed settings, loaded once from the environment and an optional .env file.

Every setting is documented in .env.example. Secrets have no default.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal, get_args

from dotenv import dotenv_values

from bot.store.dialect import redact_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# A source checkout (editable install or tests) keeps everything in data/; an installed
# wheel has no project root, so it reads the documents shipped inside the package
# (bot/_bundled, mapped from data/ at build time) and writes its databases to a user data
# directory.
IN_CHECKOUT = (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "data").is_dir()
BUNDLED_DATA = Path(__file__).resolve().parent / "_bundled"
# The source documents, their metadata and the curated file.
DATA_DIR = PROJECT_ROOT / "data" if IN_CHECKOUT else BUNDLED_DATA
APP_NAME = "soundtrack-bot"

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it in one line."""


def _optional_int(name: str, raw: str) -> int | None:
    return None if raw == "" else _int(name, raw)


def _int(name: str, raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None


def _positive_int(name: str, raw: str) -> int:
    value = _int(name, raw)
    if value < 1:
        raise SettingsError(f"{name} must be 1 or more, got {value}")
    return value


def _optional_positive_int(name: str, raw: str) -> int | None:
    return None if raw == "" else _positive_int(name, raw)


def _log_level(name: str, raw: str) -> str:
    level = raw.upper()
    if level not in LOG_LEVELS:
        raise SettingsError(f"{name} must be one of {', '.join(LOG_LEVELS)}, got {raw!r}")
    return level


def default_db_dir(environ: Mapping[str, str]) -> Path:
    """Where the databases go when DB_DIR is unset: data/ in a checkout, else the XDG
    user data directory ($XDG_DATA_HOME/soundtrack-bot, ~/.local/share/soundtrack-bot)."""
    if IN_CHECKOUT:
        return PROJECT_ROOT / "data"
    xdg = environ.get("XDG_DATA_HOME", "").strip()
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / APP_NAME


def _base_dir() -> Path:
    # Relative paths are from the project root in a checkout, else from where you are.
    return PROJECT_ROOT if IN_CHECKOUT else Path.cwd()


def _path(name: str, raw: str) -> Path:
    path = Path(raw).expanduser()
    return path if path.is_absolute() else _base_dir() / path


def _optional_path(name: str, raw: str) -> Path | None:
    return None if raw == "" else _path(name, raw)


def _secret(name: str, raw: str) -> str | None:
    return raw.strip() or None


def _database_url(name: str, raw: str) -> str | None:
    # Never echoed: the URL may hold a password.
    if not raw:
        return None
    if not raw.startswith(("postgresql://", "postgres://")):
        raise SettingsError(f"{name} must be a postgresql:// URL (or empty for SQLite)")
    return raw


def _int_list(name: str, raw: str) -> frozenset[int]:
    return frozenset(_int(name, part.strip()) for part in raw.split(",") if part.strip())


def _shard_ids(name: str, raw: str) -> tuple[int, ...] | None:
    """ "0-3", "0,2" or "0-1,3" as sorted shard ids; None (empty) means every shard."""
    if not raw:
        return None
    ids: set[int] = set()
    for part in raw.split(","):
        low, dash, high = part.strip().partition("-")
        try:
            first, last = int(low), int(high if dash else low)
        except ValueError:
            raise SettingsError(
                f"{name} must list shard numbers and ranges such as 0-3 or 0,2, got {raw!r}"
            ) from None
        if first < 0 or last < first:
            raise SettingsError(f"{name} has a bad range {part.strip()!r} (write low-high)")
        ids.update(range(first, last + 1))
    return tuple(sorted(ids))


def _check_shards(shard_count: int | None, shard_ids: tuple[int, ...] | None) -> None:
    if shard_ids is None:
        return
    if shard_count is None:
        raise SettingsError("SHARD_IDS needs SHARD_COUNT (the total over every process)")
    beyond = [i for i in shard_ids if i >= shard_count]
    if beyond:
        raise SettingsError(
            f"SHARD_IDS lists shard {beyond[0]}, but SHARD_COUNT={shard_count} means shards"
            f" 0-{shard_count - 1}"
        )


# Discord only accepts these auto-archive durations (1 hour to 7 days).
AutoArchiveMinutes = Literal[60, 1440, 4320, 10080]
AUTO_ARCHIVE_MINUTES: tuple[AutoArchiveMinutes, ...] = get_args(AutoArchiveMinutes)


def _auto_archive(name: str, raw: str) -> AutoArchiveMinutes:
    value = _int(name, raw)
    for allowed in AUTO_ARCHIVE_MINUTES:
        if value == allowed:
            return allowed
    listed = ", ".join(str(m) for m in AUTO_ARCHIVE_MINUTES)
    raise SettingsError(f"{name} must be one of {listed} (minutes), got {value}")


@dataclass(frozen=True, slots=True)
class Settings:
    # Never logged or echoed; None means "run the local playground instead".
    discord_token: str | None
    log_level: str
    documents_dir: Path
    curated_file: Path
    facts_db: Path
    state_db: Path
    dev_guild_id: int | None
    shard_count: int | None
    owner_ids: frozenset[int]
    thread_auto_archive_minutes: AutoArchiveMinutes
    gateway_timeout: int
    # PostgreSQL for the state instead of the SQLite file state_db; may hold a password.
    database_url: str | None = None
    # The shards this process opens, of shard_count over every process; None: all of them.
    shard_ids: tuple[int, ...] | None = None

    def serves(self, guild_id: int | None) -> bool:
        """Whether this process opens the shard Discord assigns `guild_id` to (DMs, None,
        are shard 0's): only then does it run that server's scheduled work."""
        if self.shard_ids is None or not self.shard_count:
            return True
        shard = 0 if guild_id is None else (guild_id >> 22) % self.shard_count
        return shard in self.shard_ids

    def __repr__(self) -> str:
        # Keep the token and the database password out of any repr that might reach a log.
        shown = {f.name: getattr(self, f.name) for f in fields(self)}
        shown["discord_token"] = "<set>" if self.discord_token else None
        if self.database_url:
            shown["database_url"] = redact_url(self.database_url)
        return "Settings(" + ", ".join(f"{k}={v!r}" for k, v in shown.items()) + ")"


# field name -> (environment variable, parser, default as the environment would give it)
_SPEC: dict[str, tuple[str, Callable[[str, str], Any], str]] = {
    "discord_token": ("DISCORD_TOKEN", _secret, ""),
    "log_level": ("LOG_LEVEL", _log_level, "INFO"),
    "documents_dir": ("DOCUMENTS_DIR", _path, str(DATA_DIR / "documents")),
    "curated_file": ("CURATED_FILE", _path, str(DATA_DIR / "curated.toml")),
    # Empty: DB_DIR/facts.db and DB_DIR/state.db (filled in by load_settings).
    "facts_db": ("FACTS_DB", _optional_path, ""),
    "state_db": ("STATE_DB", _optional_path, ""),
    "dev_guild_id": ("DEV_GUILD_ID", _optional_int, ""),
    "shard_count": ("SHARD_COUNT", _optional_positive_int, ""),
    "shard_ids": ("SHARD_IDS", _shard_ids, ""),
    "owner_ids": ("OWNER_IDS", _int_list, ""),
    "thread_auto_archive_minutes": ("THREAD_AUTO_ARCHIVE_MINUTES", _auto_archive, "1440"),
    "gateway_timeout": ("GATEWAY_TIMEOUT", _positive_int, "60"),
    "database_url": ("DATABASE_URL", _database_url, ""),
}


def env_files() -> list[Path]:
    """The .env files read, weakest first: the project root's, then the current directory's."""
    files = [PROJECT_ROOT / ".env"] if IN_CHECKOUT else []
    here = Path.cwd() / ".env"
    if here.resolve() not in {f.resolve() for f in files}:
        files.append(here)
    return files


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = None
) -> Settings:
    """Read settings: the process environment wins over the .env files (the current
    directory's over the project root's), which win over defaults."""
    source: dict[str, str] = {}
    for path in [env_file] if env_file is not None else env_files():
        if path.is_file():
            source.update({k: v for k, v in dotenv_values(path).items() if v is not None})
    source.update(os.environ if environ is None else environ)

    values: dict[str, Any] = {}
    for name, (env, parse, default) in _SPEC.items():
        values[name] = parse(env, source.get(env, default).strip())
    raw_db_dir = source.get("DB_DIR", "").strip()
    db_dir = _path("DB_DIR", raw_db_dir) if raw_db_dir else default_db_dir(source)
    for name, filename in (("facts_db", "facts.db"), ("state_db", "state.db")):
        if values[name] is None:
            values[name] = db_dir / filename
    _check_shards(values["shard_count"], values["shard_ids"])
    return Settings(**values)
