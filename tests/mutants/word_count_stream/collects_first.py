# Reads every token into a list before yielding anything: not streaming.
from collections.abc import AsyncIterable, AsyncIterator


async def word_count_stream(tokens: AsyncIterable[str]) -> AsyncIterator[tuple[str, int]]:
    """Yield (token, words so far) for every token of `tokens`."""
    seen = [token async for token in tokens]
    total = 0
    for token in seen:
        total += len(token.split())
        yield token, total
