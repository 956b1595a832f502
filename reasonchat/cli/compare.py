"""One question to two or three providers at once: `ask --compare a,b:model` (and the TUI's compare screen
reads its specs the same way).

Each column is an ordinary `ask` of its own — its own conversation in the store, its own request, stream
and failure — run concurrently; a column that fails or is stopped ends alone. The conversations are then
linked as one compare (history lists them as one entry; search and export see each).
"""

from __future__ import annotations

import asyncio
import io
import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from reasonchat.cli.ask_options import AskOptions
    from reasonchat.core.provider import Provider
    from reasonchat.store.transcripts import TranscriptStore

def label(provider: Provider) -> str:
    return f"{provider.name} · {provider.model or 'first served'}"


async def run(providers: list[Provider], options: AskOptions, store: TranscriptStore | None,
              out: TextIO, err: TextIO) -> int:
    """Ask each provider concurrently; print the answers in the order given (or, with --json, an array of the
    usual objects). 0 when every column answered, 1 when one failed (the others are printed all the same)."""
    from reasonchat.cli import ask

    quiet = replace(options, json=True, render=False)
    buffers = [(io.StringIO(), io.StringIO()) for _ in providers]
    codes = await asyncio.gather(*(ask.run(provider, quiet, store, out=o, err=e)
                                   for provider, (o, e) in zip(providers, buffers, strict=True)))
    records: list[dict[str, Any]] = []
    for (o, e), provider in zip(buffers, providers, strict=True):
        text = o.getvalue().strip()
        record = json.loads(text) if text else {"preset": provider.name, "model": provider.model,
                                                 "content": "", "error": e.getvalue().strip() or "no answer"}
        records.append(record)
    if store is not None:
        store.link_compare([r["conversation_id"] for r in records if r.get("conversation_id")])
    if options.json:
        out.write(json.dumps(records, ensure_ascii=False) + "\n")
    else:
        from reasonchat.cli.colour import BOLD, paint

        for record, (_, e), provider in zip(records, buffers, providers, strict=True):
            out.write(paint(f"── {label(provider)} ──", BOLD, out) + "\n")
            if record.get("content"):
                out.write(record["content"].rstrip("\n") + "\n\n")
            notes = e.getvalue().strip()
            if notes:
                err.write(f"[{label(provider)}] {notes}\n")
    out.flush()
    failed = [code for code in codes if code not in (0, None)]
    return 130 if 130 in failed else (1 if failed else 0)
