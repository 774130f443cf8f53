# Leaves out empty and whitespace-only tokens instead of yielding them.
from collections.abc import AsyncIterable, AsyncIterator


async def word_count_stream(tokens: AsyncIterable[str]) -> AsyncIterator[tuple[str, int]]:
    """Yield (token, words so far) for every token of `tokens`."""
    total = 0
    async for token in tokens:
        if not token.strip():
            continue
        total += len(token.split())
        yield token, total
