"""The app's one queue of widgets waiting for rendered lines (`Queued`: lazy_lines.py's `LazyLines`), served
by one task that sends the pieces nearest the rows on screen to a worker thread, a batch at a time, and hands
the lines back (one layout per batch); and the small questions about where a widget is that it needs to decide.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol
from weakref import WeakKeyDictionary

from textual.containers import ScrollableContainer
from textual.dom import NoScreen
from textual.errors import NoWidget
from textual.strip import Strip
from textual.widget import Widget

if TYPE_CHECKING:
    from rich.console import Console
    from textual.app import App

BATCH_CHARACTERS = 12_000  # of source per trip to the worker thread: ~20-40 ms of rendering
KEPT_STRIPS = 1000  # lines kept as strips, all widgets together: a few screenfuls
FORGET_EVERY = 1.0  # seconds between looks for widgets scrolled out of sight
FRAME = 1 / 60  # seconds
PLACEMENT_ROUNDS = 3  # refreshes to wait for widgets to be laid out before rendering them anyway


class Job(Protocol):
    """One trip to the worker thread for one widget."""

    @property
    def cost(self) -> int:
        """Roughly how much rendering it is (characters of source)."""

    def run(self, console: Console) -> object:
        """The work itself, on the worker thread: pure, touching no widget."""

    def deliver(self, result: object) -> None:
        """Back on the loop: hand `run`'s result to the widget."""


class Queued(Widget):
    """A widget whose lines are rendered off the loop by the app's queue, the ones on screen first."""

    @property
    def pending(self) -> bool:
        """Something is still to be rendered at the width it is shown at."""
        raise NotImplementedError

    def visible_missing(self) -> bool:
        """What is on screen of it is still an estimate (or nothing)."""
        raise NotImplementedError

    def next_job(self, budget: int, visible_only: bool = False) -> Job | None:
        """What to render next: about `budget` characters, or only what is on screen."""
        raise NotImplementedError


class RenderQueue:
    """The app's one queue of `Queued` widgets waiting for lines; served by one task, rendering on a thread."""

    def __init__(self, app: App[object]) -> None:
        self.app = app
        self._waiting: dict[Queued, None] = {}  # insertion-ordered set
        self._task: asyncio.Task[None] | None = None
        self.strips: OrderedDict[tuple[Queued, int, int, int], Strip] = OrderedDict()  # (widget, version, width, y)
        self.drawn: WeakKeyDictionary[Queued, None] = WeakKeyDictionary()  # widgets Textual has drawn lines of
        app.set_interval(FORGET_EVERY, self._forget_offscreen)

    def request(self, widget: Queued) -> None:
        self._waiting[widget] = None
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._serve())

    @property
    def busy(self) -> bool:
        return bool(self._waiting) or (self._task is not None and not self._task.done())

    def keep_strip(self, key: tuple[Queued, int, int, int], strip: Strip) -> None:
        self.strips[key] = strip
        while len(self.strips) > KEPT_STRIPS:
            self.strips.popitem(last=False)

    def forget(self, widget: Queued) -> None:
        """Drop the strips of a widget that left the screen for good: kept, their keys held the widget, and with
        it every line it had rendered (a conversation opened again and again kept the last few copies)."""
        for key in [key for key in self.strips if key[0] is widget]:
            del self.strips[key]

    async def _serve(self) -> None:
        unplaced_rounds = 0
        while self._waiting:
            await next_frame(self.app)  # after it, what is on screen is known
            if not any(placed(w) for w in self._waiting) and unplaced_rounds < PLACEMENT_ROUNDS:
                unplaced_rounds += 1  # nothing has a place on screen yet: what to do first is not known
                continue
            unplaced_rounds = 0
            jobs = self._next_jobs()
            if not jobs:
                continue
            results = await asyncio.to_thread(_run_all, self.app.console, jobs)
            with self.app.batch_update():
                for job, result in zip(jobs, results, strict=True):
                    job.deliver(result)

    def _next_jobs(self) -> list[Job]:
        """The next trip's work: on screen first, then the nearest to what is on screen (widgets not laid out
        yet wait for a later trip, when it is known where they are)."""
        waiting = [w for w in self._waiting if w.is_attached]
        self._waiting.clear()
        if any(placed(w) for w in waiting):
            for widget in waiting:
                if not placed(widget):
                    self._waiting[widget] = None
            waiting = [w for w in waiting if placed(w)]
        waiting.sort(key=_distance)
        # What is on screen and still an estimate goes alone, and first: the first frame of a conversation
        # waits for nothing else.
        urgent = [w for w in waiting if w.visible_missing()]
        if urgent:
            for widget in waiting:
                self._waiting[widget] = None
            jobs = [job for job in (w.next_job(0, visible_only=True) for w in urgent) if job is not None]
            if jobs:
                return jobs
            self._waiting.clear()
        jobs = []
        budget = BATCH_CHARACTERS
        for widget in waiting:
            if budget <= 0:
                self._waiting[widget] = None  # the next trip
                continue
            job = widget.next_job(budget)
            if job is None:
                continue
            jobs.append(job)
            budget -= job.cost
            if widget.pending:
                self._waiting[widget] = None  # more of it on a later trip
        return jobs

    def _forget_offscreen(self) -> None:
        """Widgets scrolled out of sight drop the lines Textual drew for them (a refresh clears its cache):
        scrolled through, a long conversation otherwise kept every line it ever showed, twice over."""
        for widget in list(self.drawn):
            if not widget.is_attached:
                self.drawn.pop(widget, None)
            elif not on_screen(widget):
                self.drawn.pop(widget, None)
                widget.refresh()


def _run_all(console: Console, jobs: list[Job]) -> list[object]:
    return [job.run(console) for job in jobs]


async def next_frame(app: App[object]) -> None:
    """Until the screen has been refreshed (laid out and drawn) once more."""
    refreshed = asyncio.Event()
    app.call_after_refresh(refreshed.set)
    await refreshed.wait()


async def screen_drawn(widgets: Callable[[], Sequence[Widget]], timeout: float = 1.0) -> None:
    """Until `drawn_on_screen(widgets())` (or `timeout` seconds have passed: the caller goes on regardless).
    Looked at once a frame, by the clock: waiting on `call_after_refresh` in a loop keeps the screen from ever
    being idle, and so from laying out."""
    for _ in range(int(timeout / FRAME)):
        await asyncio.sleep(FRAME)
        if drawn_on_screen(widgets()):
            return


def drawn_on_screen(widgets: Sequence[Widget]) -> bool:
    """Some of `widgets` are `Queued` on screen, and every one of those is drawn there from its rendered
    lines, not estimates."""
    shown = [w for w in widgets if isinstance(w, Queued) and on_screen(w)]
    return bool(shown) and not any(w.visible_missing() for w in shown)


def placed(widget: Widget) -> bool:
    """The last layout gave it a place (on screen or not)."""
    try:
        widget.screen.find_widget(widget)
    except (NoWidget, NoScreen):
        return False
    return True


def on_screen(widget: Widget) -> bool:
    """Some of it is on the screen (not scrolled out of its container's view)."""
    try:
        return bool(widget.screen.find_widget(widget).visible_region.height)
    except (NoWidget, NoScreen):
        return False


def _distance(widget: Queued) -> int:
    """0 for a widget on screen, else how many lines it is from the part of its scroll view on screen."""
    if on_screen(widget):
        return 0
    y = 0
    node: Widget | None = widget
    view: ScrollableContainer | None = None
    while node is not None:
        parent = node.parent
        y += node.virtual_region.y
        if isinstance(parent, ScrollableContainer):
            view = parent
            break
        node = parent if isinstance(parent, Widget) else None
    if view is None:
        return 1 << 30
    top = int(view.scroll_y)
    bottom = top + view.size.height
    return 1 if top <= y <= bottom else 1 + min(abs(y - top), abs(y - bottom))


_queues: WeakKeyDictionary[App[object], RenderQueue] = WeakKeyDictionary()


def render_queue(app: App[object]) -> RenderQueue:
    """The app's queue (one per app, made when first needed)."""
    queue = _queues.get(app)
    if queue is None:
        queue = _queues[app] = RenderQueue(app)
    return queue
