# Forgets a CR at the end of a chunk: CR | LF across two chunks counts as two line endings.
async def iter_sse_lines(chunks: AsyncIterable[bytes]) -> AsyncIterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""
    async for chunk in chunks:
        *lines, pending = re.split(r"\r\n|\r|\n", pending + decoder.decode(chunk))
        for line in lines:
            yield line
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending
