"""`reasonchat history` and `reasonchat export`: the saved conversations from the command line."""

from __future__ import annotations

import argparse
import json
import sys
import time

from reasonchat.cli.colour import BOLD, paint
from reasonchat.core.cost import format_amount
from reasonchat.errors import UsageError
from reasonchat.export import iso_time
from reasonchat.store.transcripts import Listing, TranscriptStore
from reasonchat.text.sanitize import clean_line


def _local(timestamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))


def _listing_json(listed: Listing) -> dict[str, object]:
    c = listed.conversation
    cost = {"amount": round(listed.cost, 8), "currency": listed.currency} \
        if listed.cost is not None and listed.currency else None
    return {"id": c.id, "title": c.title, "preset": c.preset, "model": c.model, "messages": listed.shown,
            "all_messages": listed.messages, "created_at": iso_time(c.created_at),
            "updated_at": iso_time(c.updated_at), "cost": cost,
            "compare": [m.id for m in listed.columns] if listed.columns else None}


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def history(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 1:
        raise UsageError("--limit must be 1 or more")
    with TranscriptStore() as store:
        if args.rename:
            conversation_id = _int_id(args.rename[0])
            store.rename(conversation_id, args.rename[1])
            print(f"renamed conversation {conversation_id}")
            return 0
        if args.delete is not None:
            return _delete(store, args.delete, args.yes)
        if args.search:
            hits = store.search(args.search, limit=args.limit, reasoning=args.reasoning)
            if args.json:
                _print_json([{**_listing_json(store.listed(h.conversation)), "message_id": h.message_id,
                              "role": h.role, "snippet": h.snippet} for h in hits])
            elif not hits:
                print(f"no messages match {args.search!r}", file=sys.stderr)
            for hit in [] if args.json else hits:
                c = hit.conversation
                print(f"{paint(f'{c.id:>5}', BOLD, sys.stdout)}  {_local(c.updated_at)}  {clean_line(c.title, 50)}")
                print(f"       {hit.role}: {clean_line(hit.snippet, 110)}")
            return 0
        listing = store.listing(limit=args.limit)
        if args.json:
            _print_json([_listing_json(listed) for listed in listing])
            return 0
        if not listing:
            print('no conversations yet — try: reasonchat ask --demo "hello"', file=sys.stderr)
            return 0
        print(paint(f"{'ID':>5}  {'UPDATED':16}  {'MSGS':>6}  {'PRESET · MODEL':32}  {'COST':>9}  TITLE", BOLD,
                    sys.stdout))
        for listed in listing:
            c = listed.conversation
            cost = format_amount(listed.cost, listed.currency) if listed.cost is not None and listed.currency else "—"
            count = f"{listed.shown}" + ("+" if listed.more_versions else "")  # + : it has other versions
            print(f"{c.id:>5}  {_local(c.updated_at):16}  {count:>6}  {clean_line(listed.where(), 32):32}  "
                  f"{cost:>9}  {clean_line(c.title, 60)}")
        if any(listed.more_versions for listed in listing):
            print("(MSGS: the messages each shows; + other versions too — regenerated answers, edited questions)",
                  file=sys.stderr)
    return 0


def _int_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(
            f"'{clean_line(text, 40)}' is not a conversation id (a number from `reasonchat history`)"
        ) from None


def _delete(store: TranscriptStore, conversation_id: int, yes: bool) -> int:
    summary = store.require(conversation_id)
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError("--delete asks for confirmation on a terminal; add --yes in scripts")
        answer = input(f"delete conversation {conversation_id} “{clean_line(summary.title, 60)}” "
                       f"({summary.message_count} messages)? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("kept it", file=sys.stderr)
            return 1
    store.delete(conversation_id)
    print(f"deleted conversation {conversation_id}")
    return 0


def export(args: argparse.Namespace) -> int:
    with TranscriptStore() as store:
        if args.conversation == "last":
            conversation_id = store.last_conversation_id()
            if conversation_id is None:
                raise UsageError("there is no conversation to export yet")
        else:
            conversation_id = _int_id(args.conversation)
        summary = store.require(conversation_id)
        messages = store.messages(conversation_id)
        branches = None
        if args.all_branches:
            every = {m.id: m for m in store.all_messages(conversation_id)}
            branches = [[every[i] for i in ids] for ids in store.branches(conversation_id)]
    from reasonchat import export as exporting  # markdown-it and all: only export needs them

    render = exporting.to_json if args.format == "json" else exporting.to_markdown
    text = render(summary, messages, reasoning=not args.no_reasoning, branches=branches)
    if args.output:
        from pathlib import Path

        path = Path(args.output).expanduser()
        from reasonchat.atomic import write_atomically

        try:
            write_atomically(path, text)
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        print(f"exported conversation {conversation_id} to {path}", file=sys.stderr)
    else:
        write_all(text)
    return 0


def write_all(text: str) -> None:
    """All of `text` on stdout, or BrokenPipeError if the reader left (`export last | head -1`).

    A plain `sys.stdout.write` of a large text hands the OS one write; when the reader leaves midway the OS
    writes part of it, Python's buffer layer returns that count, the text layer ignores it, and the rest is
    dropped without an error. Writing until everything is taken makes the next write fail, as it should."""
    sys.stdout.flush()
    out = sys.stdout.buffer
    view = memoryview(text.encode("utf-8"))
    while view:
        written = out.write(view[: 1 << 16])
        out.flush()
        view = view[written if written is not None else len(view[: 1 << 16]) :]


def stats(args: argparse.Namespace) -> int:
    from reasonchat.cli import stats as statistics

    since = statistics.since_timestamp(args.since)
    with TranscriptStore() as store:
        records = statistics.collect(store, since)
    if args.json:
        _print_json(records)
    elif not records:
        print('no answers yet — try: reasonchat ask --demo "hello"', file=sys.stderr)
    else:
        head, _, rows = statistics.table(records).partition("\n")
        print(paint(head, BOLD, sys.stdout))
        print(rows)
    return 0
