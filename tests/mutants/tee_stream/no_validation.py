# Forgets to check n: tee_stream(source, 0) quietly returns no branches.
import asyncio
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


def tee_stream(source: AsyncIterable[T], n: int = 2) -> list[AsyncIterator[T]]:
    """Return `n` async iterators that each yield every item of `source`, pulled once."""
    iterator = aiter(source)
    lock = asyncio.Lock()
    buffers = [deque() for _ in range(n)]

    async def branch(buffer: deque) -> AsyncIterator[T]:
        while True:
            if not buffer:
                async with lock:
                    if not buffer:
                        try:
                            item = await anext(iterator)
                        except StopAsyncIteration:
                            return
                        for each in buffers:
                            each.append(item)
            yield buffer.popleft()

    return [branch(buffer) for buffer in buffers]
