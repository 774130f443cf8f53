# Strips every line, as if whitespace at the ends did not matter.
async def iter_sse_lines(chunks: AsyncIterable[bytes]) -> AsyncIterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""
    async for chunk in chunks:
        pending += decoder.decode(chunk)
        while "\n" in pending:
            line, pending = pending.split("\n", 1)
            yield line.strip()
    pending += decoder.decode(b"", final=True)
    if pending.strip():
        yield pending.strip()
