"""The playground's terminal: rich output, and prompt_toolkit input on a real terminal.

On a terminal the prompt stays at the bottom and is redrawn after the bot's own posts
(trivia rounds arrive while you type), with line editing and history. Piped (scripts,
tests) it reads plain lines and prints without colour.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.history import FileHistory
from prompt_toolkit.patch_stdout import patch_stdout
from rich.console import Console, RenderableType
from rich.text import Text

HISTORY_FILE = "playground-history"
PIPED_WIDTH = 100


class Screen:
    def __init__(self, stdin: TextIO, stdout: TextIO, history_dir: Path) -> None:
        self.stdin, self.stdout = stdin, stdout
        self.interactive = stdin.isatty() and stdout.isatty()
        self.history_dir = history_dir
        self._session: PromptSession[str] | None = None
        if self.interactive:
            # file=None: rich writes to sys.stdout at print time, which prompt_toolkit
            # patches while a prompt is shown so output appears above it.
            self.console = Console(force_terminal=True, highlight=False, emoji=False)
        else:
            self.console = Console(
                file=stdout,
                force_terminal=False,
                no_color=True,
                highlight=False,
                emoji=False,
                width=PIPED_WIDTH,
            )

    def say(self, text: str) -> None:
        self.console.print(Text(text))

    def error(self, text: str) -> None:
        self.console.print(Text(f"! {text}", style="red"))

    def show(self, renderable: RenderableType, *, interrupting: bool = False) -> None:
        if interrupting and not self.interactive:
            self.stdout.write("\n")  # the prompt was already printed on this line
        self.console.print(renderable)

    def redraw_prompt(self, prompt: str) -> None:
        """After posts that arrived while waiting for input (prompt_toolkit redraws itself)."""
        if not self.interactive:
            self.stdout.write(prompt)
            self.stdout.flush()

    async def read(self, prompt: str) -> str | None:
        """One line, or None at end of input (Ctrl-D, Ctrl-C, end of a script)."""
        if not self.interactive:
            self.stdout.write(prompt)
            self.stdout.flush()
            line = await asyncio.to_thread(self.stdin.readline)
            if line:  # echo it: a transcript reads like the session it was
                self.stdout.write(line if line.endswith("\n") else line + "\n")
            return line or None
        if self._session is None:
            self.history_dir.mkdir(parents=True, exist_ok=True)
            self._session = PromptSession(history=FileHistory(self.history_dir / HISTORY_FILE))
        with patch_stdout(raw=True):
            try:
                return await self._session.prompt_async(prompt)
            except (EOFError, KeyboardInterrupt):
                return None
