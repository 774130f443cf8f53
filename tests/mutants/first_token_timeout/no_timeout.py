# Never times out: a source that stays silent hangs the consumer.
import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


async def first_token_timeout(source: AsyncIterable[T], seconds: float) -> AsyncIterator[T]:
    """Yield every item of `source`; raise TimeoutError if the first takes over `seconds`."""
    async for item in source:
        yield item
