"""An httpx transport that runs an ASGI app in-process and streams its response.

`httpx.ASGITransport` waits for the whole body before returning it, so it cannot
show streaming, hangs on an endless stream, and never tells the app that the
client went away. `StreamingASGITransport` runs the app as a task on the
caller's event loop (no threads, so it also works in Pyodide) and behaves like
uvicorn: each body chunk reaches the client as the app sends it, and when the
client closes the response the app receives `http.disconnect` (ASGI spec 2.3,
so Starlette cancels the streaming body) and later sends are dropped.

It serves clients of `httpx` and of `httpx2` (the fork that the `openai` SDK 3.x
uses by default) alike: the response is made by the library the request came from.
"""

from __future__ import annotations

import asyncio
import functools
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx

Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [Message, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
    Awaitable[None],
]

_END = object()
"""Queued after the last body chunk of a complete response."""


class _Exchange:
    """One request and its response, as the app sees them through `receive` and `send`."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.request_read = False
        self.status: int | None = None
        self.headers: list[tuple[bytes, bytes]] = []
        self.started = asyncio.Event()
        """Set when the app has sent its status line, or has ended without one."""
        self.closed = asyncio.Event()
        """Set when the response is complete or the client has gone away."""
        self.chunks: asyncio.Queue = asyncio.Queue(maxsize=1)
        """One chunk in flight: the app can run one chunk ahead of the client."""
        self.error: Exception | None = None

    async def receive(self) -> Message:
        if not self.request_read:
            self.request_read = True
            return {"type": "http.request", "body": self.body, "more_body": False}
        await self.closed.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: Message) -> None:
        if self.closed.is_set():
            return  # the client has gone: like uvicorn, drop what the app still sends
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
            self.started.set()
        elif message["type"] == "http.response.body":
            if message.get("body"):
                await self.chunks.put(bytes(message["body"]))
            if not message.get("more_body", False):
                await self.chunks.put(_END)
                self.closed.set()

    async def run(self, app: ASGIApp, scope: Message) -> None:
        try:
            await app(scope, self.receive, self.send)
        except Exception as error:  # noqa: BLE001 (reported to the client, like a server would)
            self.error = error
        finally:
            self.started.set()


class _ResponseStream:
    """The response body: chunks as the app sends them; closing it disconnects the client."""

    http: Any = httpx
    """The HTTP library of the client, whose errors this stream raises."""

    def __init__(self, exchange: _Exchange, task: asyncio.Task, close_timeout: float) -> None:
        self._exchange = exchange
        self._task = task
        self._close_timeout = close_timeout
        self._ended = False

    def __aiter__(self) -> _ResponseStream:
        return self

    async def __anext__(self) -> bytes:
        if self._ended:
            raise StopAsyncIteration
        chunk = await self._next_chunk()
        if chunk is _END:
            self._ended = True
            raise StopAsyncIteration
        return chunk

    async def _next_chunk(self) -> Any:
        chunks = self._exchange.chunks
        if chunks.empty() and not self._task.done():
            getter = asyncio.ensure_future(chunks.get())
            try:
                await asyncio.wait({getter, self._task}, return_when=asyncio.FIRST_COMPLETED)
            except asyncio.CancelledError:
                getter.cancel()  # the client was cancelled: leave no task pending
                raise
            if getter.done():
                return getter.result()
            getter.cancel()
        if not chunks.empty():
            return chunks.get_nowait()
        # The app has returned or raised without finishing the body: a server
        # would close the connection, and the client would see this error.
        error = self._exchange.error
        why = f": the app raised {error!r}" if error else ""
        raise self.http.RemoteProtocolError(f"the response ended before it was complete{why}")

    async def aclose(self) -> None:
        exchange = self._exchange
        exchange.closed.set()  # receive() now returns http.disconnect
        while not exchange.chunks.empty():
            exchange.chunks.get_nowait()  # unblock an app waiting to send
        if not self._task.done():
            await asyncio.wait({self._task}, timeout=self._close_timeout)
        if not self._task.done():
            self._task.cancel()
            await asyncio.wait({self._task})


@functools.cache
def _stream_class(http: Any) -> type[_ResponseStream]:
    """`_ResponseStream` as a byte stream of `http` (httpx or httpx2), whose client checks that."""
    return type("ResponseStream", (_ResponseStream, http.AsyncByteStream), {"http": http})


class StreamingASGITransport(httpx.AsyncBaseTransport):
    """Send httpx requests to an ASGI app in this process and stream its responses.

    `close_timeout` is how long closing a response waits for the app to finish
    after `http.disconnect` before cancelling it.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        client: tuple[str, int] = ("127.0.0.1", 123),
        close_timeout: float = 1.0,
    ) -> None:
        self.app = app
        self.client = client
        self.close_timeout = close_timeout

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """The app's response, returned as soon as it has sent its status and headers.

        `request` may also be an `httpx2.Request`; the response is then an `httpx2.Response`.
        """
        http = sys.modules[type(request).__module__.partition(".")[0]]
        body = b"".join([part async for part in request.stream])
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": request.method,
            "headers": [(key.lower(), value) for key, value in request.headers.raw],
            "scheme": request.url.scheme,
            "path": request.url.path,
            "raw_path": request.url.raw_path.split(b"?")[0],
            "query_string": request.url.query,
            "server": (request.url.host, request.url.port),
            "client": self.client,
            "root_path": "",
        }
        exchange = _Exchange(body)
        task = asyncio.ensure_future(exchange.run(self.app, scope))
        stream = _stream_class(http)(exchange, task, self.close_timeout)
        try:
            await exchange.started.wait()
        except BaseException:
            await stream.aclose()
            raise
        if exchange.status is None:  # the app ended without responding
            await stream.aclose()
            raise exchange.error or RuntimeError("the ASGI app returned without a response")
        return http.Response(exchange.status, headers=exchange.headers, stream=stream)
