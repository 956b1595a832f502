"""`ask`'s reasoning on a terminal breaks at spaces, not mid-word where the terminal would."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from reasonchat.cli.printer import Wrapper

WORDS = st.lists(st.one_of(st.sampled_from(["the", "reasoning", "x", "supercalifragilistic", "数据库", "索引", "\n"]),
                           st.text(alphabet="abc", min_size=1, max_size=30)), max_size=60)


@given(words=WORDS, width=st.integers(10, 40), cut=st.data())
@settings(max_examples=300, deadline=None)
def test_no_line_passes_the_edge_and_no_short_word_is_broken(words: list[str], width: int, cut: st.DataObject) -> None:
    text = " ".join(words)
    wrapper = Wrapper(width)
    pieces, start = [], 0
    while start < len(text):  # streamed in arbitrary pieces
        end = start + cut.draw(st.integers(1, 12))
        pieces.append(wrapper.feed(text[start:end]))
        start = end
    out = "".join(pieces) + wrapper.finish()
    for line in out.split("\n"):
        assert cell_len(line) <= width, (line, width)
    assert out.replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")  # nothing lost
    for word in {w for w in text.replace("\n", " ").split(" ") if w and len(w) < width and w.isascii()}:
        assert word in out.replace("\n", " ").split(" ") or word not in text.split(), word
