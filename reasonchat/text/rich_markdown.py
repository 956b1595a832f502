"""An answer's Markdown for Rich: the TUI's settled blocks and `ask --render` draw it alike.

Parsed by `render_parser` (raw HTML shown as text; math drawn as Unicode, reasonchat/text/math.py), not by the
parser Rich builds for itself, and links whose text is their own target shown once.
"""

from __future__ import annotations

from markdown_it.token import Token
from rich.markdown import Markdown as RichMarkdown

from reasonchat.text.markdown import render_parser


class AnswerMarkdown(RichMarkdown):
    """Rich's Markdown of `text`, parsed by `render_parser` (raw HTML shown as text, as the live block shows
    it). Rich builds its own parser, with HTML on; this one is parsed again by ours (the empty text it is
    built with costs nothing to parse)."""

    def __init__(self, text: str) -> None:
        super().__init__("", code_theme="monokai", hyperlinks=False)
        self.markup = text
        self.parsed = render_parser().parse(text)
        for token in self.parsed:
            if token.type == "inline" and token.children:
                token.children = _unlink_bare_urls(token.children)


def _unlink_bare_urls(tokens: list[Token]) -> list[Token]:
    """A link whose text is its own target (`<https://x.org>`, `[https://x.org](https://x.org)`) as plain
    text: shown with its target, it read "https://x.org (https://x.org)". Links whose text says something
    else keep their target beside it, so a label never hides where it points."""
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = None
        if token.type == "link_open":  # looked for only here: a paragraph is hundreds of tokens, few of them links
            end = next((i for i in range(index + 1, len(tokens)) if tokens[i].type == "link_close"), None)
        if end is None:
            out.append(token)
            index += 1
            continue
        inside = tokens[index + 1 : end]
        shown = "".join(t.content for t in inside if t.type in ("text", "code_inline"))
        if token.markup == "autolink" or shown == token.attrs.get("href"):
            out.extend(inside)
        else:
            out.extend(tokens[index : end + 1])
        index = end + 1
    return out
