"""Checks and hints for `text_deltas`: the text of four providers' streams (module 3)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from yieldlab import PROVIDERS, SimulatedModel, provider_events
from yieldlab._providers import provider_frames

from ._calls import drain
from ._expect import Hint, passed, same
from ._messages import describe_error, fail, short
from ._probes import AsyncSource

VALID = ", ".join(repr(name) for name in PROVIDERS)

WHERE = {
    "openai-chat": "`choices[0].delta.content` of each chunk, until `data: [DONE]`",
    "openai-responses": "the `delta` of each `response.output_text.delta` event",
    "anthropic": (
        "`delta.text` of each `content_block_delta` event whose `delta.type` is `text_delta`"
    ),
    "gemini": "the `text` of every part of `candidates[0].content.parts`, in every frame",
}
"""Where each format keeps its text, as the lesson's table says it."""

ERROR_SHAPES = {
    "openai-chat": "a payload `{'error': {'message': ...}}` instead of a chunk",
    "openai-responses": (
        "an `error` event whose JSON has a `message`, or a `response.failed` event whose "
        "`response.error` has one"
    ),
    "anthropic": (
        "an `error` event, `{'type': 'error', 'error': {'type': 'overloaded_error', "
        "'message': ...}}`"
    ),
    "gemini": "a frame `{'error': {'code': 503, 'message': ...}}`",
}
"""How each provider says, in the middle of a stream, that it failed."""


class Events(AsyncSource):
    """An AsyncSource of SSE events that a message names by a short label, not item by item."""

    def __init__(self, items: Iterable[Any], label: str) -> None:
        super().__init__(list(items))
        self.label = label

    def __repr__(self) -> str:
        return self.label


def stream_of(
    provider: str,
    model: SimulatedModel,
    prompt: str,
    event_class: Callable[[str, str], Any],
    *,
    error_after: int | None = None,
) -> Events:
    """The events of `provider`'s stream of `model`'s reply, made with the notebook's SSEEvent."""
    pairs = provider_events(provider, model, prompt, error_after=error_after)
    events = [event_class(kind, data) for kind, data in pairs]
    failing = ", failing" if error_after is not None else ""
    return Events(events, f"<{provider} stream: {len(events)} events{failing}>")


def token_positions(provider: str, model: SimulatedModel, prompt: str) -> list[int]:
    """For each of the model's tokens, how many events of `provider`'s stream it needs."""
    frames = provider_frames(provider, model, prompt)
    return [index + 1 for index, frame in enumerate(frames) if frame.token]


def error_message(events: Events) -> str:
    """The provider's message in the error event that ends `events` (from `error_after`)."""
    data = json.loads(events.items[-1].data)
    error = data["error"] if isinstance(data.get("error"), dict) else data
    return error["message"]


def text_hint(provider: str) -> Hint:
    """hint(got, expected) for text_deltas on a `provider` stream, for the mistakes we know."""

    def hint(got: Any, expected: Any) -> str | None:
        if isinstance(got, BaseException):
            return _error_hint(provider, got)
        if not isinstance(got, list) or not isinstance(expected, list):
            return None
        if any(not isinstance(piece, str) for piece in got):
            return "Yield the pieces of text (strings), not the events or their parsed JSON."
        if "" in got:
            return "Some events carry an empty text: skip it, and yield only non-empty pieces."
        if len(got) < len(expected) and same(got, expected[: len(got)]):
            return _short_hint(provider, got, expected)
        if "".join(got) == "".join(expected) and provider == "gemini":
            return (
                "A Gemini frame can hold several parts: yield the `text` of each part as a "
                "piece of its own, in order."
            )
        if len(got) == len(expected) and provider == "gemini":
            return (
                "Each Gemini frame is a whole response, but it holds only the NEW piece of "
                "text, not the text so far: yield each part's `text` as it is."
            )
        if len(got) > len(expected):
            return f"Yield only the text: in {provider} it is {WHERE[provider]}."
        return f"In {provider}, the text is {WHERE[provider]}."

    return hint


def _error_hint(provider: str, error: BaseException) -> str:
    if isinstance(error, TypeError) and "subscriptable" in str(error):
        return (
            "Each event is an SSEEvent object, not a dict: read `event.event` (its type) and "
            "`event.data` (its text), then `json.loads(event.data)`."
        )
    if isinstance(error, json.JSONDecodeError) and provider == "openai-chat":
        return (
            "`data: [DONE]` ends a chat completions stream, and it is not JSON: stop when "
            "`event.data.strip() == '[DONE]'`, before `json.loads`."
        )
    if isinstance(error, ValueError) and not isinstance(error, json.JSONDecodeError):
        return (
            f"{provider!r} is one of the providers ({VALID}): raise ValueError only for a name "
            "that is not in PROVIDERS."
        )
    if isinstance(error, KeyError | TypeError | AttributeError | IndexError):
        return (
            f"Not every event carries text: in {provider}, the text is {WHERE[provider]}. "
            "Look at the event's type first, and skip every other event."
        )
    if isinstance(error, RuntimeError):
        return (
            f"This stream did not fail: raise RuntimeError only when {provider} sends "
            f"{ERROR_SHAPES[provider]}."
        )
    return (
        "Pings and event types you do not know are skipped, not errors: a provider may add "
        "new ones at any time."
    )


def _short_hint(provider: str, got: list, expected: list) -> str:
    if provider == "gemini" and len(got) == len(expected) - 1:
        return (
            "The last piece is missing: the event that ends the text (Gemini's last frame, "
            "with its `finishReason`) may still carry a piece. Yield it before you stop."
        )
    if provider == "anthropic":
        return (
            "A `ping` can come at any point and is not the end: skip it with `continue`, do "
            "not stop with `break` or `return`."
        )
    return (
        f"Keep reading to the end of the stream, and skip the events that carry no text: in "
        f"{provider}, the text is {WHERE[provider]}."
    )


def expect_stream_error(
    fn: Callable, events: AsyncSource, provider: str, message: str, *, hidden: str | None = None
) -> None:
    """Check that `fn(events, provider)` raises RuntimeError with `message` in it."""
    outcome = drain(fn, events, provider, hidden=hidden)
    error = outcome.error
    if isinstance(error, RuntimeError) and message in str(error):
        passed(f"hidden test: {hidden}" if hidden else f"{outcome.call} raised {message!r}")
        return
    if isinstance(error, RuntimeError):
        got = f"raised {describe_error(error)}"
        why = (
            "Put the provider's `message` in the RuntimeError, so that whoever reads it learns "
            "why the stream failed."
        )
    elif error is not None:
        got = f"raised {describe_error(error)}"
        why = f"{provider} says it failed with {ERROR_SHAPES[provider]}: raise RuntimeError."
    else:
        got = f"yielded {short(outcome.items)} and ended"
        why = (
            f"{provider} says it failed with {ERROR_SHAPES[provider]}. Raise RuntimeError with "
            "that message: otherwise the caller takes half an answer for a whole one."
        )
    if hidden:
        name = outcome.call.split("(", 1)[0]
        what = f"it raised {type(error).__name__}" if error else "it ended without an error"
        raise fail(f"{name} failed a hidden test: {hidden} ({what}).", why)
    raise fail(f"{outcome.call} {got},\nbut should raise RuntimeError containing {message!r}.", why)


def expect_unknown_provider(
    fn: Callable, events: AsyncSource, provider: str, *, hidden: str | None = None
) -> None:
    """Check that `fn(events, provider)` raises ValueError naming every valid provider."""
    outcome = drain(fn, events, provider, limit_items=1, hidden=hidden)
    error = outcome.error
    named = isinstance(error, ValueError) and all(name in str(error) for name in PROVIDERS)
    if named and events.pulled:
        name = outcome.call.split("(", 1)[0]
        which = f"in the hidden test '{hidden}'" if hidden else f"for the provider {provider!r}"
        raise fail(
            f"{name} raised ValueError {which} only after reading {events.pulled} event(s).",
            "Check `provider` before the loop: then a misspelt name fails at once, even on a "
            "stream that has no events or never sends one.",
        )
    if named:
        passed(
            f"hidden test: {hidden}"
            if hidden
            else f"{outcome.call} raised ValueError naming the valid providers"
        )
        return
    if isinstance(error, ValueError):
        got = f"raised {describe_error(error)}"
        why = f"Name the valid providers in the message ({VALID}): then the caller can fix it."
    elif error is not None:
        got = f"raised {describe_error(error)}"
        why = "An unknown provider is the caller's mistake, a wrong value: raise ValueError."
    else:
        got = f"yielded {short(outcome.items)}" if outcome.items else "ended without an error"
        why = (
            "Check `provider` before you read any event: a misspelt name must not quietly "
            "give no text, or the wrong text."
        )
    if hidden:
        name = outcome.call.split("(", 1)[0]
        what = f"it raised {type(error).__name__}" if error else "it raised nothing"
        raise fail(f"{name} failed a hidden test: {hidden} ({what}).", why)
    raise fail(f"{outcome.call} {got},\nbut should raise ValueError naming {VALID}.", why)
