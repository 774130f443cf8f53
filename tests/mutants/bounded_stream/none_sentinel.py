# The tutorial version: None marks the end, so a None item ends the stream early.
import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


async def bounded_stream(source: AsyncIterable[T], max_buffer: int = 50) -> AsyncIterator[T]:
    """Yield every item of `source`, read ahead by a background task through a bounded queue."""
    if max_buffer < 1:
        raise ValueError(f"max_buffer must be at least 1, not {max_buffer}")
    queue = asyncio.Queue(maxsize=max_buffer)

    async def produce() -> None:
        async for item in source:
            await queue.put(item)
        await queue.put(None)

    producer = asyncio.create_task(produce())
    try:
        while (item := await queue.get()) is not None:
            yield item
    finally:
        producer.cancel()
        await asyncio.gather(producer, return_exceptions=True)
        if hasattr(source, "aclose"):
            await source.aclose()
