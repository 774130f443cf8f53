# Uses str.splitlines(), which also splits on \x0b, \x0c, \x85, \u2028 and others.
async def iter_sse_lines(chunks: AsyncIterable[bytes]) -> AsyncIterator[str]:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending = ""
    after_cr = False
    async for chunk in chunks:
        text = decoder.decode(chunk)
        if not text:
            continue
        if after_cr and text[0] == "\n":
            text = text[1:]
        after_cr = text[-1:] == "\r"
        lines = (pending + text).splitlines(keepends=True)
        pending = lines.pop() if lines and lines[-1][-1:] not in ("\r", "\n") else ""
        for line in lines:
            yield line.rstrip("\r\n")
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending
