"""A local mock of the OpenAI chat completions API, backed by a SimulatedModel.

    python -m yieldlab.mock_openai --port 8000   # then base_url="http://127.0.0.1:8000/v1"

`POST /v1/chat/completions` answers the last user message with the simulated
model's reply, streamed (`"stream": true`, with `stream_options.include_usage`)
or whole, the same for the same prompt and seed. Errors on request, chosen by
the `model` name of the request:

- `"fail-429"`: HTTP 429 with `retry-after: 1`, as a rate limit;
- `"fail-500"`: HTTP 500, as a server failure;
- `"fail-mid-stream"`: the stream starts (status 200), and after 3 tokens an
  error payload `{"error": {...}}` arrives instead of the rest; no `[DONE]`
  follows. (A model with `fail_after` set does this for every request.)

Any other model name gets a normal reply and is echoed back. Tokens are paced
by the model's `time_to_first_token`, `tokens_per_second` and `jitter`. A body that is
not a valid request gets a 422 whose `error.message` names the field.
It only ever listens on 127.0.0.1.
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

from ._chunks import CREATED, chat_completion_chunks
from ._model import SimulatedModel
from ._serve import BackgroundServer
from ._sse import encode_sse
from ._tokens import tokenize

FAIL_429 = "fail-429"
FAIL_500 = "fail-500"
FAIL_MID_STREAM = "fail-mid-stream"
MID_STREAM_AFTER = 3
"""Tokens sent before the error payload of `fail-mid-stream`."""

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


class Message(BaseModel):
    role: str
    content: str | list[dict[str, Any]] | None = None


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
        for message in reversed(self.messages):
            if message.role == "user":
                content = message.content or ""
                if isinstance(content, list):
                    return "".join(part.get("text", "") for part in content)
                return content
        return ""


def _error(status: int, message: str, kind: str, headers: dict | None = None) -> JSONResponse:
    body = {"error": {"message": message, "type": kind, "param": None, "code": None}}
    return JSONResponse(body, status_code=status, headers=headers)


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
    app = FastAPI(title="Yield Lab mock OpenAI server")

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, error: RequestValidationError) -> JSONResponse:
        return _error(422, f"Invalid request: {_readable(error)}", "invalid_request_error")

    @app.post("/v1/chat/completions", response_model=None)
    async def chat_completions(body: ChatRequest) -> JSONResponse | StreamingResponse:
        if body.model == FAIL_429:
            message = "Rate limit reached (simulated): retry after 1 second."
            return _error(429, message, "rate_limit_exceeded", {"retry-after": "1"})
        if body.model == FAIL_500:
            return _error(500, "The server had an error (simulated).", "server_error")
        error_after = MID_STREAM_AFTER if body.model == FAIL_MID_STREAM else model.fail_after
        if body.stream:
            include_usage = bool(body.stream_options and body.stream_options.include_usage)
            events = _stream(model, body, include_usage, error_after)
            return StreamingResponse(events, media_type="text/event-stream", headers=SSE_HEADERS)
        if error_after is not None:
            return _error(500, f"The model failed after {error_after} tokens.", "server_error")
        return JSONResponse(await _completion(model, body))

    return app


async def _stream(
    model: SimulatedModel, body: ChatRequest, include_usage: bool, error_after: int | None
) -> AsyncIterator[bytes]:
    """The SSE bytes of the reply, each token after its simulated delay."""
    prompt = body.prompt()
    payloads = chat_completion_chunks(
        model, prompt, include_usage=include_usage, error_after=error_after, name=body.model
    )
    delays = iter(model.delays(prompt))
    for payload in payloads:
        choices = payload.get("choices") or [{}]
        if "content" in choices[0].get("delta", {}) and "role" not in choices[0]["delta"]:
            await asyncio.sleep(next(delays, 0.0))
        yield encode_sse([payload], done=False)
    if "error" not in payloads[-1]:
        yield encode_sse([])


async def _completion(model: SimulatedModel, body: ChatRequest) -> dict:
    """A whole `chat.completion` object, after the model has finished."""
    prompt = body.prompt()
    content = "".join([token async for token in model.astream(prompt)])
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
