# Waits for the first item with asyncio.wait and raises without cancelling the task that still waits.
import asyncio
from collections.abc import AsyncIterable, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


async def first_token_timeout(source: AsyncIterable[T], seconds: float) -> AsyncIterator[T]:
    """Yield every item of `source`; raise TimeoutError if the first takes over `seconds`."""
    iterator = aiter(source)
    first = asyncio.ensure_future(anext(iterator))
    finished, _ = await asyncio.wait({first}, timeout=seconds)
    if not finished:
        raise TimeoutError(f"no token within {seconds} s")
    try:
        yield first.result()
    except StopAsyncIteration:
        return
    async for item in iterator:
        yield item
