"""What the demo server says, and in which provider's wire shape.

The requested model name picks a scenario (`demo`, `shape-volcano`, `fault-drop`, `bench-20000@3000` …);
any name may end in `@RATE` to pace it at RATE tokens per second (`@0` is unpaced). A scenario is a
`Plan` (the text to send) rendered by a *shape* into SSE lines exactly as that provider sends them
(PROVIDERS.md), or a `Refusal` (an HTTP error), with faults layered on top.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from reasonchat.demo.texts import MATH_DEEPSEEK, MATH_QWEN, MATH_REASONING, bench_text, friendly, prompt_of, tokens

DEFAULT_RATE = 120.0  # tokens/s for the friendly demo: a couple of seconds of visible thinking


@dataclass(frozen=True)
class Send:
    """SSE text to write; `tokens` is how many tokens it carries, for pacing."""

    text: str
    tokens: int = 1


@dataclass(frozen=True)
class Pause:
    seconds: float


@dataclass(frozen=True)
class Drop:
    """Close the connection without ending the body."""


@dataclass(frozen=True)
class Stall:
    """Stop sending and hold the connection open (up to `seconds`)."""

    seconds: float = 60.0


@dataclass(frozen=True)
class RawBytes:
    data: bytes


Step = Send | Pause | Drop | Stall | RawBytes


@dataclass(frozen=True)
class Refusal:
    status: int
    body: str
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Plan:
    model: str
    reasoning: list[str]
    answer: list[str]
    finish_reason: str = "stop"
    prompt_tokens: int = 0

    def usage(self, done: int | None = None) -> dict[str, Any]:
        r, a = len(self.reasoning), len(self.answer)
        completion = r + a if done is None else done
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": completion,
            "total_tokens": self.prompt_tokens + completion,
            "prompt_tokens_details": {"cached_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": min(r, completion)},
        }

    def completion(self) -> dict[str, Any]:
        """The non-streamed answer (`stream: false`)."""
        message: dict[str, Any] = {"role": "assistant", "content": "".join(self.answer)}
        if self.reasoning:
            message["reasoning_content"] = "".join(self.reasoning)
        return {
            "id": "chatcmpl-demo", "object": "chat.completion", "created": 0, "model": self.model,
            "choices": [{"index": 0, "message": message, "finish_reason": self.finish_reason}],
            "usage": self.usage(),
        }


# -- shapes: how each provider puts a plan on the wire ----------------------------------------------------


def _data(obj: Any) -> str:
    return "data: " + json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n\n"


def _chunk(plan: Plan, delta: dict[str, Any], finish: str | None = None, usage: Any = None,
           choices: bool = True) -> str:
    body: dict[str, Any] = {"id": "chatcmpl-demo", "object": "chat.completion.chunk", "created": 0,
                            "model": plan.model}
    body["choices"] = [{"index": 0, "delta": delta, "finish_reason": finish}] if choices else []
    if usage is not None:
        body["usage"] = usage
    return _data(body)


Shape = Callable[[Plan], Iterator[Step]]


def shape_deepseek(plan: Plan) -> Iterator[Step]:
    yield Send(": keep-alive\n\n", 0)
    yield Send(_chunk(plan, {"role": "assistant", "content": None, "reasoning_content": ""}), 0)
    for t in plan.reasoning:
        yield Send(_chunk(plan, {"content": None, "reasoning_content": t}))
    for t in plan.answer:
        yield Send(_chunk(plan, {"content": t, "reasoning_content": None}))
    usage = plan.usage() | {"prompt_cache_hit_tokens": 0, "prompt_cache_miss_tokens": plan.prompt_tokens}
    yield Send(_chunk(plan, {"content": "", "reasoning_content": None}, plan.finish_reason, usage), 0)
    yield Send("data: [DONE]\n\n", 0)


def shape_siliconflow(plan: Plan) -> Iterator[Step]:
    """`content: ""` while thinking and a running usage total in every chunk."""
    done = 0
    for t in plan.reasoning:
        done += 1
        yield Send(_chunk(plan, {"role": "assistant", "content": "", "reasoning_content": t}, None,
                          plan.usage(done)))
    for t in plan.answer:
        done += 1
        yield Send(_chunk(plan, {"role": "assistant", "content": t, "reasoning_content": None}, None,
                          plan.usage(done)))
    yield Send(_chunk(plan, {"content": ""}, plan.finish_reason, plan.usage()), 0)
    yield Send("data: [DONE]\n\n", 0)


def shape_bailian(plan: Plan) -> Iterator[Step]:
    """`reasoning_content: ""` kept while answering; usage in a final `choices: []` chunk."""
    yield Send(_chunk(plan, {"role": "assistant", "content": "", "reasoning_content": ""}), 0)
    for t in plan.reasoning:
        yield Send(_chunk(plan, {"content": "", "reasoning_content": t}))
    for t in plan.answer:
        yield Send(_chunk(plan, {"content": t, "reasoning_content": ""}))
    yield Send(_chunk(plan, {"content": "", "reasoning_content": ""}, plan.finish_reason), 0)
    yield Send(_chunk(plan, {}, usage=plan.usage(), choices=False), 0)
    yield Send("data: [DONE]\n\n", 0)


def shape_volcano(plan: Plan) -> Iterator[Step]:
    """`role` in every chunk; once answering the `reasoning_content` key is absent."""
    for t in plan.reasoning:
        yield Send(_chunk(plan, {"content": "", "reasoning_content": t, "role": "assistant"}))
    for t in plan.answer:
        yield Send(_chunk(plan, {"content": t, "role": "assistant"}))
    yield Send(_chunk(plan, {"content": "", "role": "assistant"}, plan.finish_reason), 0)
    yield Send(_chunk(plan, {}, usage=plan.usage(), choices=False), 0)
    yield Send("data: [DONE]\n\n", 0)


def _shape_field(name: str, comment: str = "", usage_last: bool = False) -> Shape:
    def shape(plan: Plan) -> Iterator[Step]:
        if comment:
            yield Send(comment, 0)
        yield Send(_chunk(plan, {"role": "assistant", "content": ""}), 0)
        for t in plan.reasoning:
            yield Send(_chunk(plan, {name: t, "content": ""} if comment else {name: t}))
            if comment and t.endswith("."):
                yield Send(comment, 0)
        for t in plan.answer:
            yield Send(_chunk(plan, {"content": t}))
        if usage_last:
            usage = plan.usage() | {"cost": 0.00042}
            yield Send(_chunk(plan, {}, plan.finish_reason, usage), 0)
        else:
            yield Send(_chunk(plan, {}, plan.finish_reason), 0)
            yield Send(_chunk(plan, {}, usage=plan.usage(), choices=False), 0)
        yield Send("data: [DONE]\n\n", 0)

    return shape


def _shape_inline(open_tag: bool) -> Shape:
    """Reasoning inline in `content` (no reasoning parser), tags cut at awkward places."""

    def shape(plan: Plan) -> Iterator[Step]:
        text = ("<think>\n" if open_tag else "") + "".join(plan.reasoning) + "\n</think>\n\n" + "".join(plan.answer)
        size = 5
        pieces = [text[i : i + size] for i in range(0, len(text), size)]
        for piece in pieces:
            yield Send(_chunk(plan, {"content": piece}))
        yield Send(_chunk(plan, {}, plan.finish_reason, plan.usage()), 0)
        yield Send("data: [DONE]\n\n", 0)

    return shape


def shape_plain(plan: Plan) -> Iterator[Step]:
    """A model without reasoning."""
    for t in plan.answer:
        yield Send(_chunk(plan, {"content": t}))
    yield Send(_chunk(plan, {}, plan.finish_reason, plan.usage()), 0)
    yield Send("data: [DONE]\n\n", 0)


SHAPES: dict[str, Shape] = {
    "deepseek": shape_deepseek,
    "qianfan": shape_deepseek,  # same field names; usage with the finishing chunk
    "siliconflow": shape_siliconflow,
    "bailian": shape_bailian,
    "volcano": shape_volcano,
    "vllm": _shape_field("reasoning"),
    "vllm-old": _shape_field("reasoning_content"),
    "ollama": _shape_field("reasoning"),
    "openrouter": _shape_field("reasoning", comment=": OPENROUTER PROCESSING\n\n", usage_last=True),
    "think-tags": _shape_inline(open_tag=True),
    "think-close": _shape_inline(open_tag=False),
    "plain": shape_plain,
}


# -- choosing a scenario ------------------------------------------------------------------------------------

_ERRORS: dict[int, tuple[str, str]] = {
    400: ("Invalid request: messages must not be empty", "invalid_request_error"),
    401: ("Authentication Fails, Your api key: ****-key is invalid", "authentication_error"),
    402: ("Insufficient Balance", "unknown_error"),
    403: ("You do not have access to this model", "permission_error"),
    404: ("The model `{model}` does not exist", "invalid_request_error"),
    413: ("Request Entity Too Large", "invalid_request_error"),
    422: ("Unprocessable Entity: invalid parameter", "invalid_request_error"),
    429: ("Rate limit reached, please retry later", "rate_limit_error"),
    500: ("Internal server error", "server_error"),
    503: ("Service temporarily unavailable: server overloaded", "server_error"),
}


def refusal(status: int, model: str) -> Refusal:
    """The provider's JSON error for `status` (a 404 names the model, as providers do)."""
    message, kind = _ERRORS.get(status, (f"error {status}", "api_error"))
    body = {"error": {"message": message.format(model=model), "type": kind, "param": None, "code": None}}
    return Refusal(status, json.dumps(body))


def _rate_limited(model: str) -> Refusal:
    return Refusal(429, refusal(429, model).body, headers={"Retry-After": "1"})


@dataclass(frozen=True)
class Hang:
    """Read the request and answer nothing, not even headers (a provider stuck before it starts)."""

    seconds: float = 60.0


@dataclass
class Scenario:
    plan: Plan
    steps: Iterator[Step]
    rate: float  # tokens per second; 0 = as fast as possible


def split_rate(model: str) -> tuple[str, float | None]:
    name, _, rate = model.partition("@")
    try:
        return name, (float(rate) if rate else None)
    except ValueError:
        return name, None


def _fault(name: str, plan: Plan, shape: Shape) -> Iterator[Step] | None:
    """Faults layered on the DeepSeek shape; None when `name` is not a stream fault."""
    steps = list(shape(plan))
    half = len(plan.reasoning) + len(plan.answer) // 2 + 2  # all reasoning, half of the answer
    if name == "fault-drop":
        return iter([*steps[:half], Drop()])
    if name == "fault-stall":
        return iter([*steps[:half], Stall()])
    if name == "fault-stall-thinking":  # a model that stops mid-thought (and holds the stream open)
        sends = [i for i, step in enumerate(steps) if isinstance(step, Send) and step.tokens]
        return iter([*steps[: sends[STALL_AFTER - 1] + 1], Stall()])
    if name == "fault-keepalive":  # a queue that never moves: comments every 0.2 s for a minute, then a drop
        keepalive: list[Step] = [Pause(0.2), Send(": keep-alive\n\n", 0)]
        return iter([*steps[:half], *keepalive * 300, Drop()])
    if name == "fault-malformed":
        return iter([*steps[:half], Send('data: {"choices": [{"delta": {"content": "oops"\n\n'), *steps[half:]])
    if name == "fault-midstream":
        error = {"error": {"message": "upstream model crashed", "type": "server_error", "code": 500}}
        return iter([*steps[:half], Send(_data(error)), Send("data: [DONE]\n\n", 0)])
    if name == "fault-error-line":
        return iter([*steps[:half], Send('error: {"message": "upstream overloaded, try again"}\n\n')])
    if name == "fault-no-finish":
        return iter([s for s in steps if not (isinstance(s, Send) and '"finish_reason":"stop"' in s.text)])
    if name == "fault-utf8":
        bad = b'data: {"choices":[{"delta":{"content":"bad \xff\xfe bytes "},"finish_reason":null}]}\n\n'
        return iter([*steps[:half], RawBytes(bad), *steps[half:]])
    return None


def thinking_off(body: dict[str, Any]) -> bool:
    """Whether a request switched thinking off, in any provider's dialect."""
    thinking = body.get("thinking")
    kwargs = body.get("chat_template_kwargs")
    return (
        (isinstance(thinking, dict) and thinking.get("type") == "disabled")
        or body.get("enable_thinking") is False
        or (isinstance(kwargs, dict) and kwargs.get("enable_thinking") is False)
    )


@dataclass(frozen=True)
class Limits:
    """What a request asked of the reasoning and the length, in the dialects the presets speak; the demo
    obeys them as providers do: a budget caps the reasoning, `max_tokens` caps reasoning and answer together
    (finish_reason "length"), a low effort thinks less and max more."""

    max_tokens: int | None = None
    budget: int | None = None
    effort: str | None = None

    @classmethod
    def of(cls, body: dict[str, Any]) -> Limits:
        def number(value: Any) -> int | None:
            return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None

        budget = number(body.get("thinking_budget")) or number(body.get("thinking_token_budget"))
        effort = body.get("reasoning_effort")
        return cls(number(body.get("max_tokens")), budget, effort if isinstance(effort, str) else None)

    def apply(self, plan: Plan) -> None:
        if self.effort in ("low", "minimal"):
            plan.reasoning = plan.reasoning[: max(1, len(plan.reasoning) * 2 // 5)]
        elif self.effort in ("max", "xhigh"):
            plan.reasoning = plan.reasoning + tokens(" Let me check that once more, carefully.") + plan.reasoning
        if self.budget is not None:
            plan.reasoning = plan.reasoning[: self.budget]
        if self.max_tokens is not None and len(plan.reasoning) + len(plan.answer) > self.max_tokens:
            plan.reasoning = plan.reasoning[: self.max_tokens]
            plan.answer = plan.answer[: self.max_tokens - len(plan.reasoning)]
            plan.finish_reason = "length"


STALL_AFTER = 30  # reasoning tokens `fault-stall-thinking` sends before it stalls
LONG_THINK = 3000  # reasoning tokens of `think-long`: more than a small max_tokens leaves room for


def resolve(
    model: str, messages: list[dict[str, Any]], attempt: int = 1, *, think: bool = True,
    limits: Limits | None = None,
) -> Scenario | Refusal | Hang:
    """The scenario a request's model name asks for (unknown names get the friendly demo).

    `attempt` counts the requests the server has had for this model name (1 for the first): `fault-429`
    refuses every odd one, so a client's retry gets through. With `think=False` (the request switched
    thinking off) answers come without reasoning — except from `think-ignores-off`, a server that reasons
    anyway (Qwen3 behind some hosts). `think-long` reasons for LONG_THINK tokens; `think-slow` reasons for
    a minute at 40 tokens/s (to stop it mid-thought).
    """
    name, rate = split_rate(model)
    prompt, turn = prompt_of(messages)
    prompt_tokens = sum(len(tokens(str(m.get("content") or ""))) for m in messages if isinstance(m, dict))
    reasoning, answer = friendly(prompt, turn)
    if re.search(r"\bsolve\b.*=", prompt, re.IGNORECASE):  # a math question: answered in LaTeX, as DeepSeek does
        reasoning, answer = MATH_REASONING, MATH_DEEPSEEK
    plan = Plan(model=model, reasoning=tokens(reasoning), answer=tokens(answer), prompt_tokens=prompt_tokens)
    shape: Shape = shape_deepseek
    default_rate = DEFAULT_RATE if name in ("demo", "") else 0.0

    if match := re.fullmatch(r"fault-(\d{3})", name):
        status = int(match.group(1))
        if status != 429:
            return refusal(status, model)
        if attempt % 2 == 1:
            return _rate_limited(model)
    elif name == "fault-429-always":  # a rate limit that outlasts the client's retries
        return _rate_limited(model)
    elif name == "fault-hang":
        return Hang()
    elif name == "fault-html":
        page = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
        return Refusal(502, page, content_type="text/html")
    elif name == "fault-html200":
        return Refusal(200, "<html><body>Welcome to the gateway login page</body></html>", "text/html")
    elif name == "fault-context":  # DeepSeek's words when a conversation outgrows the model
        body = {"error": {"message": "This model's maximum context length is 131072 tokens. However, you "
                          "requested 140000 tokens (140000 in the messages, 0 in the completion). Please reduce "
                          "the length of the messages or completion.", "type": "invalid_request_error",
                          "param": None, "code": "invalid_request_error"}}
        return Refusal(400, json.dumps(body))
    elif name == "fault-moderation":
        body = {"error": {"code": "data_inspection_failed", "message": "Input data may contain inappropriate "
                          "content.", "type": "data_inspection_failed"}}
        return Refusal(400, json.dumps(body))
    elif name == "fault-length":
        plan.answer = plan.answer[: len(plan.answer) // 3]
        plan.finish_reason = "length"
    elif name == "fault-controls":
        plan.reasoning = tokens("Thinking \x1b[2J\x1b[H about \x07 bells and \x1b]0;pwned\x07 titles.")
        plan.answer = tokens("Safe \x1b[31mred\x1b[0m text \x1b]52;c;aGFja2Vk\x07 and \u202eevil\u202c end.\n")
    elif name == "fault-big":
        plan.answer = ["x" * (5 * 1024 * 1024)]
    elif name.startswith("bench-"):
        try:
            total = int(name.split("-", 1)[1])
        except ValueError:
            total = 20000
        plan.reasoning = bench_text(total * 3 // 4, markdown=False)
        plan.answer = bench_text(total - len(plan.reasoning), markdown=True)
    elif name.startswith("shape-"):
        shape = SHAPES.get(name[len("shape-") :], shape_deepseek)
        if name == "shape-plain":
            plan.reasoning = []

    elif name in ("math-deepseek", "math-qwen"):
        plan.reasoning = tokens(MATH_REASONING)
        plan.answer = tokens(MATH_DEEPSEEK if name == "math-deepseek" else MATH_QWEN)
    elif name in ("think-long", "think-slow"):
        plan.reasoning = bench_text(LONG_THINK if name == "think-long" else 2400, markdown=False)
        default_rate = 40.0 if name == "think-slow" else 0.0

    if not think and not name.startswith(("fault-", "bench-")) and name != "think-ignores-off":
        plan.reasoning = []
    if limits is not None and not name.startswith(("fault-", "bench-")):
        limits.apply(plan)
    steps = _fault(name, plan, shape) if name.startswith("fault-") else None
    return Scenario(plan, steps or shape(plan), default_rate if rate is None else rate)


HOSTILE_MODEL_IDS = [
    "osc52\x1b]52;c;cHduZWQ=\x07-model",  # a clipboard write
    "title\x1b]0;pwned\x07-model",  # a window title change
    "\x1b[2J\x1b[Hclear-model",  # a screen clear
    "bell\x07-c1\x9b31m-model",  # BEL and an 8-bit CSI
    "rtl\u202eledom\u200b-model",  # a bidi override and a zero-width space
    "[@click=app.quit]click-me[/]",  # Textual markup with an action
    "[/]",  # markup that does not parse
    "[bold red]loud[/bold red]",
]


# What `GET /models` lists, for a person trying the demo: the friendly demo, a few providers' wire shapes, a
# thinking that goes on (to try ctrl+f), a stream that breaks, and one at 3,000 tokens/s. Every other scenario
# (README "Development": shape-*, fault-*, think-*, bench-N@RATE) answers by name all the same.
SHOWCASE = ["demo", "math-deepseek", "shape-deepseek", "shape-volcano", "shape-think-tags", "think-slow",
            "fault-drop", "bench-20000@3000"]


def model_ids() -> list[str]:
    return list(SHOWCASE)
