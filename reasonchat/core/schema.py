"""`ask --schema`: an answer that must be a JSON document fitting a JSON Schema.

Asked for as each provider takes it — `response_format: {"type": "json_schema", ...}` (vLLM, most
OpenAI-compatible servers), or `{"type": "json_object"}` with the schema in the system message where only
that exists (DeepSeek, whose JSON mode also wants the word "json" in the prompt: the system message has it)
— and checked here with `jsonschema` once the answer is in: one ```json fence around it is accepted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reasonchat.errors import UsageError

MODES = ("json_schema", "json_object")
_FENCE = re.compile(r"\A\s*```(?:json|JSON)?[ \t]*\n(.*?)\n?```\s*\Z", re.DOTALL)


@dataclass(frozen=True)
class Schema:
    document: dict[str, Any]
    name: str = "answer"

    def request(self, mode: str) -> tuple[dict[str, Any], str]:
        """(what goes into the request body, a note for the system message: "" when none is needed)."""
        if mode == "json_object":
            note = ("Answer with one JSON document, and nothing else, that fits this JSON Schema:\n"
                    + json.dumps(self.document, ensure_ascii=False, indent=2))
            return {"response_format": {"type": "json_object"}}, note
        return {"response_format": {"type": "json_schema", "json_schema": {
            "name": self.name, "schema": self.document, "strict": True}}}, ""


def load(text: str) -> Schema:
    """`--schema`: a file's path, or the JSON itself. UsageError (exit 2) when it is neither, or not a schema."""
    path = Path(text).expanduser()
    source = text
    name = "answer"
    if not text.lstrip().startswith("{") and path.is_file():
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"--schema: cannot read {text}: {exc}") from None
        name = re.sub(r"[^a-zA-Z0-9_-]", "_", path.stem)[:64] or "answer"
    elif not text.lstrip().startswith("{"):
        raise UsageError(f"--schema takes a JSON Schema file or the schema as JSON: {text!r} is neither")
    try:
        document = json.loads(source)
    except ValueError as exc:
        raise UsageError(f"--schema: not JSON ({exc})") from None
    if not isinstance(document, dict):
        raise UsageError("--schema: a JSON Schema is an object ({\"type\": \"object\", …})")
    import jsonschema

    try:
        jsonschema.validators.validator_for(document).check_schema(document)
    except jsonschema.SchemaError as exc:
        raise UsageError(f"--schema: not a valid JSON Schema: {exc.message}") from None
    return Schema(document, name)


@dataclass(frozen=True)
class Checked:
    parsed: Any = None
    text: str = ""  # the document as the model wrote it (a fence taken off)
    problem: str = ""  # one line: why it is not JSON, or the first path that does not fit


def check(answer: str, schema: Schema) -> Checked:
    """The answer as a document fitting `schema`, or the one-line reason it is not."""
    import jsonschema

    fenced = _FENCE.match(answer)
    text = (fenced.group(1) if fenced else answer).strip()
    try:
        parsed = json.loads(text)
    except ValueError as exc:
        return Checked(text=text, problem=f"the answer is not JSON ({exc.msg} at line {exc.lineno}, column "
                                          f"{exc.colno})" if isinstance(exc, json.JSONDecodeError)
                       else "the answer is not JSON")
    errors = sorted(jsonschema.validators.validator_for(schema.document)(schema.document).iter_errors(parsed),
                    key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/" + "/".join(str(p) for p in first.absolute_path)
        return Checked(parsed, text, f"the answer does not fit the schema at {where}: {first.message}"[:300])
    return Checked(parsed, text)


def instance(schema: dict[str, Any], depth: int = 0) -> Any:
    """A small document that fits `schema` (the demo model's answer): each required property, the first of an
    enum, a const; strings, numbers and booleans of their type."""
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return instance(schema[key][0], depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), kind[0] if kind else "object")
    if kind == "object" or (kind is None and "properties" in schema):
        props = schema.get("properties") or {}
        return {name: instance(sub, depth + 1) for name, sub in props.items() if depth < 8}
    if kind == "array":
        items = schema.get("items") or {}
        count = max(1, int(schema.get("minItems") or 1))
        return [instance(items, depth + 1) for _ in range(count)] if depth < 8 else []
    if kind == "integer":
        return max(int(schema.get("minimum", 42)), 42) if "maximum" not in schema else int(schema["maximum"])
    if kind == "number":
        return float(schema.get("minimum", 4.2))
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    length = int(schema.get("minLength") or 0)
    return ("demo" * (length // 4 + 1))[: max(length, 4)]
