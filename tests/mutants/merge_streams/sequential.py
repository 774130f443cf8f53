# Reads the streams one after another: a slow first stream holds up all the others.
import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


async def merge_streams(*streams: AsyncIterable[T]) -> AsyncIterator[tuple[int, T]]:
    """Yield (index, item) from all `streams` at once, each item as soon as it arrives."""
    for index, stream in enumerate(streams):
        async for item in stream:
            yield index, item
