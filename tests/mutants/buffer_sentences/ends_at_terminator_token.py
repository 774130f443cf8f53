# Ends a sentence at every token that ends with . ! ?: '3.14' and 'Wait?!' are cut.
import re
from collections.abc import AsyncIterable, AsyncIterator


async def buffer_sentences(tokens: AsyncIterable[str]) -> AsyncIterator[str]:
    """Yield each complete sentence of the joined tokens, stripped, as soon as it ends."""
    buffer = ""
    async for token in tokens:
        buffer += token
        if token.rstrip().endswith((".", "!", "?")):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        yield buffer.strip()
