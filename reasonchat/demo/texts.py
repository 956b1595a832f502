"""What the demo model says: a friendly reasoning + Markdown answer about the user's prompt, and
benchmark text of an exact token count. Pure functions, no I/O."""

from __future__ import annotations

import re
from typing import Any

_TOKEN = re.compile(r"\s*\S+|\s+")


def tokens(text: str) -> list[str]:
    """Split into word-sized tokens that join back to exactly `text`."""
    return _TOKEN.findall(text)


def prompt_of(messages: list[dict[str, Any]]) -> tuple[str, int]:
    users = [m for m in messages if isinstance(m, dict) and m.get("role") == "user"]
    last = users[-1].get("content", "") if users else ""
    if isinstance(last, list):  # content parts
        last = " ".join(str(p.get("text", "")) for p in last if isinstance(p, dict))
    return str(last), len(users)


def friendly(prompt: str, turn: int) -> tuple[str, str]:
    """A believable reasoning + Markdown answer that refers to the user's prompt."""
    quoted = " ".join(prompt.split())[:120] or "(an empty message)"
    follow = (
        f"This is message {turn} of the conversation, so I should build on what came before rather than "
        "start over. "
        if turn > 1
        else ""
    )
    reasoning = (
        f"The user wrote: “{quoted}”. {follow}Let me think about what they actually need here. "
        "First, I should restate the question in my own words to be sure I understood it. "
        "Then I can pick an example that is small enough to read in a terminal but still shows the idea. "
        "A short code sample would help, and a table can compare the options side by side. "
        "Wait — I should also mention the trade-offs, not only the happy path. "
        "Let me also double-check the numbers in the table before I answer. "
        "Okay, 2 + 2 = 4 and the list has three items, so the table has three rows. That is consistent. "
        "Hmm, is there an edge case I am missing? An empty input, a very long one, or text in another "
        "language such as 中文 should all still work, so the example must not assume ASCII. "
        "Another thought: the reader is in a terminal, so wide tables wrap badly; three short columns "
        "are the most I should use. And code blocks need a language tag so they get highlighted. "
        "Let me reconsider the order once more. Summary first, because most readers stop there; details "
        "after, for the ones who want them. Yes, that is the right shape. "
        "I'll structure the answer as: a one-line summary, a list of key points, the code, then the table."
    )
    answer = (
        f"## About “{quoted}”\n\n"
        + ("Building on our earlier messages, here is the next step.\n\n" if turn > 1 else "")
        + "Here is a short answer from the **offline demo** model — no network, no key needed.\n\n"
        "- It streams *reasoning* first, then this answer.\n"
        "- The answer is Markdown: lists, `inline code`, code blocks and tables.\n"
        "- Every token is saved as it arrives.\n\n"
        "```python\n"
        "def greet(name: str) -> str:\n"
        '    """Say hello."""\n'
        '    return f"Hello, {name}!"\n'
        "```\n\n"
        "| option | speed | notes |\n"
        "|---|---|---|\n"
        "| demo | instant | runs offline |\n"
        "| local vLLM | fast | needs a GPU box |\n"
        "| hosted API | varies | needs an API key |\n\n"
        "Ask a follow-up to see a multi-turn conversation."
    )
    return reasoning, answer


_MD_BLOCKS = [
    "## Section {i}\n\nThe engine decodes each `data:` line once and batches UI updates, so a fast stream "
    "stays smooth. Item {i} of the benchmark answer.\n\n",
    "- point {i}.1 with **bold** text\n- point {i}.2 with `code`\n- point {i}.3 with *emphasis*\n\n",
    "```python\ndef f_{i}(x: int) -> int:\n    return x * {i} + 1\n```\n\n",
    "| col a | col b | col c |\n|---|---|---|\n| {i} | {i}.5 | done |\n| next | row | here |\n\n",
]


def bench_text(count: int, *, markdown: bool) -> list[str]:
    """Exactly `count` tokens of reasoning-like prose or of Markdown-heavy answer text."""
    out: list[str] = []
    i = 0
    while len(out) < count:
        if markdown:
            block = _MD_BLOCKS[i % len(_MD_BLOCKS)].format(i=i)
        else:
            block = (
                f"Step {i}: consider the next part of the problem, check it against what we know, "
                "and note anything that does not add up before moving on. "
            )
        out.extend(tokens(block))
        i += 1
    return out[:count]


# Math answers as reasoning models write them (`math-deepseek`: `\( \)` and `\[ \]`; `math-qwen`: `$ $`, `$$ $$`
# and `\boxed`), for the README's picture and the math tests: what the renderer is for.
MATH_REASONING = (
    "We need to solve \\( x^2 - 5x + 6 = 0 \\). The discriminant is \\( \\Delta = b^2 - 4ac = 25 - 24 = 1 \\), "
    "so the roots are \\( \\frac{5 \\pm 1}{2} \\). Let me check by factoring: \\( (x-2)(x-3) = 0 \\). Yes."
)
MATH_DEEPSEEK = """To solve \\( x^2 - 5x + 6 = 0 \\), factor the left side:

\\[
(x - 2)(x - 3) = 0
\\]

So \\( x - 2 = 0 \\) or \\( x - 3 = 0 \\). With the quadratic formula, \\( \\Delta = b^2 - 4ac = 1 \\) and

\\[
x = \\frac{5 \\pm \\sqrt{1}}{2}
\\]

| root | check \\( x^2 - 5x + 6 \\) |
|---|---|
| \\( x = 2 \\) | \\( 4 - 10 + 6 = 0 \\) |
| \\( x = 3 \\) | \\( 9 - 15 + 6 = 0 \\) |

In code the same check is `x**2 - 5*x + 6`; a price like $5 stays a price.

**Final Answer:** \\( \\boxed{x = 2 \\text{ or } x = 3} \\)
"""
MATH_QWEN = """The sum of the first $n$ odd numbers is $n^2$, because

$$\\sum_{k=1}^{n} (2k - 1) = 2 \\cdot \\frac{n(n+1)}{2} - n = n^2$$

and for the angles of a triangle $\\alpha + \\beta + \\gamma = 180^\\circ$. As a system:

\\begin{align*}
x + y &= 10 \\\\
x - y &= 4
\\end{align*}

$$A = \\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}, \\quad \\det A = -2$$

The answer is $\\boxed{n^2}$.
"""
