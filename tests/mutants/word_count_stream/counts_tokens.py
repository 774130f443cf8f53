# Takes every token for one word.
from collections.abc import AsyncIterable, AsyncIterator


async def word_count_stream(tokens: AsyncIterable[str]) -> AsyncIterator[tuple[str, int]]:
    """Yield (token, words so far) for every token of `tokens`."""
    total = 0
    async for token in tokens:
        total += 1
        yield token, total
