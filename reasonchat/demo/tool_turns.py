"""The demo model with tools, in DeepSeek's shape — and DeepSeek's rule, enforced.

Offered tools, the demo model calls the clock (`get_time`, or the reference time server's `get_current_time`)
when asked the time, and the calculator for arithmetic — both at once when asked both — reasoning before the
calls and again over their results, as DeepSeek's thinking mode does. Its `tool_calls` arrive as DeepSeek
streams them: id, type and name on the first fragment, the arguments in pieces after.

The rule: in thinking mode, every assistant message of a turn that called tools must come back with its
`reasoning_content` (even ""), in every later request, or the request gets DeepSeek's 400. The suite fails
if a client ever drops it.

Model names for tests: `tools-loop` calls the clock every round (the round limit); `tools-unknown` calls a
tool nobody offered; `tools-bad-args` sends arguments that are not JSON; `tools-text` writes its call as
`<tool_call>` text, as a vLLM server without a tool parser does; `tools-call` calls what the prompt says, given
as JSON: `{"tool": "wait", "arguments": {"seconds": 5}}`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from reasonchat.demo import scenarios as sc
from reasonchat.demo.texts import prompt_of, tokens

RULE = "The reasoning_content in the thinking mode must be passed back to the API."
CLOCKS = ("get_time", "get_current_time")
_ARITHMETIC = re.compile(r"(?<![\w.^])(\(*-?\d+(?:\.\d+)?\)*(?:\s*(?:\*\*|//|[-+*/%×÷^])\s*\(*-?\d+(?:\.\d+)?\)*)+)"
                         r"(?![\w.^(])")
_TIME = re.compile(r"\b(time|clock|date|o'clock)\b|几点|时间", re.IGNORECASE)
_ZONE = re.compile(r"\b([A-Z][a-z]+/[A-Z][A-Za-z_]+)\b")


def dropped_reasoning(messages: list[Any]) -> bool:
    """Whether a turn that called tools lost an assistant message's `reasoning_content`."""
    turn: list[dict[str, Any]] = []
    for message in [*messages, {"role": "user"}]:
        if not isinstance(message, dict):
            continue
        if message.get("role") == "user":
            assistants = [m for m in turn if m.get("role") == "assistant"]
            if any(m.get("tool_calls") for m in assistants) and any("reasoning_content" not in m for m in assistants):
                return True
            turn = []
        else:
            turn.append(message)
    return False


def respond(name: str, body: dict[str, Any], think: bool) -> sc.Scenario | sc.Refusal | None:
    """The demo's answer when tools are in play; None when they are not (the usual scenarios answer)."""
    messages = [m for m in body.get("messages") or [] if isinstance(m, dict)]
    if think and dropped_reasoning(messages):
        error = {"error": {"message": RULE, "type": "invalid_request_error", "param": None,
                           "code": "invalid_request_error"}}
        return sc.Refusal(400, json.dumps(error))
    offered = [t["function"]["name"] for t in body.get("tools") or []
               if isinstance(t, dict) and isinstance(t.get("function"), dict) and t["function"].get("name")]
    last = messages[-1] if messages else {}
    model = str(body.get("model") or "")
    rate = sc.DEFAULT_RATE if name in ("demo", "") else 0.0
    if last.get("role") == "tool":
        if name == "tools-loop" and offered:
            return _calls(model, "The clock again, to be sure.", [(_clock(offered), {"timezone": "UTC"})], rate)
        return _after(model, messages, think, rate)
    if last.get("role") != "user" or not offered:
        return None
    prompt, _ = prompt_of(messages)
    calls: list[tuple[str, Any]] = []
    if name == "tools-unknown":
        calls.append(("no_such_tool", {}))
    elif name == "tools-bad-args":
        calls.append((offered[0], '{"expression": "1 +'))
    elif name == "tools-call":
        try:
            asked = json.loads(prompt)
            calls.append((str(asked["tool"]), asked.get("arguments") or {}))
        except (ValueError, KeyError, TypeError):
            return None
    elif name == "tools-text":
        text = '<tool_call>\n{"name": "' + offered[0] + '", "arguments": {}}\n</tool_call>'
        plan = sc.Plan(model, tokens("I should call the tool.") if think else [], tokens(text))
        return sc.Scenario(plan, sc.shape_deepseek(plan), rate)
    else:
        if (_TIME.search(prompt) or name == "tools-loop") and (clock := _clock(offered)):
            zone = _ZONE.search(prompt)
            calls.append((clock, {"timezone": zone.group(1) if zone else "UTC"}))
        algebra = re.search(r"\bsolve\b.*=", prompt, re.IGNORECASE)  # (the demo answers that in LaTeX)
        if not algebra and (expression := _ARITHMETIC.search(prompt)) and "calculate" in offered:
            calls.append(("calculate", {"expression": expression.group(1).strip()}))
    if not calls:
        return None
    which = " and ".join(f"`{n}`" for n, _ in calls)
    thought = (f"The user asks: “{' '.join(prompt.split())[:80]}”. I cannot know that by myself — I should call "
               f"{which} and answer from what {'they return' if len(calls) > 1 else 'it returns'}.")
    return _calls(model, thought if think else "", calls, rate)


def _clock(offered: list[str]) -> str:
    return next((n for n in offered if n in CLOCKS or n.endswith(CLOCKS)), "")


def _calls(model: str, thought: str, calls: list[tuple[str, Any]], rate: float) -> sc.Scenario:
    plan = sc.Plan(model, tokens(thought), [], finish_reason="tool_calls")
    return sc.Scenario(plan, _tool_stream(plan, calls), rate)


def _tool_stream(plan: sc.Plan, calls: list[tuple[str, Any]]) -> Iterator[sc.Step]:
    yield sc.Send(sc._chunk(plan, {"role": "assistant", "content": None, "reasoning_content": ""}), 0)
    for t in plan.reasoning:
        yield sc.Send(sc._chunk(plan, {"content": None, "reasoning_content": t}))
    for index, (name, arguments) in enumerate(calls):
        text = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
        first = {"index": index, "id": f"call_{index}_{abs(hash((name, text))) % 10**8:08d}", "type": "function",
                 "function": {"name": name, "arguments": ""}}
        yield sc.Send(sc._chunk(plan, {"content": None, "reasoning_content": None, "tool_calls": [first]}))
        for start in range(0, len(text), 5):
            piece = {"index": index, "function": {"arguments": text[start:start + 5]}}
            yield sc.Send(sc._chunk(plan, {"tool_calls": [piece]}))
    usage = plan.usage(len(plan.reasoning) + 8 * len(calls))
    yield sc.Send(sc._chunk(plan, {"content": None}, "tool_calls", usage), 0)
    yield sc.Send("data: [DONE]\n\n", 0)


def _after(model: str, messages: list[dict[str, Any]], think: bool, rate: float) -> sc.Scenario:
    """The answer over the results of the calls since the last assistant message."""
    results: list[tuple[str, str]] = []
    names: dict[str, str] = {}
    for message in messages:
        for call in message.get("tool_calls") or ():
            if isinstance(call, dict):
                names[str(call.get("id"))] = str((call.get("function") or {}).get("name", ""))
    for message in reversed(messages):
        if message.get("role") != "tool":
            break
        results.insert(0, (names.get(str(message.get("tool_call_id")), "the tool"), str(message.get("content", ""))))
    lines = []
    for name, result in results:
        if "declined" in result:
            lines.append(f"You declined the call of `{name}`, so I answer without it: I cannot know that for sure.")
        elif result.startswith("Error"):
            lines.append(f"`{name}` could not help: {result}")
        elif name in CLOCKS or name.endswith(CLOCKS):
            lines.append(f"By the clock it is **{_clock_text(result)}**.")
        else:
            lines.append(f"`{name}` says the answer is **{result}**.")
    thought = ("The results are back: " + "; ".join(f"{n} gave {r[:60]}" for n, r in results)
               + ". Now I can write the answer from them.")
    plan = sc.Plan(model, tokens(thought) if think else [], tokens("\n\n".join(lines) + "\n"))
    return sc.Scenario(plan, sc.shape_deepseek(plan), rate)


def _clock_text(result: str) -> str:
    try:
        data = json.loads(result)
    except ValueError:
        return result
    return str(data.get("datetime", result)) if isinstance(data, dict) else result
