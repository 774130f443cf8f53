# A stream's error kills its task silently: its end is never counted, so the consumer waits forever.
import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


async def merge_streams(*streams: AsyncIterable[T]) -> AsyncIterator[tuple[int, T]]:
    """Yield (index, item) from all `streams` at once, each item as soon as it arrives."""
    iterators = [aiter(stream) for stream in streams]
    queue = asyncio.Queue()
    done = object()

    async def pump(index: int, iterator: AsyncIterator[T]) -> None:
        async for item in iterator:
            await queue.put((index, item))
        await queue.put((index, done))

    tasks = [asyncio.create_task(pump(i, it)) for i, it in enumerate(iterators)]
    try:
        running = len(tasks)
        while running:
            index, item = await queue.get()
            if item is done:
                running -= 1
            else:
                yield index, item
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for iterator in iterators:
            if hasattr(iterator, "aclose"):
                await iterator.aclose()
