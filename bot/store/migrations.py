"""Schema migrations of the state database, applied in order by StateStore.open.

Append only: never edit a migration that has shipped; add a new one. Statements are
separated by semicolons, so none may contain one inside a string.
"""

from __future__ import annotations

from collections.abc import Sequence

_NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"

MIGRATIONS: Sequence[str] = (
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
)
