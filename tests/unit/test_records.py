"""`record` behaves as the frozen dataclass mypy checks it as, for everything the project uses of one."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reasonchat.core.events import AnswerDelta, Finished, ReasoningDelta, Usage
from reasonchat.core.reply import Reply
from reasonchat.records import FrozenInstanceError, field, record, replace
from reasonchat.store import TranscriptStore


@record
class Rec:
    name: str
    count: int = 0
    tags: dict[str, int] = field(default_factory=dict)
    secret: str = field(default="s", repr=False)


@dataclasses.dataclass(frozen=True)
class Dc:
    name: str
    count: int = 0
    tags: dict[str, int] = dataclasses.field(default_factory=dict)
    secret: str = dataclasses.field(default="s", repr=False)


@pytest.mark.parametrize("args, kwargs", [(("a",), {}), (("a", 2), {}), ((), {"name": "a", "secret": "k"}),
                                          (("a",), {"tags": {"x": 1}, "count": 3})])
def test_construction_repr_and_equality_match_a_frozen_dataclass(args: tuple[object, ...],
                                                                  kwargs: dict[str, object]) -> None:
    ours, theirs = Rec(*args, **kwargs), Dc(*args, **kwargs)  # type: ignore[arg-type]
    assert repr(ours).replace("Rec(", "Dc(") == repr(theirs)
    assert (ours.name, ours.count, ours.tags, ours.secret) == (theirs.name, theirs.count, theirs.tags, theirs.secret)
    assert ours == Rec(*args, **kwargs)  # type: ignore[arg-type]
    assert ours != replace(ours, count=99)
    assert ours != theirs  # another class is never equal, as with dataclasses


def test_a_default_factory_gives_each_object_its_own_value() -> None:
    first, second = Rec("a"), Rec("b")
    assert first.tags == {} and first.tags is not second.tags
    assert "tags" not in Rec.__dict__ and Rec.count == 0  # class attributes as a dataclass leaves them


def test_frozen_and_hashable_by_value() -> None:
    item = Rec("a", 1, secret="k")
    with pytest.raises(FrozenInstanceError):
        item.count = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del item.name  # type: ignore[misc]
    plain = Route("u", "s")
    assert hash(plain) == hash(Route("u", "s")) and len({plain, Route("u", "s"), Route("u", "t")}) == 2
    with pytest.raises(TypeError):
        hash(item)  # a dict field: unhashable, as with a dataclass


@record
class Route:
    proxy: str
    source: str


@pytest.mark.parametrize("call", [lambda: Rec(), lambda: Rec("a", 1, {}, "s", "extra"), lambda: Rec("a", name="b"),
                                  lambda: Rec("a", colour="red")])
def test_wrong_arguments_are_type_errors_as_with_a_dataclass(call: object) -> None:
    with pytest.raises(TypeError):
        call()  # type: ignore[operator]


def test_replace_keeps_the_rest_and_checks_names() -> None:
    item = Rec("a", 1, {"x": 1}, "k")
    changed = replace(item, count=5)
    assert (changed.name, changed.count, changed.tags, changed.secret) == ("a", 5, {"x": 1}, "k")
    with pytest.raises(TypeError):
        replace(item, colour="red")  # type: ignore[call-arg]
    assert replace(Dc("a"), count=2) == Dc("a", 2)  # dataclasses go to dataclasses.replace


def test_match_by_position() -> None:
    match Route("u", "s"):
        case Route(proxy, source):
            assert (proxy, source) == ("u", "s")


def test_a_record_cannot_inherit_from_another() -> None:
    with pytest.raises(TypeError):
        @record
        class Child(Route):
            extra: str = ""


@pytest.mark.parametrize("command", ["presets", "history --limit 20", "export last"])
def test_the_quick_commands_load_none_of_the_costly_modules(command: str, tmp_path: Path) -> None:
    """What P8' measures, held without a clock: each of these cost `presets`, `history` or `export` 2-20 ms
    (records.py, paths.py, outline.py, benchmarks/README.md), and none is needed to list presets or
    conversations or to export one the store wrote (its outlines stored: no Markdown parser)."""
    (tmp_path / "config.toml").write_text('[presets.lab]\nbase_url = "http://127.0.0.1:1/v1"\n', encoding="utf-8")
    with TranscriptStore(tmp_path / "reasonchat.db") as store:  # as the TUI or `ask` leave it
        conversation = store.create_conversation("lab", "m<b>", "Vec<T> &amp; `Box<T>`")  # fields to escape too
        store.add_message(conversation, "user", "# Compare\n\n`a < b` and <b>this</b>")
        reply = Reply(model="m")
        for event in (ReasoningDelta("Think: 1 < 2 & so on.\n\n## Step\n"), AnswerDelta("Title\n=====\n\n"
                      "```html\n<p>x</p>\n```\n\n<i>done</i> &amp;"), Usage.from_raw({"prompt_tokens": 3,
                      "completion_tokens": 9}), Finished("stop")):
            reply.apply(event)
        store.save_reply(conversation, reply)
    code = ("import io, sys\n"
            f"sys.argv = ['reasonchat', *{command.split()!r}]\n"
            "from reasonchat.cli.main import main\n"
            "out, sys.stdout = sys.stdout, io.TextIOWrapper(io.BytesIO(), encoding='utf-8')\n"
            "main()\n"
            "sys.stdout.flush()\n"
            "written, sys.stdout = sys.stdout.buffer.getvalue(), out\n"
            "print(' '.join(m for m in COSTLY if m in sys.modules))\n"
            "sys.stderr.write(written.decode())\n").replace("COSTLY", repr(COSTLY))
    env = {**os.environ, "REASONCHAT_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert done.stdout.split() == []
    if command == "export last":  # and it is the export a parse gives: headings demoted, HTML escaped outside code
        assert "# Vec&lt;T> &amp;amp; `Box<T>`\n\n*lab · m&lt;b> · " in done.stderr
        assert "### Compare" in done.stderr and "`a < b` and &lt;b>this&lt;/b>" in done.stderr
        assert "### Title\n\n```html\n<p>x</p>\n```\n\n&lt;i>done&lt;/i> &amp;amp;" in done.stderr
        assert "Think: 1 < 2 & so on.\n\n#### Step" in done.stderr


COSTLY = ("dataclasses", "inspect", "typing", "tomllib", "pathlib", "platformdirs", "shutil", "json", "urllib.parse",
          "markdown_it")
