"""The Korean and Indonesian catalogs: every string the bot marks for translation, and every
command's metadata as sync sends it, is translated with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import discord
import pytest
from discord import app_commands

from bot.i18n import (
    LANGUAGES,
    CatalogTranslator,
    catalog,
    extract,
    language_of,
    lookup,
    placeholders,
    t,
)
from bot.i18n.extract import all_messages, problems, unmarked_replies
from bot.i18n.extract import main as extract_main

NAME = re.compile(r"^[-_\w]{1,32}$")


@pytest.fixture(scope="module")
def messages() -> list:
    return all_messages()


def test_every_string_is_translated_with_matching_placeholders(messages: list) -> None:
    found = problems(messages)
    listing = "\n".join(f"{p.language}: {p.msg.where}: {p.msg.msgid!r} {p.what}" for p in found)
    assert not found, f"run `python -m bot.i18n.extract --write` and translate:\n{listing}"


def test_the_extraction_covers_code_and_every_command(messages: list) -> None:
    contexts = {m.context for m in messages}
    assert None in contexts and "parameter_description" in contexts and "choice_name" in contexts
    ids = {(m.msgid, m.context) for m in messages}
    assert ("How would you rate episode {episode}?", None) in ids
    assert ("progress", "command_name /progress") in ids
    assert ("episodes", "command_name /notify episodes") in ids
    assert ("this server", "choice_name") in ids


def test_localized_names_follow_discords_name_rules(messages: list) -> None:
    for language in LANGUAGES:
        for m in messages:
            text = lookup(language, m.msgid, m.context)
            assert text is not None
            if m.context and m.context.startswith(("command_name", "group_name", "parameter_name")):
                if m.msgid == "Mark as spoiler":  # a context menu: any 1-32 characters
                    assert 1 <= len(text) <= 32
                    continue
                assert NAME.match(text) and text == text.lower(), (language, text)
            elif m.context:
                assert 1 <= len(text) <= 100, (language, text)


def test_nothing_in_the_catalogs_is_stale_or_fuzzy(messages: list) -> None:
    wanted = {(m.msgid, m.context) for m in messages}
    for language in LANGUAGES:
        entries = [(e.id, e.context) for e in catalog(language) if e.id]
        assert set(entries) == wanted, language
        assert not [e.id for e in catalog(language) if e.id and e.fuzzy]


def test_the_extractor_exits_zero_when_all_is_translated(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert extract_main([]) == 0
    assert "0 problem(s)" in capsys.readouterr().err


def test_no_reply_text_is_left_unmarked() -> None:
    assert unmarked_replies() == []


def test_the_unmarked_check_finds_a_bare_english_reply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "cogs"
    package.mkdir()
    (package / "demo.py").write_text(
        "async def f(i):\n"
        "    await i.response.send_message('Hello there')\n"
        "    await i.response.send_message(t(i, 'Marked'))\n"
    )
    monkeypatch.setattr(extract, "SOURCE_DIRS", (package,))
    assert [(m.msgid, m.where) for m in unmarked_replies()] == [("'Hello there'", "cogs/demo.py:2")]


def test_a_missing_or_broken_translation_is_reported() -> None:
    from bot.i18n.extract import Msg

    fake = [Msg("A string nobody translated {x}", None, "here:1")]
    assert {p.language for p in problems(fake)} == set(LANGUAGES)
    assert placeholders("{a} and {b!r} and {c:>3}") == {"a", "b", "c"}


def test_t_falls_back_to_english_and_fills_placeholders() -> None:
    assert language_of(discord.Locale.korean) == "ko"
    assert language_of("id") == "id" and language_of("en-US") == "en"
    assert language_of(discord.Locale.french) == "en" and language_of(None) == "en"
    assert t("ko", "There is no episode {episode}.", episode=5) == "5화는 없어요."
    assert t("id", "There is no episode {episode}.", episode=5) == "Nggak ada episode 5."
    assert t("fr", "There is no episode {episode}.", episode=5) == "There is no episode 5."
    assert t("ko", "Not in any catalog {n}", n=1) == "Not in any catalog 1"


async def test_the_translator_answers_korean_and_indonesian_only() -> None:
    translator = CatalogTranslator()
    context = app_commands.TranslationContext(
        app_commands.TranslationContextLocation.choice_name, app_commands.Choice(name="x", value=1)
    )
    string = app_commands.locale_str("this server")
    assert await translator.translate(string, discord.Locale.korean, context) == "이 서버"
    assert await translator.translate(string, discord.Locale.indonesian, context) == "server ini"
    assert await translator.translate(string, discord.Locale.japanese, context) is None
