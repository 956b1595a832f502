"""Math from the command line: `ask` prints the LaTeX as the model wrote it (pipes want the source), `--render`
draws it as the TUI does; the Markdown export writes `$`/`$$`, the JSON export keeps the source."""

from __future__ import annotations

from typing import Any


def test_ask_prints_the_source_and_render_draws_it(cli: Any) -> None:
    plain = cli("ask", "--demo", "--model", "math-deepseek", "--hide-reasoning", "solve it")
    assert plain.code == 0 and "To solve \\( x^2 - 5x + 6 = 0 \\)" in plain.out
    drawn = cli("ask", "--demo", "--model", "math-deepseek", "--hide-reasoning", "--render", "--no-save", "solve")
    assert "To solve x² - 5x + 6 = 0, factor the left side:" in drawn.out
    assert "⟦ x = 2 or x = 3 ⟧" in drawn.out


def test_exports_keep_the_latex_and_write_it_as_viewers_render_it(cli: Any) -> None:
    cli("ask", "--demo", "--model", "math-deepseek", "solve it")
    markdown = cli("export", "last").out
    assert "To solve $x^2 - 5x + 6 = 0$, factor" in markdown and "\\( x^2" not in markdown
    assert "$$\n(x - 2)(x - 3) = 0\n$$" in markdown
    record = cli("export", "last", "--format", "json").json()
    assert "To solve \\( x^2 - 5x + 6 = 0 \\)" in record["messages"][-1]["content"]
