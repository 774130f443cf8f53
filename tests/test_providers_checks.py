"""graders.providers: the checks of `text_deltas` pass the reference, catch known mistakes, say why.

The reference is the solution cell of solutions/03_server_sent_events (issue 15.3).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graders import AsyncSource, CheckFailed, expect_items, expect_streaming
from graders.providers import (
    error_message,
    expect_stream_error,
    expect_unknown_provider,
    stream_of,
    text_hint,
    token_positions,
)
from yieldlab import PROVIDERS, SimulatedModel

NOTEBOOK = (
    Path(__file__).parent.parent
    / "solutions"
    / "03_server_sent_events"
    / "03_server_sent_events.ipynb"
)
MODEL = SimulatedModel(seed=3, sentences=1)


@pytest.fixture(scope="module")
def ref() -> dict:
    """The notebook's setup, its SSEEvent and the reference text_deltas."""
    namespace: dict = {}
    for cell in json.loads(NOTEBOOK.read_text())["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in ("imports", "given_sse_event", "text_deltas"):
            exec("".join(cell["source"]), namespace)  # our own reference code
    return namespace


def failure(check, *args, **kwargs) -> str:
    with pytest.raises(CheckFailed) as caught:
        check(*args, **kwargs)
    return str(caught.value)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_reference_passes_every_check_of_every_provider(ref, provider, capsys):
    fn, event = ref["text_deltas"], ref["SSEEvent"]
    tokens = MODEL.tokens("hi")
    expect_items(fn, stream_of(provider, MODEL, "hi", event), provider, expected=tokens)
    needed = token_positions(provider, MODEL, "hi")
    expect_streaming(fn, stream_of(provider, MODEL, "hi", event), provider, needed=needed)
    failing = stream_of(provider, MODEL, "hi", event, error_after=2)
    expect_stream_error(fn, failing, provider, error_message(failing))
    expect_unknown_provider(fn, stream_of(provider, MODEL, "hi", event), provider.upper())
    assert capsys.readouterr().out.count("✓") == 4


def test_a_stream_is_shown_by_its_label_not_event_by_event(ref):
    events = stream_of("gemini", MODEL, "hi", ref["SSEEvent"], error_after=2)
    assert repr(events) == "<gemini stream: 3 events, failing>"
    assert error_message(events) == "Overloaded (simulated)"


def test_token_positions_count_the_events_each_token_needs():
    # chat: the role chunk comes first; anthropic: message_start, content_block_start, ping.
    assert token_positions("openai-chat", MODEL, "hi")[:2] == [2, 3]
    assert token_positions("anthropic", MODEL, "hi")[:2] == [4, 5]
    assert token_positions("gemini", MODEL, "hi") == list(range(1, 11))


def test_stopping_at_a_ping_is_told_to_skip_it(ref):
    async def stops_at_ping(events, provider):
        async for event in events:
            if event.event == "ping":
                return
            if event.event == "content_block_delta":
                yield json.loads(event.data)["delta"]["text"]

    events = stream_of("anthropic", MODEL, "hi", ref["SSEEvent"])
    message = failure(
        expect_items,
        stops_at_ping,
        events,
        "anthropic",
        expected=MODEL.tokens("hi"),
        hint=text_hint("anthropic"),
    )
    assert message.startswith(
        "stops_at_ping(<anthropic stream: 16 events>, 'anthropic') yielded []"
    )
    assert "skip it with `continue`" in message


def test_known_mistakes_get_their_own_hint():
    assert "skip it" in text_hint("openai-chat")(["", "A"], ["A"])
    assert "Gemini's last frame" in text_hint("gemini")(["A"], ["A", "b"])
    assert "several parts" in text_hint("gemini")(["Ab"], ["A", "b"])
    assert "strings" in text_hint("anthropic")([{"text": "A"}], ["A"])
    assert "not JSON" in text_hint("openai-chat")(json.JSONDecodeError("x", "[DONE]", 0), ["A"])
    assert "SSEEvent object" in text_hint("gemini")(TypeError("object is not subscriptable"), [])
    assert "did not fail" in text_hint("anthropic")(RuntimeError("boom"), ["A"])
    assert "is one of the providers" in text_hint("gemini")(ValueError("unknown provider"), [])


def test_an_error_without_the_providers_message_is_told_to_carry_it(ref):
    async def vague(events, provider):
        async for event in events:
            if event.event == "error":
                raise RuntimeError("the stream failed")
            yield "x"

    events = stream_of("anthropic", MODEL, "hi", ref["SSEEvent"], error_after=1)
    message = failure(expect_stream_error, vague, events, "anthropic", "Overloaded (simulated)")
    assert "raised RuntimeError('the stream failed')" in message
    assert "Put the provider's `message` in the RuntimeError" in message


def test_a_hidden_error_check_does_not_show_the_message(ref):
    async def quiet(events, provider):
        async for _event in events:
            yield "x"

    events = AsyncSource([ref["SSEEvent"]("error", '{"message": "secret (hidden)"}')])
    message = failure(
        expect_stream_error,
        quiet,
        events,
        "openai-responses",
        "secret (hidden)",
        hidden="an error event",
    )
    assert message.startswith("quiet failed a hidden test: an error event (it ended without")
    assert "secret" not in message


def test_an_unknown_provider_must_fail_before_any_event_is_read(ref):
    async def per_event(events, provider):
        async for _event in events:
            if provider not in PROVIDERS:
                raise ValueError(f"use one of {PROVIDERS}")
            yield "x"

    events = stream_of("openai-chat", MODEL, "hi", ref["SSEEvent"])
    message = failure(expect_unknown_provider, per_event, events, "openai")
    assert "only after reading 1 event(s)" in message
    assert "Check `provider` before the loop" in message


def test_an_unknown_provider_error_must_name_the_valid_ones(ref):
    async def terse(events, provider):
        raise ValueError("bad provider")
        yield

    events = stream_of("openai-chat", MODEL, "hi", ref["SSEEvent"])
    message = failure(expect_unknown_provider, terse, events, "openai")
    assert "raised ValueError('bad provider')" in message
    assert "'openai-chat', 'openai-responses', 'anthropic', 'gemini'" in message
