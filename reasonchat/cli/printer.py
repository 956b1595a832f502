"""How `ask` writes as it streams: the reasoning to stderr (dimmed and wrapped on a terminal), the answer to
stdout, a line per tool call — each cleaned of control sequences unless --raw — and nothing more once the
reader of the output has left."""

from __future__ import annotations

import os
from typing import Any, TextIO

from rich.cells import cell_len

from reasonchat.cli.ask_options import AskOptions
from reasonchat.cli.colour import enabled as colour_enabled
from reasonchat.text.sanitize import clean, clean_line

DIM, RESET = "\x1b[2m", "\x1b[0m"


class Wrapper:
    """Text streamed to a terminal `width` cells wide, broken at spaces before the edge — the terminal itself
    breaks a line at the edge, mid-word. A word is held until it is whole (a space or a line end comes), a
    word longer than a line is broken where it must be, and wide characters (CJK, which has no spaces) may
    break before any of them."""

    def __init__(self, width: int) -> None:
        self.width = max(10, width)
        self.column = 0
        self.word = ""

    def feed(self, text: str) -> str:
        out: list[str] = []
        for char in text:
            if char == "\n":
                out += [self._word(), "\n"]
                self.column = 0
            elif char in " \t":
                out.append(self._word())
                if self.column + 1 >= self.width:
                    out.append("\n")
                    self.column = 0
                else:
                    out.append(char)
                    self.column += 1
            elif cell_len(char) > 1:
                out += [self._word(), self._place(char)]
            else:
                self.word += char
                if len(self.word) >= self.width:
                    out.append(self._word())
        return "".join(out)

    def finish(self) -> str:
        return self._word()

    def _word(self) -> str:
        word, self.word = self.word, ""
        return self._place(word) if word else ""

    def _place(self, text: str) -> str:
        cells = cell_len(text)
        if self.column and self.column + cells > self.width:
            self.column = cells
            return "\n" + text
        self.column += cells
        return text


class Printer:
    """Writes deltas as they come: reasoning to stderr (dimmed on a terminal), the answer to stdout. Once the
    reader of either has left (`… | head -1`), nothing more is written and `pipe_closed` says so: the caller
    stops the request and saves what arrived."""

    def __init__(self, options: AskOptions, out: TextIO, err: TextIO, colour: bool) -> None:
        self.options = options
        self.out, self.err = out, err
        self.colour = colour
        self.wrap = Wrapper(columns(err)) if columns(err) else None  # on a terminal
        self.in_reasoning = False
        self.answer_tail = ""
        self.pipe_closed = False  # the reader of our output left (`… | head`): write nothing more

    def _clean(self, text: str) -> str:
        return text if self.options.raw else clean(text)

    def _write(self, stream: TextIO, text: str) -> None:
        if self.pipe_closed:
            return
        try:
            stream.write(text)
            stream.flush()
        except BrokenPipeError:
            self.pipe_closed = True

    def reasoning(self, text: str) -> None:
        if self.options.hide_reasoning or self.options.json:
            return
        if not self.in_reasoning:
            self.in_reasoning = True
            if self.colour:
                self._write(self.err, DIM)
        text = self._clean(text)
        self._write(self.err, self.wrap.feed(text) if self.wrap else text)

    def end_reasoning(self) -> None:
        if self.in_reasoning:
            self.in_reasoning = False
            rest = self.wrap.finish() if self.wrap else ""
            self.wrap = Wrapper(self.wrap.width) if self.wrap else None
            self._write(self.err, rest + (RESET if self.colour else "") + "\n\n")

    def answer(self, text: str) -> None:
        self.end_reasoning()
        if self.options.json or self.options.render or self.options.schema:
            return
        text = self._clean(text)
        self._write(self.out, text)
        if text:
            self.answer_tail = text[-1]

    def rendered(self, answer: str) -> None:
        """--render: the whole answer as Markdown through Rich, as the TUI draws it (links with their targets,
        code highlighted, math as Unicode; plain text when stdout is not a terminal)."""
        if not self.options.render or self.options.json or self.options.schema or not answer or self.pipe_closed:
            return
        from rich.console import Console

        from reasonchat.text.rich_markdown import AnswerMarkdown

        plain = not colour_enabled(self.out)  # --no-color, NO_COLOR, TERM=dumb, a pipe; FORCE_COLOR forces it
        console = Console(file=self.out, highlight=False, no_color=plain or None,
                          force_terminal=None if plain else True, color_system=None if plain else "auto")
        try:
            console.print(AnswerMarkdown(self._clean(answer)))  # as the TUI draws it: math as Unicode too
        except BrokenPipeError:
            self.pipe_closed = True
        self.answer_tail = "\n"

    def call(self, call: Any) -> None:
        """A settled tool call, one line on stderr: what was called and what came of it."""
        from reasonchat.tools.describe import call_line

        self.end_reasoning()  # (before the question or the refusal, which the approval writes)
        if not call.settled:
            return
        seconds = f" ({call.seconds:.1f} s)" if call.seconds is not None else ""
        if call.state == "done":
            first = next((line for line in call.result.splitlines() if line.strip()), "")
            outcome = f"→ {clean_line(first, 100)}{seconds}"
        elif call.state == "failed":
            outcome = f"failed: {clean_line(call.error or call.result, 160)}{seconds}"
        else:
            outcome = call.state
        self._write(self.err, f"⚙ {call_line(call, 120)} {outcome}\n")

    def close(self) -> None:
        self.end_reasoning()
        if not self.options.json and self.answer_tail and self.answer_tail != "\n":
            self._write(self.out, "\n")


def columns(stream: TextIO) -> int:
    """The width of the terminal `stream` writes to; 0 when it is not one."""
    try:
        return os.get_terminal_size(stream.fileno()).columns if stream.isatty() else 0
    except (OSError, ValueError, AttributeError):
        return 0
