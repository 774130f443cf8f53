"""SSE decoding speed: the course's reference `aiter_sse` against httpx-sse and the openai SDK.

All three decode the same 10 MB OpenAI-style stream (CRLF line endings, multi-byte text),
cut into chunks of 1 to 16 KiB as a network delivers them, once each; each must yield the
same number of events. Prints MB/s of CPU time (the decoders do no I/O, and CPU time does not
count the time other processes take on a shared machine) and the ratio to the fastest:

    .venv/bin/python benchmarks/sse_decode.py

- reference: the solution cell of `aiter_sse` in solutions/03_server_sent_events;
- httpx-sse: what `EventSource.aiter_sse` does: an incremental UTF-8 decoder (as
  httpx's `aiter_text`), `SSELineDecoder`, and `SSEDecoder` fed line by line;
- openai: `openai._streaming.SSEDecoder().aiter_bytes`, what `openai.AsyncStream` uses.
"""

from __future__ import annotations

import asyncio
import codecs
import re
import time
from collections.abc import AsyncIterator
from pathlib import Path

import nbformat
from httpx_sse._decoders import SSEDecoder, SSELineDecoder
from openai._streaming import SSEDecoder as OpenAIDecoder

from yieldlab import SimulatedModel, chat_completion_chunks, encode_sse, split_bytes

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "solutions" / "03_server_sent_events" / "03_server_sent_events.ipynb"
SIZE = 10 * 1024 * 1024


def reference_aiter_sse():
    """The `aiter_sse` of the assignment's solution cell, with the cells it needs."""
    cells = {
        cell.metadata.get("nbgrader", {}).get("grade_id"): cell.source
        for cell in nbformat.read(NOTEBOOK, as_version=4).cells
    }
    namespace: dict = {}
    for grade_id in ("imports", "given_sse_event", "aiter_sse"):
        exec(re.sub(r"### (BEGIN|END) SOLUTION", "", cells[grade_id]), namespace)
    return namespace["aiter_sse"]


def stream() -> bytes:
    """About SIZE bytes of chat completion chunks, as an OpenAI-compatible server sends them."""
    parts, total, seed = [], 0, 0
    while total < SIZE:
        model = SimulatedModel(seed=seed, sentences=40)
        part = encode_sse(chat_completion_chunks(model, f"prompt {seed}"), newline="\r\n")
        parts.append(part)
        total += len(part)
        seed += 1
    return b"".join(parts)


async def arrive(chunks: list[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


async def run_reference(chunks: list[bytes], aiter_sse) -> int:
    return sum([1 async for _ in aiter_sse(arrive(chunks))])


async def run_httpx_sse(chunks: list[bytes]) -> int:
    text_decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    lines, events = SSELineDecoder(), SSEDecoder()
    count = 0
    async for chunk in arrive(chunks):
        for line in lines.decode(text_decoder.decode(chunk)):
            if events.decode(line) is not None:
                count += 1
    for line in lines.flush():
        if events.decode(line) is not None:
            count += 1
    return count


async def run_openai(chunks: list[bytes]) -> int:
    return sum([1 async for _ in OpenAIDecoder().aiter_bytes(arrive(chunks))])


def main() -> None:
    data = stream()
    chunks = split_bytes(data, "random", size=8 * 1024, seed=1)
    aiter_sse = reference_aiter_sse()
    runners = {
        "reference aiter_sse": lambda: run_reference(chunks, aiter_sse),
        "httpx-sse SSEDecoder": lambda: run_httpx_sse(chunks),
        "openai SSEDecoder": lambda: run_openai(chunks),
    }
    results = {}
    for name, runner in runners.items():
        start = time.process_time()
        events = asyncio.run(runner())
        results[name] = (time.process_time() - start, events)
    counts = {events for _, events in results.values()}
    if len(counts) != 1:
        raise SystemExit(f"the decoders disagree on the number of events: {results}")
    megabytes = len(data) / 1e6
    fastest = min(seconds for seconds, _ in results.values())
    print(f"{megabytes:.1f} MB, {len(chunks)} chunks, {counts.pop()} events, one run each")
    for name, (seconds, _) in results.items():
        print(
            f"{name:22} {megabytes / seconds:7.1f} MB/s  {seconds / fastest:5.2f}x the fastest CPU time"
        )


if __name__ == "__main__":
    main()
