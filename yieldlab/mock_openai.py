"""A local mock of the OpenAI, Anthropic and Gemini streaming APIs, backed by a SimulatedModel.

    python -m yieldlab.mock_openai --port 8000   # then base_url="http://127.0.0.1:8000/v1"

Four endpoints answer the last user message with the simulated model's reply, the same
for the same prompt and seed, each in its provider's format (see `yieldlab._providers`):

- `POST /v1/chat/completions`: OpenAI chat completions, streamed (`"stream": true`, with
  `stream_options.include_usage`) or whole;
- `POST /v1/responses`: OpenAI's Responses API (`input` a string or a list of messages),
  streamed as typed events (`event: response.output_text.delta`, ...) or whole;
- `POST /v1/messages`: Anthropic's Messages API (`max_tokens` required, as there),
  streamed (`message_start` ... `message_stop`, with a `ping`) or whole;
- `POST /v1beta/models/{model}:streamGenerateContent?alt=sse`: Gemini, one whole
  `GenerateContentResponse` per `data:` frame, no `[DONE]`; without `alt=sse` the same
  responses come as one JSON array, as Google's API does.

Errors on request, chosen by the model name (`model` in the body; in Gemini's path):

- `"fail-429"`: HTTP 429 with `retry-after: 1`, as a rate limit;
- `"fail-500"`: HTTP 500, as a server failure;
- `"fail-mid-stream"`: the stream starts (status 200), and after 3 tokens the provider's
  mid-stream error arrives instead of the rest: chat completions an `{"error": {...}}`
  payload and no `[DONE]`; Responses an `event: error`; Anthropic an `event: error` with
  `{"type": "error", "error": {"type": "overloaded_error", "message": ...}}`; Gemini a
  frame `{"error": {"code": 503, ...}}`. (A model with `fail_after` does this every time.)

Error bodies have each provider's shape. Any other model name gets a normal reply and is
echoed back. Tokens are paced by the model's `time_to_first_token`, `tokens_per_second` and
`jitter`. A body that is not a valid request gets a 4xx whose message names the field (422
on the OpenAI endpoints, 400 on the others, as those APIs answer). It only ever listens on
127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from ._chunks import CREATED
from ._model import SimulatedModel
from ._providers import (
    Frame,
    anthropic_frames,
    chat_frames,
    encode_frame,
    gemini_frames,
    newline_of,
    responses_frames,
)
from ._serve import BackgroundServer
from ._tokens import tokenize

FAIL_429 = "fail-429"
FAIL_500 = "fail-500"
FAIL_MID_STREAM = "fail-mid-stream"
MID_STREAM_AFTER = 3
"""Tokens sent before the error of `fail-mid-stream`."""

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def _text(content: str | list[dict[str, Any]] | None) -> str:
    """The text of a message's content: a string, or the `text` of a list of parts."""
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content)
    return content or ""


class Message(BaseModel):
    role: str
    content: str | list[dict[str, Any]] | None = None


def _last_user_text(messages: list[Message]) -> str:
    for message in reversed(messages):
        if message.role == "user":
            return _text(message.content)
    return ""


class StreamOptions(BaseModel):
    include_usage: bool = False


class ChatRequest(BaseModel):
    """The fields of a chat completion request that the mock uses; others are accepted."""

    model_config = ConfigDict(extra="allow")

    model: str
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None

    def prompt(self) -> str:
        """The text of the last user message (the text parts of a list of parts)."""
        return _last_user_text(self.messages)


class ResponsesRequest(BaseModel):
    """A Responses API request: `input` is the prompt, or a list of messages."""

    model_config = ConfigDict(extra="allow")

    model: str
    input: str | list[Message]
    stream: bool = False

    def prompt(self) -> str:
        return self.input if isinstance(self.input, str) else _last_user_text(self.input)


class AnthropicRequest(BaseModel):
    """An Anthropic Messages request: `max_tokens` is required, as it is there."""

    model_config = ConfigDict(extra="allow")

    model: str
    max_tokens: int = Field(ge=1)
    messages: list[Message] = Field(min_length=1)
    stream: bool = False

    def prompt(self) -> str:
        return _last_user_text(self.messages)


class GeminiContent(BaseModel):
    role: str = "user"
    parts: list[dict[str, Any]] = Field(min_length=1)


class GeminiRequest(BaseModel):
    """A Gemini generateContent request: the prompt is in `contents`."""

    model_config = ConfigDict(extra="allow")

    contents: list[GeminiContent] = Field(min_length=1)

    def prompt(self) -> str:
        for content in reversed(self.contents):
            if content.role == "user":
                return _text(content.parts)
        return ""


def _error(status: int, message: str, kind: str, headers: dict | None = None) -> JSONResponse:
    """An OpenAI-shaped error response."""
    body = {"error": {"message": message, "type": kind, "param": None, "code": None}}
    return JSONResponse(body, status_code=status, headers=headers)


ANTHROPIC_KINDS = {400: "invalid_request_error", 429: "rate_limit_error", 500: "api_error"}
GEMINI_STATUSES = {400: "INVALID_ARGUMENT", 429: "RESOURCE_EXHAUSTED", 500: "INTERNAL"}


def _anthropic_error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    body = {"type": "error", "error": {"type": ANTHROPIC_KINDS[status], "message": message}}
    return JSONResponse(body, status_code=status, headers=headers)


def _gemini_error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    body = {"error": {"code": status, "message": message, "status": GEMINI_STATUSES[status]}}
    return JSONResponse(body, status_code=status, headers=headers)


RATE_LIMITED = "Rate limit reached (simulated): retry after 1 second."
SERVER_ERROR = "The server had an error (simulated)."


def _failure(model_name: str, provider: str) -> JSONResponse | None:
    """The error response `fail-429` and `fail-500` ask for, in `provider`'s shape."""
    if model_name not in (FAIL_429, FAIL_500):
        return None
    status, message = (429, RATE_LIMITED) if model_name == FAIL_429 else (500, SERVER_ERROR)
    headers = {"retry-after": "1"} if status == 429 else None
    if provider == "anthropic":
        return _anthropic_error(status, message, headers)
    if provider == "gemini":
        return _gemini_error(status, message, headers)
    kind = "rate_limit_exceeded" if status == 429 else "server_error"
    return _error(status, message, kind, headers)


def _readable(error: RequestValidationError) -> str:
    """`messages: Field required; stream: Input should be a valid boolean`."""
    parts = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"] if part != "body")
        parts.append(f"{where or 'body'}: {problem['msg']}")
    return "; ".join(parts)


def create_app(model: SimulatedModel | None = None) -> FastAPI:
    """The mock server as an ASGI app, for uvicorn or `StreamingASGITransport`."""
    model = model or SimulatedModel()
    app = FastAPI(title="Yield Lab mock OpenAI, Anthropic and Gemini server")

    def error_after(model_name: str) -> int | None:
        return MID_STREAM_AFTER if model_name == FAIL_MID_STREAM else model.fail_after

    def stream(frames: list[Frame], prompt: str, newline: str = "\n") -> StreamingResponse:
        events = _paced(model, frames, prompt, newline)
        return StreamingResponse(events, media_type="text/event-stream", headers=SSE_HEADERS)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> JSONResponse:
        message = f"Invalid request: {_readable(error)}"
        if request.url.path.startswith("/v1/messages"):
            return _anthropic_error(400, message)
        if request.url.path.startswith("/v1beta/"):
            return _gemini_error(400, message)
        return _error(422, message, "invalid_request_error")

    @app.post("/v1/chat/completions", response_model=None)
    async def chat_completions(body: ChatRequest) -> JSONResponse | StreamingResponse:
        if failed := _failure(body.model, "openai"):
            return failed
        after = error_after(body.model)
        if body.stream:
            include_usage = bool(body.stream_options and body.stream_options.include_usage)
            frames = chat_frames(
                model,
                body.prompt(),
                include_usage=include_usage,
                error_after=after,
                name=body.model,
            )
            return stream(frames, body.prompt())
        if after is not None:
            return _error(500, f"The model failed after {after} tokens.", "server_error")
        return JSONResponse(await _completion(model, body))

    @app.post("/v1/responses", response_model=None)
    async def responses(body: ResponsesRequest) -> JSONResponse | StreamingResponse:
        if failed := _failure(body.model, "openai"):
            return failed
        after = error_after(body.model)
        frames = responses_frames(model, body.prompt(), error_after=after, name=body.model)
        if body.stream:
            return stream(frames, body.prompt())
        if after is not None:
            return _error(500, f"The model failed after {after} tokens.", "server_error")
        await _wait_for_reply(model, body.prompt())
        return JSONResponse(frames[-1].data["response"])

    @app.post("/v1/messages", response_model=None)
    async def messages(body: AnthropicRequest) -> JSONResponse | StreamingResponse:
        if failed := _failure(body.model, "anthropic"):
            return failed
        after = error_after(body.model)
        frames = anthropic_frames(model, body.prompt(), error_after=after, name=body.model)
        if body.stream:
            return stream(frames, body.prompt())
        if after is not None:
            return _anthropic_error(500, f"The model failed after {after} tokens.")
        text = await _wait_for_reply(model, body.prompt())
        message = dict(frames[0].data["message"])
        message["content"] = [{"type": "text", "text": text}]
        message.update(frames[-2].data["delta"])
        message["usage"] = {**message["usage"], **frames[-2].data["usage"]}
        return JSONResponse(message)

    @app.post("/v1beta/models/{model_name}:streamGenerateContent", response_model=None)
    async def gemini(
        model_name: str, body: GeminiRequest, alt: str | None = None
    ) -> JSONResponse | StreamingResponse:
        if failed := _failure(model_name, "gemini"):
            return failed
        after = error_after(model_name)
        frames = gemini_frames(model, body.prompt(), error_after=after, name=model_name)
        if alt == "sse":
            return stream(frames, body.prompt(), newline_of("gemini"))
        if alt not in (None, "json"):
            return _gemini_error(400, f"Invalid value at 'alt' ({alt!r}): use 'sse' or 'json'")
        if after is not None:
            return _gemini_error(500, f"The model failed after {after} tokens.")
        await _wait_for_reply(model, body.prompt())
        return JSONResponse([frame.data for frame in frames])

    return app


async def _paced(
    model: SimulatedModel, frames: list[Frame], prompt: str, newline: str
) -> AsyncIterator[bytes]:
    """The SSE bytes of `frames`, each frame that carries a token after that token's delay."""
    delays = iter(model.delays(prompt))
    for frame in frames:
        if frame.token:
            await asyncio.sleep(next(delays, 0.0))
        yield encode_frame(frame, newline)


async def _wait_for_reply(model: SimulatedModel, prompt: str) -> str:
    """The whole reply, after the model has produced it at its pace."""
    return "".join([token async for token in model.astream(prompt)])


async def _completion(model: SimulatedModel, body: ChatRequest) -> dict:
    """A whole `chat.completion` object, after the model has finished."""
    prompt = body.prompt()
    content = await _wait_for_reply(model, prompt)
    prompt_tokens, completion_tokens = len(tokenize(prompt)), len(tokenize(content))
    return {
        "id": f"chatcmpl-yl{model.seed}x{len(prompt)}",
        "object": "chat.completion",
        "created": CREATED,
        "model": body.model,
        "system_fingerprint": None,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def main(argv: list[str] | None = None) -> None:
    """Serve the mock on 127.0.0.1 until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m yieldlab.mock_openai", description=__doc__)
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tokens-per-second", type=float, default=50.0)
    parser.add_argument("--time-to-first-token", type=float, default=0.2)
    args = parser.parse_args(argv)
    model = SimulatedModel(
        seed=args.seed,
        tokens_per_second=args.tokens_per_second,
        time_to_first_token=args.time_to_first_token,
    )
    server = BackgroundServer(create_app(model), args.port)
    with server:
        print(f"mock OpenAI server: base_url={server.url}/v1", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
