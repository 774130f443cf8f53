# Only a space after the terminator ends a sentence, not a newline or a tab.
import re
from collections.abc import AsyncIterable, AsyncIterator


async def buffer_sentences(tokens: AsyncIterable[str]) -> AsyncIterator[str]:
    """Yield each complete sentence of the joined tokens, stripped, as soon as it ends."""
    sentence_end = re.compile(r"[.!?]+(?= )")
    buffer = ""
    async for token in tokens:
        buffer += token
        while (match := sentence_end.search(buffer)) is not None:
            sentence, buffer = buffer[: match.end()].strip(), buffer[match.end() :]
            if sentence:
                yield sentence
    if buffer.strip():
        yield buffer.strip()
