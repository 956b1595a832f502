"""The reasoning of one answer: dimmed, collapsible, with a live title.

While the model thinks the title reads "⠋ Thinking… 3.2 s · 120 tokens" and the block shows only the last
few rows of the text, pre-wrapped to the block's width so each update has the same height and needs no
layout pass (cheap at 15 Hz however long the reasoning gets). Once done the title reads "Thought for
4.2 s · 135 tokens" (~ marks an estimate) and the full text is made — wrapped off the loop — only when the
block is first opened.
This is a small widget of our own rather than Textual's `Collapsible`, whose title update re-lays out
the whole conversation on every tick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich._wrap import divide_line
from textual.app import ComposeResult
from textual.containers import ScrollableContainer, Vertical
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

from reasonchat.core.reply import Reply
from reasonchat.text.math import in_text
from reasonchat.text.sanitize import clean
from reasonchat.tui import clock
from reasonchat.tui.widgets.reasoning_title import ReasoningTitle

if TYPE_CHECKING:
    from reasonchat.tui.widgets.reasoning_body import ReasoningBody

TAIL_ROWS = 6
TAIL_CHARS = 2000


def tail_rows(text: str, width: int, rows: int = TAIL_ROWS) -> str:
    """The last `rows` screen rows of `text` wrapped at `width` cells, where Rich would break them (at spaces,
    between CJK characters, a long word folded): Rich's own line breaker, the one `Text.wrap` uses, so the
    live tail breaks as the finished reasoning will. (textwrap counted characters: a line mixing Chinese and
    English came out a row too wide, then chopped mid-word.)"""
    width = max(8, width)
    out: list[str] = []
    for line in reversed(text[-TAIL_CHARS:].split("\n")):
        cuts = divide_line(line, width, fold=True)
        pieces = [line[a:b].rstrip() for a, b in zip([0, *cuts], [*cuts, len(line)], strict=True)]
        out[:0] = [piece for piece in pieces if piece] or [""]
        if len(out) >= rows:
            break
    return "\n".join(out[-rows:])


def reasoning_title(reply: Reply) -> str:
    """"⠋ Thinking… 3.2 s · 120 tokens" while it thinks, "Thought for 4.2 s · 135 tokens" once done (~ when
    the count is an estimate)."""
    count = reply.reasoning_tokens
    tokens = "" if count is None else f" · {'' if count[1] else '~'}{count[0]:,} tokens"
    cut = " · cut short" if reply.reasoning_cut else ""
    if reply.reasoning_cut and not reply.done and not reply.content:
        seconds = reply.reasoning_seconds or 0.0
        return f"{clock.spinner()} Reasoning cut short after {seconds:.1f} s{tokens} — answering…"
    if not reply.done and not reply.content:
        if not reply.reasoning_chunks:
            return f"{clock.spinner()} Waiting for {clean(reply.model)}…"
        start = reply.reasoning_started_at or clock.now()
        return f"{clock.spinner()} Thinking… {max(0.0, clock.now() - start):.1f} s{tokens}"
    return f"Thought for {reply.reasoning_seconds or 0.0:.1f} s{tokens}{cut}"


def no_reasoning(reply: Reply) -> bool:
    """The model answered (or ended) without reasoning: the block has nothing to show at all."""
    return not reply.reasoning_chunks and (reply.done or bool(reply.content))


class ReasoningBlock(Vertical):
    DEFAULT_CSS = """
    ReasoningBlock { height: auto; padding: 0 1; }
    ReasoningBlock .reasoning-text { color: $text-muted; text-style: italic; padding: 0 0 0 2; }
    ReasoningBlock.-collapsed .reasoning-text { display: none; }
    """

    collapsed: reactive[bool] = reactive(False, init=False)

    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode
        self.title_line = ReasoningTitle()
        self.body = Static("", classes="reasoning-text", markup=False)  # the live tail
        self.full: ReasoningBody | None = None  # the finished text, made when first shown
        self.chosen: bool | None = None  # the user toggled this one: keep it until the next ctrl+t
        self._reply: Reply | None = None
        self._title = ""
        self._shown: tuple[int, bool, int] = (-1, False, 0)  # (version, done, width) on screen
        self._auto_answering: bool | None = None  # the state `auto` last acted on
        self.collapsed = mode == "collapsed"
        self.set_class(self.collapsed, "-collapsed")

    def compose(self) -> ComposeResult:
        yield self.title_line
        yield self.body

    @property
    def title_text(self) -> str:
        return self._title

    def on_reasoning_title_toggle(self, event: ReasoningTitle.Toggle) -> None:
        event.stop()
        if self.collapsed:
            hold_view_still(self)
        self.collapsed = not self.collapsed
        self.chosen = self.collapsed

    def watch_collapsed(self, collapsed: bool) -> None:
        self.set_class(collapsed, "-collapsed")
        if self._reply is not None:
            self._title = ""  # the ▶/▼ mark changed
            self.show(self._reply)

    def on_resize(self) -> None:
        if self._reply is not None:  # re-wrap the tail for the new width (and the first real one)
            self.show(self._reply)

    def redraw(self) -> None:
        """The live tail drawn again as it stands (math switched between Unicode and source)."""
        self._shown = (-1, False, 0)
        if self._reply is not None and not self._reply.done:
            self.show(self._reply)

    def set_mode(self, mode: str, answering: bool) -> None:
        """Apply the display mode (ctrl+t or [ui] reasoning) to this block."""
        self.mode = mode
        self.chosen = None
        self.display = mode != "hidden" and not (self._reply is not None and no_reasoning(self._reply))
        if mode == "expanded":
            self.collapsed = False
        elif mode == "collapsed":
            self.collapsed = True
        elif mode == "auto":
            self.collapsed = answering
            self._auto_answering = answering

    def show(self, reply: Reply) -> None:
        """Refresh the title and body from `reply` (called on a timer while it streams, once after)."""
        self._reply = reply
        if no_reasoning(reply):
            self.display = False
            return
        answering = bool(reply.content) or reply.done
        if self.mode == "auto" and self.chosen is None and answering != self._auto_answering:
            self._auto_answering = answering  # act on the change only, never against the user's click
            self.collapsed = answering
        title = ("▶ " if self.collapsed else "▼ ") + reasoning_title(reply)
        if title != self._title:
            self._title = title
            self.title_line.show(title)
        if self.collapsed:
            return
        width = self.body.content_region.width
        if not width and not reply.done:
            return  # not laid out yet: on_resize brings the first real width
        state = (reply.version, reply.done, width if not reply.done else 0)
        if state == self._shown:
            return
        steady = self._shown[1] == reply.done and self._shown[2] == width and not reply.done
        self._shown = state
        if reply.done:
            if self.full is None:
                from reasonchat.tui.widgets.reasoning_body import ReasoningBody

                self.full = ReasoningBody(reply.reasoning)
                self.body.display = False
                self.mount(self.full)
            return
        rows = tail_rows(clean(in_text(reply.reasoning[-2 * TAIL_CHARS :])), width)  # the tail only: O(1) a tick
        # While live the tail keeps a constant height once it fills TAIL_ROWS rows: no layout needed.
        self.body.update(rows, layout=not (steady and rows.count("\n") == TAIL_ROWS - 1))


def hold_view_still(widget: Widget) -> None:
    """What the user opens to read stays where it is: it grows below its title, and the view around it, kept at
    the end while an answer comes, stops following the end (else the title scrolls away as it grows)."""
    for ancestor in widget.ancestors:
        if isinstance(ancestor, ScrollableContainer):
            ancestor.release_anchor()
            return
