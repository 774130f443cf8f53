# Never cancels its tasks: after the consumer stops or an error, they keep running.
import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


async def merge_streams(*streams: AsyncIterable[T]) -> AsyncIterator[tuple[int, T]]:
    """Yield (index, item) from all `streams` at once, each item as soon as it arrives."""
    queue = asyncio.Queue()
    done = object()

    async def pump(index: int, stream: AsyncIterable[T]) -> None:
        try:
            async for item in stream:
                await queue.put((index, item, None))
        except Exception as error:
            await queue.put((index, done, error))
        else:
            await queue.put((index, done, None))

    tasks = [asyncio.create_task(pump(i, s)) for i, s in enumerate(streams)]
    running = len(tasks)
    while running:
        index, item, error = await queue.get()
        if error is not None:
            raise error
        if item is done:
            running -= 1
        else:
            yield index, item
