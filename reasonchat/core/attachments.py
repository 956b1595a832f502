"""Files a user attaches to a message: read, checked, and put in the request as each kind goes.

A text file goes with the message as a fenced block under its name — its whole text, exactly (the fence is
longer than any run of backticks in it). An image (PNG, JPEG, WebP, GIF, told by its first bytes, not its
name) goes as an `image_url` content part holding a `data:` URL of its exact bytes, to a model that takes
images. A PDF goes as its text, page by page (pypdf, the optional `pdf` extra): a chat model reads text, and
what it is sent is what the store keeps. Everything else is refused in one line before anything is sent: a
file that is missing or unreadable, a directory, a binary file that is no image, a file over the limit, text
that is neither UTF-8 nor UTF-16 with its BOM, a PDF with no text to extract or that cannot be read.
"""

from __future__ import annotations

import base64
import codecs
import contextlib
import hashlib
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from reasonchat.errors import UsageError
from reasonchat.text.sanitize import clean_line

DEFAULT_LIMIT = 10 * 1024 * 1024  # bytes of one attachment ([ui] attach_limit_mb)
_IMAGES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF87a", "image/gif"),
           (b"GIF89a", "image/gif"))
_LANGUAGES = {".py": "python", ".js": "javascript", ".ts": "typescript", ".tsx": "tsx", ".jsx": "jsx",
              ".rs": "rust", ".go": "go", ".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp", ".hpp": "cpp",
              ".java": "java", ".kt": "kotlin", ".rb": "ruby", ".php": "php", ".sh": "bash", ".bash": "bash",
              ".zsh": "zsh", ".fish": "fish", ".sql": "sql", ".json": "json", ".toml": "toml", ".yaml": "yaml",
              ".yml": "yaml", ".md": "markdown", ".html": "html", ".css": "css", ".xml": "xml", ".swift": "swift",
              ".lua": "lua", ".r": "r", ".scala": "scala", ".cs": "csharp", ".ini": "ini", ".csv": "csv",
              ".log": "text", ".txt": "text", ".diff": "diff", ".patch": "diff", ".tex": "latex"}


@dataclass(frozen=True)
class Attachment:
    name: str  # the file's name as the user gave it (a path relative to where they were, or absolute)
    kind: Literal["text", "image"]
    mime: str
    size: int  # bytes
    sha256: str
    text: str = ""  # a text file's text
    data: bytes = b""  # an image's bytes

    @property
    def label(self) -> str:
        """`greet.py · 2.1 KB`, as the conversation shows it."""
        return f"{Path(self.name).name} · {human_size(self.size)}"

    def block(self) -> str:
        """A text file as it goes with the message: its name, then its text in a fence of its language."""
        language = _LANGUAGES.get(Path(self.name).suffix.lower(), "")
        longest = max((len(run) for run in re.findall(r"`{3,}", self.text)), default=0)
        fence = "`" * max(3, longest + 1)
        return f"{self.name}:\n{fence}{language}\n{self.text}{'' if self.text.endswith(chr(10)) else chr(10)}{fence}"

    def part(self) -> dict[str, Any]:
        """An image as a content part."""
        url = f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"
        return {"type": "image_url", "image_url": {"url": url}}


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def image_type(head: bytes) -> str | None:
    for magic, mime in _IMAGES:
        if head.startswith(magic):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def read(path: str, limit: int = DEFAULT_LIMIT) -> Attachment:
    """The attachment at `path`; UsageError (exit 2, one line) for anything that cannot go."""
    file = Path(path).expanduser()
    shown = clean_line(path, 200)  # (a name from a folder listing or a paste may hold control sequences)
    try:
        if file.is_dir():
            raise UsageError(f"cannot attach {shown}: it is a directory — attach its files")
        size = file.stat().st_size
        if size > limit:
            raise UsageError(f"cannot attach {shown}: {human_size(size)} is over the limit of {human_size(limit)} "
                             "([ui] attach_limit_mb)")
        data = file.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"cannot attach {shown}: no such file") from None
    except PermissionError:
        raise UsageError(f"cannot attach {shown}: permission denied") from None
    except OSError as exc:
        raise UsageError(f"cannot attach {shown}: {exc.strerror or exc}") from None
    digest = hashlib.sha256(data).hexdigest()
    mime = image_type(data[:16])
    if mime is not None:
        return Attachment(path, "image", mime, len(data), digest, data=data)
    if data.startswith(b"%PDF-"):
        return Attachment(path, "text", "application/pdf", len(data), digest, text=pdf_text(data, shown))
    text = decode(data)
    if text is None:
        raise UsageError(f"cannot attach {shown}: it is neither text (UTF-8, or UTF-16 with its BOM) nor an image "
                         "(PNG, JPEG, WebP, GIF)")
    return Attachment(path, "text", "text/plain", len(data), digest, text=text)


def pdf_text(data: bytes, shown: str) -> str:
    """A PDF's text, each page under `[page N]`; UsageError when there is none (scanned pages), when the file
    cannot be read (broken, or encrypted with a password), or when pypdf is not installed."""
    try:
        from pypdf import PdfReader
    except ImportError:
        raise UsageError(f"cannot attach {shown}: reading a PDF's text needs pypdf — pip install "
                         "'reasonchat[pdf]'") from None
    quiet = logging.getLogger("pypdf")  # (its warnings about a damaged file go nowhere near the terminal)
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UsageError(f"cannot attach {shown}: the PDF is encrypted with a password")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UsageError:
        raise
    except Exception as exc:  # (pypdf has many ways to say a file is broken)
        raise UsageError(f"cannot attach {shown}: not a PDF that can be read "
                         f"({clean_line(str(exc) or type(exc).__name__, 120)})") from None
    text = "\n\n".join(f"[page {n}]\n{page.strip()}" for n, page in enumerate(pages, 1) if page.strip())
    if not text:
        raise UsageError(f"cannot attach {shown}: the PDF has no text to extract (scanned pages are images)")
    return text


def decode(data: bytes) -> str | None:
    """The text of a file in UTF-8 (a BOM dropped) or UTF-16 with its BOM; None for anything else (binary)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None  # (valid UTF-8 by accident, but binary)
    return text


_MENTION = re.compile(r'(?<!\S)@(?:"([^"\n]+)"|(\S+))')


def mentions(text: str) -> list[str]:
    """The `@path` words of a prompt that name an existing file (`@"a path with spaces"` too), in order, once
    each; a `@word` that names no file is text (an e-mail address, a handle)."""
    found: list[str] = []
    for match in _MENTION.finditer(text):
        name = (match.group(1) or match.group(2) or "").rstrip(".,;:!?)")
        if name and name not in found and Path(name).expanduser().is_file():
            found.append(name)
    return found


def partial_mention(text: str) -> str | None:
    """The `@…` word the text ends with, being typed (None when it does not end with one)."""
    match = re.search(r'(?<!\S)@("?[^\s"]*)$', text)
    return match.group(1).lstrip('"') if match else None


def completions(partial: str, limit: int = 6) -> list[str]:
    """Paths that start with `partial` (files, and folders with a trailing /), for the `@` being typed."""
    base = Path(partial).expanduser()
    folder, stem = (base, "") if partial.endswith("/") else (base.parent, base.name)
    try:
        entries = sorted(p for p in folder.iterdir() if p.name.startswith(stem) and not p.name.startswith("."))
    except OSError:
        return []
    prefix = partial[: len(partial) - len(stem)]
    return [prefix + p.name + ("/" if p.is_dir() else "") for p in entries[:limit]]


def mention_hint(partial: str) -> str:
    """What the status line says while `@partial` is typed: the file it names (that it will be attached, and
    its size), else the paths it may become, else that it names nothing and stays text. It lists a folder:
    the caller runs it off the event loop (a folder of 100,000 files takes its time)."""
    shown = clean_line(partial, 60)
    path = Path(partial).expanduser()
    with contextlib.suppress(OSError):
        if partial and path.is_file():
            return f"📎 @{shown} will be attached · {human_size(path.stat().st_size)}"
    found = completions(partial)
    listed = " · ".join(clean_line(name, 60) for name in found)  # (names from the folder: cleaned)
    return f"📎 @{shown}: " + (listed or "no such file — it stays text")


def quoted(path: str) -> str:
    """`path` as a `@` word: quoted when it holds a space."""
    return f'@"{path}"' if any(c.isspace() for c in path) else f"@{path}"


def refused_image(images: list[str], takes_images: bool, preset: str, model: str) -> str | None:
    """Why these images (their names) cannot go to this model (it takes none), or None."""
    if not images or takes_images:
        return None
    name, model = clean_line(images[0], 200), clean_line(model or preset, 80)
    return (f"cannot attach {name}: {model} takes no images — set `vision = true` for "
            f"[presets.{preset}] if it does, or pick a vision model (`reasonchat presets` lists them)")


def content(prompt: str, attachments: list[Attachment] | tuple[Attachment, ...]) -> str | list[dict[str, Any]]:
    """A user message's content: the prompt with each text file after it; with images, content parts."""
    texts = [a.block() for a in attachments if a.kind == "text"]
    text = "\n\n".join([prompt, *texts]) if texts else prompt
    images = [a.part() for a in attachments if a.kind == "image"]
    if not images:
        return text
    return [{"type": "text", "text": text}, *images]
