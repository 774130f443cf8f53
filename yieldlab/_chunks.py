"""The simulated model's reply as OpenAI `chat.completion.chunk` payloads."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from ._model import SimulatedModel
from ._tokens import tokenize

CREATED = 1_700_000_000
"""The `created` timestamp of every chunk: fixed, so that streams are reproducible."""


def chat_completion_chunks(
    model: SimulatedModel,
    prompt: str = "",
    *,
    include_usage: bool = False,
    tool_calls: Sequence[dict] | None = None,
    error_after: int | None = None,
    name: str = "yieldlab-sim",
) -> list[dict]:
    """The payloads an OpenAI-compatible server streams for `model`'s reply to `prompt`.

    In order, as the real API sends them:
    - a role chunk: `delta` is `{"role": "assistant", "content": ""}`;
    - one chunk per token, `delta` is `{"content": token}`;
    - with `tool_calls` (a list of `{"name": str, "arguments": dict or str}`), no text
      but fragments: the first of each call carries its `id`, `type` and `name`, the
      next ones pieces of its `arguments` JSON string, all with the call's `index`;
    - a final chunk with an empty `delta` and `finish_reason` `"stop"` or `"tool_calls"`;
    - with `include_usage` (`stream_options={"include_usage": True}`), every chunk above
      has `"usage": None` and one more chunk follows with `"choices": []` and the counts.
    With `error_after=n`, the stream ends after n tokens with an error payload
    `{"error": {"message", "type", "code"}}` instead, as a provider failing mid-stream.
    """
    if error_after is not None and (not isinstance(error_after, int) or error_after < 0):
        raise ValueError(f"error_after={error_after!r}: must be None or an int >= 0")
    completion_id = f"chatcmpl-yl{model.seed}x{len(prompt)}"

    def chunk(delta: dict, finish_reason: str | None = None) -> dict:
        payload: dict[str, Any] = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": name,
            "system_fingerprint": None,
            "choices": [
                {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            ],
        }
        if include_usage:
            payload["usage"] = None
        return payload

    if tool_calls:
        deltas = _tool_call_deltas(tool_calls)
    else:
        deltas = [{"content": token} for token in model.tokens(prompt)]
    role = {"role": "assistant", "content": None if tool_calls else ""}
    payloads = [chunk(role)] + [chunk(delta) for delta in deltas[:error_after]]
    if error_after is not None:
        return payloads + [_error(min(error_after, len(deltas)))]
    payloads.append(chunk({}, "tool_calls" if tool_calls else "stop"))
    if include_usage:
        prompt_tokens, completion_tokens = len(tokenize(prompt)), len(deltas)
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
        payloads.append({**chunk({}), "choices": [], "usage": usage})
    return payloads


def _tool_call_deltas(tool_calls: Sequence[dict]) -> list[dict]:
    deltas = []
    for index, call in enumerate(tool_calls):
        arguments = call["arguments"]
        if not isinstance(arguments, str):
            arguments = json.dumps(arguments, ensure_ascii=False)
        start = {"name": call["name"], "arguments": ""}
        fragments = [{"index": index, "id": f"call_{index}", "type": "function", "function": start}]
        fragments += [{"index": index, "function": {"arguments": p}} for p in tokenize(arguments)]
        deltas += [{"tool_calls": [fragment]} for fragment in fragments]
    return deltas


def _error(after: int) -> dict:
    return {
        "error": {
            "message": f"The model stopped after {after} tokens (simulated server error).",
            "type": "server_error",
            "code": None,
        }
    }
