"""Widgets drawn line by line from pieces rendered off the event loop, the ones on screen first.

Rendering Markdown (Rich + Pygments) or wrapping long text is the slow part of showing a conversation: 50
long answers took 2.9 s, on the loop, to open, and as long again at every resize. Here a widget is a list of
*pieces* (an answer's top-level blocks, a reasoning's paragraphs), each rendered on its own, one blank line
apart. A widget that lacks pieces at the width it is shown at asks the app's `RenderQueue`
(render_queue.py), which sends the pieces nearest the rows on screen to a worker thread, a batch at a time,
and hands the lines back (one layout per batch). A stored answer is split into its blocks on that thread
too. Until a piece arrives it takes the height of its last rendering at another width, or an estimate from
its text, and is drawn from what there is, so nothing waits. Two widths are kept: going back to a width
(120 → 80 → 120) is instant.

Rendered lines are kept `Packed`: plain tuples of (text, style number), which the garbage collector stops
tracking. Kept as Rich segments in Textual strips (a strip carries seven caches of its own), a long
conversation was half a million objects, and every full collection scanned them all: 80–160 ms pauses.
Strips are made only for the lines being drawn (the app keeps the last thousand), and a widget scrolled out
of sight is told to forget the lines Textual drew for it.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, cast

from rich.segment import Segment
from textual.dom import NoScreen
from textual.errors import NoWidget
from textual.geometry import Size
from textual.strip import Strip

from reasonchat.tui.render_queue import Queued, render_queue

if TYPE_CHECKING:
    from rich.console import Console
    from rich.style import Style

Lines = list[list[Segment]]
Piece = tuple[str, str]  # (kind, text): what a widget is made of, rendered one by one
Render = Callable[["Console", Piece, object, int], Lines]  # (console, piece, context, width): pure, thread-safe
Split = Callable[[str], tuple[list[Piece], object]]  # source -> (pieces, context given to every rendering)
KEPT_WIDTHS = 2


class Packed:
    """Rendered lines as tuples of (text, style number) into one list of styles: no objects for the garbage
    collector to scan (tuples of strings and ints are untracked), a fraction of the memory of segments."""

    __slots__ = ("rows", "styles")

    def __init__(self, lines: Lines | None = None) -> None:
        self.styles: list[Style | None] = []
        self.rows: list[tuple[tuple[str, int], ...]] = []
        index: dict[Style | None, int] = {}
        for line in lines or ():
            row = []
            for text, style, _ in line:
                number = index.get(style)
                if number is None:
                    number = index[style] = len(self.styles)
                    self.styles.append(style)
                row.append((text, number))
            self.rows.append(tuple(row))

    def __len__(self) -> int:
        return len(self.rows)

    def strip(self, y: int) -> Strip:
        styles = self.styles
        return Strip([Segment(text, styles[number]) for text, number in self.rows[y]])

    def text(self) -> list[str]:
        """The lines as plain text (for tests and copying)."""
        return ["".join(text for text, _ in row) for row in self.rows]


class _Layout:
    """Where each piece starts at one width: rows of pieces (rendered, or estimated) and the blank lines the
    widget puts between them (`gaps`: before each piece, if it and something above it have lines)."""

    __slots__ = ("height", "starts")

    def __init__(self, heights: Sequence[int], gaps: Sequence[int]) -> None:
        self.starts: list[int] = []
        row = 0
        for height, gap in zip(heights, gaps, strict=True):
            if height and row:
                row += gap
            self.starts.append(row)
            row += height
        self.height = row

    def find(self, y: int) -> int:
        """The piece holding row `y` (or the separator above it)."""
        return max(0, bisect.bisect_right(self.starts, y) - 1)


class LazyLines(Queued):
    """Subclasses say how to split a source into pieces (`splitter`, run on the worker thread), how to render a
    piece (`renderer`, pure) and roughly how many lines one takes (`estimate_piece`)."""

    DEFAULT_CSS = """
    LazyLines { height: auto; }
    """

    def __init__(self, source: str = "", *, pieces: list[Piece] | None = None, context: object = None,
                 classes: str | None = None) -> None:
        super().__init__(classes=classes)
        # None: still to be split, on the thread (parsing fifty long answers on the loop took half a second).
        self._pieces: list[Piece] | None = pieces if pieces is not None else (None if source else [])
        self._source = source
        self.context = context  # given to every piece's rendering (an answer's reference definitions)
        self._rendered: OrderedDict[int, list[Packed | None]] = OrderedDict()  # by width: each piece's lines
        self._stale: list[Packed | None] | None = None  # what it had before `changed()`: drawn meanwhile
        self._layouts: dict[int, _Layout] = {}
        self._version = 0  # bumped when the pieces change: renderings in flight for older ones are dropped
        self._width = 0  # the width it is laid out at

    def on_unmount(self) -> None:
        render_queue(self.app).forget(self)

    # -- for subclasses ----------------------------------------------------------------------------------

    def splitter(self) -> Split:
        raise NotImplementedError

    def renderer(self) -> Render:
        raise NotImplementedError

    def estimate_piece(self, piece: Piece, width: int) -> int:
        raise NotImplementedError

    def gap(self, piece: Piece) -> int:
        """Blank lines before `piece` when something above it has lines."""
        return 1

    # -- content -------------------------------------------------------------------------------------------

    @property
    def pieces(self) -> list[Piece]:
        if self._pieces is None:  # asked on the loop before the thread split it: split here, once
            self._set_pieces(*self.splitter()(self._source))
        return self._pieces or []

    @property
    def split_yet(self) -> bool:
        return self._pieces is not None

    def _set_pieces(self, pieces: list[Piece], context: object) -> None:
        self._pieces = pieces
        self.context = context
        self._source = ""
        self._version += 1
        for width in list(self._rendered):
            self._rendered[width] = [None] * len(pieces)
        self._layouts.clear()

    def set_pieces(self, pieces: list[Piece]) -> None:
        """New pieces: those that stayed the same keep their lines (a title that changed, a body opened)."""
        old = self._pieces or []
        for width, rendered in self._rendered.items():
            kept = dict(zip(old, rendered, strict=False))
            self._rendered[width] = [kept.get(piece) for piece in pieces]
        self._pieces = pieces
        self._source = ""
        self._version += 1
        self._layouts.clear()
        self.refresh(layout=True)

    def append(self, pieces: list[Piece], lines: Lines, width: int) -> None:
        """Pieces that completed while the text streams, rendered (off the loop) at `width` together: their
        lines go in as the first of them, the rest as empty, so the blank line between them stays theirs."""
        if self._pieces is None:
            self._set_pieces([], self.context)
        assert self._pieces is not None
        start = len(self._pieces)
        self._pieces.extend(pieces)
        self._version += 1
        for other in [w for w in self._rendered if w != width]:
            del self._rendered[other]  # another width would need the new pieces too: rendered again as wanted
        rendered = self._rendered.setdefault(width, [None] * start)
        rendered.extend([Packed(lines), *(Packed() for _ in pieces[1:])])
        self._layouts.clear()
        self.refresh(layout=True)

    def changed(self) -> None:
        """Everything must be rendered again (what it draws meanwhile is what it had)."""
        self._version += 1
        if self._rendered:
            self._stale = self._rendered.popitem()[1]
        self._rendered.clear()
        self._layouts.clear()
        self.refresh(layout=True)

    def rendered_text(self, width: int) -> list[str] | None:
        """Its lines at `width` as plain text, laid out as drawn; None while any piece is missing there."""
        rendered = self._rendered.get(width)
        if self._pieces is None or rendered is None or len(rendered) != len(self._pieces) or None in rendered:
            return None
        out: list[str] = []
        for lines in rendered:
            if lines is not None and len(lines):
                if out:
                    out.append("")
                out.extend(lines.text())
        return out

    # -- what Textual asks ----------------------------------------------------------------------------------

    @property
    def pending(self) -> bool:
        """Pieces are missing at the width it is shown at."""
        if not self._width:
            return False
        rendered = self._rendered.get(self._width)
        return not self.split_yet or rendered is None or any(p is None for p in rendered) or \
            len(rendered) != len(self._pieces or [])

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if width <= 0:
            return 0
        self._width = width
        layout = self._layout(width)
        if self.pending and self.is_attached:
            render_queue(self.app).request(self)
        return layout.height

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        queue = render_queue(self.app)
        key = (self, self._version, width, y)
        strip = queue.strips.get(key)
        if strip is None:
            strip = self._strip(width, y)
            queue.keep_strip(key, strip)
            queue.drawn[self] = None
        return strip.apply_style(self.rich_style)

    # -- internals -------------------------------------------------------------------------------------

    def _heights(self, width: int) -> list[int]:
        if self._pieces is None:
            return [self.estimate_piece(("source", self._source), width)]
        rendered = self._rendered.get(width)
        fallback = next((r for w, r in reversed(self._rendered.items()) if w != width), None)
        stale = self._stale
        heights = []
        for index, piece in enumerate(self._pieces):
            lines = rendered[index] if rendered is not None and index < len(rendered) else None
            if lines is None:  # another width's height, or an estimate: so a resize does not jump twice
                other = fallback if fallback is not None and index < len(fallback) else stale
                lines = other[index] if other is not None and index < len(other) else None
            heights.append(len(lines) if lines is not None else self.estimate_piece(piece, width))
        return heights

    def _layout(self, width: int) -> _Layout:
        layout = self._layouts.get(width)
        if layout is None:
            gaps = [self.gap(piece) for piece in self._pieces] if self._pieces is not None else [0]
            layout = self._layouts[width] = _Layout(self._heights(width), gaps)
        return layout

    def _strip(self, width: int, y: int) -> Strip:
        if self._pieces is None:
            return Strip.blank(width)
        layout = self._layout(width)
        index = layout.find(y)
        row = y - layout.starts[index]
        rendered = self._rendered.get(width)
        lines = rendered[index] if rendered is not None and index < len(rendered) else None
        if lines is None:  # not rendered for this width yet: the same piece at another width, cut to fit
            other = next((r for w, r in reversed(self._rendered.items()) if w != width), None) or self._stale
            lines = other[index] if other is not None and index < len(other) else None
        if lines is None or not 0 <= row < len(lines):
            return Strip.blank(width)
        return lines.strip(row).crop_extend(0, width, None)

    def _visible_rows(self) -> range:
        """The rows of it on screen (empty when scrolled out of sight)."""
        try:
            geometry = self.screen.find_widget(self)
        except (NoWidget, NoScreen):
            return range(0)
        visible = geometry.visible_region
        top = visible.y - geometry.region.y - self.styles.padding.top
        return range(max(0, top), max(0, top + visible.height))

    def visible_missing(self) -> bool:
        """Pieces on screen are still missing (what the user is looking at is an estimate, or nothing)."""
        rows = self._visible_rows()
        if not rows or not self._width:
            return False
        if self._pieces is None:
            return True
        rendered = self._rendered.get(self._width)
        layout = self._layout(self._width)
        first, last = layout.find(rows.start), layout.find(rows.stop - 1)
        return rendered is None or any(i >= len(rendered) or rendered[i] is None for i in range(first, last + 1))

    def next_job(self, budget: int, visible_only: bool = False) -> _Job | None:
        """What to render next for the width it is shown at: the missing pieces nearest the rows on screen,
        about `budget` characters of them (at least one), or only those on screen; or the split, if it has
        not been split yet."""
        width = self._width
        if not width:
            return None
        if self._pieces is None:
            return _Job(self, width, self._version, [], self.splitter(), self._source)
        rendered = self._rendered.setdefault(width, [None] * len(self._pieces))
        if len(rendered) < len(self._pieces):
            rendered.extend([None] * (len(self._pieces) - len(rendered)))
        missing = [i for i, lines in enumerate(rendered) if lines is None]
        if not missing:
            return None
        layout = self._layout(width)
        rows = self._visible_rows()
        if visible_only and rows:
            shown = range(layout.find(rows.start), layout.find(rows.stop - 1) + 1)
            missing = [i for i in missing if i in shown]
            budget = 1 << 30
        middle = (rows.start + rows.stop) // 2 if rows else 0
        missing.sort(key=lambda i: abs(layout.starts[i] - middle))
        chosen: list[int] = []
        spent = 0
        for index in missing:
            if chosen and spent >= budget:
                break
            chosen.append(index)
            spent += len(self._pieces[index][1])
        return _Job(self, width, self._version, chosen, None, "",
                    [self._pieces[i] for i in chosen], self.renderer(), self.context)

    def _done(self, job: _Job, result: tuple[list[Piece], object] | list[Packed]) -> None:
        if job.version != self._version or not self.is_attached:
            return
        if isinstance(result, tuple):
            self._set_pieces(*result)
        else:
            rendered = self._rendered.setdefault(job.width, [None] * len(self.pieces))
            for index, lines in zip(job.indices, result, strict=True):
                rendered[index] = lines
            self._rendered.move_to_end(job.width)
            while len(self._rendered) > KEPT_WIDTHS:
                self._rendered.popitem(last=False)
            if not self.pending:
                self._stale = None
        self._version += 1  # strips made from what it had are stale
        self._layouts.clear()
        self.refresh(layout=True)


class _Job:
    """One trip to the worker thread for one widget: split its source, or render some of its pieces."""

    __slots__ = ("context", "indices", "pieces", "render", "source", "split", "version", "widget", "width")

    def __init__(self, widget: LazyLines, width: int, version: int, indices: list[int],
                 split: Split | None, source: str, pieces: list[Piece] | None = None,
                 render: Render | None = None, context: object = None) -> None:
        self.widget, self.width, self.version, self.indices = widget, width, version, indices
        self.split, self.source = split, source
        self.pieces, self.render, self.context = pieces or [], render, context

    def run(self, console: Console) -> tuple[list[Piece], object] | list[Packed]:
        if self.split is not None:
            return self.split(self.source)
        assert self.render is not None
        return [Packed(self.render(console, piece, self.context, self.width)) for piece in self.pieces]

    def deliver(self, result: object) -> None:
        self.widget._done(self, cast("tuple[list[Piece], object] | list[Packed]", result))  # what `run` returned

    @property
    def cost(self) -> int:
        return len(self.source) // 4 if self.split is not None else sum(len(text) for _, text in self.pieces)


def blank(line: list[Segment]) -> bool:
    """A rendered line with nothing on it (no text, no background)."""
    return all(not seg.text.strip() and (seg.style is None or seg.style.bgcolor is None) for seg in line)


def trim(lines: Lines) -> Lines:
    """`lines` without blank lines at either end."""
    start, end = 0, len(lines)
    while start < end and blank(lines[start]):
        start += 1
    while end > start and blank(lines[end - 1]):
        end -= 1
    return lines[start:end]
