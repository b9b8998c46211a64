from pathlib import Path

import pytest

import bot.settings
from bot.settings import (
    PROJECT_ROOT,
    Settings,
    SettingsError,
    default_db_dir,
    env_files,
    load_settings,
)


def settings_from(env: dict[str, str], tmp_path: Path) -> Settings:
    return load_settings(environ=env, env_file=tmp_path / "missing.env")


def test_defaults(tmp_path: Path) -> None:
    s = settings_from({}, tmp_path)
    assert s.discord_token is None
    assert s.log_level == "INFO"
    assert s.facts_db == PROJECT_ROOT / "data" / "facts.db"
    assert s.dev_guild_id is None and s.shard_count is None
    assert s.owner_ids == frozenset()


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("LOG_LEVEL=debug\nDEV_GUILD_ID=123\nOWNER_IDS=1, 2\n", encoding="utf-8")
    s = load_settings(environ={"DEV_GUILD_ID": "456"}, env_file=env_file)
    assert (s.log_level, s.dev_guild_id, s.owner_ids) == ("DEBUG", 456, frozenset({1, 2}))


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"DEV_GUILD_ID": "abc"}, "DEV_GUILD_ID"),
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT"),
        ({"OWNER_IDS": "1,x"}, "OWNER_IDS"),
        ({"THREAD_AUTO_ARCHIVE_MINUTES": "30"}, "THREAD_AUTO_ARCHIVE_MINUTES"),
        ({"GATEWAY_TIMEOUT": "0"}, "GATEWAY_TIMEOUT"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "0-x"}, "SHARD_IDS"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "3-1"}, "SHARD_IDS"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "2-4"}, "SHARD_IDS"),
        ({"SHARD_IDS": "0-1"}, "SHARD_IDS"),
    ],
)
def test_a_bad_setting_is_named_in_one_line(
    env: dict[str, str], named: str, tmp_path: Path
) -> None:
    with pytest.raises(SettingsError) as caught:
        settings_from(env, tmp_path)
    message = str(caught.value)
    assert message.startswith(named) and "\n" not in message


def test_the_token_never_shows_in_repr(tmp_path: Path) -> None:
    s = settings_from({"DISCORD_TOKEN": "MTIz.secret.token"}, tmp_path)
    assert s.discord_token == "MTIz.secret.token"
    assert "secret" not in repr(s) and "<set>" in repr(s)


def test_db_dir_places_both_databases(tmp_path: Path) -> None:
    s = settings_from({"DB_DIR": str(tmp_path / "db")}, tmp_path)
    assert (s.facts_db, s.state_db) == (tmp_path / "db" / "facts.db", tmp_path / "db" / "state.db")
    s = settings_from({"DB_DIR": str(tmp_path), "STATE_DB": str(tmp_path / "x.db")}, tmp_path)
    assert s.state_db == tmp_path / "x.db"  # an explicit path wins


def test_an_installed_copy_reads_its_bundled_documents_and_writes_to_xdg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot.settings, "IN_CHECKOUT", False)
    assert default_db_dir({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path / "soundtrack-bot"
    assert default_db_dir({}) == Path.home() / ".local" / "share" / "soundtrack-bot"
    assert default_db_dir({"XDG_DATA_HOME": "relative"}) == (
        Path.home() / ".local" / "share" / "soundtrack-bot"
    )  # the XDG spec ignores relative paths
    monkeypatch.chdir(tmp_path)
    s = load_settings(environ={"XDG_DATA_HOME": str(tmp_path), "STATE_DB": "here.db"})
    assert s.facts_db == tmp_path / "soundtrack-bot" / "facts.db"
    assert s.state_db == tmp_path / "here.db"  # relative to where you are


def test_dotenv_is_read_from_the_current_directory_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("LOG_LEVEL=warning\nDEV_GUILD_ID=7\n", encoding="utf-8")
    assert env_files() == [PROJECT_ROOT / ".env", tmp_path / ".env"]  # the cwd's wins
    s = load_settings(environ={"DEV_GUILD_ID": "8"})
    assert (s.log_level, s.dev_guild_id) == ("WARNING", 8)  # the environment wins over both
    monkeypatch.chdir(PROJECT_ROOT)
    assert env_files() == [PROJECT_ROOT / ".env"]  # read once


def test_database_url_selects_postgresql_and_its_password_never_shows(tmp_path: Path) -> None:
    assert settings_from({}, tmp_path).database_url is None  # SQLite, as before
    url = "postgresql://bot:s3cret-pw@db.example:5432/soundtrack"
    s = settings_from({"DATABASE_URL": url}, tmp_path)
    assert s.database_url == url
    assert "s3cret-pw" not in repr(s) and "postgresql://bot:***@db.example:5432" in repr(s)
    with pytest.raises(SettingsError, match="DATABASE_URL") as refused:
        settings_from({"DATABASE_URL": "mysql://bot:s3cret-pw@db/x"}, tmp_path)
    assert "s3cret-pw" not in str(refused.value)


@pytest.mark.parametrize(
    ("raw", "ids"), [("0-3", (0, 1, 2, 3)), ("0,2", (0, 2)), (" 3, 0-1 ", (0, 1, 3)), ("", None)]
)
def test_shard_ids_take_ranges_and_lists(
    raw: str, ids: tuple[int, ...] | None, tmp_path: Path
) -> None:
    s = settings_from({"SHARD_COUNT": "4", "SHARD_IDS": raw}, tmp_path)
    assert s.shard_ids == ids


def test_a_process_serves_the_servers_of_its_shards(tmp_path: Path) -> None:
    both = settings_from({"SHARD_COUNT": "4"}, tmp_path)
    low = settings_from({"SHARD_COUNT": "4", "SHARD_IDS": "0-1"}, tmp_path)
    high = settings_from({"SHARD_COUNT": "4", "SHARD_IDS": "2,3"}, tmp_path)
    for shard in range(4):
        guild_id = (1000 * 4 + shard) << 22 | 12345  # Discord's rule: (id >> 22) % count
        assert both.serves(guild_id)
        assert low.serves(guild_id) == (shard < 2)
        assert high.serves(guild_id) == (shard >= 2)
    assert low.serves(None) and not high.serves(None)  # DMs arrive on shard 0
