"""The live reasoning's last rows: wrapped by display cells, where the finished text will wrap."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from reasonchat.tui.widgets.reasoning_block import tail_rows

MIXED = ("The user wrote: “数据库索引为什么能让查询变快？”. Let me think about what they actually need here. "
         "First, I should restate the question in my own words.")


def test_mixed_chinese_and_english_wraps_by_cells_and_keeps_words_whole() -> None:
    rows = tail_rows(MIXED, 40, rows=20).split("\n")
    assert all(cell_len(row) <= 40 for row in rows)
    words = MIXED.split(" ")
    for word in words:
        if cell_len(word) <= 40:
            assert any(word in row for row in rows), word  # never cut in two ("Firs" / "t,")
    assert " ".join(rows) == MIXED


@given(st.text(alphabet=st.sampled_from(list("ab 数据库\n")), max_size=300), st.integers(min_value=8, max_value=60))
def test_rows_never_exceed_the_width(text: str, width: int) -> None:
    shown = tail_rows(text, width)
    assert len(shown.split("\n")) <= 6
    assert all(cell_len(row) <= width for row in shown.split("\n"))
