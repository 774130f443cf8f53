"""The simulated model's reply in four providers' stream formats, as SSE events and bytes.

- `"openai-chat"`: OpenAI chat completions, `data: <chat.completion.chunk>` events and a
  final `data: [DONE]` (see `chat_completion_chunks`);
- `"openai-responses"`: OpenAI's Responses API, typed events (`event: response.created`,
  `response.output_text.delta`, ..., `response.completed`), each JSON with its `type`
  and a `sequence_number`;
- `"anthropic"`: Anthropic's Messages API, `message_start`, `content_block_start`, `ping`,
  `content_block_delta` (`text_delta`), `content_block_stop`, `message_delta`,
  `message_stop`, and `event: error` with an `overloaded_error` when it fails;
- `"gemini"`: Gemini's `streamGenerateContent?alt=sse`, every `data:` frame a whole
  `GenerateContentResponse` with a piece of the text, CRLF line endings, no `[DONE]`.

With `error_after=n`, each stream fails after n tokens the way that provider fails.
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from ._chunks import CREATED, chat_completion_chunks
from ._model import SimulatedModel
from ._sse import DONE
from ._tokens import tokenize

PROVIDERS = ("openai-chat", "openai-responses", "anthropic", "gemini")
"""The stream formats `provider_events` and `provider_wire` know, by name."""

OVERLOADED = "Overloaded (simulated)"
"""The message of the errors the streams end with when they fail mid-stream."""


class Frame(NamedTuple):
    """One SSE event of a stream: its `event:` line (None for none), its payload, and
    whether it carries one of the model's tokens (the mock paces those)."""

    event: str | None
    data: dict | str
    token: bool = False


def _json(data: dict | str) -> str:
    """The payload as the providers send it: compact JSON, UTF-8 characters as they are."""
    if isinstance(data, str):
        return data
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _usage(prompt: str, produced: int) -> tuple[int, int]:
    """(prompt tokens, output tokens), counted the way the simulated model cuts text."""
    return len(tokenize(prompt)), produced


def chat_frames(
    model: SimulatedModel,
    prompt: str = "",
    *,
    include_usage: bool = False,
    error_after: int | None = None,
    name: str = "yieldlab-sim",
) -> list[Frame]:
    """OpenAI chat completions: the chunks of `chat_completion_chunks`, then `[DONE]`."""
    payloads = chat_completion_chunks(
        model, prompt, include_usage=include_usage, error_after=error_after, name=name
    )
    frames = []
    for payload in payloads:
        delta = (payload.get("choices") or [{}])[0].get("delta", {})
        frames.append(Frame(None, payload, "content" in delta and "role" not in delta))
    if "error" not in payloads[-1]:
        frames.append(Frame(None, DONE))
    return frames


def responses_frames(
    model: SimulatedModel,
    prompt: str = "",
    *,
    error_after: int | None = None,
    name: str = "yieldlab-sim",
) -> list[Frame]:
    """OpenAI Responses API: typed events from `response.created` to `response.completed`."""
    tokens = model.tokens(prompt)[:error_after]
    response_id, item_id = f"resp_yl{model.seed}x{len(prompt)}", f"msg_yl{model.seed}x{len(prompt)}"
    frames: list[Frame] = []

    def send(kind: str, token: bool = False, **fields: Any) -> None:
        frames.append(Frame(kind, {"type": kind, "sequence_number": len(frames), **fields}, token))

    def response(status: str, output: list, usage: dict | None) -> dict:
        return {
            "id": response_id,
            "object": "response",
            "created_at": CREATED,
            "status": status,
            "error": None,
            "incomplete_details": None,
            "instructions": None,
            "max_output_tokens": None,
            "model": name,
            "output": output,
            "parallel_tool_calls": True,
            "previous_response_id": None,
            "temperature": 1.0,
            "text": {"format": {"type": "text"}},
            "tool_choice": "auto",
            "tools": [],
            "top_p": 1.0,
            "truncation": "disabled",
            "usage": usage,
            "metadata": {},
        }

    def item(status: str, content: list) -> dict:
        return {
            "id": item_id,
            "type": "message",
            "status": status,
            "content": content,
            "role": "assistant",
        }

    def part(text: str) -> dict:
        return {"type": "output_text", "annotations": [], "logprobs": [], "text": text}

    where = {"item_id": item_id, "output_index": 0, "content_index": 0}
    send("response.created", response=response("in_progress", [], None))
    send("response.in_progress", response=response("in_progress", [], None))
    send("response.output_item.added", output_index=0, item=item("in_progress", []))
    send("response.content_part.added", **where, part=part(""))
    for token in tokens:
        send("response.output_text.delta", True, **where, delta=token, logprobs=[])
    if error_after is not None:
        send("error", code="server_error", message=OVERLOADED, param=None)
        return frames
    text = "".join(tokens)
    send("response.output_text.done", **where, text=text, logprobs=[])
    send("response.content_part.done", **where, part=part(text))
    send("response.output_item.done", output_index=0, item=item("completed", [part(text)]))
    prompt_tokens, output_tokens = _usage(prompt, len(tokens))
    usage = {
        "input_tokens": prompt_tokens,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": output_tokens,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": prompt_tokens + output_tokens,
    }
    final = response("completed", [item("completed", [part(text)])], usage)
    send("response.completed", response=final)
    return frames


def anthropic_frames(
    model: SimulatedModel,
    prompt: str = "",
    *,
    error_after: int | None = None,
    name: str = "yieldlab-sim",
) -> list[Frame]:
    """Anthropic Messages: message_start, one text block of text_deltas, message_stop."""
    tokens = model.tokens(prompt)[:error_after]
    prompt_tokens, output_tokens = _usage(prompt, len(tokens))
    message = {
        "id": f"msg_yl{model.seed}x{len(prompt)}",
        "type": "message",
        "role": "assistant",
        "model": name,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": {"input_tokens": prompt_tokens, "output_tokens": 1},
    }
    block_start = {"type": "text", "text": ""}
    frames = [
        Frame("message_start", {"type": "message_start", "message": message}),
        Frame(
            "content_block_start",
            {"type": "content_block_start", "index": 0, "content_block": block_start},
        ),
        Frame("ping", {"type": "ping"}),
    ]
    for token in tokens:
        delta = {"type": "text_delta", "text": token}
        frames.append(
            Frame(
                "content_block_delta",
                {"type": "content_block_delta", "index": 0, "delta": delta},
                True,
            )
        )
    if error_after is not None:
        error = {"type": "overloaded_error", "message": OVERLOADED}
        return [*frames, Frame("error", {"type": "error", "error": error})]
    stop = {"stop_reason": "end_turn", "stop_sequence": None}
    return [
        *frames,
        Frame("content_block_stop", {"type": "content_block_stop", "index": 0}),
        Frame(
            "message_delta",
            {"type": "message_delta", "delta": stop, "usage": {"output_tokens": output_tokens}},
        ),
        Frame("message_stop", {"type": "message_stop"}),
    ]


def gemini_frames(
    model: SimulatedModel,
    prompt: str = "",
    *,
    error_after: int | None = None,
    name: str = "yieldlab-sim",
) -> list[Frame]:
    """Gemini alt=sse: one whole GenerateContentResponse per token, the last with
    finishReason and usageMetadata; no [DONE]."""
    tokens = model.tokens(prompt)[:error_after]
    frames = []
    for index, token in enumerate(tokens):
        candidate: dict[str, Any] = {"content": {"parts": [{"text": token}], "role": "model"}}
        payload: dict[str, Any] = {"candidates": [candidate]}
        if index == len(tokens) - 1 and error_after is None:
            candidate["finishReason"] = "STOP"
            prompt_tokens, output_tokens = _usage(prompt, len(tokens))
            payload["usageMetadata"] = {
                "promptTokenCount": prompt_tokens,
                "candidatesTokenCount": output_tokens,
                "totalTokenCount": prompt_tokens + output_tokens,
            }
        candidate["index"] = 0
        payload["modelVersion"] = name
        payload["responseId"] = f"yl{model.seed}x{len(prompt)}"
        frames.append(Frame(None, payload, True))
    if error_after is not None:
        error = {"code": 503, "message": OVERLOADED, "status": "UNAVAILABLE"}
        frames.append(Frame(None, {"error": error}))
    return frames


def provider_frames(
    provider: str,
    model: SimulatedModel,
    prompt: str = "",
    *,
    error_after: int | None = None,
    name: str = "yieldlab-sim",
) -> list[Frame]:
    """The frames of `provider`'s stream (one of PROVIDERS) of `model`'s reply to `prompt`."""
    if provider == "openai-chat":
        return chat_frames(model, prompt, error_after=error_after, name=name)
    if provider == "openai-responses":
        return responses_frames(model, prompt, error_after=error_after, name=name)
    if provider == "anthropic":
        return anthropic_frames(model, prompt, error_after=error_after, name=name)
    if provider == "gemini":
        return gemini_frames(model, prompt, error_after=error_after, name=name)
    raise ValueError(f"provider={provider!r}: must be one of {', '.join(PROVIDERS)}")


def newline_of(provider: str) -> str:
    """The line ending a provider's server writes: CRLF for Gemini, LF for the others."""
    return "\r\n" if provider == "gemini" else "\n"


def encode_frame(frame: Frame, newline: str = "\n") -> bytes:
    """One frame as SSE bytes: an `event:` line if it has one, a `data:` line, a blank line."""
    event = f"event: {frame.event}{newline}" if frame.event is not None else ""
    return f"{event}data: {_json(frame.data)}{newline}{newline}".encode()


def provider_events(
    provider: str,
    model: SimulatedModel,
    prompt: str = "",
    *,
    error_after: int | None = None,
    name: str = "yieldlab-sim",
) -> list[tuple[str, str]]:
    """`(event type, data)` of each event of the stream, as an SSE decoder yields them
    (the type is `"message"` where there is no `event:` line)."""
    frames = provider_frames(provider, model, prompt, error_after=error_after, name=name)
    return [(frame.event or "message", _json(frame.data)) for frame in frames]


def provider_wire(
    provider: str,
    model: SimulatedModel,
    prompt: str = "",
    *,
    error_after: int | None = None,
    name: str = "yieldlab-sim",
) -> bytes:
    """The bytes of the whole stream, exactly as the mock server sends them."""
    frames = provider_frames(provider, model, prompt, error_after=error_after, name=name)
    return b"".join(encode_frame(frame, newline_of(provider)) for frame in frames)
