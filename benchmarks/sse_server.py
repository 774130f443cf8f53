"""How many concurrent SSE streams one uvicorn process keeps on time, for three ways to write them.

    .venv/bin/python benchmarks/sse_server.py [--levels 200 500 1000] [--out FILE]

For each variant (a hand-written StreamingResponse, FastAPI's native
EventSourceResponse, sse-starlette's EventSourceResponse) a chat app runs under
uvicorn in its own process on 127.0.0.1; a client process opens N streams
within one second (RAMP), each 100 tokens at 50 tokens/s, and records when
every token arrives.
Reported per run: streams completed within the time limit, time to first token
(p50, p99) and the gap between tokens (p50, p99), in seconds. The client is a
bare asyncio protocol (no HTTP library), so that it costs the machine less than
the server; it shares the machine with the server all the same, so read the
numbers as a comparison of the variants, not as a capacity.
Results go to a JSON file that `yieldlab.load_benchmark` and `plot_benchmark` read.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import itertools
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

TOKENS = 100
TOKENS_PER_SECOND = 50
RUN_LIMIT = 20.0
"""Seconds a stream may take before it counts as not completed (it needs 2)."""
RAMP = 1.0
"""Seconds over which the streams of one run start: a burst of arrivals, not one instant."""
VARIANTS = ("StreamingResponse", "fastapi.sse", "sse-starlette")
OUT = Path(__file__).parent / "results" / "sse_server.json"


def create_app(variant: str):
    """The chat app in one of VARIANTS: POST /chat/stream streams TOKENS tokens, then [DONE]."""
    from fastapi import FastAPI
    from fastapi.responses import StreamingResponse
    from fastapi.sse import EventSourceResponse, ServerSentEvent
    from sse_starlette import EventSourceResponse as StarletteEventSource

    from yieldlab import SimulatedModel

    model = SimulatedModel(script=" word" * TOKENS, tokens_per_second=TOKENS_PER_SECOND)
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    app = FastAPI()

    if variant == "StreamingResponse":

        @app.post("/chat/stream")
        async def by_hand() -> StreamingResponse:
            async def events():
                n = 0
                async for token in model.astream():
                    n += 1
                    yield f"id: {n}\ndata: {json.dumps({'token': token})}\n\n"
                yield "data: [DONE]\n\n"

            return StreamingResponse(events(), media_type="text/event-stream", headers=headers)

    elif variant == "fastapi.sse":

        @app.post("/chat/stream", response_class=EventSourceResponse)
        async def native():
            n = 0
            async for token in model.astream():
                n += 1
                yield ServerSentEvent(data={"token": token}, id=str(n))
            yield ServerSentEvent(raw_data="[DONE]")

    elif variant == "sse-starlette":

        @app.post("/chat/stream")
        async def starlette() -> StarletteEventSource:
            async def events():
                n = 0
                async for token in model.astream():
                    n += 1
                    yield {"data": json.dumps({"token": token}), "id": str(n)}
                yield {"data": "[DONE]"}

            return StarletteEventSource(events(), headers=headers)

    else:
        raise ValueError(f"variant={variant!r}: must be one of {', '.join(VARIANTS)}")
    return app


def serve(variant: str) -> None:
    """Serve one variant on a free port of 127.0.0.1; print the port; run until killed."""
    import socket

    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(4096)  # connections wait in the backlog until uvicorn accepts them
    config = uvicorn.Config(create_app(variant), log_level="error", lifespan="off", backlog=4096)
    server = uvicorn.Server(config)
    print(sock.getsockname()[1], flush=True)
    server.run(sockets=[sock])


class _Stream(asyncio.Protocol):
    """One stream's connection: notes the time each token's event arrives."""

    def __init__(self, request: bytes, start: float) -> None:
        self.request, self.start = request, start
        self.arrivals: list[float] = []
        self.tail = b""
        self.done: asyncio.Future = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        now = time.perf_counter() - self.start
        window = self.tail + data  # the tail is too short to hold a whole marker twice
        self.arrivals += [now] * window.count(b'"token"')
        self.tail = window[-6:]
        if b"[DONE]" in window and not self.done.done():
            self.done.set_result("completed")
            self.transport.close()

    def connection_lost(self, error: Exception | None) -> None:
        if not self.done.done():
            self.done.set_result(f"connection lost: {error!r}")


async def one_stream(port: int, wait: float = 0.0) -> tuple[str, list[float]]:
    """After `wait` s, open one stream: how it ended, and when (from its start) its tokens came."""
    await asyncio.sleep(wait)
    body = b'{"prompt": "bench"}'
    request = (
        b"POST /chat/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body)
    )
    loop = asyncio.get_running_loop()
    start = time.perf_counter()
    stream = _Stream(request, start)
    try:
        transport, _ = await loop.create_connection(lambda: stream, "127.0.0.1", port)
    except OSError as error:
        return f"connect failed: {error!r}", []
    try:
        async with asyncio.timeout(RUN_LIMIT):
            return await stream.done, stream.arrivals
    except TimeoutError:
        return "timed out", stream.arrivals
    finally:
        transport.close()


async def run_level(port: int, streams: int, ramp: float = RAMP) -> dict:
    """Open `streams` streams, spread evenly over `ramp` seconds, and summarise them."""
    results = await asyncio.gather(*(one_stream(port, n * ramp / streams) for n in range(streams)))
    done = [times for how, times in results if how == "completed" and len(times) == TOKENS]
    failures = collections.Counter(how for how, times in results if how != "completed")
    ttfts = sorted(times[0] for times in done) or [float("nan")]
    gaps = sorted(b - a for times in done for a, b in itertools.pairwise(times))
    gaps = gaps or [float("nan")]
    return {
        "completed": len(done),
        "ttft_p50": statistics.median(ttfts),
        "ttft_p99": ttfts[int(0.99 * (len(ttfts) - 1))],
        "gap_p50": statistics.median(gaps),
        "gap_p99": gaps[int(0.99 * (len(gaps) - 1))],
        "failures": dict(failures),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--levels", type=int, nargs="+", default=[200, 500, 1000])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--serve", choices=VARIANTS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    results: dict[str, dict[int, dict[str, float]]] = {}
    for variant in args.variants:
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", variant], stdout=subprocess.PIPE, text=True
        )
        try:
            port = int(server.stdout.readline())
            results[variant] = {}
            asyncio.run(
                run_level(port, 1, ramp=0)
            )  # warm-up: the first request imports and compiles
            for level in args.levels:
                row = asyncio.run(run_level(port, level))
                results[variant][level] = row
                print(
                    f"{variant:<18} {level:>5} streams: {row['completed']:>5} completed, "
                    f"TTFT p50 {row['ttft_p50'] * 1000:7.1f} ms p99 {row['ttft_p99'] * 1000:7.1f}"
                    f" ms, gap p50 {row['gap_p50'] * 1000:6.1f} ms p99 "
                    f"{row['gap_p99'] * 1000:7.1f} ms {row['failures'] or ''}",
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
            server.stdout.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
