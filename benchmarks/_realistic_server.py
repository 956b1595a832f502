"""The demo server with realistic `bench-` answers (P1'): long code blocks with nested fences, wide tables,
nested lists, links with reference definitions, English and Chinese (benchmarks/fixtures.py) instead of the
demo's small repeating blocks, the best case for settling answers block by block. Reasoning stays prose.

    python -m benchmarks._realistic_server --port N [--math]
"""

from __future__ import annotations

import random
import sys

from reasonchat.demo import scenarios as demo_scenarios
from reasonchat.demo.server import DemoServer
from reasonchat.demo.texts import bench_text, tokens

MATH = "--math" in sys.argv  # answers half of whose blocks carry math (P1' math), reasoning with formulas


def realistic_text(count: int, *, markdown: bool) -> list[str]:
    """Exactly `count` tokens: realistic answers one after another (the same seed every time)."""
    from benchmarks.fixtures import answer, math_answer

    if not markdown:
        if not MATH:
            return bench_text(count, markdown=False)
        from reasonchat.demo.texts import MATH_REASONING

        return (tokens(MATH_REASONING + "\n\n") * (count // 40 + 1))[:count]  # formulas all through
    rng = random.Random(11)
    out: list[str] = []
    while len(out) < count:
        write = math_answer if MATH else answer
        out.extend(tokens(write(rng, "zh" if rng.random() < 0.3 else "en") + "\n\n"))
    return out[:count]


def main() -> None:
    port = int(sys.argv[sys.argv.index("--port") + 1])
    demo_scenarios.bench_text = realistic_text  # type: ignore[assignment]
    DemoServer(port=port).serve_forever_announcing()


if __name__ == "__main__":
    main()
