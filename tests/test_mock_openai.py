"""The mock OpenAI server speaks the API well enough for the real `openai` SDK, and fails on request."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import httpx
import openai
import pytest

from yieldlab import SimulatedModel, StreamingASGITransport
from yieldlab.mock_openai import FAIL_429, FAIL_500, FAIL_MID_STREAM, MID_STREAM_AFTER, create_app

PROMPT = "Why stream?"
MESSAGES = [{"role": "user", "content": PROMPT}]
REPLY = SimulatedModel().reply(PROMPT)


@pytest.fixture(scope="module")
def base_url():
    """`python -m yieldlab.mock_openai --port 0` on 127.0.0.1, stopped by its own handle."""
    process = subprocess.Popen(
        [sys.executable, "-m", "yieldlab.mock_openai", "--port", "0"]
        + ["--tokens-per-second", "0", "--time-to-first-token", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert "base_url=http://127.0.0.1:" in line, f"the server said {line!r}"
        yield line.strip().split("base_url=")[1]
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def in_process_client(**kwargs) -> openai.AsyncOpenAI:
    transport = StreamingASGITransport(create_app())
    return openai.AsyncOpenAI(
        base_url="http://mock/v1",
        api_key="test",
        http_client=httpx.AsyncClient(transport=transport),
        **kwargs,
    )


async def stream_text(client: openai.AsyncOpenAI, model: str = "sim") -> str:
    stream = await client.chat.completions.create(model=model, messages=MESSAGES, stream=True)
    return "".join([chunk.choices[0].delta.content or "" async for chunk in stream])


def test_the_async_sdk_streams_the_reply_over_a_real_socket(base_url):
    client = openai.AsyncOpenAI(base_url=base_url, api_key="test")
    assert asyncio.run(stream_text(client)) == REPLY


def test_the_sync_sdk_streams_the_reply_over_a_real_socket(base_url):
    with openai.OpenAI(base_url=base_url, api_key="test") as client:
        stream = client.chat.completions.create(model="sim", messages=MESSAGES, stream=True)
        deltas = [chunk.choices[0].delta.content or "" for chunk in stream]
    assert "".join(deltas) == REPLY
    assert len(deltas) == len(SimulatedModel().tokens(PROMPT)) + 2  # role chunk, finish chunk


def test_the_async_sdk_streams_the_reply_in_process():
    assert asyncio.run(stream_text(in_process_client())) == REPLY


def test_include_usage_adds_a_last_chunk_with_the_token_counts():
    async def scenario():
        client = in_process_client()
        stream = await client.chat.completions.create(
            model="sim", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
        )
        return [chunk async for chunk in stream][-1]

    last = asyncio.run(scenario())
    assert last.choices == []
    assert last.usage.completion_tokens == len(SimulatedModel().tokens(PROMPT))


def test_without_stream_the_reply_comes_whole(base_url):
    with openai.OpenAI(base_url=base_url, api_key="test") as client:
        completion = client.chat.completions.create(model="sim", messages=MESSAGES)
    assert completion.choices[0].message.content == REPLY
    assert completion.model == "sim"


def test_the_same_prompt_gets_the_same_reply_every_time():
    async def twice():
        return await stream_text(in_process_client()), await stream_text(in_process_client())

    first, second = asyncio.run(twice())
    assert first == second == REPLY


def test_fail_429_is_a_rate_limit_with_retry_after():
    async def scenario():
        await stream_text(in_process_client(max_retries=0), model=FAIL_429)

    with pytest.raises(openai.RateLimitError) as caught:
        asyncio.run(scenario())
    assert caught.value.response.headers["retry-after"] == "1"


def test_fail_500_is_a_server_error():
    async def scenario():
        await stream_text(in_process_client(max_retries=0), model=FAIL_500)

    with pytest.raises(openai.InternalServerError):
        asyncio.run(scenario())


def test_fail_mid_stream_sends_some_tokens_then_an_error_payload():
    async def scenario():
        deltas = []
        stream = await in_process_client().chat.completions.create(
            model=FAIL_MID_STREAM, messages=MESSAGES, stream=True
        )
        with pytest.raises(openai.APIError, match="stopped after"):
            async for chunk in stream:
                deltas.append(chunk.choices[0].delta.content)
        return deltas

    deltas = asyncio.run(scenario())
    assert deltas[1:] == SimulatedModel().tokens(PROMPT)[:MID_STREAM_AFTER]


def test_a_bad_body_gets_422_naming_the_field():
    async def scenario():
        transport = StreamingASGITransport(create_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            return await client.post("/v1/chat/completions", json={"model": "sim"})

    response = asyncio.run(scenario())
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "Invalid request: messages: Field required"


def test_the_stream_is_sse_with_headers_that_stop_proxy_buffering():
    async def scenario():
        transport = StreamingASGITransport(create_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            body = {"model": "sim", "messages": MESSAGES, "stream": True}
            return await client.post("/v1/chat/completions", json=body)

    response = asyncio.run(scenario())
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-accel-buffering"] == "no"
    assert response.text.endswith("data: [DONE]\n\n")
