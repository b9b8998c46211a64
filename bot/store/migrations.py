"""Schema migrations of the state database, applied in order by StateStore.open.

Append only: never edit a migration that has shipped; add a new one. Statements are
separated by semicolons, so none may contain one inside a string.

A migration is portable SQL (SQLite's spelling, rendered for PostgreSQL by
bot/store/dialect.py), or a `PerDialect` pair where the two cannot share one spelling:
SQLite cannot alter a table's constraints and rebuilds the table instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"


@dataclass(frozen=True, slots=True)
class PerDialect:
    """One migration spelled for each database (both still go through the PostgreSQL
    rendering of bot/store/dialect.py on PostgreSQL)."""

    sqlite: str
    postgresql: str


Migration = str | PerDialect


def migration_script(migration: Migration, dialect: str) -> str:
    """The statements of one migration for a StateStore's `dialect`."""
    if isinstance(migration, str):
        return migration
    return migration.postgresql if dialect == "postgresql" else migration.sqlite


# 6: the tables of migrations 1, 3, 4 and 5 keep only the lower bound of an episode
# (progress 0, an episode 1): the upper one is the fact store's episode count, which the
# bot checks before it writes (bot/episodes.py), so a corpus with more episodes fits.
# SQLite rebuilds each table (copied aside, dropped, created again, copied back; its
# indexes again), with the same columns in the same order; none of them is a foreign
# key's parent or child, so dropping one breaks no reference.
_REBUILT: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # table: (columns and constraints, column list, indexes)
    "user_progress": (
        f"""
        user_id INTEGER NOT NULL,
        guild_id INTEGER NOT NULL,  -- 0: the user's global progress
        episode INTEGER NOT NULL CHECK (episode >= 0),
        updated_at TEXT NOT NULL DEFAULT {_NOW},
        PRIMARY KEY (user_id, guild_id)
        """,
        "user_id, guild_id, episode, updated_at",
        (),
    ),
    "guild_settings": (
        """
        guild_id INTEGER PRIMARY KEY,
        default_progress INTEGER NOT NULL DEFAULT 0 CHECK (default_progress >= 0),
        discussion_channel_id INTEGER,
        alert_role_name TEXT,
        alert_role_id BIGINT,
        poll_hours INTEGER
        """,
        "guild_id, default_progress, discussion_channel_id, alert_role_name, alert_role_id,"
        " poll_hours",
        (),
    ),
    "discussion_threads": (
        f"""
        guild_id INTEGER NOT NULL,
        episode INTEGER NOT NULL CHECK (episode >= 1),
        thread_id INTEGER NOT NULL UNIQUE,
        parent_id INTEGER NOT NULL,
        starter_message_id INTEGER NOT NULL,
        opened_by INTEGER,
        created_at TEXT NOT NULL DEFAULT {_NOW},
        PRIMARY KEY (guild_id, episode)
        """,
        "guild_id, episode, thread_id, parent_id, starter_message_id, opened_by, created_at",
        (),
    ),
    "discussion_schedule_runs": (
        f"""
        guild_id INTEGER NOT NULL,
        episode INTEGER NOT NULL CHECK (episode >= 1),
        due_at TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('opened', 'existing', 'failed')),
        detail TEXT,
        ran_at TEXT NOT NULL DEFAULT {_NOW},
        PRIMARY KEY (guild_id, episode, due_at)
        """,
        "guild_id, episode, due_at, outcome, detail, ran_at",
        (),
    ),
    "trivia_custom_questions": (
        """
        id INTEGER PRIMARY KEY,
        guild_id BIGINT NOT NULL,
        category TEXT NOT NULL,
        difficulty TEXT NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        wrong1 TEXT NOT NULL,
        wrong2 TEXT NOT NULL,
        wrong3 TEXT NOT NULL,
        aliases TEXT NOT NULL DEFAULT '',
        spoiler_level INTEGER NOT NULL CHECK (spoiler_level >= 0),
        author_id BIGINT,
        created_at TEXT NOT NULL,
        UNIQUE (guild_id, question)
        """,
        "id, guild_id, category, difficulty, question, answer, wrong1, wrong2, wrong3, aliases,"
        " spoiler_level, author_id, created_at",
        (),
    ),
    "episode_polls": (
        """
        guild_id BIGINT NOT NULL,
        episode INTEGER NOT NULL CHECK (episode >= 1),
        channel_id BIGINT NOT NULL,
        message_id BIGINT NOT NULL UNIQUE,
        expires_at TEXT NOT NULL,
        ended_at TEXT,
        votes_1 INTEGER,
        votes_2 INTEGER,
        votes_3 INTEGER,
        votes_4 INTEGER,
        votes_5 INTEGER,
        PRIMARY KEY (guild_id, episode)
        """,
        "guild_id, episode, channel_id, message_id, expires_at, ended_at,"
        " votes_1, votes_2, votes_3, votes_4, votes_5",
        ("CREATE INDEX episode_polls_open ON episode_polls (ended_at, expires_at)",),
    ),
    "episode_events": (
        """
        guild_id BIGINT NOT NULL,
        episode INTEGER NOT NULL CHECK (episode >= 1),
        event_id BIGINT NOT NULL UNIQUE,
        starts_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, episode)
        """,
        "guild_id, episode, event_id, starts_at",
        (),
    ),
}


def _rebuild(table: str, body: str, columns: str, indexes: tuple[str, ...]) -> str:
    # Through a temporary copy rather than SQLite's recipe (create new, copy, drop, rename):
    # a rename rewrites the whole schema and would make every new database's first open
    # several times slower; the copy is undone with the rest if anything fails.
    return ";\n".join(
        (
            f"CREATE TEMP TABLE {table}_kept AS SELECT {columns} FROM main.{table}",
            f"DROP TABLE main.{table}",
            f"CREATE TABLE main.{table} ({body})",
            f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM temp.{table}_kept",
            f"DROP TABLE temp.{table}_kept",
            *indexes,
        )
    )


# PostgreSQL names a column's CHECK constraint <table>_<column>_check.
_BOUNDED = (
    ("user_progress", "episode", 0),
    ("guild_settings", "default_progress", 0),
    ("discussion_threads", "episode", 1),
    ("discussion_schedule_runs", "episode", 1),
    ("trivia_custom_questions", "spoiler_level", 0),
    ("episode_polls", "episode", 1),
    ("episode_events", "episode", 1),
)

_EPISODE_LOWER_BOUNDS_ONLY = PerDialect(
    sqlite=";\n".join(_rebuild(table, *parts) for table, parts in _REBUILT.items()),
    postgresql=";\n".join(
        f"ALTER TABLE {table} DROP CONSTRAINT {table}_{column}_check,"
        f" ADD CONSTRAINT {table}_{column}_check CHECK ({column} >= {lowest:d})"
        for table, column, lowest in _BOUNDED
    ),
)

MIGRATIONS: Sequence[Migration] = (
    # 1: watch progress and server settings
    f"""
    CREATE TABLE user_progress (
        user_id INTEGER NOT NULL,
        guild_id INTEGER NOT NULL,  -- 0: the user's global progress
        episode INTEGER NOT NULL CHECK (episode BETWEEN 0 AND 4),
        updated_at TEXT NOT NULL DEFAULT {_NOW},
        PRIMARY KEY (user_id, guild_id)
    );
    CREATE TABLE guild_settings (
        guild_id INTEGER PRIMARY KEY,
        default_progress INTEGER NOT NULL DEFAULT 0 CHECK (default_progress BETWEEN 0 AND 4),
        discussion_channel_id INTEGER
    );
    """,
    # 2: trivia games, their rounds, and every player's answer (written when a round closes)
    f"""
    CREATE TABLE trivia_games (
        id INTEGER PRIMARY KEY,
        guild_id INTEGER,
        channel_id INTEGER NOT NULL,
        starter_id INTEGER NOT NULL,
        rounds INTEGER NOT NULL,
        category TEXT,
        difficulty TEXT,
        spoiler_cap INTEGER NOT NULL,
        seconds INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'running'
            CHECK (status IN
                ('running', 'finished', 'stopped', 'abandoned', 'interrupted', 'failed')),
        end_reason TEXT,
        started_at TEXT NOT NULL DEFAULT {_NOW},
        ended_at TEXT
    );
    CREATE INDEX trivia_games_status ON trivia_games (status);
    CREATE TABLE trivia_rounds (
        game_id INTEGER NOT NULL REFERENCES trivia_games (id),
        round INTEGER NOT NULL,
        question_id TEXT NOT NULL,
        message_id INTEGER,
        closed_at TEXT NOT NULL DEFAULT {_NOW},
        PRIMARY KEY (game_id, round)
    );
    CREATE TABLE trivia_answers (
        game_id INTEGER NOT NULL,
        round INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        choice TEXT NOT NULL,
        correct INTEGER NOT NULL,
        points INTEGER NOT NULL,
        answered_ms INTEGER NOT NULL,
        PRIMARY KEY (game_id, round, user_id),
        FOREIGN KEY (game_id, round) REFERENCES trivia_rounds (game_id, round)
    );
    CREATE INDEX trivia_answers_user ON trivia_answers (user_id)
    """,
    # 3: episode discussion threads (one per episode per server) and the schedule that
    # opens them, with every scheduled due time it handled
    f"""
    CREATE TABLE discussion_threads (
        guild_id INTEGER NOT NULL,
        episode INTEGER NOT NULL CHECK (episode BETWEEN 1 AND 4),
        thread_id INTEGER NOT NULL UNIQUE,
        parent_id INTEGER NOT NULL,
        starter_message_id INTEGER NOT NULL,
        opened_by INTEGER,
        created_at TEXT NOT NULL DEFAULT {_NOW},
        PRIMARY KEY (guild_id, episode)
    );
    CREATE TABLE discussion_schedules (
        guild_id INTEGER PRIMARY KEY,
        enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
        since TEXT NOT NULL,
        rewatch_start TEXT,
        rewatch_every_days INTEGER CHECK (rewatch_every_days BETWEEN 1 AND 30),
        updated_at TEXT NOT NULL DEFAULT {_NOW}
    );
    CREATE TABLE discussion_schedule_runs (
        guild_id INTEGER NOT NULL,
        episode INTEGER NOT NULL CHECK (episode BETWEEN 1 AND 4),
        due_at TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('opened', 'existing', 'failed')),
        detail TEXT,
        ran_at TEXT NOT NULL DEFAULT {_NOW},
        PRIMARY KEY (guild_id, episode, due_at)
    )
    """,
    # 4: trivia-plus. Typed/mixed answers, quickfire/survival rules and teams on games;
    # hints and teams on answers; server-written questions; per-server trivia settings
    # (custom questions on/off, the daily question); named seasons; daily questions and
    # their answers. Portable SQL: times are written by the code, not by defaults.
    """
    ALTER TABLE trivia_games ADD COLUMN mode TEXT NOT NULL DEFAULT 'buttons'
        CHECK (mode IN ('buttons', 'typed', 'mixed'));
    ALTER TABLE trivia_games ADD COLUMN play TEXT NOT NULL DEFAULT 'classic'
        CHECK (play IN ('classic', 'quickfire', 'survival'));
    ALTER TABLE trivia_games ADD COLUMN teams INTEGER NOT NULL DEFAULT 0
        CHECK (teams BETWEEN 0 AND 4);
    ALTER TABLE trivia_answers ADD COLUMN hints INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE trivia_answers ADD COLUMN team INTEGER;
    CREATE TABLE trivia_custom_questions (
        id INTEGER PRIMARY KEY,
        guild_id BIGINT NOT NULL,
        category TEXT NOT NULL,
        difficulty TEXT NOT NULL CHECK (difficulty IN ('easy', 'medium', 'hard')),
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        wrong1 TEXT NOT NULL,
        wrong2 TEXT NOT NULL,
        wrong3 TEXT NOT NULL,
        aliases TEXT NOT NULL DEFAULT '',
        spoiler_level INTEGER NOT NULL CHECK (spoiler_level BETWEEN 0 AND 4),
        author_id BIGINT,
        created_at TEXT NOT NULL,
        UNIQUE (guild_id, question)
    );
    CREATE TABLE trivia_settings (
        guild_id BIGINT PRIMARY KEY,
        custom_questions INTEGER NOT NULL DEFAULT 0 CHECK (custom_questions IN (0, 1)),
        daily_enabled INTEGER NOT NULL DEFAULT 0 CHECK (daily_enabled IN (0, 1)),
        daily_channel_id BIGINT,
        daily_time TEXT
    );
    CREATE TABLE trivia_seasons (
        id INTEGER PRIMARY KEY,
        guild_id BIGINT NOT NULL,
        name TEXT NOT NULL,
        started_at TEXT NOT NULL,
        started_by BIGINT,
        ended_at TEXT,
        ended_by BIGINT,
        winner_id BIGINT,
        winner_points INTEGER
    );
    CREATE UNIQUE INDEX trivia_seasons_open ON trivia_seasons (guild_id) WHERE ended_at IS NULL;
    CREATE TABLE trivia_daily (
        guild_id BIGINT NOT NULL,
        day TEXT NOT NULL,
        question_id TEXT NOT NULL,
        channel_id BIGINT NOT NULL,
        message_id BIGINT,
        posted_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, day)
    );
    CREATE TABLE trivia_daily_answers (
        guild_id BIGINT NOT NULL,
        day TEXT NOT NULL,
        user_id BIGINT NOT NULL,
        choice TEXT NOT NULL,
        correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
        answered_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, day, user_id),
        FOREIGN KEY (guild_id, day) REFERENCES trivia_daily (guild_id, day)
    )
    """,
    # 5: episode rating polls (the final count per star), the rewatch's scheduled events,
    # and the opt-in episode-alert role and poll length per server. Portable SQL.
    """
    CREATE TABLE episode_polls (
        guild_id BIGINT NOT NULL,
        episode INTEGER NOT NULL CHECK (episode BETWEEN 1 AND 4),
        channel_id BIGINT NOT NULL,
        message_id BIGINT NOT NULL UNIQUE,
        expires_at TEXT NOT NULL,
        ended_at TEXT,
        votes_1 INTEGER,
        votes_2 INTEGER,
        votes_3 INTEGER,
        votes_4 INTEGER,
        votes_5 INTEGER,
        PRIMARY KEY (guild_id, episode)
    );
    CREATE INDEX episode_polls_open ON episode_polls (ended_at, expires_at);
    CREATE TABLE episode_events (
        guild_id BIGINT NOT NULL,
        episode INTEGER NOT NULL CHECK (episode BETWEEN 1 AND 4),
        event_id BIGINT NOT NULL UNIQUE,
        starts_at TEXT NOT NULL,
        PRIMARY KEY (guild_id, episode)
    );
    ALTER TABLE guild_settings ADD COLUMN alert_role_name TEXT;
    ALTER TABLE guild_settings ADD COLUMN alert_role_id BIGINT;
    ALTER TABLE guild_settings ADD COLUMN poll_hours INTEGER
    """,
    # 6: an episode is bounded below only (see above)
    _EPISODE_LOWER_BOUNDS_ONLY,
)
