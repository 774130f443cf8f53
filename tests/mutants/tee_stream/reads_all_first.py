# Reads the whole source on the first pull: every branch is right, but nothing streams.
import asyncio
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


def tee_stream(source: AsyncIterable[T], n: int = 2) -> list[AsyncIterator[T]]:
    """Return `n` async iterators that each yield every item of `source`, pulled once."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    iterator = aiter(source)
    lock = asyncio.Lock()
    items: list = []
    loaded = False

    async def branch() -> AsyncIterator[T]:
        nonlocal loaded
        async with lock:
            if not loaded:
                items.extend([item async for item in iterator])
                loaded = True
        for item in items:
            yield item

    return [branch() for _ in range(n)]
