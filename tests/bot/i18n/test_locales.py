"""Issue 15: a Korean and an Indonesian member see the commands and the covered replies in
their language, end to end on the emulator (the Discord client's locale is the user's);
what the bot posts for everyone follows the server's language; quotes stay as written."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.embeds import base_embed
from bot.i18n import LANGUAGES
from bot.ui import send_pages
from discord_emulator.server import payloads
from discord_emulator.server.localization import as_seen_by
from tests.bot.test_app import Stale
from tests.helpers.bot import Env
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
    assert opened.content.startswith("Opened <#")  # the moderator's reply: not yet localized
