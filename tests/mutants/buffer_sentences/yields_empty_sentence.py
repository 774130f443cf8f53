# Yields the remainder at the end even when it is blank.
import re
from collections.abc import AsyncIterable, AsyncIterator


async def buffer_sentences(tokens: AsyncIterable[str]) -> AsyncIterator[str]:
    """Yield each complete sentence of the joined tokens, stripped, as soon as it ends."""
    sentence_end = re.compile(r"[.!?]+(?=\s)")
    buffer = ""
    async for token in tokens:
        buffer += token
        while (match := sentence_end.search(buffer)) is not None:
            sentence, buffer = buffer[: match.end()].strip(), buffer[match.end() :]
            yield sentence
    yield buffer.strip()
