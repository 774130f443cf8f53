"""The mock streams four providers' formats byte for byte, and the real SDKs read them."""

from __future__ import annotations

import asyncio
from pathlib import Path

import anthropic
import httpx
import httpx2
import openai
import pytest

from yieldlab import PROVIDERS, SimulatedModel, StreamingASGITransport, provider_wire
from yieldlab.mock_openai import FAIL_MID_STREAM, create_app

FIXTURES = Path(__file__).parent / "fixtures"
PROMPT = "Why stream?"
REPLY = SimulatedModel().reply(PROMPT)
MESSAGES = [{"role": "user", "content": PROMPT}]
REQUESTS = {  # provider -> (path, body) of a streaming request for PROMPT
    "openai-chat": ("/v1/chat/completions", {"model": "sim", "messages": MESSAGES, "stream": True}),
    "openai-responses": ("/v1/responses", {"model": "sim", "input": PROMPT, "stream": True}),
    "anthropic": (
        "/v1/messages",
        {"model": "sim", "max_tokens": 64, "messages": MESSAGES, "stream": True},
    ),
    "gemini": (
        "/v1beta/models/sim:streamGenerateContent?alt=sse",
        {"contents": [{"role": "user", "parts": [{"text": PROMPT}]}]},
    ),
}


def post(path: str, body: dict) -> httpx.Response:
    async def scenario():
        transport = StreamingASGITransport(create_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            return await client.post(path, json=body)

    return asyncio.run(scenario())


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_mock_sends_exactly_the_fixture_bytes(provider):
    path, body = REQUESTS[provider]
    response = post(path, body)
    assert response.status_code == 200
    assert response.content == (FIXTURES / f"{provider}.sse").read_bytes()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_fixture_is_what_provider_wire_builds(provider):
    wire = provider_wire(provider, SimulatedModel(), PROMPT, name="sim")
    assert wire == (FIXTURES / f"{provider}.sse").read_bytes()


def test_gemini_frames_end_without_done_and_with_crlf():
    wire = (FIXTURES / "gemini.sse").read_bytes()
    assert b"[DONE]" not in wire and wire.endswith(b"\r\n\r\n")


def test_the_openai_sdk_streams_the_responses_api_in_process():
    async def scenario():
        transport = StreamingASGITransport(create_app())
        client = openai.AsyncOpenAI(
            base_url="http://mock/v1",
            api_key="t",
            http_client=httpx.AsyncClient(transport=transport),
        )
        async with client.responses.stream(model="sim", input=PROMPT) as stream:
            deltas = [e.delta async for e in stream if e.type == "response.output_text.delta"]
            final = await stream.get_final_response()
        return deltas, final

    deltas, final = asyncio.run(scenario())
    assert "".join(deltas) == final.output_text == REPLY


def anthropic_client() -> anthropic.AsyncAnthropic:
    transport = StreamingASGITransport(create_app())
    return anthropic.AsyncAnthropic(
        base_url="http://mock", api_key="t", http_client=httpx2.AsyncClient(transport=transport)
    )


def test_the_anthropic_sdk_streams_messages_in_process():
    async def scenario():
        async with anthropic_client().messages.stream(
            model="sim", max_tokens=64, messages=MESSAGES
        ) as stream:
            text = "".join([piece async for piece in stream.text_stream])
            return text, await stream.get_final_message()

    text, message = asyncio.run(scenario())
    assert text == REPLY and message.stop_reason == "end_turn"


def test_fail_mid_stream_is_an_overloaded_error_for_the_anthropic_sdk():
    async def scenario():
        async with anthropic_client().messages.stream(
            model=FAIL_MID_STREAM, max_tokens=64, messages=MESSAGES
        ) as stream:
            async for _ in stream.text_stream:
                pass

    with pytest.raises(anthropic.APIStatusError, match="overloaded_error"):
        asyncio.run(scenario())


def test_anthropic_without_max_tokens_gets_400_naming_the_field():
    response = post("/v1/messages", {"model": "sim", "messages": MESSAGES})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "Invalid request: max_tokens: Field required"
