"""`ChatClient`: one provider, streamed chat completions as typed events.

The official `openai` SDK does HTTP, auth, retries (429 with Retry-After, 5xx, connection errors),
timeouts, proxies and error types, over its default httpx client (`network.py`). Its typed chunk parsing
is slow, so the body is read as bytes through `with_streaming_response` and decoded by `LineSplitter` and
`StreamDecoder`. Failures never raise out of `stream()`: they arrive as a final `StreamFailed` event with a
one-line message. Cancelling the task that iterates `stream()` stops the request at once in any phase
(connecting, waiting for headers, streaming): httpx closes the connection as the cancellation unwinds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, AsyncIterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import httpx2
import openai

from reasonchat.core.decoder import LineSplitter, StreamDecoder
from reasonchat.core.events import StreamEvent, StreamFailed
from reasonchat.core.failures import (
    KEEPALIVE_FACTOR,
    Context,
    describe_broken,
    describe_connect,
    describe_only_keepalives,
    describe_status,
)
from reasonchat.core.network import http_client, route
from reasonchat.core.provider import Provider
from reasonchat.errors import ProviderError

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

_BROKEN = (httpx2.TransportError, httpx2.StreamError, httpx2.DecodingError)

# After a read that had to wait for the network (longer than WAITED), rest REST before the next one. At
# 3,000 tokens a second every SSE event is its own HTTP chunk, and waking the loop for each costs ~0.4 of
# a CPU; after a short rest the next read finds a batch of them already buffered (at most REST of added
# latency; the screen redraws every 67 ms). A body that is already buffered never waits, so never rests.
WAITED = 0.0003
REST = 0.01
SMALL = 4096  # bytes: a read this small that waited is a trickle worth batching; a big one is not


def warm_up() -> None:
    """Load what a first request would otherwise load on the UI's time (the SDK, its chat and models
    resources, the HTTP stack and TLS certificates); the TUI calls this on a thread after its first frame."""
    sdk = ChatClient(Provider(name="warm-up", base_url="http://127.0.0.1/v1", model="", proxy=""))._sdk
    _ = sdk.chat.completions.with_streaming_response, sdk.models.with_raw_response


async def rested(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """`chunks`, resting REST after each one that had to wait for the network (see REST)."""
    iterator = chunks.__aiter__()
    while True:
        started = time.perf_counter()
        try:
            chunk = await iterator.__anext__()
        except StopAsyncIteration:
            return
        trickle = len(chunk) < SMALL and time.perf_counter() - started > WAITED
        yield chunk
        if trickle and REST:
            await asyncio.sleep(REST)


class ChatClient:
    def __init__(self, provider: Provider) -> None:
        """ConfigError (one line) when the proxy the request would need cannot be used."""
        self.provider = provider
        self.windows: dict[str, int] = {}  # model -> context window, as the server's /models said (vLLM, OpenRouter)
        self._sdk = openai.AsyncOpenAI(
            api_key=provider.api_key or "EMPTY",
            base_url=provider.base_url,
            timeout=httpx2.Timeout(provider.timeout, connect=min(provider.timeout, 15.0)),
            max_retries=provider.max_retries,
            default_headers=dict(provider.headers),
            http_client=http_client(provider.base_url, provider.proxy, provider.name),
        )

    async def aclose(self) -> None:
        await self._sdk.close()

    async def __aenter__(self) -> ChatClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def context(self, model: str) -> Context:
        p = self.provider
        return Context(p.name, p.base_url, model, p.key_hint or "its api key", p.timeout, p.api_key,
                       route(p.base_url, p.proxy, p.name))

    async def resolve_model(self) -> str:
        """The provider's model, or the first id the server lists (what a local vLLM serves)."""
        if self.provider.model:
            return self.provider.model
        models = await self.list_models()
        if not models:
            raise ProviderError(f"{self.provider.base_url} lists no models — set `model` for the preset")
        return models[0]

    async def list_models(self) -> list[str]:
        """`GET /models`, sorted as the server sends them; failures raise ProviderError with one line."""
        ctx = self.context(self.provider.model)
        try:
            response = await self._sdk.models.with_raw_response.list()
            body = response.http_response.json()
        except openai.APIStatusError as exc:
            raise ProviderError(describe_status(exc.status_code, exc.body, exc.response.text, ctx)) from None
        except openai.APIConnectionError as exc:
            raise ProviderError(describe_connect(exc, ctx)) from None
        except ValueError:
            raise ProviderError(f"{self.provider.base_url}/models did not answer with JSON") from None
        data = body.get("data") if isinstance(body, dict) else body
        if not isinstance(data, list):
            return []
        for item in data:  # vLLM says `max_model_len`, OpenRouter `context_length`
            window = item.get("max_model_len") or item.get("context_length") if isinstance(item, dict) else None
            if isinstance(window, int) and not isinstance(window, bool) and window > 0 and item.get("id"):
                self.windows[str(item["id"])] = window
        return [str(item["id"]) for item in data if isinstance(item, dict) and item.get("id")]

    def window(self, model: str) -> int | None:
        """The model's context window: the preset's, else what the server said when it listed its models, else
        the preset's table."""
        return self.provider.known_window(model, self.windows.get(model))

    async def stream(
        self,
        messages: Sequence[Mapping[str, Any]],
        *,
        model: str | None = None,
        thinking: bool | None = None,
        effort: str | None = None,
        budget: int | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
        tools: list[dict[str, Any]] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> AsyncGenerator[StreamEvent, None]:
        """Stream one answer. Always ends with exactly one `Finished` or `StreamFailed`. `effort`, `budget`,
        `max_tokens` and `temperature` override the preset's for this request (a role, a conversation's own).
        `tools`: functions offered (the OpenAI format; reasonchat/tools/loop.py runs the calls); `body`: more of
        the request body (`response_format` for `ask --schema`)."""
        p = self.provider
        try:
            model = model or await self.resolve_model()
        except ProviderError as exc:
            yield StreamFailed(str(exc))
            return
        ctx = self.context(model)
        extras = p.request_extras(thinking, effort, budget)
        if (max_tokens or p.max_tokens) is not None:
            extras["max_tokens"] = max_tokens or p.max_tokens
        if (temperature if temperature is not None else p.temperature) is not None:
            extras["temperature"] = temperature if temperature is not None else p.temperature
        if tools:
            extras["tools"] = tools
        if body:
            extras.update(body)
        decoder = StreamDecoder()
        started = False
        try:
            async with self._sdk.chat.completions.with_streaming_response.create(
                model=model,
                messages=cast("list[ChatCompletionMessageParam]", list(messages)),
                stream=True,
                stream_options={"include_usage": True},
                extra_body=extras or None,
            ) as response:
                started = True
                if "json" in response.headers.get("content-type", ""):
                    for event in _from_completion(await response.json()):
                        yield event
                    return
                quiet_since: float | None = None  # when keep-alive comments began to come alone
                splitter = LineSplitter()
                async for chunk in rested(response.iter_bytes()):
                    for line in splitter.feed(chunk):
                        if line.startswith(":"):  # a comment keeps the read timeout from firing; this bounds it
                            now = time.monotonic()
                            quiet_since = quiet_since or now
                            if now - quiet_since > KEEPALIVE_FACTOR * p.timeout:
                                yield StreamFailed(describe_only_keepalives(KEEPALIVE_FACTOR * p.timeout, ctx),
                                                   interrupted=True, model=decoder.model)
                                return
                            continue
                        if line:  # a field (data: …), not the blank line that ends each comment's event
                            quiet_since = None
                        for event in decoder.feed_line(line):
                            yield event
                        if decoder.failed is not None:
                            return
                for line in splitter.finish():
                    for event in decoder.feed_line(line):
                        yield event
        except openai.APIStatusError as exc:
            yield StreamFailed(
                describe_status(exc.status_code, exc.body, _text(exc.response), ctx),
                status_code=exc.status_code,
            )
            return
        except openai.APIConnectionError as exc:
            yield StreamFailed(describe_connect(exc, ctx))
            return
        except _BROKEN as exc:
            if not started:
                yield StreamFailed(describe_connect(exc, ctx))
                return
            for event in decoder.finish():
                if isinstance(event, StreamFailed):
                    event = StreamFailed(describe_broken(exc, ctx), interrupted=True, model=decoder.model)
                yield event
            return
        for event in decoder.finish():
            yield event


def _text(response: httpx2.Response) -> str:
    try:
        return response.text
    except Exception:  # a streamed error body that was not read: the status says enough
        return ""


def _from_completion(body: Any) -> list[StreamEvent]:
    """A server that ignored `stream: true` and answered with one JSON object (or an error object)."""
    if isinstance(body, dict) and isinstance(body.get("choices"), list):
        choices = [
            {"delta": c.get("message") or {}, "finish_reason": c.get("finish_reason") or "stop"}
            for c in body["choices"]
            if isinstance(c, dict)
        ]
        body = {**body, "choices": choices}
    decoder = StreamDecoder()
    return decoder.feed_chunk(body) + decoder.finish()
