"""Branches from the command line: `ask -c` goes on from the branch shown, export writes it (or all of them),
search finds text in any branch."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reasonchat.demo.server import shared_demo_server
from reasonchat.store import TranscriptStore
from tests.conftest import answered

DEMO = ("--demo", "--model", "shape-deepseek")


def regenerate(home: Path, conversation: int, text: str) -> tuple[int, int]:
    """What ctrl+r does to the store: another answer to the last question. Returns (old, new) answer ids."""
    with TranscriptStore(home / "reasonchat.db") as store:
        user, old = store.last_exchange(conversation)
        assert user is not None and old is not None
        store.set_head(conversation, user.id)
        return old.id, store.save_reply(conversation, answered(text))


def test_ask_continue_goes_on_from_the_branch_shown(cli: Any, home: Path) -> None:
    record = cli("ask", *DEMO, "--json", "first question").json()
    conversation = record["conversation_id"]
    old, new = regenerate(home, conversation, "a regenerated answer about zebras")
    cli("ask", *DEMO, "-c", "and then?")
    sent = shared_demo_server().chat_bodies()[-1]["messages"]
    assert sent[-2] == {"role": "assistant", "content": "a regenerated answer about zebras"}
    with TranscriptStore(home / "reasonchat.db") as store:
        store.switch(conversation, -1)  # back to the first answer (its branch has no follow-up yet)
        assert store.messages(conversation)[-1].id == old
    cli("ask", *DEMO, "-c", "and otherwise?")
    sent = shared_demo_server().chat_bodies()[-1]["messages"]
    assert "zebras" not in json.dumps(sent) and sent[-1]["content"] == "and otherwise?"
    assert new != old


def test_export_the_branch_shown_or_every_branch(cli: Any, home: Path) -> None:
    conversation = cli("ask", *DEMO, "--json", "a question").json()["conversation_id"]
    regenerate(home, conversation, "the second version")
    shown = cli("export", "last").out
    assert "the second version" in shown and "Branch" not in shown
    every = cli("export", "last", "--all-branches").out
    assert "## ⎇ Branch 2 of 2" in every and "leaves the branches above after “a question”" in every
    assert every.index("the second version") < every.index("## ⎇ Branch 2 of 2")  # the one shown first
    document = json.loads(cli("export", "last", "--format", "json", "--all-branches").out)
    assert len(document["messages"]) == 3 and len(document["branches"]) == 2
    assert document["branches"][0][-1] == document["messages"][-1]["id"]
    plain = json.loads(cli("export", "last", "--format", "json").out)
    assert len(plain["messages"]) == 2 and "branches" not in plain


def test_search_finds_text_in_any_branch(cli: Any, home: Path) -> None:
    conversation = cli("ask", *DEMO, "--json", "a question").json()["conversation_id"]
    regenerate(home, conversation, "zebras are striped")
    with TranscriptStore(home / "reasonchat.db") as store:
        store.switch(conversation, -1)  # the zebra answer is now off the branch shown
    hits = cli("history", "--search", "zebras", "--json").json()
    assert [h["id"] for h in hits] == [conversation]
