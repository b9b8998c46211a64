"""Fuzz every free-text option of every slash command through the emulator.

Every interaction must be answered, no handler may fail unexpectedly, no request may
allow a mention, and no reply may exceed Discord's limits (the emulator rejects those).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from discord_emulator import User
from tests.helpers.bot import Env, assert_no_pings, sent_messages

STRING, INTEGER, BOOLEAN, USER, CHANNEL, NUMBER = 3, 4, 5, 6, 7, 10
SUBCOMMAND, GROUP = 1, 2

HOSTILE = [
    "",
    " ",
    "@everyone",
    "@here",
    "<@&123456789012345678>",
    "<@123456789012345678> hi",
    "||spoiler|| || ||| ||||",
    "**bold** __u__ ~~s~~ `code` ```block``` > quote",
    '" OR 1=1 --',
    "'; DROP TABLE user_progress; --",
    "NEAR(love kiss) AND NOT text:*",
    "\u202eRTL override\u202c \u200f",
    "zero\u200bwidth\u200d\ufeff",
    "\x00\x01\x02\x1f control",
    "😀" * 500,
    "x" * 6000,
    "Han So-hee" + "\u0301" * 50,
]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=300),
    st.text(alphabet=st.characters(categories=["Cf", "Mn", "Zs", "So", "Po"]), max_size=100),
)


Option = dict[str, Any]


def free_text_options(schemas: list[Option]) -> Iterator[tuple[str, Option, list[Option]]]:
    """(command path, the string option, all options at that level) for every string option
    a user types freely (no fixed choices)."""
    for schema in schemas:
        if schema.get("type", 1) != 1:
            continue
        stack = [("/" + schema["name"], schema.get("options") or [])]
        while stack:
            path, options = stack.pop()
            for option in options:
                if option["type"] in (SUBCOMMAND, GROUP):
                    stack.append((f"{path} {option['name']}", option.get("options") or []))
                elif option["type"] == STRING and not option.get("choices"):
                    yield path, option, options


def filler(option: dict[str, Any], env: Env) -> Any:
    kind = option["type"]
    if kind in (INTEGER, NUMBER):
        return option.get("min_value", 1)
    if kind == BOOLEAN:
        return False
    if kind == USER:
        return env.world.bob
    if kind == CHANNEL:
        return env.world.general
    if kind == STRING:
        choices = option.get("choices")
        return choices[0]["value"] if choices else "1"
    raise AssertionError(f"no filler for option type {kind}")


def assert_no_pings_and_within_limits(env: Env) -> None:
    assert_no_pings(env)
    for record, message in sent_messages(env):
        assert len(message.get("content") or "") <= 2000, record
    for record in env.emu.requests:
        assert record.status is None or record.status < 400 or record.status == 429, record


@pytest.fixture
def fans(env: Env) -> Iterator[User]:
    """A fresh member per example, so per-user cooldowns never hide a handler."""

    def make(n: int) -> User:
        user = env.emu.world.create_user(f"fuzzer{n}")
        env.emu.world.add_member(env.world.guild, user, roles=[env.world.moderator_role])
        return user

    return (make(n) for n in itertools.count())


CI_EXAMPLES = 40
SLOW_EXAMPLES = 2_000  # `pytest -m slow`: every free-text option gets 2,000 inputs
FUZZ_SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


async def survives(
    env: Env, fans: Iterator[User], caplog: pytest.LogCaptureFixture, text: str
) -> None:
    """One input typed into every free-text option: answered, nothing logged as an error."""
    caplog.set_level(logging.ERROR)
    schemas = [c.payload for c in env.emu.world.commands_for(None)]
    targets = sorted(free_text_options(schemas), key=lambda t: (t[0], t[1]["name"]))
    assert {path for path, _, _ in targets} >= {"/ask", "/cast", "/ost"}
    for path, option, siblings in targets:
        values = {o["name"]: filler(o, env) for o in siblings if o.get("required")}
        # What Discord itself enforces before the bot sees anything: the length range.
        typed = text[: option.get("max_length", 6000)].ljust(option.get("min_length", 0), "x")
        values[option["name"]] = typed
        user = next(fans)
        if option.get("autocomplete"):
            others = {k: v for k, v in values.items() if k != option["name"]}
            choices = await env.drv.autocomplete(
                path, focused=option["name"], value=typed, user=user, options=others
            )
            assert len(choices) <= 25
        reply = await env.drv.invoke(path, user=user, options=values, timeout=10)
        assert reply.callback_type is not None, path
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert not errors, (path, errors)
    assert_no_pings_and_within_limits(env)
    env.emu.requests.clear()  # checked; a long run keeps memory flat


@settings(max_examples=CI_EXAMPLES, **FUZZ_SETTINGS)  # type: ignore[arg-type]
@given(text=hostile_text)
async def test_every_free_text_option_survives_hostile_text(
    env: Env, fans: Iterator[User], caplog: pytest.LogCaptureFixture, text: str
) -> None:
    await survives(env, fans, caplog, text)


@pytest.mark.slow
@settings(max_examples=SLOW_EXAMPLES, **FUZZ_SETTINGS)  # type: ignore[arg-type]
@given(text=hostile_text)
async def test_every_free_text_option_survives_2000_hostile_texts(
    env: Env, fans: Iterator[User], caplog: pytest.LogCaptureFixture, text: str
) -> None:
    await survives(env, fans, caplog, text)


def test_the_fuzzer_reaches_every_free_text_option() -> None:
    choice = {"type": 3, "name": "k", "choices": [{"name": "x", "value": "x"}]}
    subcommand = {"type": 1, "name": "s", "options": [{"type": 3, "name": "t"}]}
    schemas = [
        {"name": "a", "type": 1, "options": [{"type": 3, "name": "q"}, choice]},
        {"name": "b", "type": 1, "options": [subcommand]},
        {"name": "m", "type": 3},
    ]
    found = {(path, option["name"]) for path, option, _ in free_text_options(schemas)}
    assert found == {("/a", "q"), ("/b s", "t")}
