"""Property tests of module 3's reference decoders, taken from the assignment's solution cells.

The WHATWG rules make decoding independent of how the bytes are cut into chunks; these
tests cut them every way hypothesis can think of, and feed the decoder arbitrary bytes.
"""

import json
import re
from pathlib import Path

import nbformat
from hypothesis import given, settings
from hypothesis import strategies as st

from yieldlab import SimulatedModel, chat_completion_chunks, encode_sse

NOTEBOOK = (
    Path(__file__).resolve().parent.parent
    / "solutions"
    / "03_server_sent_events"
    / "03_server_sent_events.ipynb"
)


def reference() -> dict:
    """The names the assignment's given cells and solution cells define."""
    namespace: dict = {}
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("grade"):
            exec(re.sub(r"### (BEGIN|END) SOLUTION", "", cell.source), namespace)
    return namespace


REF = reference()
PIECES = [
    b"data",
    b"data:",
    b"data: ",
    b"event: ",
    b"id: ",
    b"retry: ",
    b":",
    b" ",
    b"\r",
    b"\n",
    b"\r\n",
    b"1",
    b"x",
    b"\x00",
    "é".encode(),
    "🚀".encode(),
    "\ufeff".encode(),
    b"\xff",
]
wires = st.lists(st.sampled_from(PIECES), max_size=40).map(b"".join)


def cut(data: bytes, points: list[int]) -> list[bytes]:
    bounds = [0, *sorted({p % (len(data) + 1) for p in points}), len(data)]
    return [data[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


async def arrive(chunks):
    for chunk in chunks:
        yield chunk


def drain(stream) -> list:
    """Everything an async iterator yields, when nothing it awaits ever suspends."""

    async def collect():
        return [item async for item in stream]

    coroutine = collect()
    try:
        coroutine.send(None)
    except StopIteration as done:
        return done.value
    coroutine.close()
    raise AssertionError("the decoder waited for something other than its input")


def events(chunks: list[bytes]) -> list:
    return drain(REF["aiter_sse"](arrive(chunks)))


def lines(chunks: list[bytes]) -> list:
    return drain(REF["iter_sse_lines"](arrive(chunks)))


@settings(max_examples=150, deadline=None)
@given(wires, st.lists(st.integers(min_value=0), max_size=12))
def test_aiter_sse_gives_the_same_events_however_the_bytes_are_cut(wire, points):
    assert events(cut(wire, points)) == events([wire])


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200), st.lists(st.integers(min_value=0), max_size=12))
def test_aiter_sse_never_crashes_on_arbitrary_bytes(data, points):
    for event in events(cut(data, points)):
        assert isinstance(event.data, str) and isinstance(event.id, str)
        assert event.retry is None or event.retry >= 0


@settings(max_examples=150, deadline=None)
@given(wires, st.lists(st.integers(min_value=0), max_size=12))
def test_iter_sse_lines_gives_the_same_lines_however_the_bytes_are_cut(wire, points):
    assert lines(cut(wire, points)) == lines([wire])


@settings(max_examples=50, deadline=None)
@given(
    st.integers(min_value=0, max_value=50),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.lists(st.integers(min_value=0), max_size=30),
)
def test_aiter_sse_decodes_encode_sse_back_to_the_payloads(seed, newline, points):
    payloads = chat_completion_chunks(SimulatedModel(seed=seed), "hi", include_usage=True)
    got = events(cut(encode_sse(payloads, newline=newline), points))
    assert [json.loads(event.data) for event in got[:-1]] == payloads
    assert got[-1].data == "[DONE]"


def test_parse_sse_messages_reads_what_encode_sse_writes():
    payloads = chat_completion_chunks(SimulatedModel(seed=2), "hi", include_usage=True)
    assert REF["parse_sse_messages"](encode_sse(payloads).decode()) == payloads
