"""`python -m bench ask`: how well /ask answers the fan question set (bench/ask_questions.toml).

Runs the pure answer layer (bot.answers) and the /ask card over a store freshly built from
the real documents, for a personal reply at each progress, and reads what the fan would
see: the embed's description and fields (not its title, which repeats the question).

Figures:
- direct-answer accuracy: questions marked `direct`, at progress 4, whose one-line answer
  (with its cited sentence) shows the expected fragment;
- fragment recall: every question at progress 4, the fragment anywhere in the reply;
- safe answers hidden: questions spoiler-free at progress 1 (level <= 1) whose fragment
  the reply at progress 1 does not show;
- leaks: probes and questions at progress 0 and 1 whose reply shows a forbidden text, or
  names an episode above the viewer's progress that the question does not name;
- wrong one-line answers: questions no stored fact answers that still get one (it would
  answer another question: "who is Seon-woo's mentor" answered with Seon-woo).
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.answers import Conversations, Reply, answer_question
from bot.answers._card import answer_card
from bot.facts.pipeline import build_store
from bot.settings import DATA_DIR
from bot.spoiler_gate import Audience, Viewer
from bot.store import FactStore

QUESTIONS = Path(__file__).parent / "ask_questions.toml"
LEAK_PROGRESS = (0, 1)
_EPISODE_NAMED = re.compile(r"\b(?:episodes?|ep)\s*(\d)\b", re.IGNORECASE)
_NOT_ALNUM = re.compile(r"[\W_]+")
FAN_ID = 1


@dataclass(frozen=True, slots=True)
class FanQuestion:
    ask: str
    expect: str
    level: int
    direct: bool
    after: str | None = None


@dataclass(frozen=True, slots=True)
class Probe:
    ask: str
    progress: tuple[int, ...]
    forbid: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QuestionSet:
    questions: list[FanQuestion]
    probes: list[Probe]
    no_answer: list[str]  # questions that must get passages only


@dataclass(slots=True)
class Figures:
    questions: int = 0
    direct_questions: int = 0
    direct_right: int = 0
    shown_at_4: int = 0
    safe_at_1: int = 0
    safe_hidden_at_1: int = 0
    probes: int = 0
    leaks: int = 0
    no_answer: int = 0
    wrong_one_line: int = 0
    failures: dict[str, list[str]] = field(default_factory=dict)

    @property
    def direct_accuracy(self) -> float:
        return self.direct_right / self.direct_questions if self.direct_questions else 1.0

    @property
    def recall_at_4(self) -> float:
        return self.shown_at_4 / self.questions if self.questions else 1.0

    def fail(self, kind: str, what: str) -> None:
        self.failures.setdefault(kind, []).append(what)


def load_set(path: Path = QUESTIONS) -> QuestionSet:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    questions = [
        FanQuestion(q["ask"], q["expect"], int(q["level"]), bool(q["direct"]), q.get("after"))
        for q in data.get("question", [])
    ]
    probes = [
        Probe(p["ask"], tuple(p["progress"]), tuple(p["forbid"])) for p in data.get("probe", [])
    ]
    return QuestionSet(questions, probes, [n["ask"] for n in data.get("no_answer", [])])


def squash(text: str) -> str:
    """Text compared without case, spaces or punctuation ("Park Min Jung" = "Park Min-jung")."""
    return _NOT_ALNUM.sub("", text.casefold().replace("**", ""))


def embed_text(embed: dict[str, Any]) -> str:
    """What the reply shows besides the echoed question: description, fields, footer."""
    parts = [embed.get("description") or ""]
    for f in embed.get("fields", []):
        parts += [f["name"], f["value"]]
    parts.append(embed.get("footer", {}).get("text", ""))
    return "\n".join(parts)


def answer_text(reply: Reply) -> str:
    if reply.answer is None:
        return ""
    cited = reply.answer.sources[0].sentence if reply.answer.sources else ""
    return "\n".join([reply.answer.text, *reply.answer.notes, cited])


def hinted_episodes(shown: str, question: str, progress: int) -> list[int]:
    """Episodes above progress that the reply names and the question does not."""
    asked = {int(n) for n in _EPISODE_NAMED.findall(question)}
    named = {int(n) for n in _EPISODE_NAMED.findall(shown)}
    return sorted(n for n in named - asked if n > progress)


class Asker:
    def __init__(self, store: FactStore) -> None:
        self.store = store

    async def ask(self, text: str, progress: int, after: str | None = None) -> tuple[Reply, str]:
        conversations = Conversations()
        if after:
            before = await answer_question(self.store, after, progress)
            conversations.remember(FAN_ID, before)
        reply = await answer_question(self.store, text, progress, conversations.context(FAN_ID))
        embed = answer_card(reply, Viewer(progress, Audience.PERSONAL)).to_dict()
        return reply, embed_text(embed)  # type: ignore[arg-type]


async def evaluate(store: FactStore, question_set: QuestionSet) -> Figures:
    asker = Asker(store)
    questions, probes = question_set.questions, question_set.probes
    figures = Figures(
        questions=len(questions), probes=len(probes), no_answer=len(question_set.no_answer)
    )
    for q in questions:
        reply, shown = await asker.ask(q.ask, 4, q.after)
        if squash(q.expect) in squash(shown):
            figures.shown_at_4 += 1
        else:
            figures.fail("not shown at progress 4", q.ask)
        if q.direct:
            figures.direct_questions += 1
            if squash(q.expect) in squash(answer_text(reply)):
                figures.direct_right += 1
            else:
                figures.fail("direct answer wrong or missing", q.ask)
        for progress in LEAK_PROGRESS:
            _, early = await asker.ask(q.ask, progress, q.after)
            if hinted_episodes(early, q.ask, progress):
                figures.leaks += 1
                figures.fail(f"names a later episode at progress {progress}", q.ask)
            if progress == 1 and q.level <= 1:
                figures.safe_at_1 += 1
                if squash(q.expect) not in squash(early):
                    figures.safe_hidden_at_1 += 1
                    figures.fail("safe answer hidden at progress 1", q.ask)
    for p in probes:
        for progress in p.progress:
            _, shown = await asker.ask(p.ask, progress)
            bad = [f for f in p.forbid if squash(f) in squash(shown)]
            bad += [f"episode {n}" for n in hinted_episodes(shown, p.ask, progress)]
            if bad:
                figures.leaks += 1
                figures.fail(f"leak at progress {progress}", f"{p.ask}: {bad}")
    for ask in question_set.no_answer:
        reply, _ = await asker.ask(ask, 4)
        if reply.answer is not None:
            figures.wrong_one_line += 1
            figures.fail("one-line answer where no fact answers", f"{ask}: {reply.answer.text}")
    return figures


async def run(path: Path = QUESTIONS) -> Figures:
    question_set = load_set(path)
    with tempfile.TemporaryDirectory(prefix="soundtrack-ask-") as tmp:
        db = Path(tmp) / "facts.db"
        build_store(DATA_DIR / "documents", DATA_DIR / "curated.toml", db)
        store = await FactStore.open(db)
        try:
            return await evaluate(store, question_set)
        finally:
            await store.close()


def report(f: Figures) -> str:
    lines = [
        f"Question set: {f.questions} questions ({f.direct_questions} with a direct answer),"
        f" {f.probes} spoiler probes",
        f"Direct answer right: {f.direct_right}/{f.direct_questions}"
        f" = {f.direct_accuracy:.1%} (target >= 90%)",
        f"Fragment shown at progress 4: {f.shown_at_4}/{f.questions}"
        f" = {f.recall_at_4:.1%} (target >= 95%)",
        f"Safe answers hidden at progress 1: {f.safe_hidden_at_1} of {f.safe_at_1} (target 0)",
        f"Leaks at progress 0/1: {f.leaks} (target 0)",
        f"One-line answers to questions no fact answers: {f.wrong_one_line} of {f.no_answer}"
        " (target 0)",
    ]
    for kind, items in f.failures.items():
        lines.append(f"  {kind}: " + "; ".join(items))
    return "\n".join(lines)


def main() -> None:
    print(report(asyncio.run(run())))  # the benchmark's report is its output
