"""The demo model with what users bring: images, and answers that must be JSON — checked as providers check them.

Images: an `image_url` part goes only to a model that takes images (`demo-vision`, and any name with
`vision` or `-vl` in it); any other model refuses the request with a 400, as text-only models do. A part
must be a `data:` URL of base64 bytes that are the image type it says; the vision model describes what it got
(type, bytes, and for a PNG its size) so a test can see the exact bytes arrived.

JSON: `response_format` `json_schema` gets a document fitting the schema; `json_object` gets one fitting the
schema written in the system message — and, as DeepSeek does, a 400 when no message mentions "json". Test
names: `schema-wrong` answers JSON that misses a required property, `schema-fenced` wraps it in a ```json
fence, `schema-text` answers prose.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import struct
from typing import Any

from reasonchat.core.attachments import image_type
from reasonchat.core.schema import instance
from reasonchat.demo import scenarios as sc
from reasonchat.demo.texts import tokens

WINDOW = 131_072  # the context window the demo's /models reports (vLLM's max_model_len), for every model
SMALL_WINDOW = 4_096  # …but for `context-small`


def takes_images(model: str) -> bool:
    name = model.lower()
    return "vision" in name or "-vl" in name


def _error(message: str) -> sc.Refusal:
    return sc.Refusal(400, json.dumps({"error": {"message": message, "type": "invalid_request_error",
                                                 "param": None, "code": "invalid_request_error"}}))


def images_in(messages: list[Any]) -> list[dict[str, Any]]:
    return [part for m in messages if isinstance(m, dict) and isinstance(m.get("content"), list)
            for part in m["content"] if isinstance(part, dict) and part.get("type") == "image_url"]


def respond(name: str, body: dict[str, Any], think: bool) -> sc.Scenario | sc.Refusal | None:
    """The demo's answer when images or a response format are in play; None otherwise."""
    messages = [m for m in body.get("messages") or [] if isinstance(m, dict)]
    model = str(body.get("model") or "")
    rate = sc.DEFAULT_RATE if name in ("demo", "") else 0.0
    parts = images_in(messages)
    answer: str | None = None
    if parts:
        if not takes_images(name):
            return _error(f"Model {model} does not support image input.")
        seen = []
        for part in parts:
            described = _describe(part)
            if described.startswith("invalid"):
                return _error(f"Invalid image_url: {described}")
            seen.append(described)
        answer = "I see " + "; ".join(seen) + "."
    response_format = body.get("response_format")
    if isinstance(response_format, dict):
        document = _document(response_format, messages)
        if isinstance(document, sc.Refusal):
            return document
        answer = _shaped(name, document)
    if answer is None:
        return None
    thought = "Let me look at what I was given and answer in the form asked." if think else ""
    plan = sc.Plan(model, tokens(thought), tokens(answer))
    return sc.Scenario(plan, sc.shape_deepseek(plan), rate)


def _describe(part: dict[str, Any]) -> str:
    url = str((part.get("image_url") or {}).get("url") or "")
    match = re.fullmatch(r"data:(image/[a-z]+);base64,([A-Za-z0-9+/=]+)", url)
    if not match:
        return "invalid (not a data: URL of base64 bytes)"
    try:
        data = base64.b64decode(match.group(2), validate=True)
    except binascii.Error:
        return "invalid (bad base64)"
    actual = image_type(data[:16])
    if actual is None or actual != match.group(1):
        return f"invalid (says {match.group(1)}, is {actual or 'no image'})"
    size = ""
    if actual == "image/png" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        size = f", {width}×{height}"
    return f"a {actual.split('/')[1].upper()} image of {len(data)} bytes{size}"


def _document(response_format: dict[str, Any], messages: list[dict[str, Any]]) -> Any:
    kind = response_format.get("type")
    if kind == "json_schema":
        schema = (response_format.get("json_schema") or {}).get("schema") or {}
        return instance(schema) if isinstance(schema, dict) else {}
    if kind == "json_object":
        said = " ".join(str(m.get("content") or "") for m in messages if isinstance(m.get("content"), str))
        if "json" not in said.lower():
            return _error("Prompt must contain the word 'json' in some form to use 'response_format' of type "
                          "'json_object'.")
        found = re.search(r"JSON Schema:\s*(\{.*\})", said, re.DOTALL)
        try:
            schema = json.loads(found.group(1)) if found else {}
        except ValueError:
            schema = {}
        return instance(schema) if isinstance(schema, dict) and schema else {"answer": "demo"}
    return {"answer": "demo"}


def _shaped(name: str, document: Any) -> str:
    if name == "schema-text":
        return "Here is what you asked for, in words rather than JSON."
    if name == "schema-wrong" and isinstance(document, dict) and document:
        document = dict(list(document.items())[1:])  # the first property missing
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return f"```json\n{text}\n```" if name == "schema-fenced" else text
