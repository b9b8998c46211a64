"""Issue 15: a Korean and an Indonesian member see the commands and the covered replies in
their language, end to end on the emulator (the Discord client's locale is the user's);
what the bot posts for everyone follows the server's language; quotes stay as written."""

from __future__ import annotations

import re
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.embeds import base_embed
from bot.i18n import LANGUAGES
from bot.ui import send_pages
from cogs.trivia._session import Timings
from discord_emulator.server import payloads
from discord_emulator.server.localization import as_seen_by
from tests.bot.test_app import Stale
from tests.helpers.bot import Env
from tests.helpers.trivia import trivia
from tests.helpers.ui import Pages


class SentPages(commands.Cog):
    @app_commands.command(name="sentpages")
    async def sentpages(self, interaction: discord.Interaction) -> None:
        """Three pages through the bot's own send_pages (test command)."""
        await send_pages(interaction, [base_embed(f"Page {n}") for n in (1, 2, 3)], share=False)


def nodes(body: dict[str, Any]) -> list[dict[str, Any]]:
    out = [body]
    for option in body.get("options") or []:
        out += nodes(option)
    return out


def test_every_synced_command_is_localized_for_korean_and_indonesian(env: Env) -> None:
    commands = env.emu.world.commands_for(None)
    assert {c.name for c in commands} >= {"progress", "notify", "discussion", "trivia", "cast"}
    for command in commands:
        for node in nodes(command.payload):
            for language in LANGUAGES:
                assert language in (node.get("name_localizations") or {}), (command.name, node)
                if node.get("description"):
                    assert language in (node.get("description_localizations") or {}), node
                for choice in node.get("choices") or []:
                    assert language in (choice.get("name_localizations") or {}), choice
    progress = next(c for c in commands if c.name == "progress")
    seen = as_seen_by(progress.payload, "ko")
    assert seen["name"] == "시청진도"
    assert seen["description"].startswith("어디까지 봤는지")
    assert [o["name"] for o in seen["options"]] == ["회차", "범위"]
    assert seen["options"][1]["choices"] == ["모든 서버", "이 서버"]
    notify = as_seen_by(next(c for c in commands if c.name == "notify").payload, "id")
    assert notify["name"] == "notif" and notify["options"][0]["name"] == "episode"
    assert notify["options"][0]["options"][0]["choices"] == ["aktif", "nonaktif"]
    # A Japanese client sees the English defaults.
    assert as_seen_by(progress.payload, "ja")["name"] == "progress"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "ko",
            {
                "saved": "저장했어요: 2화까지 (이후 회차는 숨김).",
                "status": "현재 진도: 2화까지 (이후 회차는 숨김), 내 설정 기준이에요.",
                "episodes_title": "Soundtrack #1 — 회차",
                "episode_line": "**1화** — ",
                "hidden": "스포일러 방지를 위해 숨겼어요",
                "platform": "플랫폼",
                "footer": "출처: ",
                "dm_error": "여기는 서버가 아니에요. DM에서는 scope:everywhere를 쓰세요.",
                "pages": ["◀ 이전", "1/3", "다음 ▶"],
                "not_yours": "이 버튼은 명령어를 쓴 사람만 누를 수 있어요.",
                "expired": "버튼 시간이 만료됐어요. 명령어를 다시 쓰면 새 버튼이 나와요.",
                "notify": "역할 관리 권한이 필요해요",
            },
        ),
        (
            "id",
            {
                "saved": "Tersimpan: sampai episode 2 (episode setelahnya disembunyikan).",
                "status": "Progresmu: sampai episode 2 (episode setelahnya disembunyikan), "
                "menurut setelanmu.",
                "episodes_title": "Soundtrack #1 — episode",
                "episode_line": "**Episode 1** — ",
                "hidden": "Disembunyikan biar kamu nggak kena spoiler",
                "platform": "Platform",
                "footer": "Sumber: ",
                "dm_error": "Ini bukan server: di DM pakai scope:everywhere ya.",
                "pages": ["◀ Sebelumnya", "1/3", "Berikutnya ▶"],
                "not_yours": "Tombol ini punya orang yang jalanin command-nya",
                "expired": "Tombolnya udah kedaluwarsa. Jalanin command-nya lagi buat dapat yang "
                "baru.",
                "notify": "Kelola Peran",
            },
        ),
    ],
)
async def test_a_member_sees_the_covered_replies_in_their_language(
    env: Env, locale: str, expected: dict[str, Any]
) -> None:
    world = env.world
    world.alice.locale = locale  # the Discord client's language
    drv = env.drv
    saved = await drv.invoke("/progress", episode=2)
    assert saved.content == expected["saved"]
    status = await drv.invoke("/progress")
    assert status.content.startswith(expected["status"])
    episodes = await drv.invoke("/episodes")
    assert episodes.embed["title"] == expected["episodes_title"]
    assert expected["episode_line"] in episodes.embed["description"]
    assert episodes.embed["footer"]["text"].startswith(expected["footer"])
    episode = await drv.invoke("/episode", number=4)
    assert expected["hidden"] in [f["name"] for f in episode.embed["fields"]]
    show = await drv.invoke("/show")
    assert expected["platform"] in [f["name"] for f in show.embed["fields"]]
    assert "Disney+" in show.text()  # document text stays as written
    dm = env.emu.world.create_dm(world.alice)
    error = await drv.invoke("/progress", episode=1, scope="this server", channel=dm)
    assert error.ephemeral and error.content == expected["dm_error"]
    notify = await drv.invoke("/notify episodes", alerts="on")
    assert notify.ephemeral and expected["notify"] in notify.content

    await env.bot.add_cog(Pages())
    await env.bot.add_cog(Stale())
    await env.bot.add_cog(SentPages())
    await env.bot.tree.sync()
    pages = await drv.invoke("/sentpages")
    assert [b.label for b in pages.buttons()] == expected["pages"]
    world.bob.locale = locale
    refused = await drv.click(pages, expected["pages"][2], user=world.bob)
    assert refused.ephemeral and refused.content.startswith(expected["not_yours"])
    stale = await drv.invoke("/stale")
    clicked = await drv.click(stale, "Old", timeout=10)
    assert clicked.ephemeral and clicked.content == expected["expired"]


async def test_what_the_bot_posts_for_everyone_follows_the_servers_language(env: Env) -> None:
    guild = env.world.guild
    guild.preferred_locale = "id"
    env.emu.world.dispatch("GUILD_UPDATE", payloads.guild(guild), guild.id)
    await env.drv.settled()
    opened = await env.drv.invoke(
        "/discussion open",
        episode=2,
        user=env.world.moderator,
        options={"channel": env.world.general},
    )
    [thread] = env.drv.threads(env.world.general)
    assert thread.name == "Soundtrack #1 · Diskusi episode 2"
    poll = await env.drv.wait_for_message(thread, after=0, check=lambda m: m.poll is not None)
    starter = env.drv.messages(thread)[0]
    assert starter.content.startswith("⚠️ **Spoiler episode 1–2.**")
    assert "Episode 1: belum dibuka" in starter.content
    assert "Ep 2 spoiler: ||The two are seen wearing high school uniforms.||" in starter.content
    assert poll.poll is not None
    assert poll.poll["question"]["text"] == "Berapa nilai kamu buat episode 2?"
    # The moderator's own reply follows their client (English here), not the server.
    assert opened.content.startswith("Opened <#")


def _localize_everything(env: Env, locale: str) -> None:
    """A server set to `locale` whose members' clients are in `locale` too."""
    guild = env.world.guild
    guild.preferred_locale = locale
    env.emu.world.dispatch("GUILD_UPDATE", payloads.guild(guild), guild.id)
    env.world.alice.locale = locale
    env.world.bob.locale = locale


TRIVIA_UI = {
    "ko": {
        "start": "퀴즈 시작! 문제 1개, 문제당 20초, 직접 입력해서 답하기",
        "question": "문제 1/1 · 출연진",
        "buttons": ["답하기", "힌트"],
        "footer": "난이도: 쉬움 · 스포일러: 기본 줄거리만 (회차 스포일러 없음)",
        "hint": "힌트 1: 배우 이름이에요: 2단어",
        "hint_cost": "이제 맞혀도 30점 덜 받아요.",
        "modal": "1번 문제: 내 답",
        "field": "내 답",
        "locked": "제출 완료: **",
        "closed": "문제 1/1 · 종료",
        "answer": "정답: **",
        "final": "퀴즈 종료: 최종 점수",
        "points": "점",
        "rules": "퀴즈 규칙",
    },
    "id": {
        "start": "Kuis dimulai: 1 soal, 20 detik per soal, jawaban diketik",
        "question": "Soal 1/1 · pemeran",
        "buttons": ["Jawab", "Hint"],
        "footer": "Kesulitan: mudah · Spoiler: premis aja (tanpa spoiler episode)",
        "hint": "Hint 1: Ini nama aktor: 2 kata",
        "hint_cost": "Jawaban benar sekarang dapat 30 poin lebih sedikit.",
        "modal": "Soal 1: jawabanmu",
        "field": "Jawabanmu",
        "locked": "Jawaban dikunci: **",
        "closed": "Soal 1/1 · ditutup",
        "answer": "Jawaban: **",
        "final": "Kuis selesai: skor akhir",
        "points": "poin",
        "rules": "Aturan kuis",
    },
}


@pytest.mark.parametrize("locale", LANGUAGES)
async def test_a_trivia_game_plays_in_the_members_language(env: Env, locale: str) -> None:
    """Buttons, hints, the answer box, the result and the scoreboard; the question and its
    answer stay as the store has them."""
    expected = TRIVIA_UI[locale]
    _localize_everything(env, locale)
    await env.drv.settled()
    trivia(env).timings = Timings(seconds_factor=0.25, pause=0.01)  # 5 s questions
    world, drv = env.world, env.drv
    start = await drv.invoke(
        "/trivia start", rounds=1, mode="typed", category="cast", difficulty="easy"
    )
    assert start.content.startswith(expected["start"]), start.content
    question = await drv.wait_for_message(
        world.general,
        after=0,
        timeout=10,
        check=lambda m: bool(m.embeds) and m.embeds[0]["title"] == expected["question"],
    )
    embed = question.embeds[0]
    assert [b.label for b in question.buttons()] == expected["buttons"]
    assert embed["footer"]["text"] == expected["footer"]
    text = re.match(r"\*\*(.+?)\*\*", embed["description"]).group(1)  # type: ignore[union-attr]
    [stored] = [q for q in await env.bot.facts.questions() if q.question == text]

    hint = await drv.click(question, expected["buttons"][1], user=world.bob)
    assert hint.ephemeral and hint.content.startswith(expected["hint"]), hint.content
    assert expected["hint_cost"] in hint.content and stored.answer not in hint.content
    opened = await drv.click(question, expected["buttons"][0], user=world.alice)
    assert opened.modal is not None and opened.modal["title"] == expected["modal"]
    assert expected["field"] in str(opened.modal["components"])
    typed = await drv.submit_modal(opened, {"answer": stored.answer}, user=world.alice)
    assert typed.ephemeral and typed.content.startswith(expected["locked"]), typed.content

    result = await drv.wait_for_message(
        question.channel_id,
        edits=True,
        after=0,
        timeout=10,
        check=lambda m: m.id == question.id and m.embeds[0]["title"] == expected["closed"],
    )
    assert f"{expected['answer']}{stored.answer}**" in result.embeds[0]["description"]
    assert f"**{stored.question}**" in result.embeds[0]["description"]  # as the store has it
    end = await drv.wait_for_message(
        world.general,
        after=0,
        timeout=15,
        check=lambda m: bool(m.embeds) and m.embeds[0]["title"] == expected["final"],
    )
    assert f"<@{world.alice.id}> — " in end.embeds[0]["description"]
    assert expected["points"] in end.embeds[0]["description"]
    rules = await drv.invoke("/trivia rules")
    assert rules.embed["title"] == expected["rules"]


CAST_AND_ASK = {
    "ko": {
        "list": "Soundtrack #1 — 출연진",
        "as": " 역",
        "labels": {"배우", "배역", "스포일러 방지를 위해 숨겼어요"},
        "sources": "출처: ",
        "beyond": "내 진도 이후 내용",
        "beyond_value": "아직 안 본 회차에 맞는 내용이",
    },
    "id": {
        "list": "Soundtrack #1 — pemeran",
        "as": " sebagai ",
        "labels": {"Aktor", "Karakter", "Disembunyikan biar kamu nggak kena spoiler"},
        "sources": "Sumber: ",
        "beyond": "Lewat dari progresmu",
        "beyond_value": "Ada ",
    },
}


@pytest.mark.parametrize("locale", LANGUAGES)
async def test_cast_and_ask_cards_are_labelled_in_the_members_language(
    env: Env, locale: str
) -> None:
    expected = CAST_AND_ASK[locale]
    drv = env.drv
    english_cast = await drv.invoke("/cast", name="Eun-soo")
    english_ask = await drv.invoke("/ask", question="Who sings Love Beyond Words?")
    env.world.alice.locale = locale

    listing = await drv.invoke("/cast")
    assert listing.embed["title"] == expected["list"]
    card = await drv.invoke("/cast", name="Eun-soo")
    assert expected["as"] in card.embed["title"]
    names = {f["name"] for f in card.embed["fields"]}
    assert expected["labels"] <= names, names
    assert card.embed["footer"]["text"].startswith(expected["sources"])
    # What the documents say is quoted as written: the same values as for English.
    values = {f["value"] for f in card.embed["fields"]}
    english_values = {f["value"] for f in english_cast.embed["fields"]}
    assert {v for v in english_values if "/progress" not in v} <= values

    ask = await drv.invoke("/ask", question="Who sings Love Beyond Words?")
    beyond = next(f for f in ask.embed["fields"] if f["name"] == expected["beyond"])
    assert beyond["value"].startswith(expected["beyond_value"]) and "/progress" in beyond["value"]
    passages = [f for f in ask.embed["fields"] if f["name"] != expected["beyond"]]
    english = [f for f in english_ask.embed["fields"] if f["name"] != "Beyond your progress"]
    assert passages == english  # document titles and quotes stay as written
    assert ask.embed["footer"]["text"].startswith(expected["sources"])
