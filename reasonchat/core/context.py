"""The context window: will the next message fit, and what a new conversation starts from when it will not.

The estimate is the last request's own count (its prompt and completion tokens, as the provider said) plus the
new message at three characters a token — more than most tokenizers need for English, about right for code and
Chinese, so the warning comes early rather than late — and a fixed share for each image. It is a warning,
never a refusal: the user may send anyway.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from reasonchat.core.attachments import Attachment

CHARS_PER_TOKEN = 3
IMAGE_TOKENS = 1_500  # a screenshot's share of the window, roughly (providers count 500–2,500)
SUMMARY_PROMPT = ("Summarize our conversation so far for a fresh start: the questions, what we found and decided, "
                  "the facts, names and code that matter, and what is still open. Be complete but brief; the "
                  "summary will be all that is kept.")


def window_of(model: str, own: int | None, table: Mapping[str, int], served: int | None = None) -> int | None:
    """A model's context window: the preset's own `context_window`, else what its server said (`served`:
    vLLM's `max_model_len` in /models), else the preset's `context_windows` table; None when nobody says."""
    return own or served or table.get(model)


def estimate(text: str, attachments: Sequence[Attachment] = ()) -> int:
    """Tokens the new message may take."""
    size = len(text) + sum(len(a.text) for a in attachments if a.kind == "text")
    return -(-size // CHARS_PER_TOKEN) + IMAGE_TOKENS * sum(a.kind == "image" for a in attachments)


def overflow(used: int | None, window: int | None, text: str, attachments: Sequence[Attachment] = ()) -> int | None:
    """The tokens the next request may take when that is more than the window; None when it fits or is unknown."""
    if not used or not window:
        return None
    total = used + estimate(text, attachments)
    return total if total > window else None
