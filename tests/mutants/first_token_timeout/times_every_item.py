# Times every item, not just the first: a slow but healthy stream is cut off.
import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


async def first_token_timeout(source: AsyncIterable[T], seconds: float) -> AsyncIterator[T]:
    """Yield every item of `source`; raise TimeoutError if the first takes over `seconds`."""
    iterator = aiter(source)
    try:
        while True:
            try:
                async with asyncio.timeout(seconds):
                    item = await anext(iterator)
            except StopAsyncIteration:
                return
            yield item
    finally:
        if hasattr(iterator, "aclose"):
            await iterator.aclose()
