# Decodes each chunk on its own: a character cut between two chunks becomes U+FFFD.
async def iter_sse_lines(chunks: AsyncIterable[bytes]) -> AsyncIterator[str]:
    pending = ""
    after_cr = False
    async for chunk in chunks:
        text = chunk.decode("utf-8", errors="replace")
        if not text:
            continue
        if after_cr and text[0] == "\n":
            text = text[1:]
        after_cr = text[-1:] == "\r"
        *lines, pending = re.split(r"\r\n|\r|\n", pending + text)
        for line in lines:
            yield line
    if pending:
        yield pending
