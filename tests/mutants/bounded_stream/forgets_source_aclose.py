# Cancels and awaits the producer, but never closes the source: its cleanup waits for the garbage collector.
import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


async def bounded_stream(source: AsyncIterable[T], max_buffer: int = 50) -> AsyncIterator[T]:
    """Yield every item of `source`, read ahead by a background task through a bounded queue."""
    if max_buffer < 1:
        raise ValueError(f"max_buffer must be at least 1, not {max_buffer}")
    queue = asyncio.Queue(maxsize=max_buffer)
    end = object()

    async def produce() -> None:
        try:
            async for item in source:
                await queue.put((item, None))
        except Exception as error:
            await queue.put((end, error))
        else:
            await queue.put((end, None))

    producer = asyncio.create_task(produce())
    try:
        while True:
            item, error = await queue.get()
            if error is not None:
                raise error
            if item is end:
                return
            yield item
    finally:
        producer.cancel()
        try:
            await producer
        except asyncio.CancelledError:
            pass
