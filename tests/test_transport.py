"""StreamingASGITransport streams like a real server and tells the app when the client leaves."""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import sys

import httpx
import httpx2
import pytest
from fastapi import FastAPI
from pydantic import BaseModel
from starlette.responses import StreamingResponse

from yieldlab import StreamingASGITransport


class Number(BaseModel):
    n: int


def endless_app(log: list) -> FastAPI:
    """An app whose GET /count streams b"0\\n", b"1\\n", ... forever, logging its cleanup."""
    app = FastAPI()

    @app.get("/count")
    async def count() -> StreamingResponse:
        async def numbers():
            try:
                for n in itertools.count():
                    log.append(n)
                    yield f"{n}\n"
                    await asyncio.sleep(0)
            finally:
                log.append("finally")

        return StreamingResponse(numbers(), media_type="text/plain")

    return app


@pytest.fixture(params=[httpx, httpx2], ids=lambda module: module.__name__)
def http(request):
    """The client's HTTP library: httpx, or httpx2, which the openai SDK 3.x uses by default."""
    return request.param


def client_for(app, http) -> httpx.AsyncClient:
    return http.AsyncClient(transport=StreamingASGITransport(app), base_url="http://test")


async def read_chunks(app, count: int, http) -> list[bytes]:
    async with client_for(app, http) as client, client.stream("GET", "/count") as response:
        chunks = []
        async for chunk in response.aiter_raw():
            chunks.append(chunk)
            if len(chunks) == count:
                return chunks
    return chunks


def test_an_endless_stream_can_be_read_partially(http):
    assert asyncio.run(read_chunks(endless_app([]), 3, http)) == [b"0\n", b"1\n", b"2\n"]


def test_each_chunk_arrives_before_the_app_produces_many_more(http):
    log: list = []
    asyncio.run(read_chunks(endless_app(log), 3, http))
    produced = [n for n in log if n != "finally"]
    assert len(produced) <= 5, f"the app ran {len(produced)} chunks ahead of a client that read 3"


def test_closing_the_response_closes_the_apps_generator(http):
    log: list = []
    asyncio.run(read_chunks(endless_app(log), 3, http))
    assert log[-1] == "finally"


def test_closing_the_response_sends_http_disconnect_to_the_app(http):
    received = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"hello", "more_body": True})
        while (message := await receive())["type"] != "http.disconnect":
            received.append(message["type"])
        received.append(message["type"])

    async def scenario():
        async with client_for(app, http) as client, client.stream("GET", "/") as response:
            async for _ in response.aiter_raw():
                break

    asyncio.run(scenario())
    assert received == ["http.request", "http.disconnect"]


def test_the_request_body_and_status_reach_each_side(http):
    app = FastAPI()

    @app.post("/double")
    async def double(body: Number) -> dict:
        return {"n": body.n * 2}

    async def scenario():
        async with client_for(app, http) as client:
            good = await client.post("/double", json={"n": 21})
            bad = await client.post("/double", json={"n": "many"})
            return good.status_code, good.json(), bad.status_code

    assert asyncio.run(scenario()) == (200, {"n": 42}, 422)


def test_an_app_error_mid_stream_reaches_the_client_as_a_broken_response(http):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"partial", "more_body": True})
        raise RuntimeError("boom")

    async def scenario():
        chunks = []
        async with client_for(app, http) as client, client.stream("GET", "/") as response:
            with pytest.raises(http.RemoteProtocolError, match="boom"):
                async for chunk in response.aiter_raw():
                    chunks.append(chunk)
        return chunks

    assert asyncio.run(scenario()) == [b"partial"]


def test_an_app_error_before_the_response_is_raised_to_the_caller(http):
    async def app(scope, receive, send):
        raise RuntimeError("no response")

    async def scenario():
        async with client_for(app, http) as client:
            await client.get("/")

    with pytest.raises(RuntimeError, match="no response"):
        asyncio.run(scenario())


def test_an_app_that_ignores_the_disconnect_is_cancelled_after_close_timeout():
    cancelled = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        try:
            while True:
                await send({"type": "http.response.body", "body": b"x", "more_body": True})
                await asyncio.sleep(0)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    async def scenario():
        transport = StreamingASGITransport(app, close_timeout=0.01)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            async with client.stream("GET", "/") as response:
                async for _ in response.aiter_raw():
                    break

    asyncio.run(scenario())
    assert cancelled == [True]


def test_importing_yieldlab_leaves_httpx_until_the_transport_is_used():
    code = (
        "import sys, yieldlab\n"
        "before = 'httpx' in sys.modules\n"
        "from yieldlab import *\n"
        "print(before, 'httpx' in sys.modules, StreamingASGITransport.__module__)\n"
        "try:\n    yieldlab.no_such_name\nexcept AttributeError as error:\n    print(error)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "False True yieldlab._transport",
        "module 'yieldlab' has no attribute 'no_such_name'",
    ]


def test_the_openai_sdk_streams_the_same_through_httpx_and_httpx2_clients():
    # openai 3.x accepts both; a release that drops httpx clients keeps working.
    from openai import AsyncOpenAI

    from yieldlab.mock_openai import create_app

    async def pieces(http) -> list[str]:
        http_client = http.AsyncClient(transport=StreamingASGITransport(create_app()))
        client = AsyncOpenAI(base_url="http://mock/v1", api_key="test", http_client=http_client)
        stream = await client.chat.completions.create(
            model="sim", messages=[{"role": "user", "content": "hi"}], stream=True
        )
        return [c.choices[0].delta.content async for c in stream if c.choices]

    through_httpx, through_httpx2 = asyncio.run(pieces(httpx)), asyncio.run(pieces(httpx2))
    assert len(through_httpx) > 3 and through_httpx2 == through_httpx
