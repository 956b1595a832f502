"""Split inline `<think>…</think>` text out of a streamed `content` field.

Servers without a reasoning parser (vLLM, llama.cpp `--reasoning-format none`, older Ollama) send the
model's reasoning inside `content`, wrapped in tags that may be split across chunks at any byte. Some
chat templates put `<think>` in the prompt, so the stream holds only the closing tag: such text looks like
an answer until `</think>` arrives, and is then re-labelled with `AnswerWasReasoning`.

Whitespace rules (the same whatever the chunking): leading whitespace of the reasoning and of the answer
is dropped, and so is trailing whitespace of the reasoning. Only a `<think>` at the very start of the
content opens reasoning; once the answer has started after `</think>`, tags are plain text.
"""

from __future__ import annotations

from reasonchat.core.events import AnswerDelta, AnswerWasReasoning, ReasoningDelta

OPEN = "<think>"
CLOSE = "</think>"

Piece = ReasoningDelta | AnswerDelta | AnswerWasReasoning


def _partial_suffix(text: str, tag: str) -> int:
    """Length of the longest end of `text` that is a proper start of `tag` (a tag cut by the chunking)."""
    for size in range(min(len(tag) - 1, len(text)), 0, -1):
        if tag.startswith(text[-size:]):
            return size
    return 0


class ThinkTagSplitter:
    """Incremental: `feed()` each content delta, then `finish()` once at the end of the stream."""

    __slots__ = ("_lead", "_mode", "_pending")

    def __init__(self) -> None:
        # start: only whitespace seen; thinking: inside <think>; untagged: answer with no tag seen yet
        # (a closing tag would make it reasoning); answer: after </think>, tags are text.
        self._mode = "start"
        self._pending = ""  # held back: a possibly cut tag and/or trailing whitespace
        self._lead = True  # still dropping the leading whitespace of the current part

    def feed(self, text: str) -> list[Piece]:
        if self._mode == "answer" and not self._lead:
            return [AnswerDelta(text)] if text else []
        out: list[Piece] = []
        self._feed(self._pending + text, out)
        return out

    def finish(self) -> list[Piece]:
        held, self._pending = self._pending, ""
        out: list[Piece] = []
        if self._mode == "thinking":
            if held.strip():
                out.append(ReasoningDelta(held.rstrip()))
        elif held:
            self._emit_answer(held, out)
        return out

    # -- internals -------------------------------------------------------------------------------------

    def _feed(self, buf: str, out: list[Piece]) -> None:
        self._pending = ""
        if self._mode == "start":
            body = buf.lstrip()
            if not body or (OPEN.startswith(body) and len(body) < len(OPEN)):
                self._pending = buf
                return
            if body.startswith(OPEN):
                self._mode, self._lead = "thinking", True
                buf = body[len(OPEN) :]
            else:
                self._mode, self._lead = "untagged", True
                buf = body
        if self._mode == "answer":
            self._emit_answer(buf, out)
            return
        index = buf.find(CLOSE)
        if index >= 0:
            before, after = buf[:index], buf[index + len(CLOSE) :]
            if self._mode == "untagged":
                out.append(AnswerWasReasoning())
            self._emit_reasoning(before.rstrip(), out)
            self._mode, self._lead = "answer", True
            self._emit_answer(after, out)
            return
        keep = _partial_suffix(buf, CLOSE)
        head, tail = buf[: len(buf) - keep], buf[len(buf) - keep :]
        body = head.rstrip()
        self._pending = head[len(body) :] + tail
        if self._mode == "thinking":
            self._emit_reasoning(body, out)
        else:
            self._emit_answer(body, out)

    def _emit_reasoning(self, text: str, out: list[Piece]) -> None:
        self._emit(text, out, ReasoningDelta)

    def _emit_answer(self, text: str, out: list[Piece]) -> None:
        self._emit(text, out, AnswerDelta)

    def _emit(self, text: str, out: list[Piece], kind: type[ReasoningDelta] | type[AnswerDelta]) -> None:
        if self._lead:  # dropping the part's leading whitespace until its first visible character
            text = text.lstrip()
            self._lead = not text
        if text:
            out.append(kind(text))
