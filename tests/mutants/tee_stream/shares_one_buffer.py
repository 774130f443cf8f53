# All branches share one buffer: each item goes to whichever branch asks first.
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

    async def branch() -> AsyncIterator[T]:
        while True:
            async with lock:
                try:
                    item = await anext(iterator)
                except StopAsyncIteration:
                    return
            yield item

    return [branch() for _ in range(n)]
