"""A client killed mid-stream makes the server close the model's generator: uvicorn and in-process."""

from __future__ import annotations

import asyncio
import itertools
import subprocess
import sys
import threading

import httpx
from fastapi import FastAPI
from starlette.responses import StreamingResponse

from yieldlab import BackgroundServer, StreamingASGITransport


class EndlessModel:
    """Streams tokens forever; `closed` is set, from the server's thread, when it is closed."""

    def __init__(self) -> None:
        self.closed = threading.Event()

    async def astream(self):
        try:
            for n in itertools.count():
                await asyncio.sleep(0.002)
                yield f"data: token {n}\n\n"
        finally:
            self.closed.set()


def streaming_app(model: EndlessModel) -> FastAPI:
    app = FastAPI()

    @app.post("/chat/stream")
    async def chat() -> StreamingResponse:
        return StreamingResponse(model.astream(), media_type="text/event-stream")

    return app


CLIENT = """
import sys, httpx
with httpx.stream("POST", sys.argv[1] + "/chat/stream", timeout=10) as response:
    for line in response.iter_lines():
        if line:
            print(line, flush=True)
"""


def test_killing_a_client_process_mid_stream_closes_the_model_generator_under_uvicorn():
    model = EndlessModel()
    with BackgroundServer(streaming_app(model)) as server:
        client = subprocess.Popen(
            [sys.executable, "-c", CLIENT, server.url], stdout=subprocess.PIPE, text=True
        )
        try:
            assert client.stdout.readline().startswith("data: token 0")
            assert not model.closed.is_set()
            client.kill()  # SIGKILL: the client gets no chance to close anything itself
            client.wait(timeout=10)
        finally:
            client.stdout.close()
        assert model.closed.wait(timeout=5), "the model kept streaming to a dead client"


def test_cancelling_a_client_task_mid_stream_closes_the_model_generator_in_process():
    model = EndlessModel()
    transport = StreamingASGITransport(streaming_app(model))

    async def reader(client: httpx.AsyncClient, first_event: asyncio.Event) -> None:
        async with client.stream("POST", "/chat/stream") as response:
            async for _ in response.aiter_lines():
                first_event.set()

    async def scenario() -> bool:
        async with httpx.AsyncClient(transport=transport, base_url="http://chat") as client:
            first_event = asyncio.Event()
            task = asyncio.create_task(reader(client, first_event))
            await first_event.wait()
            open_while_reading = not model.closed.is_set()
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            return open_while_reading and model.closed.is_set()

    assert asyncio.run(scenario()), "the model's generator was not closed when the client left"
