# Yields each token's own word count instead of the running total.
from collections.abc import AsyncIterable, AsyncIterator


async def word_count_stream(tokens: AsyncIterable[str]) -> AsyncIterator[tuple[str, int]]:
    """Yield (token, words so far) for every token of `tokens`."""
    async for token in tokens:
        yield token, len(token.split())
