from __future__ import annotations

import pytest

from reasonchat.text.sanitize import clean, clean_line


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("plain text\nwith\ttab", "plain text\nwith\ttab"),
        ("red \x1b[31mtext\x1b[0m", "red text"),
        ("clip\x1b]52;c;aGFja2Vk\x07board", "clipboard"),
        ("title\x1b]0;pwned\x1b\\ set", "title set"),
        ("clear\x1b[2J\x1b[Hscreen", "clearscreen"),
        ("bell\x07", "bell"),
        ("c1 \x9b31m csi", "c1  csi"),
        ("osc8 \x1b]8;;http://evil\x07link\x1b]8;;\x07", "osc8 link"),
        ("over\rwrite", "overwrite"),
        ("crlf\r\nline", "crlf\nline"),
        ("bidi \u202eevil\u202c", "bidi evil"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("中文 and emoji 👩\u200d💻", "中文 and emoji 👩\u200d💻"),
        ("dangling ESC at end \x1b", "dangling ESC at end "),
    ],
)
def test_clean(raw: str, safe: str) -> None:
    assert clean(raw) == safe
    assert not any(ch in clean(raw) for ch in "\x1b\x07\x9b\x9d\r")


def test_clean_line_folds_and_cuts() -> None:
    assert clean_line("a\n b\x1b[1m c") == "a b c"
    assert clean_line("x" * 500, 20) == "x" * 19 + "…"
