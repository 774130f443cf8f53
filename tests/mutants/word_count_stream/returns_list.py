# Returns a list from an async def: a coroutine, not an async generator.
from collections.abc import AsyncIterable, AsyncIterator


async def word_count_stream(tokens: AsyncIterable[str]) -> AsyncIterator[tuple[str, int]]:
    """Yield (token, words so far) for every token of `tokens`."""
    result, total = [], 0
    async for token in tokens:
        total += len(token.split())
        result.append((token, total))
    return result
