"""The answer as it streamed and the same answer reopened show the same lines at the same width — for realistic
answers (long code, nested fences, wide tables arriving row by row, reference links defined at the end), in
random chunkings, and after a resize in the middle of the stream."""

from __future__ import annotations

import random
from typing import Any

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll

from benchmarks.fixtures import answer
from reasonchat.tui.widgets.answer import AnswerView
from reasonchat.tui.widgets.final_answer import FinalAnswer
from tests.tui.conftest import drawn_all, terminal_output, until


class Holder(App[None]):
    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="view")

    @property
    def chat(self) -> Any:  # what `drawn_all` looks at
        return self


def lines(widget: FinalAnswer) -> list[str]:
    text = widget.rendered_text(widget.content_region.width)
    assert text is not None, "not rendered at the width it is shown at"
    return [line.rstrip() for line in text]


async def stream(pilot: Any, view: AnswerView, text: str, rng: random.Random, resize_at: int | None = None) -> None:
    position = 0
    while position < len(text):
        position = min(len(text), position + rng.choice([1, 3, 17, 80, 400]))
        await view.feed(text[:position])
        if resize_at is not None and position >= resize_at:
            await pilot.resize_terminal(72, 40)
            resize_at = None
    await view.stop(text)


async def reopened_alike(pilot: Any, container: VerticalScroll, live: AnswerView, text: str) -> FinalAnswer:
    """The same answer reopened below the one that streamed: the same blocks, the same lines."""
    app = pilot.app
    reopened = FinalAnswer(text)
    await container.mount(reopened)
    await until(pilot, lambda: drawn_all(app) and reopened.content_region.width > 0)
    await until(pilot, lambda: drawn_all(app))
    assert live.final.blocks == reopened.blocks
    assert lines(live.final) == lines(reopened), text[:80]
    return reopened


async def test_streamed_and_reopened_answers_show_the_same_lines() -> None:
    rng = random.Random(20261123)
    app = Holder()
    async with app.run_test(size=(110, 40)) as pilot:
        container = app.query_one("#view", VerticalScroll)
        for number in range(6):
            text = answer(rng, "zh" if number % 3 == 2 else "en", tokens=rng.randint(600, 1500))
            live = AnswerView()
            await container.mount(live)
            await stream(pilot, live, text, rng, resize_at=len(text) // 2 if number == 4 else None)
            reopened = await reopened_alike(pilot, container, live, text)
            assert len(lines(reopened)) > 20
            await live.remove()
            await reopened.remove()


HTML = ("Use `Vec<T>` or Vec<T> in a <div> element, and a<b.\n\n<details>\n<summary>More</summary>\n\nbody\n"
        "</details>\n\n| tag | use |\n|---|---|\n| <b> | bold |\n")


async def test_html_in_an_answer_shows_as_the_model_wrote_it_live_and_reopened() -> None:
    """A terminal cannot draw HTML, and dropping it deleted words ("Vec<T> in a <div>" showed as "Vec in a"):
    raw HTML is text, in the live block, in the settled blocks and in the answer reopened."""
    app = Holder()
    async with app.run_test(size=(110, 40)) as pilot:
        container = app.query_one("#view", VerticalScroll)
        live = AnswerView()
        await container.mount(live)
        await live.feed(HTML[:50])  # one unfinished line: the live Markdown widget shows it
        await pilot.pause()
        assert "Use Vec<T> or Vec<T> in a <div> element" in terminal_output(app)[1]
        await stream(pilot, live, HTML, random.Random(5))
        reopened = FinalAnswer(HTML)
        await container.mount(reopened)
        await until(pilot, lambda: drawn_all(app) and reopened.content_region.width > 0)
        await until(pilot, lambda: drawn_all(app))
        assert lines(live.final) == lines(reopened)
        shown = "\n".join(lines(reopened))
        for written in ("Use Vec<T> or Vec<T> in a <div> element, and a<b.", "<details> <summary>More</summary>",
                        "body </details>", "<b>"):
            assert written in shown


def test_a_link_shows_its_target_once() -> None:
    """A link is shown with its target, so a label cannot hide where it points; a bare URL is its own target
    and shows once ("https://x.org (https://x.org)" was noise)."""
    from rich.console import Console

    from reasonchat.tui.widgets.final_answer import render_block

    text = ("see <https://x.org/a?b=1>, [https://y.org](https://y.org), <me@x.org> and [the docs](https://z.org)"
            " or [https://y.org](https://evil.org)")
    shown = " ".join("".join(segment.text for segment in line) for line in render_block(Console(), text, 200))
    assert "see https://x.org/a?b=1, https://y.org, me@x.org and the docs (https://z.org)" in shown
    assert "https://y.org (https://evil.org)" in shown
    assert shown.count("https://x.org") == 1


async def test_math_shows_the_same_live_while_it_streams_and_reopened() -> None:
    """Math in every style the corpus holds, streamed in random chunkings: the live block (Textual's Markdown)
    draws the finished spans as the settled blocks (Rich) do, and the answer reopened shows the same lines."""
    from pathlib import Path

    from reasonchat.demo.texts import MATH_DEEPSEEK, MATH_QWEN

    corpus = sorted((Path(__file__).resolve().parents[1] / "fixtures" / "math").glob("*.md"))
    texts = [MATH_DEEPSEEK, MATH_QWEN, *(path.read_text(encoding="utf-8") for path in corpus)]
    app = Holder()
    async with app.run_test(size=(110, 50)) as pilot:
        container = app.query_one("#view", VerticalScroll)
        for number, text in enumerate(texts):
            live = AnswerView()
            await container.mount(live)
            await stream(pilot, live, text, random.Random(number))
            reopened = await reopened_alike(pilot, container, live, text)
            if number == 0:  # drawn, not shown as written
                assert "To solve x² - 5x + 6 = 0, factor the left side:" in "\n".join(lines(reopened))
            await live.remove()
            await reopened.remove()


async def test_the_live_block_draws_a_finished_span_and_leaves_an_open_one_as_text() -> None:
    app = Holder()
    async with app.run_test(size=(110, 20)) as pilot:
        container = app.query_one("#view", VerticalScroll)
        live = AnswerView()
        await container.mount(live)
        await live.feed("The roots of \\( x^2 - 5x + 6 \\) are \\( x")  # the second span is still coming
        await pilot.pause()
        await until(pilot, lambda: "x² - 5x + 6" in terminal_output(app)[1])
        shown = terminal_output(app)[1]
        assert "The roots of x² - 5x + 6 are" in shown and "\\( x^2" not in shown
