"""A finished answer opened from history, as one widget: its reasoning's title, the reasoning when open, the
answer, and a note when it ended badly.

A reopened conversation may hold fifty long answers. As a tree of widgets (title, reasoning, answer, note and
their containers: six a turn) every layout pass arranged some three hundred of them, 60–120 ms, and each
answer's lines arriving from the render thread asked for one. Drawn as one widget a turn (`LazyLines`: its
pieces are the title line, the reasoning's paragraphs, the answer's blocks and the note), a pass takes
~15 ms. It reads and behaves like the turn in flight (`AssistantTurn`): a click or Enter on it opens or
closes its reasoning, ctrl+t sets the display of all, and the answer's blocks are rendered exactly as the
streamed answer's were (`final_answer.render_block`).
"""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding

from reasonchat.core.reply import Reply
from reasonchat.text.sanitize import clean
from reasonchat.tui.lazy_lines import LazyLines, Lines, Piece, Render, Split, trim
from reasonchat.tui.widgets.final_answer import answer_pieces, estimate, render_piece
from reasonchat.tui.widgets.reasoning_block import hold_view_still, no_reasoning, reasoning_title
from reasonchat.tui.widgets.reasoning_body import split_paragraphs
from reasonchat.tui.widgets.turn import ending_note

INDENT = 2  # cells the reasoning is indented by, as in the turn in flight


class Context:
    """What every piece's rendering is given: the answer's reference definitions and the styles of the parts
    that are not Markdown (resolved from the CSS on the loop, used on the render thread)."""

    __slots__ = ("definitions", "styles")

    def __init__(self, definitions: str, styles: dict[str, Style]) -> None:
        self.definitions = definitions
        self.styles = styles


def render_turn_piece(console: Console, piece: Piece, context: object, width: int) -> Lines:
    """A piece of a stored turn at `width` (on the render thread): Markdown as the answer is rendered, the
    title on one line, the reasoning wrapped and indented, the note as a line of its colour."""
    kind, text = piece
    styles = context.styles if isinstance(context, Context) else {}
    kind = {"call": "title", "detail": "reasoning"}.get(kind, kind)  # (a tool call is drawn as they are)
    if kind == "md":
        return render_piece(console, piece, context.definitions if isinstance(context, Context) else "", width)
    style = styles.get(kind) or Style()
    if kind == "reasoning":
        options = console.options.update_width(max(8, width - INDENT))
        pad = Segment(" " * INDENT)
        return [[pad, *line] for line in console.render_lines(Text(text.strip("\n"), style=style), options, pad=False)]
    line = Text(text, style=style, no_wrap=kind == "title", overflow="ellipsis")
    return trim(console.render_lines(line, console.options.update_width(width), pad=False))


class StoredTurn(LazyLines, can_focus=True):
    DEFAULT_CSS = """
    StoredTurn { height: auto; margin: 1 0 0 0; padding: 0 1; }
    StoredTurn:focus { background: $boost; }
    StoredTurn > .stored-turn--title { color: $text-muted; }
    StoredTurn > .stored-turn--reasoning { color: $text-muted; text-style: italic; }
    StoredTurn > .stored-turn--note { color: $warning; }
    StoredTurn > .stored-turn--error { color: $error; }
    """
    COMPONENT_CLASSES = {"stored-turn--title", "stored-turn--reasoning", "stored-turn--note", "stored-turn--error"}
    BINDINGS = [Binding("enter", "toggle_reasoning", "Toggle reasoning", show=False)]

    def __init__(self, reply: Reply, mode: str, message_id: int | None = None) -> None:
        super().__init__(reply.content)
        self.reply = reply
        self.message_id = message_id
        self.mode = mode
        self.collapsed = mode != "expanded"
        self.chosen: bool | None = None  # the user toggled this one: kept until the next ctrl+t
        if not reply.content:  # nothing to split: the title and the note are all there is
            before, after = self._frame()
            self._pieces = [*before, *after]

    # -- what it shows ----------------------------------------------------------------------------------

    @property
    def has_reasoning(self) -> bool:
        return (not no_reasoning(self.reply) or bool(self.reply.rounds)) and self.mode != "hidden"

    @property
    def title_text(self) -> str:
        return ("▶ " if self.collapsed else "▼ ") + reasoning_title(self.reply) if self.has_reasoning else ""

    def _frame(self) -> tuple[list[Piece], list[Piece]]:
        """The pieces before the answer (title, reasoning when open) and after it (the note)."""
        before: list[Piece] = []
        if self.mode != "hidden":
            before.extend(self._rounds())
        if self.has_reasoning and not no_reasoning(self.reply):
            before.append(("title", self.title_text))
            if not self.collapsed:
                before.extend(("reasoning", text) for _, text in split_paragraphs(self.reply.reasoning)[0])
        reply = self.reply
        note = ending_note(reply.status, reply.finish_reason, reply.error)
        kind = "error" if reply.status in ("error", "interrupted") else "note"
        return before, [(kind, note)] if note else []

    def _rounds(self) -> list[Piece]:
        """Each tool round before the answer: its reasoning's title (and text when open), and its calls (and
        their arguments and results when open). One click opens or closes them all with the reasoning."""
        from reasonchat.tools.describe import call_title, details
        from reasonchat.tui.widgets.tool_round import round_reply

        out: list[Piece] = []
        mark = "▶ " if self.collapsed else "▼ "
        for done in self.reply.rounds:
            if done.reasoning:
                out.append(("title", mark + reasoning_title(round_reply(done, self.reply.model))))
                if not self.collapsed:
                    out.extend(("reasoning", text) for _, text in split_paragraphs(done.reasoning)[0])
            for call in done.calls:
                out.append(("call", mark + call_title(call, limit=100)))
                if not self.collapsed:
                    out.append(("detail", details(call)))
        return out

    def on_mount(self) -> None:
        if self.context is None:  # no answer to split (an error before any text): the styles are needed still
            self.context = self._render_context("")

    def _answer(self) -> list[Piece]:
        return [piece for piece in self.pieces if piece[0] == "md"]

    def _render_context(self, definitions: str) -> Context:
        return Context(definitions, {kind: self._style(kind) for kind in ("title", "reasoning", "note", "error")})

    def _style(self, kind: str) -> Style:
        """A part's style without its background: its colour blended over the turn's background (a muted
        colour is a translucent one), its attributes, and the widget's own background left to show."""
        full = self.get_component_rich_style(f"stored-turn--{kind}")
        return full.without_color + Style.from_color(full.color)

    def splitter(self) -> Split:
        before, after = self._frame()
        context = self._render_context("")

        def split(source: str) -> tuple[list[Piece], object]:
            blocks, definitions = answer_pieces(source)
            context.definitions = definitions
            return [*before, *blocks, *after], context

        return split

    def renderer(self) -> Render:
        return render_turn_piece

    def estimate_piece(self, piece: Piece, width: int) -> int:
        kind, text = piece
        if kind == "source":  # not split yet: the answer, and the title and note around it
            before, after = self._frame()
            return estimate(text, width) + sum(estimate(t, width) for _, t in before + after) + 2
        if kind in ("title", "call"):
            return 1
        return estimate(text, width - (INDENT if kind in ("reasoning", "detail") else 0))

    def gap(self, piece: Piece) -> int:
        kind = piece[0]
        if kind in ("reasoning", "note", "error", "call", "detail"):
            return 0  # the reasoning sits under its title, a call under the round it belongs to; a note under
            # the answer
        return 1

    def shown_markdown(self) -> str:
        return clean(self.reply.content)

    # -- opening and closing the reasoning ---------------------------------------------------------------

    def _reframe(self) -> None:
        if self._pieces is None and self._source:
            self.refresh(layout=True)  # not split yet: the split puts the new frame together
            self._version += 1
            return
        before, after = self._frame()
        self.set_pieces([*before, *self._answer(), *after])

    def set_mode(self, mode: str) -> None:
        """Apply the display mode (ctrl+t or [ui] reasoning) to this turn."""
        self.mode = mode
        self.chosen = None
        self.collapsed = mode != "expanded"
        self._reframe()

    def toggle(self) -> None:
        if not self.has_reasoning:
            return
        if self.collapsed:
            hold_view_still(self)
        self.collapsed = not self.collapsed
        self.chosen = self.collapsed
        self._reframe()

    def action_toggle_reasoning(self) -> None:
        self.toggle()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None and (offset.y == 0 or self.reply.rounds) and self.has_reasoning:
            event.stop()
            self.toggle()
