# The tutorial version: split on '. ' only, so '!' and '?' never end a sentence.
import re
from collections.abc import AsyncIterable, AsyncIterator


async def buffer_sentences(tokens: AsyncIterable[str]) -> AsyncIterator[str]:
    """Yield each complete sentence of the joined tokens, stripped, as soon as it ends."""
    buffer = ""
    async for token in tokens:
        buffer += token
        while ". " in buffer:
            sentence, buffer = buffer.split(". ", 1)
            yield sentence.strip() + "."
    if buffer.strip():
        yield buffer.strip()
