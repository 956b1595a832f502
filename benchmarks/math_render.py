"""The cost of math: rendering answers with LaTeX (per KB, against the same answers without their math), the
parse alone with the math rules, the conversion of a span, and the import the converter adds (pylatexenc,
loaded on a thread after the first frame, never before it).

    python -m benchmarks.math_render
"""

from __future__ import annotations

import io
import random
import re
import statistics
import subprocess
import sys
import time


def best_ms(run: object, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def measure(count: int = 8, tokens: int = 1500) -> dict[str, float]:
    """The figures, for `count` answers of about `tokens` tokens each."""
    from markdown_it import MarkdownIt
    from rich.console import Console

    from benchmarks.fixtures import math_answer
    from reasonchat.text import latex, math
    from reasonchat.text.markdown import render_parser
    from reasonchat.text.rich_markdown import AnswerMarkdown

    rng = random.Random(25)
    answers = [math_answer(rng, tokens=tokens) for _ in range(count)]
    size = sum(len(text.encode()) for text in answers) / 1000
    spans = sum(len(re.findall(r"\\\(.+?\\\)|\\\[.+?\\\]|\$\$.+?\$\$|\$[^$\n]+?\$|\\begin\{", text, re.DOTALL))
                for text in answers)

    def render(texts: list[str]) -> None:
        console = Console(width=100, file=io.StringIO(), color_system=None)
        for text in texts:
            console.print(AnswerMarkdown(text))

    render(answers)  # the converter loaded, the parser built
    latex.to_unicode.cache_clear()
    cold = best_ms(lambda: (latex.to_unicode.cache_clear(), render(answers)), repeat=5)
    warm = best_ms(lambda: render(answers))
    math.set_mode("source")  # the same answers, the same parse, no conversion: the math shown as written
    try:
        without = best_ms(lambda: render(answers))
    finally:
        math.set_mode("unicode")
    commonmark = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    parse_math = best_ms(lambda: [render_parser().parse(text) for text in answers])
    parse_plain = best_ms(lambda: [commonmark.parse(text) for text in answers])
    formulas = [r"\frac{5 \pm 1}{2}", r"\sum_{k=1}^{n} k = \frac{n(n+1)}{2}", r"x_{i+1} = \sqrt{x_i + 1}"]
    per_span = statistics.median(best_ms(lambda f=f: (latex.to_unicode.cache_clear(), latex.to_unicode(f)))
                                 for f in formulas)
    imported = subprocess.run([sys.executable, "-X", "importtime", "-c", "import pylatexenc.latex2text"],
                              capture_output=True, text=True).stderr.strip().splitlines()[-1]
    import_ms = int(imported.split("|")[1]) / 1000
    return {"answers": len(answers), "kb": size, "spans": spans, "cold": cold, "warm": warm, "without": without,
            "parse_math": parse_math, "parse_plain": parse_plain, "per_span": per_span, "import": import_ms}


def main() -> None:
    f = measure()
    print(f"math render: {f['answers']:.0f} answers, {f['kb']:.1f} KB, {f['spans']:.0f} math spans")
    print(f"  rendered with Rich, conversions not cached: {f['cold']:.1f} ms ({f['cold'] / f['kb']:.2f} ms/KB); "
          f"cached (the live block's case): {f['warm']:.1f} ms; shown as source ([ui] math = \"source\"): "
          f"{f['without']:.1f} ms — the conversion adds {(f['cold'] - f['without']) / f['kb']:.2f} ms/KB, "
          f"{(f['cold'] - f['without']) / max(f['spans'], 1):.2f} ms a span")
    print(f"  parse alone: with the math rules {f['parse_math']:.1f} ms, CommonMark {f['parse_plain']:.1f} ms")
    print(f"  one span converted: {f['per_span']:.2f} ms (median of three)")
    print(f"  import of pylatexenc: {f['import']:.0f} ms (on the preload thread, after the first frame)")


if __name__ == "__main__":
    main()
