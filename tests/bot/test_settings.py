from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, Settings, SettingsError, load_settings


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
