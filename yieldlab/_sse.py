"""Server-Sent Events on the wire: payloads encoded as bytes, and bytes cut into chunks."""

from __future__ import annotations

import json
import random
from collections.abc import Iterable

DONE = "[DONE]"
"""The data of the last event of an OpenAI-style stream."""

SPLITS = ("whole", "lines", "bytes", "random", "inside_chars", "between_cr_lf")
"""The ways `split_bytes` can cut a stream."""


def encode_sse(payloads: Iterable[dict | str], *, done: bool = True, newline: str = "\n") -> bytes:
    """The SSE bytes of an OpenAI-style stream: `data: <json>` and a blank line per payload.

    A dict is sent as compact JSON (UTF-8, not \\u escapes, as OpenAI does), a str as it
    is; with `done` a final `data: [DONE]` event follows. `newline` is the line ending:
    `"\\n"`, `"\\r\\n"` or `"\\r"`.
    """
    if newline not in ("\n", "\r\n", "\r"):
        raise ValueError(f"newline={newline!r}: must be '\\n', '\\r\\n' or '\\r'")
    events = []
    for payload in payloads:
        data = (
            payload
            if isinstance(payload, str)
            else json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        )
        if "\n" in data or "\r" in data:
            raise ValueError(f"payload {data[:40]!r}...: a str payload must be one line")
        events.append(f"data: {data}{newline}{newline}")
    if done:
        events.append(f"data: {DONE}{newline}{newline}")
    return "".join(events).encode()


def split_bytes(data: bytes, how: str = "lines", *, size: int = 1, seed: int = 0) -> list[bytes]:
    """`data` cut into the chunks a network might deliver; joined, they give `data` back.

    - `"whole"`: one chunk;
    - `"lines"`: one chunk per line, line ending included (CRLF stays together);
    - `"bytes"`: every `size` bytes;
    - `"random"`: at random points (seeded), chunks of 1 to 2 * `size` bytes;
    - `"inside_chars"`: in the middle of every multi-byte UTF-8 character;
    - `"between_cr_lf"`: between the CR and the LF of every CRLF.
    No chunk is empty.
    """
    if not isinstance(size, int) or size < 1:
        raise ValueError(f"size={size!r}: must be an int >= 1")
    if how == "whole":
        cuts = []
    elif how == "lines":
        cuts = [
            i + 1
            for i, byte in enumerate(data)
            if byte == 10 or (byte == 13 and data[i + 1 : i + 2] != b"\n")
        ]
    elif how == "bytes":
        cuts = list(range(size, len(data), size))
    elif how == "random":
        rng = random.Random(seed)
        cuts, at = [], 0
        while (at := at + rng.randint(1, 2 * size)) < len(data):
            cuts.append(at)
    elif how == "inside_chars":
        cuts = [i + 1 for i, byte in enumerate(data) if byte >= 0xC0 and i + 1 < len(data)]
    elif how == "between_cr_lf":
        cuts = [i + 1 for i in range(len(data) - 1) if data[i : i + 2] == b"\r\n"]
    else:
        raise ValueError(f"how={how!r}: must be one of {', '.join(SPLITS)}")
    bounds = [0, *sorted(set(cuts)), len(data)]
    return [data[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if a < b]
