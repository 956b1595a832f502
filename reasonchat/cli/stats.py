"""`reasonchat stats`: what each preset and model did for you — answers, tokens, thinking, speed, cost.

Read from the store's own columns, so it covers every answer ever saved (those from before costs were kept
count with an unknown cost). Speed is completion tokens over the time from an answer's first token to its
last save, the same span the status line measures; answers without usage are left out of the token sums
rather than guessed.
"""

from __future__ import annotations

import re
import time
from typing import Any

from reasonchat.core.cost import format_amount
from reasonchat.errors import UsageError
from reasonchat.store.transcripts import TranscriptStore

_QUERY = """
    SELECT preset, model, count(*),
           sum(prompt_tokens), sum(cached_tokens), sum(reasoning_tokens),
           sum(completion_tokens - coalesce(reasoning_tokens, 0)),
           avg(reasoning_seconds), avg(ttft),
           sum(CASE WHEN completion_tokens IS NOT NULL AND updated_at > created_at THEN completion_tokens END),
           sum(CASE WHEN completion_tokens IS NOT NULL AND updated_at > created_at THEN updated_at - created_at END),
           sum(cost), max(currency), count(DISTINCT currency),
           sum(CASE WHEN rounds_json IS NOT NULL THEN
                   (SELECT count(*) FROM json_each(rounds_json) AS r, json_each(r.value, '$.calls')) ELSE 0 END)
    FROM messages
    WHERE role = 'assistant' AND status != 'streaming' AND created_at >= ?
    GROUP BY preset, model
    ORDER BY count(*) DESC, preset, model
"""


def since_timestamp(text: str | None, now: float | None = None) -> float:
    """`--since`: a date (2026-11-01, local midnight) or a span back from now (7d, 12h); None: the beginning."""
    if not text:
        return 0.0
    now = time.time() if now is None else now
    span = re.fullmatch(r"(\d+)([dh])", text.strip())
    if span:
        return now - int(span.group(1)) * (86400 if span.group(2) == "d" else 3600)
    try:
        return time.mktime(time.strptime(text.strip(), "%Y-%m-%d"))
    except ValueError:
        raise UsageError(f"--since takes a date like 2026-11-01 or a span like 7d or 12h, not '{text}'") from None


def collect(store: TranscriptStore, since: float = 0.0) -> list[dict[str, Any]]:
    """One record per preset and model, most answers first."""
    rows = store.conn.execute(_QUERY, (since,)).fetchall()
    out = []
    for (preset, model, turns, prompt, cached, reasoning, answer, think, ttft, timed_tokens, timed_seconds,
         cost, currency, currencies, calls) in rows:
        out.append({
            "preset": preset or "", "model": model or "", "turns": turns,
            "tokens": {"prompt": prompt, "cached": cached, "reasoning": reasoning, "answer": answer},
            "mean_thinking_seconds": _round(think), "reasoning_to_answer": _round(reasoning / answer, 2)
            if reasoning and answer else None,
            "mean_ttft_seconds": _round(ttft), "tokens_per_second": _round(timed_tokens / timed_seconds, 1)
            if timed_tokens and timed_seconds else None,
            "cost": {"amount": round(cost, 6), "currency": currency} if cost is not None and currencies == 1
            else None,
            "tool_calls": calls or 0,
        })
    return out


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def table(records: list[dict[str, Any]]) -> str:
    """The records as a text table for a terminal."""
    from reasonchat.text.sanitize import clean_line

    head = (f"{'PRESET · MODEL':34} {'TURNS':>5} {'PROMPT':>9} {'CACHED':>8} {'REASON':>9} {'ANSWER':>9} "
            f"{'THINK s':>7} {'R:A':>5} {'TTFT s':>6} {'TOK/S':>6} {'COST':>10} {'CALLS':>5}")
    lines = [head]
    for r in records:
        t = r["tokens"]
        cost = format_amount(r["cost"]["amount"], r["cost"]["currency"]) if r["cost"] else "—"
        lines.append(
            f"{clean_line(r['preset'] + ' · ' + r['model'], 34):34} {r['turns']:>5} {_n(t['prompt']):>9} "
            f"{_n(t['cached']):>8} {_n(t['reasoning']):>9} {_n(t['answer']):>9} {_f(r['mean_thinking_seconds']):>7} "
            f"{_f(r['reasoning_to_answer']):>5} {_f(r['mean_ttft_seconds']):>6} {_f(r['tokens_per_second']):>6} "
            f"{cost:>10} {r['tool_calls']:>5}"
        )
    return "\n".join(lines)


def _n(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _f(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"
