"""`ask -a` and `ask --schema` through the real command line and the demo server, which checks image parts
and response formats as providers do; the attachments kept with the conversation (ask -c sends them again),
exported and searched; the context window in `models` and `ask --json`."""

from __future__ import annotations

import base64
import json
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest

from reasonchat.demo.server import DemoServer
from reasonchat.store.transcripts import TranscriptStore

PERSON = {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
          "required": ["name", "age"]}


def png(width: int = 3, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "greet.py").write_text('def greet(name):\n    return f"hi {name}"  # ``` inside\n', encoding="utf-8")
    (tmp_path / "notes.txt").write_bytes("\ufeffUTF-16 notes: 索引".encode("utf-16"))
    (tmp_path / "dot.png").write_bytes(png())
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)))
    (tmp_path / "big.txt").write_text("x" * (2 * 1024 * 1024), encoding="utf-8")
    (tmp_path / "folder").mkdir()
    (tmp_path / "paper.pdf").write_bytes(pdf("Reasoning models think first.", "Then they answer."))
    (tmp_path / "scan.pdf").write_bytes(pdf(""))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n")
    return tmp_path


def pdf(*pages: str) -> bytes:
    """A small, valid PDF with one line of text on each page ("" makes a page with none, as a scan has)."""
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, text in enumerate(pages):
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET" if text else ""
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                       f"/Contents {5 + 2 * i} 0 R >>")
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    table = "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    return out + (f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n{table}trailer\n<< /Size {len(objects) + 1} "
                  f"/Root 1 0 R >>\nstartxref\n{len(out)}\n%%EOF\n").encode()


def configure(home: Path, server: DemoServer, extra: str = "") -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(
        f'default_preset = "local"\n[ui]\nattach_limit_mb = 1\n'
        f'[presets.local]\nbase_url = "{server.base_url}"\nmodel = "demo@0"\nvision_models = ["demo-vision"]\n'
        f'[presets.ds]\nbase_url = "{server.base_url}"\nmodel = "demo@0"\nschema_mode = "json_object"\n'
        f'[presets.lab]\nbase_url = "{server.base_url}"\nmodel = ""\n' + extra, encoding="utf-8")


def on_a_terminal(home: Path, *args: str) -> str:
    """What `reasonchat ARGS` writes to a terminal (a pty)."""
    import os
    import pty
    import subprocess
    import sys

    from tests.conftest import drain, spawn_env

    leader, follower = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "reasonchat", *args], stdout=follower, stderr=subprocess.PIPE,
                          env=spawn_env(home), timeout=60)
    os.close(follower)
    out = drain(leader)
    os.close(leader)
    assert done.returncode == 0, done.stderr
    return out.decode("utf-8", "replace").replace("\r\n", "\n")


def sent_user(server: DemoServer, index: int = -1) -> Any:
    return [m for m in server.chat_bodies()[index]["messages"] if m["role"] == "user"][-1]["content"]


def test_a_text_file_goes_whole_named_and_fenced(cli: Any, home: Path, server: DemoServer, files: Path) -> None:
    configure(home, server)
    done = cli("ask", "-a", str(files / "greet.py"), "-a", str(files / "notes.txt"), "explain")
    assert done.code == 0, done.err
    content = sent_user(server)
    text = (files / "greet.py").read_text(encoding="utf-8")
    assert content.startswith("explain\n\n" + f"{files / 'greet.py'}:\n````python\n{text}````")
    assert "UTF-16 notes: 索引" in content, "UTF-16 with its BOM is read as text"


def test_a_pdf_goes_as_its_text_page_by_page_and_the_store_keeps_that(cli: Any, home: Path, server: DemoServer,
                                                                      files: Path) -> None:
    configure(home, server)
    done = cli("ask", "-a", str(files / "paper.pdf"), "summarize")
    assert done.code == 0, done.err
    assert sent_user(server) == (f"summarize\n\n{files / 'paper.pdf'}:\n```\n[page 1]\nReasoning models think first."
                                 "\n\n[page 2]\nThen they answer.\n```")
    (files / "paper.pdf").unlink()  # what goes again is what the store kept, not the file
    again = cli("ask", "-c", "and in one word?")
    assert again.code == 0, again.err
    first_user = next(m for m in server.chat_bodies()[-1]["messages"] if m["role"] == "user")["content"]
    assert "[page 2]\nThen they answer." in first_user
    with TranscriptStore(home / "reasonchat.db") as store:
        (kept,) = store.messages(store.last_conversation_id() or 0)[0].attachments
        assert kept.mime == "application/pdf" and kept.text.startswith("[page 1]\nReasoning models")
    assert "📎" in cli("export", "last").out and "Then they answer." in cli("export", "last").out


@pytest.mark.parametrize(("name", "said"), [("scan.pdf", "the PDF has no text to extract (scanned pages are images)"),
                                            ("broken.pdf", "not a PDF that can be read")])
def test_a_pdf_without_text_or_broken_is_refused_in_one_line(cli: Any, home: Path, server: DemoServer, files: Path,
                                                             name: str, said: str) -> None:
    configure(home, server)
    done = cli("ask", "-a", str(files / name), "summarize")
    assert done.code == 2 and said in done.err and len(done.err.strip().splitlines()) == 1, done.err
    assert "Traceback" not in done.err and server.chat_bodies() == []


def test_without_pypdf_a_pdf_is_refused_naming_the_extra(cli: Any, home: Path, server: DemoServer, files: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "pypdf", None)  # (as where the `pdf` extra is not installed)
    configure(home, server)
    done = cli("ask", "-a", str(files / "paper.pdf"), "summarize")
    assert done.code == 2 and "needs pypdf — pip install 'reasonchat[pdf]'" in done.err
    assert server.chat_bodies() == []


def test_an_image_goes_as_its_exact_bytes_to_a_model_that_takes_images(cli: Any, home: Path, server: DemoServer,
                                                                       files: Path) -> None:
    configure(home, server)
    done = cli("ask", "--model", "demo-vision", "-a", str(files / "dot.png"), "what is this?")
    assert done.code == 0, done.err
    assert "a PNG image of 73 bytes, 3×2" in done.out
    text, image = sent_user(server)
    assert text == {"type": "text", "text": "what is this?"}
    assert image["image_url"]["url"] == "data:image/png;base64," + base64.b64encode(png()).decode()


@pytest.mark.parametrize(("name", "said"), [
    ("dot.png", "demo@0 takes no images — set `vision = true` for [presets.local]"),
    ("missing.txt", "no such file"),
    ("blob.bin", "neither text (UTF-8, or UTF-16 with its BOM) nor an image"),
    ("latin1.txt", "neither text"),
    ("big.txt", "2.0 MB is over the limit of 1.0 MB ([ui] attach_limit_mb)"),
    ("folder", "it is a directory"),
])
def test_what_cannot_go_is_refused_in_one_line_and_nothing_is_sent(cli: Any, home: Path, server: DemoServer,
                                                                   files: Path, name: str, said: str) -> None:
    configure(home, server)
    done = cli("ask", "-a", str(files / name), "look")
    assert done.code == 2
    assert done.err.startswith(f"reasonchat: cannot attach {files / name}: ") and said in done.err
    assert done.err.count("\n") == 1 and done.out == ""
    assert server.chat_bodies() == [], "nothing sent"
    assert not (home / "reasonchat.db").exists() or cli("history", "--json").json() == [], "nothing saved"


def test_attachments_are_kept_sent_again_exported_and_searched(cli: Any, home: Path, server: DemoServer,
                                                               files: Path) -> None:
    configure(home, server)
    assert cli("ask", "--model", "demo-vision", "-a", str(files / "greet.py"), "-a", str(files / "dot.png"),
               "look").code == 0
    again = cli("ask", "-c", "--model", "demo-vision", "and now?")
    assert again.code == 0, again.err
    first_user = next(m for m in server.chat_bodies()[-1]["messages"] if m["role"] == "user")["content"]
    assert "def greet(name)" in first_user[0]["text"] and first_user[1]["type"] == "image_url"
    exported = cli("export", "last").out
    assert f"<details><summary>📎 {files / 'greet.py'} · text/plain" in exported and "def greet(name)" in exported
    assert f"*📎 {files / 'dot.png'} · image/png · 73 bytes*" in exported
    record = cli("export", "last", "--format", "json").json()
    kinds = [a["kind"] for m in record["messages"] for a in m.get("attachments", [])]
    assert kinds == ["text", "image"]
    hits = cli("history", "--search", "greet(name)", "--json").json()
    assert hits and hits[0]["role"] == "user"
    with TranscriptStore(home / "reasonchat.db") as store:  # the image's bytes once, by their hash
        assert store.conn.execute("SELECT count(*), sum(length(data)) FROM blobs").fetchone() == (1, 73)


def test_a_continued_conversation_with_an_image_refuses_a_model_without_vision(cli: Any, home: Path,
                                                                                server: DemoServer,
                                                                                files: Path) -> None:
    configure(home, server)
    assert cli("ask", "--model", "demo-vision", "-a", str(files / "dot.png"), "look").code == 0
    done = cli("ask", "-c", "--model", "demo@0", "and now?")
    assert done.code == 2 and "takes no images" in done.err
    assert len(server.chat_bodies()) == 1


def test_schema_stdout_gets_the_document(cli: Any, home: Path, server: DemoServer, tmp_path: Path) -> None:
    configure(home, server)
    schema = tmp_path / "person.json"
    schema.write_text(json.dumps(PERSON), encoding="utf-8")
    done = cli("ask", "--schema", str(schema), "a person")
    assert done.code == 0, done.err
    assert json.loads(done.out) == {"name": "demo", "age": 42}
    sent = server.chat_bodies()[-1]["response_format"]
    assert sent == {"type": "json_schema", "json_schema": {"name": "person", "schema": PERSON, "strict": True}}
    inline = cli("ask", "--schema", json.dumps(PERSON), "--json", "a person").json()
    assert inline["parsed"] == {"name": "demo", "age": 42} and json.loads(inline["content"]) == inline["parsed"]


def test_schema_in_json_object_mode_puts_it_in_the_system_message(cli: Any, home: Path, server: DemoServer) -> None:
    """DeepSeek's JSON mode: json_object, and the word "json" in the prompt (the demo refuses it otherwise)."""
    configure(home, server)
    done = cli("ask", "--preset", "ds", "--schema", json.dumps(PERSON), "a person")
    assert done.code == 0, done.err
    body = server.chat_bodies()[-1]
    assert body["response_format"] == {"type": "json_object"}
    assert body["messages"][0]["role"] == "system" and '"required": [' in body["messages"][0]["content"]
    assert json.loads(done.out) == {"name": "demo", "age": 42}


@pytest.mark.parametrize(("model", "code", "said"), [
    ("schema-fenced", 0, ""),
    ("schema-wrong", 1, "the answer does not fit the schema at /: 'name' is a required property"),
    ("schema-text", 1, "the answer is not JSON"),
])
def test_an_answer_that_does_not_fit_exits_1_and_is_saved(cli: Any, home: Path, server: DemoServer, model: str,
                                                          code: int, said: str) -> None:
    configure(home, server)
    done = cli("ask", "--model", model, "--schema", json.dumps(PERSON), "a person")
    assert done.code == code
    if code == 0:
        assert json.loads(done.out) == {"name": "demo", "age": 42}, "one ```json fence is taken off"
    else:
        assert said in done.err and done.out == "" and "(the answer is saved)" in done.err
        assert cli("history", "--json").json(), "saved all the same"


@pytest.mark.parametrize(("schema", "said"), [("nope", "is neither"), ("{bad", "not JSON"),
                                              ('{"type": 12}', "not a valid JSON Schema")])
def test_a_schema_that_is_not_one_is_refused(cli: Any, home: Path, server: DemoServer, schema: str,
                                             said: str) -> None:
    configure(home, server)
    done = cli("ask", "--schema", schema, "x")
    assert done.code == 2 and said in done.err and server.chat_bodies() == []


def test_the_context_window_as_the_server_or_the_preset_says(cli: Any, home: Path, server: DemoServer) -> None:
    configure(home, server,
              f'[presets.sized]\nbase_url = "{server.base_url}"\nmodel = "demo@0"\ncontext_window = 65536\n'
              f'[presets.tabled]\nbase_url = "{server.base_url}"\nmodel = "demo@0"\n'
              'context_windows = { "demo@0" = 32768, "other" = 8192 }\n')
    assert cli("models", "--preset", "lab").out.splitlines()[0] == "demo", "a pipe gets the ids alone"
    assert "demo  (context 131,072 tokens)" in on_a_terminal(home, "models", "--preset", "lab")
    lab = cli("ask", "--preset", "lab", "--json", "hi").json()  # vLLM-like: the first model the server lists
    assert lab["context"]["window"] == 131072 and lab["context"]["used"] == lab["usage"]["total_tokens"]
    assert cli("ask", "--preset", "sized", "--json", "hi").json()["context"]["window"] == 65536
    assert cli("ask", "--preset", "tabled", "--json", "hi").json()["context"]["window"] == 32768, "its model's row"
    assert cli("ask", "--json", "hi").json()["context"]["window"] is None, "unknown is null"


def test_a_file_that_cannot_be_read_is_refused(home: Path, server: DemoServer, files: Path) -> None:
    """Permission denied (as root, with the capabilities that override it dropped, as the store tests do)."""
    import subprocess
    import sys

    from tests.cli.test_store_faults import as_user
    from tests.conftest import spawn_env

    configure(home, server)
    secret = files / "secret.txt"
    secret.write_text("private", encoding="utf-8")
    secret.chmod(0o000)
    done = subprocess.run([*as_user(), sys.executable, "-m", "reasonchat", "ask", "-a", str(secret), "look"],
                          capture_output=True, text=True, timeout=60, env=spawn_env(home))
    assert done.returncode == 2
    assert done.stderr == f"reasonchat: cannot attach {secret}: permission denied\n"
    assert server.chat_bodies() == []
