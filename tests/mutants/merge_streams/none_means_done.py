# Uses None to mark a stream's end: a None item silently ends that stream.
import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


async def merge_streams(*streams: AsyncIterable[T]) -> AsyncIterator[tuple[int, T]]:
    """Yield (index, item) from all `streams` at once, each item as soon as it arrives."""
    iterators = [aiter(stream) for stream in streams]
    queue = asyncio.Queue()

    async def pump(index: int, iterator: AsyncIterator[T]) -> None:
        try:
            async for item in iterator:
                await queue.put((index, item, None))
        except Exception as error:
            await queue.put((index, None, error))
        else:
            await queue.put((index, None, None))

    tasks = [asyncio.create_task(pump(i, it)) for i, it in enumerate(iterators)]
    try:
        open_streams = set(range(len(tasks)))
        while open_streams:
            index, item, error = await queue.get()
            if error is not None:
                raise error
            if index not in open_streams:
                continue
            if item is None:
                open_streams.discard(index)
            else:
                yield index, item
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for iterator in iterators:
            if hasattr(iterator, "aclose"):
                await iterator.aclose()
