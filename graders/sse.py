"""Checks and hints for module 3, Server-Sent Events (assignment 03_server_sent_events)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from yieldlab import split_bytes

from ._calls import call, drain, pull
from ._expect import first_difference, passed, same
from ._messages import describe_error, fail, short
from ._probes import AsyncSource

CUTS = {
    "whole": "in one chunk",
    "lines": "one line per chunk",
    "inside_chars": "cut inside every multi-byte character",
    "between_cr_lf": "cut between the CR and the LF of every CRLF",
    "bytes": "one byte per chunk",
}
"""How the checks cut a stream into chunks (yieldlab.split_bytes), and how messages say it."""


def chunked(wire: bytes, how: str) -> AsyncSource:
    """An AsyncSource of `wire` cut into chunks the way `how` says (see CUTS)."""
    return AsyncSource(split_bytes(wire, how))


def expect_events(
    fn: Callable,
    wire: bytes,
    expected: list,
    *,
    cuts: Sequence[str] = tuple(CUTS),
    hidden: str | None = None,
) -> None:
    """Check that `fn` decodes `wire` to `expected`, however the bytes are cut into chunks."""
    for how in cuts:
        outcome = drain(fn, chunked(wire, how))
        name = outcome.call.split("(", 1)[0]
        shown = f"{name}(the stream {hidden}, {CUTS[how]})" if hidden else outcome.call
        if outcome.error is not None:
            raise fail(f"{shown} raised {describe_error(outcome.error)}.", _event_hint(how, wire))
        if not same(outcome.items, expected):
            if hidden:
                what = f"{name} failed a hidden test: {hidden}, {CUTS[how]}"
                message = f"{what} ({first_difference(outcome.items, expected)})."
            else:
                message = (
                    f"With the bytes {CUTS[how]}, {outcome.call}\nyielded {short(outcome.items)}\n"
                    f"but should yield {short(expected)}."
                )
            raise fail(message, _event_hint(how, wire, outcome.items, expected))
    passed(f"hidden test: {hidden}" if hidden else f"{name} decoded {short(wire)} in every cut")


def _event_hint(
    how: str, wire: bytes, got: list | None = None, expected: list | None = None
) -> str | None:
    """Why a decoder goes wrong on this cut of `wire`, for the mistakes the course knows."""

    def texts(items: list | None) -> list[str]:
        return [
            item if isinstance(item, str) else getattr(item, "data", "") for item in items or []
        ]

    got_texts, expected_texts = texts(got), texts(expected)
    if any("\r" in text for text in got_texts) or (how == "whole" and b"\r" in wire):
        return "Lines end with CRLF, LF or CR: split on all three, not only on LF."
    if any("\ufffd" in text for text in got_texts) and not any(
        "\ufffd" in text for text in expected_texts
    ):
        return (
            "A chunk ended in the middle of a multi-byte character, and decoding each chunk on "
            "its own turned it into U+FFFD: use codecs.getincrementaldecoder('utf-8')(errors="
            "'replace'), which keeps the first bytes until the rest arrive."
        )
    spaces = [text[:1] == " " for text in got_texts] != [text[:1] == " " for text in expected_texts]
    if len(got_texts) == len(expected_texts) and spaces:
        return (
            "Remove exactly one space after the colon, if there is one (`data:  x` carries ' x')."
        )
    if b"\xef\xbb\xbf" in wire[1:]:
        return "Only one BOM, at the very start of the stream, is dropped: not one per chunk."
    why = _field_hint(got or [], expected or [])
    if why:
        return why
    if how == "between_cr_lf":
        return (
            "A chunk ended with CR and the next began with LF: that is ONE line ending (CRLF), "
            "not a line ending and then an empty line. Remember the CR and drop the LF after it."
        )
    if how != "whole":
        return (
            "A chunk is not a line: it can end anywhere. Keep the unfinished end of each chunk "
            "and put it in front of the next one."
        )
    return None


def _field_hint(got: list, expected: list) -> str | None:
    """Which WHATWG rule explains the difference between two lists of events."""
    if not all(hasattr(event, "data") for event in got + expected):
        return None
    if len(got) == len(expected) + 1 and got[:-1] == expected:
        return "An event not ended by a blank line when the stream ends is discarded."
    if len(got) > len(expected) and any(event.data == "" for event in got):
        return "A blank line with no data line before it (`event: ping`) yields nothing."
    if len(got) != len(expected):
        return None
    pairs = list(zip(got, expected, strict=True))
    if any(g.id != e.id for g, e in pairs):
        return (
            "The last event ID persists: later events carry it until an `id` line changes it "
            "(an empty `id:` resets it, an id containing U+0000 is ignored)."
        )
    if any(g.event != e.event for g, e in pairs):
        return "The event type resets after each event: without an `event` line it is 'message'."
    if any(g.retry != e.retry for g, e in pairs):
        return (
            "retry takes ASCII digits only ('+5', ' 10', '10a' are ignored), until the blank line."
        )
    return None


def content_hint(got: Any, expected: Any) -> str | None:
    """Why openai_content_deltas gives `got`, for the mistakes the course knows."""
    if isinstance(got, IndexError):
        return (
            "The usage chunk at the end has `choices == []`: check that there is a choice "
            "before reading choices[0]."
        )
    if isinstance(got, TypeError | KeyError) and "message" not in str(got):
        return "`choices` may be missing or null: `chunk.get('choices') or []` is always a list."
    if isinstance(got, KeyError) and "message" in str(got):
        return "Streamed chunks carry `delta`, not `message` (that is the non-streaming format)."
    if isinstance(got, list) and any(item in ("", None) for item in got):
        return "The role chunk and the final chunk have no text: skip null and empty content."
    if isinstance(got, list) and len(got) < len(expected):
        return "A chunk can carry both content and a finish_reason: yield its content too."
    return None


def accumulate_hint(got: Any, expected: Any) -> str | None:
    """Why accumulate_chat_stream returns `got`, for the mistakes the course knows."""
    if isinstance(got, IndexError):
        return "The usage chunk has `choices == []`: check that there is a choice first."
    if not isinstance(got, dict) or not isinstance(expected, dict):
        return None
    if set(got) != set(expected):
        return f"The result must have exactly the keys {sorted(expected)}."
    if got["usage"] is None and expected["usage"] is not None:
        return (
            "usage comes in the last chunk (choices == []), and every earlier chunk has "
            "`usage: null`: keep the last one that is not None."
        )
    if got["finish_reason"] is None and expected["finish_reason"] is not None:
        return "Only the final chunk has a finish_reason: keep the last one that is not None."
    if got["tool_calls"] != expected["tool_calls"]:
        return (
            "Tool calls arrive in fragments: merge fragments with the same `index`, take id, "
            "type and name where they are not None, and concatenate the `arguments` pieces."
        )
    if got["content"] is None and expected["content"] == "":
        return "With no text at all, content is the empty string '', not None."
    if got["role"] != expected["role"]:
        return "role comes from the first delta that has one; without any it is 'assistant'."
    return None


def expect_error_message(
    fn: Callable, payloads: list[dict], message: str, *, hidden: str | None = None
) -> None:
    """Check that `fn` raises RuntimeError with `message` in it, on the error payload."""
    outcome = call(fn, AsyncSource(payloads))
    value = outcome.items.pop() if outcome.items else None
    if hasattr(value, "__anext__") or hasattr(value, "__aiter__"):
        pull(outcome, value)
    if isinstance(outcome.error, RuntimeError) and message in str(outcome.error):
        passed(f"hidden test: {hidden}" if hidden else f"{outcome.call} raised {message!r}")
        return
    if isinstance(outcome.error, RuntimeError):
        got = f"raised {describe_error(outcome.error)}"
        why = "Put the error's `message` in the RuntimeError, so that the caller knows why."
    elif outcome.error is not None:
        got = f"raised {describe_error(outcome.error)}"
        why = "Raise RuntimeError for a payload with an 'error' key."
    else:
        got = f"gave {short(outcome.items or value)} and ended"
        why = (
            "A provider that fails mid-stream sends {'error': {'message': ...}} instead of a "
            "chunk: raise RuntimeError with that message, or the caller keeps half an answer."
        )
    if hidden:
        name = outcome.call.split("(", 1)[0]
        raise fail(f"{name} failed a hidden test: {hidden}.", why)
    raise fail(f"{outcome.call} {got}, but should raise RuntimeError containing {message!r}.", why)


def parse_hint(raw: str) -> Callable[[Any, Any], str | None]:
    """hint(got, expected) for parse_sse_messages on the input `raw`."""

    def hint(got: Any, expected: Any) -> str | None:
        if isinstance(got, ValueError) and "data:{" in raw:
            return "The space after `data:` is optional: `data:{...}` is a payload too."
        if isinstance(got, ValueError) and "[DONE]" in raw:
            return (
                "`data: [DONE]` ends the stream and is not JSON: skip a payload whose "
                "`.strip()` is '[DONE]', whitespace around it included."
            )
        if isinstance(got, list) and len(got) < len(expected) and "[DONE]" in raw:
            return (
                "A payload that merely contains '[DONE]' inside its JSON is data: compare the "
                "whole stripped payload with '[DONE]', do not search for it."
            )
        if isinstance(got, list) and len(got) < len(expected):
            return "The last message counts even when no blank line follows it."
        if isinstance(got, list) and "data: " in raw.replace("\ndata: ", "\n"):
            return (
                "Take the text after the first `data:` only: replacing every 'data: ' also "
                "changes payloads that contain those characters."
            )
        return None

    return hint
